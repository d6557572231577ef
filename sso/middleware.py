"""A person logged in by single sign-on without a role yet reaches only the page that says so
(and logging out): every other page sends them there, the API answers 403. Keyed on the session's
mark, so nobody else's request costs a query."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .views import PENDING


class PendingRole:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.session.get(PENDING) and request.user.is_authenticated and not self._open(request.path):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": _("SIRI has not given you a role in Puljeflow yet.")}, status=403)
            return redirect("sso:pending")
        return self.get_response(request)

    @staticmethod
    def _open(path: str) -> bool:
        names = ("sso:pending", "logout", "oidc_authentication_init", "oidc_authentication_callback", "keep_alive")
        return path in {reverse(name) for name in names} or path.startswith(("/static/", "/i18n/", "/favicon"))
