"""The columns of a data table, for `core/_table.html`: each column's header text and how it is
shown. Labels are usually `gettext_lazy` strings defined where the page's view is, so they are
translated when the page is rendered."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import formats
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Column:
    """A header cell: `numeric` right-aligns it (dkfds `number`, as its cells should be),
    `hidden` keeps the label for screen readers only (e.g. "Actions")."""

    label: Any
    numeric: bool = False
    hidden: bool = False


def columns(*items: Any) -> list[Column]:
    """A table's columns in order; a plain label is a text column."""
    return [item if isinstance(item, Column) else Column(item) for item in items]


def blocktranslated(text: str, **values: Any) -> SafeString:
    """A translation with its values as `{% blocktranslate %}` writes it, for the rows template
    tags write: the translation as it is, its values escaped. Give it `_("...")` with the text
    itself, so that makemessages finds it."""
    return mark_safe(text % {name: conditional_escape(value) for name, value in values.items()})  # noqa: S308


# Django's date format letters that strftime writes alike (zero-padded day, month, hour, minute;
# the four-digit year).
_STRFTIME = {"d": "%d", "m": "%m", "Y": "%Y", "H": "%H", "i": "%M"}


@functools.cache
def _strftime(django_format: str) -> str | None:
    """A Django date format as strftime's, if each of its letters has its like there."""
    parts = []
    for char in django_format:
        if char in _STRFTIME:
            parts.append(_STRFTIME[char])
        elif char.isalpha() or char == "\\":
            return None
        else:
            parts.append(char.replace("%", "%%"))
    return "".join(parts)


def _formatted(value: Any, format_name: str) -> str:
    """`{{ value|date:format_name }}`, by strftime where the language's format allows (d.m.Y and
    d.m.Y H:i in both): Django's formatter reads the format letter by letter on every call, and a
    page of rows shows hundreds of dates."""
    django_format = formats.get_format(format_name)
    pattern = _strftime(django_format)
    if pattern and value.year >= 1000:  # Django writes a year with four digits, strftime 999 as is
        return value.strftime(pattern)
    return formats.date_format(value, django_format)


def short_date(day: Any) -> str:
    """A date as a row shows it, `{{ day|date:"SHORT_DATE_FORMAT" }}` in a template: 30.04.2026."""
    return _formatted(day, "SHORT_DATE_FORMAT")


def short_datetime(moment: Any) -> str:
    """A moment (already in local time) as `{{ moment|date:"SHORT_DATETIME_FORMAT" }}`: 30.04.2026 14:05."""
    return _formatted(moment, "SHORT_DATETIME_FORMAT")


def all_rows(tag: Callable[..., str], rows: Iterable[Any], *args: Any, end: str = "\n") -> SafeString:
    """Every row of a table as `tag(row, *args)` writes it, each followed by `end` (the newline a
    row template's include left): `core/_table.html`'s `rows_html`, one call for the table instead
    of a template included per row, which cost more than the row itself (issue 16)."""
    # Every row is made by format_html; `end` is our own whitespace.
    return mark_safe("".join(tag(row, *args) + end for row in rows))  # noqa: S308
