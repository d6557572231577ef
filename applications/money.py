"""The one place that turns input into kroner and øre."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

ORE = Decimal("0.01")
MONEY_FIELD = {"max_digits": 14, "decimal_places": 2}


def quantize(amount: Decimal | int | str | None) -> Decimal:
    """Round an amount to whole øre, half up as Danish bookkeeping does; ``None`` counts as 0."""
    if amount is None:
        return Decimal("0.00")
    return Decimal(amount).quantize(ORE, rounding=ROUND_HALF_UP)


def format_dkk(amount: Decimal | int | str | None) -> str:
    """Danish display of an amount: 2.171.981 kr. (øre only when there are any)."""
    value = quantize(amount)
    places = 0 if value == value.to_integral_value() else 2
    text = f"{value:,.{places}f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return f"{text} kr."
