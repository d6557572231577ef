"""`{% inbox_items shown.items %}`: a section's items of the inbox (core/inbox.html), written in
Python as the tables' rows are (core.tables): every role lands on the inbox, and SIRI's shows
some 160 items, whose template loop was a fifth of the page (issue 16)."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from core.html import csrf_input, escape
from core.inbox import Countdown, Item

register = template.Library()


def _item(item: Item, countdown: Countdown | None, csrf: str) -> str:
    title = escape(item.title)
    if item.post:
        fields = "".join(
            f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">' for name, value in item.post.items()
        )
        heading = (
            f'\n      <form method="post" action="{escape(item.url)}" class="inbox-title">{csrf}{fields}\n'
            f"        <strong>{title}</strong>\n"
            f'        <button type="submit" class="button button-tertiary">{escape(item.action)}'
            f'<span class="sr-only"> {title}</span></button>\n'
            "      </form>\n      "
        )
    else:
        link = f'<a href="{escape(item.url)}"><strong>{title}</strong></a>'
        heading = f'\n      <p class="inbox-title">{link}</p>\n      '
    if countdown:
        status = (
            f'<p><span class="badge badge-{escape(countdown.badge)}">{escape(countdown.text)}</span> '
            f"{escape(item.text)}</p>"
        )
    elif item.text:
        status = f"<p>{escape(item.text)}</p>"
    else:
        status = ""
    reason = ""
    if item.reason:
        said = gettext("SIRI's reason:")  # as {% translate %} writes a text of ours: not escaped
        reason = (
            f'<blockquote class="inbox-reason"><span class="sr-only">{said} </span>'
            f"{linebreaksbr(item.reason)}</blockquote>"
        )
    return f'\n    <li class="inbox-item">\n      {heading}\n      {status}\n      {reason}\n    </li>\n    '


@register.simple_tag(takes_context=True)
def inbox_items(context: template.Context, items: list[tuple[Item, Countdown | None]]) -> SafeString:
    csrf = csrf_input(context) if any(item.post for item, _countdown in items) else ""
    # Every value above is escaped; the rest is our own markup.
    return mark_safe("".join(_item(item, countdown, csrf) for item, countdown in items))  # noqa: S308
