"""The ambassador network as pages: who may open what, as every persona (an ambassador SIRI
has not registered yet included), whole pages and their htmx partials."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from ambassadors import services
from ambassadors.models import PracticeState
from applications.accounts import set_person

from ..conftest import make_personas
from ..monitoring.conftest import gribskov_project_of, slagelse_project
from ..shared_data import ModuleData
from .conftest import gribskov_ambassador_on, make_ambassador
from .test_views import REASON, client, first_quarter, practice, service_report

pytestmark = pytest.mark.django_db

PERSONAS = (
    "slagelse_applicant",
    "gribskov_applicant",
    "reviewer",
    "pool_admin",
    "ambassador",
    "gribskov_ambassador",
    "unregistered_ambassador",
    "committee",
    "anonymous",
)


def expect(default: int, **overrides: int) -> dict[str, int]:
    return {**dict.fromkeys(PERSONAS, default), "anonymous": 302, **overrides}


AMBASSADORS_ONLY = expect(403, ambassador=200, gribskov_ambassador=200, unregistered_ambassador=200)
SIRI_ONLY = expect(403, reviewer=200, pool_admin=200)
MEETINGS = expect(
    403, reviewer=200, pool_admin=200, ambassador=200, gribskov_ambassador=200, unregistered_ambassador=200
)
EVERYONE = expect(200)
OWN_DRAFT = expect(404, ambassador=200)
# A handed-in report: SIRI and Slagelse's people read it; only its ambassador writes it.
HANDED_IN_READERS = expect(
    404,
    ambassador=200,
    reviewer=200,
    pool_admin=200,
    slagelse_applicant=200,
    committee=200,
    unregistered_ambassador=200,
)
HANDED_IN_WRITERS = expect(
    404,
    ambassador=302,
    reviewer=403,
    pool_admin=403,
    slagelse_applicant=403,
    committee=403,
    unregistered_ambassador=403,
)
HANDED_IN_DECIDERS = expect(
    404,
    ambassador=403,
    reviewer=200,
    pool_admin=200,
    slagelse_applicant=403,
    committee=403,
    unregistered_ambassador=403,
)
PROPOSAL_READERS = expect(404, ambassador=200, reviewer=200, pool_admin=200)
PROPOSAL_PUBLISHERS = expect(404, ambassador=403, reviewer=200, pool_admin=200)

# page → (method, url name, target, body, expected per persona)
PAGES: dict[str, tuple[str, str, str | None, dict[str, Any], dict[str, int]]] = {
    "home": ("get", "home", None, {}, AMBASSADORS_ONLY),
    "new report": ("get", "report_create", None, {}, AMBASSADORS_ONLY),
    "edit a draft": ("get", "report_edit", "draft", {}, OWN_DRAFT),
    "edit a handed-in report": ("get", "report_edit", "submitted", {}, HANDED_IN_WRITERS),
    "post to a draft": ("post", "report_edit", "draft", {"narrative": "Overskrevet"}, expect(404, ambassador=302)),
    "submit a draft": ("get", "report_submit", "draft", {}, OWN_DRAFT),
    "read a draft": ("get", "report", "draft", {}, OWN_DRAFT),
    "read a handed-in report": ("get", "report", "submitted", {}, HANDED_IN_READERS),
    "acknowledge": ("get", "report_decide", "submitted/acknowledge", {}, HANDED_IN_DECIDERS),
    "return": ("post", "report_decide", "submitted/return", REASON, HANDED_IN_DECIDERS),
    "decide on a draft": ("get", "report_decide", "draft/acknowledge", {}, expect(404, ambassador=403)),
    "unknown decision": ("get", "report_decide", "submitted/approve", {}, expect(404)),
    "network": ("get", "network", None, {}, SIRI_ONLY),
    "network htmx": ("get", "network", None, {"htmx": True}, SIRI_ONLY),
    "meetings": ("get", "meetings", None, {}, MEETINGS),
    "a meeting": ("get", "meeting", "meeting", {}, MEETINGS),
    "plan a meeting": ("get", "meeting_create", None, {}, SIRI_ONLY),
    "change a meeting": ("get", "meeting_edit", "meeting", {}, SIRI_ONLY),
    "catalogue": ("get", "catalogue", None, {}, EVERYONE),
    "catalogue htmx": ("get", "catalogue", None, {"htmx": True}, EVERYONE),
    "a published entry": ("get", "practice", "published", {}, EVERYONE),
    "a proposed entry": ("get", "practice", "proposed", {}, PROPOSAL_READERS),
    "propose an entry": ("get", "practice_propose", None, {}, {**MEETINGS}),
    "publish a proposal": ("get", "practice_publish", "proposed", {}, PROPOSAL_PUBLISHERS),
}
HTMX_TARGETS = {"network": "network-results", "catalogue": "catalogue-results"}


def build_matrix() -> dict[str, Any]:
    """The personas with both municipalities' ambassadors and one SIRI has not registered yet;
    Slagelse's ambassador's handed-in report and draft, a meeting, a published and a proposed
    entry of the catalogue."""
    personas = make_personas()
    reviewer = personas["reviewer"]
    slagelse_grant = slagelse_project(personas["slagelse_applicant"], reviewer)
    slagelse = make_ambassador(personas["ambassador"], slagelse_grant, "330")
    gribskov = gribskov_ambassador_on(gribskov_project_of(personas["gribskov_applicant"], reviewer))
    unregistered, _created = set_person("ambassador_new", "ambassador", ["330"], "ny@slagelse.test", "pw")
    quarter = first_quarter(slagelse)
    meeting = services.save_meeting(reviewer, {"held_on": datetime.date(2026, 9, 1), "place": "SIRI, Odense"})
    return {
        "everyone": {**personas, "gribskov_ambassador": gribskov.user, "unregistered_ambassador": unregistered},
        "targets": {
            "submitted": service_report(slagelse, quarter, submit=True),
            "draft": service_report(slagelse, quarter.next()),
            "meeting": meeting,
            "published": practice("Virksomhedsnetværk"),
            "proposed": practice("Mentorordning", PracticeState.PROPOSED, proposed_by=slagelse.user),
        },
    }


@pytest.fixture(scope="module")
def built_matrix(module_data: ModuleData) -> dict[str, Any]:
    return module_data.build(build_matrix)


@pytest.fixture
def matrix(db: None, module_data: ModuleData, built_matrix: dict[str, Any]) -> dict[str, Any]:
    return module_data.copy(built_matrix)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", PAGES)
def test_permission_matrix(page: str, persona: str, matrix: dict[str, Any]) -> None:
    everyone, targets = matrix["everyone"], matrix["targets"]
    method, name, target, body, expected = PAGES[page]
    args: list[Any] = []
    if target:
        key, _slash, decision = target.partition("/")
        args = [targets[key].pk, *([decision] if decision else [])]
    body = dict(body)
    headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": HTMX_TARGETS[name]} if body.pop("htmx", False) else {}
    response = getattr(client(everyone[persona]), method)(reverse(f"ambassadors:{name}", args=args), body, **headers)
    assert response.status_code == expected[persona], f"{page} as {persona}"
    if expected[persona] == 302 and persona == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    if expected[persona] == 200 and headers:
        assert b"<html" not in response.content  # only the partial
