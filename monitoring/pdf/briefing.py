"""The quarterly briefing of the municipal committee (fagligt udvalg) on one project, in Danish.

The figures are those of the end of the quarter: the reports of that quarter and before, read as
on the day its report was due, so that a briefing made a year later tells the same story as one
made the day after the report came in.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from applications.models import Grant
from documents import pdf

from ..models import (
    KPI_FIELDS,
    FipDimension,
    FipScore,
    FollowUp,
    GoalStatus,
    NationalKpi,
    OutcomePoint,
    QuarterlyReport,
    ReportState,
    Respondent,
)
from ..progress import GoalReading, ProjectReading, counting_reports, handed_in, monitoring_queryset, read_project
from ..quarters import Quarter
from .common import (
    DASH,
    FRAME_WIDTH,
    day,
    facts,
    goal_cells,
    goal_chart,
    goal_title,
    heading,
    money,
    number,
    percent,
    quarter_long,
    risk_label,
    share,
    table,
)
from .followups import follow_up_section

KIND = "committee_briefing"

# Sections other apps add to the briefing (the ambassador's contribution: `ambassadors` depends on
# monitoring, never the other way round). Each is called with (grant, year, quarter) and returns
# flowables, user text through documents.pdf.para/paras; register one in the app's ready() with
# `briefing_section`.
BriefingSection = Callable[[Grant, int, int], list[Flowable]]
BRIEFING_SECTIONS: list[BriefingSection] = []


def briefing_section(section: BriefingSection) -> BriefingSection:
    """Add a section to every committee briefing (once, however often ready() runs)."""
    if section not in BRIEFING_SECTIONS:
        BRIEFING_SECTIONS.append(section)
    return section


class Refused(ValueError):
    """The briefing cannot be made; the message is shown to the person who asked (Document.error)."""


def period_of(params: dict[str, Any]) -> Quarter:
    try:
        return Quarter(int(params["year"]), int(params["quarter"]))
    except (KeyError, TypeError, ValueError):
        raise Refused(_("Give the year and the quarter (1–4) of the briefing.")) from None


def may_have(user: Any, grant: Any) -> bool:
    return user.has_perm("monitoring.view_grant", grant)


def subjects(user: Any) -> Any:
    """`may_have` for many documents at once."""
    return Grant.objects.visible_to(user)


def planned_by(grant: Grant, period: Quarter) -> Decimal:
    """The part of the grant the plan expects spent by the end of the quarter: evenly over the
    days of the period, as progress.read_project's budget signal reckons."""
    total_days = (grant.end_date - grant.start_date).days + 1
    elapsed = min(max((period.end - grant.start_date).days + 1, 0), total_days)
    return (grant.amount * Decimal(elapsed) / Decimal(total_days)).quantize(Decimal("0.01"))


@dataclass
class Briefing:
    grant: Grant
    period: Quarter
    report: QuarterlyReport
    reading: ProjectReading
    national: NationalKpi | None
    fip: list[FipScore]
    made_on: datetime.date


def load(grant_id: int, period: Quarter, made_on: datetime.date | None = None) -> Briefing:
    """The figures of the briefing; refused when the quarter has no handed-in report."""
    grant = (
        monitoring_queryset(Grant.objects.filter(pk=grant_id))
        .prefetch_related("application__partner_municipalities")
        .first()
    )
    if grant is None:
        raise Refused(_("The grant no longer exists."))
    report = next((r for r in counting_reports(grant) if r.period == period), None)
    if report is None:
        raise Refused(
            _("There is no handed-in report for %(quarter)s; the briefing can be made once it has been submitted.")
            % {"quarter": quarter_long(period)}
        )
    # As at the end of the quarter: later reports are left out, and the day is the one its
    # report was due (read_project would otherwise count a report of the next quarter).
    grant.counting_reports = [r for r in counting_reports(grant) if r.period <= period]
    as_of = period.end + datetime.timedelta(days=grant.application.pool.reporting_delay_days)
    reading = read_project(grant, as_of)
    return Briefing(
        grant=grant,
        period=period,
        report=report,
        reading=reading,
        national=NationalKpi.objects.filter(year=period.year, quarter=period.quarter).first(),
        fip=list(FipScore.objects.filter(report=report)),
        made_on=made_on or timezone.localdate(),
    )


# The sections ------------------------------------------------------------------------------------


def cover(b: Briefing) -> list[Flowable]:
    styles = pdf.styles()
    application = b.grant.application
    partners = ", ".join(m.name for m in application.partner_municipalities.all())
    rows = [
        (_("Project"), application.title),
        (_("Municipality"), application.lead_municipality.name),
    ]
    if partners:
        rows.append((_("Partner municipalities"), partners))
    rows += [
        (_("Pool"), application.pool.name),
        (_("Journal number"), application.journal_number or DASH),
        (_("Quarter"), quarter_long(b.period)),
        (_("Project period"), f"{day(b.grant.start_date)}–{day(b.grant.end_date)}"),
        (pgettext("amount", "Grant"), money(b.grant.amount)),
        (_("Figures as of"), day(b.period.end)),
        (_("Date"), day(b.made_on)),
    ]
    return [
        pdf.para(_("Committee briefing"), styles["title"]),
        pdf.para(f"{application.title} · {quarter_long(b.period)}", styles["subtitle"]),
        facts(rows),
    ]


def summary_sentences(b: Briefing) -> list[str]:
    """The state of the project in plain words, from the figures alone."""
    goals = b.reading.goals
    count = len(goals)
    statuses = [reading.status for reading in goals]
    on_track = statuses.count(GoalStatus.ON_TRACK)
    at_risk = statuses.count(GoalStatus.AT_RISK)
    off_track = statuses.count(GoalStatus.OFF_TRACK)
    unjudged = statuses.count(None)
    # A level at its target is on track, not done: only a count added up is ever "reached".
    reached = sum(1 for reading in goals if reading.reached and not reading.level)
    sentences: list[str] = []
    if count:
        sentences.append(
            ngettext(
                "The project is on track for %(on_track)s of %(count)s goal.",
                "The project is on track for %(on_track)s of %(count)s goals.",
                count,
            )
            % {"on_track": on_track, "count": count}
        )
    # Each ngettext with its own literals, so that the messages are collected for translation.
    for number_of, sentence in (
        (at_risk, lambda n: ngettext("%(count)s goal is at risk.", "%(count)s goals are at risk.", n)),
        (off_track, lambda n: ngettext("%(count)s goal is off track.", "%(count)s goals are off track.", n)),
        (unjudged, lambda n: ngettext("%(count)s goal has no figures yet.", "%(count)s goals have no figures yet.", n)),
        (
            reached,
            lambda n: ngettext(
                "%(count)s goal has already been reached.", "%(count)s goals have already been reached.", n
            ),
        ),
    ):
        if number_of:
            sentences.append(sentence(number_of) % {"count": number_of})
    spent = b.report.spent_to_date
    if spent is not None:
        sentences.append(
            _(
                "By the end of the quarter %(spent)s of the grant of %(amount)s had been spent (%(share)s), "
                "%(against_plan)s of what the plan expects by then."
            )
            % {
                "spent": money(spent),
                "amount": money(b.grant.amount),
                "share": percent(share(spent, b.grant.amount)),
                "against_plan": percent(share(spent, planned_by(b.grant, b.period))),
            }
        )
    if b.report.enrolled is not None:
        sentences.append(
            ngettext(
                "%(count)s person was enrolled in the project.",
                "%(count)s people were enrolled in the project.",
                b.report.enrolled,
            )
            % {"count": b.report.enrolled}
        )
    late = len(b.reading.late)
    if late:
        sentences.append(
            ngettext("%(count)s report is overdue.", "%(count)s reports are overdue.", late) % {"count": late}
        )
    else:
        sentences.append(_("Every report due by then has been handed in."))
    sentences.append(_("Overall risk: %(risk)s.") % {"risk": risk_label(b.reading.risk).lower()})
    return sentences


def summary(b: Briefing) -> list[Flowable]:
    styles = pdf.styles()
    return [heading(_("Summary")), pdf.para(" ".join(summary_sentences(b)), styles["body"])]


GOAL_WIDTHS = [20 * mm, 28 * mm, 28 * mm, 22 * mm, 26 * mm, FRAME_WIDTH - 124 * mm]


def goal_block(reading: GoalReading, grant: Grant) -> Flowable:
    styles = pdf.styles()
    rows = [
        (
            _("Target"),
            _("Expected by the end of the quarter"),
            _("Latest") if reading.level else _("Actual"),
            _("Of target"),
            _("Status"),
            _("Trend") if reading.level else _("Forecast"),
        ),
        goal_cells(reading, grant.end_date),
    ]
    # Heading, figures and chart stay on one page; a goal never starts at the foot of one.
    return KeepTogether(
        [
            heading(goal_title(reading), "h2"),
            pdf.para(reading.goal.measure_text, styles["small"]),
            table(rows, GOAL_WIDTHS),
            Spacer(1, 2 * mm),
            goal_chart(reading),
        ]
    )


def goals(b: Briefing) -> list[Flowable]:
    styles = pdf.styles()
    story: list[Flowable] = [heading(_("Goals against their targets"))]
    if not b.reading.goals:
        story.append(pdf.para(_("The project has no goals."), styles["body"]))
    story.extend(goal_block(reading, b.grant) for reading in b.reading.goals)
    return story


def _report_state(report: QuarterlyReport | None, due: datetime.date, today: datetime.date) -> str:
    if report is None:
        return _("Missing") if due < today else _("Not due yet")
    if report.state == ReportState.DRAFT:
        return _("Returned for revision") if handed_in(report) else _("Being written")
    return str(ReportState(report.state).label)


def _handed_in_text(report: QuarterlyReport | None, due: datetime.date) -> str:
    if not handed_in(report):
        return DASH
    submitted = timezone.localdate(report.first_submitted_at)
    days_late = (submitted - due).days
    if days_late > 0:
        return ngettext("%(date)s (%(days)s day late)", "%(date)s (%(days)s days late)", days_late) % {
            "date": day(submitted),
            "days": days_late,
        }
    return day(submitted)


def milestones(b: Briefing) -> list[Flowable]:
    styles = pdf.styles()
    reports = {report.period: report for report in b.grant.reports.all()}
    rows: list[tuple[str, ...]] = [(_("Quarter"), _("Report due"), _("Report"), _("Handed in"))]
    upcoming = None
    for milestone in b.grant.milestones.all():
        if milestone.period > b.period:
            upcoming = upcoming or milestone
            rows.append((str(milestone.period), day(milestone.report_due_on), _("Later quarter"), DASH))
            continue
        report = reports.get(milestone.period)
        rows.append(
            (
                str(milestone.period),
                day(milestone.report_due_on),
                _report_state(report, milestone.report_due_on, b.made_on),
                _handed_in_text(report, milestone.report_due_on),
            )
        )
    story: list[Flowable] = [
        heading(_("Milestones and reports")),
        table(rows, [30 * mm, 30 * mm, 50 * mm, FRAME_WIDTH - 110 * mm]),
    ]
    if upcoming is not None and upcoming.planned_activities.strip():
        story.append(heading(_("Planned for %(quarter)s") % {"quarter": quarter_long(upcoming.period)}, "h2"))
        story.extend(pdf.paras(upcoming.planned_activities, styles["body"]))
    return story


def finances(b: Briefing) -> list[Flowable]:
    spent = b.report.spent_to_date
    planned = planned_by(b.grant, b.period)
    rows = [
        (pgettext("amount", "Grant"), money(b.grant.amount)),
        (_("Spent by the end of the quarter"), money(spent)),
        (_("Share of the grant spent"), percent(share(spent, b.grant.amount))),
        (_("Planned spent by the end of the quarter"), money(planned)),
        (_("Spent against the plan"), percent(share(spent, planned))),
    ]
    return [heading(_("Money spent")), facts(rows)]


def _points_difference(own: Decimal | None, other: Decimal | None) -> str:
    if own is None or other is None:
        return DASH
    difference = own - other
    sign = "+" if difference > 0 else ("−" if difference < 0 else "±")
    return _("%(value)s percentage points") % {"value": sign + number(abs(difference))}


def kpis(b: Briefing) -> list[Flowable]:
    styles = pdf.styles()
    rows: list[tuple[str, ...]] = [(_("Key figure"), _("Project"), _("National average"), _("Difference"))]
    for name in KPI_FIELDS:
        own = getattr(b.report, name)
        national = getattr(b.national, name) if b.national else None
        rows.append(
            (
                capfirst(str(QuarterlyReport._meta.get_field(name).verbose_name)),
                percent(own),
                percent(national),
                _points_difference(own, national),
            )
        )
    story: list[Flowable] = [
        heading(_("Key figures against the national average")),
        table(rows, [70 * mm, 25 * mm, 30 * mm, FRAME_WIDTH - 125 * mm]),
    ]
    if b.national is None:
        story.append(pdf.para(_("SIRI has not entered the national averages for this quarter yet."), styles["small"]))
    return story


def _fip_cell(score: FipScore | None) -> str:
    if score is None:
        return DASH
    return _("%(average)s (%(n)s answers)") % {"average": number(score.average), "n": score.n}


def fip(b: Briefing) -> list[Flowable]:
    styles = pdf.styles()
    story: list[Flowable] = [heading(_("FIP progression: citizen and caseworker"))]
    if not b.fip:
        return [*story, pdf.para(_("No FIP averages were reported for the quarter."), styles["body"])]
    scores = {(score.dimension, score.respondent): score for score in b.fip}
    rows: list[tuple[str, ...]] = [(_("Dimension"), _("Citizen"), _("Caseworker"), _("Difference"))]
    for dimension in FipDimension:
        citizen = scores.get((dimension.value, Respondent.CITIZEN))
        caseworker = scores.get((dimension.value, Respondent.CASEWORKER))
        if citizen is None and caseworker is None:
            continue
        difference = (
            number(citizen.average - caseworker.average) if citizen is not None and caseworker is not None else DASH
        )
        rows.append((str(dimension.label), _fip_cell(citizen), _fip_cell(caseworker), difference))
    story += [
        table(rows, [70 * mm, 35 * mm, 35 * mm, FRAME_WIDTH - 140 * mm]),
        pdf.para(
            _("Averages on the FIP scale from 1 to 7; the difference is citizen minus caseworker."), styles["small"]
        ),
    ]
    return story


def narrative(b: Briefing) -> list[Flowable]:
    styles = pdf.styles()
    story: list[Flowable] = [heading(_("What happened in the quarter"))]
    story.extend(pdf.paras(b.report.narrative, styles["body"]) or [pdf.para(DASH, styles["body"])])
    for title, text in ((_("Obstacles"), b.report.obstacles), (_("Adjustments"), b.report.adjustments)):
        if text.strip():
            story.append(heading(title, "h2"))
            story.extend(pdf.paras(text, styles["body"]))
    return story


def outcomes(b: Briefing) -> list[Flowable]:
    if not b.reading.outcomes:
        return []
    rows: list[tuple[str, ...]] = [(_("When"), _("Participants"), _("In ordinary work"), _("Share"))]
    for outcome in b.reading.outcomes:
        rows.append(
            (
                str(OutcomePoint(outcome.point).label),
                number(outcome.participants),
                number(outcome.employed),
                percent(outcome.share),
            )
        )
    return [
        heading(_("Outcomes")),
        table(rows, [60 * mm, 35 * mm, 40 * mm, FRAME_WIDTH - 135 * mm]),
    ]


def follow_ups(b: Briefing) -> list[Flowable]:
    """The follow-up after the end, in the briefing of the project's last quarter only: the one
    that tells the committee how the project ended. Unlike the quarter's figures it is read as of
    the day the briefing is made, as it comes 3 and 12 months after the end; the table says
    which points are not due or not in yet."""
    if b.period.end < b.grant.end_date:
        return []
    return follow_up_section(b.grant, FollowUp.objects.filter(grant=b.grant), b.made_on, level="h1")


def story(b: Briefing) -> list[Flowable]:
    parts: list[Flowable] = [*cover(b), *summary(b), *goals(b), *milestones(b), *finances(b), *kpis(b), *fip(b)]
    for section in BRIEFING_SECTIONS:
        parts.extend(section(b.grant, b.period.year, b.period.quarter))
    parts += [*narrative(b), *outcomes(b), *follow_ups(b)]
    return parts


def briefing_pdf(
    grant_id: int, period: Quarter, progress: Callable[[int], None] = lambda _p: None
) -> tuple[bytes, str]:
    """The briefing's PDF and file name, in Danish."""
    with translation.override("da"):
        b = load(grant_id, period)
        progress(30)
        flowables = story(b)
        progress(60)
        application = b.grant.application
        title = f"{_('Committee briefing')} · {quarter_long(period)} · {application.title}"
        data = pdf.render(flowables, title=title, journal_number=application.journal_number or "")
    progress(95)
    reference = slugify(application.journal_number or f"tilskud-{b.grant.pk}")
    return data, f"udvalgsorientering-{reference}-{period.year}-{period.quarter}.pdf"


def render(document: Any, progress: Callable[[int], None]) -> tuple[bytes, str]:
    with translation.override("da"):
        period = period_of(document.params or {})
    progress(5)
    return briefing_pdf(document.subject_id, period, progress)
