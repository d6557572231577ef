"""Acceptance: by the lead municipality's grant-responsible person, by name, title and an explicit
declaration, by the deadline; the payment plan it makes; and the pool's money when a grant lapses."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from applications.models import Grant, GrantState
from awards import services
from awards.models import Payment, PaymentKind, PaymentState
from core.errors import DomainError
from monitoring.quarters import quarters_between

from .conftest import ACCEPTANCE

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_a_new_grant_awaits_acceptance_with_the_pools_deadline(awaiting: Grant) -> None:
    terms = services.terms_of(awaiting)
    assert awaiting.state == GrantState.AWAITING_ACCEPTANCE
    assert terms.accept_by == timezone.localdate(awaiting.granted_at) + datetime.timedelta(days=14)
    assert terms.retention_percent == Decimal(10)
    assert terms.audit_level == "performance"  # 800.000 kr. is above 500.000 kr.
    assert not awaiting.payments.exists()
    version = awaiting.versions.get()
    assert version.number == 1 and version.amount == awaiting.amount
    assert sum(line.amount for line in version.lines.all()) == awaiting.amount


def test_acceptance_records_who_accepted_and_makes_the_payment_plan(awaiting: Grant, slagelse_applicant: Any) -> None:
    services.accept(awaiting.pk, slagelse_applicant, ACCEPTANCE)

    awaiting.refresh_from_db()
    terms = services.terms_of(awaiting)
    assert awaiting.state == GrantState.ACTIVE
    assert (terms.accepted_by, terms.accepted_by_name, terms.accepted_by_title) == (
        slagelse_applicant,
        "Helle Sofie Larsen",
        "Leder",
    )
    assert terms.accepted_at is not None and "800.000 kr." in terms.declaration
    quarters = quarters_between(awaiting.start_date, awaiting.end_date)
    instalments = list(awaiting.payments.filter(kind=PaymentKind.INSTALMENT).order_by("due_on"))
    assert [(p.year, p.quarter) for p in instalments] == [(q.year, q.quarter) for q in quarters]
    assert [p.due_on for p in instalments] == [q.start for q in quarters]  # in advance, on the first day
    assert {p.state for p in instalments} == {PaymentState.PLANNED}
    assert {p.cvr for p in instalments} == {"29188505"}
    retained = awaiting.payments.get(kind=PaymentKind.RETENTION)
    assert (retained.state, retained.amount) == (PaymentState.RETAINED, Decimal("80000.00"))
    assert sum(p.amount for p in instalments) == Decimal("720000.00")


def test_quarters_begun_before_acceptance_are_due_at_once(late_project: Grant) -> None:
    accepted_on = timezone.localdate(services.terms_of(late_project).accepted_at)
    begun = [p for p in late_project.payments.filter(kind=PaymentKind.INSTALMENT) if p.due_on == accepted_on]
    assert len(begun) == 4  # three quarters before this one, and this one


def test_accepting_twice_is_a_conflict(running: Grant, slagelse_applicant: Any) -> None:
    with pytest.raises(DomainError) as raised:
        services.accept(running.pk, slagelse_applicant, ACCEPTANCE)
    assert raised.value.kind == DomainError.CONFLICT
    assert "aktiv" in str(raised.value.message).lower() or "active" in str(raised.value.message).lower()
    assert Payment.objects.filter(grant=running).count() == 9  # one plan, not two


def test_accepting_after_the_deadline_names_it(awaiting: Grant, slagelse_applicant: Any) -> None:
    deadline = services.terms_of(awaiting).accept_by
    with pytest.raises(DomainError) as raised:
        services.accept(awaiting.pk, slagelse_applicant, ACCEPTANCE, today=deadline + datetime.timedelta(days=1))
    assert raised.value.kind == DomainError.INVALID
    assert f"{deadline:%d.%m.%Y}" in str(raised.value.errors["non_field_errors"][0])
    awaiting.refresh_from_db()
    assert awaiting.state == GrantState.AWAITING_ACCEPTANCE and not awaiting.payments.exists()
    # On the deadline itself it may still be accepted.
    services.accept(awaiting.pk, slagelse_applicant, ACCEPTANCE, today=deadline)


def test_acceptance_without_name_title_or_declaration_names_every_problem(
    awaiting: Grant, slagelse_applicant: Any
) -> None:
    with pytest.raises(DomainError) as raised:
        services.accept(
            awaiting.pk,
            slagelse_applicant,
            {"accepted_by_name": " ", "accepted_by_title": "010190-1234", "declaration": False},
        )
    assert set(raised.value.errors) == {"accepted_by_name", "accepted_by_title", "declaration"}
    awaiting.refresh_from_db()
    assert awaiting.state == GrantState.AWAITING_ACCEPTANCE


def test_a_lapsed_or_revoked_grant_gives_its_money_back_to_the_pool(
    awaiting: Grant, gribskov_running: Grant, reviewer: Any
) -> None:
    pool = awaiting.application.pool
    assert pool.granted_total == Decimal("800000.00")
    services.lapse(awaiting.pk, services.terms_of(awaiting).accept_by + datetime.timedelta(days=1))
    pool.refresh_from_db()
    assert pool.granted_total == Decimal(0)
    assert pool.remaining_budget == pool.total_budget

    other = gribskov_running.application.pool
    services.revoke(gribskov_running.pk, reviewer, "Projektet er opgivet.")
    assert other.granted_total == Decimal(0)
    assert not gribskov_running.payments.in_plan().exclude(state=PaymentState.PAID).exists()
