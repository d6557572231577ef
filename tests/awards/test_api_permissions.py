"""Who may call which endpoint of the grant administration: every persona × every endpoint.

The grant is Slagelse's (the committee member is of Slagelse too). 401 when not logged in, 404
when the persona cannot see the grant (Gribskov's applicant and the ambassador see nothing of
Slagelse's), 403 when they see it but may not do it, 409 when they may but not from the state,
and the success code when allowed; a refused request changes nothing.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from applications.models import Grant, Pool
from awards import services
from awards.models import AwardLog, ChangeKind, ChangeRequest, GrantVersion, Payment

from ..conftest import client_for, make_personas
from ..monitoring.conftest import make_grant, recent_period
from ..shared_data import ModuleData
from .conftest import ACCEPTANCE, future_period

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

ACCEPT = {**ACCEPTANCE}
TODAY = datetime.date.today().isoformat()
PERIOD = {"kind": "period", "reason": "Forsinket opstart.", "end_date": "{later}"}

# name → (method, path, the state of the grant, body). States: "awaiting" (granted, not accepted),
# "running" (accepted), "late" (accepted, a report long overdue: its payments held),
# "submitted" (running, a change request waiting), "approved" (running, the change approved),
# "revoked".
ENDPOINTS: dict[str, tuple[str, str, str, Any]] = {
    "grant retrieve": ("get", "/grants/{grant}/", "awaiting", {}),
    "accept awaiting": ("post", "/grants/{grant}/accept/", "awaiting", ACCEPT),
    "accept running": ("post", "/grants/{grant}/accept/", "running", ACCEPT),
    "revoke awaiting": ("post", "/grants/{grant}/revoke/", "awaiting", {"reason": "Opgivet."}),
    "revoke revoked": ("post", "/grants/{grant}/revoke/", "revoked", {"reason": "Opgivet."}),
    "grant payments": ("get", "/grants/{grant}/payments/", "running", {}),
    "grant versions": ("get", "/grants/{grant}/versions/", "approved", {}),
    "grant history": ("get", "/grants/{grant}/history/", "running", {}),
    "payments list": ("get", "/payments/", "running", {}),
    "payment retrieve": ("get", "/payments/{payment}/", "running", {}),
    "pay planned": ("post", "/payments/{payment}/pay/", "running", {"paid_on": TODAY}),
    "pay held": ("post", "/payments/{payment}/pay/", "late", {"paid_on": TODAY}),
    "grant change requests list": ("get", "/grants/{grant}/change-requests/", "submitted", {}),
    "grant change requests create": ("post", "/grants/{grant}/change-requests/", "running", PERIOD),
    "change requests list": ("get", "/change-requests/", "submitted", {}),
    "change request retrieve": ("get", "/change-requests/{change}/", "submitted", {}),
    "approve submitted": ("post", "/change-requests/{change}/approve/", "submitted", {}),
    "approve approved": ("post", "/change-requests/{change}/approve/", "approved", {}),
    "refuse submitted": ("post", "/change-requests/{change}/refuse/", "submitted", {"reason": "Nej."}),
    "withdraw submitted": ("post", "/change-requests/{change}/withdraw/", "submitted", {}),
    "withdraw approved": ("post", "/change-requests/{change}/withdraw/", "approved", {}),
}

OK, NEW, ANON, DENY, HIDE, STATE = 200, 201, 401, 403, 404, 409

# fmt: off
EXPECTED: dict[str, tuple[int, int, int, int, int, int, int]] = {
    #                                  slagelse gribskov reviewer pooladm  ambass.  committee anonymous
    "grant retrieve":                 (OK,      HIDE,    OK,      OK,      HIDE,    OK,      ANON),
    "accept awaiting":                (OK,      HIDE,    DENY,    DENY,    HIDE,    DENY,    ANON),
    "accept running":                 (STATE,   HIDE,    DENY,    DENY,    HIDE,    DENY,    ANON),
    "revoke awaiting":                (DENY,    HIDE,    OK,      OK,      HIDE,    DENY,    ANON),
    "revoke revoked":                 (DENY,    HIDE,    STATE,   STATE,   HIDE,    DENY,    ANON),
    "grant payments":                 (OK,      HIDE,    OK,      OK,      HIDE,    OK,      ANON),
    "grant versions":                 (OK,      HIDE,    OK,      OK,      HIDE,    OK,      ANON),
    "grant history":                  (OK,      HIDE,    OK,      OK,      HIDE,    OK,      ANON),
    "payments list":                  (OK,      OK,      OK,      OK,      OK,      OK,      ANON),
    "payment retrieve":               (OK,      HIDE,    OK,      OK,      HIDE,    OK,      ANON),
    "pay planned":                    (DENY,    HIDE,    DENY,    OK,      HIDE,    DENY,    ANON),
    "pay held":                       (DENY,    HIDE,    DENY,    STATE,   HIDE,    DENY,    ANON),
    "grant change requests list":     (OK,      HIDE,    OK,      OK,      HIDE,    OK,      ANON),
    "grant change requests create":   (NEW,     HIDE,    DENY,    DENY,    HIDE,    DENY,    ANON),
    "change requests list":           (OK,      OK,      OK,      OK,      OK,      OK,      ANON),
    "change request retrieve":        (OK,      HIDE,    OK,      OK,      HIDE,    OK,      ANON),
    "approve submitted":              (DENY,    HIDE,    OK,      OK,      HIDE,    DENY,    ANON),
    "approve approved":               (DENY,    HIDE,    STATE,   STATE,   HIDE,    DENY,    ANON),
    "refuse submitted":               (DENY,    HIDE,    OK,      OK,      HIDE,    DENY,    ANON),
    "withdraw submitted":             (OK,      HIDE,    DENY,    DENY,    HIDE,    DENY,    ANON),
    "withdraw approved":              (STATE,   HIDE,    DENY,    DENY,    HIDE,    DENY,    ANON),
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


def build(state: str, applicant: Any, reviewer: Any) -> tuple[Grant, ChangeRequest | None]:
    """Slagelse's grant in `state`, through the real services."""
    period = recent_period() if state == "late" else future_period()
    grant = make_grant(applicant, reviewer, *period, accepted=state != "awaiting")
    Pool.objects.filter(pk=grant.application.pool_id).update(project_end_latest=None)
    change = None
    if state in ("submitted", "approved"):
        later = grant.end_date.replace(year=grant.end_date.year + 1)
        change = services.file_change(
            grant.pk, applicant, {"kind": ChangeKind.PERIOD, "reason": "Forsinket.", "end_date": later}
        )
        if state == "approved":
            services.approve_change(change.pk, reviewer)
    if state == "revoked":
        services.revoke(grant.pk, reviewer, "Opgivet.")
    grant.refresh_from_db()
    return grant, change


STATES = ("awaiting", "running", "late", "submitted", "approved", "revoked")


def build_grants() -> dict[str, Any]:
    """The personas, and a grant of Slagelse's in each state (`build`)."""
    personas = make_personas()
    applicant, reviewer = personas["slagelse_applicant"], personas["reviewer"]
    return {**personas, "grants": {state: build(state, applicant, reviewer) for state in STATES}}


@pytest.fixture(scope="module")
def built_grants(module_data: ModuleData) -> dict[str, Any]:
    return module_data.build(build_grants)


@pytest.fixture
def grants(db: None, module_data: ModuleData, built_grants: dict[str, Any]) -> dict[str, Any]:
    """`build_grants`, built once for the module's tests."""
    return module_data.copy(built_grants)


def snapshot(grant: Grant) -> tuple[Any, ...]:
    return (
        Grant.objects.filter(pk=grant.pk).values_list("state", "amount", "end_date").get(),
        tuple(Payment.objects.order_by("pk").values_list("pk", "state", "amount")),
        tuple(ChangeRequest.objects.order_by("pk").values_list("pk", "state")),
        GrantVersion.objects.count(),
        AwardLog.objects.count(),
    )


@pytest.mark.parametrize(("endpoint", "persona", "expected"), _cases())
def test_permission_matrix(
    endpoint: str,
    persona: str,
    expected: int,
    grants: dict[str, Any],
) -> None:
    user = grants[persona]
    method, path, state, body = ENDPOINTS[endpoint]
    grant, change = grants["grants"][state]
    later = grant.end_date.replace(year=grant.end_date.year + 2)
    if isinstance(body, dict):
        body = {
            key: value.format(later=later.isoformat()) if isinstance(value, str) else value
            for key, value in body.items()
        }
    payment = grant.payments.filter(kind="instalment").order_by("due_on").first()
    ids = {"grant": grant.pk, "payment": getattr(payment, "pk", 0), "change": getattr(change, "pk", 0)}
    before = snapshot(grant)

    response = getattr(client_for(user), method)(f"/api/v1{path.format(**ids)}", body, format="json")

    assert response.status_code == expected, response.content
    if expected >= 400:
        assert snapshot(grant) == before, "a refused request must change nothing"


# A persona that may never do something is told so (403), also when the body is not valid.
FORBIDDEN: dict[str, tuple[str, str, str, str, Any]] = {
    "reviewer accepts": ("reviewer", "post", "/grants/{grant}/accept/", "awaiting", {"declaration": "jo"}),
    "committee accepts": ("committee", "post", "/grants/{grant}/accept/", "awaiting", {"accepted_by_name": 7}),
    "applicant revokes": ("slagelse_applicant", "post", "/grants/{grant}/revoke/", "running", {"reason": ["?"]}),
    "reviewer pays": ("reviewer", "post", "/payments/{payment}/pay/", "running", {"paid_on": "i går"}),
    "reviewer asks for a change": ("reviewer", "post", "/grants/{grant}/change-requests/", "running", {"kind": 3}),
    "applicant approves": (
        "slagelse_applicant",
        "post",
        "/change-requests/{change}/approve/",
        "submitted",
        {"reason": []},
    ),
}


@pytest.mark.parametrize("case", FORBIDDEN)
def test_forbidden_before_the_body_is_read(case: str, grants: dict[str, Any]) -> None:
    persona, method, path, state, body = FORBIDDEN[case]
    grant, change = grants["grants"][state]
    payment = grant.payments.filter(kind="instalment").order_by("due_on").first()
    ids = {"grant": grant.pk, "payment": getattr(payment, "pk", 0), "change": getattr(change, "pk", 0)}
    response = getattr(client_for(grants[persona]), method)(f"/api/v1{path.format(**ids)}", body, format="json")
    assert response.status_code == 403, response.content
