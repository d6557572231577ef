"""The header's menu, by role. Which links show is decided by the same `rules` permissions the
pages check, so a link never leads to a 403."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Role

# (url name, label, shown when this permission holds; None: any logged-in user with that role)
# The monitoring pages are named, not imported: applications does not depend on monitoring.
_MENU: dict[str, list[tuple[str, Any]]] = {
    Role.APPLICANT: [("applications:mine", _("My applications")), ("monitoring:projects", _("My projects"))],
    Role.COMMITTEE: [("applications:mine", _("Our applications")), ("monitoring:projects", _("Our projects"))],
    Role.REVIEWER: [
        ("applications:queue", _("Review queue")),
        ("monitoring:overview", _("Monitoring")),
        ("applications:pools", _("Pools")),
    ],
    Role.POOL_ADMIN: [
        ("applications:queue", _("Review queue")),
        ("monitoring:overview", _("Monitoring")),
        ("applications:pools", _("Pools")),
    ],
    Role.AMBASSADOR: [("applications:pools", _("Pools"))],
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
