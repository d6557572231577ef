"""The reporting risk of an ended project counts its final report and accounts: SIRI's dashboard,
the project lists and pages, the portfolio report and the API judged an ended project with every
quarterly report in on those alone while its final report and accounts were long overdue."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from applications.models import Grant
from monitoring.models import RiskLevel
from monitoring.progress import Signal
from monitoring.quarters import Quarter

from ..conftest import client_for, page_client_for
from ..monitoring.conftest import make_grant
from .closing_helpers import submitted_accounts
from .conftest import hand_in

pytestmark = pytest.mark.django_db

DAYS_LATE = 40


@pytest.fixture
def ended(slagelse_applicant: Any, reviewer: Any) -> Grant:
    """Four quarters that ended at least a quarter ago, every quarterly report handed in; the
    final report and accounts due DAYS_LATE days ago."""
    today = timezone.localdate()
    last = Quarter.of(today).previous().previous()
    first = last.previous().previous().previous()
    # 400.000 kr.: a registered auditor's statement is enough for the accounts (tests/awards/closing_helpers.py).
    grant = make_grant(slagelse_applicant, reviewer, first.start, last.end, amount="400000")
    for milestone in grant.milestones.order_by("year", "quarter"):
        hand_in(grant, Quarter(milestone.year, milestone.quarter), slagelse_applicant, Decimal(100000))
    pool = grant.application.pool
    pool.final_report_days = (today - datetime.timedelta(days=DAYS_LATE) - grant.end_date).days
    pool.save()
    grant.refresh_from_db()
    return grant


def _api_reporting(grant: Grant, user: Any) -> dict[str, Any]:
    return client_for(user).get(f"/api/v1/grants/{grant.pk}/progress/").json()["signals"]["reporting"]


def test_the_final_report_and_accounts_late_make_the_reporting_risk(
    ended: Grant, slagelse_applicant: Any, reviewer: Any
) -> None:
    late = Signal(RiskLevel.HIGH, DAYS_LATE)
    assert _api_reporting(ended, slagelse_applicant) == {"level": "high", "value": str(DAYS_LATE)}
    page = page_client_for(slagelse_applicant).get(f"/projects/{ended.pk}/")
    assert page.context["reading"].reporting == late
    assert f"Slutrapport og regnskab er {DAYS_LATE} dage forsinket." in page.content.decode()
    projects = page_client_for(slagelse_applicant).get("/projects/")
    assert [row.reading.reporting for row in projects.context["rows"]] == [late]
    dashboard = page_client_for(reviewer).get(f"/pools/{ended.application.pool_id}/monitoring/")
    assert [reading.reporting for reading in dashboard.context["shown"]] == [late]


def test_submitted_accounts_end_it(ended: Grant, slagelse_applicant: Any, reviewer: Any) -> None:
    submitted_accounts(ended, slagelse_applicant)

    assert _api_reporting(ended, slagelse_applicant) == {"level": "low", "value": "0"}
    dashboard = page_client_for(reviewer).get(f"/pools/{ended.application.pool_id}/monitoring/")
    assert [reading.reporting for reading in dashboard.context["shown"]] == [Signal(RiskLevel.LOW, 0)]
