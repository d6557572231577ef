"""The inbox: what needs a person now, by role, as the apps register it.

Like the menu (`core.menu`), the kernel only keeps the table: each app registers its sections in
its ``AppConfig.ready()`` (the applications to review, the reports due, …), so a later app adds
its own (e.g. change requests) without touching the others. A section is a heading and a function
``items(user, today)`` that returns the section's `Item`s, newest or most urgent first; it must ask
the database a fixed number of times, whatever the number of items (the page is every role's
landing page). ``order`` places a section among the others of its role.

A section that can grow long (SIRI's queues: a national pool has hundreds of applications and
reports waiting) returns `first(queryset, make_item)`: its first SHOWN items and the count of all
of them, from one query; the page names the count and links to ``more``, the list that holds them
all. Building and sending every one of 2.000 items made the reviewer's inbox 650 KiB (issue 16).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, IntegerField, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .roles import role_of
from .tables import short_date


@dataclass(frozen=True)
class Item:
    """One thing in the inbox: what it is about (`title`, linked to `url`) and what is needed or
    happened (`text`). `due` gives the item a countdown (its deadline); `reason` is what SIRI
    wrote (a return, a rejection); `at` is when it happened. `post` makes the link a button that
    posts these fields to `url` (e.g. asking for a PDF) instead of a plain link."""

    title: str
    url: str
    text: str = ""
    due: datetime.date | None = None
    reason: str = ""
    at: datetime.datetime | None = None
    post: dict[str, Any] | None = None
    action: str = ""  # the button's text when `post` is given


@dataclass(frozen=True)
class Section:
    role: str
    key: str
    heading: Any
    items: Callable[[Any, datetime.date], list[Item]]
    order: int
    empty: Any
    intro: Any = None
    more: str = ""  # the URL name of the list that holds all of a long section's items


SHOWN = 20  # items a long section shows


class Found(list[Item]):
    """A section's first items, and how many it has in all (`total`)."""

    def __init__(self, items: Iterable[Item], total: int) -> None:
        super().__init__(items)
        self.total = total


class _Count(Subquery):
    """How many rows a queryset has, as a column: a subquery that does not depend on the row, so
    PostgreSQL counts once (an InitPlan) however many rows the outer query reads."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS inbox_rows)"
    output_field = IntegerField()


def first(
    found: QuerySet[Any],
    item: Callable[[Any], Item],
    limit: int | None = None,
    *,
    sparse: bool = False,
    fields: tuple[str, ...] = (),
) -> Found:
    """The first `limit` rows (SHOWN unless given) of `found`, which must be ordered, as items, with
    the count of every row, from one query whatever the number of rows. With `fields`, each row is
    those values (a named row: `row.pool__name`) instead of a model with its related models, which
    for 20 applications with their pools and municipalities cost a section 0,6 ms more (issue 16).

    The rows are limited, so that walking the ordering's index PostgreSQL stops at the `limit`-th
    row, and counted apart in the same query, on the rows' keys alone. (A window count made every
    row be joined and kept in full before the limit: thousands of them for SIRI.) A `sparse`
    section is one whose filter keeps few of the rows that index walks (the late reports: a
    hundred of thousands of quarters), where the limit would make PostgreSQL probe row after row;
    its rows are ranked and counted in a query planned for all of them instead."""
    limit = SHOWN if limit is None else limit
    if sparse:
        order = [F(name[1:]).desc() if name.startswith("-") else F(name).asc() for name in found.query.order_by]
        ranked = found.annotate(inbox_rank=Window(RowNumber(), order_by=order), inbox_total=Window(Count("*")))
        chosen = ranked.filter(inbox_rank__lte=limit)
    else:
        chosen = found.annotate(inbox_total=_Count(found.order_by().values("pk")))
    if fields:
        chosen = chosen.values_list(*fields, "inbox_total", named=True)
    rows = list(chosen if sparse else chosen[:limit])
    return Found((item(row) for row in rows), rows[0].inbox_total if rows else 0)


@dataclass
class Countdown:
    """How far an item's deadline is, as the page shows it: a text and dkfds' badge class."""

    days: int
    text: str
    badge: str


@dataclass
class Shown:
    """A section as the page renders it."""

    section: Section
    items: list[tuple[Item, Countdown | None]] = field(default_factory=list)
    total: int = 0  # the section's items in all, of which `items` may be the first

    @property
    def more(self) -> int:
        return self.total - len(self.items)


_SECTIONS: list[Section] = []


def _roles(role: str | Iterable[str]) -> list[str]:
    return [role] if isinstance(role, str) else sorted(role)


def register(
    role: str | Iterable[str],
    key: str,
    heading: Any,
    items: Callable[[Any, datetime.date], list[Item]],
    *,
    order: int,
    empty: Any,
    intro: Any = None,
    more: str = "",
) -> None:
    """Show the section `key` (its `heading` and what `items` returns) in the inbox of `role` (or
    of each of several roles), with `empty` when there is nothing and, for a long one, a link to
    the URL named `more`. Registering a key for a role again replaces it, so ``ready()`` may run
    twice."""
    for one in _roles(role):
        section = Section(str(one), key, heading, items, order, empty, intro, more)
        for index, known in enumerate(_SECTIONS):
            if (known.role, known.key) == (section.role, section.key):
                _SECTIONS[index] = section
                break
        else:
            _SECTIONS.append(section)


def sections_for(user: Any) -> list[Section]:
    role = role_of(user)
    return sorted((s for s in _SECTIONS if s.role == role), key=lambda s: s.order)


def day(value: datetime.date | datetime.datetime) -> str:
    """The day of an item's date or moment (local time), as the items' texts name it: 31.10.2026."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return short_date(value)


def countdown(due: datetime.date, today: datetime.date) -> Countdown:
    days = (due - today).days
    if days < 0:
        late = -days
        return Countdown(days, ngettext("%(days)d day late", "%(days)d days late", late) % {"days": late}, "error")
    if days == 0:
        return Countdown(days, str(_("Due today")), "warning")
    text = ngettext("%(days)d day left", "%(days)d days left", days) % {"days": days}
    return Countdown(days, text, "warning" if days <= 7 else "info")


def inbox_for(user: Any, today: datetime.date) -> list[Shown]:
    """The user's sections in order, each with its items and their countdowns."""
    shown = []
    for section in sections_for(user):
        items = section.items(user, today)
        total = items.total if isinstance(items, Found) else len(items)
        shown.append(
            Shown(section, [(item, countdown(item.due, today) if item.due else None) for item in items], total)
        )
    return shown
