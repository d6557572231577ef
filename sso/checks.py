"""`manage.py check` names an SSO set up by halves: a client id without the provider's endpoints
would show the MitID Erhverv button and fail every login behind it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

NEEDED = (
    "OIDC_RP_CLIENT_SECRET",
    "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT",
)


@checks.register(checks.Tags.security)
def check_oidc_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if not settings.OIDC_RP_CLIENT_ID:
        return []
    missing = [name for name in NEEDED if not getattr(settings, name, "")]
    if missing:
        return [checks.Error(f"OIDC_RP_CLIENT_ID is set, so single sign-on needs {', '.join(missing)}", id="sso.E001")]
    return []
