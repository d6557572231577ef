"""Two API clients on one draft: `ETag` on GET, `If-Match` on PATCH (core/conditional.py)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from applications.models import Application, BudgetLine
from tests.autosave import conditional_round_trip
from tests.conftest import client_for, make_complete_draft, make_pool

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(slagelse_applicant: Any) -> Application:
    return make_complete_draft(make_pool(), slagelse_applicant)


def test_a_stale_if_match_is_refused_and_writes_nothing(draft: Application, slagelse_applicant: Any) -> None:
    def purpose() -> str:
        draft.refresh_from_db()
        return draft.purpose

    url = f"/api/v1/applications/{draft.pk}/"
    conditional_round_trip(
        client_for(slagelse_applicant),
        client_for(slagelse_applicant),
        url,
        "purpose",
        ("Flere kvinder i job.", "Flere unge i uddannelse."),
        purpose,
    )


def test_without_if_match_a_patch_writes_only_what_it_sends(draft: Application, slagelse_applicant: Any) -> None:
    client = client_for(slagelse_applicant)
    response = client.patch(f"/api/v1/applications/{draft.pk}/", {"title": "Nyt navn"}, format="json")
    assert response.status_code == 200 and response.headers["ETag"]
    draft.refresh_from_db()
    assert draft.title == "Nyt navn" and draft.purpose == "Højere beskæftigelsesgrad for kvinder og unge."
    assert draft.measures == ["internship", "mentor"]


def test_the_etag_follows_the_fields_a_client_writes_not_computed_figures(
    draft: Application, slagelse_applicant: Any
) -> None:
    client = client_for(slagelse_applicant)
    url = f"/api/v1/applications/{draft.pk}/"
    before = client.get(url)
    BudgetLine.objects.create(
        application=draft, year=draft.start_date.year + 1, category="activities", amount=Decimal(5000), fte=0
    )
    after = client.get(url)
    assert after.json()["requested_total"] != before.json()["requested_total"]
    assert after.headers["ETag"] == before.headers["ETag"]
    stale_ok = client.patch(url, {"title": "Nyt navn"}, format="json", HTTP_IF_MATCH=before.headers["ETag"])
    assert stale_ok.status_code == 200


def test_a_stale_if_match_on_a_submitted_application_is_still_the_conflict(
    draft: Application, slagelse_applicant: Any
) -> None:
    from applications import services

    client = client_for(slagelse_applicant)
    url = f"/api/v1/applications/{draft.pk}/"
    tag = client.get(url).headers["ETag"]
    services.submit(draft.pk, slagelse_applicant)
    assert client.patch(url, {"title": "Sent"}, format="json", HTTP_IF_MATCH=tag).status_code == 409


def test_the_schema_documents_if_match_etag_and_412(slagelse_applicant: Any) -> None:
    schema = client_for(slagelse_applicant).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    path = schema["paths"]["/api/v1/applications/{id}/"]
    for method in ("patch", "put"):
        operation = path[method]
        assert any(p["name"] == "If-Match" and p["in"] == "header" for p in operation["parameters"])
        assert "412" in operation["responses"] and "ETag" in operation["responses"]["200"]["headers"]
    assert "ETag" in path["get"]["responses"]["200"]["headers"]
