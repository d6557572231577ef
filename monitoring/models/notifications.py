from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.constraints import Check

from .choices import NotificationKind


class Notification(models.Model):
    """An e-mail that was sent, keyed so that no reminder or notice is ever sent twice."""

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    milestone = models.ForeignKey(
        "monitoring.Milestone", on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    recipients = models.TextField(_("recipients"))
    subject = models.CharField(_("subject"), max_length=300)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            Check(
                condition=models.Q(kind__in=NotificationKind.values),
                name="notification_kind_valid",
                field="kind",
                message=_("Choose one of the values offered."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.subject}"
