"""The payment plan of a grant, the rule that holds payments while a report is late, and the
pool admin's record that a payment was paid."""

from __future__ import annotations

import datetime
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.models import REPORTING_STATES, Grant
from core import lifecycle
from core.errors import DomainError
from core.money import quantize
from core.outbox import send_later
from monitoring.models import Milestone, QuarterlyReport
from monitoring.quarters import Quarter, quarters_between

from ..models import Payment, PaymentKind, PaymentLog, PaymentState
from .terms import terms_of

ONE_KRONE = Decimal(1)
NOTIFY_TASK = "awards.tasks.notify_payments"


def _split(total: Decimal, count: int) -> list[Decimal]:
    """`total` in `count` shares of whole kroner, what is left over (and any øre) on the last."""
    if count <= 0:
        return []
    share = (total / count).quantize(ONE_KRONE, rounding=ROUND_DOWN)
    return [share] * (count - 1) + [quantize(total - share * (count - 1))]


def recipient_cvr(grant: Grant) -> str:
    """The CVR number the grant is paid to: the application's, else the municipality's."""
    application = grant.application
    return application.cvr or application.lead_municipality.cvr or ""


def retention_of(grant: Grant) -> Decimal:
    return quantize(grant.amount * terms_of(grant).retention_percent / Decimal(100))


def planned_schedule(grant: Grant, first_day: datetime.date) -> list[tuple[Quarter | None, datetime.date, Decimal]]:
    """The plan as it would be made if the grant were accepted on `first_day` (the grant letter
    states it before it exists): (quarter, due on, amount) of each quarterly instalment, in
    advance on the quarter's first day (a quarter begun is due at once), and last the retained
    share (quarter None), due when the final accounts are approved."""
    retention = retention_of(grant)
    quarters = quarters_between(grant.start_date, grant.end_date)
    plan: list[tuple[Quarter | None, datetime.date, Decimal]] = [
        (quarter, max(quarter.start, first_day), amount)
        for quarter, amount in zip(quarters, _split(grant.amount - retention, len(quarters)), strict=True)
        if amount > 0
    ]
    if retention > 0:
        plan.append((None, grant.end_date, retention))
    return plan


def make_plan(grant: Grant, accepted_on: datetime.date) -> list[Payment]:
    """The payment plan, made when the grant is accepted."""
    cvr = recipient_cvr(grant)
    payments = [
        Payment(
            grant=grant,
            kind=PaymentKind.INSTALMENT if quarter else PaymentKind.RETENTION,
            year=quarter.year if quarter else None,
            quarter=quarter.quarter if quarter else None,
            due_on=due_on,
            amount=amount,
            state=PaymentState.PLANNED if quarter else PaymentState.RETAINED,
            cvr=cvr,
        )
        for quarter, due_on, amount in planned_schedule(grant, accepted_on)
    ]
    return Payment.objects.bulk_create(payments)


def cancel(payment: Payment, user: Any, reason: str) -> PaymentLog:
    """A payment that will not be made is cancelled, logged with why, never deleted: what was
    planned, held or retained stays in the audit trail. Call with the payment row locked."""
    lifecycle.apply(payment, "cancel", user, reason)
    return payment.transitions.latest("at", "id")


def replan(grant: Grant, today: datetime.date, user: Any = None, reason: str = "") -> None:
    """Spread what is left to pay over the unpaid instalments after the amount or the period
    changed (an approved change request); a new quarter gets an instalment. Paid payments are
    never touched; one no longer needed is cancelled (with `reason`, by `user`), not deleted.
    Call with the grant row locked."""
    payments = list(grant.payments.select_for_update().in_plan().order_by("year", "quarter", "id"))
    paid = sum((p.amount for p in payments if p.state == PaymentState.PAID), Decimal(0))
    retention_payment = next((p for p in payments if p.kind == PaymentKind.RETENTION), None)
    retention = min(retention_of(grant), max(grant.amount - paid, Decimal(0)))
    if retention_payment is not None and retention_payment.state == PaymentState.PAID:
        retention = Decimal(0)  # released and paid already: nothing more to retain
    instalments = {(p.year, p.quarter): p for p in payments if p.kind == PaymentKind.INSTALMENT}
    cvr = recipient_cvr(grant)
    open_ones: list[Payment] = []
    for quarter in quarters_between(grant.start_date, grant.end_date):
        existing = instalments.get((quarter.year, quarter.quarter))
        if existing is None:
            existing = Payment(
                grant=grant,
                year=quarter.year,
                quarter=quarter.quarter,
                due_on=max(quarter.start, today),
                amount=ONE_KRONE,
                cvr=cvr,
            )
        if existing.state != PaymentState.PAID:
            open_ones.append(existing)
    left = max(grant.amount - paid - retention, Decimal(0))
    if not open_ones:
        retention += left  # every quarter paid: what is left is paid with the retained share
        left = Decimal(0)
    for payment, amount in zip(open_ones, _split(left, len(open_ones)), strict=True):
        if amount <= 0:
            if payment.pk:
                cancel(payment, user, reason)
            continue
        payment.amount = amount
        payment.save()
    if retention_payment is not None and retention_payment.state != PaymentState.PAID:
        if retention > 0:
            retention_payment.amount = retention
            retention_payment.due_on = grant.end_date
            retention_payment.save(update_fields=["amount", "due_on"])
        else:
            cancel(retention_payment, user, reason)
    elif retention_payment is None and retention > 0:
        Payment.objects.create(
            grant=grant,
            kind=PaymentKind.RETENTION,
            due_on=grant.end_date,
            amount=retention,
            state=PaymentState.RETAINED,
            cvr=cvr,
        )


def paid_total(grant: Grant) -> Decimal:
    paid = getattr(grant, "paid_sum", None)
    if paid is None:
        paid = grant.payments.filter(state=PaymentState.PAID).aggregate(total=Sum("amount"))["total"]
    return quantize(paid)


# Holding payments while a report is late ---------------------------------------------------------


def overdue_milestone(grant: Grant, today: datetime.date) -> Milestone | None:
    """The oldest quarter whose report is more than the pool's grace days late (not handed in)."""
    grace = datetime.timedelta(days=grant.application.pool.payment_grace_days)
    handed_in = set(QuarterlyReport.objects.filter(grant=grant).handed_in().values_list("year", "quarter"))
    for milestone in Milestone.objects.filter(grant=grant, report_due_on__lt=today - grace).order_by("year", "quarter"):
        if (milestone.year, milestone.quarter) not in handed_in:
            return milestone
    return None


def held_reason(milestone: Milestone) -> str:
    """Why payments are held, in the site's language: it is stored and read by both sides."""
    with translation.override(settings.LANGUAGE_CODE):
        return _(
            "The quarterly report for %(quarter)s was due on %(due)s and has not been handed in. "
            "Payments are held until it is."
        ) % {"quarter": milestone.period, "due": f"{milestone.report_due_on:%d.%m.%Y}"}


def refresh_holds(grant_id: int, today: datetime.date | None = None) -> list[PaymentLog]:
    """Hold the grant's unpaid instalments while a report is more than the grace days late (none is
    paid, early or late, until it is handed in), and release them once none is; the log rows of
    what changed. Idempotent: run by the
    daily job, after a report is handed in and before a payment is recorded as paid. The notice
    of what changed is handed to the outbox."""
    today = today or timezone.localdate()
    entries: list[PaymentLog] = []
    with transaction.atomic():
        grant = Grant.objects.select_for_update(of=("self",)).select_related("application__pool").get(pk=grant_id)
        if grant.state not in REPORTING_STATES:
            return entries
        overdue = overdue_milestone(grant, today)
        if overdue is not None:
            reason = held_reason(overdue)
            unpaid = grant.payments.select_for_update().filter(state=PaymentState.PLANNED, kind=PaymentKind.INSTALMENT)
            for payment in unpaid:
                payment.held_reason = reason
                lifecycle.apply(payment, "hold", None, reason)
                entries.append(payment.transitions.latest("at", "id"))
        else:
            with translation.override(settings.LANGUAGE_CODE):
                reason = _("Every quarterly report is handed in.")
            for payment in grant.payments.select_for_update().filter(state=PaymentState.HELD):
                payment.held_reason = ""
                lifecycle.apply(payment, "release", None, reason)
                entries.append(payment.transitions.latest("at", "id"))
        if entries:
            send_later(NOTIFY_TASK, grant.pk, [entry.pk for entry in entries])
    return entries


def grants_to_check(today: datetime.date) -> QuerySet[Grant]:
    """The grants whose holds may change: reporting ones with an instalment not yet paid."""
    unpaid = Q(payments__state__in=[PaymentState.PLANNED, PaymentState.HELD], payments__kind=PaymentKind.INSTALMENT)
    return Grant.objects.filter(state__in=REPORTING_STATES).filter(unpaid).distinct()


# Recording a payment ------------------------------------------------------------------------------

PAID_ON_MISSING = gettext_lazy("Give the date the payment was made.")


def pay(payment_id: int, user: Any, paid_on: datetime.date | None, today: datetime.date | None = None) -> Payment:
    """The pool admin records that a payment was made. The holds are brought up to date first,
    in their own transaction: a report that became late holds the payment, and that stands."""
    today = today or timezone.localdate()
    payment = Payment.objects.filter(pk=payment_id).only("grant_id").first()
    if payment is None:
        raise Payment.DoesNotExist
    refresh_holds(payment.grant_id, today)

    def prepare(payment: Payment) -> None:
        if payment.grant.state not in REPORTING_STATES:
            raise DomainError.conflict(
                _("The grant is %(state)s; nothing more is paid.") % {"state": payment.grant.get_state_display()}
            )
        if paid_on is None:
            raise DomainError.invalid({"paid_on": [PAID_ON_MISSING]})
        if paid_on > today:
            raise DomainError.invalid({"paid_on": [_("The payment date cannot be in the future.")]})
        payment.paid_on = paid_on
        payment.paid_by = user

    return lifecycle.run(Payment.objects.select_related("grant"), payment_id, user, "pay", prepare=prepare)
