"""Granted projects for the monitoring tests, reached through the real services.

`granted_project` is Slagelse's ambassador project: 35 activity-ready women into work
(count, cumulative) and 70 % average attendance (percentage, a level reported as n of N), granted for a
period that started three quarters before the current one, so that reports can be written
for past quarters today.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from applications import services as application_services
from applications.models import Goal, GoalKind, Grant
from awards import services as award_services
from monitoring.quarters import Quarter

from ..conftest import approve, make_complete_draft, make_pool, review


def make_grant(
    applicant: Any,
    reviewer: Any,
    start: datetime.date,
    end: datetime.date,
    code: str = "330",
    amount: str = "800000",
    more_goals: tuple[dict[str, Any], ...] = (),
    *,
    accepted: bool = True,
) -> Grant:
    """A granted application with the two Slagelse goals (and `more_goals`, each the fields of
    a Goal), for the period start–end; accepted by the municipality (a grant in force, that
    reports) unless `accepted` is False."""
    pool = make_pool(project_start_earliest=start, project_end_latest=end, name=f"Pulje {start:%Y%m%d}-{code}")
    application = make_complete_draft(pool, applicant, code=code)
    application.start_date, application.end_date = start, end
    application.save()
    application.budget_lines.update(year=start.year)
    women = application.goals.get()
    women.title, women.target_value = "Aktivitetsparate kvinder i beskæftigelse", Decimal(35)
    women.save()
    Goal.objects.create(
        application=application,
        title="Gennemsnitlig fremmødeprocent",
        kind=GoalKind.PERCENTAGE,
        target_value=Decimal(70),
        unit="%",
        cumulative=False,
    )
    for fields in more_goals:
        Goal.objects.create(application=application, **fields)
    application_services.submit(application.pk, applicant)
    approve(application, applicant)
    review(application, reviewer)
    application_services.grant(application.pk, reviewer, Decimal(amount))
    grant = Grant.objects.get(application=application)
    if accepted:
        award_services.accept(
            grant.pk,
            applicant,
            {"accepted_by_name": "Helle Larsen", "accepted_by_title": "Leder", "declaration": True},
        )
        grant.refresh_from_db()
    return grant


def recent_period() -> tuple[datetime.date, datetime.date]:
    """From the start of the quarter three quarters ago to two years later."""
    start = Quarter.of(timezone.localdate()).previous().previous().previous().start
    return start, datetime.date(start.year + 2, start.month, 1) - datetime.timedelta(days=1)


def slagelse_project(applicant: Any, reviewer: Any) -> Grant:
    """Slagelse's granted project (the fixture `granted_project`)."""
    return make_grant(applicant, reviewer, *recent_period())


def gribskov_project_of(applicant: Any, reviewer: Any) -> Grant:
    """Gribskov's granted project (the fixture `gribskov_project`)."""
    return make_grant(applicant, reviewer, *recent_period(), code="270")


@pytest.fixture
def granted_project(slagelse_applicant: Any, reviewer: Any) -> Grant:
    return slagelse_project(slagelse_applicant, reviewer)


@pytest.fixture
def gribskov_project(gribskov_applicant: Any, reviewer: Any) -> Grant:
    return gribskov_project_of(gribskov_applicant, reviewer)


@pytest.fixture
def young_project(slagelse_applicant: Any, reviewer: Any) -> Grant:
    """A grant nothing has been handed in for yet, so its milestones may change."""
    start, end = recent_period()
    return make_grant(slagelse_applicant, reviewer, start, end)


def goals_of(grant: Grant) -> tuple[Goal, Goal]:
    """(the cumulative count of women, the attendance percentage)."""
    women = grant.application.goals.get(kind=GoalKind.COUNT, title="Aktivitetsparate kvinder i beskæftigelse")
    attendance = grant.application.goals.get(kind=GoalKind.PERCENTAGE, title="Gennemsnitlig fremmødeprocent")
    return women, attendance
