"""An ended grant for the closing's tests: Slagelse's project whose period ended last quarter,
every quarterly report handed in and every instalment paid, so only the end remains; and the
steps of the end, through the services as the municipality's and SIRI's clicks would."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applications.models import Grant
from awards import services
from awards.models import FinalAccounts, Payment, PaymentState
from awards.services import closing
from monitoring.quarters import Quarter

from ..monitoring.conftest import make_grant
from ..pdf_samples import reportlab_pdf
from .conftest import hand_in


def ended_period() -> tuple[datetime.date, datetime.date]:
    """Four quarters, the last of them the quarter before this one."""
    last = Quarter.of(timezone.localdate()).previous()
    first = last.previous().previous().previous()
    return first.start, last.end


def ended_grant(applicant: Any, reviewer: Any, pool_admin: Any, amount: str = "400000", code: str = "330") -> Grant:
    grant = make_grant(applicant, reviewer, *ended_period(), code=code, amount=amount)
    milestones = list(grant.milestones.order_by("year", "quarter"))
    for number, milestone in enumerate(milestones, start=1):
        spent = (grant.amount * Decimal("0.9") * number / len(milestones)).quantize(Decimal("0.01"))
        hand_in(grant, Quarter(milestone.year, milestone.quarter), applicant, spent)
    services.refresh_holds(grant.pk)
    for payment in Payment.objects.filter(grant=grant, state=PaymentState.PLANNED):
        services.pay(payment.pk, pool_admin, timezone.localdate())
    grant.refresh_from_db()
    return grant


def statement() -> SimpleUploadedFile:
    return SimpleUploadedFile("revisorerklaering.pdf", reportlab_pdf(1), content_type="application/pdf")


def budget_lines(grant: Grant) -> dict[tuple[int, str], Decimal]:
    return closing.budget_by_line(grant)


def accounts_data(grant: Grant, spent_share: Decimal = Decimal("0.9"), **fields: Any) -> dict[str, Any]:
    """Accounts spending `spent_share` of every budget line, each line explained."""
    lines = [
        {
            "year": year,
            "category": category,
            "spent": str((amount * spent_share).quantize(Decimal("0.01"))),
            "explanation": "Færre deltagere end ventet.",
        }
        for (year, category), amount in budget_lines(grant).items()
    ]
    return {
        "lines": lines,
        "statement_by_name": "Helle Larsen",
        "statement_by_title": "Direktør",
        "auditor_name": "Revisionsfirmaet Jensen",
        "auditor_kind": "registered",
        "performance_audit": False,
        "auditor_statement": statement(),
        **fields,
    }


def submitted_accounts(grant: Grant, user: Any, **kwargs: Any) -> FinalAccounts:
    accounts = closing.save_final_accounts(grant.pk, user, accounts_data(grant, **kwargs))
    return closing.submit_final_accounts(accounts.pk, user)


def report_data(grant: Grant) -> dict[str, Any]:
    return {
        "results": [
            {"goal": goal.pk, "value": "12", "comment": "Som rapporteret."} for goal in grant.application.goals.all()
        ],
        "what_worked": "Virksomhedspraktik med mentor.",
        "what_did_not": "Holdstart i juli.",
        "anchoring": "Jobcentret viderefører mentorordningen i drift.",
        "lessons": "Start med virksomhederne, ikke med kurset.",
    }
