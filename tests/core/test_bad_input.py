"""Bad input gets a clear answer, never a 500 (issue 11): each test here once reproduced one.

The suite runs on SQLite locally and on PostgreSQL in CI; the NUL tests assert the same answer on
both, since PostgreSQL is where a NUL in a query used to reach the database and fail.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from applications.api.serializers import ReviewSerializer
from applications.models import Application, Grant, Municipality, State

from ..conftest import application_in_state, client_for, make_complete_draft, make_pool

HTMX = {"HTTP_HX_REQUEST": "true"}
API = "/api/v1"


def _lenient(client: Client) -> Client:
    """The client answers with the 500 page instead of raising, as a server would."""
    client.raise_request_exception = False
    return client


# 1. The political approval of a municipality that takes no part in the application


@pytest.mark.django_db
@pytest.mark.parametrize("headers", [HTMX, {}], ids=["htmx", "plain"])
def test_approval_for_a_municipality_outside_the_application_is_a_404(
    slagelse_applicant: Any, headers: dict[str, str]
) -> None:
    draft = make_complete_draft(make_pool(), slagelse_applicant)
    outsider = Municipality.objects.exclude(pk__in=[m.pk for m in draft.participating_municipalities()]).first()
    client = Client(raise_request_exception=False)
    client.force_login(slagelse_applicant)
    response = client.post(
        f"/applications/{draft.pk}/approvals/{outsider.pk}/", {f"approval-{outsider.pk}-status": "pending"}, **headers
    )
    assert response.status_code == 404
    assert not draft.political_approvals.exists()


# 2. A NUL character in a search or filter


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/best-practices/?search=mentor%00forl%C3%B8b",
        "/applications/?journal_number=%00",
        "/applications/?state=draft%00",
        "/grants/?state=%00",
        "/ambassador-reports/?year=20%0025",
    ],
)
def test_a_nul_in_an_api_query_is_a_400_naming_the_parameter(reviewer: Any, path: str) -> None:
    response = _lenient(client_for(reviewer)).get(API + path)
    assert response.status_code == 400, response.content
    name = path.split("?", 1)[1].split("=", 1)[0]
    assert name in response.json()


@pytest.mark.django_db
def test_a_nul_in_the_catalogue_search_is_ignored(reviewer: Any) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(reviewer)
    response = client.get("/best-practices/?q=mentor%00forl%C3%B8b")
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_search_itself_never_hands_a_nul_to_the_database() -> None:
    from ambassadors.models import BestPractice
    from ambassadors.search import search

    assert search(BestPractice.objects.all(), "\x00") == []
    assert search(BestPractice.objects.all(), "mentor\x00") == search(BestPractice.objects.all(), "mentor")


# 3. An id that is not a number


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/grants/abc/",
        "/grants/abc/progress/",
        "/grants/1.5/progress/",
        "/grants/abc/reports/",
        "/milestones/abc/",
        "/reports/abc/",
        "/reports/abc/submit/",
        "/national-kpis/abc/",
        "/pools/abc/",
        "/applications/abc/",
        "/applications/abc/history/",
        "/applications/abc/target-groups/",
        "/applications/1/target-groups/abc/",
        "/applications/1/goals/abc/",
        "/applications/1/budget-lines/abc/",
        "/municipalities/abc/",
        "/ambassadors/abc/",
        "/ambassador-reports/abc/",
        "/best-practices/abc/",
        "/network-meetings/abc/",
        "/documents/abc/",
    ],
)
def test_a_non_numeric_id_is_a_404(reviewer: Any, path: str) -> None:
    response = _lenient(client_for(reviewer)).get(API + path)
    assert response.status_code == 404


# 4. A lone surrogate in a JSON string (valid JSON, but no text UTF-8 can carry)


@pytest.mark.django_db
def test_a_lone_surrogate_as_a_score_key_is_a_400(slagelse_applicant: Any, reviewer: Any) -> None:
    application = application_in_state(State.SUBMITTED, make_pool(), slagelse_applicant, reviewer)
    response = _lenient(client_for(reviewer)).post(
        f"{API}/applications/{application.pk}/reviews/",
        data=b'{"scores": {"\\udc80": 3}}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not application.reviews.exists()


@pytest.mark.django_db
def test_a_lone_surrogate_anywhere_in_a_json_body_is_a_400(slagelse_applicant: Any) -> None:
    draft = make_complete_draft(make_pool(), slagelse_applicant)
    response = _lenient(client_for(slagelse_applicant)).patch(
        f"{API}/applications/{draft.pk}/", data=b'{"title": "A\\ud800B"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert Application.objects.get(pk=draft.pk).title != "A\ud800B"


def test_the_review_serializer_refuses_score_keys_utf8_cannot_carry() -> None:
    for key in ("\udc80", "a\ud800", "\x00"):
        body = ReviewSerializer(data={"scores": {key: 3}})
        assert not body.is_valid()
        assert "scores" in body.errors
    assert ReviewSerializer(data={"scores": {"Mål": 3}}).is_valid()


# 5. JSON nested too deep


@pytest.mark.django_db
@pytest.mark.parametrize("depth", [100, 100_000])
def test_json_nested_too_deep_is_a_400(slagelse_applicant: Any, depth: int) -> None:
    draft = make_complete_draft(make_pool(), slagelse_applicant)
    body = ('{"title": ' + "[" * depth + "]" * depth + "}").encode()
    response = _lenient(client_for(slagelse_applicant)).patch(
        f"{API}/applications/{draft.pk}/", data=body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "detail" in response.json()


@pytest.mark.django_db
def test_json_of_ordinary_depth_still_parses(slagelse_applicant: Any) -> None:
    draft = make_complete_draft(make_pool(), slagelse_applicant)
    response = client_for(slagelse_applicant).patch(
        f"{API}/applications/{draft.pk}/", data=b'{"title": "Nyt navn"}', content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["title"] == "Nyt navn"


# 7. The schema tells the truth


@pytest.fixture
def schema(reviewer: Any) -> dict[str, Any]:
    return client_for(reviewer).get("/api/schema/", HTTP_ACCEPT="application/json").json()


@pytest.mark.django_db
def test_the_schema_documents_the_errors_of_the_actions(schema: dict[str, Any]) -> None:
    submit = schema["paths"]["/api/v1/applications/{id}/submit/"]["post"]["responses"]
    assert {"400", "403", "404", "409"} <= set(submit)
    detail = schema["paths"]["/api/v1/grants/{id}/progress/"]["get"]["responses"]
    assert {"403", "404"} <= set(detail)
    assert "$ref" in submit["400"]["content"]["application/json"]["schema"] or submit["400"]["content"]


@pytest.mark.django_db
def test_the_schema_gives_the_history_as_a_plain_list(schema: dict[str, Any]) -> None:
    history = schema["paths"]["/api/v1/applications/{id}/history/"]["get"]
    body = history["responses"]["200"]["content"]["application/json"]["schema"]
    assert body["type"] == "array"
    item = schema["components"]["schemas"][body["items"]["$ref"].rsplit("/", 1)[1]]
    assert set(item["properties"]) == {"transition", "source", "target", "by", "at", "reason"}
    assert item["properties"]["by"].get("nullable") is True
    assert not [p for p in history.get("parameters", []) if p["in"] == "query"]


@pytest.mark.django_db
def test_the_schema_declares_what_may_be_null(schema: dict[str, Any]) -> None:
    components = schema["components"]["schemas"]
    assert components["Application"]["properties"]["grant"].get("nullable") is True
    assert components["PoliticalApproval"]["properties"]["recorded_by"].get("nullable") is True


@pytest.mark.django_db
def test_a_grant_progress_of_a_real_grant_still_answers(slagelse_applicant: Any, reviewer: Any) -> None:
    application = application_in_state(State.GRANTED, make_pool(), slagelse_applicant, reviewer)
    grant = Grant.objects.get(application=application)
    assert client_for(reviewer).get(f"{API}/grants/{grant.pk}/progress/").status_code == 200


# Found by schemathesis (make fuzz): numbers beyond what a database integer holds


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/ambassadors/?grant=-1.0430558394055887e%2B304", "/reports/?year=99999999999999999999", "/grants/?pool=1e30"],
)
def test_a_number_filter_beyond_64_bits_is_a_400(reviewer: Any, path: str) -> None:
    response = _lenient(client_for(reviewer)).get(API + path)
    assert response.status_code == 400, response.content


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["json", "multipart"])
def test_an_id_beyond_64_bits_in_a_body_is_a_400(reviewer: Any, encoding: str) -> None:
    body = {"held_on": "2026-03-01", "place": "Slagelse", "attended": [2**70]}
    client = _lenient(client_for(reviewer))
    if encoding == "json":
        response = client.post(f"{API}/network-meetings/", body, format="json")
    else:
        response = client.post(f"{API}/network-meetings/", {**body, "attended": str(2**70)}, format="multipart")
    assert response.status_code == 400, response.content
