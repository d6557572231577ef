from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from applications.models import Goal, Grant
from core.constraints import Check
from core.log import AppendOnly, AppendOnlyQuerySet
from core.validators import validate_no_cpr
from core.visibility import VisibleQuerySet

from ..quarters import Quarter
from .reports import QuarterlyReport


class MilestoneQuerySet(VisibleQuerySet):
    def _visible_to_person(self, user: Any) -> MilestoneQuerySet:
        """The milestones of the grants the person may see (`monitoring.view_grant`, which the
        rules ask of a milestone as of its grant)."""
        return self.filter(grant__in=Grant.objects.visible_to(user))

    def owed(self) -> MilestoneQuerySet:
        """The milestones whose quarter's report has not been handed in (`handed_in_at`)."""
        return self.filter(handed_in_at__isnull=True)

    def mark_handed_in(self) -> int:
        """Set each milestone's `handed_in_at` from its quarter's report (cleared if none is
        handed in): one statement, for a quarter, a grant or all. Monitoring's signals call it
        when a report is saved or deleted; a writer that bypasses them (bulk seeding, `update`)
        calls it after."""
        first = QuarterlyReport.objects.filter(
            grant=OuterRef("grant"), year=OuterRef("year"), quarter=OuterRef("quarter")
        ).handed_in()
        return self.update(handed_in_at=Subquery(first.values("first_submitted_at")[:1]))


class Milestone(models.Model):
    """One calendar quarter of a grant's period: when its report is due and, per goal, the value
    expected by then (`ExpectedValue`)."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="milestones")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    report_due_on = models.DateField(_("report due on"))
    planned_activities = models.TextField(_("planned activities"), blank=True, validators=[validate_no_cpr])
    # When the quarter's report was first handed in (its `first_submitted_at`), kept here so that
    # the reports owed are found by an index over the few milestones still owed (SIRI's late
    # reports, a municipality's due ones) instead of matching every past quarter to its report.
    handed_in_at = models.DateTimeField(_("report handed in at"), null=True, blank=True, editable=False)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        # By the parent's id: by the parent itself, Django joined it to sort by its ordering (issue 16).
        ordering = ["grant_id", "year", "quarter"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.UniqueConstraint(fields=["grant", "year", "quarter"], name="milestone_unique_quarter"),
            Check(
                condition=Q(quarter__gte=1, quarter__lte=4),
                name="milestone_quarter_1_4",
                field="quarter",
                message=_("A quarter is 1, 2, 3 or 4."),
            ),
        ]
        indexes = [
            models.Index(fields=["report_due_on"], name="milestone_due_idx"),
            models.Index(
                fields=["report_due_on", "id"], condition=Q(handed_in_at__isnull=True), name="milestone_owed_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grant_id}: {self.period}"

    @property
    def period(self) -> Quarter:
        return Quarter(self.year, self.quarter)


class ExpectedValue(models.Model):
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="expected")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="expected_values")
    value = models.DecimalField(_("expected value"), max_digits=12, decimal_places=2)

    class Meta:
        # By the parent's id: by the parent itself, Django joined it to sort by its ordering (issue 16).
        ordering = ["milestone_id", "goal_id"]
        verbose_name = _("expected value")
        verbose_name_plural = _("expected values")
        constraints = [
            models.UniqueConstraint(fields=["milestone", "goal"], name="expected_unique_goal"),
            Check(
                condition=Q(value__gte=0),
                name="expected_value_gte_0",
                field="value",
                message=_("The expected value cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.milestone}: {self.goal_id} = {self.value}"


class MilestoneChange(AppendOnly, models.Model):
    """Every change the municipality makes to a milestone, as it was and as it became."""

    milestone = models.ForeignKey(Milestone, on_delete=models.PROTECT, related_name="changes")
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    field = models.CharField(_("field"), max_length=40)
    old = models.TextField(_("before"), blank=True)
    new = models.TextField(_("after"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("milestone change")
        verbose_name_plural = _("milestone changes")

    def __str__(self) -> str:
        return f"{self.milestone} {self.field}: {self.old} → {self.new}"
