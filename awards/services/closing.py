"""The end of a grant, as the pages and the API call it: the final report (`final_report`),
the final accounts and their settlement (`accounts`), and here the repayment received and the
closing against its checklist. Each runs in one transaction through the kernel's runner (lock,
permission, state, log); the names of the other two modules are given here too."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Grant
from core import lifecycle
from core.errors import DomainError
from core.money import quantize
from core.outbox import send_later
from documents.services import request_document
from monitoring.models import QuarterlyReport

from ..models import (
    AccountsState,
    Award,
    FinalAccounts,
    FinalReport,
    FinalReportState,
    Payment,
    PaymentState,
    Repayment,
    RepaymentState,
)
from . import payments
from .accounts import (
    ACCOUNTS_LETTER,
    REPAYMENT_LETTER,
    Settlement,
    Variance,
    accounts_problems,
    approve_final_accounts,
    audit_problem,
    budget_by_line,
    explanation_missing,
    final_accounts_of,
    return_final_accounts,
    save_final_accounts,
    settlement,
    spent_total,
    submit_final_accounts,
    variances,
)
from .end import due_on, writable
from .final_report import (
    accept_final_report,
    final_report_of,
    report_problems,
    reported_results,
    return_final_report,
    save_final_report,
    submit_final_report,
)
from .terms import terms_of

CLOSING_LETTER = "closing_letter"

__all__ = [
    "ACCOUNTS_LETTER",
    "CLOSING_LETTER",
    "REPAYMENT_LETTER",
    "CheckItem",
    "Settlement",
    "Variance",
    "accept_final_report",
    "accounts_problems",
    "approve_final_accounts",
    "audit_problem",
    "budget_by_line",
    "checklist",
    "close",
    "due_on",
    "explanation_missing",
    "final_accounts_of",
    "final_report_of",
    "pay_repayment",
    "report_problems",
    "reported_results",
    "return_final_accounts",
    "return_final_report",
    "returned_to_pool",
    "save_final_accounts",
    "save_final_report",
    "settlement",
    "spent_total",
    "submit_final_accounts",
    "submit_final_report",
    "terms_of",
    "variances",
    "writable",
]


def pay_repayment(grant_id: int, user: Any, paid_on: Any, today: datetime.date | None = None) -> Repayment:
    """The pool admin records the repayment as received, on the day it was."""
    today = today or timezone.localdate()

    def prepare(repayment: Repayment) -> None:
        if not isinstance(paid_on, datetime.date):
            raise DomainError.invalid({"paid_on": [_("Give the day the repayment was received.")]})
        if paid_on > today:
            raise DomainError.invalid({"paid_on": [_("The day it was received cannot be in the future.")]})
        repayment.paid_on = paid_on

    repayment = Repayment.objects.filter(grant_id=grant_id).first()
    if repayment is None:
        raise DomainError.conflict(_("Nothing is owed back on this grant."))
    return lifecycle.run(Repayment.objects.all(), repayment.pk, user, "pay", prepare=prepare)


# The closing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckItem:
    """One item of the closing checklist: what it asks (`label`) and, while open, what is missing."""

    code: str
    label: str
    done: bool
    missing: str


def checklist(grant: Grant) -> list[CheckItem]:
    """What must be in place before SIRI closes the grant."""
    report = FinalReport.objects.filter(grant=grant).first()
    accounts = FinalAccounts.objects.filter(grant=grant).first()
    repayment = Repayment.objects.filter(grant=grant).first()
    handed_in = set(QuarterlyReport.objects.filter(grant=grant).handed_in().values_list("year", "quarter"))
    owed = [m for m in grant.milestones.order_by("year", "quarter") if (m.year, m.quarter) not in handed_in]
    unpaid = Payment.objects.filter(grant=grant, state__in=[PaymentState.PLANNED, PaymentState.HELD]).exists()
    documents = accounts is not None and bool(accounts.auditor_statement) and bool(accounts.statement_by_name)
    return [
        CheckItem(
            "final_report",
            _("The final report is accepted"),
            report is not None and report.state == FinalReportState.ACCEPTED,
            _("the final report is not accepted"),
        ),
        CheckItem(
            "final_accounts",
            _("The final accounts are approved"),
            accounts is not None and accounts.state == AccountsState.APPROVED,
            _("the final accounts are not approved"),
        ),
        CheckItem(
            "repayment",
            _("The repayment is settled"),
            repayment is None or repayment.state == RepaymentState.PAID,
            _("the repayment has not been received"),
        ),
        CheckItem(
            "payments",
            _("The last payment is made"),
            not unpaid,
            _("a payment to the municipality is still to be made"),
        ),
        CheckItem(
            "reports",
            _("Every quarterly report is handed in"),
            not owed,
            _("reports are missing for %(quarters)s") % {"quarters": ", ".join(str(m.period) for m in owed)},
        ),
        CheckItem(
            "documents",
            _("The management statement and the auditor's statement are present"),
            documents,
            _("the management statement or the auditor's statement is missing"),
        ),
    ]


def close(grant_id: int, user: Any, reason: str = "") -> Award:
    """SIRI closes the grant when its checklist is complete (409 naming every open item); the
    closing letter is made, and the grant is read-only from then on (its follow-ups still come)."""

    def prepare(award: Award) -> None:
        missing = [item.missing for item in checklist(award) if not item.done]
        if missing:
            raise DomainError.conflict(_("The grant cannot be closed yet: %(items)s.") % {"items": "; ".join(missing)})

    with transaction.atomic():
        award = lifecycle.run(
            Award.objects.select_related("application__pool"), grant_id, user, "close", reason=reason, prepare=prepare
        )
        request_document(user, CLOSING_LETTER, award, check=False)
        send_later("awards.tasks.notify_award_decided", award.transitions.latest("at", "id").pk)
        return award


def returned_to_pool(grant: Grant) -> Decimal:
    """What a closed grant gives back to its pool: the grant less what it kept (paid less repaid)."""
    repaid = Repayment.objects.filter(grant=grant, state=RepaymentState.PAID).values_list("amount", flat=True).first()
    return quantize(grant.amount - payments.paid_total(grant) + (repaid or 0))
