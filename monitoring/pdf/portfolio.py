"""SIRI's portfolio report of a pool: a summary page, then one page (or more) per project.

A pool may hold hundreds of projects. The grants are read in chunks of CHUNK ids, twice, each
time with their stored progress summaries (`summary.stored_readings`, as the dashboard reads
them: a small row per grant, not its reports): once for the summary's counters (nothing kept but
sums), and once with each goal while the pages are laid out, each chunk's pages made only when
the layout reaches them (common.Expand). So the memory is that of one chunk, whatever the size of
the pool.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Model
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer

from applications.models import Grant, Pool
from documents import pdf

from .. import summary as progress_summary
from ..followups import follow_up_rows
from ..models import FollowUpPoint, RiskLevel
from ..pool_figures import PoolFigures
from ..progress import ProjectReading
from .charts import money_drawing, reports_drawing, status_drawing
from .common import (
    DASH,
    FRAME_WIDTH,
    Expand,
    day,
    facts,
    goal_cells,
    goal_title,
    heading,
    money,
    number,
    percent,
    risk_label,
    share,
    table,
)
from .followups import follow_up_section

KIND = "portfolio_report"
CHUNK = 50
Progress = Callable[[int], None]


def may_have(user: Any, pool: Any) -> bool:
    return user.has_perm("monitoring.view_pool_dashboard")


def subjects(user: Any) -> Any:
    """`may_have` for many documents at once: every pool, or none."""
    return Pool.objects.all() if may_have(user, None) else Pool.objects.none()


def grant_ids(pool: Pool) -> list[int]:
    """The pool's grants in the order of the dashboard: municipality, title."""
    return list(
        Grant.objects.filter(application__pool=pool)
        .order_by("application__lead_municipality__name", "application__title", "pk")
        .values_list("pk", flat=True)
    )


def chunks(ids: list[int], size: int = CHUNK) -> Iterator[list[Grant]]:
    """The grants, `size` at a time, each chunk in the order of `ids`, with what their pages show
    of them besides their readings (`summary.stored_readings`): the application, its lead
    municipality and the follow-ups. A chunk's list is emptied when the next one is asked for."""
    for start in range(0, len(ids), size):
        part = ids[start : start + size]
        grants_read = (
            Grant.objects.filter(pk__in=part)
            .select_related("application__lead_municipality", "application__pool")
            .prefetch_related("follow_ups")
        )
        by_id = {grant.pk: grant for grant in grants_read}
        grants = [by_id[pk] for pk in part if pk in by_id]
        del by_id
        yield grants
        # The consumer has moved on: the chunk is freed at once by reference counting, not by
        # a full collection of the process's every object per chunk (a tenth of the run).
        release(grants)
        grants.clear()


def release(rows: Iterable[Any]) -> None:
    """Break the reference cycles prefetching leaves (each prefetched row caches the row it
    belongs to, which caches it in turn), so that dropping the last outside reference frees
    the rows. Each cache is emptied before its rows are visited, so a cycle is walked once."""
    for row in rows:
        if not isinstance(row, Model):
            continue  # a value, which refers to nothing
        prefetched = row.__dict__.pop("_prefetched_objects_cache", {})
        related = list(row._state.fields_cache.values())
        row._state.fields_cache.clear()
        # What read_project keeps on a grant (counting_reports) refers to its reports too.
        row.__dict__.pop("counting_reports", None)
        for queryset in prefetched.values():
            release(queryset)
        release(value for value in related if isinstance(value, Model))


@dataclass
class FollowUpTotals:
    """The pool's follow-ups at one point: recorded (with their figures added up) and late."""

    recorded: int = 0
    late: int = 0
    completed: int = 0
    in_work_or_education: int = 0


@dataclass
class Summary(PoolFigures):
    """What the summary page shows, added up chunk by chunk."""

    follow_ups: dict[str, FollowUpTotals] = field(
        default_factory=lambda: {point: FollowUpTotals() for point in FollowUpPoint.values}
    )

    def add_summaries(self, grants: list[Grant], as_of: datetime.date) -> None:
        """The grants' figures from their stored progress summaries and today's late milestones,
        as the project pages read them (`summary.stored_readings`), the goals' statuses without
        the goals themselves."""
        for reading, spent in progress_summary.stored_readings(grants, as_of, with_goals=False):
            grant = reading.grant
            self.projects += 1
            self.granted += grant.amount
            self.spent += spent or 0
            self.risks[reading.risk] += 1
            self.goal_statuses.update(goal.status for goal in reading.goals)
            for follow_up_row in follow_up_rows(grant, grant.follow_ups.all(), as_of):
                totals = self.follow_ups[follow_up_row.point]
                if follow_up_row.follow_up is not None:
                    totals.recorded += 1
                    totals.completed += follow_up_row.follow_up.completed
                    totals.in_work_or_education += follow_up_row.follow_up.in_work_or_education
                elif follow_up_row.status == "late":
                    totals.late += 1


def follow_up_summary(summary: Summary) -> list[Flowable]:
    """The follow-ups after the end over the pool: per point, how many are in and late, and of all
    who completed in the projects that reported, the share in work or education."""
    if not any(t.recorded or t.late for t in summary.follow_ups.values()):
        return []
    rows: list[tuple[str, ...]] = [
        (_("When"), _("Recorded"), _("Late"), _("Completed"), _("In work or education"), _("Share"))
    ]
    for point, totals in summary.follow_ups.items():
        rows.append(
            (
                str(FollowUpPoint(point).label),
                number(totals.recorded),
                number(totals.late),
                number(totals.completed),
                number(totals.in_work_or_education),
                percent(share(totals.in_work_or_education, totals.completed)),
            )
        )
    return [heading(_("Follow-up after the end"), "h2"), table(rows, [FRAME_WIDTH / 6] * 6)]


def summarise(
    ids: list[int], as_of: datetime.date, chunk: int, done: Callable[[int], None], pool: Pool | None = None
) -> Summary:
    """The summary's sums over every chunk. A function of its own, so that no chunk outlives it
    (a loop variable in portfolio_pdf would hold the last one while the pages are laid out)."""
    summary = Summary()
    for count, start in enumerate(range(0, len(ids), chunk), start=1):
        grants = list(
            Grant.objects.filter(pk__in=ids[start : start + chunk])
            .select_related("application__pool")
            .prefetch_related("follow_ups")
            .order_by("pk")
        )
        summary.add_summaries(grants, as_of)
        # Freed now, not at the collector's next full pass: the pages read few enough objects
        # that it came late, and the summary's 600 grants raised the peak by a fifth.
        release(grants)
        done(count)
    # Completeness and timeliness counted by the database, as on the dashboard.
    grants_of = Grant.objects.filter(application__pool=pool) if pool is not None else Grant.objects.filter(pk__in=ids)
    summary.timeliness = {row.quarter: row for row in progress_summary.timeliness_by_quarter(grants_of, as_of)}
    if pool is not None:
        summary.add_money(grants_of)
    return summary


def chart(title: str, drawing: Flowable) -> KeepTogether:
    """A chart under its heading, never parted from it."""
    return KeepTogether([heading(title, "h2"), drawing, Spacer(1, 4 * mm)])


def summary_page(pool: Pool, summary: Summary, as_of: datetime.date) -> list[Flowable]:
    styles = pdf.styles()
    story: list[Flowable] = [
        pdf.para(_("Portfolio report"), styles["title"]),
        pdf.para(f"{pool.name} · " + _("as of %(date)s") % {"date": day(as_of)}, styles["subtitle"]),
        facts(
            [
                (_("Projects"), number(summary.projects)),
                (_("Pool budget"), money(pool.total_budget)),
                (_("Money granted"), money(summary.granted)),
                # Paid out, repaid and returned to the pool, as the grant administration knows them.
                *[(str(figure.label), money(figure.amount)) for figure in summary.money],
                (_("Money spent to date"), money(summary.spent)),
                (_("Share of the granted money spent"), percent(share(summary.spent, summary.granted))),
            ]
        ),
        chart(_("Money granted, paid out and spent"), money_drawing(summary)),
        heading(_("Projects by risk"), "h2"),
        table(
            [
                [risk_label(level) for level in (*RiskLevel.values, None)],
                [number(summary.risks.get(level, 0)) for level in (*RiskLevel.values, None)],
            ],
            [FRAME_WIDTH / 4] * 4,
        ),
        # Each bar is named with its count: the chart is also the table.
        chart(_("Goals by status"), status_drawing(summary)),
        heading(_("Completeness and timeliness of the reports"), "h2"),
    ]
    rows: list[tuple[str, ...]] = [
        (_("Quarter"), _("Reports due"), _("Handed in"), _("On time"), _("Completeness"), _("Timeliness"))
    ]
    for quarter in sorted(summary.timeliness):
        row = summary.timeliness[quarter]
        rows.append(
            (
                str(quarter),
                number(row.expected),
                number(row.submitted),
                number(row.on_time),
                percent(row.completeness),
                percent(row.timeliness),
            )
        )
    if len(rows) == 1:
        story.append(pdf.para(_("No report has been due yet."), styles["body"]))
    else:
        story.append(table(rows, [FRAME_WIDTH / 6] * 6))
        story.append(Spacer(1, 4 * mm))
        story.append(chart(_("Reports per quarter"), reports_drawing(summary)))
    story.extend(follow_up_summary(summary))
    return story


PAGE_GOAL_WIDTHS = [FRAME_WIDTH - 136 * mm, 16 * mm, 20 * mm, 26 * mm, 16 * mm, 20 * mm, 38 * mm]


def project_page(reading: ProjectReading, spent: Decimal | None, as_of: datetime.date | None = None) -> list[Flowable]:
    """A project's page: `reading` and `spent` (to date) as `summary.stored_readings` gives them."""
    styles = pdf.styles()
    grant = reading.grant
    application = grant.application
    story: list[Flowable] = [
        PageBreak(),
        heading(application.title),
        pdf.para(
            f"{application.lead_municipality.name} · {_('Journal number')} {application.journal_number or DASH}",
            styles["subtitle"],
        ),
        facts(
            [
                (_("Project period"), f"{day(grant.start_date)}–{day(grant.end_date)}"),
                (pgettext("amount", "Grant"), money(grant.amount)),
                (_("Spent to date"), f"{money(spent)} ({percent(share(spent, grant.amount))})"),
                (_("Figures as of"), day(reading.figures_as_of)),
                (_("Risk"), risk_label(reading.risk)),
                (
                    _("Reporting"),
                    ngettext("%(days)s day late", "%(days)s days late", reading.reporting.value)
                    % {"days": reading.reporting.value}
                    if reading.reporting.value
                    else _("On time"),
                ),
                (_("Spent against the plan"), percent(reading.budget.value)),
                (_("Goals on track"), percent(reading.performance.value)),
            ]
        ),
        heading(_("Goals"), "h2"),
    ]
    rows: list[tuple[str, ...]] = [
        (
            _("Goal"),
            _("Target"),
            _("Expected by now"),
            _("Actual"),
            _("Of target"),
            _("Status"),
            _("Forecast or trend"),
        )
    ]
    for goal in reading.goals:
        rows.append((goal_title(goal), *goal_cells(goal, grant.end_date)))
    story.append(table(rows, PAGE_GOAL_WIDTHS))
    if reading.late:
        story.append(heading(_("Late reports"), "h2"))
        story.append(
            pdf.para(
                ", ".join(
                    _("%(quarter)s (due %(date)s)") % {"quarter": m.period, "date": day(m.report_due_on)}
                    for m in reading.late
                ),
                styles["body"],
            )
        )
    # The follow-up after the end, as of the report's day (follow_ups prefetched by `chunks`).
    story.extend(follow_up_section(grant, grant.follow_ups.all(), as_of or reading.as_of))
    return story


def portfolio_pdf(
    pool: Pool, progress: Progress = lambda _p: None, as_of: datetime.date | None = None, chunk: int = CHUNK
) -> bytes:
    """The report as of a day (today), in the active language."""
    as_of = as_of or timezone.localdate()
    ids = grant_ids(pool)
    batches = max(1, -(-len(ids) // chunk))
    summary = summarise(ids, as_of, chunk, lambda done: progress(5 + 25 * done // batches), pool)

    def pages() -> Iterator[list[Flowable]]:
        # One project's flowables at a time; the next chunk is read once this one is laid out.
        for done, grants in enumerate(chunks(ids, chunk), start=1):
            for reading, spent in progress_summary.stored_readings(grants, as_of):
                yield project_page(reading, spent, as_of)
            progress(30 + 65 * done // batches)

    story = [*summary_page(pool, summary, as_of), Expand(pages())]
    return pdf.render(story, title=f"{_('Portfolio report')} · {pool.name}")


def render(document: Any, progress: Progress) -> tuple[bytes, str]:
    with translation.override("da"):
        pool = Pool.objects.filter(pk=document.subject_id).first()
        if pool is None:
            raise ValueError(_("The pool no longer exists."))
        today = timezone.localdate()
        data = portfolio_pdf(pool, progress, today)
    return data, f"portefoeljerapport-{slugify(pool.name) or pool.pk}-{today:%Y-%m-%d}.pdf"
