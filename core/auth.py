"""Logging in: too many wrong passwords lock the account for a while (django-axes), on the login
page, the API's token endpoint and the browsable API's login alike, and the person is told when
to try again."""

from __future__ import annotations

import functools
from typing import Any

import rules
from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model, user_logged_in
from django.contrib.auth import views as auth_views
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import tokens
from .forms import DesignSystemForm
from .validators import validate_no_cpr


def sso_enabled() -> bool:
    """Single sign-on (the sso app) is on when the OIDC settings name a client and a provider."""
    return bool(settings.OIDC_RP_CLIENT_ID and settings.OIDC_OP_AUTHORIZATION_ENDPOINT)


def password_login_allowed() -> bool:
    """LOCAL_LOGIN off switches the passwords off, but only while SSO is on: otherwise nobody
    could log in at all."""
    return bool(settings.LOCAL_LOGIN) or not sso_enabled()


def user_with_profile(user_id: Any) -> Any:
    """The logged-in person of a request, with their profile (role, municipalities) in the same
    query: nearly every page asks the role, which was a query of its own on each request."""
    model = get_user_model()
    try:
        return model._default_manager.select_related("profile").get(pk=user_id)
    except model.DoesNotExist:
        return None


@functools.cache
def ruled_apps() -> frozenset[str]:
    """The app labels the rules give permissions in (asked once the apps are loaded)."""
    return frozenset(name.partition(".")[0] for name in rules.permissions.permissions)


class DjangoPermissions(ModelBackend):
    """Django's permission table as each login backend answers it (the password one and the
    single sign-on one both descend from Django's model backend, and Django asks every backend):
    the rules' apps are the rules' alone, read in one query for the others."""

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        """An app whose permissions the rules name is decided by the rules alone: Django's table
        holds permissions of the same names (``applications.add_application`` is both a rule and
        a model permission), so one ticked in the admin would overrule a rule, and every page
        whose rule says no would read the table for nothing. Django's own apps (users, groups,
        the admin log) keep their permissions."""
        if perm.partition(".")[0] in ruled_apps():
            return False
        return super().has_perm(user_obj, perm, obj)

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        """Django's permissions of the user, their own and their groups', in one query rather than
        Django's two: every page that asks a rule that says no (a breadcrumb's "may this person see
        the dashboard?") comes here next, so every such page paid both."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            perms = (
                Permission.objects.all()
                if user_obj.is_superuser
                else Permission.objects.filter(Q(user=user_obj) | Q(group__user=user_obj))
            )
            rows = perms.values_list("content_type__app_label", "codename").order_by().distinct()
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in rows}
        return user_obj._perm_cache


class PasswordBackend(DjangoPermissions):
    """Django's username and password, refused everywhere (login page, admin, API token, the
    browsable API) when the passwords are switched off."""

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> Any:
        if not password_login_allowed():
            return None
        return super().authenticate(request, *args, **kwargs)

    def get_user(self, user_id: Any) -> Any:
        user = user_with_profile(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


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


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=gettext_lazy("Username"), max_length=150, write_only=True)
    password = serializers.CharField(
        label=gettext_lazy("Password"), style={"input_type": "password"}, trim_whitespace=False, write_only=True
    )
    name = serializers.CharField(
        label=gettext_lazy("Name"),
        help_text=gettext_lazy(
            "Which client the token is for, as you will see it on your API tokens page; "
            "without it, the client's User-Agent."
        ),
        max_length=100,
        required=False,
        allow_blank=True,
        write_only=True,
        validators=[validate_no_cpr],
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # Django's own request, where django-axes counts the failures and finds a lockout.
        request = self.context["request"]._request
        user = authenticate(request, username=attrs["username"], password=attrs["password"])
        if user is None:
            raise serializers.ValidationError(
                gettext_lazy("Unable to log in with provided credentials."), code="authorization"
            )
        return {**attrs, "user": user}


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=gettext_lazy("The key; it is shown only this once."))
    expiry = serializers.DateTimeField(help_text=gettext_lazy("When the token stops working."))


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class TokenView(APIView):
    """`POST /api/v1/auth/token/` (API.md): a new token for the person whose username and password
    are sent, one per call, so each client has its own to revoke. Throttled like the login page;
    a right password resets the count as a login does."""

    authentication_classes: list[Any] = []  # the credentials are in the body
    permission_classes: list[Any] = []

    @extend_schema(
        description=(
            "A new token for the person whose username and password are sent: one per call, so give each "
            "client its own and keep it for as long as it works. Send it as `Authorization: Token <key>`. "
            "It expires at `expiry` (API_TOKEN_DAYS after it is made, 90 by default), and when the "
            "person's password changes; the person sees and revokes their tokens on their API tokens page."
        ),
        request=TokenRequestSerializer,
        responses={
            200: TokenResponseSerializer,
            409: OpenApiResponse(DetailSerializer, description="The person has as many tokens as allowed."),
            429: OpenApiResponse(
                DetailSerializer, description="Too many wrong passwords: the account is locked until the time named."
            ),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        agent = "".join(c for c in request.headers.get("User-Agent", "") if c.isprintable())
        name = serializer.validated_data.get("name") or agent
        token, key = tokens.issue(user, name=name)
        user_logged_in.send(sender=type(user), request=request._request, user=user)
        return Response({"token": key, "expiry": token.expiry})


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


class LoginView(auth_views.LoginView):
    """The login page: "Log ind med MitID Erhverv" when SSO is on, the password form unless it
    is switched off (LOCAL_LOGIN), in which case a password sent anyway is refused."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not password_login_allowed():
            return self.render_to_response(self.get_context_data(), status=403)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "sso": sso_enabled(), "passwords": password_login_allowed()}
