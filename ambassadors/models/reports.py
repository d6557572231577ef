from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from applications.models import Goal
from applications.models.log import AppendOnly
from monitoring.quarters import Quarter

from .choices import AmbassadorReportState
from .network import Ambassador

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

COUNT = {"default": 0}
# The numbers of a report, in the order the form asks for them.
COUNT_FIELDS = (
    "company_contacts",
    "new_partnerships",
    "matches_internship",
    "matches_wage_subsidy",
    "matches_igu",
    "matches_ordinary_job",
    "meetings_attended",
    "knowledge_sharing",
)


def _allowed(permission: str):
    def check(instance: AmbassadorReport, user: AbstractBaseUser) -> bool:
        return user.has_perm(permission, instance)

    return check


class AmbassadorReport(models.Model):
    """What an ambassador did in one quarter: companies, matches, network, contribution to goals."""

    ambassador = models.ForeignKey(Ambassador, on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    state = FSMField(
        _("state"), default=AmbassadorReportState.DRAFT, choices=AmbassadorReportState.choices, protected=False
    )

    company_contacts = models.PositiveIntegerField(_("company contacts made"), **COUNT)
    new_partnerships = models.PositiveIntegerField(_("new company partnerships"), **COUNT)
    matches_internship = models.PositiveIntegerField(_("matches: company internship"), **COUNT)
    matches_wage_subsidy = models.PositiveIntegerField(_("matches: wage subsidy"), **COUNT)
    matches_igu = models.PositiveIntegerField(_("matches: IGU"), **COUNT)
    matches_ordinary_job = models.PositiveIntegerField(_("matches: ordinary job"), **COUNT)
    meetings_attended = models.PositiveIntegerField(_("network meetings attended"), **COUNT)
    knowledge_sharing = models.PositiveIntegerField(_("knowledge-sharing activities"), **COUNT)
    best_practices = models.TextField(_("best practices found"), blank=True)
    obstacles = models.TextField(_("obstacles"), blank=True)
    narrative = models.TextField(_("narrative"), blank=True)

    returned_reason = models.TextField(_("reason it was returned"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        ordering = ["ambassador", "year", "quarter"]
        verbose_name = _("ambassador report")
        verbose_name_plural = _("ambassador reports")
        constraints = [
            models.UniqueConstraint(fields=["ambassador", "year", "quarter"], name="ambassador_report_unique_quarter"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="ambassador_report_quarter_1_4"),
            models.CheckConstraint(
                condition=Q(state__in=AmbassadorReportState.values), name="ambassador_report_state_valid"
            ),
        ]
        indexes = [models.Index(fields=["state", "year", "quarter"], name="amb_report_state_quarter_idx")]

    def __str__(self) -> str:
        return f"{self.ambassador} – {self.period}"

    @property
    def period(self) -> Quarter:
        return Quarter(self.year, self.quarter)

    @property
    def matches(self) -> int:
        return self.matches_internship + self.matches_wage_subsidy + self.matches_igu + self.matches_ordinary_job

    @transition(
        field=state,
        source=AmbassadorReportState.DRAFT,
        target=AmbassadorReportState.SUBMITTED,
        permission=_allowed("ambassadors.submit_report"),
    )
    def submit(self) -> None:
        pass

    @transition(
        field=state,
        source=AmbassadorReportState.SUBMITTED,
        target=AmbassadorReportState.ACKNOWLEDGED,
        permission=_allowed("ambassadors.acknowledge_report"),
    )
    def acknowledge(self) -> None:
        pass

    @transition(
        field=state,
        source=AmbassadorReportState.SUBMITTED,
        target=AmbassadorReportState.DRAFT,
        permission=_allowed("ambassadors.acknowledge_report"),
    )
    def return_to_draft(self) -> None:
        pass


class GoalContribution(models.Model):
    """The ambassador's share in one of the project's goals this quarter: a number and a comment."""

    report = models.ForeignKey(AmbassadorReport, on_delete=models.CASCADE, related_name="contributions")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="ambassador_contributions")
    value = models.DecimalField(_("contribution"), max_digits=12, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["report", "goal"]
        verbose_name = _("contribution to a goal")
        verbose_name_plural = _("contributions to goals")
        constraints = [
            models.UniqueConstraint(fields=["report", "goal"], name="contribution_unique_goal"),
            models.CheckConstraint(condition=Q(value__gte=0), name="contribution_value_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.goal_id} = {self.value}"


class AmbassadorReportLog(AppendOnly, models.Model):
    report = models.ForeignKey(AmbassadorReport, on_delete=models.CASCADE, related_name="transitions")
    transition = models.CharField(_("transition"), max_length=40)
    source = models.CharField(_("from"), max_length=30)
    target = models.CharField(_("to"), max_length=30)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("ambassador report log entry")
        verbose_name_plural = _("ambassador report log")

    def __str__(self) -> str:
        return f"{self.report}: {self.source} → {self.target}"
