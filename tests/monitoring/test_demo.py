"""Monitoring's demo of `make run`: a granted Slagelse project with two quarters reported."""

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


def test_the_demo_reports_two_quarters_of_slagelses_granted_project_however_often_it_loads() -> None:
    assert "loaded: 2 quarterly report(s)" in load()
    assert load().strip() == "Monitoring demo data was already there."

    grant = Grant.objects.get(application__title="Integrations Jobenheden")
    assert grant.application.lead_municipality.code == "330"
    assert grant.amount == Decimal("8687924.00")
    today = timezone.localdate()
    current = Quarter.of(today)
    assert Quarter.of(grant.start_date) == current.previous().previous().previous()
    assert grant.start_date == Quarter.of(grant.start_date).start
    assert grant.end_date == datetime.date(grant.start_date.year + 4, grant.start_date.month, 1) - datetime.timedelta(
        days=1
    )

    first, second = QuarterlyReport.objects.filter(grant=grant).order_by("year", "quarter")
    assert QuarterlyReport.objects.filter(grant=grant).count() == 2
    assert (first.state, second.state) == (ReportState.ACCEPTED, ReportState.SUBMITTED)
    assert (first.period, second.period) == (Quarter.of(grant.start_date), Quarter.of(grant.start_date).next())
    assert (first.enrolled, second.enrolled) == (45, 80)
    values = {
        report.quarter: {p.goal.title: p.value for p in report.progress.select_related("goal")}
        for report in (first, second)
    }
    assert values[first.quarter] == {
        "Gennemsnitlig fremmødeprocent": Decimal(58),
        "Selvforsørgende efter 12 måneder": Decimal(12),
    }
    assert values[second.quarter] == {
        "Gennemsnitlig fremmødeprocent": Decimal(64),
        "Selvforsørgende efter 12 måneder": Decimal(18),
    }
    assert FipScore.objects.get(report=first, dimension="cooperation", respondent="citizen").average == Decimal("5.8")
    assert FipScore.objects.get(report=first, dimension="job_search", respondent="caseworker").average == Decimal("3.1")
    assert (
        NationalKpi.objects.filter(
            year__in=[first.year, second.year], quarter__in=[first.quarter, second.quarter]
        ).count()
        == 2
    )

    # Both handed in before their due dates; the third quarter's report is owed now.
    milestones = list(Milestone.objects.filter(grant=grant).order_by("year", "quarter"))
    for report, milestone in zip((first, second), milestones, strict=False):
        assert timezone.localdate(report.first_submitted_at) <= milestone.report_due_on
    third = milestones[2]
    assert third.period == current.previous()
    assert third.report_due_on <= today + datetime.timedelta(days=31)

    reading = read_project(monitoring_queryset(Grant.objects.filter(pk=grant.pk)).get(), today)
    assert reading.reference == second.period
    assert reading.budget.level == "low"  # spending follows the plan
    assert {goal.status for goal in reading.goals} == {"on_track"}
    assert [m.period for m in reading.late] == ([third.period] if third.report_due_on < today else [])


def test_without_the_base_demo_it_says_what_to_load_first() -> None:
    with pytest.raises(CommandError, match="load_demo"):
        call_command("load_monitoring_demo", stdout=StringIO())
    assert not QuarterlyReport.objects.exists()
