from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.log import TransitionLogBase
from core.validators import validate_no_cpr

from .application import Application


class TransitionLog(TransitionLogBase):
    """Who moved an application from which state to which, when and why. Never edited."""

    # PROTECT: an application with a history cannot be deleted (only a never-submitted draft can,
    # and no transition leaves a draft both unsubmitted and still a draft).
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="transitions")
    subject_field = "application"
    # The base's reason, checked for CPR numbers (the API and the pages check it before the log).
    reason = models.TextField(_("reason"), blank=True, validators=[validate_no_cpr])
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta(TransitionLogBase.Meta):
        verbose_name = _("transition log entry")
        verbose_name_plural = _("transition log")
        indexes = [models.Index(fields=["application", "at"], name="transition_app_at_idx")]


class JournalCounter(models.Model):
    """The last journal number handed out in a year; locked on submit so numbers have no gaps."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("journal counter")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
