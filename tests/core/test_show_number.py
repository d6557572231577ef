"""A stored number is shown as a person would type it back (core.forms.show_number): whole ones
without decimals, others with the language's decimal separator and no trailing zeros."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils.translation import override

from core.forms import show_number

CASES = [
    (Decimal("61.00"), "61", "61"),
    (Decimal("12.50"), "12,5", "12.5"),
    (Decimal("-3.25"), "-3,25", "-3.25"),
    (Decimal("0.05"), "0,05", "0.05"),
    (Decimal("1E+3"), "1000", "1000"),
    (5940, "5940", "5940"),
    (0, "0", "0"),
]


@pytest.mark.parametrize(("value", "danish", "english"), CASES)
def test_a_number_is_shown_in_the_pages_language(value: Decimal | int, danish: str, english: str) -> None:
    with override("da"):
        assert show_number(value) == danish
    with override("en"):
        assert show_number(value) == english
    assert show_number(None) == ""
