"""The monitoring pages: who may open what, as every persona, whole pages and their htmx
partials. The projects and reports are built once for the module's tests (tests/shared_data.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from applications.models import Grant

from ..conftest import make_personas
from ..shared_data import ModuleData
from .conftest import goals_of, slagelse_project
from .test_views import HTMX, REASON, client, draft_report, first_quarter, form_data, submitted_report

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


def per_persona(*codes: int) -> dict[str, int]:
    return dict(zip(PERSONAS, codes, strict=True))


MUNICIPALITIES = per_persona(200, 200, 403, 403, 403, 200, 302)
SIRI_ONLY = per_persona(403, 403, 200, 200, 403, 403, 302)
VIEWERS = per_persona(200, 404, 200, 200, 404, 200, 302)
# A draft: SIRI does not see it until it is handed in.
DRAFT_VIEWERS = per_persona(200, 404, 404, 404, 404, 200, 302)


def writers(ok: int) -> dict[str, int]:
    """Only the lead municipality's applicant writes; the committee reads; SIRI reads the grant."""
    return per_persona(ok, 404, 403, 403, 404, 403, 302)


def draft_writers(ok: int) -> dict[str, int]:
    return per_persona(ok, 404, 404, 404, 404, 403, 302)


def deciders(ok: int) -> dict[str, int]:
    return per_persona(403, 404, ok, ok, 404, 403, 302)


# page → (method, url name, target, extra url argument, body, headers, expected per persona)
PAGES: dict[str, tuple[str, str, str, str | None, Any, dict[str, str], dict[str, int]]] = {
    "project list": ("get", "projects", "none", None, {}, {}, MUNICIPALITIES),
    "overview": ("get", "overview", "none", None, {}, {}, SIRI_ONLY),
    "project": ("get", "project", "grant", None, {}, {}, VIEWERS),
    "milestone get": ("get", "milestone_edit", "milestone", None, {}, {}, writers(200)),
    "milestone post": ("post", "milestone_edit", "milestone", None, "milestone", {}, writers(302)),
    "report create get": ("get", "report_create", "grant", None, {}, {}, writers(200)),
    "report create post": ("post", "report_create", "grant", None, "quarter", {}, writers(302)),
    "submitted report": ("get", "report", "submitted", None, {}, {}, VIEWERS),
    "draft report": ("get", "report", "draft", None, {}, {}, DRAFT_VIEWERS),
    "report edit get": ("get", "report_edit", "draft", None, {}, {}, draft_writers(200)),
    "report edit post": ("post", "report_edit", "draft", None, "report", {}, draft_writers(302)),
    "report save htmx": ("post", "report_save", "draft", None, "report", HTMX, draft_writers(200)),
    "report submit get": ("get", "report_submit", "draft", None, {}, {}, draft_writers(200)),
    "report submit post": ("post", "report_submit", "draft", None, {}, {}, draft_writers(400)),
    "accept get": ("get", "report_decide", "submitted", "accept", {}, {}, deciders(200)),
    "accept confirm": ("post", "report_decide", "submitted", "accept", {"confirm": "1"}, {}, deciders(302)),
    "return post": ("post", "report_decide", "submitted", "return", REASON, {}, deciders(200)),
    "return confirm": ("post", "report_decide", "submitted", "return", {**REASON, "confirm": "1"}, {}, deciders(302)),
    "decide a draft": (
        "get",
        "report_decide",
        "draft",
        "accept",
        {},
        {},
        per_persona(403, 404, 404, 404, 404, 403, 302),
    ),
    "unknown decision": (
        "get",
        "report_decide",
        "submitted",
        "approve",
        {},
        {},
        {**dict.fromkeys(PERSONAS, 404), "anonymous": 302},
    ),
    "dashboard": ("get", "dashboard", "pool", None, {}, {}, SIRI_ONLY),
    "dashboard htmx": (
        "get",
        "dashboard",
        "pool",
        None,
        {},
        {**HTMX, "HTTP_HX_TARGET": "dashboard-results"},
        SIRI_ONLY,
    ),
}


def build_matrix() -> dict[str, Any]:
    """The personas; Slagelse's project with its first quarter handed in and its second a draft,
    and a young one with nothing handed in, whose milestones may still change."""
    personas = make_personas()
    applicant, reviewer = personas["slagelse_applicant"], personas["reviewer"]
    grant = slagelse_project(applicant, reviewer)
    quarter = first_quarter(grant)
    return {
        "personas": personas,
        "grant": grant,
        "submitted": submitted_report(grant, applicant, quarter),
        "draft": draft_report(grant, applicant, quarter.next()),
        "young": slagelse_project(applicant, reviewer),
    }


@pytest.fixture(scope="module")
def built_matrix(module_data: ModuleData) -> dict[str, Any]:
    return module_data.build(build_matrix)


@pytest.fixture
def reported(db: None, module_data: ModuleData, built_matrix: dict[str, Any]) -> dict[str, Any]:
    return module_data.copy(built_matrix)


def _url(name: str, target: str, extra: str | None, reported: dict[str, Any]) -> str:
    grant: Grant = reported["grant"]
    if target == "none":
        return reverse(f"monitoring:{name}")
    if target == "pool":
        return reverse(f"monitoring:{name}", args=[grant.application.pool_id])
    if target == "grant":
        return reverse(f"monitoring:{name}", args=[grant.pk])
    if target == "milestone":
        # A young grant: nothing handed in yet, so its milestones may change.
        young: Grant = reported["young"]
        return reverse(f"monitoring:{name}", args=[young.pk, young.milestones.first().pk])
    args = [grant.pk, reported[target].pk, *([extra] if extra else [])]
    return reverse(f"monitoring:{name}", args=args)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", PAGES)
def test_permission_matrix(page: str, persona: str, reported: dict[str, Any]) -> None:
    method, name, target, extra, body, headers, expected = PAGES[page]
    personas = reported["personas"]
    url = _url(name, target, extra, reported)
    grant = reported["grant"]
    if body == "milestone":
        young = reported["young"]
        body = {f"expected_{goal.pk}": "5" for goal in goals_of(young)}
    elif body == "quarter":
        third = first_quarter(grant).next().next()
        body = {"quarter": f"{third.year}-{third.quarter}"}
    elif body == "report":
        body = form_data(grant, narrative="Godt kvartal.")
    response = getattr(client(personas[persona]), method)(url, body, **headers)
    assert response.status_code == expected[persona], f"{page} as {persona}"
    if expected[persona] == 302 and persona == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    if expected[persona] == 200 and headers.get("HTTP_HX_REQUEST"):
        assert b"<html" not in response.content  # only the partial


REPORT_PAGES = [page for page, spec in PAGES.items() if spec[2] in {"submitted", "draft"} and spec[1] != "report_save"]


@pytest.mark.parametrize("page", REPORT_PAGES)
def test_a_report_under_another_projects_address_is_not_there(page: str, reported: dict[str, Any]) -> None:
    """A report is found under its own project only: the lead municipality's applicant, who may
    see both projects, gets a 404 for the report under the other one's address."""
    method, name, target, extra, _body, headers, _expected = PAGES[page]
    other: Grant = reported["young"]
    url = reverse(f"monitoring:{name}", args=[other.pk, reported[target].pk, *([extra] if extra else [])])
    applicant = reported["personas"]["slagelse_applicant"]
    assert getattr(client(applicant), method)(url, {}, **headers).status_code == 404, page
    assert client(reported["personas"]["reviewer"]).get(url).status_code == 404, page
