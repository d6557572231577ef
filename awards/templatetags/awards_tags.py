"""Badges of the grant administration, keyed on the codes (never on translated labels)."""

from __future__ import annotations

from django import template

from applications.models import GrantState

from ..models import AccountsState, ChangeState, FinalReportState, PaymentState, RepaymentState

register = template.Library()

_BADGES = {
    **{
        GrantState.AWAITING_ACCEPTANCE: "warning",
        GrantState.ACTIVE: "success",
        GrantState.ACCOUNTS_SUBMITTED: "info",
        GrantState.CLOSED: "",
        GrantState.LAPSED: "error",
        GrantState.REVOKED: "error",
    },
    **{
        PaymentState.PLANNED: "info",
        PaymentState.HELD: "error",
        PaymentState.PAID: "success",
        PaymentState.RETAINED: "warning",
    },
    **{
        ChangeState.SUBMITTED: "info",
        ChangeState.APPROVED: "success",
        ChangeState.REFUSED: "error",
        ChangeState.WITHDRAWN: "",
    },
    # The end's: a report or accounts awaiting SIRI ("submitted") and approved ones share the above.
    FinalReportState.ACCEPTED: "success",
    FinalReportState.RETURNED: "warning",
    AccountsState.DRAFT: "",
    RepaymentState.OPEN: "warning",
}


@register.filter
def awards_badge(code: str) -> str:
    """The dkfds badge of a grant's, a payment's or a change request's state."""
    colour = _BADGES.get(code, "")
    return f"badge badge-{colour}" if colour else "badge"
