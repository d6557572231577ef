"""The economics of a project, after the Gribskov model's table "Aktiveringsøkonomi" (seed 000,
"Projekt 44 point = arbejde"): what activating a person costs the municipality, and how many
months of the effect it takes to earn that back.

All amounts are per person and month, in kroner (`core.money.quantize`, to the øre):

    state refund                  R(r) = net support cost × r
                                  r = the refund rate: 35 % without activation, 65 % with
    municipal support cost        K(r) = net support cost − R(r)
    municipality's net gain       G₀   = K(35 %) + tax income from work        (without activation)
      from a person in work       G    = K(65 %) + tax income from work        (with activation)
                                  A stated net gain, when entered, replaces G (the seed states
                                  9.489 kr., which no formula gives from its printed inputs).
    months until the municipality's activation cost is neutralised
                                  M    = activation months × activation cost ÷ (effect × G)
                                  to one decimal, half up; none when effect × G is 0.

The self-sufficiency effect is the share of the participants in ordinary work. It comes from the
project's outcomes (6 of 10 in work at project end = 60 %), one figure per outcome point reported,
or from the effect entered with the inputs; every one is shown with where it comes from. The one
the briefing's sentence names is the first outcome point reported (at project end, else 3, else
12 months after): the months are counted from the project's end, so its first figure is the
cautious one; without outcomes, the entered effect.

With the seed's inputs (8.054 kr. net support, 5.417 kr. activation, 5.130 kr. tax, 12 months,
9.489 kr. stated net gain) the effect of 60 % gives 11,4 months and 80 % gives 8,6, as the seed's
table prints; tests/monitoring/test_economics.py says which of its figures cannot be derived.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from applications.models import Grant
from core.errors import DomainError, validator_messages
from core.money import quantize

from .checks import refuse_if_closed
from .models import OutcomePoint, ProjectEconomics
from .models.economics import ACTIVATION_MONTHS, AMOUNT_NAMES, REFUND_WITH_ACTIVATION, REFUND_WITHOUT_ACTIVATION
from .validators import activation_month_validators, amount_validators, share_validators

HUNDRED = Decimal(100)
CHANGE_ECONOMICS = "monitoring.change_economics"

# Where an effect comes from: an outcome point's code, or this.
ENTERED = "entered"

# The inputs, and the validators each is checked with (the model's, the form's and the API's).
INPUT_VALIDATORS: dict[str, list[Any]] = {
    "effect": share_validators,
    "net_support_cost": amount_validators,
    "activation_cost": amount_validators,
    "activation_months": activation_month_validators,
    "refund_without": share_validators,
    "refund_with": share_validators,
    "tax_income": amount_validators,
    "stated_net_gain": amount_validators,
}
INPUT_NAMES = tuple(INPUT_VALIDATORS)
# Without these three nothing can be computed; the others have defaults or may stay empty.
REQUIRED = ("net_support_cost", "activation_cost", "tax_income")
DEFAULTS: dict[str, Any] = {
    "effect": None,
    "net_support_cost": None,
    "activation_cost": None,
    "activation_months": ACTIVATION_MONTHS,
    "refund_without": REFUND_WITHOUT_ACTIVATION,
    "refund_with": REFUND_WITH_ACTIVATION,
    "tax_income": None,
    "stated_net_gain": None,
}


class OutcomeFigures(Protocol):
    """An outcome point's figures (`progress.OutcomeReading`)."""

    point: str
    participants: int
    employed: int


@dataclass(frozen=True)
class Inputs:
    net_support_cost: Decimal
    activation_cost: Decimal
    tax_income: Decimal
    refund_without: Decimal = REFUND_WITHOUT_ACTIVATION
    refund_with: Decimal = REFUND_WITH_ACTIVATION
    activation_months: int = ACTIVATION_MONTHS
    stated_net_gain: Decimal | None = None
    effect: Decimal | None = None  # entered, in percent


@dataclass(frozen=True)
class Situation:
    """A person on support without or with activation: per month, what the state refunds, what
    the municipality pays, and what the municipality gains when the person is in work instead."""

    refund_rate: Decimal
    activation_cost: Decimal
    state_refund: Decimal
    municipal_support_cost: Decimal
    net_gain: Decimal


@dataclass(frozen=True)
class Effect:
    """One self-sufficiency effect and the months it takes to neutralise the activation cost."""

    source: str  # an OutcomePoint code or ENTERED
    share: Decimal  # 0–1, exact (6/10), so that 5 of 6 is not rounded before it is used
    months: Decimal | None
    participants: int | None = None
    employed: int | None = None

    @property
    def percent(self) -> Decimal:
        return (self.share * HUNDRED).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def from_outcomes(self) -> bool:
        return self.source != ENTERED


@dataclass(frozen=True)
class Economics:
    inputs: Inputs
    without_activation: Situation
    with_activation: Situation
    computed_net_gain: Decimal  # K(65 %) + tax income, whether or not a net gain is stated
    effects: list[Effect] = field(default_factory=list)

    @property
    def net_gain_stated(self) -> bool:
        return self.inputs.stated_net_gain is not None

    @property
    def shown(self) -> Effect | None:
        """The effect a sentence names: the first outcome point reported, else the entered one."""
        return self.effects[0] if self.effects else None


def _rate(percent: Decimal) -> Decimal:
    return Decimal(percent) / HUNDRED


def situation(inputs: Inputs, refund_rate: Decimal, activation_cost: Decimal) -> Situation:
    refund = quantize(inputs.net_support_cost * _rate(refund_rate))
    support = quantize(inputs.net_support_cost - refund)
    return Situation(
        refund_rate=Decimal(refund_rate),
        activation_cost=quantize(activation_cost),
        state_refund=refund,
        municipal_support_cost=support,
        net_gain=quantize(support + inputs.tax_income),
    )


def months_to_neutralise(
    activation_months: int, activation_cost: Decimal, share: Decimal, net_gain: Decimal
) -> Decimal | None:
    """activation months × activation cost ÷ (effect × net gain), to one decimal; None when the
    effect or the gain is nothing, as the cost is then never earned back."""
    earned = share * net_gain
    if earned <= 0:
        return None
    months = Decimal(activation_months) * activation_cost / earned
    return months.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def compute(inputs: Inputs, outcomes: Iterable[OutcomeFigures] = ()) -> Economics:
    """The table of the Gribskov model for one project (the module's docstring has the formulas)."""
    without = situation(inputs, inputs.refund_without, Decimal(0))
    computed = situation(inputs, inputs.refund_with, inputs.activation_cost)
    net_gain = computed.net_gain if inputs.stated_net_gain is None else quantize(inputs.stated_net_gain)
    with_activation = Situation(
        refund_rate=computed.refund_rate,
        activation_cost=computed.activation_cost,
        state_refund=computed.state_refund,
        municipal_support_cost=computed.municipal_support_cost,
        net_gain=net_gain,
    )

    def months(share: Decimal) -> Decimal | None:
        return months_to_neutralise(inputs.activation_months, with_activation.activation_cost, share, net_gain)

    order = {point: index for index, point in enumerate(OutcomePoint.values)}
    effects = [
        Effect(
            source=outcome.point,
            share=Decimal(outcome.employed) / Decimal(outcome.participants),
            months=months(Decimal(outcome.employed) / Decimal(outcome.participants)),
            participants=outcome.participants,
            employed=outcome.employed,
        )
        for outcome in sorted(outcomes, key=lambda o: order.get(o.point, len(order)))
        if outcome.participants
    ]
    if inputs.effect is not None:
        share = _rate(inputs.effect)
        effects.append(Effect(source=ENTERED, share=share, months=months(share)))
    return Economics(
        inputs=inputs,
        without_activation=without,
        with_activation=with_activation,
        computed_net_gain=computed.net_gain,
        effects=effects,
    )


# A project's economics -------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectEconomicsReading:
    """What the project page, the briefing and the API show: the inputs as stored (or their
    defaults), the inputs still missing, and the economics once they are all there."""

    values: dict[str, Any]
    missing: list[str]
    economics: Economics | None
    saved: ProjectEconomics | None


def stored_values(saved: ProjectEconomics | None) -> dict[str, Any]:
    if saved is None:
        return dict(DEFAULTS)
    return {name: getattr(saved, name) for name in INPUT_NAMES}


def read_economics(grant: Grant, outcomes: Iterable[OutcomeFigures] = ()) -> ProjectEconomicsReading:
    """The grant's economics with `outcomes` (`progress.read_project(...).outcomes`)."""
    saved = ProjectEconomics.objects.filter(grant=grant).first()
    values = stored_values(saved)
    missing = [name for name in REQUIRED if values[name] is None]
    economics = None
    if not missing:
        economics = compute(Inputs(**values), outcomes)
    return ProjectEconomicsReading(values=values, missing=missing, economics=economics, saved=saved)


def may_change(user: Any, grant: Grant) -> bool:
    return user.has_perm(CHANGE_ECONOMICS, grant)


def input_problems(values: dict[str, Any]) -> dict[str, list[Any]]:
    """Every problem with the given inputs, each on its field."""
    errors: dict[str, list[Any]] = {}
    for name, value in values.items():
        if name not in INPUT_VALIDATORS:
            errors[name] = [_("Not an input of the economics.")]
        elif value is None:
            if name not in DEFAULTS or DEFAULTS[name] is not None:
                errors[name] = [_("This field is required.")]
        else:
            messages = validator_messages(INPUT_VALIDATORS[name], value)
            if messages:
                errors[name] = messages
    return errors


def save_economics(grant_id: int, user: Any, values: dict[str, Any]) -> ProjectEconomics:
    """Set the inputs named in `values` (the others keep what they were, or their defaults)."""
    with transaction.atomic():
        grant = Grant.objects.select_for_update().select_related("application").get(pk=grant_id)
        if not may_change(user, grant):
            raise PermissionDenied
        refuse_if_closed(grant)
        errors = input_problems(values)
        if errors:
            raise DomainError.invalid(errors)
        saved = ProjectEconomics.objects.filter(grant=grant).first() or ProjectEconomics(grant=grant)
        for name, value in values.items():
            setattr(saved, name, quantize(value) if name in AMOUNT_NAMES and value is not None else value)
        saved.updated_by = user
        try:
            # The model's own checks too (digits a caller other than the form or the API may send).
            saved.full_clean(exclude=["grant", "updated_by"], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            raise DomainError.invalid(error.message_dict) from None
        saved.save()
        return saved


# Shown in Danish ---------------------------------------------------------------------------------


def months_text(months: Decimal | None) -> str:
    """11,4 måneder; never neutralised when there is no effect."""
    if months is None:
        return str(_("not neutralised"))
    return str(_("%(months)s months") % {"months": formats.number_format(months, 1)})


def source_label(effect: Effect) -> str:
    """Where an effect comes from: "At project end: 6 of 10 in work", or "Entered"."""
    if effect.source == ENTERED:
        return str(_("Entered effect"))
    return str(
        _("%(when)s: %(employed)s of %(participants)s in work")
        % {"when": OutcomePoint(effect.source).label, "employed": effect.employed, "participants": effect.participants}
    )
