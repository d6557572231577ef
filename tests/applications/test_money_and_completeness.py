from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from applications.completeness import completeness_problems
from core.money import format_dkk, quantize

from ..conftest import make_complete_draft


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (Decimal("2171981"), "2.171.981 kr."),
        (Decimal("8687924.00"), "8.687.924 kr."),
        ("1234.5", "1.234,50 kr."),
        (0, "0 kr."),
    ],
)
def test_danish_amounts(amount: Any, shown: str) -> None:
    assert format_dkk(amount) == shown


def test_quantize_rounds_half_up_to_ore() -> None:
    assert quantize("0.125") == Decimal("0.13")
    assert quantize(None) == Decimal("0.00")


@pytest.mark.django_db
def test_completeness_names_budget_over_maximum_and_closed_window(pool: Any, slagelse_applicant: Any) -> None:
    application = make_complete_draft(pool, slagelse_applicant, amount="3500000.00")
    with translation.override("en"):
        problems = completeness_problems(application)
    assert problems == {
        "budget_lines": ["The budget of 3.500.000 kr. exceeds the pool's maximum grant (3.000.000 kr.)."]
    }
    late = pool.closes_on + datetime.timedelta(days=1)
    assert "pool" in completeness_problems(application, today=late)


@pytest.mark.django_db
def test_a_complete_application_has_no_problems(pool: Any, slagelse_applicant: Any) -> None:
    assert completeness_problems(make_complete_draft(pool, slagelse_applicant)) == {}
