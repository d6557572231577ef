from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .application import Application


class AppendOnlyError(Exception):
    pass


class AppendOnly:
    """A log row: written once, never edited or deleted (the audit trail)."""

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("The log cannot be edited.")
        super().save(*args, **kwargs)  # type: ignore[misc]

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("The log cannot be edited.")


class TransitionLog(AppendOnly, models.Model):
    """Who moved an application from which state to which, when and why. Never edited."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="transitions")
    transition = models.CharField(_("transition"), max_length=40)
    source = models.CharField(_("from"), max_length=30)
    target = models.CharField(_("to"), max_length=30)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("transition log entry")
        verbose_name_plural = _("transition log")
        indexes = [models.Index(fields=["application", "at"], name="transition_app_at_idx")]

    def __str__(self) -> str:
        return f"{self.application}: {self.source} → {self.target}"


class JournalCounter(models.Model):
    """The last journal number handed out in a year; locked on submit so numbers have no gaps."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("journal counter")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
