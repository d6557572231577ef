"""Monitoring's demo of `make run`: a Slagelse project granted before it started, five quarters reported."""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from applications.models import Grant
from monitoring.models import FipScore, Milestone, NationalKpi, QuarterlyReport, ReportState
from monitoring.progress import monitoring_queryset, read_project
from monitoring.quarters import Quarter

pytestmark = pytest.mark.django_db


def load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=StringIO())
    call_command("load_monitoring_demo", stdout=out)
    return out.getvalue()


def test_the_demo_tells_a_possible_story_however_often_it_loads() -> None:
    """Applied for and granted before the project started, then five quarters reported, each
    after its quarter ended; the figures judged against the result requirements as they are."""
    assert "loaded: 5 quarterly report(s)" in load()
    assert load().strip() == "Monitoring demo data was already there."

    grant = Grant.objects.select_related("application").get(application__title="Integrations Jobenheden")
    application = grant.application
    assert application.lead_municipality.code == "330"
    assert grant.amount == Decimal("8687924.00")
    today = timezone.localdate()
    current = Quarter.of(today)
    start = Quarter.of(grant.start_date)
    assert grant.start_date == start.start
    quarters_back = 0
    while start < current:
        start, quarters_back = start.next(), quarters_back + 1
    assert quarters_back == 6
    assert grant.end_date == datetime.date(grant.start_date.year + 4, grant.start_date.month, 1) - datetime.timedelta(
        days=1
    )

    # Applied for, approved, granted: all before the project started, and the log says so.
    submitted, granted = timezone.localdate(application.submitted_at), timezone.localdate(grant.granted_at)
    assert submitted < granted < grant.start_date
    assert application.pool.opens_on <= submitted <= application.pool.closes_on
    assert application.journal_number.startswith(f"{submitted.year}-")
    log = {entry.transition: timezone.localdate(entry.at) for entry in application.transitions.all()}
    assert log["submit"] == submitted and log["grant"] == granted

    reports = list(QuarterlyReport.objects.filter(grant=grant).order_by("year", "quarter"))
    assert [r.state for r in reports] == [ReportState.ACCEPTED] * 4 + [ReportState.SUBMITTED]
    assert [r.enrolled for r in reports] == [45, 80, 110, 140, 165]
    milestones = list(Milestone.objects.filter(grant=grant).order_by("year", "quarter"))
    for report, milestone in zip(reports, milestones, strict=False):
        handed_in = timezone.localdate(report.first_submitted_at)
        # Written after its quarter ended, handed in after that and before it was due.
        assert granted < timezone.localdate(report.created_at) and report.period.end < handed_in
        assert handed_in <= milestone.report_due_on
        for entry in report.transitions.all():
            assert timezone.localdate(entry.at) >= handed_in
    values = {
        report.period: {
            p.goal.title: (p.numerator, p.denominator, p.value) for p in report.progress.select_related("goal")
        }
        for report in reports
    }
    # Attendance as days attended of days planned; self-support only once a cohort is a year in.
    assert values[reports[0].period] == {"Gennemsnitlig fremmødeprocent": (1566, 2700, Decimal("58.00"))}
    assert values[reports[4].period] == {
        "Gennemsnitlig fremmødeprocent": (5940, 9900, Decimal("60.00")),
        "Selvforsørgende efter 12 måneder": (17, 45, Decimal("37.78")),
    }
    assert FipScore.objects.get(report=reports[0], dimension="cooperation", respondent="citizen").average == Decimal(
        "5.8"
    )
    assert NationalKpi.objects.count() == 5

    # The sixth quarter's report is owed now.
    sixth = milestones[5]
    assert sixth.period == current.previous()

    reading = read_project(monitoring_queryset(Grant.objects.filter(pk=grant.pk)).get(), today)
    assert reading.reference == reports[4].period
    assert reading.budget.level == "low"  # spending follows the plan
    attendance, self_supporting = reading.goals
    # 60 % against the 70 % required: 85,7 %, below the 90 % of at risk; three reports 63, 62, 60.
    assert (attendance.kind, attendance.status, attendance.trend) == ("level", "off_track", "falling")
    assert attendance.expected_by_now == Decimal(70) and attendance.forecast_date is None
    # 17 of the 45 enrolled in the first quarter: 37,8 % against 40 % is 94,4 %: at risk.
    assert (self_supporting.status, self_supporting.numerator, self_supporting.denominator) == ("at_risk", 17, 45)
    assert [m.period for m in reading.late] == ([sixth.period] if sixth.report_due_on < today else [])


def test_without_the_base_demo_it_says_what_to_load_first() -> None:
    with pytest.raises(CommandError, match="load_demo"):
        call_command("load_monitoring_demo", stdout=StringIO())
    assert not QuarterlyReport.objects.exists()


def test_a_demo_an_older_version_left_does_not_stop_make_run() -> None:
    """The database of an earlier `make run` holds a project whose goals this version's reports do
    not cover: the loader adds nothing, says why and how to get the current demo, and returns."""
    call_command("load_demo", stdout=StringIO())
    grant = Grant.objects.select_related("application").get(application__title="Integrations Jobenheden")
    grant.application.goals.create(title="Et mål fra en ældre demo", kind="count", target_value=10)
    out, err = StringIO(), StringIO()
    call_command("load_monitoring_demo", stdout=out, stderr=err)
    assert "Et mål fra en ældre demo" in err.getvalue()
    assert "make clean" in err.getvalue()
    assert not QuarterlyReport.objects.exists()
