from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.money import MONEY_FIELD, quantize
from core.validators import validate_no_cpr

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
]


class PoolQuerySet(models.QuerySet["Pool"]):
    def with_totals(self) -> PoolQuerySet:
        return self.annotate(granted_sum=Sum("applications__award__amount"))


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
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PoolQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "name"]
        verbose_name = _("pool")
        verbose_name_plural = _("pools")
        constraints = [
            models.CheckConstraint(condition=models.Q(total_budget__gte=0), name="pool_budget_gte_0"),
            models.CheckConstraint(condition=models.Q(max_grant__gte=0), name="pool_max_grant_gte_0"),
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="pool_window_ordered",
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
        if hasattr(self, "granted_sum"):  # annotated by PoolQuerySet.with_totals() for lists
            return quantize(self.granted_sum)
        return quantize(self.applications.aggregate(total=Sum("award__amount"))["total"])

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
        ordering = ["pool", "position", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["pool", "name"], name="criterion_unique_name_per_pool"),
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="criterion_weight_gt_0"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight})"
