"""The kernel's tables: the transactional outbox (see `core.outbox`) and the record of the
notices sent by e-mail (see `core.notices`)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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
