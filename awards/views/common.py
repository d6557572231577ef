"""What the grant administration's pages share: finding a grant, a payment or a change request the
user may see (another municipality's is a 404, one the user may not act on a 403)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from core.views import get_visible

from ..models import Award, ChangeRequest, Payment

ACCEPT = "awards.accept_award"
REVOKE = "awards.revoke_award"
PAY = "awards.pay_payment"
ASK = "awards.add_changerequest"
DECIDE = "awards.decide_changerequest"
WITHDRAW = "awards.withdraw_changerequest"
OVERVIEW = "awards.view_payment_overview"
QUEUE = "awards.view_change_queue"

LETTERS = [
    "receipt",
    "application_pdf",
    "grant_letter",
    "lapse_letter",
    "revocation_letter",
    "change_decision_letter",
    "repayment_letter",
    "accounts_approval_letter",
    "closing_letter",
    "committee_briefing",
]


def get_award(request: HttpRequest, pk: int, permission: str | None = None) -> Award:
    awards = Award.objects.select_related("application__pool", "application__lead_municipality", "terms")
    return get_visible(request, awards, pk, permission)


def get_payment(request: HttpRequest, pk: int, permission: str | None = None) -> Payment:
    payments = Payment.objects.select_related("grant__application__lead_municipality", "grant__application__pool")
    return get_visible(request, payments, pk, permission)


def get_change(request: HttpRequest, pk: int, permission: str | None = None) -> ChangeRequest:
    changes = ChangeRequest.objects.select_related(
        "grant__application__lead_municipality", "grant__application__pool", "submitted_by", "decided_by"
    )
    return get_visible(request, changes, pk, permission)


def project_context(award: Any) -> dict[str, Any]:
    """What the pages under a project share: its breadcrumbs (monitoring's) and the facts line."""
    return {
        "grant": award,
        "application": award.application,
        "breadcrumbs": "monitoring/_breadcrumbs.html",
        "facts": "awards/_facts.html",
    }
