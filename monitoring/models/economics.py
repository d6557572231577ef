"""The inputs of a project's economics (the Gribskov model's table, seed 000), entered by the
municipality or SIRI; what follows from them is computed in `monitoring.economics`."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.models import Grant
from core.constraints import Check
from core.money import MONEY_FIELD

from ..validators import activation_month_validators, amount_validators, share_validators

RATE_FIELD = {"max_digits": 5, "decimal_places": 2, "validators": share_validators}
AMOUNT_FIELD = {**MONEY_FIELD, "null": True, "blank": True, "validators": amount_validators}

# The refund rates of the seed's table: the state refunds 35 % of the support of a person who is
# not activated and 65 % of one who is.
REFUND_WITHOUT_ACTIVATION = Decimal(35)
REFUND_WITH_ACTIVATION = Decimal(65)
# The seed's months follow from a year of activation (12 × the monthly activation cost).
ACTIVATION_MONTHS = 12

AMOUNT_NAMES = ("net_support_cost", "activation_cost", "tax_income", "stated_net_gain")
RATE_NAMES = ("refund_without", "refund_with")


class ProjectEconomics(models.Model):
    """Per person and month, in kroner: what the support of a person costs, what activating
    them costs, the refund rates and the tax a person in work pays; and the self-sufficiency
    effect when the project's outcomes do not give it. One per grant."""

    grant = models.OneToOneField(Grant, on_delete=models.CASCADE, related_name="economics")
    effect = models.DecimalField(
        _("self-sufficiency effect (%)"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=share_validators,
    )  # fmt: skip
    net_support_cost = models.DecimalField(_("net support cost per person and month (DKK)"), **AMOUNT_FIELD)
    activation_cost = models.DecimalField(_("activation cost per person and month (DKK)"), **AMOUNT_FIELD)
    activation_months = models.PositiveSmallIntegerField(
        _("months of activation"), default=ACTIVATION_MONTHS, validators=activation_month_validators
    )
    refund_without = models.DecimalField(
        _("state refund without activation (%)"), default=REFUND_WITHOUT_ACTIVATION, **RATE_FIELD
    )
    refund_with = models.DecimalField(
        _("state refund with activation (%)"), default=REFUND_WITH_ACTIVATION, **RATE_FIELD
    )
    tax_income = models.DecimalField(_("tax income from work per person and month (DKK)"), **AMOUNT_FIELD)
    stated_net_gain = models.DecimalField(
        _("the municipality's net gain from work per person and month, as stated (DKK)"), **AMOUNT_FIELD
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("project economics")
        verbose_name_plural = _("project economics")
        constraints = [
            Check(
                condition=Q(effect__isnull=True) | Q(effect__gte=0, effect__lte=100),
                name="economics_effect_0_100",
                field="effect",
                message=_("The effect is between 0 and 100 %."),
            ),
            Check(
                condition=Q(refund_without__gte=0, refund_without__lte=100, refund_with__gte=0, refund_with__lte=100),
                name="economics_refunds_0_100",
                message=_("The state refunds are between 0 and 100 %."),
            ),
            Check(
                condition=Q(activation_months__gte=1, activation_months__lte=120),
                name="economics_months_1_120",
                field="activation_months",
                message=_("The months of activation are from 1 to 120."),
            ),
            Check(
                condition=Q(*(Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 0}) for name in AMOUNT_NAMES)),
                name="economics_amounts_gte_0",
                message=_("An amount cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grant.application}: {_('economics')}"
