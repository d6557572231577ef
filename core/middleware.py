"""What every response of a logged-in person's page carries, and how often their session is saved."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class PrivateByDefault:
    """A page or download answered to a logged-in person is theirs alone: no shared cache and
    no copy left on disk (``Cache-Control: private, no-store``), whatever the view forgot. A
    view that sets its own Cache-Control keeps it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response


SAVED_AT = "_puljeflow_saved_at"  # when the session was last saved (seconds since the epoch)


def stamp(session: Any) -> None:
    """The session saved now: it lasts the idle time and one refresh from here."""
    refresh = settings.SESSION_REFRESH_SECONDS
    session[SAVED_AT] = int(time.time())
    session.set_expiry(settings.SESSION_COOKIE_AGE + refresh)


@receiver(user_logged_in, dispatch_uid="core.middleware.stamp_login")
def stamp_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Logging in saves the session: the first pages after it need not save it again."""
    session = getattr(request, "session", None)
    if session is not None:
        stamp(session)


class IdleSession:
    """A session ends SESSION_COOKIE_AGE after the person's last request, yet is saved at most
    once every SESSION_REFRESH_SECONDS rather than on every request (an UPDATE of the session
    row on every page, every autosave). Each save sets the end that much later than the idle
    time: a request that did not save came less than SESSION_REFRESH_SECONDS after one that did,
    so the session still lasts at least SESSION_COOKIE_AGE after the last request, and at most a
    refresh longer. The pages' warning (session-timeout.js) counts from their last request, so it
    never comes after the session has ended.

    Listed after SessionMiddleware, so that it sees the response before the session is saved."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():  # never read, or flushed at logout
            return response
        if session.modified or time.time() - session.get(SAVED_AT, 0) >= settings.SESSION_REFRESH_SECONDS:
            stamp(session)
        return response
