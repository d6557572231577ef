"""Template helpers: Danish amounts and the state badge."""

from __future__ import annotations

from typing import Any

from django import template

from core.money import format_dkk

from ..models import State

register = template.Library()

# dkfds badge colour per state code; logic keys on the code, never on the translated label.
_STATE_BADGE = {
    State.DRAFT: "badge",
    State.SUBMITTED: "badge badge-info",
    State.POLITICALLY_APPROVED: "badge badge-info",
    State.GRANTED: "badge badge-success",
    State.REJECTED: "badge badge-error",
    State.WITHDRAWN: "badge badge-warning",
}


@register.filter
def dkk(amount: Any) -> str:
    """2171981 → 2.171.981 kr."""
    return format_dkk(amount)


@register.filter
def state_badge(state: str) -> str:
    return _STATE_BADGE.get(state, "badge")


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None
