"""axe-core on every main page, in Danish (the default) and in English (chosen in the header):
no serious or critical violation. The data each page needs is made through the same services
users' clicks go through (tests/conftest.py); the page is then opened as its user would."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from applications import services
from applications.models import Application, Grant, Municipality, Pool, State
from core import tokens
from monitoring import services as monitoring_services
from monitoring.quarters import Quarter
from tests.ambassadors.conftest import make_ambassador
from tests.conftest import application_in_state, make_complete_draft, make_pool, review
from tests.monitoring.conftest import goals_of, make_grant, recent_period

from . import axe
from .conftest import Browsing, named, shot, t

pytestmark = pytest.mark.django_db(transaction=True)


@dataclass(frozen=True)
class Screen:
    user: str | None
    # (personas, pool) → the address to open
    path: Callable[[dict[str, Any], Pool], str]
    # what the user does on the page before it is checked
    then: Callable[[Page, str], None] | None = None


def _submitted(personas: dict[str, Any], pool: Pool) -> Application:
    return application_in_state(State.SUBMITTED, pool, personas["slagelse_applicant"], personas["reviewer"])


def _ready_to_grant(personas: dict[str, Any], pool: Pool) -> Application:
    application = application_in_state(
        State.POLITICALLY_APPROVED, pool, personas["slagelse_applicant"], personas["reviewer"]
    )
    review(application, personas["reviewer"])
    return application


def _empty_draft(personas: dict[str, Any], pool: Pool) -> str:
    draft = services.start_draft(personas["slagelse_applicant"], pool, Municipality.objects.get(code="330"))
    return f"/applications/{draft.pk}/edit/"


def _awaiting(personas: dict[str, Any]) -> Grant:
    """Slagelse's project, just granted: it awaits acceptance."""
    return make_grant(personas["slagelse_applicant"], personas["reviewer"], *recent_period(), accepted=False)


def _my_applications(personas: dict[str, Any], pool: Pool) -> str:
    _submitted(personas, pool)
    make_complete_draft(pool, personas["slagelse_applicant"])
    return "/applications/"


def _project(personas: dict[str, Any]) -> Grant:
    """Slagelse's granted project with its first quarter reported (tests/monitoring/conftest.py)."""
    start, end = recent_period()
    grant = make_grant(personas["slagelse_applicant"], personas["reviewer"], start, end)
    women, attendance = goals_of(grant)
    first = Quarter.of(grant.start_date)
    report = monitoring_services.create_report(
        grant.pk,
        personas["slagelse_applicant"],
        {
            "year": first.year,
            "quarter": first.quarter,
            "narrative": "Rekruttering i gang.",
            "enrolled": 20,
            "spent_to_date": Decimal(90000),
            "progress": [
                {"goal": women.pk, "value": Decimal(4)},
                {"goal": attendance.pk, "numerator": 55, "denominator": 100},
            ],
        },
    )
    monitoring_services.submit_report(report.pk, personas["slagelse_applicant"])
    return grant


def _report_form(personas: dict[str, Any], pool: Pool) -> str:
    grant = _project(personas)
    second = Quarter.of(grant.start_date).next()
    report = monitoring_services.create_report(
        grant.pk, personas["slagelse_applicant"], {"year": second.year, "quarter": second.quarter}
    )
    return f"/projects/{grant.pk}/reports/{report.pk}/edit/"


def _tokens_page(personas: dict[str, Any]) -> str:
    tokens.issue(personas["slagelse_applicant"], "Sagssystem")
    return "/api-tokens/"


def _ambassador(personas: dict[str, Any]) -> str:
    grant = _project(personas)
    make_ambassador(personas["ambassador"], grant, "330")
    return "/ambassador/"


def _continue_to_confirmation(page: Page, lang: str) -> None:
    page.get_by_label(named(t(lang, "Conditions of the grant"))).fill("Kvartalsvis afrapportering.")
    page.get_by_role("button", name=t(lang, "Continue")).click()
    expect(page.get_by_role("heading", name=t(lang, "Confirm the decision"))).to_be_visible()


SCREENS: dict[str, Screen] = {
    "login": Screen(None, lambda personas, pool: "/login/"),
    "my-applications": Screen("slagelse", _my_applications),
    "form-empty": Screen("slagelse", _empty_draft),
    "form-filled": Screen(
        "slagelse",
        lambda personas, pool: f"/applications/{make_complete_draft(pool, personas['slagelse_applicant']).pk}/edit/",
    ),
    "submit": Screen(
        "slagelse",
        lambda personas, pool: f"/applications/{make_complete_draft(pool, personas['slagelse_applicant']).pk}/submit/",
    ),
    "receipt": Screen("slagelse", lambda personas, pool: f"/applications/{_submitted(personas, pool).pk}/receipt/"),
    "detail-applicant": Screen("slagelse", lambda personas, pool: f"/applications/{_submitted(personas, pool).pk}/"),
    "detail-reviewer": Screen(
        "reviewer", lambda personas, pool: f"/applications/{_ready_to_grant(personas, pool).pk}/"
    ),
    "review-queue": Screen("reviewer", lambda personas, pool: (_submitted(personas, pool), "/review/")[1]),
    "score": Screen("reviewer", lambda personas, pool: f"/applications/{_submitted(personas, pool).pk}/score/"),
    "grant-form": Screen(
        "reviewer", lambda personas, pool: f"/applications/{_ready_to_grant(personas, pool).pk}/decide/grant/"
    ),
    "grant-confirmation": Screen(
        "reviewer",
        lambda personas, pool: f"/applications/{_ready_to_grant(personas, pool).pk}/decide/grant/",
        _continue_to_confirmation,
    ),
    "pools": Screen("pooladmin", lambda personas, pool: "/pools/"),
    "pool-form": Screen("pooladmin", lambda personas, pool: "/pools/new/"),
    "accessibility-statement": Screen(None, lambda personas, pool: "/tilgaengelighed/"),
    "project-committee": Screen("udvalg", lambda personas, pool: f"/projects/{_project(personas).pk}/"),
    "report-form": Screen("slagelse", _report_form),
    "pool-dashboard": Screen(
        "reviewer", lambda personas, pool: f"/pools/{_project(personas).application.pool_id}/monitoring/"
    ),
    "ambassador-home": Screen("ambassador", lambda personas, pool: _ambassador(personas)),
    "network": Screen("reviewer", lambda personas, pool: (_ambassador(personas), "/network/")[1]),
    "catalogue": Screen("ambassador", lambda personas, pool: "/best-practices/?q=virksomhed"),
    "api-tokens": Screen("slagelse", lambda personas, pool: _tokens_page(personas)),
    # The grant administration: acceptance, a project with payments held, a change request, SIRI's lists.
    "accept-grant": Screen("slagelse", lambda personas, pool: f"/projects/{_awaiting(personas).pk}/accept/"),
    "project-held-payments": Screen(
        "slagelse",
        lambda personas, pool: (
            f"/projects/{make_grant(personas['slagelse_applicant'], personas['reviewer'], *recent_period()).pk}/"
        ),
    ),
    "change-request-form": Screen(
        "slagelse", lambda personas, pool: f"/projects/{_project(personas).pk}/changes/new/budget/"
    ),
    "payments": Screen("pooladmin", lambda personas, pool: (_project(personas), "/payments/")[1]),
    "change-queue": Screen("reviewer", lambda personas, pool: "/change-requests/"),
}


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("name", list(SCREENS))
def test_no_serious_violations(name: str, lang: str, browse: Browsing, personas: dict[str, Any]) -> None:
    screen = SCREENS[name]
    pool = make_pool()
    path = screen.path(personas, pool)
    page = browse.page(screen.user, lang)
    response = page.goto(path)
    assert response is not None
    assert response.ok, f"{path} answered {response.status}"
    expect(page.locator("html")).to_have_attribute("lang", lang)
    if screen.then:
        screen.then(page, lang)
    page.wait_for_load_state("networkidle")
    shot(page, f"axe-{lang}-{name}")
    axe.assert_accessible(page, f"{name} [{lang}]")
