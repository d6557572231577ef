"""The kernel's tables: the transactional outbox (see `core.outbox`), the API tokens (see
`core.tokens`), the marks of the demo's illustrative figures (see `core.illustrative`), the
change log (see `core.changelog`) and the record of the notices sent by e-mail (see
`core.notices`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken, AuthTokenManager
from knox.settings import CONSTANTS

from .changelog import KINDS, RECORDED_AT, RECORDED_BY, label_of, show
from .log import AppendOnly, AppendOnlyQuerySet
from .validators import validate_no_cpr
from .visibility import VisibleQuerySet


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


class ChangeLogQuerySet(AppendOnlyQuerySet, VisibleQuerySet):
    def of(self, subject: models.Model) -> ChangeLogQuerySet:
        """The entries of `subject`'s history."""
        return self.filter(subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk)

    def _visible_to_person(self, user: Any) -> ChangeLogQuerySet:
        """The `core.view_changelogentry` rule: the entries of the kinds and subjects the
        person may see, as each kind registers them (`core.changelog.ChangeKind.subjects`)."""
        visible = Q(pk__in=[])
        for kind in KINDS.values():
            subjects = kind.subjects(user)
            visible |= Q(
                kind=kind.code,
                subject_type=ContentType.objects.get_for_model(kind.subject_model),
                subject_id__in=subjects.values("pk"),
            )
        return self.filter(visible)


class ChangeLogEntry(AppendOnly, models.Model):
    """A change to a record that its own row does not keep: who, when, which record, and the
    changed fields before and after. Written once, never edited (as the transition logs).

    The subject is a generic reference, kept as type and id: the entry outlives its subject
    instead of being deleted with it, and names it (`subject_label`) as it was then."""

    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    subject_label = models.CharField(_("concerns"), max_length=300)
    kind = models.CharField(_("kind"), max_length=60)
    record_id = models.PositiveBigIntegerField(_("record"), null=True, blank=True)
    part = models.CharField(_("which"), max_length=300, blank=True)
    before = models.JSONField(_("before"), default=dict, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("after"), default=dict, encoder=DjangoJSONEncoder)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    objects = ChangeLogQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("change log entry")
        verbose_name_plural = _("change log")
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "at"], name="changelog_subject_at_idx"),
            models.Index(fields=["kind", "at"], name="changelog_kind_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.subject_label}: {self.title}"

    # Shown in a history beside the transitions (core/_history.html).
    is_change = True

    @property
    def title(self) -> str:
        kind = KINDS.get(self.kind)
        if kind is None:
            return self.kind
        return str(kind.title) % {"part": self.part}

    @property
    def lines(self) -> list[dict[str, str]]:
        """Each changed field: its label, and its value before and after, as a person reads them."""
        kind = KINDS.get(self.kind)

        def shown(name: str, value: Any) -> str:
            return show(kind, name, value) if kind is not None else str(value)

        return [
            {
                "label": label_of(kind, name) if kind is not None else name,
                "before": shown(name, self.before.get(name)),
                "after": shown(name, value),
            }
            for name, value in self.after.items()
        ]

    @property
    def replaced(self) -> dict[str, str] | None:
        """Who had recorded the values this change replaced, and when (when the kind keeps it)."""
        if RECORDED_BY not in self.before and RECORDED_AT not in self.before:
            return None
        kind = KINDS.get(self.kind)
        at = self.before.get(RECORDED_AT)
        return {
            "by": self.before.get(RECORDED_BY) or "",
            "at": show(kind, RECORDED_AT, at) if kind is not None and at else (at or ""),
        }


class SentNotice(models.Model):
    """An e-mail notice that was sent, under a key naming what it is about (e.g. the log entry of
    a decision), so that no notice is ever sent twice."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    recipients = models.TextField(_("recipients"))
    subject = models.CharField(_("subject"), max_length=300)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("sent notice")
        verbose_name_plural = _("sent notices")

    def __str__(self) -> str:
        return f"{self.key}: {self.subject}"
