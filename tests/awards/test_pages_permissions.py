"""Who may open which page of the grant administration: every persona × every page (the decision
pages included, whose form is the first step). 302 to the login page when not logged in, 404
when the persona cannot see the grant, 403 when they see it but may not do it, 409 when the
state forbids it (the page says why), 200 when allowed."""

from __future__ import annotations

from typing import Any

import pytest

from ..conftest import page_client_for
from .test_api_permissions import built_grants, grants  # noqa: F401  (the fixtures)

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

# name → (path, state of the grant; see test_api_permissions.build, built once for the module)
PAGES: dict[str, tuple[str, str]] = {
    "project awaiting": ("/projects/{grant}/", "awaiting"),
    "project late": ("/projects/{grant}/", "late"),
    "accept awaiting": ("/projects/{grant}/accept/", "awaiting"),
    "accept running": ("/projects/{grant}/accept/", "running"),
    "revoke awaiting": ("/projects/{grant}/revoke/", "awaiting"),
    "revoke revoked": ("/projects/{grant}/revoke/", "revoked"),
    "versions": ("/projects/{grant}/versions/", "approved"),
    "ask for a budget change": ("/projects/{grant}/changes/new/budget/", "running"),
    "ask before acceptance": ("/projects/{grant}/changes/new/period/", "awaiting"),
    "change request": ("/change-requests/{change}/", "submitted"),
    "approve": ("/change-requests/{change}/decide/approve/", "submitted"),
    "approve approved": ("/change-requests/{change}/decide/approve/", "approved"),
    "refuse": ("/change-requests/{change}/decide/refuse/", "submitted"),
    "withdraw": ("/change-requests/{change}/decide/withdraw/", "submitted"),
    "change queue": ("/change-requests/", "submitted"),
    "payments": ("/payments/", "running"),
    "payments csv": ("/payments/export.csv", "running"),
    "pay planned": ("/payments/{payment}/pay/", "running"),
    "pay held": ("/payments/{payment}/pay/", "late"),
}

OK, LOGIN, DENY, HIDE, STATE = 200, 302, 403, 404, 409

# fmt: off
EXPECTED: dict[str, tuple[int, int, int, int, int, int, int]] = {
    #                              slagelse gribskov reviewer pooladm  ambass.  committee anonymous
    "project awaiting":           (OK,      HIDE,    OK,      OK,      HIDE,    OK,      LOGIN),
    "project late":               (OK,      HIDE,    OK,      OK,      HIDE,    OK,      LOGIN),
    "accept awaiting":            (OK,      HIDE,    DENY,    DENY,    HIDE,    DENY,    LOGIN),
    "accept running":             (STATE,   HIDE,    DENY,    DENY,    HIDE,    DENY,    LOGIN),
    "revoke awaiting":            (DENY,    HIDE,    OK,      OK,      HIDE,    DENY,    LOGIN),
    "revoke revoked":             (DENY,    HIDE,    STATE,   STATE,   HIDE,    DENY,    LOGIN),
    "versions":                   (OK,      HIDE,    OK,      OK,      HIDE,    OK,      LOGIN),
    "ask for a budget change":    (OK,      HIDE,    DENY,    DENY,    HIDE,    DENY,    LOGIN),
    "ask before acceptance":      (STATE,   HIDE,    DENY,    DENY,    HIDE,    DENY,    LOGIN),
    "change request":             (OK,      HIDE,    OK,      OK,      HIDE,    OK,      LOGIN),
    "approve":                    (DENY,    HIDE,    OK,      OK,      HIDE,    DENY,    LOGIN),
    "approve approved":           (DENY,    HIDE,    STATE,   STATE,   HIDE,    DENY,    LOGIN),
    "refuse":                     (DENY,    HIDE,    OK,      OK,      HIDE,    DENY,    LOGIN),
    "withdraw":                   (OK,      HIDE,    DENY,    DENY,    HIDE,    DENY,    LOGIN),
    "change queue":               (DENY,    DENY,    OK,      OK,      DENY,    DENY,    LOGIN),
    "payments":                   (DENY,    DENY,    OK,      OK,      DENY,    DENY,    LOGIN),
    "payments csv":               (DENY,    DENY,    OK,      OK,      DENY,    DENY,    LOGIN),
    "pay planned":                (DENY,    HIDE,    DENY,    OK,      HIDE,    DENY,    LOGIN),
    "pay held":                   (DENY,    HIDE,    DENY,    STATE,   HIDE,    DENY,    LOGIN),
}
# fmt: on


def test_the_matrix_covers_every_page() -> None:
    assert set(EXPECTED) == set(PAGES)


@pytest.mark.parametrize(
    ("page", "persona", "expected"),
    [
        pytest.param(name, persona, code, id=f"{name}-{persona}")
        for name, codes in EXPECTED.items()
        for persona, code in zip(PERSONAS, codes, strict=True)
    ],
)
def test_page_permission_matrix(page: str, persona: str, expected: int, grants: dict[str, Any]) -> None:  # noqa: F811
    user = grants[persona]
    path, state = PAGES[page]
    grant, change = grants["grants"][state]
    payment = grant.payments.filter(kind="instalment").order_by("due_on").first()
    ids = {"grant": grant.pk, "payment": getattr(payment, "pk", 0), "change": getattr(change, "pk", 0)}

    response = page_client_for(user).get(path.format(**ids))

    assert response.status_code == expected, response.content[:2000]
    if expected == LOGIN:
        assert response["Location"].startswith("/login/")
