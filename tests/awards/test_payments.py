"""Payments are held while a quarterly report is more than the pool's grace days late and released
when it is handed in; the pool admin records what was paid; the notices go out once."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from applications.models import Grant
from awards import services
from awards.models import Payment, PaymentKind, PaymentState
from core.errors import DomainError
from monitoring.models import Milestone
from monitoring.reminders import send_reminders

from .conftest import hand_in

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def states(grant: Grant) -> set[str]:
    return set(grant.payments.filter(kind=PaymentKind.INSTALMENT).values_list("state", flat=True))


def test_a_late_report_holds_every_unpaid_instalment_and_says_why(late_project: Grant) -> None:
    first = Milestone.objects.filter(grant=late_project).order_by("year", "quarter").first()
    assert states(late_project) == {PaymentState.HELD}
    held = late_project.payments.filter(state=PaymentState.HELD).first()
    assert str(first.period).split()[0] in held.held_reason or "1" in held.held_reason
    assert f"{first.report_due_on:%d.%m.%Y}" in held.held_reason
    assert late_project.payments.get(kind=PaymentKind.RETENTION).state == PaymentState.RETAINED


def test_handing_in_the_late_reports_releases_the_payments(
    late_project: Grant, slagelse_applicant: Any, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    milestones = list(Milestone.objects.filter(grant=late_project).order_by("year", "quarter"))
    overdue = [m for m in milestones if m.report_due_on + datetime.timedelta(days=14) < TODAY]
    assert len(overdue) >= 2
    with django_capture_on_commit_callbacks(execute=True):
        hand_in(late_project, overdue[0].period, slagelse_applicant)
    assert states(late_project) == {PaymentState.HELD}  # another report is still late
    for milestone in overdue[1:]:
        with django_capture_on_commit_callbacks(execute=True):
            hand_in(late_project, milestone.period, slagelse_applicant)
    assert states(late_project) == {PaymentState.PLANNED}
    assert not late_project.payments.exclude(held_reason="").exists()
    released = [m for m in mailoutbox if "frigivet" in m.subject.lower() or "released" in m.subject.lower()]
    assert len(released) == 1
    assert "slagelse@example.test" in released[0].to and "ansvarlig@example.test" in released[0].to


def test_the_daily_job_holds_when_a_report_becomes_late_and_tells_once(
    running: Grant, pool_admin: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    first = Milestone.objects.filter(grant=running).order_by("year", "quarter").first()
    not_yet = first.report_due_on + datetime.timedelta(days=14)
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(not_yet)
    assert states(running) == {PaymentState.PLANNED}  # 14 days late is within the grace

    late = not_yet + DAY
    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            send_reminders(late)
    assert states(running) == {PaymentState.HELD}
    held = [m for m in mailoutbox if "tilbageholdt" in m.subject.lower() or "held" in m.subject.lower()]
    assert len(held) == 1
    assert "pooladmin@example.test" in held[0].to and "slagelse@example.test" in held[0].to


def test_the_pool_admin_records_a_payment_as_paid(running: Grant, pool_admin: Any, reviewer: Any) -> None:
    payment = running.payments.filter(kind=PaymentKind.INSTALMENT).order_by("due_on").first()
    with pytest.raises(PermissionDenied):
        services.pay(payment.pk, reviewer, TODAY)
    with pytest.raises(DomainError) as raised:
        services.pay(payment.pk, pool_admin, TODAY + DAY)
    assert set(raised.value.errors) == {"paid_on"}
    with pytest.raises(DomainError) as raised:
        services.pay(payment.pk, pool_admin, None)
    assert set(raised.value.errors) == {"paid_on"}

    services.pay(payment.pk, pool_admin, TODAY - DAY)

    payment.refresh_from_db()
    assert (payment.state, payment.paid_on, payment.paid_by) == (PaymentState.PAID, TODAY - DAY, pool_admin)
    assert services.paid_total(running) == payment.amount
    entry = payment.transitions.get()
    assert (entry.transition, entry.source, entry.target, entry.by) == ("pay", "planned", "paid", pool_admin)


def test_a_report_that_became_late_holds_the_payment_the_pool_admin_is_about_to_pay(
    running: Grant, pool_admin: Any
) -> None:
    first = Milestone.objects.filter(grant=running).order_by("year", "quarter").first()
    payment = running.payments.filter(kind=PaymentKind.INSTALMENT).order_by("due_on").first()
    late = first.report_due_on + datetime.timedelta(days=15)
    with pytest.raises(DomainError) as raised:
        services.pay(payment.pk, pool_admin, late, today=late)
    assert raised.value.kind == DomainError.CONFLICT
    assert f"{first.report_due_on:%d.%m.%Y}" in str(raised.value.message)
    assert Payment.objects.get(pk=payment.pk).state == PaymentState.HELD  # the hold stands


def test_a_revoked_grant_pays_nothing_more(running: Grant, pool_admin: Any, reviewer: Any) -> None:
    paid = running.payments.filter(kind=PaymentKind.INSTALMENT).order_by("due_on").first()
    services.pay(paid.pk, pool_admin, TODAY)
    services.revoke(running.pk, reviewer, "Projektet er opgivet.")
    assert list(running.payments.in_plan().values_list("pk", flat=True)) == [paid.pk]
    assert running.application.pool.granted_total == Decimal(0)
    # The rest is cancelled, not deleted: kept with the revocation's reason, for the audit trail.
    cancelled = running.payments.exclude(pk=paid.pk)
    assert cancelled.count() == 8 and {p.state for p in cancelled} == {PaymentState.CANCELLED}
    assert {p.transitions.latest("at", "id").reason for p in cancelled} == {"Projektet er opgivet."}
    assert services.paid_total(running) == paid.amount
