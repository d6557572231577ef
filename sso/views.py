"""The single sign-on pages: off (404) unless the OIDC settings name a provider; and the logout,
which ends the provider's session too when the provider has an end-session endpoint."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _
from mozilla_django_oidc import views as oidc_views

from core.auth import sso_enabled
from core.roles import profile_of

from .models import SsoIdentity

# The session's mark of a person logged in by SSO whom SIRI has not given a role yet (middleware.py).
PENDING = "sso_pending"
# Where mozilla-django-oidc keeps the ID token (OIDC_STORE_ID_TOKEN).
ID_TOKEN = "oidc_id_token"  # noqa: S105 (a session key's name, not a secret)


class Authenticate(oidc_views.OIDCAuthenticationRequestView):
    """The login page's "Log ind med MitID Erhverv": on to the provider."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not sso_enabled():
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class Callback(oidc_views.OIDCAuthenticationCallbackView):
    """Back from the provider: logged in, refused with the reason, or told to wait for a role."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not sso_enabled():
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def login_failure(self) -> HttpResponse:
        reason = getattr(self.request, "sso_refusal", None) or _(
            "The login with MitID Erhverv did not go through, or it was cancelled. Try again."
        )
        return render(self.request, "sso/refused.html", {"reason": reason}, status=403)

    def login_success(self) -> HttpResponse:
        response = super().login_success()
        if profile_of(self.user) is None:
            self.request.session[PENDING] = True
            return redirect("sso:pending")
        return response


def pending(request: HttpRequest) -> HttpResponse:
    """Logged in, but no role yet: say so, and where to turn. Once SIRI has given one, the next
    visit here goes on to the person's start page."""
    if not request.user.is_authenticated:
        return redirect("login")
    if profile_of(request.user) is not None:
        request.session.pop(PENDING, None)
        return redirect("dashboard")
    identity = SsoIdentity.objects.select_related("municipality").filter(user=request.user).first()
    return render(request, "sso/pending.html", {"identity": identity})


class Logout(auth_views.LogoutView):
    """Django's logout; a person who logged in by SSO then goes on to the provider's
    end_session_endpoint (OpenID Connect RP-Initiated Logout 1.0) with the ID token as the hint,
    so that the provider's session ends too, and comes back to the login page. Without the
    endpoint (OIDC_OP_LOGOUT_ENDPOINT) only Puljeflow's session ends."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        id_token = request.session.get(ID_TOKEN)  # gone with the session below
        response = super().post(request, *args, **kwargs)
        endpoint = settings.OIDC_OP_LOGOUT_ENDPOINT
        if not (id_token and endpoint and sso_enabled()):
            return response
        query = urlencode(
            {
                "id_token_hint": id_token,
                "client_id": settings.OIDC_RP_CLIENT_ID,
                "post_logout_redirect_uri": request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL)),
            }
        )
        return HttpResponseRedirect(f"{endpoint}{'&' if '?' in endpoint else '?'}{query}")
