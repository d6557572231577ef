"""A participating municipality's political approval of an application (byrådets godkendelse),
recorded per municipality: the application is submitted to SIRI with every approval on record
or with a note that it will be sent later."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.constraints import Check
from core.validators import validate_no_cpr

from .application import Application
from .choices import ApprovalStatus
from .people import Municipality


class PoliticalApproval(models.Model):
    """A participating municipality's political approval: given (date, body) or sent later."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="political_approvals")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=ApprovalStatus.choices)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    body = models.CharField(_("political body"), max_length=200, blank=True, validators=[validate_no_cpr])
    reference = models.CharField(_("reference"), max_length=200, blank=True, validators=[validate_no_cpr])
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        # By the parent's id: by the parent itself, Django joined it to sort by its ordering (issue 16).
        ordering = ["application_id", "municipality__code"]
        verbose_name = _("political approval")
        verbose_name_plural = _("political approvals")
        constraints = [
            models.UniqueConstraint(fields=["application", "municipality"], name="approval_one_per_municipality"),
            Check(
                condition=Q(status__in=ApprovalStatus.values),
                name="approval_status_valid",
                field="status",
                message=_("Choose one of the values offered."),
            ),
            Check(
                condition=~Q(status=ApprovalStatus.APPROVED) | Q(decided_on__isnull=False),
                name="approval_approved_has_date",
                field="decided_on",
                message=_("Give the date of the political decision."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.get_status_display()}"
