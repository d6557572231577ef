"""What the form widgets' templates (templates/django/forms/widgets/) write in Python."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from core.form_html import field_group as _field_group
from core.html import escape

register = template.Library()


def _attr(name: str, value: Any) -> str:
    return f' {escape(name)}="{escape(value)}"'


def _attrs(attrs: dict[str, Any]) -> str:
    """As django/forms/widgets/attrs.html writes them: True as the bare name, False left out."""
    return "".join(
        f" {escape(name)}" if value is True else _attr(name, value)
        for name, value in attrs.items()
        if value is not False
    )


@register.simple_tag
def field_group(field: Any) -> SafeString:
    """A field of a form of Django's own (the login form) as our page forms write theirs."""
    return _field_group(field)


@register.simple_tag
def select_options(optgroups: list[tuple[Any, list[dict[str, Any]], int]]) -> SafeString:
    """A select's options, the markup of Django's select template: written by the template, each
    option took a loop over its attributes and three filters, 8 ms for the 98 municipalities of
    the pool dashboard's filter (issue 16); here one f-string per option, each value escaped as
    `format_html` would (which took three times as long)."""
    parts = []
    for group_name, options, _index in optgroups:
        if group_name:
            parts.append(f'\n  <optgroup label="{escape(group_name)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
                f"{escape(option['label'])}</option>"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    # Every value above is escaped; the rest is our own markup.
    return mark_safe("".join(parts))  # noqa: S308


@register.simple_tag
def choice_inputs(widget: dict[str, Any]) -> SafeString:
    """The checkboxes or radio buttons of a multiple choice, in dkfds' markup: written by the
    template, each choice included Django's input template, a template render of its own, some
    0,2 ms a choice (the review queue's states and assignments, 3 ms a page)."""
    id_ = widget["attrs"].get("id")
    parts = [f'<div id="{escape(id_)}">' if id_ else "<div>"]
    for _group, options, _index in widget["optgroups"]:
        for option in options:
            kind = escape(option["type"])
            shown = option["value"]
            value = "" if shown is None else f' value="{escape(format(shown))}"'  # as stringformat:'s'
            parts.append(
                f'\n<div class="form-group-{kind}"><input type="{kind}" name="{escape(option["name"])}"{value}'
                f'{_attrs(option["attrs"])}>\n<label class="form-label" for="{escape(option["attrs"].get("id", ""))}">'
                f"{escape(option['label'])}</label></div>"
            )
    parts.append("\n</div>")
    # Every value above is escaped; the rest is our own markup.
    return mark_safe("".join(parts))  # noqa: S308
