from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import transition

from applications.models import Application, Goal, Grant
from core.constraints import Check
from core.log import TransitionLogBase
from core.money import MONEY_FIELD
from core.roles import SIRI_ROLES, Role, municipality_ids, role_of
from core.validators import validate_no_cpr
from core.visibility import VisibleQuerySet

from ..quarters import Quarter
from ..validators import amount_validators, count_validators, fip_validators, share_validators
from .choices import FipDimension, OutcomePoint, ReportState, Respondent
from .handin import HandIn, HandInQuerySet, by_permission, quarter_constraint

SHARE_FIELD = {"max_digits": 5, "decimal_places": 2, "null": True, "blank": True, "validators": share_validators}


def _shares_between_0_and_100(*names: str) -> Q:
    condition = Q()
    for name in names:
        condition &= Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 0, f"{name}__lte": 100})
    return condition


KPI_FIELDS = ("self_supporting_share", "job_ready_share", "company_activation_share")


class QuarterlyReportQuerySet(HandInQuerySet, VisibleQuerySet):
    def _visible_to_person(self, user: Any) -> QuarterlyReportQuerySet:
        """The `monitoring.view_report` rule: the project's municipalities (their applicants and
        committee members) see all its reports, drafts included; SIRI sees a report once it has
        been handed in, and keeps seeing it when it returns it."""
        role = role_of(user)
        if role in SIRI_ROLES:
            return self.handed_in()
        if role in (Role.APPLICANT, Role.COMMITTEE):
            involved = Application.objects.involving(sorted(municipality_ids(user)))
            return self.filter(grant__application__in=involved)
        return self.none()


class QuarterlyReport(HandIn):
    """What a granted project reports for one quarter: aggregates only, never a citizen."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="reports")
    permissions = {"submit": "monitoring.submit_report", "decide": "monitoring.decide_report"}

    narrative = models.TextField(_("what happened in the quarter"), blank=True, validators=[validate_no_cpr])
    obstacles = models.TextField(_("obstacles"), blank=True, validators=[validate_no_cpr])
    adjustments = models.TextField(_("adjustments"), blank=True, validators=[validate_no_cpr])
    enrolled = models.PositiveIntegerField(_("people enrolled"), null=True, blank=True, validators=count_validators)
    spent_to_date = models.DecimalField(
        _("money spent to date (DKK)"), **MONEY_FIELD, null=True, blank=True, validators=amount_validators
    )
    self_supporting_share = models.DecimalField(_("share self-supporting or in education (%)"), **SHARE_FIELD)
    job_ready_share = models.DecimalField(_("share job-ready (%)"), **SHARE_FIELD)
    company_activation_share = models.DecimalField(_("share in company-directed activation (%)"), **SHARE_FIELD)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    objects = QuarterlyReportQuerySet.as_manager()

    class Meta:
        # By the parent's id: by the parent itself, Django joined it to sort by its ordering (issue 16).
        ordering = ["grant_id", "year", "quarter"]
        verbose_name = _("quarterly report")
        verbose_name_plural = _("quarterly reports")
        constraints = [
            models.UniqueConstraint(fields=["grant", "year", "quarter"], name="report_unique_quarter"),
            quarter_constraint("report"),
            Check(
                condition=Q(state__in=ReportState.values),
                name="report_state_valid",
                field="state",
                message=_("Choose one of the values offered."),
            ),
            Check(
                condition=Q(spent_to_date__isnull=True) | Q(spent_to_date__gte=0),
                name="report_spent_gte_0",
                field="spent_to_date",
                message=_("An amount cannot be negative."),
            ),
            Check(
                condition=_shares_between_0_and_100(*KPI_FIELDS),
                name="report_kpis_0_100",
                message=_("The KPIs are shares between 0 and 100 %."),
            ),
        ]
        indexes = [
            models.Index(fields=["state", "submitted_at"], name="report_state_submitted_idx"),
            # Whether a quarter's report was handed in and when, read from the index alone: the
            # late reports and the timeliness per quarter join every milestone due to it, and
            # the report's own row is wide (its texts).
            models.Index(fields=["grant", "year", "quarter", "first_submitted_at"], name="report_handed_in_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.grant.application} – {self.period}"

    @property
    def kpis(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in KPI_FIELDS}

    @transition(
        field="state", source=ReportState.SUBMITTED, target=ReportState.ACCEPTED, permission=by_permission("decide")
    )
    def accept(self) -> None:
        pass


class GoalProgress(models.Model):
    """A goal's value so far, as the report states it (cumulative) or for the quarter (a level).

    A share (a percentage goal) is reported as n of N, `numerator` of `denominator` (12 of 30
    self-supporting), and its `value` is computed from them: it cannot pass 100 %. A cohort goal
    whose cohort is still empty has N = 0 and no value."""

    report = models.ForeignKey(QuarterlyReport, on_delete=models.CASCADE, related_name="progress")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="progress")
    value = models.DecimalField(
        _("value"), max_digits=12, decimal_places=2, null=True, blank=True, validators=count_validators
    )
    numerator = models.PositiveIntegerField(_("n (of them)"), null=True, blank=True, validators=count_validators)
    denominator = models.PositiveIntegerField(_("N (out of)"), null=True, blank=True, validators=count_validators)
    comment = models.TextField(_("comment"), blank=True, validators=[validate_no_cpr])

    class Meta:
        # By the parent's id: by the parent itself, Django joined it to sort by its ordering (issue 16).
        ordering = ["report_id", "goal_id"]
        verbose_name = _("goal progress")
        verbose_name_plural = _("goal progress")
        constraints = [
            models.UniqueConstraint(fields=["report", "goal"], name="progress_unique_goal"),
            Check(
                condition=Q(value__gte=0),
                name="progress_value_gte_0",
                field="value",
                message=_("A value cannot be negative."),
            ),
            Check(
                condition=Q(numerator__isnull=True, denominator__isnull=True)
                | Q(numerator__isnull=False, denominator__isnull=False, numerator__lte=models.F("denominator")),
                name="progress_share_n_lte_total",
                field="numerator",
                message=_("n cannot be more than N: a share is at most 100 %."),
            ),
            Check(
                condition=Q(value__isnull=False) | Q(denominator=0),
                name="progress_value_unless_empty_cohort",
                field="value",
                message=_("Give a value."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.goal_id} = {self.value}"


class FipScore(models.Model):
    """The average FIP answer of one dimension and respondent in the quarter, over `n` answers."""

    report = models.ForeignKey(QuarterlyReport, on_delete=models.CASCADE, related_name="fip")
    dimension = models.CharField(_("dimension"), max_length=30, choices=FipDimension.choices)
    respondent = models.CharField(_("respondent"), max_length=20, choices=Respondent.choices)
    average = models.DecimalField(_("average"), max_digits=3, decimal_places=2, validators=fip_validators)
    n = models.PositiveIntegerField(_("answers"), default=0, validators=count_validators)

    class Meta:
        # By the parent's id: by the parent itself, Django joined it to sort by its ordering (issue 16).
        ordering = ["report_id", "dimension", "respondent"]
        verbose_name = _("FIP average")
        verbose_name_plural = _("FIP averages")
        constraints = [
            models.UniqueConstraint(fields=["report", "dimension", "respondent"], name="fip_unique_dimension"),
            Check(
                condition=Q(average__gte=1, average__lte=7),
                name="fip_average_1_7",
                field="average",
                message=_("An average answer is from 1 to 7."),
            ),
            Check(
                condition=Q(dimension__in=FipDimension.values),
                name="fip_dimension_valid",
                field="dimension",
                message=_("Choose one of the values offered."),
            ),
            Check(
                condition=Q(respondent__in=Respondent.values),
                name="fip_respondent_valid",
                field="respondent",
                message=_("Choose one of the values offered."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.dimension}/{self.respondent} = {self.average}"


class Outcome(models.Model):
    """How many of the participants were in ordinary work at project end, 3 and 12 months after."""

    report = models.ForeignKey(QuarterlyReport, on_delete=models.CASCADE, related_name="outcomes")
    point = models.CharField(_("when"), max_length=20, choices=OutcomePoint.choices)
    participants = models.PositiveIntegerField(_("participants"), validators=count_validators)
    employed = models.PositiveIntegerField(_("in ordinary work"), validators=count_validators)

    class Meta:
        # By the parent's id: by the parent itself, Django joined it to sort by its ordering (issue 16).
        ordering = ["report_id", "point"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            models.UniqueConstraint(fields=["report", "point"], name="outcome_unique_point"),
            Check(
                condition=Q(employed__lte=models.F("participants")),
                name="outcome_employed_lte_all",
                field="employed",
                message=_("No more can be in ordinary work than took part."),
            ),
            Check(
                condition=Q(point__in=OutcomePoint.values),
                name="outcome_point_valid",
                field="point",
                message=_("Choose one of the values offered."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.point} {self.employed}/{self.participants}"


class ReportLog(TransitionLogBase):
    """Who moved a report from which state to which, when and why. Never edited."""

    report = models.ForeignKey(QuarterlyReport, on_delete=models.PROTECT, related_name="transitions")
    subject_field = "report"
    reason = models.TextField(_("reason"), blank=True, validators=[validate_no_cpr])

    class Meta(TransitionLogBase.Meta):
        verbose_name = _("report log entry")
        verbose_name_plural = _("report log")
        indexes = [models.Index(fields=["report", "at"], name="report_log_report_at_idx")]


class NationalKpi(models.Model):
    """The national averages of the three central KPIs in a quarter, as SIRI enters them."""

    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    self_supporting_share = models.DecimalField(_("share self-supporting or in education (%)"), **SHARE_FIELD)
    job_ready_share = models.DecimalField(_("share job-ready (%)"), **SHARE_FIELD)
    company_activation_share = models.DecimalField(_("share in company-directed activation (%)"), **SHARE_FIELD)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "-quarter"]
        verbose_name = _("national KPI average")
        verbose_name_plural = _("national KPI averages")
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="national_kpi_unique_quarter"),
            Check(
                condition=Q(quarter__gte=1, quarter__lte=4),
                name="national_kpi_quarter_1_4",
                field="quarter",
                message=_("A quarter is 1, 2, 3 or 4."),
            ),
            Check(
                condition=_shares_between_0_and_100(*KPI_FIELDS),
                name="national_kpi_0_100",
                message=_("The KPIs are shares between 0 and 100 %."),
            ),
        ]

    def __str__(self) -> str:
        return str(Quarter(self.year, self.quarter))

    @property
    def kpis(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in KPI_FIELDS}
