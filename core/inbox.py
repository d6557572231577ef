"""The inbox: what needs a person now, by role, as the apps register it.

Like the menu (`core.menu`), the kernel only keeps the table: each app registers its sections in
its ``AppConfig.ready()`` (the applications to review, the reports due, …), so a later app adds
its own (e.g. change requests) without touching the others. A section is a heading and a function
``items(user, today)`` that returns the section's `Item`s, newest or most urgent first; it must ask
the database a fixed number of times, whatever the number of items (the page is every role's
landing page). ``order`` places a section among the others of its role.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .roles import role_of


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
) -> None:
    """Show the section `key` (its `heading` and what `items` returns) in the inbox of `role` (or
    of each of several roles), with `empty` when there is nothing. Registering a key for a role
    again replaces it, so ``ready()`` may run twice."""
    for one in _roles(role):
        section = Section(str(one), key, heading, items, order, empty, intro)
        for index, known in enumerate(_SECTIONS):
            if (known.role, known.key) == (section.role, section.key):
                _SECTIONS[index] = section
                break
        else:
            _SECTIONS.append(section)


def sections_for(user: Any) -> list[Section]:
    role = role_of(user)
    return sorted((s for s in _SECTIONS if s.role == role), key=lambda s: s.order)


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
        shown.append(Shown(section, [(item, countdown(item.due, today) if item.due else None) for item in items]))
    return shown
