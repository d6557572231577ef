"""Validators written once and used by the models, the forms and the API serializers."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

# A share of people, in percent.
share_validators = [
    MinValueValidator(Decimal(0), message=_("A percentage is from 0 to 100.")),
    MaxValueValidator(Decimal(100), message=_("A percentage is from 0 to 100.")),
]
# A FIP average: citizen and caseworker answer on a scale from 1 to 7.
fip_validators = [
    MinValueValidator(Decimal(1), message=_("A FIP average is from 1 to 7.")),
    MaxValueValidator(Decimal(7), message=_("A FIP average is from 1 to 7.")),
]
count_validators = [MinValueValidator(0, message=_("A count cannot be negative."))]
amount_validators = [MinValueValidator(Decimal(0), message=_("An amount cannot be negative."))]
# How many months a person is in activation: the economics reckon the activation cost over them.
activation_month_validators = [
    MinValueValidator(1, message=_("Activation lasts from 1 to 120 months.")),
    MaxValueValidator(120, message=_("Activation lasts from 1 to 120 months.")),
]
