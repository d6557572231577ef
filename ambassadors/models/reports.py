from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import transition

from applications.models import Goal
from core.constraints import Check
from core.log import TransitionLogBase
from core.roles import SIRI_ROLES, municipality_ids, role_of
from core.validators import validate_no_cpr
from core.visibility import VisibleQuerySet
from monitoring.models.handin import HandIn, HandInQuerySet, by_permission, quarter_constraint

from .choices import AmbassadorReportState
from .network import MUNICIPALITY_PEOPLE, Ambassador

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


class AmbassadorReportQuerySet(HandInQuerySet, VisibleQuerySet):
    def _visible_to_person(self, user: Any) -> AmbassadorReportQuerySet:
        """The `ambassadors.view_report` rule: an ambassador's own reports, drafts included; once
        handed in, every report for SIRI and its municipality's for that municipality's people."""
        own = self.filter(ambassador__user_id=user.pk)
        role = role_of(user)
        if role in SIRI_ROLES:
            return own | self.handed_in()
        if role in MUNICIPALITY_PEOPLE:
            return own | self.handed_in().filter(ambassador__municipality_id__in=municipality_ids(user))
        return own


class AmbassadorReport(HandIn):
    """What an ambassador did in one quarter: companies, matches, network, contribution to goals."""

    ambassador = models.ForeignKey(Ambassador, on_delete=models.CASCADE, related_name="reports")
    permissions = {"submit": "ambassadors.submit_report", "decide": "ambassadors.acknowledge_report"}

    company_contacts = models.PositiveIntegerField(_("company contacts made"), **COUNT)
    new_partnerships = models.PositiveIntegerField(_("new company partnerships"), **COUNT)
    matches_internship = models.PositiveIntegerField(_("matches: company internship"), **COUNT)
    matches_wage_subsidy = models.PositiveIntegerField(_("matches: wage subsidy"), **COUNT)
    matches_igu = models.PositiveIntegerField(_("matches: IGU"), **COUNT)
    matches_ordinary_job = models.PositiveIntegerField(_("matches: ordinary job"), **COUNT)
    meetings_attended = models.PositiveIntegerField(_("network meetings attended"), **COUNT)
    knowledge_sharing = models.PositiveIntegerField(_("knowledge-sharing activities"), **COUNT)
    best_practices = models.TextField(_("best practices found"), blank=True, validators=[validate_no_cpr])
    obstacles = models.TextField(_("obstacles"), blank=True, validators=[validate_no_cpr])
    narrative = models.TextField(_("narrative"), blank=True, validators=[validate_no_cpr])

    objects = AmbassadorReportQuerySet.as_manager()

    class Meta:
        ordering = ["ambassador", "year", "quarter"]
        verbose_name = _("ambassador report")
        verbose_name_plural = _("ambassador reports")
        constraints = [
            models.UniqueConstraint(fields=["ambassador", "year", "quarter"], name="ambassador_report_unique_quarter"),
            quarter_constraint("ambassador_report"),
            Check(
                condition=Q(state__in=AmbassadorReportState.values),
                name="ambassador_report_state_valid",
                field="state",
                message=_("Choose one of the values offered."),
            ),
        ]
        indexes = [models.Index(fields=["state", "year", "quarter"], name="amb_report_state_quarter_idx")]

    def __str__(self) -> str:
        return f"{self.ambassador} – {self.period}"

    @property
    def matches(self) -> int:
        return self.matches_internship + self.matches_wage_subsidy + self.matches_igu + self.matches_ordinary_job

    @transition(
        field="state",
        source=AmbassadorReportState.SUBMITTED,
        target=AmbassadorReportState.ACKNOWLEDGED,
        permission=by_permission("decide"),
    )
    def acknowledge(self) -> None:
        pass


class GoalContribution(models.Model):
    """The ambassador's share in one of the project's goals this quarter: a number and a comment."""

    report = models.ForeignKey(AmbassadorReport, on_delete=models.CASCADE, related_name="contributions")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="ambassador_contributions")
    value = models.DecimalField(_("contribution"), max_digits=12, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True, validators=[validate_no_cpr])

    class Meta:
        # By the parent's id: by the parent itself, Django joined it to sort by its ordering (issue 16).
        ordering = ["report_id", "goal_id"]
        verbose_name = _("contribution to a goal")
        verbose_name_plural = _("contributions to goals")
        constraints = [
            models.UniqueConstraint(fields=["report", "goal"], name="contribution_unique_goal"),
            Check(
                condition=Q(value__gte=0),
                name="contribution_value_gte_0",
                field="value",
                message=_("A count cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.goal_id} = {self.value}"


class AmbassadorReportLog(TransitionLogBase):
    report = models.ForeignKey(AmbassadorReport, on_delete=models.PROTECT, related_name="transitions")
    subject_field = "report"
    reason = models.TextField(_("reason"), blank=True, validators=[validate_no_cpr])

    class Meta(TransitionLogBase.Meta):
        verbose_name = _("ambassador report log entry")
        verbose_name_plural = _("ambassador report log")
