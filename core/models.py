"""The kernel's tables: the transactional outbox (see `core.outbox`) and the marks of the demo's
illustrative figures (see `core.illustrative`)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

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
