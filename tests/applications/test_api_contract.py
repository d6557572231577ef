"""The names API.md fixes, as an outside client sees them."""

from __future__ import annotations

from typing import Any

import pytest

from applications.models import State

from ..conftest import application_in_state, client_for


@pytest.mark.django_db
def test_openapi_schema_and_docs_are_served(reviewer: Any) -> None:
    client = client_for(reviewer)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in (
        "/api/v1/applications/{id}/submit/",
        "/api/v1/applications/{id}/return-for-revision/",
        "/api/v1/applications/{application_pk}/political-approvals/",
        "/api/v1/grants/{id}/",
        "/api/v1/auth/token/",
    ):
        assert path in paths
    assert client.get("/api/docs/").status_code == 200


@pytest.mark.django_db
def test_token_login_and_use(slagelse_applicant: Any, api: Any) -> None:
    bad = api.post("/api/v1/auth/token/", {"username": "slagelse", "password": "wrong"}, format="json")
    assert bad.status_code == 400
    token = api.post("/api/v1/auth/token/", {"username": "slagelse", "password": "pw"}, format="json").json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/municipalities/330/").json() == {
        "code": "330",
        "name": "Slagelse",
        "cvr": "29188505",
        "region": "sjaelland",
    }


@pytest.mark.django_db
def test_application_fields_and_grant_reference(pool: Any, slagelse_applicant: Any, reviewer: Any) -> None:
    application = application_in_state(State.GRANTED, pool, slagelse_applicant, reviewer)
    body = client_for(reviewer).get(f"/api/v1/applications/{application.pk}/").json()
    for name in (
        "pool",
        "lead_municipality",
        "partner_municipalities",
        "title",
        "purpose",
        "target_group_description",
        "current_effort",
        "approach",
        "objectives",
        "measures",
        "methods",
        "organisation",
        "anchoring",
        "cvr",
        "grant_responsible_name",
        "grant_responsible_title",
        "grant_responsible_email",
        "grant_responsible_phone",
        "start_date",
        "end_date",
        "id",
        "state",
        "journal_number",
        "requested_total",
        "submitted_at",
    ):
        assert name in body
    assert body["lead_municipality"] == "330"
    assert body["requested_total"] == "1000000.00"
    grant = client_for(reviewer).get(f"/api/v1/grants/{body['grant']}/").json()
    assert grant["application"] == application.pk
    assert grant["amount"] == "900000.00"
    assert grant["state"] == "awaiting_acceptance"  # until the municipality accepts it (awards)
    pool_body = client_for(reviewer).get(f"/api/v1/pools/{pool.pk}/").json()
    assert (pool_body["granted_total"], pool_body["remaining_budget"]) == ("900000.00", "9100000.00")


@pytest.mark.django_db
def test_filters_by_state_pool_and_municipality(pool: Any, slagelse_applicant: Any, reviewer: Any) -> None:
    submitted = application_in_state(State.SUBMITTED, pool, slagelse_applicant, reviewer)
    application_in_state(State.REJECTED, pool, slagelse_applicant, reviewer)
    client = client_for(reviewer)
    ids = [
        a["id"]
        for a in client.get(f"/api/v1/applications/?state=submitted&pool={pool.pk}&municipality=330").json()["results"]
    ]
    assert ids == [submitted.pk]
    assert client.get("/api/v1/applications/?municipality=270").json()["count"] == 0
