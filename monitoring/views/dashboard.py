"""SIRI's dashboard of a pool: every project × goal as a status matrix, the late reports, each
project's KPIs against the national average, completeness and timeliness per quarter, and the
pool's charts (goals by status, money, reports per quarter).

Its number of queries does not depend on the number of projects: the grants come through
`progress.monitoring_queryset` and everything after that is computed in Python
(tests/monitoring/test_view_queries.py holds it to that); the money paid out, which the grant
administration knows, comes in one query for every grant (`extensions.pool_money`). The risk
counts, the charts, the late reports and the completeness are of every project the filter
chooses; the two tables of a row per project (the goals and the KPIs) show a page of PAGE_SIZE
projects, so that a pool of 600 is not a page of a megabyte."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from applications.models import Application, Goal, Grant, Municipality, Pool
from core import exports
from core.tables import Column, columns
from core.views import partial_for, query_string, render_page, require_perm

from .. import summary
from ..forms import DashboardFilter
from ..models import KPI_FIELDS, GoalStatus, GrantProgress, Milestone, NationalKpi, QuarterlyReport, RiskLevel, Trend
from ..pool_figures import summary_figures
from ..progress import GoalReading, ProjectReading
from ..stages import Stage, count_stages, in_stage, with_stage
from .common import VIEW_DASHBOARD
from .pool_charts import pool_charts

RESULTS = "dashboard-results"
# Projects per page of the goals and KPI tables: two rows per project on average in the one, a
# row in the other; at 50 they were half of the page's rendering (issue 16).
PAGE_SIZE = 25
# Late reports per page, the longest overdue first: at 600 projects a hundred rows of them were a
# sixth of the page and its rendering (issue 16).
LATE_PAGE_SIZE = 20

PERCENT_OF_TARGET = gettext_lazy("% of target")  # not a format: no placeholders follow

MATRIX_COLUMNS = columns(
    gettext_lazy("Project"),
    gettext_lazy("Goal"),
    Column(gettext_lazy("Reached"), numeric=True),
    Column(gettext_lazy("Expected by now"), numeric=True),
    Column(PERCENT_OF_TARGET, numeric=True),
    gettext_lazy("Status"),
)
LATE_COLUMNS = columns(
    gettext_lazy("Project"),
    gettext_lazy("Quarter"),
    gettext_lazy("Due"),
    Column(gettext_lazy("Days late"), numeric=True),
)
# Then a column per KPI.
KPI_COLUMNS = columns(gettext_lazy("Project"), gettext_lazy("Quarter"))
COMPLETENESS_COLUMNS = columns(
    gettext_lazy("Quarter"),
    Column(gettext_lazy("Expected"), numeric=True),
    Column(gettext_lazy("Submitted"), numeric=True),
    Column(gettext_lazy("On time"), numeric=True),
    Column(gettext_lazy("Completeness"), numeric=True),
    Column(gettext_lazy("Timeliness"), numeric=True),
)


def _label(choices: Any, value: str | None) -> str:
    return str(dict(choices).get(value, "")) if value else ""


# The goals table as a spreadsheet (issue 17.1): a row per project and goal, as the page's filters
# choose them, every project (the page shows 50 at a time); a project without goals has one row.
ExportRow = tuple[ProjectReading, GoalReading | None]
EXPORT_COLUMNS = [
    exports.Column(gettext_lazy("Journal number"), lambda r: r[0].grant.application.journal_number),
    exports.Column(gettext_lazy("Project"), lambda r: r[0].grant.application.title),
    exports.Column(gettext_lazy("Municipality"), lambda r: r[0].grant.application.lead_municipality.name),
    exports.Column(gettext_lazy("Stage"), lambda r: _label(Stage.choices, r[0].grant.stage)),
    exports.Column(gettext_lazy("Risk"), lambda r: _label(RiskLevel.choices, r[0].risk)),
    exports.Column(gettext_lazy("Figures of"), lambda r: str(r[0].reference) if r[0].reference else ""),
    exports.Column(gettext_lazy("Goal"), lambda r: r[1].goal.title if r[1] else ""),
    exports.Column(gettext_lazy("Reached"), lambda r: r[1].actual if r[1] else None, "decimal"),
    exports.Column(gettext_lazy("Expected by now"), lambda r: r[1].expected_by_now if r[1] else None, "decimal"),
    exports.Column(
        PERCENT_OF_TARGET,
        lambda r: r[1].percent_of_target / 100 if r[1] and r[1].percent_of_target is not None else None,
        "percent",
    ),
    exports.Column(gettext_lazy("Status"), lambda r: _label(GoalStatus.choices, r[1].status) if r[1] else ""),
    exports.Column(gettext_lazy("Trend"), lambda r: _label(Trend.choices, r[1].trend) if r[1] else ""),
]


@dataclass
class LateRow:
    reading: ProjectReading
    quarter: Any
    due: datetime.date
    days_late: int


@dataclass
class KpiRow:
    reading: ProjectReading
    report: QuarterlyReport | None
    values: list[tuple[Any, Any]]  # (the project's, the national average) per KPI


def _verbose_name(name: str) -> Any:
    return QuarterlyReport._meta.get_field(name).verbose_name


def dashboard_readings(
    every_stage: QuerySet[Grant],
    grants: QuerySet[Grant],
    stage: str | None,
    today: datetime.date,
    page_number: Any,
    page_size: int = PAGE_SIZE,
) -> tuple[list[ProjectReading], Any, list[ProjectReading], dict[int, GrantProgress], list[tuple[Stage, int]]]:
    """Every chosen project's reading (of `every_stage` those in `stage`, which are `grants`)
    from its progress summary (summary.py) and today's late milestones, in the table's order;
    the page shown with its goals complete; the count per stage. A fixed number of queries,
    none of them reading a report unless a summary is missing."""
    rows = list(
        every_stage.select_related("application__lead_municipality")
        .only(*summary.GRANT_FIELDS)
        .annotate(has_milestones=Exists(Milestone.objects.filter(grant=OuterRef("pk"))))
        .order_by("application__lead_municipality__name", "application__title", "pk")
    )
    counts = count_stages([grant.stage for grant in rows])
    if stage is not None:
        rows = [grant for grant in rows if grant.stage == stage]
    stored = summary.current(grants, rows, today)
    late = summary.late_milestones(grants, today)
    readings = [
        summary.reading_of(grant, stored[grant.pk], today, late.get(grant.pk, []), grant.has_milestones)
        for grant in rows
    ]
    page = Paginator(readings, page_size).get_page(page_number)
    shown = list(page.object_list)
    # A summary computed on the spot has read its grant's goals already.
    goals = {
        r.grant.application_id: list(r.grant.application.goals.all())
        for r in shown
        if "goals" in getattr(r.grant.application, "_prefetched_objects_cache", {})
    }
    unread = [r.grant.application_id for r in shown if r.grant.application_id not in goals]
    if unread:
        for goal in Goal.objects.filter(application__in=unread).select_related("target_group").order_by("id"):
            goals.setdefault(goal.application_id, []).append(goal)
    for reading in shown:
        reading.goals = summary.goal_readings(stored[reading.grant.pk], goals.get(reading.grant.application_id, []))
    return readings, page, shown, stored, counts


def _kpi_report(reading: ProjectReading, row: GrantProgress) -> QuarterlyReport | None:
    """The reference quarter's report as far as the KPI table reads it (unsaved)."""
    if reading.reference is None:
        return None
    values = {name: Decimal(value) for name, value in row.kpis.items() if value is not None}
    return QuarterlyReport(year=reading.reference.year, quarter=reading.reference.quarter, **values)


@require_perm(VIEW_DASHBOARD)
@require_safe
def pool_dashboard(request: HttpRequest, pool_pk: int) -> HttpResponse:
    pool = get_object_or_404(Pool, pk=pool_pk)
    today = timezone.localdate()
    grants = Grant.objects.visible_to(request.user).filter(application__pool=pool)
    granted = Application.objects.filter(pool=pool, award__isnull=False)
    # Two semi-joins, not a DISTINCT over the join of every application and partner (issue 16).
    municipalities = Municipality.objects.filter(
        Q(pk__in=granted.values("lead_municipality_id")) | Q(pk__in=granted.values("partner_municipalities"))
    ).order_by("name")
    filter_form = DashboardFilter(request.GET or None, municipalities=municipalities)
    valid = filter_form.is_valid()
    chosen = filter_form.cleaned_data.get("municipality") if valid else None
    stage = (filter_form.cleaned_data.get("stage") or None) if valid else None
    if chosen is not None:
        grants = grants.filter(application__in=Application.objects.involving([chosen.pk]))
    # Each stage's count of the municipality's grants, whichever stage is shown (counted as the
    # grants are read).
    every_stage = with_stage(grants, pool, today)
    if stage is not None:
        grants = in_stage(grants, pool, today, stage)
    chosen_grants = grants
    if fmt := exports.requested_format(request):
        # Every project chosen, on one "page", with its goals.
        readings, _page, _shown, _summaries, _counts = dashboard_readings(
            every_stage, grants, stage, today, 1, page_size=10**9
        )
        rows = [(reading, goal) for reading in readings for goal in (reading.goals or [None])]
        return exports.response(fmt, EXPORT_COLUMNS, rows, f"overvaagning-{slugify(pool.name)}-{today.isoformat()}")
    readings, page, shown, summaries, counts = dashboard_readings(
        every_stage, grants, stage, today, request.GET.get("page")
    )

    national = {(kpi.year, kpi.quarter): kpi for kpi in NationalKpi.objects.all()}
    kpi_rows = []
    for reading in shown:
        report = _kpi_report(reading, summaries[reading.grant.pk])
        average = national.get((report.year, report.quarter)) if report else None
        kpi_rows.append(
            KpiRow(
                reading,
                report,
                [
                    (getattr(report, name) if report else None, average.kpis.get(name) if average else None)
                    for name in KPI_FIELDS
                ],
            )
        )
    late = sorted(
        (
            LateRow(reading, milestone.period, milestone.report_due_on, (today - milestone.report_due_on).days)
            for reading in readings
            for milestone in reading.late
        ),
        key=lambda row: (-row.days_late, row.reading.grant.application.lead_municipality.name),
    )
    late_page = Paginator(late, LATE_PAGE_SIZE).get_page(request.GET.get("late_page"))
    risks = Counter(reading.risk for reading in readings)
    # The charts speak of every project chosen, not only of the page shown.
    figures = summary_figures(readings, {pk: row.spent for pk, row in summaries.items()}, chosen_grants, today)
    context = {
        "pool": pool,
        "today": today,
        "filter_form": filter_form,
        "chosen": chosen,
        "stage": stage,
        "stage_counts": [
            (value, label, count, query_string(request.GET, stage=value, page=None, late_page=None))
            for (value, label), (_stage, count) in zip(Stage.choices, counts, strict=True)
        ],
        "all_stages_query": query_string(request.GET, stage=None, page=None, late_page=None),
        "readings": readings,
        "shown": shown,
        "page": page,
        "page_query": query_string(request.GET, page=None),
        "late": late_page.object_list,
        "late_page": late_page,
        "late_query": query_string(request.GET, late_page=None),
        "kpi_rows": kpi_rows,
        "national_kpis": list(national.values()),
        "matrix_columns": MATRIX_COLUMNS,
        "late_columns": LATE_COLUMNS,
        "kpi_columns": [
            *KPI_COLUMNS,
            *(Column(capfirst(_verbose_name(name)), numeric=True) for name in KPI_FIELDS),
        ],
        "completeness_columns": COMPLETENESS_COLUMNS,
        "export_links": exports.export_links(request),
        "completeness": [figures.timeliness[quarter] for quarter in sorted(figures.timeliness)],
        "charts": pool_charts(figures) if readings else [],
        "risk_counts": [(level, risks.get(level.value, 0)) for level in RiskLevel],
    }
    template = "monitoring/dashboard/_results.html" if partial_for(request, RESULTS) else "monitoring/dashboard.html"
    return render_page(request, template, context)
