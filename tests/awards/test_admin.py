"""SIRI reads the grant administration in the admin: every list searches and filters, and only SIRI gets in."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.test import Client

from applications.models import Grant
from awards import services
from awards.models import ChangeKind

pytestmark = pytest.mark.django_db

# model → (search, one list filter, a text its row shows)
CHANGELISTS: dict[str, tuple[str, str, str]] = {
    "grantterms": ("{journal}", "audit_level__exact=performance", "{journal}"),
    "payment": ("{journal}", "state__exact=planned", "{journal}"),
    "changerequest": ("{journal}", "kind__exact=budget", "{journal}"),
    "grantversion": ("{journal}", "", "{journal}"),
    "awardlog": ("{journal}", "transition__exact=accept", "{journal}"),
}


def _browser(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_table_names_every_model_in_the_admin() -> None:
    registered = {model._meta.model_name for model in admin.site._registry if model._meta.app_label == "awards"}
    assert registered == set(CHANGELISTS)


@pytest.mark.parametrize("persona", ["reviewer", "pool_admin"])
@pytest.mark.parametrize("model", sorted(CHANGELISTS))
def test_siri_searches_and_filters_every_changelist(
    model: str, persona: str, request: pytest.FixtureRequest, running: Grant, slagelse_applicant: Any
) -> None:
    years = range(running.start_date.year, running.end_date.year + 1)
    lines = [{"year": y, "category": "salaries", "amount": 400000} for y in years]
    services.file_change(
        running.pk, slagelse_applicant, {"kind": ChangeKind.BUDGET, "reason": "Mere.", "budget_lines": lines}
    )
    journal = running.application.journal_number
    search, list_filter, shown = (value.replace("{journal}", journal) for value in CHANGELISTS[model])
    query = f"q={search}" + (f"&{list_filter}" if list_filter else "")

    response = _browser(request.getfixturevalue(persona)).get(f"/admin/awards/{model}/?{query}")

    assert response.status_code == 200, response.get("Location")
    assert shown in response.content.decode()


def test_a_municipality_does_not_get_into_the_admin(running: Grant, slagelse_applicant: Any) -> None:
    response = _browser(slagelse_applicant).get("/admin/awards/payment/")
    assert response.status_code in (302, 403)
