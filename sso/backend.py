"""mozilla-django-oidc's authorization code flow, with the claims turned into a Puljeflow user
by `services.sign_in`. It answers only the callback of a configured provider: a password login,
or a request that happens to carry `code` and `state`, goes on to the other backends."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from core.auth import DjangoPermissions, sso_enabled, user_with_profile

from . import services


class MitIdErhvervBackend(DjangoPermissions, OIDCAuthenticationBackend):
    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        if request is None or not sso_enabled() or request.path != reverse("oidc_authentication_callback"):
            return None
        return super().authenticate(request, **kwargs)

    def get_user(self, user_id: Any) -> Any:
        return user_with_profile(user_id)

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        user_info = self.get_userinfo(access_token, id_token, payload)
        # OpenID Connect Core 5.3.2: the userinfo answer must be about the ID token's subject.
        if str(user_info.get("sub")) != str(payload.get("sub")):
            raise SuspiciousOperation("The userinfo subject differs from the ID token's.")
        # A claim may come in the ID token, the userinfo answer or both: the userinfo answer wins.
        try:
            return services.sign_in({**payload, **user_info})
        except services.Refused as refusal:
            # The callback view shows it (mozilla-django-oidc only learns that nobody logged in).
            self.request.sso_refusal = str(refusal)
            return None
