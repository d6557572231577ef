"""Template helpers: Danish amounts, the state badge and an application's answers, goals and
budget (the read view and "Tjek dine svar")."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import render_value_in_context
from django.template.defaultfilters import floatformat
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import normalize_newlines

from core.html import escape
from core.money import format_dkk

from ..models import BudgetLine, State

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


# The goals' and the budget's rows, written here rather than by a template loop: the budget's 15
# rows resolved and filtered 60 values, 0,9 ms of the application page (issue 16). Each value is
# shown as the template showed it (`render_value_in_context`: localized, escaped), the same markup.


@register.simple_tag(takes_context=True)
def goal_rows(context: template.Context, goals: Any) -> SafeString:
    def show(value: Any) -> str:
        return render_value_in_context(value, context)

    parts = []
    for goal in goals:
        percent = " %" if goal.kind == "percentage" and goal.unit != "%" else ""
        group = goal.target_group.name if goal.target_group else ""
        parts.append(
            f"<tr><td>{show(goal.title)}</td><td>{show(goal.get_kind_display())}</td>"
            f'<td class="number">{show(floatformat(goal.target_value, "-2"))}{percent} {show(goal.unit)}</td>'
            f'<td class="number">{show(floatformat(goal.baseline, "-2") or "–")}</td>'
            f"<td>{show(group or '–')}</td><td>{show(goal.measure_text)}</td></tr>"
        )
    # Every value above is shown through render_value_in_context, which escapes it.
    return mark_safe("".join(parts))  # noqa: S308


@register.simple_tag(takes_context=True)
def budget_rows(context: template.Context, lines: Any) -> SafeString:
    def show(value: Any) -> str:
        return render_value_in_context(value, context)

    # The categories' labels once, in the page's language, as get_category_display gives each
    # (18 µs a call: it builds a dict of the choices every time).
    labels = {value: str(label) for value, label in BudgetLine._meta.get_field("category").flatchoices}
    parts = []
    for line in lines:
        parts.append(
            f"<tr><td>{show(line.year)}</td><td>{show(labels.get(line.category, line.category))}</td>"
            f'<td class="number">{show(format_dkk(line.amount))}</td>'
            f'<td class="number">{show(floatformat(line.fte, "-2"))}</td></tr>'
        )
    # Every value above is shown through render_value_in_context, which escapes it.
    return mark_safe("".join(parts))  # noqa: S308
