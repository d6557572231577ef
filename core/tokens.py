"""API tokens: made, used, expired and revoked in one place.

A token is django-rest-knox's (`core.models.ApiToken`): the key is shown once, only its hash is
kept. Every token expires ``API_TOKEN_DAYS`` after it was made, with no renewal on use, so a key
that leaked into a log or a script dies on time even while someone uses it. A person has one
token per client, each with a name; their page (`core.token_views`) lists and revokes them, and
a change of their password revokes them all, whichever way it is changed (the signal below).
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.conf import settings
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox import auth as knox_auth
from knox.crypto import hash_token
from knox.settings import knox_settings
from rest_framework import exceptions

from .errors import DomainError
from .models import ApiToken

# A person's clients, not a token per run: a script that asks for a new token every time it
# starts is told to keep the one it has (API.md's token endpoint answers 409 past this).
TOKENS_PER_USER = 50
# `last_used` is written at most this often per token, not on every request.
LAST_USED_EVERY = datetime.timedelta(minutes=1)
# knox's keys are hexadecimal of a fixed length; anything else (DRF's old 40-character tokens,
# bytes that are not text, a NUL that PostgreSQL cannot compare) is refused before any query.
KEY = re.compile(rf"[0-9a-f]{{{knox_settings.AUTH_TOKEN_CHARACTER_LENGTH}}}")

INVALID = _("Invalid token.")
EXPIRED = _("The token has expired. Ask for a new one.")


def lifetime() -> datetime.timedelta:
    return datetime.timedelta(days=settings.API_TOKEN_DAYS)


def issue(user: Any, name: str = "") -> tuple[ApiToken, str]:
    """A new token for `user`: the row and the key, which is never shown again."""
    mine = ApiToken.objects.filter(user=user)
    mine.filter(expiry__lte=timezone.now()).delete()
    if mine.count() >= TOKENS_PER_USER:
        raise DomainError.conflict(
            _(
                "You already have %(count)s API tokens. Revoke one you no longer use on the page API tokens, "
                "and keep a token for as long as it works rather than asking for a new one each time."
            )
            % {"count": TOKENS_PER_USER}
        )
    return ApiToken.objects.create(user=user, expiry=lifetime(), name=name[:100])


def revoke_all(user: Any) -> int:
    """Delete every token of `user`; answers how many there were."""
    deleted, _by_model = ApiToken.objects.filter(user=user).delete()
    return deleted


def delete_expired() -> int:
    """The periodic sweep's part (``PERIODIC_SWEEPS``): expired tokens are refused anyway; this
    keeps them from piling up."""
    deleted, _by_model = ApiToken.objects.filter(expiry__lte=timezone.now()).delete()
    return deleted


class TokenAuthentication(knox_auth.TokenAuthentication):
    """`Authorization: Token <key>` (knox's header parsing), looked up by the key's hash.

    knox's own lookup goes through every token sharing the key's first characters and every
    other token of the person on each request, and deletes expired ones as it goes; ours is one
    indexed query, says when a token has expired, and notes when it was last used."""

    def authenticate_credentials(self, key: bytes) -> tuple[Any, ApiToken]:
        try:
            text = key.decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(INVALID) from None
        if not KEY.fullmatch(text):
            raise exceptions.AuthenticationFailed(INVALID)
        # With the person's role (the profile), which every endpoint asks: a query of its own before.
        token = ApiToken.objects.select_related("user__profile").filter(digest=hash_token(text)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(INVALID)
        now = timezone.now()
        if token.expiry <= now:
            raise exceptions.AuthenticationFailed(EXPIRED)
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if token.last_used is None or now - token.last_used >= LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used=now)
            token.last_used = now
        return token.user, token


class TokenScheme(OpenApiAuthenticationExtension):
    """The schema names the scheme as it named DRF's token authentication before."""

    target_class = "core.tokens.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'A token from `POST /api/v1/auth/token/`, with the prefix "Token", e.g. '
            '"Token 9944b09199c62bcf9418ad846dd0e4bb…"; it expires (`expiry` in that answer).',
        }


# A password change revokes every token, whichever way the password is changed: the password
# page, `manage.py adduser`, the admin, `set_password()` and `save()` in code. The one thing
# every path shares is a new hash in the row, so that is what is compared.


@receiver(pre_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="core.tokens.note_password_change")
def _note_password_change(
    sender: Any, instance: Any, raw: bool = False, update_fields: Any = None, **kwargs: Any
) -> None:
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None:
        fields = set(update_fields)
        if "password" not in fields:
            return  # e.g. `last_login` on every login
        if fields == {"password"} and getattr(instance, "_password", None) is None:
            # Django's `check_password` upgrading the hash of the same password on login (a new
            # hasher or more iterations) saves exactly so; `set_password` would leave
            # `_password` set. The password has not changed, so the tokens stay.
            return
    stored = sender._default_manager.filter(pk=instance.pk).values_list("password", flat=True).first()
    if stored is not None and stored != instance.password:
        instance._revoke_api_tokens = True


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="core.tokens.revoke_on_password_change")
def _revoke_on_password_change(sender: Any, instance: Any, **kwargs: Any) -> None:
    # After the save, in its transaction: a save that fails revokes nothing.
    if getattr(instance, "_revoke_api_tokens", False):
        instance._revoke_api_tokens = False
        revoke_all(instance)
