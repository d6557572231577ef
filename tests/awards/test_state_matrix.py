"""Every transition of the grant's life cycle, of a payment and of a change request, from every
state: it moves to its target, or the service answers 409 naming the state, and nothing changes."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from applications.models import Grant, GrantState, Pool
from awards import services
from awards.models import AwardLog, ChangeKind, ChangeRequest, ChangeState, Payment, PaymentState
from core.errors import DomainError

from .conftest import ACCEPTANCE

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def put_in(grant: Grant, state: str, applicant: Any, reviewer: Any) -> None:
    """Reach `state` through the services where there is one; the final accounts' states (the
    next issue's transitions) are set as they will stand."""
    if state == GrantState.ACTIVE:
        services.accept(grant.pk, applicant, ACCEPTANCE)
    elif state == GrantState.LAPSED:
        after = services.terms_of(grant).accept_by + datetime.timedelta(days=1)
        assert services.lapse(grant.pk, after) is not None
    elif state == GrantState.REVOKED:
        services.revoke(grant.pk, reviewer, "Projektet er ikke startet.")
    elif state in (GrantState.ACCOUNTS_SUBMITTED, GrantState.CLOSED):
        services.accept(grant.pk, applicant, ACCEPTANCE)
        Grant.objects.filter(pk=grant.pk).update(state=state)
    grant.refresh_from_db()
    assert grant.state == state


def attempt(name: str, grant: Grant, applicant: Any, reviewer: Any) -> Any:
    if name == "accept":
        return services.accept(grant.pk, applicant, ACCEPTANCE)
    if name == "revoke":
        return services.revoke(grant.pk, reviewer, "Vilkårene er ikke overholdt.")
    return services.lapse(grant.pk, services.terms_of(grant).accept_by + datetime.timedelta(days=1))


ALLOWED = {
    ("accept", GrantState.AWAITING_ACCEPTANCE): GrantState.ACTIVE,
    ("revoke", GrantState.AWAITING_ACCEPTANCE): GrantState.REVOKED,
    ("revoke", GrantState.ACTIVE): GrantState.REVOKED,
    ("lapse", GrantState.AWAITING_ACCEPTANCE): GrantState.LAPSED,
}


@pytest.mark.parametrize("state", GrantState.values)
@pytest.mark.parametrize("name", ["accept", "revoke", "lapse"])
def test_the_grants_life_cycle(name: str, state: str, awaiting: Grant, slagelse_applicant: Any, reviewer: Any) -> None:
    put_in(awaiting, state, slagelse_applicant, reviewer)
    logged = AwardLog.objects.filter(award=awaiting.pk).count()
    target = ALLOWED.get((name, state))
    if target is not None:
        attempt(name, awaiting, slagelse_applicant, reviewer)
        awaiting.refresh_from_db()
        assert awaiting.state == target
        entry = AwardLog.objects.filter(award=awaiting.pk).latest("at", "id")
        assert (entry.transition, entry.source, entry.target) == (name, state, target)
    elif name == "lapse":
        assert attempt(name, awaiting, slagelse_applicant, reviewer) is None  # the job leaves it alone
    else:
        with pytest.raises(DomainError) as raised:
            attempt(name, awaiting, slagelse_applicant, reviewer)
        assert raised.value.kind == DomainError.CONFLICT
        assert str(Grant(state=state).get_state_display()).lower() in str(raised.value.message).lower()
    if target is None:
        awaiting.refresh_from_db()
        assert awaiting.state == state
        assert AwardLog.objects.filter(award=awaiting.pk).count() == logged


def test_only_the_lead_municipality_accepts_and_only_siri_revokes(
    awaiting: Grant, gribskov_applicant: Any, committee: Any, reviewer: Any, slagelse_applicant: Any
) -> None:
    for outsider in (gribskov_applicant, committee, reviewer):
        with pytest.raises(PermissionDenied):
            services.accept(awaiting.pk, outsider, ACCEPTANCE)
    with pytest.raises(PermissionDenied):
        services.revoke(awaiting.pk, slagelse_applicant, "Nej tak.")
    awaiting.refresh_from_db()
    assert awaiting.state == GrantState.AWAITING_ACCEPTANCE


@pytest.mark.parametrize("state", PaymentState.values)
def test_a_payment_is_paid_only_when_planned(
    state: str, running: Grant, late_project: Grant, pool_admin: Any, reviewer: Any
) -> None:
    """Held: a report of the late project is overdue, so none of its instalments is paid.
    Cancelled: the grant was revoked."""
    grant = late_project if state == PaymentState.HELD else running
    kind = "retention" if state == PaymentState.RETAINED else "instalment"
    payment = grant.payments.filter(kind=kind).order_by("due_on").first()
    if state == PaymentState.PAID:
        services.pay(payment.pk, pool_admin, TODAY)
    if state == PaymentState.CANCELLED:
        services.revoke(grant.pk, reviewer, "Projektet er opgivet.")
    assert Payment.objects.get(pk=payment.pk).state == state
    if state == PaymentState.PLANNED:
        paid = services.pay(payment.pk, pool_admin, TODAY)
        assert (paid.state, paid.paid_on, paid.paid_by) == (PaymentState.PAID, TODAY, pool_admin)
        return
    with pytest.raises(DomainError) as raised:
        services.pay(payment.pk, pool_admin, TODAY)
    assert raised.value.kind == DomainError.CONFLICT
    if state == PaymentState.HELD:
        reason = Payment.objects.get(pk=payment.pk).held_reason
        assert reason and reason in str(raised.value.message)  # the pool admin is told why
    assert Payment.objects.get(pk=payment.pk).state == state


def _change_in(grant: Grant, state: str, applicant: Any, reviewer: Any) -> ChangeRequest:
    Pool.objects.filter(pk=grant.application.pool_id).update(project_end_latest=None)
    change = services.file_change(
        grant.pk,
        applicant,
        {
            "kind": ChangeKind.PERIOD,
            "reason": "Opstarten blev forsinket.",
            "end_date": grant.end_date.replace(year=grant.end_date.year + 1),
        },
    )
    if state == ChangeState.APPROVED:
        services.approve_change(change.pk, reviewer)
    elif state == ChangeState.REFUSED:
        services.refuse_change(change.pk, reviewer, "Perioden kan ikke forlænges.")
    elif state == ChangeState.WITHDRAWN:
        services.withdraw_change(change.pk, applicant)
    change.refresh_from_db()
    assert change.state == state
    return change


CHANGE_ALLOWED = {
    ("approve", ChangeState.SUBMITTED): ChangeState.APPROVED,
    ("refuse", ChangeState.SUBMITTED): ChangeState.REFUSED,
    ("withdraw", ChangeState.SUBMITTED): ChangeState.WITHDRAWN,
}


@pytest.mark.parametrize("state", ChangeState.values)
@pytest.mark.parametrize("name", ["approve", "refuse", "withdraw"])
def test_a_change_requests_life_cycle(
    name: str, state: str, running: Grant, slagelse_applicant: Any, reviewer: Any
) -> None:
    change = _change_in(running, state, slagelse_applicant, reviewer)
    run = {
        "approve": lambda: services.approve_change(change.pk, reviewer),
        "refuse": lambda: services.refuse_change(change.pk, reviewer, "Ikke begrundet."),
        "withdraw": lambda: services.withdraw_change(change.pk, slagelse_applicant),
    }[name]
    target = CHANGE_ALLOWED.get((name, state))
    if target is None:
        with pytest.raises(DomainError) as raised:
            run()
        assert raised.value.kind == DomainError.CONFLICT
        assert ChangeRequest.objects.get(pk=change.pk).state == state
    else:
        run()
        assert ChangeRequest.objects.get(pk=change.pk).state == target


def test_amounts_of_the_plan_add_up_to_the_grant(running: Grant) -> None:
    payments = list(running.payments.in_plan())
    assert sum(p.amount for p in payments) == running.amount == Decimal("800000.00")
    retained = [p for p in payments if p.state == PaymentState.RETAINED]
    assert [p.amount for p in retained] == [Decimal("80000.00")]  # the pool's 10 %
