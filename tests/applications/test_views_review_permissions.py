"""SIRI's reviewer desk as pages: who may open what, as every persona, whole pages and their htmx
partials. The applications are built once for the module's tests (tests/shared_data.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from applications.models import State

from ..conftest import application_in_state, make_complete_draft, make_personas, make_pool, review
from ..shared_data import ModuleData
from .test_views_review import GRANT, REASON, client, score_data

pytestmark = pytest.mark.django_db

PERSONAS = (
    "slagelse_applicant",
    "gribskov_applicant",
    "reviewer",
    "pool_admin",
    "ambassador",
    "committee",
    "anonymous",
)
SIRI_ONLY = dict(zip(PERSONAS, (403, 403, 200, 200, 403, 403, 302), strict=True))
VIEWERS = dict(zip(PERSONAS, (200, 404, 200, 200, 404, 200, 302), strict=True))


def reviewers(ok: int) -> dict[str, int]:
    """Slagelse's own people see the application but may not review it; others do not see it."""
    return dict(zip(PERSONAS, (403, 404, ok, ok, 404, 403, 302), strict=True))


NOT_FOUND = {**dict.fromkeys(PERSONAS, 404), "anonymous": 302}
HTMX = {"HTTP_HX_REQUEST": "true"}
QUEUE_HTMX = {**HTMX, "HTTP_HX_TARGET": "queue-results"}
SCORES = {"scores": True}  # replaced by a full score of the target's criteria
CONFIRM = {"confirm": "1"}
# page → (method, url name, target application, decision, body, headers, expected per persona)
PAGES: dict[str, tuple[str, str, str | None, str | None, dict[str, Any], dict[str, str], dict[str, int]]] = {
    "queue": ("get", "queue", None, None, {}, {}, SIRI_ONLY),
    "queue htmx": ("get", "queue", None, None, {}, QUEUE_HTMX, SIRI_ONLY),
    "history": ("get", "history", "submitted", None, {}, {}, VIEWERS),
    "history htmx": ("get", "history", "submitted", None, {}, HTMX, VIEWERS),
    "history of a draft": ("get", "history", "draft", None, {}, {}, {**VIEWERS, "reviewer": 404, "pool_admin": 404}),
    "score get": ("get", "score", "submitted", None, {}, {}, reviewers(200)),
    "score post": ("post", "score", "submitted", None, SCORES, {}, reviewers(302)),
    "score of a draft": ("get", "score", "draft", None, {}, {}, reviewers(404)),
    "score total": ("post", "score_total", "submitted", None, SCORES, HTMX, reviewers(200)),
    "grant get": ("get", "decide", "approved", "grant", {}, {}, reviewers(200)),
    "grant post": ("post", "decide", "approved", "grant", GRANT, {}, reviewers(200)),
    "grant confirm": ("post", "decide", "approved", "grant", {**GRANT, **CONFIRM}, {}, reviewers(302)),
    "reject get": ("get", "decide", "approved", "reject", {}, {}, reviewers(200)),
    "reject post": ("post", "decide", "approved", "reject", REASON, {}, reviewers(200)),
    "reject confirm": ("post", "decide", "approved", "reject", {**REASON, **CONFIRM}, {}, reviewers(302)),
    # Not assessed yet: a rejection has no grounds to give.
    "reject unassessed": ("get", "decide", "submitted", "reject", {}, {}, reviewers(409)),
    "return get": ("get", "decide", "submitted", "return", {}, {}, reviewers(200)),
    "return post": ("post", "decide", "submitted", "return", REASON, {}, reviewers(200)),
    "return confirm": ("post", "decide", "submitted", "return", {**REASON, **CONFIRM}, {}, reviewers(302)),
    "unknown decision": ("get", "decide", "submitted", "approve", {}, {}, NOT_FOUND),
}


def build_targets() -> dict[str, Any]:
    """The personas; Slagelse's draft, a submitted application, and one politically approved and
    reviewed, ready for a decision."""
    personas = make_personas()
    applicant, reviewer = personas["slagelse_applicant"], personas["reviewer"]
    pool = make_pool()
    approved = application_in_state(State.POLITICALLY_APPROVED, pool, applicant, reviewer)
    review(approved, reviewer)
    return {
        "personas": personas,
        "draft": make_complete_draft(pool, applicant),
        "submitted": application_in_state(State.SUBMITTED, pool, applicant, reviewer),
        "approved": approved,
    }


@pytest.fixture(scope="module")
def built_targets(module_data: ModuleData) -> dict[str, Any]:
    return module_data.build(build_targets)


@pytest.fixture
def targets(db: None, module_data: ModuleData, built_targets: dict[str, Any]) -> dict[str, Any]:
    return module_data.copy(built_targets)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", PAGES)
def test_permission_matrix(page: str, persona: str, targets: dict[str, Any]) -> None:
    personas = targets["personas"]
    method, name, target, decision, body, headers, expected = PAGES[page]
    application = targets[target] if target else None
    args = [a for a in (application and application.pk, decision) if a]
    url = reverse(f"applications:{name}", args=args)
    if body is SCORES:
        body = score_data(application, Mål=4, Organisering=3)
    response = getattr(client(personas[persona]), method)(url, body, **headers)
    assert response.status_code == expected[persona], f"{page} as {persona}"
    if expected[persona] == 302 and persona == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    if expected[persona] == 200 and headers.get("HTTP_HX_REQUEST"):
        assert b"<html" not in response.content  # only the partial
