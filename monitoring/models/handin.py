"""The hand-in life cycle that every quarterly report shares: a project's quarterly report and an
ambassador's report alike. One abstract model holds the quarter, the state, the submission stamps
and the returned reason, with the submit and return transitions; each report adds its own
decision (accept, acknowledge) and its figures.

Two questions are asked of such reports everywhere, and answered only here:

- *handed in*: submitted at least once (``first_submitted_at`` is set). SIRI sees it from then
  on, even after returning it, and timeliness counts its first hand-in;
- *counting*: handed in and not back in draft. Only these reports' figures count, so a report
  returned for correction stops counting until it is handed in again.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from core.constraints import Check
from core.lifecycle import Lifecycle
from core.validators import validate_no_cpr

from ..quarters import Quarter


class HandInState(models.TextChoices):
    """Every state a hand-in can be in; each report allows its own subset (see its constraint)."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")


class HandInQuerySet(models.QuerySet):
    def handed_in(self) -> HandInQuerySet:
        """Submitted at least once: SIRI sees these, and timeliness counts their first hand-in."""
        return self.filter(first_submitted_at__isnull=False)

    def counting(self) -> HandInQuerySet:
        """The reports whose figures count: handed in and not returned to draft since."""
        return self.handed_in().exclude(state=HandInState.DRAFT)


def by_permission(action: str) -> Any:
    """A django-fsm permission that asks `rules` with the permission the report class names for
    `action` (``submit`` or ``decide``), about this very report."""

    def check(instance: HandIn, user: Any) -> bool:
        return user.has_perm(instance.permissions[action], instance)

    return check


def quarter_constraint(prefix: str) -> models.CheckConstraint:
    return Check(
        condition=Q(quarter__gte=1, quarter__lte=4),
        name=f"{prefix}_quarter_1_4",
        field="quarter",
        message=_("A quarter is 1, 2, 3 or 4."),
    )


class HandIn(Lifecycle, models.Model):
    """A report handed in for one quarter and decided on by SIRI."""

    # The `rules` permissions of this report's transitions: {"submit": ..., "decide": ...}.
    permissions: ClassVar[dict[str, str]]
    not_from_state = _("The report cannot be %(action)s while it is %(state)s.")

    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    state = FSMField(_("state"), default=HandInState.DRAFT, choices=HandInState.choices, protected=False)
    returned_reason = models.TextField(_("reason it was returned"), blank=True, validators=[validate_no_cpr])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The first submission decides timeliness: a report returned and handed in again was on time
    # if its first version was.
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    objects = HandInQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def period(self) -> Quarter:
        return Quarter(self.year, self.quarter)

    @property
    def is_handed_in(self) -> bool:
        return self.first_submitted_at is not None

    def stamp_submitted(self) -> None:
        """What a submit records besides the state: when, and that no return reason stands."""
        now = timezone.now()
        self.submitted_at = now
        self.first_submitted_at = self.first_submitted_at or now
        self.returned_reason = ""

    # The life cycle. `core.lifecycle.run` locks the row, asks the permission, re-checks the
    # state and writes the log; each report adds its decision (accept, acknowledge).

    @transition(field=state, source=HandInState.DRAFT, target=HandInState.SUBMITTED, permission=by_permission("submit"))
    def submit(self) -> None:
        pass

    @transition(field=state, source=HandInState.SUBMITTED, target=HandInState.DRAFT, permission=by_permission("decide"))
    def return_to_draft(self) -> None:
        pass
