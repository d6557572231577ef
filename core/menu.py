"""The header's menu and the landing page after login, by role, as the apps register them.

Each app registers its own pages in its ``AppConfig.ready()``, so no app names another app's
routes: the kernel only keeps the table. ``order`` places an entry among the others of its role
(entries of one order keep the order they were registered in); ``permission``, when given, is a
`rules` permission the user must hold for the link to show, the same the page checks, so a
link never leads to a 403.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from .roles import role_of


@dataclass(frozen=True)
class Entry:
    role: str
    url_name: str
    label: Any
    order: int
    permission: str | None = None


_ENTRIES: list[Entry] = []
_LANDING: dict[str, str] = {}


def _roles(role: str | Iterable[str]) -> list[str]:
    return [role] if isinstance(role, str) else sorted(role)


def register(
    role: str | Iterable[str], url_name: str, label: Any, *, order: int, permission: str | None = None
) -> None:
    """Show `url_name` as `label` in the menu of `role` (or of each of several roles).
    Registering the same route for a role again replaces the entry, so ``ready()`` may run twice."""
    for one in _roles(role):
        entry = Entry(str(one), url_name, label, order, permission)
        for index, known in enumerate(_ENTRIES):
            if (known.role, known.url_name) == (entry.role, entry.url_name):
                _ENTRIES[index] = entry
                break
        else:
            _ENTRIES.append(entry)


def register_landing(role: str | Iterable[str], url_name: str) -> None:
    """Where a person of `role` lands after logging in."""
    for one in _roles(role):
        _LANDING[str(one)] = url_name


def entries_for(user: Any) -> list[Entry]:
    """The menu entries of the user's role that the user may follow, in menu order."""
    role = role_of(user)
    if role is None:
        return []
    mine = [e for e in _ENTRIES if e.role == role and (e.permission is None or user.has_perm(e.permission))]
    return sorted(mine, key=lambda e: e.order)  # stable: one order keeps the registration order


def landing_for(user: Any, default: str) -> str:
    """The url name the user's role lands on, or `default`."""
    return _LANDING.get(role_of(user) or "", default)


def menu_for(user: Any, path: str) -> list[dict[str, Any]]:
    """The entries as the header renders them: url, label, and whether the page is the entry's
    own (``current``) or one below it (``active``)."""
    menu = []
    for entry in entries_for(user):
        url = reverse(entry.url_name)
        menu.append({"url": url, "label": entry.label, "current": path == url, "active": path.startswith(url)})
    return menu
