"""SIRI's dashboard of a pool: every project × goal as a status matrix, the late reports, each
project's KPIs against the national average, completeness and timeliness per quarter, and the
pool's charts (goals by status, money, reports per quarter).

Its number of queries does not depend on the number of projects
(tests/monitoring/test_view_queries.py holds it to that). Every project the filter chooses is
read as values in one query, with its stored progress summary and the money the grant
administration knows of it (`pool_summary.pool_rows`, `extensions.money_columns`), and today's
lateness: the stage and risk counts, the charts, the reports per quarter (from the stored
calendars) and the late reports, the longest overdue first, are added up from them. For SIRI,
who sees every project, those figures of the whole pool are kept in the cache until the next
change to them (`pool_snapshot`). Only the projects of the page shown become models with their
goals (`readings_of`): the goals and KPI tables show PAGE_SIZE at a time, so that a pool of 600
is not a page of a megabyte."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from applications.models import Application, Grant, Municipality, Pool
from core import exports
from core.tables import Column, columns
from core.views import partial_for, query_string, render_page, require_perm

from .. import pool_snapshot, pool_summary, summary
from ..forms import DashboardFilter
from ..models import KPI_FIELDS, GoalStatus, NationalKpi, QuarterlyReport, RiskLevel, Trend
from ..pool_figures import row_figures
from ..progress import GoalReading, ProjectReading
from ..stages import Stage, count_stages, with_stage
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
class KpiRow:
    reading: ProjectReading
    report: QuarterlyReport | None
    values: list[tuple[Any, Any]]  # (the project's, the national average) per KPI


def _verbose_name(name: str) -> Any:
    return QuarterlyReport._meta.get_field(name).verbose_name


def chosen_rows(
    every_stage: QuerySet[Grant], stage: str | None, today: datetime.date
) -> tuple[list[pool_summary.PoolRow], list[pool_summary.LateReport], list[tuple[Stage, int]]]:
    """Every chosen project (of `every_stage` those in `stage`) as values, in the tables' order,
    and the count per stage: what the counts, charts and pages are made of, in one query (and
    those of the projects whose summary is computed on the spot) and without a model per project
    (issue 16: 600 projects' models and readings were half of the page's time). The figures of a
    whole pool come from `pool_snapshot`; these are of a municipality's projects."""
    rows, late, _stored = pool_summary.pool_rows(every_stage.order_by(*pool_summary.POOL_ORDER), today)
    counts = count_stages([row.stage for row in rows])
    return *pool_summary.in_stage(rows, late, stage), counts


def readings_of(rows: list[pool_summary.PoolRow], today: datetime.date) -> list[ProjectReading]:
    """The full readings of `rows` (a page of them, or all for the export) with their goals, in
    their order: three queries."""
    pool_summary.complete(rows, today)
    grants = (
        Grant.objects.filter(pk__in=[row.pk for row in rows])
        .select_related("application__lead_municipality")
        .only(*summary.GRANT_FIELDS)
        .in_bulk()
    )
    goals = summary.goals_by_application([grant.application_id for grant in grants.values()])
    readings = []
    for row in rows:
        grant = grants[row.pk]
        grant.stage = row.stage  # as `with_stage` annotates it, for the export's column
        readings.append(
            summary.reading_of(
                grant,
                row.summary(),
                today,
                [],
                row.has_milestones,
                goals.get(grant.application_id, []),
                reporting=row.reporting(),
            )
        )
    return readings


def _kpi_report(reading: ProjectReading, kpis: dict[str, str | None]) -> QuarterlyReport | None:
    """The reference quarter's report as far as the KPI table reads it (unsaved)."""
    if reading.reference is None:
        return None
    values = {name: Decimal(value) for name, value in kpis.items() if value is not None}
    return QuarterlyReport(year=reading.reference.year, quarter=reading.reference.quarter, **values)


@require_perm(VIEW_DASHBOARD)
@require_safe
def pool_dashboard(request: HttpRequest, pool_pk: int) -> HttpResponse:
    pool = get_object_or_404(Pool.objects.select_related("figures_stamp"), pk=pool_pk)
    today = timezone.localdate()
    grants = Grant.objects.visible_to(request.user).filter(application__pool=pool)
    # Whoever sees every grant sees the same figures of the whole pool, kept from one change to the
    # next with the filter's municipalities (`pool_snapshot`); another person's are their own.
    shared = pool_snapshot.key(pool, today) if Grant.objects.visible_in_full_to(request.user) else None
    snapshot = pool_snapshot.cached(shared)
    if snapshot is not None:
        municipalities = Municipality.objects.filter(pk__in=snapshot.municipality_ids)
    else:
        granted = Application.objects.filter(pool=pool, award__isnull=False)
        # Two semi-joins, not a DISTINCT over the join of every application and partner (issue 16).
        municipalities = Municipality.objects.filter(
            Q(pk__in=granted.values("lead_municipality_id")) | Q(pk__in=granted.values("partner_municipalities"))
        )
    municipalities = municipalities.order_by("name")
    filter_form = DashboardFilter(request.GET or None, municipalities=municipalities)
    valid = filter_form.is_valid()
    chosen = filter_form.cleaned_data.get("municipality") if valid else None
    stage = (filter_form.cleaned_data.get("stage") or None) if valid else None
    if chosen is None:
        if snapshot is None:
            snapshot = pool_snapshot.compute(with_stage(grants, pool, today), municipalities, today, shared)
        rows, late, figures = snapshot.of_stage(stage)
        counts = count_stages([row.stage for row in snapshot.rows])
    else:
        # Each stage's count of the municipality's grants, whichever stage is shown (counted as
        # the grants are read).
        involved = grants.filter(application__in=Application.objects.involving([chosen.pk]))
        read, late, counts = chosen_rows(with_stage(involved, pool, today), stage, today)
        figures = row_figures(read, today)
        rows = [row.kept() for row in read]
    if fmt := exports.requested_format(request):
        # Every project chosen, with its goals.
        readings = readings_of([row.row() for row in rows], today)
        export = [(reading, goal) for reading in readings for goal in (reading.goals or [None])]
        return exports.response(fmt, EXPORT_COLUMNS, export, f"overvaagning-{slugify(pool.name)}-{today.isoformat()}")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    page_rows = [row.row() for row in page.object_list]
    shown = readings_of(page_rows, today)

    national = {(kpi.year, kpi.quarter): kpi for kpi in NationalKpi.objects.all()}
    kpi_rows = []
    for reading, row in zip(shown, page_rows, strict=True):
        report = _kpi_report(reading, row.progress["kpis"])
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
    late_page = Paginator(late, LATE_PAGE_SIZE).get_page(request.GET.get("late_page"))
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
        "projects": rows,
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
        "charts": pool_charts(figures) if rows else [],
        "risk_counts": [(level, figures.risks.get(level.value, 0)) for level in RiskLevel],
    }
    template = "monitoring/dashboard/_results.html" if partial_for(request, RESULTS) else "monitoring/dashboard.html"
    return render_page(request, template, context)
