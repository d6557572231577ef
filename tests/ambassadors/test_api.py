"""The ambassador network's API: ambassadors, their reports, the best-practice catalogue and the
network meetings, as an outside client sees them.

The matrix: every persona (plus Gribskov's ambassador) × every endpoint. 401 when not logged in,
404 when the persona cannot see the object (another municipality's ambassador or report, a draft
that is not yours, a proposal that is not yours), 403 when they see it but may not do it, 409 when
they may do it but not from the object's state, and the success code when allowed.
"""

from __future__ import annotations

from typing import Any

import pytest

from .network import API, body_for, client_for

pytestmark = pytest.mark.django_db

PERSONAS = (
    "slagelse_applicant",
    "gribskov_applicant",
    "reviewer",
    "pool_admin",
    "ambassador",
    "gribskov_ambassador",
    "committee",
    "anonymous",
)
SLAGELSE_PEOPLE = ("ambassador", "slagelse_applicant", "committee")
GRIBSKOV_PEOPLE = ("gribskov_ambassador", "gribskov_applicant")
SIRI = ("reviewer", "pool_admin")


def codes(default: int, **special: int) -> dict[str, int]:
    """The expected status per persona: `default`, except those named (by persona or group)."""
    groups = {"siri": SIRI, "slagelse": SLAGELSE_PEOPLE, "gribskov": GRIBSKOV_PEOPLE}
    expected = dict.fromkeys(PERSONAS, default)
    for name, code in special.items():
        for persona in groups.get(name, (name,)):
            expected[persona] = code
    expected["anonymous"] = 401
    return expected


# name → (method, path, body, expected codes)
ENDPOINTS: dict[str, tuple[str, str, str, dict[str, int]]] = {
    "ambassadors list": ("get", "/ambassadors/", "", codes(200)),
    "ambassadors retrieve": ("get", "/ambassadors/{slagelse}/", "", codes(200, gribskov=404)),
    "ambassadors create": ("post", "/ambassadors/", "new ambassador", codes(403, siri=201)),
    "ambassadors patch": (
        "patch",
        "/ambassadors/{slagelse}/",
        "phone",
        codes(403, siri=200, gribskov=404),
    ),
    "reports list": ("get", "/ambassador-reports/", "", codes(200)),
    "reports retrieve draft": ("get", "/ambassador-reports/{draft}/", "", codes(404, ambassador=200)),
    "reports retrieve handed in": (
        "get",
        "/ambassador-reports/{submitted}/",
        "",
        codes(200, gribskov=404),
    ),
    "reports create": (
        "post",
        "/ambassador-reports/",
        "new report",
        codes(403, ambassador=201, gribskov_ambassador=201),
    ),
    "reports patch draft": ("patch", "/ambassador-reports/{draft}/", "draft", codes(404, ambassador=200)),
    "reports patch handed in": (
        "patch",
        "/ambassador-reports/{submitted}/",
        "draft",
        codes(403, ambassador=409, gribskov=404),
    ),
    "reports submit draft": ("post", "/ambassador-reports/{draft}/submit/", "", codes(404, ambassador=200)),
    "reports submit handed in": (
        "post",
        "/ambassador-reports/{submitted}/submit/",
        "",
        codes(403, ambassador=409, gribskov=404),
    ),
    "reports acknowledge handed in": (
        "post",
        "/ambassador-reports/{submitted}/acknowledge/",
        "",
        codes(403, siri=200, gribskov=404),
    ),
    "reports acknowledge draft": (
        "post",
        "/ambassador-reports/{draft}/acknowledge/",
        "",
        codes(404, ambassador=403),
    ),
    "reports return handed in": (
        "post",
        "/ambassador-reports/{submitted}/return/",
        "reason",
        codes(403, siri=200, gribskov=404),
    ),
    "reports return draft": (
        "post",
        "/ambassador-reports/{draft}/return/",
        "reason",
        codes(404, ambassador=403),
    ),
    "practices list": ("get", "/best-practices/", "", codes(200)),
    "practices create": (
        "post",
        "/best-practices/",
        "practice",
        codes(403, siri=201, ambassador=201, gribskov_ambassador=201),
    ),
    "practices retrieve published": ("get", "/best-practices/{published}/", "", codes(200)),
    "practices retrieve proposed": ("get", "/best-practices/{proposed}/", "", codes(404, siri=200, ambassador=200)),
    "practices publish proposed": (
        "post",
        "/best-practices/{proposed}/publish/",
        "",
        codes(404, siri=200, ambassador=403),
    ),
    "practices publish published": ("post", "/best-practices/{published}/publish/", "", codes(403, siri=409)),
    "meetings list": ("get", "/network-meetings/", "", codes(403, siri=200, ambassador=200, gribskov_ambassador=200)),
    "meetings retrieve": (
        "get",
        "/network-meetings/{meeting}/",
        "",
        codes(403, siri=200, ambassador=200, gribskov_ambassador=200),
    ),
    "meetings create": ("post", "/network-meetings/", "meeting", codes(403, siri=201)),
    "meetings patch": ("patch", "/network-meetings/{meeting}/", "meeting", codes(403, siri=200)),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_permission_matrix(endpoint: str, persona: str, network: dict[str, Any]) -> None:
    method, path, body, expected = ENDPOINTS[endpoint]
    ids = {name: network[name].pk for name in ("slagelse", "draft", "submitted", "published", "proposed", "meeting")}
    client = client_for(network[persona])
    response = getattr(client, method)(API + path.format(**ids), body_for(body, network), format="json")
    assert response.status_code == expected[persona], (endpoint, persona, response.content[:300])


# Who sees what in the lists ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "ambassadors", "reports"),
    [
        ("reviewer", {"slagelse", "gribskov"}, {"submitted", "gribskov_report"}),
        ("ambassador", {"slagelse"}, {"draft", "submitted"}),
        ("committee", {"slagelse"}, {"submitted"}),
        ("slagelse_applicant", {"slagelse"}, {"submitted"}),
        ("gribskov_ambassador", {"gribskov"}, {"gribskov_report"}),
        ("gribskov_applicant", {"gribskov"}, {"gribskov_report"}),
    ],
)
def test_lists_hold_what_the_persona_may_see(
    network: dict[str, Any], persona: str, ambassadors: set[str], reports: set[str]
) -> None:
    client = client_for(network[persona])
    got = {row["id"] for row in client.get(f"{API}/ambassadors/").json()["results"]}
    assert got == {network[name].pk for name in ambassadors}
    got = {row["id"] for row in client.get(f"{API}/ambassador-reports/").json()["results"]}
    assert got == {network[name].pk for name in reports}
