"""The pool dashboard (and the municipality's project list) make the same number of queries for
10 projects as for 120: the grants come with everything they need in a fixed number of queries.

The projects are built with bulk_create for speed; their milestones come from the real
`services.create_milestones`, and their reports are real rows in the states the pages read."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, Goal, GoalKind, Grant, Municipality, Pool, State
from monitoring import services, summary
from monitoring.models import GoalProgress, Milestone, NationalKpi, Outcome, QuarterlyReport, ReportState
from monitoring.quarters import Quarter
from monitoring.views.dashboard import PAGE_SIZE
from monitoring.views.projects import PROJECTS_PAGE_SIZE

from ..conftest import make_pool, page_client_for
from .conftest import make_grant, recent_period

pytestmark = pytest.mark.django_db

MUNICIPALITY_CODES = ("330", "270")  # Slagelse and Gribskov take turns


def add_projects(pool: Pool, count: int, creator: Any, granted_by: Any) -> list[Grant]:
    """`count` granted projects in the pool, each with two goals, its milestones, its first
    quarter handed in (with progress, KPIs and an outcome) and its second quarter a draft."""
    start, end = recent_period()
    municipalities = {m.code: m for m in Municipality.objects.filter(code__in=MUNICIPALITY_CODES)}
    offset = Application.objects.count()
    applications = Application.objects.bulk_create(
        [
            Application(
                pool=pool,
                lead_municipality=municipalities[MUNICIPALITY_CODES[i % 2]],
                created_by=creator,
                title=f"Projekt {offset + i}",
                state=State.GRANTED,
                journal_number=f"2026-{offset + i:05d}",
                submitted_at=timezone.now(),
                start_date=start,
                end_date=end,
            )
            for i in range(count)
        ]
    )
    goals = Goal.objects.bulk_create(
        [
            goal
            for application in applications
            for goal in (
                Goal(application=application, title="Kvinder i job", kind=GoalKind.COUNT, target_value=35),
                Goal(
                    application=application,
                    title="Fremmøde",
                    kind=GoalKind.PERCENTAGE,
                    target_value=70,
                    cumulative=False,
                ),
            )
        ]
    )
    grants = Grant.objects.bulk_create(
        [
            Grant(
                application=application, amount=Decimal(800000), start_date=start, end_date=end, granted_by=granted_by
            )
            for application in applications
        ]
    )
    for grant in grants:
        services.create_milestones(grant)
    first = Quarter.of(start)
    handed_in = timezone.now() - datetime.timedelta(days=30)
    reports = QuarterlyReport.objects.bulk_create(
        [
            report
            for grant in grants
            for report in (
                QuarterlyReport(
                    grant=grant,
                    year=first.year,
                    quarter=first.quarter,
                    state=ReportState.SUBMITTED,
                    narrative="Fem kvinder i job.",
                    enrolled=30,
                    spent_to_date=Decimal(120000),
                    self_supporting_share=Decimal("12.5"),
                    submitted_at=handed_in,
                    first_submitted_at=handed_in,
                ),
                QuarterlyReport(grant=grant, year=first.next().year, quarter=first.next().quarter),
            )
        ]
    )
    Milestone.objects.filter(grant__in=grants).mark_handed_in()  # as a seed in bulk: no signal
    by_application = {goal.application_id: [] for goal in goals}
    for goal in goals:
        by_application[goal.application_id].append(goal)
    submitted = [report for report in reports if report.state == ReportState.SUBMITTED]
    GoalProgress.objects.bulk_create(
        [
            GoalProgress(report=report, goal=goal, value=Decimal(5) if goal.cumulative else Decimal(61))
            for report in submitted
            for goal in by_application[report.grant.application_id]
        ]
    )
    Outcome.objects.bulk_create(
        [Outcome(report=report, point="end", participants=10, employed=6) for report in submitted]
    )
    # Rows made in bulk inside the test's transaction: without this PostgreSQL plans the pages'
    # joins on the statistics of the tables as the suite left them (often "empty"), and late in a
    # long run a five-table join of 120 reports took minutes. Production tables are analysed.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return grants


def queries(user: Any, url: str, params: dict[str, str] | None = None) -> tuple[int, Any]:
    browser = page_client_for(user)
    with CaptureQueriesContext(connection) as captured:
        response = browser.get(url, params or {})
    assert response.status_code == 200
    return len(captured), response


def test_the_pool_dashboard_makes_as_many_queries_for_120_projects_as_for_10(
    slagelse_applicant: Any, reviewer: Any, pool_admin: Any
) -> None:
    start, end = recent_period()
    pool = make_pool(project_start_earliest=start, project_end_latest=end)
    first = Quarter.of(start)
    services.set_national_kpi(pool_admin, first.year, first.quarter, {"self_supporting_share": Decimal(14)})
    url = reverse("monitoring:dashboard", args=[pool.pk])

    add_projects(pool, 10, slagelse_applicant, reviewer)
    queries(reviewer, url)  # the site's first page asks whether anything is marked illustrative
    few, response = queries(reviewer, url)
    assert len(response.context["projects"]) == 10
    few_filtered, response = queries(reviewer, url, {"municipality": "330"})
    assert len(response.context["projects"]) == 5

    add_projects(pool, 110, slagelse_applicant, reviewer)
    many, response = queries(reviewer, url)
    assert len(response.context["projects"]) == 120
    assert response.context["completeness"][0].expected == 120
    overdue = sum(
        1
        for m in Grant.objects.filter(application__pool=pool).first().milestones.all()
        if m.report_due_on < timezone.localdate()
    )
    # All but the first quarter are not handed in: counted in all, shown a page at a time.
    late_page = response.context["late_page"]
    assert late_page.paginator.count == 120 * (overdue - 1)
    assert len(response.context["late"]) == min(20, late_page.paginator.count)
    many_filtered, response = queries(reviewer, url, {"municipality": "330"})
    assert len(response.context["projects"]) == 60

    assert many == few, f"{few} queries for 10 projects, {many} for 120"
    assert many_filtered == few_filtered
    # 18, and the six of the progress summaries computed on the spot (none is stored in a test
    # transaction, whose commit never comes): the page is never wrong, only slower.
    assert few <= 24


def test_the_project_list_makes_as_many_queries_for_65_projects_as_for_5(
    slagelse_applicant: Any, reviewer: Any
) -> None:
    start, end = recent_period()
    pool = make_pool(project_start_earliest=start, project_end_latest=end)
    url = reverse("monitoring:projects")

    add_projects(pool, 10, slagelse_applicant, reviewer)
    few, response = queries(slagelse_applicant, url)
    assert len(response.context["rows"]) == 5  # Slagelse's half
    add_projects(pool, 120, slagelse_applicant, reviewer)
    many, response = queries(slagelse_applicant, url)
    assert response.context["page"].paginator.count == 65
    assert len(response.context["rows"]) == PROJECTS_PAGE_SIZE  # a page at a time
    assert many == few, f"{few} queries for 5 projects, {many} for 65"
    assert NationalKpi.objects.count() == 0  # nothing else read on the way


@pytest.mark.parametrize("count", [120, 160])
def test_the_project_list_pages_a_municipalitys_projects_from_their_summaries(
    count: int, slagelse_applicant: Any, committee: Any, reviewer: Any, django_assert_max_num_queries: Any
) -> None:
    """A municipality with many projects: a page of them, each read from its progress summary
    and its late and next milestones, never its reports' figures, in the same number of queries
    at either size; the last page is reached by the pages' links, with the other parameters kept.
    The committee's "our projects" is the same list."""
    start, end = recent_period()
    pool = make_pool(project_start_earliest=start, project_end_latest=end)
    add_projects(pool, count, slagelse_applicant, reviewer)  # Slagelse's are every other one
    summary.rebuild()
    own = count // 2
    pages = -(-own // PROJECTS_PAGE_SIZE)
    url = reverse("monitoring:projects")
    browser = page_client_for(slagelse_applicant)

    with django_assert_max_num_queries(13), CaptureQueriesContext(connection) as captured:
        response = browser.get(url, {"sort": "x"})
    assert not [q["sql"] for q in captured if "monitoring_goalprogress" in q["sql"] or "narrative" in q["sql"]]
    rows = response.context["rows"]
    assert len(rows) == PROJECTS_PAGE_SIZE
    assert response.context["page"].paginator.count == own
    page = response.content.decode()
    assert f"Projekt 1–{PROJECTS_PAGE_SIZE} af {own}." in page
    assert "?sort=x&amp;page=2" in page
    first = rows[0]
    assert first.reading.risk is not None and first.reading.reference == Quarter.of(start)
    assert first.next_due is not None and first.late and first.can_report  # later quarters are open
    assert reverse("monitoring:report_create", args=[first.reading.grant.pk]) in page

    with django_assert_max_num_queries(13):
        response = browser.get(url, {"page": pages})
    last = response.context["rows"]
    assert len(last) == own - PROJECTS_PAGE_SIZE * (pages - 1)
    assert last[-1].reading.grant.application.title in response.content.decode()

    their = page_client_for(committee)
    with django_assert_max_num_queries(12):
        response = their.get(url)
    assert response.context["page"].paginator.count == own
    assert not any(row.can_report for row in response.context["rows"])


@pytest.mark.parametrize("count", [60, 110])
def test_the_pool_dashboard_shows_a_page_of_projects_and_counts_them_all(
    count: int, slagelse_applicant: Any, reviewer: Any, django_assert_max_num_queries: Any
) -> None:
    """A pool of hundreds of projects is not one page of a megabyte: the goals and KPI tables
    turn a page of PAGE_SIZE projects at a time, while the risk counts, the late reports and the
    completeness still speak of every project, in the same number of queries at either size."""
    start, end = recent_period()
    pool = make_pool(project_start_earliest=start, project_end_latest=end)
    add_projects(pool, count, slagelse_applicant, reviewer)
    summary.rebuild()  # as the services keep them
    url = reverse("monitoring:dashboard", args=[pool.pk])
    browser = page_client_for(reviewer)
    pages = -(-count // PAGE_SIZE)

    with django_assert_max_num_queries(18):
        response = browser.get(url)
    assert len(response.context["shown"]) == PAGE_SIZE
    assert sum(n for _, n in response.context["risk_counts"]) == count
    assert response.context["completeness"][0].expected == count
    page = response.content.decode()
    assert f"Projekt 1–{PAGE_SIZE} af {count}." in page
    assert "page=2" in page

    with django_assert_max_num_queries(18):
        response = browser.get(url, {"page": pages, "municipality": ""})
    last = response.context["shown"]
    assert len(last) == count - PAGE_SIZE * (pages - 1)
    first = {row.pk for row in response.context["projects"][:PAGE_SIZE]}
    assert not first & {reading.grant.pk for reading in last}
    assert last[-1].grant.application.title in response.content.decode()
    assert sum(len(row.values) > 0 for row in response.context["kpi_rows"]) == len(last)


@pytest.mark.parametrize("count", [60, 120])
def test_the_monitoring_overview_pages_the_waiting_reports_in_flat_queries(
    count: int, slagelse_applicant: Any, reviewer: Any, django_assert_max_num_queries: Any
) -> None:
    """At a quarter's deadline hundreds of reports wait for SIRI: 50 a page, longest waiting
    first, every one reachable, the same number of queries at either size."""
    start, end = recent_period()
    pool = make_pool(project_start_earliest=start, project_end_latest=end)
    add_projects(pool, count, slagelse_applicant, reviewer)  # each with its first quarter handed in
    waiting = list(
        QuarterlyReport.objects.filter(state=ReportState.SUBMITTED)
        .order_by("submitted_at", "id")
        .values_list("pk", flat=True)
    )
    url = reverse("monitoring:overview")
    browser = page_client_for(reviewer)
    seen: list[int] = []
    for number in range(1, -(-count // 50) + 1):
        with django_assert_max_num_queries(12):
            response = browser.get(url, {"page": number})
        rows = list(response.context["waiting"])
        assert len(rows) == min(50, count - 50 * (number - 1))
        page = response.content.decode()
        assert rows[-1].grant.application.title in page and rows[-1].grant.application.pool.name in page
        seen += [report.pk for report in rows]
    assert seen == waiting
    assert f"Indberetning 1–50 af {count}" in browser.get(url).content.decode()


@pytest.mark.parametrize("quarters_ago", [3, 11])
def test_the_project_page_makes_as_many_queries_for_a_long_project_as_for_a_young_one(
    quarters_ago: int, slagelse_applicant: Any, reviewer: Any, django_assert_max_num_queries: Any
) -> None:
    """A project three years in has more milestones, reports, payments and changes than one of
    three quarters: the page reads each kind in one query (the grant administration's panels from
    the milestones and reports the page read already), and asks who may have its letters only of
    the letters there are."""
    today = timezone.localdate()
    start = Quarter.of(today)
    for _ in range(quarters_ago):
        start = start.previous()
    end = datetime.date(start.start.year + 4, start.start.month, 1) - datetime.timedelta(days=1)
    grant = make_grant(slagelse_applicant, reviewer, start.start, end)
    goals = list(grant.application.goals.all())
    milestone = grant.milestones.order_by("year", "quarter").first()
    services.update_milestone(milestone.pk, slagelse_applicant, {"planned_activities": "Opstart."})
    handed_in = timezone.now() - datetime.timedelta(days=10)
    quarter, reports = start, []
    while quarter.next().start <= today:
        reports.append(
            QuarterlyReport(
                grant=grant,
                year=quarter.year,
                quarter=quarter.quarter,
                state=ReportState.ACCEPTED,
                spent_to_date=Decimal(10000),
                submitted_at=handed_in,
                first_submitted_at=handed_in,
            )
        )
        quarter = quarter.next()
    reports = QuarterlyReport.objects.bulk_create(reports)
    GoalProgress.objects.bulk_create(
        [GoalProgress(report=report, goal=goal, value=Decimal(3)) for report in reports for goal in goals]
    )
    assert len(reports) == quarters_ago
    browser = page_client_for(slagelse_applicant)
    url = reverse("monitoring:project", args=[grant.pk])

    browser.get(url)  # the content types cached, as in a running server
    # 28: the grant administration's panels and what the grant owes after its end among them.
    with django_assert_max_num_queries(28):
        response = browser.get(url)
    assert response.status_code == 200
    assert len(response.context["reports"]) == quarters_ago
    assert not response.context["milestones_editable"]  # a report has been handed in
    page = response.content.decode()
    assert "Opstart." in page
    assert reverse("monitoring:report", args=[grant.pk, reports[-1].pk]) in page
