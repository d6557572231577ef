"""Payments (udbetalinger): a grant is paid quarterly in advance, to the municipality's CVR,
with a last share retained until the final accounts are approved."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from applications.models import Grant
from core.constraints import Check
from core.errors import DomainError
from core.lifecycle import Lifecycle, allowed
from core.log import TransitionLogBase
from core.money import MONEY_FIELD
from core.validators import validate_no_cpr
from core.visibility import VisibleQuerySet

from .choices import PaymentKind, PaymentState


class PaymentQuerySet(VisibleQuerySet):
    def in_plan(self) -> PaymentQuerySet:
        """The payments still part of the plan: paid, or to be paid (not cancelled)."""
        return self.exclude(state=PaymentState.CANCELLED)

    def _visible_to_person(self, user: Any) -> PaymentQuerySet:
        """The `awards.view_payment` rule: the payments of the grants the person may see."""
        return self.filter(grant__in=Grant.objects.visible_to(user))


class Payment(Lifecycle, models.Model):
    """One payment of a grant's plan: a quarter's instalment, or the retained last share."""

    not_from_state = _("The payment cannot be %(action)s while it is %(state)s.")
    action_labels = {
        "pay": _("paid"),
        "hold": _("held"),
        "release": _("released"),
        "cancel": _("cancelled"),
        "release_retention": _("released"),
    }

    # PROTECT: a payment is money of the audit trail; a grant with payments is never deleted.
    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(_("kind"), max_length=20, choices=PaymentKind.choices, default=PaymentKind.INSTALMENT)
    # The quarter an instalment pays for in advance; none for the retained share.
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)
    due_on = models.DateField(_("due on"))
    amount = models.DecimalField(_("amount (DKK)"), **MONEY_FIELD)
    state = FSMField(_("state"), choices=PaymentState.choices, default=PaymentState.PLANNED, protected=False)
    held_reason = models.TextField(_("held because"), blank=True, validators=[validate_no_cpr])
    cvr = models.CharField(_("paid to CVR"), max_length=8, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        # By the parent's id: by the parent itself, Django joined it to sort by its ordering (issue 16).
        ordering = ["grant_id", "due_on", "kind", "id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            Check(
                condition=Q(amount__gt=0),
                name="payment_amount_gt_0",
                field="amount",
                message=_("The amount must be more than 0 kr."),
            ),
            Check(
                condition=Q(state__in=PaymentState.values),
                name="payment_state_valid",
                field="state",
                message=_("Choose one of the values offered."),
            ),
            Check(
                condition=Q(kind__in=PaymentKind.values),
                name="payment_kind_valid",
                field="kind",
                message=_("Choose one of the values offered."),
            ),
            Check(
                condition=Q(state=PaymentState.PAID, paid_on__isnull=False)
                | (~Q(state=PaymentState.PAID) & Q(paid_on__isnull=True)),
                name="payment_paid_on_iff_paid",
                field="paid_on",
                message=_("A paid instalment has the day it was paid, and only a paid one has."),
            ),
            Check(
                condition=~Q(state=PaymentState.RETAINED) | Q(kind=PaymentKind.RETENTION),
                name="payment_retained_is_retention",
                field="state",
                message=_("Only the retained share is held back until the final accounts."),
            ),
            # One of each in the plan; cancelled ones stay beside it, for the audit trail.
            models.UniqueConstraint(
                fields=["grant", "year", "quarter"],
                condition=Q(kind=PaymentKind.INSTALMENT) & ~Q(state=PaymentState.CANCELLED),
                name="payment_one_instalment_per_quarter",
            ),
            models.UniqueConstraint(
                fields=["grant"],
                condition=Q(kind=PaymentKind.RETENTION) & ~Q(state=PaymentState.CANCELLED),
                name="payment_one_retention",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "due_on"], name="payment_state_due_idx"),
            # What each grant has been paid, summed for every grant of a pool on its dashboard and in
            # the grants' list: read from the index alone, not from every payment's row (issue 16).
            # The amount as a key column, not INCLUDE: SQLite has no non-key columns (a warning on
            # every command of the embedded default), and PostgreSQL reads it from the index alike.
            models.Index(fields=["grant", "amount"], condition=Q(state=PaymentState.PAID), name="payment_paid_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.grant_id}: {self.due_on} {self.amount} ({self.state})"

    def conflict(self, action: str) -> DomainError:
        """A held payment says why it is held: that is what the pool admin needs to know."""
        if action == "pay" and self.state == PaymentState.HELD:
            return DomainError.conflict(
                _("The payment is held and cannot be paid: %(reason)s") % {"reason": self.held_reason}
            )
        if action == "pay" and self.state == PaymentState.RETAINED:
            return DomainError.conflict(_("The payment is retained until SIRI approves the final accounts."))
        return super().conflict(action)

    @transition(
        field=state, source=PaymentState.PLANNED, target=PaymentState.PAID, permission=allowed("awards.pay_payment")
    )
    def pay(self) -> None:
        pass

    # Held and released by the rule on late reports (services.payments.refresh_holds): no one's click.
    @transition(field=state, source=PaymentState.PLANNED, target=PaymentState.HELD)
    def hold(self) -> None:
        pass

    @transition(field=state, source=PaymentState.HELD, target=PaymentState.PLANNED)
    def release(self) -> None:
        pass

    # Approved final accounts release the retained share, as much of it as the spending justifies
    # (services.closing): the pool admin then pays it. The service's call.
    @transition(field=state, source=PaymentState.RETAINED, target=PaymentState.PLANNED)
    def release_retention(self) -> None:
        pass

    # A payment never made is cancelled, not deleted: by the revocation of its grant, or when an
    # approved change spreads the plan again (services.payments.replan). The service's call.
    @transition(
        field=state,
        source=[PaymentState.PLANNED, PaymentState.HELD, PaymentState.RETAINED],
        target=PaymentState.CANCELLED,
    )
    def cancel(self) -> None:
        pass


class PaymentLog(TransitionLogBase):
    """Who moved a payment from which state to which, when and why. Never edited."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="transitions")
    subject_field = "payment"

    class Meta(TransitionLogBase.Meta):
        verbose_name = _("payment log entry")
        verbose_name_plural = _("payment log")
        indexes = [models.Index(fields=["payment", "at"], name="payment_log_payment_at_idx")]
