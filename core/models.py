"""The kernel's tables: the transactional outbox (see `core.outbox`), the API tokens (see
`core.tokens`) and the marks of the demo's illustrative figures (see `core.illustrative`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken, AuthTokenManager
from knox.settings import CONSTANTS

from .validators import validate_no_cpr


class OutboxMessage(models.Model):
    """A Celery task to run, written in the transaction that asked for it. It is handed to the
    broker after the commit; until that succeeds (``sent_at`` is set) the sweep tries again."""

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            # What the sweep reads: the unsent messages, oldest first.
            models.Index(fields=["created_at"], condition=Q(sent_at__isnull=True), name="outbox_unsent_idx"),
            models.Index(fields=["task", "created_at"], name="outbox_task_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"


class ApiTokenQuerySet(models.QuerySet):
    def owned_by(self, user: Any) -> ApiTokenQuerySet:
        """A person's own tokens: the only ones their token page shows or revokes, whoever they are
        (a superuser's page too; the admin is where SIRI sees everyone's)."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def live(self) -> ApiTokenQuerySet:
        return self.filter(expiry__gt=timezone.now())


class ApiTokenManager(AuthTokenManager.from_queryset(ApiTokenQuerySet)):  # type: ignore[misc]
    """knox's manager (``create(user, expiry)`` answers the row and the key, of which only the
    hash is stored) with our queries."""


class ApiToken(AbstractAuthToken):
    """An API token (django-rest-knox's, swapped in by ``KNOX_TOKEN_MODEL``): the key is shown
    once, when it is made; the table holds its SHA-512 hash and its first characters (knox's
    ``token_key``, to recognise it). Every token expires; a password change deletes them all
    (`core.tokens`). A name and the last use let a person tell their clients' tokens apart.

    Our own primary key, not knox's digest, so that pages and the admin never show the hash."""

    id = models.BigAutoField(primary_key=True)
    digest = models.CharField(max_length=CONSTANTS.DIGEST_LENGTH, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="auth_token_set", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100, blank=True, validators=[validate_no_cpr])
    created = models.DateTimeField(_("created"), auto_now_add=True)
    expiry = models.DateTimeField(_("expires"))
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)

    objects = ApiTokenManager()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        indexes = [
            models.Index(fields=["user", "expiry"], name="apitoken_user_expiry_idx"),
            models.Index(fields=["expiry"], name="apitoken_expiry_idx"),  # the sweep's delete
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.name or self.token_key[:8]}"

    @property
    def prefix(self) -> str:
        """The key's first characters, which the person can match against their client's."""
        return self.token_key[:8]


class Illustrative(models.Model):
    """Marks a demo object whose figures or texts are not from the project's source documents
    (a pool's budget, a national average, a report's narrative): the pages that show the object
    say so (`core.illustrative`). Only the demo loaders write these; real data never has one."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    note = models.TextField(_("what is illustrative"), validators=[validate_no_cpr])

    class Meta:
        verbose_name = _("illustrative mark")
        verbose_name_plural = _("illustrative marks")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="illustrative_unique_object"),
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id}"
