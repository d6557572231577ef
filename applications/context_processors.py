"""The header's menu, by role. Which links show is decided by the same `rules` permissions the
pages check, so a link never leads to a 403."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.roles import Role

# (url name, label, shown when this permission holds; None: any logged-in user with that role)
# The later apps' pages are named, not imported: applications depends on neither of them.
_CATALOGUE = ("ambassadors:catalogue", _("Best practices"))
_SIRI = [
    ("applications:queue", _("Review queue")),
    ("monitoring:overview", _("Monitoring")),
    ("ambassadors:network", _("Ambassadors")),
    ("applications:pools", _("Pools")),
    _CATALOGUE,
]
_MENU: dict[str, list[tuple[str, Any]]] = {
    Role.APPLICANT: [
        ("applications:mine", _("My applications")),
        ("monitoring:projects", _("My projects")),
        _CATALOGUE,
    ],
    Role.COMMITTEE: [
        ("applications:mine", _("Our applications")),
        ("monitoring:projects", _("Our projects")),
        _CATALOGUE,
    ],
    Role.REVIEWER: _SIRI,
    Role.POOL_ADMIN: _SIRI,
    Role.AMBASSADOR: [
        ("ambassadors:home", _("My ambassador page")),
        ("ambassadors:meetings", _("Network meetings")),
        _CATALOGUE,
    ],
}


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": []}
    profile = getattr(user, "profile", None)
    items = _MENU.get(profile.role, []) if profile else []
    path = request.path
    menu = []
    for name, label in items:
        url = reverse(name)
        menu.append({"url": url, "label": label, "current": path == url, "active": path.startswith(url)})
    return {"menu": menu, "role": profile.role if profile else None}
