"""Template helpers: Danish amounts, the state badge and an application's answers."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import normalize_newlines

from core.html import escape
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


@register.simple_tag
def answer_list(answers: list[tuple[Any, str]]) -> SafeString:
    """A section's answers as `<dl>` (views/answers.py), each answer with its line breaks and "–"
    when not given: the markup of the template loop `{{ value|default:"–"|linebreaksbr }}` it
    replaces, which resolved and filtered some 60 answers a page (issue 16)."""
    parts = ["<dl>"]
    for label, value in answers:
        shown = escape(normalize_newlines(value)).replace("\n", "<br>") if value else "–"
        parts.append(f"<dt>{escape(label)}</dt><dd>{shown}</dd>")
    parts.append("</dl>")
    # Every label and answer above is escaped; the rest is our own markup.
    return mark_safe("".join(parts))  # noqa: S308
