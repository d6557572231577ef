"""The receipt (kvittering), the grant letter (tilsagnsbrev) and the rejection letter (afslagsbrev)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from core.money import format_dkk
from core.notices import site_url
from documents import pdf
from documents.registry import Progress

from ..models import Application, Assessment, State
from .common import (
    EMPTY,
    FIRST_REPORTS,
    WIDTH,
    _application,
    _date,
    _facts,
    _file_name,
    _goal_target,
    _letterhead,
    _moment,
    _number,
    _partners,
    _period,
    _render,
    _signature,
    _styles,
    _table,
)


def _names(application: Any) -> dict[str, str]:
    """What the letters' sentences name: the project, the municipality and the pool."""
    return {
        "title": application.title,
        "municipality": application.lead_municipality.name,
        "pool": application.pool.name,
    }


def _opening(application: Any, day: datetime.date, styles: dict[str, Any], heading: Any) -> list[Flowable]:
    """Every letter opens the same way: SIRI's letterhead, the heading and the project's title."""
    return [
        *_letterhead(application, day, styles),
        pdf.para(heading, styles["title"]),
        pdf.para(application.title, styles["subtitle"]),
    ]


# The receipt --------------------------------------------------------------------------------------


def render_receipt(document: Any, progress: Progress) -> tuple[bytes, str]:
    with translation.override("da"):
        application = _application(document)
        if application.journal_number is None:
            raise ValueError(_("The application has not been submitted."))
        progress(20)
        styles = _styles()
        story = _opening(
            application, timezone.localdate(application.submitted_at), styles, _("Receipt for your application")
        )
        story += [
            pdf.para(
                _("SIRI has received the application “%(title)s” from %(municipality)s.") % _names(application),
                styles["body"],
            ),
            Spacer(1, 4 * mm),
        ]
        facts: list[tuple[Any, Any]] = [
            (_("Journal number"), application.journal_number),
            (_("Received"), _moment(application.submitted_at)),
            (_("Project title"), application.title),
            (_("Applicant municipality"), application.lead_municipality.name),
        ]
        if partners := _partners(application):
            facts.append((_("Partner municipalities"), partners))
        facts += [
            (_("Pool"), application.pool.name),
            (_("Amount applied for"), format_dkk(application.requested_total)),
            (_("Project period"), _period(application.start_date, application.end_date)),
        ]
        if application.declared_at:
            facts.append(
                (
                    _("Declaration"),
                    _("Confirmed by %(name)s, %(title)s, on %(when)s.")
                    % {
                        "name": application.declared_by_name,
                        "title": application.declared_by_title,
                        "when": _moment(application.declared_at),
                    },
                )
            )
        page = site_url(reverse("applications:detail", args=[application.pk]))
        facts.append((_("The application's page"), page))
        story += [_facts(facts, styles), pdf.para(_("What happens now"), styles["h1"])]
        story.append(
            pdf.para(
                _(
                    "SIRI reviews the application against the criteria of the pool. You receive the decision "
                    "as a letter, and it is listed with this receipt and the application as submitted under "
                    "Documents on the application's page in Puljeflow: %(page)s. Quote the journal number when "
                    "you contact SIRI about the application."
                )
                % {"page": page},
                styles["body"],
            )
        )
        missing = application.missing_political_approvals()
        if missing:
            story.append(Spacer(1, 3 * mm))
            story.append(
                pdf.para(
                    _(
                        "SIRI still needs the political approval of %(names)s. Record it on the application's "
                        "page in Puljeflow when it is given: %(page)s."
                    )
                    % {"names": ", ".join(m.name for m in missing), "page": page},
                    styles["body"],
                )
            )
        story.append(_signature(styles))
        progress(60)
        return _render(story, _("Receipt") + " – " + application.title, application), _file_name(
            "kvittering", application
        )


# What the letters of a decision share ---------------------------------------------------------------

# Sections the apps built on applications add to the grant letter, in the order registered, after
# the conditions, goals and reporting and before the appeal guidance: the grant administration's
# budget per year, acceptance, payment plan, audit level and changes. Each is
# `(grant, styles) -> flowables`, registered in the app's ready().
GRANT_LETTER_SECTIONS: list[Callable[[Any, dict[str, Any]], list[Flowable]]] = []


def _legal_facts(application: Application) -> list[tuple[Any, Any]]:
    """The legal basis and the Finance Act account the money comes from, where the pool has them."""
    pool = application.pool
    facts: list[tuple[Any, Any]] = []
    if pool.legal_basis:
        facts.append((_("Legal basis"), pool.legal_basis))
    if pool.finance_act_account:
        facts.append((_("Finance Act account"), pool.finance_act_account))
    return facts


def appeal_guidance(application: Application, styles: dict[str, Any]) -> list[Flowable]:
    """Klagevejledning (forvaltningsloven § 25): the pool's own text, or the standard one."""
    story: list[Flowable] = [pdf.para(_("Appeal guidance (forvaltningsloven § 25)"), styles["h1"])]
    own = pdf.paras(application.pool.appeal_guidance, styles["body"])
    story += own or [
        pdf.para(
            _(
                "SIRI's decision cannot be appealed to another administrative authority. If you believe the "
                "decision is wrong, you may ask SIRI to reconsider it; quote journal number %(number)s. You may "
                "complain to the Parliamentary Ombudsman (Folketingets Ombudsmand) within 12 months of the "
                "decision, and the decision may be brought before the courts."
            )
            % {"number": application.journal_number or EMPTY},
            styles["body"],
        )
    ]
    return story


def _assessments(application: Application) -> list[Assessment]:
    """The assessments of the reviews that count (a reviewer with a conflict of interest does
    not), by criterion in the pool's order, each criterion's in the order the reviews were given."""
    counting = Assessment.objects.filter(review__application=application, review__conflict_of_interest=False)
    return list(
        counting.select_related("criterion").order_by(
            "criterion__position", "criterion_id", "review__created_at", "review_id"
        )
    )


def _criteria_scores(
    application: Application, assessments: list[Assessment]
) -> list[tuple[str, Decimal, Decimal | None, list[str]]]:
    """Each criterion of the pool with its weight, the reviewers' average score (1–5) and their
    written reasons."""
    rows = []
    for criterion in application.pool.criteria.all():
        mine = [a for a in assessments if a.criterion_id == criterion.pk]
        scores = [Decimal(a.score) for a in mine]
        average = (sum(scores, Decimal(0)) / len(scores)).quantize(Decimal("0.1")) if scores else None
        rows.append((criterion.name, criterion.weight, average, [a.reason for a in mine if a.reason.strip()]))
    return rows


def _grounds(application: Application, styles: dict[str, Any]) -> list[Flowable]:
    """The grounds of a rejection (forvaltningsloven §§ 22 and 24): the rules the decision is made
    under and the pool's criteria, weighted, with how the application was scored on each and the
    reviewers' reasons for it, quoted."""
    pool = application.pool
    story: list[Flowable] = [pdf.para(_("The grounds of the decision"), styles["h1"])]
    rules = pool.legal_basis or _("the rules of the pool %(pool)s") % {"pool": pool.name}
    text = _(
        "The decision is made under %(rules)s and the criteria of the pool, which SIRI assesses every "
        "application against. The reason above and the assessment of each criterion below give the main "
        "considerations of the decision (forvaltningsloven §§ 22 and 24)."
    ) % {"rules": rules}
    story.append(pdf.para(text, styles["body"]))
    if pool.finance_act_account:
        story.append(
            pdf.para(
                _("The pool's money is granted from the Finance Act account %(account)s.")
                % {"account": pool.finance_act_account},
                styles["body"],
            )
        )
    criteria = _criteria_scores(application, _assessments(application))
    if criteria:
        story.append(Spacer(1, 3 * mm))
        rows: list[list[Any]] = [
            [
                pdf.para(_("Criterion"), styles["cell_bold"]),
                pdf.para(_("Weight"), styles["cell_right_bold"]),
                pdf.para(_("Average score (1–5)"), styles["cell_right_bold"]),
            ]
        ]
        rows += [
            [
                pdf.para(name, styles["cell"]),
                pdf.para(_number(weight), styles["cell_right"]),
                pdf.para(_number(average) if average is not None else EMPTY, styles["cell_right"]),
            ]
            for name, weight, average, _reasons in criteria
        ]
        story.append(_table(rows, [WIDTH - 80 * mm, 35 * mm, 45 * mm]))
    if any(reasons for *_rest, reasons in criteria):
        story.append(pdf.para(_("The assessment of each criterion"), styles["h2"]))
        for name, weight, average, reasons in criteria:
            heading = _("%(criterion)s (weight %(weight)s): average score %(average)s of 5") % {
                "criterion": name,
                "weight": _number(weight),
                "average": _number(average) if average is not None else EMPTY,
            }
            story.append(pdf.para(heading, styles["cell_bold"]))
            story += [pdf.para(f"“{reason}”", styles["body"]) for reason in reasons] or [
                pdf.para(EMPTY, styles["body"])
            ]
            story.append(Spacer(1, 2 * mm))
    return story


# The grant letter ---------------------------------------------------------------------------------


def _first_reports(award: Any) -> list[tuple[int, int, datetime.date]]:
    """(year, quarter, due date) of the first quarterly reports, when the grant has milestones.

    Milestones belong to monitoring, which depends on applications and not the other way round:
    they are read through the reverse relation, if it is there, with plain attributes.
    """
    milestones = getattr(award, "milestones", None)
    if milestones is None or not hasattr(milestones, "all"):
        return []
    return [(m.year, m.quarter, m.report_due_on) for m in milestones.all()[:FIRST_REPORTS]]


def render_grant_letter(document: Any, progress: Progress) -> tuple[bytes, str]:
    with translation.override("da"):
        application = _application(document)
        award = getattr(application, "award", None)  # the reverse one-to-one raises AttributeError
        if award is None or application.state != State.GRANTED:
            raise ValueError(_("The application has not been granted."))
        progress(20)
        styles = _styles()
        story = _opening(application, timezone.localdate(award.granted_at), styles, _("Grant letter"))
        story += [
            pdf.para(
                _("SIRI grants %(municipality)s %(amount)s for the project “%(title)s” from the pool %(pool)s.")
                % {**_names(application), "amount": format_dkk(award.amount)},
                styles["body"],
            ),
            Spacer(1, 4 * mm),
        ]
        facts: list[tuple[Any, Any]] = [
            (_("Journal number"), application.journal_number),
            (_("Project title"), application.title),
            (_("Applicant municipality"), application.lead_municipality.name),
        ]
        if partners := _partners(application):
            facts.append((_("Partner municipalities"), partners))
        facts.append((_("Pool"), application.pool.name))
        facts += _legal_facts(application)
        facts += [
            (_("Amount granted"), format_dkk(award.amount)),
            (_("Amount applied for"), format_dkk(application.requested_total)),
            (_("Grant period"), _period(award.start_date, award.end_date)),
        ]
        story.append(_facts(facts, styles))

        story.append(pdf.para(capfirst(_("conditions")), styles["h1"]))
        if application.pool.standard_conditions.strip():
            story.append(pdf.para(_("The standard conditions of the pool"), styles["h2"]))
            story += pdf.paras(application.pool.standard_conditions, styles["body"])
            story.append(pdf.para(_("The conditions of this grant"), styles["h2"]))
        conditions = pdf.paras(award.conditions, styles["body"])
        story += conditions or [pdf.para(_("The grant has no special conditions."), styles["body"])]

        goals = list(application.goals.all())
        if goals:
            story.append(pdf.para(_("Goals of the project"), styles["h1"]))
            rows: list[list[Any]] = [
                [pdf.para(_("Goal"), styles["cell_bold"]), pdf.para(_("Target"), styles["cell_right_bold"])]
            ]
            rows += [
                [pdf.para(goal.title, styles["cell"]), pdf.para(_goal_target(goal), styles["cell_right"])]
                for goal in goals
            ]
            story.append(_table(rows, [WIDTH - 40 * mm, 40 * mm]))

        story.append(pdf.para(_("Quarterly reporting"), styles["h1"]))
        story.append(
            pdf.para(
                _(
                    "The municipality reports on the project to SIRI every quarter in Puljeflow, at the latest "
                    "%(days)s days after the quarter ends: the progress towards each goal, the money spent and "
                    "how the project is going."
                )
                % {"days": application.pool.reporting_delay_days},
                styles["body"],
            )
        )
        reports = _first_reports(award)
        if reports:
            story.append(Spacer(1, 3 * mm))
            story.append(pdf.para(_("The first reports are due:"), styles["body"]))
            rows = [[pdf.para(_("Quarter"), styles["cell_bold"]), pdf.para(_("Report due"), styles["cell_bold"])]]
            rows += [
                [
                    pdf.para(_("Q%(quarter)s %(year)s") % {"quarter": quarter, "year": year}, styles["cell"]),
                    pdf.para(_date(due), styles["cell"]),
                ]
                for year, quarter, due in reports
            ]
            story.append(_table(rows, [50 * mm, 50 * mm]))

        for section in GRANT_LETTER_SECTIONS:
            story += section(award, styles)
        story += appeal_guidance(application, styles)
        story.append(_signature(styles))
        progress(60)
        return _render(story, _("Grant letter") + " – " + application.title, application), _file_name(
            "tilsagnsbrev", application
        )


# The rejection letter -----------------------------------------------------------------------------


def render_rejection_letter(document: Any, progress: Progress) -> tuple[bytes, str]:
    with translation.override("da"):
        application = _application(document)
        entry = application.transitions.filter(transition="reject").order_by("-at", "-id").first()
        if entry is None or application.state != State.REJECTED:
            raise ValueError(_("The application has not been rejected."))
        progress(20)
        styles = _styles()
        story = _opening(application, timezone.localdate(entry.at), styles, _("Rejection of your application"))
        story += [
            pdf.para(
                _(
                    "SIRI has decided not to grant the application “%(title)s” from %(municipality)s "
                    "to the pool %(pool)s."
                )
                % _names(application),
                styles["body"],
            ),
            Spacer(1, 4 * mm),
            _facts(
                [
                    (_("Journal number"), application.journal_number),
                    (_("Project title"), application.title),
                    (_("Applicant municipality"), application.lead_municipality.name),
                    (_("Pool"), application.pool.name),
                    (_("Amount applied for"), format_dkk(application.requested_total)),
                    (_("Decided on"), _date(timezone.localdate(entry.at))),
                ],
                styles,
            ),
            pdf.para(_("Reason"), styles["h1"]),
        ]
        story += pdf.paras(entry.reason, styles["body"]) or [pdf.para(EMPTY, styles["body"])]
        story += _grounds(application, styles)
        story += appeal_guidance(application, styles)
        story.append(Spacer(1, 4 * mm))
        story.append(
            pdf.para(
                _("If you have questions about the decision, contact SIRI and quote journal number %(number)s.")
                % {"number": application.journal_number},
                styles["body"],
            )
        )
        story.append(_signature(styles))
        progress(60)
        return _render(story, _("Rejection") + " – " + application.title, application), _file_name(
            "afslagsbrev", application
        )
