"""The follow-up after a project's end: of the participants who completed, how many are in work or
education 3 and 12 months after the grant's end date (the Gribskov model's "10 ud af 10 deltagere
havde opnået ordinær beskæftigelse 12 mdr. efter projektafslutning", seed 000).

A follow-up is handed in once per point and not edited afterwards: it is a statement to SIRI, read
in the committee's and SIRI's PDFs, as a handed-in report is (services.record_follow_up refuses a
second one for the same point).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Grant, GrantState
from core.constraints import Check
from core.validators import validate_no_cpr
from core.visibility import VisibleQuerySet

from ..quarters import add_months
from ..validators import count_validators
from .choices import FOLLOW_UP_MONTHS, FollowUpPoint

# The grants that take follow-ups: those that were in force (accepted), including one whose
# accounts are in or which SIRI has closed, as the follow-up comes after the financial closing.
# A grant awaiting acceptance was never in force, and a lapsed or revoked one takes none.
FOLLOW_UP_STATES = (GrantState.ACTIVE, GrantState.ACCOUNTS_SUBMITTED, GrantState.CLOSED)


def point_date(grant: Grant, point: str) -> datetime.date:
    """The day the point falls: the grant's end date plus 3 or 12 months. From this day on the
    follow-up can be recorded."""
    return add_months(grant.end_date, FOLLOW_UP_MONTHS[FollowUpPoint(point)])


def due_date(grant: Grant, point: str) -> datetime.date:
    """The day the follow-up is due: the point's day plus the pool's days for handing in, the
    same delay a quarterly report has after its quarter's end. Reads grant.application.pool."""
    return point_date(grant, point) + datetime.timedelta(days=grant.application.pool.reporting_delay_days)


def takes_follow_ups(grant: Grant) -> bool:
    return grant.state in FOLLOW_UP_STATES


class FollowUpQuerySet(VisibleQuerySet):
    def _visible_to_person(self, user: Any) -> FollowUpQuerySet:
        """The `monitoring.view_followup` rule: whoever may see the grant sees its follow-ups."""
        return self.filter(grant__in=Grant.objects.visible_to(user))


class FollowUp(models.Model):
    """What the project's municipality reports at one point after the end: aggregates only."""

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="follow_ups")
    point = models.CharField(_("when"), max_length=20, choices=FollowUpPoint.choices)
    completed = models.PositiveIntegerField(_("participants who completed"), validators=count_validators)
    in_work_or_education = models.PositiveIntegerField(_("of them in work or education"), validators=count_validators)
    comment = models.TextField(_("comment"), blank=True, validators=[validate_no_cpr])
    submitted_at = models.DateTimeField(_("handed in"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        # By the parent's id: by the parent itself, Django joined it to sort by its ordering (issue 16).
        ordering = ["grant_id", "point"]
        verbose_name = _("follow-up after the end")
        verbose_name_plural = _("follow-ups after the end")
        constraints = [
            models.UniqueConstraint(fields=["grant", "point"], name="followup_unique_point"),
            Check(
                condition=Q(in_work_or_education__lte=models.F("completed")),
                name="followup_in_work_lte_completed",
                field="in_work_or_education",
                message=_("No more can be in work or education than completed the project."),
            ),
            Check(
                condition=Q(point__in=FollowUpPoint.values),
                name="followup_point_valid",
                field="point",
                message=_("Choose one of the values offered."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grant_id}: {self.point} {self.in_work_or_education}/{self.completed}"

    @property
    def due_on(self) -> datetime.date:
        return due_date(self.grant, self.point)

    @property
    def point_on(self) -> datetime.date:
        return point_date(self.grant, self.point)
