"""The pool dashboard reads each project's progress summary (monitoring.summary) instead of every
report: the page is the same whether the summaries are stored or computed on the spot, and a
report handed in (or any other change of a project's figures) writes its project's summary anew
after the commit."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from applications.models import Grant, GrantState
from monitoring import pool_summary, services, summary
from monitoring.models import GrantProgress, Milestone, QuarterlyReport
from monitoring.quarters import Quarter
from monitoring.stages import with_stage

from ..conftest import make_pool, page_client_for
from .conftest import goals_of, recent_period
from .test_view_queries import add_projects

pytestmark = pytest.mark.django_db


def page(user: Any, url: str) -> str:
    html = page_client_for(user).get(url).content.decode()
    return re.sub(r"[A-Za-z0-9]{64}", "", html)  # the CSRF tokens


def test_the_dashboard_is_the_same_from_stored_summaries_as_computed(slagelse_applicant: Any, reviewer: Any) -> None:
    start, end = recent_period()
    pool = make_pool(project_start_earliest=start, project_end_latest=end)
    add_projects(pool, 12, slagelse_applicant, reviewer)  # in bulk: no summary written
    url = reverse("monitoring:dashboard", args=[pool.pk])
    assert not GrantProgress.objects.exists()
    computed = page(reviewer, url)

    call_command("rebuild_progress", stdout=None)
    assert GrantProgress.objects.count() == 12
    assert page(reviewer, url) == computed
    assert "Projekt 0" in computed and "Kvinder i job" in computed


def test_after_a_change_of_the_thresholds_no_stored_summary_holds(
    slagelse_applicant: Any, reviewer: Any, settings: Any
) -> None:
    """The statuses and signals a summary stores were judged by settings.MONITORING: with other
    thresholds the dashboard shows what they judge, not what was stored under the old ones."""
    start, end = recent_period()
    pool = make_pool(project_start_earliest=start, project_end_latest=end)
    add_projects(pool, 6, slagelse_applicant, reviewer)
    url = reverse("monitoring:dashboard", args=[pool.pk])
    call_command("rebuild_progress", stdout=None)
    before = page(reviewer, url)

    # Every goal with figures on track, every project's spending within the plan.
    settings.MONITORING = {
        **settings.MONITORING,
        "ON_TRACK_AT": 0,
        "LEVEL_ON_TRACK_AT": 0,
        "BUDGET_DEVIATION_MEDIUM": 10_000,
        "BUDGET_DEVIATION_HIGH": 10_000,
    }
    after = page(reviewer, url)
    assert after != before
    GrantProgress.objects.all().delete()
    assert page(reviewer, url) == after  # as computed from the reports under the new thresholds
    call_command("rebuild_progress", stdout=None)
    assert page(reviewer, url) == after


def test_lateness_and_timeliness_counted_from_the_stored_calendars_are_those_of_the_reports(
    slagelse_applicant: Any, reviewer: Any
) -> None:
    """The dashboard counts late reports and timeliness per quarter from each summary's calendar;
    the database's count over the milestones and their reports (what the portfolio report and the
    project list read) must agree, on any day, a hand-in late by a local day included."""
    start, end = recent_period()
    pool = make_pool(project_start_earliest=start, project_end_latest=end)
    grants = add_projects(pool, 4, slagelse_applicant, reviewer)
    first = Quarter.of(start)

    def hand_in(grant: Grant, quarter: Quarter, at: datetime.datetime) -> None:
        QuarterlyReport.objects.filter(grant=grant, year=quarter.year, quarter=quarter.quarter).update(
            first_submitted_at=at
        )
        # `update` sends no signal: its milestone is told, as a seed that writes in bulk tells it.
        grant.milestones.filter(year=quarter.year, quarter=quarter.quarter).mark_handed_in()

    def due(grant: Grant, quarter: Quarter) -> datetime.date:
        return Milestone.objects.get(grant=grant, year=quarter.year, quarter=quarter.quarter).report_due_on

    utc = datetime.UTC
    # On time at noon on the due date; by UTC on the due date but the next day in Copenhagen (late).
    hand_in(grants[0], first, datetime.datetime.combine(due(grants[0], first), datetime.time(10), utc))
    hand_in(grants[3], first, datetime.datetime.combine(due(grants[3], first), datetime.time(23, 30), utc))
    # The second quarter's draft of another handed in three days late (and since returned).
    hand_in(grants[1], first.next(), datetime.datetime.combine(due(grants[1], first.next()), datetime.time(9), utc))
    Grant.objects.filter(pk=grants[2].pk).update(state=GrantState.CLOSED)  # owes no more reports
    call_command("rebuild_progress", stdout=None)
    assert all(row.calendar for row in GrantProgress.objects.all())

    today = timezone.localdate()
    chosen = Grant.objects.filter(application__pool=pool)
    for day in (today, today + datetime.timedelta(days=120), today + datetime.timedelta(days=800)):
        ordered = with_stage(chosen, pool, day).order_by("application__title", "pk")
        rows, late, _stored = pool_summary.pool_rows(ordered, day)
        assert pool_summary.timeliness_of(rows, day) == summary.timeliness_by_quarter(chosen, day)
        assert sorted((report.grant_id, report.quarter, report.due) for report in late) == sorted(
            (milestone.grant_id, milestone.period, milestone.report_due_on)
            for milestone in summary.overdue(chosen, day)
        )
        assert [report.due for report in late] == sorted(report.due for report in late)  # longest overdue first
    on_time = summary.timeliness_by_quarter(chosen, today)[0]
    assert (on_time.quarter, on_time.expected, on_time.submitted, on_time.on_time) == (first, 4, 4, 1)


@pytest.mark.django_db(transaction=True)  # real commits: the summary is written after them
def test_a_report_handed_in_writes_its_projects_summary_after_the_commit(
    granted_project: Grant, slagelse_applicant: Any
) -> None:
    first = Quarter.of(granted_project.start_date)
    women, attendance = goals_of(granted_project)
    data = {
        "year": first.year,
        "quarter": first.quarter,
        "narrative": "Forløbet kører som planlagt.",
        "enrolled": 40,
        "spent_to_date": Decimal(90000),
        "progress": [
            {"goal": women.pk, "value": Decimal(6)},
            {"goal": attendance.pk, "numerator": 65, "denominator": 100},
        ],
    }
    report = services.create_report(granted_project.pk, slagelse_applicant, data)
    row = GrantProgress.objects.get(grant=granted_project)
    assert row.reference is None  # a draft counts for nothing

    services.submit_report(report.pk, slagelse_applicant)
    row = GrantProgress.objects.get(grant=granted_project)
    assert row.reference == first
    assert row.spent == Decimal(90000)
    assert {item["goal"]: item["actual"] for item in row.goals} == {women.pk: "6.00", attendance.pk: "65.00"}
