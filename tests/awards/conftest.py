"""Grants for the grant administration's tests, reached through the real services.

`awaiting` is Slagelse's project just granted (800.000 kr.), whose period starts next quarter
and lasts two years, so that nothing is due or late yet; `running` is the same accepted. Reports
are handed in through monitoring's services, as the municipality's clicks would.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from applications.models import GoalKind, Grant
from awards import services
from awards.models import Award
from monitoring import services as monitoring_services
from monitoring.models import QuarterlyReport
from monitoring.quarters import Quarter

from ..monitoring.conftest import make_grant, recent_period

ACCEPTANCE = {"accepted_by_name": "Helle Sofie Larsen", "accepted_by_title": "Leder", "declaration": True}


def future_period() -> tuple[datetime.date, datetime.date]:
    """From the start of next quarter, two years."""
    start = Quarter.of(timezone.localdate()).next().start
    return start, datetime.date(start.year + 2, start.month, 1) - datetime.timedelta(days=1)


def award(grant: Grant) -> Award:
    return Award.objects.get(pk=grant.pk)


@pytest.fixture
def awaiting(slagelse_applicant: Any, reviewer: Any) -> Grant:
    return make_grant(slagelse_applicant, reviewer, *future_period(), accepted=False)


@pytest.fixture
def running(awaiting: Grant, slagelse_applicant: Any) -> Grant:
    services.accept(awaiting.pk, slagelse_applicant, ACCEPTANCE)
    awaiting.refresh_from_db()
    return awaiting


@pytest.fixture
def late_project(slagelse_applicant: Any, reviewer: Any) -> Grant:
    """Accepted, with a period that began three quarters ago and no report handed in: the first
    quarter's report is far more than the grace days late."""
    return make_grant(slagelse_applicant, reviewer, *recent_period())


@pytest.fixture
def gribskov_running(gribskov_applicant: Any, reviewer: Any) -> Grant:
    return make_grant(gribskov_applicant, reviewer, *future_period(), code="270")


def hand_in(grant: Grant, quarter: Quarter, user: Any, spent: Decimal = Decimal("120000")) -> QuarterlyReport:
    """Write and submit the report of one quarter that has begun."""
    values = {GoalKind.COUNT: {"value": Decimal(5)}, GoalKind.AVERAGE: {"value": Decimal(3)}}
    share = {"numerator": 61, "denominator": 100}  # a percentage is reported as n of N
    data = {
        "year": quarter.year,
        "quarter": quarter.quarter,
        "narrative": "Fem kvinder i job.",
        "enrolled": 30,
        "spent_to_date": spent,
        "progress": [
            {"goal": goal.pk, **values.get(goal.kind, share), "comment": ""} for goal in grant.application.goals.all()
        ],
    }
    report = monitoring_services.create_report(grant.pk, user, data)
    return monitoring_services.submit_report(report.pk, user)


@pytest.fixture
def awaiting_other(slagelse_applicant: Any, reviewer: Any) -> Grant:
    """A second Slagelse grant, not accepted yet."""
    return make_grant(slagelse_applicant, reviewer, *future_period(), accepted=False)
