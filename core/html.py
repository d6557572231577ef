"""Django's `format_html` and `conditional_escape` for the tags that write a page's rows and
charts in Python: the same markup at under half the cost. Django's escape checks every call's
arguments for lazy translations (`keep_lazy`) and wraps its result; a pool dashboard escapes some
2.500 values, and its 650 `format_html` calls took 12 µs each against 5 here (issue 16).

The rules are Django's: a value with `__html__` (already safe) is kept as it is, anything else
is made a string (a lazy translation is translated) and escaped by Python's `html.escape`."""

from __future__ import annotations

import html
from typing import Any

from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe


def escape(value: Any) -> str:
    """`django.utils.html.conditional_escape`, as a plain string."""
    if isinstance(value, Promise):
        value = str(value)  # a lazy translation of a safe text stays safe, as in Django's
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def format_html(format_string: str, *args: Any) -> SafeString:
    """`django.utils.html.format_html` with positional arguments."""
    return mark_safe(format_string.format(*map(escape, args)))  # noqa: S308 (every argument escaped)


def csrf_input(context: Any) -> str:
    """What `{% csrf_token %}` writes in the template `context` (a form's hidden token field)."""
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":  # noqa: S105 (Django's marker of no token, not a password)
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(token)}">'
