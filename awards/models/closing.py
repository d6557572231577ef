"""The end of a grant: the final report (slutrapport), the final accounts (regnskab) against the
budget in force with the audit the amount requires, the repayment of what was paid and not
spent, and the logs of each. The grant's own closing is a transition of `Award`."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.files import File
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from applications.models import BudgetCategory, Goal, Grant
from applications.validators import validate_pdf
from core.constraints import Check
from core.lifecycle import Lifecycle, allowed
from core.log import TransitionLogBase
from core.money import MONEY_FIELD
from core.validators import validate_no_cpr
from core.visibility import VisibleQuerySet

from .choices import AccountsState, AuditorKind, FinalReportState, RepaymentState

RESULT_VALUE = {"max_digits": 12, "decimal_places": 2}
TEXT = {"blank": True, "validators": [validate_no_cpr]}


class ByGrantQuerySet(VisibleQuerySet):
    def _visible_to_person(self, user: Any) -> ByGrantQuerySet:
        return self.filter(grant__in=Grant.objects.visible_to(user))


class FinalReport(Lifecycle, models.Model):
    """What the project achieved against each goal, what worked and what did not, how the effort
    lives on, and the lessons worth sharing. Written by the lead municipality, accepted by SIRI."""

    not_from_state = _("The final report cannot be %(action)s while it is %(state)s.")
    action_labels = {"submit": _("submitted"), "accept": _("accepted"), "send_back": _("returned")}

    grant = models.OneToOneField(Grant, on_delete=models.PROTECT, related_name="final_report")
    state = FSMField(_("state"), choices=FinalReportState.choices, default=FinalReportState.DRAFT, protected=False)
    what_worked = models.TextField(_("what worked"), **TEXT)
    what_did_not = models.TextField(_("what did not work"), **TEXT)
    anchoring = models.TextField(_("how the effort is anchored after the project"), **TEXT)
    lessons = models.TextField(_("lessons worth sharing"), **TEXT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("SIRI's reason"), **TEXT)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ByGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("final report")
        verbose_name_plural = _("final reports")
        constraints = [
            Check(
                condition=Q(state__in=FinalReportState.values),
                name="final_report_state_valid",
                field="state",
                message=_("Choose one of the values offered."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grant_id}: {self.get_state_display()}"

    @property
    def editable(self) -> bool:
        return self.state in (FinalReportState.DRAFT, FinalReportState.RETURNED)

    @transition(
        field=state,
        source=[FinalReportState.DRAFT, FinalReportState.RETURNED],
        target=FinalReportState.SUBMITTED,
        permission=allowed("awards.change_finalreport"),
    )
    def submit(self) -> None:
        pass

    @transition(
        field=state,
        source=FinalReportState.SUBMITTED,
        target=FinalReportState.ACCEPTED,
        permission=allowed("awards.decide_finalreport"),
    )
    def accept(self) -> None:
        pass

    @transition(
        field=state,
        source=FinalReportState.SUBMITTED,
        target=FinalReportState.RETURNED,
        permission=allowed("awards.decide_finalreport"),
    )
    def send_back(self) -> None:
        pass


class FinalResult(models.Model):
    """The result of one goal at the end, as the municipality states it (the reports' figure
    offered), with its comment."""

    report = models.ForeignKey(FinalReport, on_delete=models.CASCADE, related_name="results")
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("result"), **RESULT_VALUE, validators=[MinValueValidator(0)])
    comment = models.TextField(_("comment"), **TEXT)

    class Meta:
        ordering = ["goal_id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "goal"], name="final_result_one_per_goal"),
            Check(
                condition=Q(value__gte=0),
                name="final_result_value_gte_0",
                field="value",
                message=_("A result is 0 or more."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.goal_id}: {self.value}"


def _statement_path(instance: FinalAccounts, filename: str) -> str:
    # A random name: files are served only through the permission-checked download view.
    return f"accounts/{instance.grant_id}/{uuid.uuid4().hex}.pdf"


class FinalAccounts(Lifecycle, models.Model):
    """The spending per year and category against the budget in force, the management statement
    and the auditor's. Submitted by the lead municipality; approved or returned by SIRI. On
    approval the settlement is fixed here: what SIRI approves as spent and what is owed back."""

    not_from_state = _("The final accounts cannot be %(action)s while they are %(state)s.")
    action_labels = {"submit": _("submitted"), "approve": _("approved"), "send_back": _("returned")}

    grant = models.OneToOneField(Grant, on_delete=models.PROTECT, related_name="final_accounts")
    state = FSMField(_("state"), choices=AccountsState.choices, default=AccountsState.DRAFT, protected=False)
    statement_by_name = models.CharField(_("management statement signed by"), max_length=200, **TEXT)
    statement_by_title = models.CharField(_("title"), max_length=200, **TEXT)
    auditor_name = models.CharField(_("auditor"), max_length=200, **TEXT)
    auditor_kind = models.CharField(_("the auditor is"), max_length=20, choices=AuditorKind.choices, blank=True)
    performance_audit = models.BooleanField(_("a performance audit was made"), default=False)
    auditor_statement = models.FileField(
        _("the auditor's statement (PDF)"), upload_to=_statement_path, blank=True, validators=[validate_pdf]
    )
    auditor_statement_name = models.CharField(max_length=255, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("SIRI's reason"), **TEXT)
    approved_spending = models.DecimalField(_("spending approved"), **MONEY_FIELD, null=True, blank=True)
    repayment_amount = models.DecimalField(_("to be repaid"), **MONEY_FIELD, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ByGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("final accounts")
        verbose_name_plural = _("final accounts")
        constraints = [
            Check(
                condition=Q(state__in=AccountsState.values),
                name="accounts_state_valid",
                field="state",
                message=_("Choose one of the values offered."),
            ),
            Check(
                condition=Q(auditor_kind="") | Q(auditor_kind__in=AuditorKind.values),
                name="accounts_auditor_kind_valid",
                field="auditor_kind",
                message=_("Choose one of the values offered."),
            ),
            Check(
                condition=Q(approved_spending__isnull=True) | Q(approved_spending__gte=0),
                name="accounts_approved_spending_gte_0",
                field="approved_spending",
                message=_("The amount must be 0 kr. or more."),
            ),
            Check(
                condition=Q(repayment_amount__isnull=True) | Q(repayment_amount__gte=0),
                name="accounts_repayment_gte_0",
                field="repayment_amount",
                message=_("The amount must be 0 kr. or more."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grant_id}: {self.get_state_display()}"

    @property
    def editable(self) -> bool:
        return self.state in (AccountsState.DRAFT, AccountsState.RETURNED)

    def open_statement(self) -> tuple[File, str] | None:
        """The auditor's statement opened for reading, with the name it was attached under; None
        while none is attached or its file is gone (the page and the API answer 404)."""
        if not self.auditor_statement:
            return None
        try:
            handle = self.auditor_statement.open("rb")
        except FileNotFoundError:
            return None
        return handle, self.auditor_statement_name or "revisorerklaering.pdf"

    @transition(
        field=state,
        source=[AccountsState.DRAFT, AccountsState.RETURNED],
        target=AccountsState.SUBMITTED,
        permission=allowed("awards.change_finalaccounts"),
    )
    def submit(self) -> None:
        pass

    @transition(
        field=state,
        source=AccountsState.SUBMITTED,
        target=AccountsState.APPROVED,
        permission=allowed("awards.decide_finalaccounts"),
    )
    def approve(self) -> None:
        pass

    @transition(
        field=state,
        source=AccountsState.SUBMITTED,
        target=AccountsState.RETURNED,
        permission=allowed("awards.decide_finalaccounts"),
    )
    def send_back(self) -> None:
        pass


class AccountLine(models.Model):
    """What was spent in one year and category (the budget lines' keys)."""

    accounts = models.ForeignKey(FinalAccounts, on_delete=models.CASCADE, related_name="lines")
    year = models.PositiveSmallIntegerField(_("year"))
    category = models.CharField(_("category"), max_length=20, choices=BudgetCategory.choices)
    spent = models.DecimalField(_("spent (DKK)"), **MONEY_FIELD, validators=[MinValueValidator(0)])
    explanation = models.TextField(_("explanation of the variance"), **TEXT)

    class Meta:
        ordering = ["year", "category"]
        constraints = [
            models.UniqueConstraint(fields=["accounts", "year", "category"], name="account_line_one_per_key"),
            Check(
                condition=Q(spent__gte=0),
                name="account_line_spent_gte_0",
                field="spent",
                message=_("The amount must be 0 kr. or more."),
            ),
            Check(
                condition=Q(category__in=BudgetCategory.values),
                name="account_line_category_valid",
                field="category",
                message=_("Choose one of the values offered."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.category}: {self.spent}"


class Repayment(Lifecycle, models.Model):
    """What the municipality owes back after the approved accounts (paid minus approved spending,
    when it is at least the pool's smallest amount claimed), with its due date."""

    not_from_state = _("The repayment cannot be %(action)s while it is %(state)s.")
    action_labels = {"pay": _("recorded as paid")}

    grant = models.OneToOneField(Grant, on_delete=models.PROTECT, related_name="repayment")
    amount = models.DecimalField(_("amount (DKK)"), **MONEY_FIELD)
    due_on = models.DateField(_("due on"))
    state = FSMField(_("state"), choices=RepaymentState.choices, default=RepaymentState.OPEN, protected=False)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ByGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("repayment")
        verbose_name_plural = _("repayments")
        constraints = [
            Check(
                condition=Q(amount__gt=0),
                name="repayment_amount_gt_0",
                field="amount",
                message=_("The amount must be more than 0 kr."),
            ),
            Check(
                condition=Q(state__in=RepaymentState.values),
                name="repayment_state_valid",
                field="state",
                message=_("Choose one of the values offered."),
            ),
            Check(
                condition=Q(state=RepaymentState.PAID, paid_on__isnull=False)
                | (~Q(state=RepaymentState.PAID) & Q(paid_on__isnull=True)),
                name="repayment_paid_on_iff_paid",
                field="paid_on",
                message=_("A paid repayment has the day it was paid, and only a paid one has."),
            ),
        ]
        indexes = [models.Index(fields=["state", "due_on"], name="repayment_state_due_idx")]

    def __str__(self) -> str:
        return f"{self.grant_id}: {self.amount} ({self.state})"

    @transition(
        field=state, source=RepaymentState.OPEN, target=RepaymentState.PAID, permission=allowed("awards.pay_repayment")
    )
    def pay(self) -> None:
        pass


class FinalReportLog(TransitionLogBase):
    report = models.ForeignKey(FinalReport, on_delete=models.PROTECT, related_name="transitions")
    subject_field = "report"

    class Meta(TransitionLogBase.Meta):
        verbose_name = _("final report log entry")
        verbose_name_plural = _("final report log")


class FinalAccountsLog(TransitionLogBase):
    accounts = models.ForeignKey(FinalAccounts, on_delete=models.PROTECT, related_name="transitions")
    subject_field = "accounts"

    class Meta(TransitionLogBase.Meta):
        verbose_name = _("final accounts log entry")
        verbose_name_plural = _("final accounts log")


class RepaymentLog(TransitionLogBase):
    repayment = models.ForeignKey(Repayment, on_delete=models.PROTECT, related_name="transitions")
    subject_field = "repayment"

    class Meta(TransitionLogBase.Meta):
        verbose_name = _("repayment log entry")
        verbose_name_plural = _("repayment log")


__all__ = [
    "AccountLine",
    "FinalAccounts",
    "FinalAccountsLog",
    "FinalReport",
    "FinalReportLog",
    "FinalResult",
    "Repayment",
    "RepaymentLog",
]
