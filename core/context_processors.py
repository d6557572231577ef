"""The header's menu, from what the apps registered in `core.menu`, and the session's idle
timeout for the warning before it ends."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .menu import menu_for
from .roles import profile_of


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": []}
    profile = profile_of(user)
    return {
        "menu": menu_for(user, request.path),
        "role": profile.role if profile else None,
        "session_idle_seconds": settings.SESSION_COOKIE_AGE,
        "session_warning_seconds": 60 * settings.SESSION_WARNING_MINUTES,
    }
