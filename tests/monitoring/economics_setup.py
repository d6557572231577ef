"""Gribskov's project of 2024 for the economics tests: granted through the real services, its
4th quarter report handed in with 6 of the 10 participants in ordinary work at project end."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from applications.models import Grant
from monitoring import services
from monitoring.economics import save_economics

from .conftest import goals_of, make_grant

# The Gribskov model's inputs (seed 000), with the 80 % column's effect entered.
SEED_INPUTS = {
    "net_support_cost": "8054",
    "activation_cost": "5417",
    "tax_income": "5130",
    "stated_net_gain": "9489",
    "effect": "80",
}


def gribskov_2024(applicant: Any, reviewer: Any) -> Grant:
    grant = make_grant(applicant, reviewer, datetime.date(2024, 1, 1), datetime.date(2024, 12, 31), code="270")
    women, attendance = goals_of(grant)
    report = services.create_report(
        grant.pk,
        applicant,
        {
            "year": 2024,
            "quarter": 4,
            "narrative": "Forløbet er afsluttet.",
            "enrolled": 10,
            "spent_to_date": Decimal(300000),
            "progress": [
                {"goal": women.pk, "value": Decimal(6)},
                {"goal": attendance.pk, "numerator": 90, "denominator": 100},
            ],
            "outcomes": [{"point": "end", "participants": 10, "employed": 6}],
        },
    )
    services.submit_report(report.pk, applicant)
    return grant


def enter_seed_inputs(grant: Grant, user: Any) -> None:
    save_economics(grant.pk, user, {name: Decimal(value) for name, value in SEED_INPUTS.items()})
