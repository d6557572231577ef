"""`/api/v1/grants/{id}/economics/`: who reads and writes a project's economics, what it computes
from the inputs and the outcomes, and the 400 that names every bad field.

Gribskov's project ran through 2024; its 4th quarter report says 6 of the 10 participants were in
ordinary work at project end. With the Gribskov model's inputs (8.054 kr. net support, 5.417 kr.
activation, 5.130 kr. tax, 9.489 kr. stated net gain) that effect of 60 % neutralises the
municipality's activation cost in 12 × 5.417 ÷ (60 % × 9.489) = 11,4 months; an entered 80 %, in 8,6.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from applications.models import Grant
from monitoring.models import ProjectEconomics
from monitoring.quarters import Quarter

from ..conftest import client_for
from . import economics_setup
from .economics_setup import SEED_INPUTS

pytestmark = pytest.mark.django_db


def url(grant: Grant) -> str:
    return f"/api/v1/grants/{grant.pk}/economics/"


@pytest.fixture
def gribskov_2024(gribskov_applicant: Any, reviewer: Any) -> Grant:
    grant = economics_setup.gribskov_2024(gribskov_applicant, reviewer)
    assert Quarter.of(grant.end_date) == Quarter(2024, 4)
    return grant


def test_the_municipality_enters_the_seeds_inputs_and_reads_11_4_and_8_6_months(
    gribskov_2024: Grant, gribskov_applicant: Any
) -> None:
    client = client_for(gribskov_applicant)
    before = client.get(url(gribskov_2024)).json()
    assert before["computed"] is None
    assert before["missing"] == ["net_support_cost", "activation_cost", "tax_income"]
    assert (before["refund_without"], before["refund_with"], before["activation_months"]) == ("35.00", "65.00", 12)

    response = client.put(url(gribskov_2024), SEED_INPUTS, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["missing"] == []
    computed = body["computed"]
    assert computed["without_activation"] == {
        "refund_rate": "35.00",
        "activation_cost": "0.00",
        "state_refund": "2818.90",
        "municipal_support_cost": "5235.10",
        "net_gain": "10365.10",
    }
    assert computed["with_activation"]["state_refund"] == "5235.10"
    assert computed["with_activation"]["municipal_support_cost"] == "2818.90"
    assert computed["with_activation"]["net_gain"] == "9489.00"
    assert computed["computed_net_gain"] == "7948.90"
    assert computed["net_gain_stated"] is True
    assert [(e["source"], e["employed"], e["participants"], e["effect"], e["months"]) for e in computed["effects"]] == [
        ("end", 6, 10, "60.0", "11.4"),
        ("entered", None, None, "80.0", "8.6"),
    ]
    assert computed["shown"] == "end"
    saved = ProjectEconomics.objects.get(grant=gribskov_2024)
    assert saved.updated_by == gribskov_applicant
    assert saved.net_support_cost == Decimal("8054.00")


def test_patch_changes_only_what_it_names_and_put_resets_the_rest_to_the_defaults(
    gribskov_2024: Grant, gribskov_applicant: Any
) -> None:
    client = client_for(gribskov_applicant)
    client.put(url(gribskov_2024), {**SEED_INPUTS, "refund_with": "50", "activation_months": 6}, format="json")

    patched = client.patch(url(gribskov_2024), {"stated_net_gain": None}, format="json").json()
    assert (patched["refund_with"], patched["activation_months"], patched["stated_net_gain"]) == ("50.00", 6, None)
    assert patched["computed"]["net_gain_stated"] is False
    assert patched["computed"]["with_activation"]["net_gain"] == "9157.00"  # 50 % of 8.054 + 5.130

    put = client.put(url(gribskov_2024), {"net_support_cost": "8054"}, format="json").json()
    assert (put["refund_with"], put["activation_months"], put["effect"]) == ("65.00", 12, None)
    assert put["missing"] == ["activation_cost", "tax_income"]
    assert put["computed"] is None


@pytest.mark.parametrize(
    ("persona", "read", "write"),
    [
        ("gribskov_applicant", 200, 200),
        ("slagelse_applicant", 404, 404),  # another municipality's project is not there
        ("committee", 404, 404),  # Slagelse's committee
        ("ambassador", 404, 404),
        ("reviewer", 200, 403),
        ("pool_admin", 200, 200),  # SIRI may enter them too
        ("anonymous", 401, 401),
    ],
)
def test_who_reads_and_who_writes_the_economics(
    gribskov_2024: Grant, personas: dict[str, Any], persona: str, read: int, write: int
) -> None:
    client = client_for(personas[persona])
    assert client.get(url(gribskov_2024)).status_code in ((read,) if read != 401 else (401, 403))
    response = client.patch(url(gribskov_2024), {"net_support_cost": "1"}, format="json")
    assert response.status_code in ((write,) if write != 401 else (401, 403))
    assert ProjectEconomics.objects.filter(grant=gribskov_2024).exists() == (write == 200)


def test_a_bad_input_names_every_bad_field_and_changes_nothing(gribskov_2024: Grant, gribskov_applicant: Any) -> None:
    client = client_for(gribskov_applicant)
    client.put(url(gribskov_2024), SEED_INPUTS, format="json")

    response = client.patch(
        url(gribskov_2024),
        {
            "effect": "120",
            "net_support_cost": "-1",
            "activation_cost": "tusind",
            "activation_months": 0,
            "refund_without": None,
            "refund_with": "100.5",
            "tax_income": "1e30",
            "stated_net_gain": "9489.123",
        },
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {
        "effect",
        "net_support_cost",
        "activation_cost",
        "activation_months",
        "refund_without",
        "refund_with",
        "tax_income",
        "stated_net_gain",
    }
    assert all(isinstance(messages, list) and messages for messages in errors.values())
    assert errors["net_support_cost"] == ["Et beløb kan ikke være negativt."]
    assert errors["effect"] == ["En procentsats skal være fra 0 til 100."]
    saved = ProjectEconomics.objects.get(grant=gribskov_2024)
    assert (saved.net_support_cost, saved.effect, saved.activation_months) == (Decimal("8054.00"), Decimal(80), 12)


@pytest.mark.parametrize("body", [[], "8054", {"activation_months": "tolv"}, {"activation_months": 10**12}])
def test_a_body_of_the_wrong_shape_is_a_400_not_a_500(gribskov_2024: Grant, gribskov_applicant: Any, body: Any) -> None:
    response = client_for(gribskov_applicant).put(url(gribskov_2024), body, format="json")
    assert response.status_code == 400
    assert not ProjectEconomics.objects.exists()


def test_the_schema_documents_the_endpoint(reviewer: Any) -> None:
    schema = client_for(reviewer).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operations = schema["paths"]["/api/v1/grants/{id}/economics/"]
    assert {"get", "put", "patch"} <= set(operations)
    assert "400" in operations["patch"]["responses"] and "404" in operations["get"]["responses"]
    inputs = schema["components"]["schemas"]["EconomicsInputRequest"]["properties"]
    assert set(inputs) == {
        "effect",
        "net_support_cost",
        "activation_cost",
        "activation_months",
        "refund_without",
        "refund_with",
        "tax_income",
        "stated_net_gain",
    }
    computed = schema["components"]["schemas"]["EconomicsComputed"]["properties"]
    assert {"without_activation", "with_activation", "effects", "shown"} <= set(computed)
