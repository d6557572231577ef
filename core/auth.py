"""Logging in: too many wrong passwords lock the account for a while (django-axes), on the login
page, the API's token endpoint and the browsable API's login alike, and the person is told when
to try again."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.authtoken.views import ObtainAuthToken

from .forms import DesignSystemForm


class LockoutBackend(AxesStandaloneBackend):
    """Axes' check before the password is tried. A login without a request (the command line,
    a management command) has nobody to throttle, so it goes on to the next backend."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """429 with when to try again: a page for people, JSON for the API."""
    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off else 0
    until = timezone.localtime(timezone.now() + cool_off) if cool_off else None
    message = (
        _("Too many failed logins for this account. Try again after %(time)s.") % {"time": time_format(until)}
        if until
        else _("Too many failed logins for this account. Ask SIRI to unlock it.")
    )
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "registration/locked_out.html", {"message": message}, status=429)
    if seconds:
        response["Retry-After"] = str(seconds)
    return response


class TokenView(ObtainAuthToken):
    """The API's token endpoint, throttled like the login page: the password is checked against
    Django's own request, where the lockout middleware looks for a lockout."""

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "request": self.request._request}


class LoginForm(DesignSystemForm, AuthenticationForm):
    """The login page's form in the design system's markup, saying what went wrong in the words
    a person looks for: the username or the password is wrong (never which of them)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": gettext_lazy(
            "The username or password is wrong. Check them and try again; the password is case-sensitive."
        ),
        "inactive": gettext_lazy("This account is closed. Ask SIRI or your municipality's administrator."),
    }

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError as error:
            # Both fields may be the wrong one: mark both, described by the summary above the form.
            if error.code == "invalid_login":
                for name in ("username", "password"):
                    self.fields[name].widget.attrs.update({"aria-invalid": "true", "aria-describedby": "login-error"})
            raise
