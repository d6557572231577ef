"""Every role's main pages on a phone (375 px) and a desktop (1280 px), as Chromium draws them:
no page scrolls sideways, the menu and "Log af" are reachable (on a phone through dkfds' mobile
menu, by keyboard too), the inbox shows what needs the person, chart labels do not overlap and
axe finds nothing serious or critical. The data is made through the same services users' clicks
go through (tests/conftest.py). Screenshots of the inbox at both widths land in var/screenshots/."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from applications import services
from applications.models import Grant, Municipality, Pool, State
from awards.services import closing
from core.menu import entries_for
from monitoring import services as monitoring_services
from monitoring.quarters import Quarter
from tests.ambassadors.conftest import make_ambassador
from tests.awards.closing_helpers import ended_grant, report_data, submitted_accounts
from tests.conftest import application_in_state, make_complete_draft, make_pool
from tests.monitoring.conftest import goals_of, make_grant, recent_period

from . import axe
from .conftest import Browsing, shot, t

pytestmark = pytest.mark.django_db(transaction=True)

PHONE, DESKTOP = 375, 1280
NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"
# Names the elements that reach past the viewport, so a failure says what to fix.
TOO_WIDE = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
  .filter(e => !e.closest('.table--responsive-scroll, [hidden], .sr-only'))
  .filter(e => !['TD', 'TH', 'TR', 'TBODY', 'THEAD'].includes(e.tagName))
  .slice(-5)
  .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + (e.className ? '.' + String(e.className).split(' ').join('.') : '')
    + ' "' + e.textContent.trim().slice(0, 40) + '"')"""


@dataclass
class World:
    """What every role has to look at: Slagelse's project with its first quarter accepted and
    its second returned, a submitted application, a draft and the ambassador on the project."""

    pool: Pool
    grant: Grant
    submitted: Any
    draft: Any
    # A project that has ended: its final report written and its accounts sent to SIRI.
    ended: Grant


def _report(grant: Grant, user: Any, quarter: Quarter) -> Any:
    women, attendance = goals_of(grant)
    report = monitoring_services.create_report(
        grant.pk,
        user,
        {
            "year": quarter.year,
            "quarter": quarter.quarter,
            "narrative": "Rekruttering i gang.",
            "enrolled": 20,
            "spent_to_date": Decimal(90000),
            "progress": [
                {"goal": women.pk, "value": Decimal(4)},
                {"goal": attendance.pk, "numerator": 55, "denominator": 100},
            ],
        },
    )
    monitoring_services.submit_report(report.pk, user)
    return report


@pytest.fixture
def world(personas: dict[str, Any]) -> World:
    slagelse, reviewer = personas["slagelse_applicant"], personas["reviewer"]
    slagelse.first_name, slagelse.last_name = "Mette", "Sørensen"
    slagelse.save()
    grant = make_grant(slagelse, reviewer, *recent_period())
    first = Quarter.of(grant.start_date)
    monitoring_services.accept_report(_report(grant, slagelse, first).pk, reviewer)
    monitoring_services.return_report(_report(grant, slagelse, first.next()).pk, reviewer, "Udfyld forbruget.")
    make_ambassador(personas["ambassador"], grant, "330")
    pool = make_pool()
    submitted = application_in_state(State.SUBMITTED, pool, slagelse, reviewer)
    draft = make_complete_draft(pool, slagelse)
    services.start_draft(personas["gribskov_applicant"], pool, Municipality.objects.get(code="270"))
    ended = ended_grant(slagelse, reviewer, personas["pool_admin"], code="330")
    closing.save_final_report(ended.pk, slagelse, report_data(ended))
    submitted_accounts(ended, slagelse)
    return World(pool, grant, submitted, draft, ended)


# persona → (username, the addresses of its main pages)
ROLES: dict[str, tuple[str, list[str]]] = {
    "slagelse_applicant": (
        "slagelse",
        [
            "/inbox/",
            "/applications/",
            "/applications/{submitted}/",
            "/applications/{draft}/edit/",
            "/projects/",
            "/projects/{grant}/",
            "/projects/{ended}/",
            "/projects/{ended}/final-report/",
            "/projects/{ended}/final-accounts/",
            "/best-practices/",
        ],
    ),
    "gribskov_applicant": ("gribskov", ["/inbox/", "/applications/", "/projects/"]),
    "reviewer": (
        "reviewer",
        [
            "/inbox/",
            "/review/",
            "/applications/{submitted}/",
            "/applications/{submitted}/score/",
            "/monitoring/",
            "/pools/{project_pool}/monitoring/",
            "/network/",
            "/pools/",
            "/projects/{ended}/final-accounts/",
        ],
    ),
    "pool_admin": ("pooladmin", ["/inbox/", "/pools/", "/pools/new/"]),
    "ambassador": ("ambassador", ["/ambassador/", "/inbox/", "/network/meetings/", "/best-practices/"]),
    "committee": ("udvalg", ["/inbox/", "/applications/", "/projects/", "/projects/{grant}/"]),
}


def _menu_labels(user: Any) -> list[str]:
    with translation.override("da"):
        return [str(entry.label) for entry in entries_for(user)]


def _check_menu_on_a_phone(page: Page, labels: list[str]) -> None:
    """dkfds' mobile menu: the button opens a dialog with every menu entry and the user's links;
    Escape closes it and gives the focus back to the button."""
    banner = page.get_by_role("banner")
    opener = banner.get_by_role("button", name=t("da", "Menu"), exact=True)
    expect(opener).to_be_visible()
    expect(banner.get_by_role("button", name=t("da", "Log out"))).to_be_hidden()  # not on a phone's header
    opener.click()
    drawer = page.get_by_role("dialog", name=t("da", "Menu"))
    expect(drawer).to_be_visible()
    for text in labels:
        expect(drawer.get_by_role("link", name=text, exact=True)).to_be_visible()
    expect(drawer.get_by_role("button", name=t("da", "Log out"))).to_be_visible()
    expect(drawer.get_by_role("link", name=t("da", "Change password"))).to_be_visible()
    expect(drawer.get_by_role("button", name="English", exact=True)).to_be_visible()
    page.keyboard.press("Escape")
    expect(drawer).to_be_hidden()
    expect(opener).to_be_focused()


def _check_menu_on_a_desktop(page: Page, labels: list[str]) -> None:
    banner = page.get_by_role("banner")
    expect(banner.get_by_role("button", name=t("da", "Menu"), exact=True)).to_be_hidden()
    nav = banner.get_by_role("navigation", name=t("da", "Main menu"))
    for text in labels:
        expect(nav.get_by_role("link", name=text, exact=True)).to_be_visible()
    expect(banner.get_by_role("button", name=t("da", "Log out"))).to_be_visible()


def _chart_labels_apart(page: Page) -> None:
    """The quarters named under each chart's axis do not overlap."""
    overlaps = page.evaluate(
        """() => Array.from(document.querySelectorAll('.goal-chart svg')).map(svg => {
             const boxes = Array.from(svg.querySelectorAll('text.chart-label'))
               .filter(t => t.querySelector('tspan') && getComputedStyle(t).display !== 'none')
               .map(t => t.getBoundingClientRect());
             return boxes.slice(1).filter((box, i) => box.left < boxes[i].right).length;
           })"""
    )
    assert overlaps and not any(overlaps), f"overlapping quarter labels: {overlaps}"


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
@pytest.mark.parametrize("persona", list(ROLES))
def test_every_roles_main_pages_fit_and_keep_their_menu(
    persona: str, width: int, browse: Browsing, world: World, personas: dict[str, Any]
) -> None:
    username, paths = ROLES[persona]
    user = personas[persona]
    page = browse.page(username)
    page.set_viewport_size({"width": width, "height": 800})
    labels = _menu_labels(user)
    ids = {
        "submitted": world.submitted.pk,
        "draft": world.draft.pk,
        "grant": world.grant.pk,
        "ended": world.ended.pk,
        "project_pool": world.grant.application.pool_id,
    }
    for template in paths:
        path = template.format(**ids)
        response = page.goto(path)
        assert response is not None and response.ok, f"{path} answered {response and response.status}"
        page.wait_for_load_state("networkidle")
        assert page.evaluate(NO_SIDEWAYS_SCROLL), (
            f"{path} scrolls sideways at {width} px: {page.evaluate('document.documentElement.scrollWidth')} px wide, "
            f"past the edge: {page.evaluate(TOO_WIDE)}"
        )
        if re.fullmatch(r"/projects/\d+/", path):
            _chart_labels_apart(page)
        axe.assert_accessible(page, f"{persona} {path} [{width}]")
    if width == PHONE:
        _check_menu_on_a_phone(page, labels)
    else:
        _check_menu_on_a_desktop(page, labels)


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_the_inbox_shows_what_needs_each_person(width: int, browse: Browsing, world: World) -> None:
    applicant = browse.page("slagelse")
    applicant.set_viewport_size({"width": width, "height": 900})
    expect(applicant).to_have_url(f"{browse.base_url}/inbox/")  # where the applicant lands
    main = applicant.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text(t("da", "Inbox"))
    returned = main.get_by_role("region", name=t("da", "Reports returned by SIRI"), exact=False)
    expect(returned).to_contain_text("Udfyld forbruget.")
    due = main.get_by_role("region", name=t("da", "Quarterly reports due"), exact=False)
    expect(due.locator(".badge-error").first).to_have_text(re.compile(r"^\d+ dage? for sent$"))
    expect(main.get_by_role("region", name=t("da", "Drafts to submit"), exact=False)).to_contain_text(world.draft.title)
    shot(applicant, f"inbox-applicant-{width}")

    reviewer = browse.page("reviewer")
    reviewer.set_viewport_size({"width": width, "height": 900})
    to_review = reviewer.get_by_role("region", name=t("da", "Applications to review"), exact=False)
    expect(to_review.get_by_role("link", name=world.submitted.journal_number, exact=False)).to_be_visible()
    late = reviewer.get_by_role("region", name=t("da", "Late reports"), exact=False)
    expect(late).to_contain_text(world.grant.application.title)
    shot(reviewer, f"inbox-reviewer-{width}")

    committee = browse.page("udvalg")
    committee.set_viewport_size({"width": width, "height": 900})
    first = committee.get_by_role("main").get_by_role("heading", level=2).first
    expect(first).to_contain_text(t("da", "Briefings for the committee"))
    shot(committee, f"inbox-committee-{width}")
    for page in (applicant, reviewer, committee):
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        axe.assert_accessible(page, f"inbox [{width}]")


def test_the_mobile_menu_by_keyboard_and_at_200_percent_zoom(browse: Browsing, world: World) -> None:
    """1280 px at 200 % zoom is 640 CSS px: the phone's header (WCAG 1.4.10 reflow)."""
    page = browse.page("reviewer")
    page.set_viewport_size({"width": 640, "height": 450})
    page.goto("/review/")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    opener = page.get_by_role("banner").get_by_role("button", name=t("da", "Menu"), exact=True)
    opener.focus()
    page.keyboard.press("Enter")
    drawer = page.get_by_role("dialog", name=t("da", "Menu"))
    expect(drawer).to_be_visible()
    expect(drawer.get_by_role("button", name=t("da", "Close"))).to_be_focused()
    # Tab stays in the dialog and reaches "Log af"; Enter on a menu entry follows it.
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('log-off')"):
            break
    assert page.evaluate("() => document.activeElement.closest('.mobile-drawer') !== null")
    assert page.evaluate("() => document.activeElement.classList.contains('log-off')")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("() => document.activeElement.closest('.mobile-drawer') !== null")
    drawer.get_by_role("link", name=t("da", "Monitoring"), exact=True).focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{browse.base_url}/monitoring/")
    # Log af from the phone's menu logs out.
    page.get_by_role("banner").get_by_role("button", name=t("da", "Menu"), exact=True).click()
    page.get_by_role("dialog", name=t("da", "Menu")).get_by_role("button", name=t("da", "Log out")).click()
    expect(page).to_have_url(f"{browse.base_url}/login/")


def test_the_session_warning_offers_to_stay_logged_in(browse: Browsing, world: World, settings: Any) -> None:
    settings.SESSION_COOKIE_AGE = 16  # the warning comes after half of it at the latest
    page = browse.page("slagelse")
    page.goto("/applications/")
    dialog = page.get_by_role("dialog", name=t("da", "You will soon be logged out"))
    expect(dialog).to_be_visible(timeout=15_000)
    shot(page, "session-warning-1280")
    with page.expect_response(lambda response: "/session/keep-alive/" in response.url) as answer:
        dialog.get_by_role("button", name=t("da", "Stay logged in")).click()
    assert answer.value.status == 200
    expect(dialog).to_be_hidden()
    page.goto("/applications/")  # still logged in
    expect(page).to_have_url(f"{browse.base_url}/applications/")
