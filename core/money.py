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


def parse_dkk(text: str) -> Decimal | None:
    """Read an amount as a Danish case worker types it: 2.171.981, 2171981,50, 2 171 981 kr.

    Returns None when it is not an amount. A lone point followed by exactly two digits is
    read as øre (2171981.50), any other point as a thousands separator.
    """
    cleaned = text.strip().lower().removesuffix("kr.").removesuffix("kr").strip().replace(" ", "").replace("\xa0", "")
    if not cleaned:
        return None
    if "," in cleaned:
        whole, _, ore = cleaned.rpartition(",")
        cleaned = f"{whole.replace('.', '')}.{ore}"
    elif cleaned.count(".") == 1 and len(cleaned.rpartition(".")[2]) == 2:
        pass
    else:
        cleaned = cleaned.replace(".", "")
    try:
        value = Decimal(cleaned)
    except ArithmeticError:
        return None
    return value if value.is_finite() else None
