"""Who may call which endpoint: every persona × every endpoint of the application API.

401 when not logged in, 404 when the persona cannot see the object (another municipality's
application, a draft SIRI has never received), 403 when they see it but may not do it, 409 when
they may do it but not from the object's state, and the success code when it is allowed.
"""

from __future__ import annotations

from typing import Any

import pytest

from applications.models import (
    Application,
    Grant,
    Municipality,
    Pool,
    State,
    TransitionLog,
)

from ..conftest import DECLARATION, application_in_state, client_for, make_complete_draft, review

PERSONAS = (
    "slagelse_applicant",
    "gribskov_applicant",
    "reviewer",
    "pool_admin",
    "ambassador",
    "committee",
    "anonymous",
)

APP = "/applications/{app}"
POOL = {"name": "Sprogmakkere", "total_budget": "5000000", "max_grant": "1000000", "opens_on": "2030-01-01"}
POOL |= {"closes_on": "2030-03-31", "criteria": [{"name": "Mål", "weight": "2"}]}
PENDING = {"municipality": "330", "status": "pending"}
REASONS = {"Mål": "Konkrete mål.", "Organisering": "Klar ledelse."}
SCORES = {"scores": {"Mål": 4, "Organisering": 3}, "reasons": REASONS, "recommendation": "reject"}

# name → (method, path, the application it is called on, body)
# Targets: "none", "draft" (Slagelse's, never submitted), "submitted", "assessed" (submitted and
# reviewed once, as a rejection needs), "approved" (politically approved and reviewed once), "granted".
ENDPOINTS: dict[str, tuple[str, str, str, dict[str, Any]]] = {
    "municipalities list": ("get", "/municipalities/", "none", {}),
    "municipalities retrieve": ("get", "/municipalities/330/", "none", {}),
    "pools list": ("get", "/pools/", "none", {}),
    "pools retrieve": ("get", "/pools/{pool}/", "none", {}),
    "pools create": ("post", "/pools/", "none", POOL),
    "pools patch": ("patch", "/pools/{pool}/", "none", {"description": "Opdateret formål"}),
    "applications list": ("get", "/applications/", "none", {}),
    "applications retrieve draft": ("get", f"{APP}/", "draft", {}),
    "applications retrieve submitted": ("get", f"{APP}/", "submitted", {}),
    "applications create": ("post", "/applications/", "none", {"pool": "{pool}", "title": "Nyt projekt"}),
    "applications patch draft": ("patch", f"{APP}/", "draft", {"title": "Nyt navn"}),
    "applications patch submitted": ("patch", f"{APP}/", "submitted", {"title": "Nyt navn"}),
    "applications delete draft": ("delete", f"{APP}/", "draft", {}),
    "applications delete submitted": ("delete", f"{APP}/", "submitted", {}),
    "political-approvals list draft": ("get", f"{APP}/political-approvals/", "draft", {}),
    "political-approvals list submitted": ("get", f"{APP}/political-approvals/", "submitted", {}),
    "political-approvals create draft": ("post", f"{APP}/political-approvals/", "draft", PENDING),
    "political-approvals create submitted": ("post", f"{APP}/political-approvals/", "submitted", PENDING),
    "reviews list draft": ("get", f"{APP}/reviews/", "draft", {}),
    "reviews list submitted": ("get", f"{APP}/reviews/", "submitted", {}),
    "reviews create draft": ("post", f"{APP}/reviews/", "draft", SCORES),
    "reviews create submitted": ("post", f"{APP}/reviews/", "submitted", SCORES),
    "submit draft": ("post", f"{APP}/submit/", "draft", DECLARATION),
    "grant approved": ("post", f"{APP}/grant/", "approved", {"amount": "500000"}),
    "reject submitted": ("post", f"{APP}/reject/", "assessed", {"reason": "Uklare mål."}),
    "return-for-revision submitted": ("post", f"{APP}/return-for-revision/", "submitted", {"reason": "Uddyb."}),
    "withdraw draft": ("post", f"{APP}/withdraw/", "draft", {}),
    "withdraw submitted": ("post", f"{APP}/withdraw/", "submitted", {}),
    "history draft": ("get", f"{APP}/history/", "draft", {}),
    "history submitted": ("get", f"{APP}/history/", "submitted", {}),
    "grants list": ("get", "/grants/", "granted", {}),
    "grants retrieve": ("get", "/grants/{grant}/", "granted", {}),
    # Each persona asks for a token with its own password; "anonymous" with a wrong one.
    "auth token": ("post", "/auth/token/", "none", {}),
}

CHILDREN: dict[str, tuple[str, dict[str, Any], dict[str, Any]]] = {
    # path segment → (placeholder of one existing item, body to create, body to patch)
    "target-groups": ("{tg}", {"name": "unge under 25 år", "size": 10}, {"size": 12}),
    "goals": ("{goal}", {"title": "Unge i fritidsjob", "kind": "count", "target_value": "15"}, {"target_value": "20"}),
    "budget-lines": ("{line}", {"year": 2030, "category": "activities", "amount": "1000"}, {"amount": "2000"}),
}
for _child, (_item, _create, _patch) in CHILDREN.items():
    for _target in ("draft", "submitted"):
        ENDPOINTS[f"{_child} list {_target}"] = ("get", f"/applications/{{app}}/{_child}/", _target, {})
        ENDPOINTS[f"{_child} create {_target}"] = ("post", f"/applications/{{app}}/{_child}/", _target, _create)
        ENDPOINTS[f"{_child} patch {_target}"] = ("patch", f"/applications/{{app}}/{_child}/{_item}/", _target, _patch)
        ENDPOINTS[f"{_child} delete {_target}"] = ("delete", f"/applications/{{app}}/{_child}/{_item}/", _target, {})

OK, NEW, GONE, BAD, ANON, DENY, HIDE, STATE = 200, 201, 204, 400, 401, 403, 404, 409

# fmt: off
EXPECTED: dict[str, tuple[int, int, int, int, int, int, int]] = {
    #                                          slagelse gribskov reviewer pooladm  ambass.  committee anonymous
    "municipalities list":                    (OK,      OK,      OK,      OK,      OK,      OK,      ANON),
    "municipalities retrieve":                (OK,      OK,      OK,      OK,      OK,      OK,      ANON),
    "pools list":                             (OK,      OK,      OK,      OK,      OK,      OK,      ANON),
    "pools retrieve":                         (OK,      OK,      OK,      OK,      OK,      OK,      ANON),
    "pools create":                           (DENY,    DENY,    DENY,    NEW,     DENY,    DENY,    ANON),
    "pools patch":                            (DENY,    DENY,    DENY,    OK,      DENY,    DENY,    ANON),
    "applications list":                      (OK,      OK,      OK,      OK,      OK,      OK,      ANON),
    "applications retrieve draft":            (OK,      HIDE,    HIDE,    HIDE,    HIDE,    OK,      ANON),
    "applications retrieve submitted":        (OK,      HIDE,    OK,      OK,      HIDE,    OK,      ANON),
    "applications create":                    (NEW,     NEW,     DENY,    DENY,    DENY,    DENY,    ANON),
    "applications patch draft":               (OK,      HIDE,    HIDE,    HIDE,    HIDE,    DENY,    ANON),
    "applications patch submitted":           (STATE,   HIDE,    DENY,    DENY,    HIDE,    DENY,    ANON),
    "applications delete draft":              (GONE,    HIDE,    HIDE,    HIDE,    HIDE,    DENY,    ANON),
    "applications delete submitted":          (STATE,   HIDE,    DENY,    DENY,    HIDE,    DENY,    ANON),
    "target-groups list draft":               (OK,      HIDE,    HIDE,    HIDE,    HIDE,    OK,      ANON),
    "target-groups list submitted":           (OK,      HIDE,    OK,      OK,      HIDE,    OK,      ANON),
    "target-groups create draft":             (NEW,     HIDE,    HIDE,    HIDE,    HIDE,    DENY,    ANON),
    "target-groups create submitted":         (STATE,   HIDE,    DENY,    DENY,    HIDE,    DENY,    ANON),
    "target-groups patch draft":              (OK,      HIDE,    HIDE,    HIDE,    HIDE,    DENY,    ANON),
    "target-groups patch submitted":          (STATE,   HIDE,    DENY,    DENY,    HIDE,    DENY,    ANON),
    "target-groups delete draft":             (GONE,    HIDE,    HIDE,    HIDE,    HIDE,    DENY,    ANON),
    "target-groups delete submitted":         (STATE,   HIDE,    DENY,    DENY,    HIDE,    DENY,    ANON),
    "goals list draft":                       (OK,      HIDE,    HIDE,    HIDE,    HIDE,    OK,      ANON),
    "goals list submitted":                   (OK,      HIDE,    OK,      OK,      HIDE,    OK,      ANON),
    "goals create draft":                     (NEW,     HIDE,    HIDE,    HIDE,    HIDE,    DENY,    ANON),
    "goals create submitted":                 (STATE,   HIDE,    DENY,    DENY,    HIDE,    DENY,    ANON),
    "goals patch draft":                      (OK,      HIDE,    HIDE,    HIDE,    HIDE,    DENY,    ANON),
    "goals patch submitted":                  (STATE,   HIDE,    DENY,    DENY,    HIDE,    DENY,    ANON),
    "goals delete draft":                     (GONE,    HIDE,    HIDE,    HIDE,    HIDE,    DENY,    ANON),
    "goals delete submitted":                 (STATE,   HIDE,    DENY,    DENY,    HIDE,    DENY,    ANON),
    "budget-lines list draft":                (OK,      HIDE,    HIDE,    HIDE,    HIDE,    OK,      ANON),
    "budget-lines list submitted":            (OK,      HIDE,    OK,      OK,      HIDE,    OK,      ANON),
    "budget-lines create draft":              (NEW,     HIDE,    HIDE,    HIDE,    HIDE,    DENY,    ANON),
    "budget-lines create submitted":          (STATE,   HIDE,    DENY,    DENY,    HIDE,    DENY,    ANON),
    "budget-lines patch draft":               (OK,      HIDE,    HIDE,    HIDE,    HIDE,    DENY,    ANON),
    "budget-lines patch submitted":           (STATE,   HIDE,    DENY,    DENY,    HIDE,    DENY,    ANON),
    "budget-lines delete draft":              (GONE,    HIDE,    HIDE,    HIDE,    HIDE,    DENY,    ANON),
    "budget-lines delete submitted":          (STATE,   HIDE,    DENY,    DENY,    HIDE,    DENY,    ANON),
    "political-approvals list draft":         (OK,      HIDE,    HIDE,    HIDE,    HIDE,    OK,      ANON),
    "political-approvals list submitted":     (OK,      HIDE,    OK,      OK,      HIDE,    OK,      ANON),
    "political-approvals create draft":       (NEW,     HIDE,    HIDE,    HIDE,    HIDE,    DENY,    ANON),
    "political-approvals create submitted":   (NEW,     HIDE,    DENY,    DENY,    HIDE,    DENY,    ANON),
    "reviews list draft":                     (DENY,    HIDE,    HIDE,    HIDE,    HIDE,    DENY,    ANON),
    "reviews list submitted":                 (DENY,    HIDE,    OK,      OK,      HIDE,    DENY,    ANON),
    "reviews create draft":                   (DENY,    HIDE,    HIDE,    HIDE,    HIDE,    DENY,    ANON),
    "reviews create submitted":               (DENY,    HIDE,    NEW,     NEW,     HIDE,    DENY,    ANON),
    "submit draft":                           (OK,      HIDE,    HIDE,    HIDE,    HIDE,    DENY,    ANON),
    "grant approved":                         (DENY,    HIDE,    OK,      OK,      HIDE,    DENY,    ANON),
    "reject submitted":                       (DENY,    HIDE,    OK,      OK,      HIDE,    DENY,    ANON),
    "return-for-revision submitted":          (DENY,    HIDE,    OK,      OK,      HIDE,    DENY,    ANON),
    "withdraw draft":                         (OK,      HIDE,    HIDE,    HIDE,    HIDE,    DENY,    ANON),
    "withdraw submitted":                     (OK,      HIDE,    DENY,    DENY,    HIDE,    DENY,    ANON),
    "history draft":                          (OK,      HIDE,    HIDE,    HIDE,    HIDE,    OK,      ANON),
    "history submitted":                      (OK,      HIDE,    OK,      OK,      HIDE,    OK,      ANON),
    "grants list":                            (OK,      OK,      OK,      OK,      OK,      OK,      ANON),
    "grants retrieve":                        (OK,      HIDE,    OK,      OK,      HIDE,    OK,      ANON),
    "auth token":                             (OK,      OK,      OK,      OK,      OK,      OK,      BAD),
}
# fmt: on


def _cases() -> list[Any]:
    return [
        pytest.param(name, persona, code, id=f"{name}-{persona}")
        for name, codes in EXPECTED.items()
        for persona, code in zip(PERSONAS, codes, strict=True)
    ]


def test_the_matrix_covers_every_endpoint() -> None:
    assert set(EXPECTED) == set(ENDPOINTS)


def _build(target: str, pool: Pool, applicant: Any, reviewer: Any) -> Application | None:
    if target == "none":
        return None
    if target == "approved":
        application = application_in_state(State.POLITICALLY_APPROVED, pool, applicant, reviewer)
        review(application, reviewer)
        return application
    if target == "assessed":
        application = application_in_state(State.SUBMITTED, pool, applicant, reviewer)
        review(application, reviewer, "reject")
        return application
    return application_in_state(target, pool, applicant, reviewer)


def _fill(value: Any, ids: dict[str, Any]) -> Any:
    if isinstance(value, str):
        return value.format(**ids) if "{" in value else value
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    return value


def _snapshot(application: Application | None) -> tuple[Any, ...]:
    pools = tuple(Pool.objects.order_by("pk").values_list("pk", "description"))
    if application is None:
        return (pools, Application.objects.count())
    fresh = Application.objects.filter(pk=application.pk).first()
    if fresh is None:
        return (pools, None)
    return (
        pools,
        fresh.state,
        fresh.title,
        fresh.journal_number,
        tuple(fresh.target_groups.values_list("pk", "size")),
        tuple(fresh.goals.values_list("pk", "target_value")),
        tuple(fresh.budget_lines.values_list("pk", "amount")),
        fresh.political_approvals.count(),
        fresh.reviews.count(),
        fresh.transitions.count(),
        Grant.objects.filter(application=fresh).exists(),
    )


@pytest.mark.parametrize(("endpoint", "persona", "expected"), _cases())
def test_permission_matrix(
    endpoint: str,
    persona: str,
    expected: int,
    request: pytest.FixtureRequest,
    pool: Pool,
    slagelse_applicant: Any,
    reviewer: Any,
) -> None:
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    method, path, target, body = ENDPOINTS[endpoint]
    application = _build(target, pool, slagelse_applicant, reviewer)
    ids: dict[str, Any] = {"pool": pool.pk}
    if application is not None:
        ids.update(
            app=application.pk,
            tg=application.target_groups.first().pk,
            goal=application.goals.first().pk,
            line=application.budget_lines.first().pk,
            grant=getattr(Grant.objects.filter(application=application).first(), "pk", 0),
        )
    if endpoint == "auth token":
        body = {"username": user.username, "password": "pw"} if user else {"username": "nobody", "password": "x"}
    before = _snapshot(application)

    response = getattr(client_for(user), method)(f"/api/v1{_fill(path, ids)}", _fill(body, ids), format="json")

    assert response.status_code == expected, response.content
    if expected >= 400 and endpoint != "auth token":
        assert _snapshot(application) == before, "a refused request must change nothing"
    if expected == OK and endpoint == "auth token":
        assert response.json()["token"]


def _ids(response: Any) -> list[int]:
    return [item["id"] for item in response.json()["results"]]


def test_lists_never_leak_another_municipalitys_applications(
    pool: Pool, slagelse_applicant: Any, gribskov_applicant: Any, reviewer: Any, committee: Any
) -> None:
    slagelse_draft = make_complete_draft(pool, slagelse_applicant)
    slagelse_granted = application_in_state(State.GRANTED, pool, slagelse_applicant, reviewer)
    gribskov_draft = make_complete_draft(pool, gribskov_applicant, code="270")

    gribskov = client_for(gribskov_applicant)
    assert _ids(gribskov.get("/api/v1/applications/")) == [gribskov_draft.pk]
    assert gribskov.get("/api/v1/applications/?municipality=330").json()["count"] == 0
    assert gribskov.get("/api/v1/applications/?state=granted").json()["count"] == 0
    assert gribskov.get("/api/v1/grants/").json()["count"] == 0
    assert gribskov.get(f"/api/v1/applications/{slagelse_granted.pk}/history/").status_code == 404

    assert sorted(_ids(client_for(slagelse_applicant).get("/api/v1/applications/"))) == sorted(
        [slagelse_draft.pk, slagelse_granted.pk]
    )
    assert sorted(_ids(client_for(committee).get("/api/v1/applications/"))) == sorted(
        [slagelse_draft.pk, slagelse_granted.pk]
    )
    # SIRI sees what was submitted, never a draft that was not sent.
    assert _ids(client_for(reviewer).get("/api/v1/applications/")) == [slagelse_granted.pk]
    assert client_for(reviewer).get("/api/v1/grants/").json()["count"] == 1


def test_a_partner_municipalitys_applicant_sees_the_application_but_cannot_edit_it(
    pool: Pool, slagelse_applicant: Any, gribskov_applicant: Any
) -> None:
    application = make_complete_draft(pool, slagelse_applicant)
    application.partner_municipalities.add(Municipality.objects.get(code="270"))
    base = f"/api/v1/applications/{application.pk}"
    gribskov = client_for(gribskov_applicant)

    assert gribskov.get(f"{base}/").json()["partner_municipalities"] == ["270"]
    assert _ids(gribskov.get("/api/v1/applications/")) == [application.pk]
    assert gribskov.get(f"{base}/goals/").status_code == 200
    assert gribskov.get(f"{base}/history/").status_code == 200

    assert gribskov.patch(f"{base}/", {"title": "Overtaget"}, format="json").status_code == 403
    assert gribskov.delete(f"{base}/").status_code == 403
    assert gribskov.post(f"{base}/target-groups/", {"name": "x", "size": 1}, format="json").status_code == 403
    assert gribskov.post(f"{base}/submit/").status_code == 403
    assert gribskov.post(f"{base}/withdraw/").status_code == 403
    # Gribskov records its own political approval, never Slagelse's.
    slagelse_approval = {"municipality": "330", "status": "pending"}
    assert gribskov.post(f"{base}/political-approvals/", slagelse_approval, format="json").status_code == 403
    own = {"municipality": "270", "status": "approved", "decided_on": "2025-01-15", "body": "Byrådet"}
    assert gribskov.post(f"{base}/political-approvals/", own, format="json").status_code == 201

    application.refresh_from_db()
    assert (application.title, application.state) == ("Beskæftigelsesambassadør", State.DRAFT)


def test_committee_reads_everything_of_its_municipality_and_writes_nothing(
    pool: Pool, slagelse_applicant: Any, reviewer: Any, committee: Any
) -> None:
    application = application_in_state(State.SUBMITTED, pool, slagelse_applicant, reviewer)
    base = f"/api/v1/applications/{application.pk}"
    udvalg = client_for(committee)
    for path in ("/", "/target-groups/", "/goals/", "/budget-lines/", "/political-approvals/", "/history/"):
        assert udvalg.get(f"{base}{path}").status_code == 200, path

    writes = [
        ("patch", "/", {"title": "Ændret"}),
        ("post", "/political-approvals/", {"municipality": "330", "status": "pending"}),
        ("post", "/withdraw/", {}),
        ("post", "/reject/", {"reason": "Nej."}),
        ("post", "/reviews/", {"scores": {"Mål": 5, "Organisering": 5}, "recommendation": "grant"}),
    ]
    for method, path, body in writes:
        assert getattr(udvalg, method)(f"{base}{path}", body, format="json").status_code == 403, path
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    assert TransitionLog.objects.filter(application=application).count() == 1


def test_a_reviewer_with_a_declared_conflict_of_interest_cannot_decide(
    pool: Pool, slagelse_applicant: Any, reviewer: Any, second_reviewer: Any
) -> None:
    application = application_in_state(State.POLITICALLY_APPROVED, pool, slagelse_applicant, reviewer)
    review(application, reviewer)
    conflicted = client_for(second_reviewer)
    url = f"/api/v1/applications/{application.pk}"
    assert conflicted.post(f"{url}/reviews/", {"conflict_of_interest": True}, format="json").status_code == 201

    assert conflicted.post(f"{url}/grant/", {"amount": "500000"}, format="json").status_code == 403
    assert conflicted.post(f"{url}/reject/", {"reason": "Nej."}, format="json").status_code == 403
    application.refresh_from_db()
    assert application.state == State.POLITICALLY_APPROVED
    assert client_for(reviewer).post(f"{url}/grant/", {"amount": "500000"}, format="json").status_code == 200


# A persona that may never do something is told so (403), also when the body is invalid: a 400
# listing fields would suggest that fixing the input would help.
FORBIDDEN: dict[str, tuple[str, str, str, str, dict[str, Any]]] = {
    "applicant creates pool": ("slagelse_applicant", "post", "/pools/", "none", {}),
    "reviewer patches pool": ("reviewer", "patch", "/pools/{pool}/", "none", {"total_budget": "abc"}),
    "reviewer creates application": ("reviewer", "post", "/applications/", "none", {}),
    "committee approves": ("committee", "post", "/applications/{app}/political-approvals/", "draft", {}),
    "applicant reviews": ("slagelse_applicant", "post", "/applications/{app}/reviews/", "submitted", {}),
    "applicant grants": ("slagelse_applicant", "post", "/applications/{app}/grant/", "approved", {}),
    "applicant rejects": ("slagelse_applicant", "post", "/applications/{app}/reject/", "submitted", {}),
    "applicant returns": ("slagelse_applicant", "post", "/applications/{app}/return-for-revision/", "submitted", {}),
}
FORBIDDEN_CASES = [pytest.param(*spec, id=name) for name, spec in FORBIDDEN.items()]


@pytest.mark.parametrize(("persona", "method", "path", "target", "body"), FORBIDDEN_CASES)
def test_forbidden_is_403_even_with_an_invalid_body(
    persona: str,
    method: str,
    path: str,
    target: str,
    body: dict[str, Any],
    request: pytest.FixtureRequest,
    pool: Pool,
    reviewer: Any,
) -> None:
    user = request.getfixturevalue(persona)
    applicant = request.getfixturevalue("slagelse_applicant")
    application = _build(target, pool, applicant, reviewer)
    ids = {"pool": pool.pk, "app": getattr(application, "pk", 0)}
    before = _snapshot(application)
    response = getattr(client_for(user), method)(f"/api/v1{_fill(path, ids)}", body, format="json")
    assert response.status_code == 403, response.content
    assert _snapshot(application) == before
