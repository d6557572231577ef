"""Races that only a real database can show: run on PostgreSQL (required under CI)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from applications.models import Grant, Pool
from awards import services
from awards.models import ChangeKind, ChangeRequest, ChangeState
from core.errors import DomainError

from ..applications.test_concurrency import run_together
from ..monitoring.conftest import make_grant
from .conftest import ACCEPTANCE, future_period

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def raise_by(grant: Grant, user: Any, more: str) -> ChangeRequest:
    years = list(range(grant.start_date.year, grant.end_date.year + 1))
    lines = [{"year": y, "category": "salaries", "amount": grant.amount / len(years)} for y in years]
    lines[-1]["amount"] += Decimal(more)
    return services.file_change(
        grant.pk, user, {"kind": ChangeKind.BUDGET, "reason": "Flere borgere.", "budget_lines": lines}
    )


def test_two_approvals_at_once_cannot_overspend_the_pool(
    postgres: None, slagelse_applicant: Any, gribskov_applicant: Any, reviewer: Any, second_reviewer: Any
) -> None:
    first = make_grant(slagelse_applicant, reviewer, *future_period())
    second = make_grant(gribskov_applicant, reviewer, *future_period(), code="270", accepted=False)
    pool = first.application.pool
    second.application.pool = pool
    second.application.save()
    services.accept(second.pk, gribskov_applicant, ACCEPTANCE)
    # 800.000 + 800.000 granted of 1.800.000: 200.000 left, and each asks for 150.000 more.
    Pool.objects.filter(pk=pool.pk).update(total_budget=Decimal("1800000"))
    changes = [raise_by(first, slagelse_applicant, "150000"), raise_by(second, gribskov_applicant, "150000")]

    results = run_together(
        [
            lambda: services.approve_change(changes[0].pk, reviewer),
            lambda: services.approve_change(changes[1].pk, second_reviewer),
        ]
    )

    winners = [r for r in results if isinstance(r, ChangeRequest)]
    losers = [r for r in results if isinstance(r, DomainError)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert losers[0].kind == DomainError.CONFLICT and "50.000 kr." in str(losers[0].message)
    pool.refresh_from_db()
    assert pool.granted_total == Decimal("1750000.00") and pool.remaining_budget == Decimal("50000.00")
    states = sorted(ChangeRequest.objects.values_list("state", flat=True))
    assert states == sorted([ChangeState.APPROVED, ChangeState.SUBMITTED])


def test_a_grant_and_an_approval_at_once_cannot_overspend_the_pool(
    postgres: None, slagelse_applicant: Any, gribskov_applicant: Any, reviewer: Any, second_reviewer: Any
) -> None:
    """The change approval locks the pool row as a grant does: they take turns."""
    from applications import services as application_services

    from ..conftest import approve, make_complete_draft, review

    first = make_grant(slagelse_applicant, reviewer, *future_period())
    pool = first.application.pool
    Pool.objects.filter(pk=pool.pk).update(total_budget=Decimal("1000000"))
    change = raise_by(first, slagelse_applicant, "150000")
    other = make_complete_draft(pool, gribskov_applicant, code="270", amount="200000")
    application_services.submit(other.pk, gribskov_applicant)
    approve(other, gribskov_applicant)
    review(other, second_reviewer)

    results = run_together(
        [
            lambda: services.approve_change(change.pk, reviewer),
            lambda: application_services.grant(other.pk, second_reviewer, Decimal("100000")),
        ]
    )

    assert sum(isinstance(r, DomainError) for r in results) == 1, results
    pool.refresh_from_db()
    assert pool.granted_total <= pool.total_budget
