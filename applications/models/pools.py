from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.constraints import Check
from core.money import MONEY_FIELD, quantize
from core.validators import validate_no_cpr

from ..validators import validate_guidance
from .choices import HOLDING_STATES

# What a pool admin edits, in the order the form and the API show it.
POOL_FIELDS = [
    "name",
    "description",
    "legal_basis",
    "total_budget",
    "max_grant",
    "opens_on",
    "closes_on",
    "project_start_earliest",
    "project_end_latest",
    "requires_political_approval",
    "reporting_delay_days",
    # SIRI's guidance per section of the application form, shown above the section.
    "guidance",
    # The terms of its grants (the grant administration's, `awards`): the grant letter states them.
    "finance_act_account",
    "standard_conditions",
    "appeal_guidance",
    "acceptance_days",
    "retention_percent",
    "payment_grace_days",
    "variance_explain_percent",
    "repayment_minimum",
    "final_report_days",
    "repayment_days",
    "audit_registered_above",
    "audit_performance_above",
    # How its applications are reviewed: how many reviewers each, and above which amount a
    # second reviewer must concur before a grant.
    "reviewers_per_application",
    "concurrence_above",
]

MAX_REVIEWERS = 5
PERCENT_VALIDATORS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class PoolQuerySet(models.QuerySet["Pool"]):
    def with_totals(self) -> PoolQuerySet:
        return self.annotate(
            granted_sum=Sum("applications__award__amount", filter=Q(applications__award__state__in=HOLDING_STATES))
        )


class Pool(models.Model):
    """A grant pool (pulje): a budget, an application window and how applications are scored."""

    name = models.CharField(_("name"), max_length=200, validators=[validate_no_cpr])
    description = models.TextField(_("purpose"), blank=True, validators=[validate_no_cpr])
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True, validators=[validate_no_cpr])
    total_budget = models.DecimalField(
        _("total budget (DKK)"), **MONEY_FIELD, validators=[MinValueValidator(Decimal(0))]
    )
    max_grant = models.DecimalField(
        _("maximum grant per application (DKK)"),
        **MONEY_FIELD,
        validators=[MinValueValidator(Decimal(0))],
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("application deadline"))
    project_start_earliest = models.DateField(_("projects start at the earliest"), null=True, blank=True)
    project_end_latest = models.DateField(_("projects end at the latest"), null=True, blank=True)
    requires_political_approval = models.BooleanField(_("requires political approval"), default=True)
    reporting_delay_days = models.PositiveSmallIntegerField(_("days after quarter end a report is due"), default=30)
    guidance = models.JSONField(
        _("guidance per section"),
        default=dict,
        blank=True,
        validators=[validate_guidance],
        help_text=_(
            "SIRI's guidance to the applicants, shown above each section of the application form: "
            "what the section must describe."
        ),
    )
    # The terms of the pool's grants, which the grant letter states and the grant administration
    # (awards) applies; the defaults are the state's usual practice.
    finance_act_account = models.CharField(
        _("Finance Act account"),
        max_length=100,
        blank=True,
        validators=[validate_no_cpr],
        help_text=_("The account of the Finance Act the grants are paid from, e.g. § 17.46.04.10"),
    )
    standard_conditions = models.TextField(
        _("standard conditions"),
        blank=True,
        validators=[validate_no_cpr],
        help_text=_("The conditions every grant of the pool carries; the grant letter states them."),
    )
    appeal_guidance = models.TextField(
        _("appeal guidance"),
        blank=True,
        validators=[validate_no_cpr],
        help_text=_("Leave empty for the standard text: no administrative appeal, the Ombudsman and the courts."),
    )
    acceptance_days = models.PositiveSmallIntegerField(
        _("days to accept a grant"),
        default=14,
        validators=[MinValueValidator(1)],
        help_text=_("After the decision; a grant not accepted in time lapses."),
    )
    retention_percent = models.DecimalField(
        _("share retained until the final accounts (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(10),
        validators=PERCENT_VALIDATORS,
    )
    payment_grace_days = models.PositiveSmallIntegerField(
        _("days a report may be late before payments are held"), default=14
    )
    variance_explain_percent = models.DecimalField(
        _("budget variance to explain in the accounts (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(10),
        validators=PERCENT_VALIDATORS,
    )
    repayment_minimum = models.DecimalField(
        _("smallest amount claimed back (DKK)"),
        **MONEY_FIELD,
        default=Decimal(500),
        validators=[MinValueValidator(Decimal(0))],
    )
    final_report_days = models.PositiveSmallIntegerField(
        _("days after the period a final report and accounts are due"),
        default=90,
        validators=[MaxValueValidator(730)],
        help_text=_("The final report and the audited final accounts are due this many days after the project ends."),
    )
    repayment_days = models.PositiveSmallIntegerField(
        _("days to repay"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("A repayment claim is due this many days after SIRI approves the final accounts."),
    )
    audit_registered_above = models.DecimalField(
        _("registered auditor above (DKK)"),
        **MONEY_FIELD,
        default=Decimal(100000),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Up to this amount an independent qualified accountant may audit the accounts."),
    )
    audit_performance_above = models.DecimalField(
        _("performance audit above (DKK)"),
        **MONEY_FIELD,
        default=Decimal(500000),
        validators=[MinValueValidator(Decimal(0))],
    )
    reviewers_per_application = models.PositiveSmallIntegerField(
        _("reviewers per application"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_REVIEWERS)],
        help_text=_("How many reviewers the pool admin assigns to each application."),
    )
    concurrence_above = models.DecimalField(
        _("second reviewer above (DKK)"),
        **MONEY_FIELD,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_(
            "A grant above this amount needs a second reviewer who recommends granting at least as much. "
            "Leave empty if one reviewer's recommendation is always enough."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PoolQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "name"]
        verbose_name = _("pool")
        verbose_name_plural = _("pools")
        constraints = [
            Check(
                condition=models.Q(total_budget__gte=0),
                name="pool_budget_gte_0",
                field="total_budget",
                message=_("An amount cannot be negative."),
            ),
            Check(
                condition=models.Q(max_grant__gte=0),
                name="pool_max_grant_gte_0",
                field="max_grant",
                message=_("An amount cannot be negative."),
            ),
            Check(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="pool_window_ordered",
                field="closes_on",
                message=_("The deadline cannot be before the pool opens."),
            ),
            Check(
                condition=models.Q(retention_percent__gte=0, retention_percent__lte=100)
                & models.Q(variance_explain_percent__gte=0, variance_explain_percent__lte=100),
                name="pool_percents_0_100",
                message=_("The retained share and the budget variance to explain are between 0 and 100 %."),
            ),
            Check(
                condition=models.Q(audit_performance_above__gte=models.F("audit_registered_above")),
                name="pool_audit_levels_ordered",
                field="audit_performance_above",
                message=_("The limit of the performance audit cannot be below that of the registered auditor."),
            ),
            Check(
                condition=models.Q(reviewers_per_application__gte=1, reviewers_per_application__lte=MAX_REVIEWERS),
                name="pool_reviewers_1_5",
                field="reviewers_per_application",
                message=_("An application has from 1 to 5 reviewers."),
            ),
            Check(
                condition=models.Q(concurrence_above__isnull=True) | models.Q(concurrence_above__gte=0),
                name="pool_concurrence_gte_0",
                field="concurrence_above",
                message=_("An amount cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_open_on(self, day: datetime.date) -> bool:
        return self.opens_on <= day <= self.closes_on

    @property
    def is_open(self) -> bool:
        return self.is_open_on(timezone.localdate())

    @property
    def granted_total(self) -> Decimal:
        """What the pool's grants hold: a lapsed or revoked grant's amount is back in the pool."""
        if hasattr(self, "granted_sum"):  # annotated by PoolQuerySet.with_totals() for lists
            return quantize(self.granted_sum)
        held = Q(award__state__in=HOLDING_STATES)
        return quantize(self.applications.aggregate(total=Sum("award__amount", filter=held))["total"])

    @property
    def remaining_budget(self) -> Decimal:
        return quantize(self.total_budget - self.granted_total)


class Criterion(models.Model):
    """An assessment criterion reviewers score 1–5; its weight counts in the weighted total."""

    pool = models.ForeignKey(Pool, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=200, validators=[validate_no_cpr])
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        # By the parent's id: by the parent itself, Django joined it to sort by its ordering (issue 16).
        ordering = ["pool_id", "position", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["pool", "name"], name="criterion_unique_name_per_pool"),
            Check(
                condition=models.Q(weight__gt=0),
                name="criterion_weight_gt_0",
                field="weight",
                message=_("The weight must be more than 0."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight})"
