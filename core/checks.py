"""System checks of the kernel: `check --deploy` names what production lacks."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def check_secret_key(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if getattr(settings, "SECRET_KEY_MISSING", False):
        return [checks.Error("SECRET_KEY must be set, 50 characters or more, when DJANGO_DEBUG is off", id="core.E001")]
    return []


@checks.register(checks.Tags.security)
def check_api_token_days(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    # 0 or less would make every new token dead on arrival; there is no "never expires".
    if getattr(settings, "API_TOKEN_DAYS", 1) < 1:
        return [checks.Error("API_TOKEN_DAYS must be a whole number of days, 1 or more", id="core.E002")]
    return []
