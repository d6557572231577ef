"""The inbox: what needs each role now, filled by every app through `core.inbox`, and the landing
page of every role but the ambassador. The data is made through the same services users' clicks
go through; the page is asked as its user would."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications import services
from applications.models import Application, State
from core import inbox
from core.inbox import Item, countdown
from core.roles import Role
from monitoring import services as monitoring_services
from monitoring.quarters import Quarter
from tests.ambassadors.conftest import make_ambassador
from tests.conftest import application_in_state, make_complete_draft, make_pool, page_client_for, review
from tests.monitoring.conftest import goals_of, make_grant, recent_period

pytestmark = pytest.mark.django_db


def _open(user: Any, lang: str = "en") -> Any:
    response = page_client_for(user).get("/inbox/", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    return response


def _titles(response: Any) -> dict[str, list[str]]:
    """The sections with items, by key, with their items' titles in order."""
    return {
        shown.section.key: [item.title for item, _countdown in shown.items] for shown in response.context["sections"]
    }


def _quiet(response: Any) -> set[str]:
    return {section.key for section in response.context["quiet"]}


def _text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _report(grant: Any, user: Any, quarter: Quarter, *, submit: bool = True) -> Any:
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
    if submit:
        monitoring_services.submit_report(report.pk, user)
    return report


@pytest.fixture
def project(slagelse_applicant: Any, reviewer: Any) -> Any:
    """Slagelse's project begun three quarters ago: the first quarter reported and accepted, the
    second handed in and returned, the third and the current one not reported."""
    start, end = recent_period()
    grant = make_grant(slagelse_applicant, reviewer, start, end)
    first = Quarter.of(grant.start_date)
    accepted = _report(grant, slagelse_applicant, first)
    monitoring_services.accept_report(accepted.pk, reviewer)
    returned = _report(grant, slagelse_applicant, first.next())
    monitoring_services.return_report(returned.pk, reviewer, "Udfyld forbruget for kvartalet.")
    return grant


# The kernel's table --------------------------------------------------------------------------------


@pytest.fixture
def extra_section() -> Iterator[None]:
    """A section a later app adds (as the awards app will add change requests)."""
    before = list(inbox._SECTIONS)

    def items(user: Any, today: datetime.date) -> list[Item]:
        return [Item(title="Ændringsanmodning 1", url="/inbox/", text="Venter på SIRI.")]

    inbox.register(Role.REVIEWER, "later-app", "Change requests", items, order=25, empty="None.")
    yield
    inbox._SECTIONS[:] = before


def test_a_later_app_adds_its_section_without_touching_the_others(extra_section: None, reviewer: Any) -> None:
    keys = [section.key for section in inbox.sections_for(reviewer)]
    assert keys.index("applications-to-decide") < keys.index("later-app") < keys.index("monitoring-to-accept")
    assert _titles(_open(reviewer))["later-app"] == ["Ændringsanmodning 1"]
    # Registering again replaces the section (ready() may run twice).
    inbox.register(Role.REVIEWER, "later-app", "Change requests", lambda user, today: [], order=25, empty="None.")
    assert [s.key for s in inbox.sections_for(reviewer)].count("later-app") == 1


@pytest.mark.parametrize(
    ("days", "text", "badge"),
    [
        (10, "10 days left", "info"),
        (1, "1 day left", "warning"),
        (0, "Due today", "warning"),
        (-3, "3 days late", "error"),
    ],
)
def test_the_countdown(days: int, text: str, badge: str) -> None:
    from django.utils import translation

    today = datetime.date(2027, 3, 1)
    # In English, whatever language an earlier test in this worker left active.
    with translation.override("en"):
        shown = countdown(today + datetime.timedelta(days=days), today)
    assert (shown.days, shown.text, shown.badge) == (days, text, badge)


def test_the_countdown_in_danish() -> None:
    from django.utils import translation

    today = datetime.date(2027, 3, 1)
    with translation.override("da"):
        assert countdown(today - datetime.timedelta(days=33), today).text == "33 dage for sent"
        assert countdown(today + datetime.timedelta(days=1), today).text == "1 dag tilbage"


# Landing ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "landing"),
    [
        ("slagelse_applicant", "/inbox/"),
        ("reviewer", "/inbox/"),
        ("pool_admin", "/inbox/"),
        ("committee", "/inbox/"),
        ("ambassador", "/ambassador/"),
    ],
)
def test_each_role_lands_on_its_inbox_and_finds_it_first_in_the_menu(
    persona: str, landing: str, personas: dict[str, Any]
) -> None:
    client = page_client_for(personas[persona])
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == landing
    menu = client.get("/inbox/").context["menu"]
    assert menu[0]["url"] == "/inbox/" and menu[0]["current"]


def test_the_inbox_needs_a_login(db: None) -> None:
    from django.test import Client

    response = Client().get("/inbox/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


# A municipality --------------------------------------------------------------------------------------


def test_a_municipality_sees_what_it_must_do_and_what_was_decided(
    project: Any, slagelse_applicant: Any, gribskov_applicant: Any, reviewer: Any
) -> None:
    pool = make_pool(name="Sprogmakkere")
    draft = make_complete_draft(pool, slagelse_applicant)
    sent_back = make_complete_draft(pool, slagelse_applicant)
    services.submit(sent_back.pk, slagelse_applicant)
    services.return_for_revision(sent_back.pk, reviewer, "Målene skal kunne måles.")
    waiting_for_approval = make_complete_draft(pool, slagelse_applicant)
    services.submit(waiting_for_approval.pk, slagelse_applicant)
    rejected = application_in_state(State.REJECTED, pool, slagelse_applicant, reviewer)
    sent_back = Application.objects.get(pk=sent_back.pk)
    waiting_for_approval = Application.objects.get(pk=waiting_for_approval.pk)

    response = _open(slagelse_applicant)
    titles = _titles(response)
    page = _text(response)

    # Returned, with SIRI's reason; the draft with the pool's deadline counting down.
    assert titles["applications-returned"] == [f"{sent_back.journal_number} {sent_back.title}"]
    assert "Målene skal kunne måles." in page
    assert titles["applications-drafts"] == [draft.title]
    days_left = (pool.closes_on - timezone.localdate()).days
    assert f"{days_left} days left" in page
    assert titles["applications-approvals"] == [f"{waiting_for_approval.journal_number} {waiting_for_approval.title}"]
    # SIRI's decisions: the project's grant and the rejection with its reason.
    decisions = titles["applications-decisions"]
    assert decisions[0] == f"{rejected.journal_number} {rejected.title}"
    assert project.application.journal_number in decisions[1]
    assert "Ikke tilstrækkeligt konkret." in page and "Granted 800.000 kr." in page
    # The project's reports: the returned one with the reason, the ones due with a countdown.
    first = Quarter.of(project.start_date)
    assert titles["monitoring-returned"] == [f"{project.application.title} · {first.next()}"]
    assert "Udfyld forbruget for kvartalet." in page
    current = Quarter.of(timezone.localdate())
    assert titles["monitoring-due"] == [
        f"{project.application.title} · {first.next().next()}",
        f"{project.application.title} · {current}",
    ]
    assert re.search(r"\d+ days late", page)
    assert titles["monitoring-accepted"] == [f"{project.application.title} · {first}"]
    # Another municipality has none of it.
    other = _open(gribskov_applicant)
    assert _titles(other) == {}
    assert "Nothing needs you right now." in _text(other)


def test_the_municipalitys_inbox_in_danish(project: Any, slagelse_applicant: Any) -> None:
    page = _text(_open(slagelse_applicant, "da"))
    assert "<h1>Indbakke</h1>" in page
    assert "Kvartalsrapporter, der skal afleveres (2)" in page
    assert "dage for sent" in page and "kr.." not in page


# SIRI ----------------------------------------------------------------------------------------------------


def test_siri_sees_what_to_review_accept_and_chase(
    project: Any, slagelse_applicant: Any, reviewer: Any, second_reviewer: Any, pool_admin: Any
) -> None:
    pool = make_pool(name="Sprogmakkere")
    unread = application_in_state(State.SUBMITTED, pool, slagelse_applicant, reviewer)
    reviewed = application_in_state(State.SUBMITTED, pool, slagelse_applicant, reviewer)
    review(reviewed, reviewer)
    ready = application_in_state(State.POLITICALLY_APPROVED, pool, slagelse_applicant, reviewer)
    review(ready, second_reviewer)
    current = Quarter.of(timezone.localdate())
    handed_in = _report(project, slagelse_applicant, current.previous())

    titles = _titles(_open(reviewer))
    # What the reviewer has not reviewed yet; the one they reviewed is not theirs to do again.
    assert titles["applications-to-review"] == [
        f"{unread.journal_number} {unread.title}",
        f"{ready.journal_number} {ready.title}",
    ]
    assert titles["applications-to-decide"] == [f"{ready.journal_number} {ready.title}"]
    assert titles["monitoring-to-accept"] == [f"{project.application.title} · {handed_in.period}"]
    # The pool admin sees the same queue, all three waiting for them.
    assert len(_titles(_open(pool_admin))["applications-to-review"]) == 3


def test_a_long_queue_shows_its_first_items_counts_them_all_and_links_to_the_list(
    slagelse_applicant: Any, reviewer: Any
) -> None:
    pool = make_pool(name="Sprogmakkere")
    queued = [application_in_state(State.SUBMITTED, pool, slagelse_applicant, reviewer) for _ in range(inbox.SHOWN + 3)]

    response = _open(reviewer)
    # The oldest first, as many as a section shows; the heading counts every one of them.
    assert _titles(response)["applications-to-review"] == [
        f"{a.journal_number} {a.title}" for a in queued[: inbox.SHOWN]
    ]
    page = _text(response)
    assert f"Applications to review ({inbox.SHOWN + 3})" in page
    assert 'And 3 more. <a href="/review/">Show them all' in page
    assert f"{inbox.SHOWN + 3} things need you" in page


def test_siri_sees_the_late_reports(project: Any, reviewer: Any) -> None:
    first = Quarter.of(project.start_date)
    response = _open(reviewer)
    late = _titles(response)["monitoring-late"]
    # The second quarter was returned (back in draft, but handed in once: not late); the third is.
    assert late == [f"{project.application.title} · {first.next().next()}"]
    assert "Slagelse, due on" in _text(response)


# The committee and the ambassador ------------------------------------------------------------------


def test_the_committee_is_led_by_the_briefings(project: Any, committee: Any) -> None:
    response = _open(committee)
    sections = response.context["sections"]
    assert sections[0].section.key == "monitoring-briefings"
    first = Quarter.of(project.start_date)
    assert _titles(response)["monitoring-briefings"] == [
        f"{project.application.title} · {first.next()}",
        f"{project.application.title} · {first}",
    ]
    page = response.content.decode()
    # Each asks for the quarter's briefing PDF (a form: the document is made when asked for).
    assert f'action="/projects/{project.pk}/briefing/"' in page
    assert f'name="quarter" value="{first.quarter}"' in page
    assert "Committee briefing (PDF)" in page
    assert "monitoring-due" not in _titles(response)  # a case worker's next steps are not theirs


def test_the_ambassador_sees_the_reports_due(project: Any, ambassador: Any) -> None:
    make_ambassador(ambassador, project, "330")
    titles = _titles(_open(ambassador))
    assert len(titles["ambassadors-due"]) == 4  # three quarters past and the current one


# Queries -------------------------------------------------------------------------------------------------


PERSONAS = ["slagelse_applicant", "reviewer", "pool_admin", "committee", "ambassador"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_inbox_asks_the_database_a_fixed_number_of_times(
    persona: str, personas: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    start, end = recent_period()
    user = personas[persona]
    slagelse, reviewer = personas["slagelse_applicant"], personas["reviewer"]
    pool = make_pool(name="Sprogmakkere")

    def add(count: int) -> None:
        for _ in range(count):
            grant = make_grant(slagelse, reviewer, start, end)
            _report(grant, slagelse, Quarter.of(start))
            make_complete_draft(pool, slagelse)
            application_in_state(State.SUBMITTED, pool, slagelse, reviewer)

    add(1)
    if persona == "ambassador":
        from applications.models import Grant

        make_ambassador(user, Grant.objects.first(), "330")
    client = page_client_for(user)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/inbox/").status_code == 200
        return len(captured)

    with django_assert_max_num_queries(20):
        client.get("/inbox/")
    few = count()
    add(4)
    assert count() == few


def test_the_long_sections_count_what_they_do_not_show_in_the_same_queries(
    slagelse_applicant: Any, reviewer: Any, monkeypatch: pytest.MonkeyPatch, django_assert_max_num_queries: Any
) -> None:
    """Beyond what a section shows, the queries are the same: each long section counts the rest
    in the query that fetches its first items (the late reports, ranked, among them)."""
    from monitoring.models import Milestone, QuarterlyReport

    monkeypatch.setattr(inbox, "SHOWN", 2)
    start, end = recent_period()
    pool = make_pool(name="Sprogmakkere")

    def add(count: int) -> None:
        for _ in range(count):
            application_in_state(State.SUBMITTED, pool, slagelse_applicant, reviewer)
            grant = make_grant(slagelse_applicant, reviewer, start, end)
            _report(grant, slagelse_applicant, Quarter.of(start))  # waits for SIRI; the later quarters are late

    client = page_client_for(reviewer)

    def shown() -> tuple[int, dict[str, tuple[int, int]]]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/inbox/")
        sections = {shown.section.key: (len(shown.items), shown.total) for shown in response.context["sections"]}
        return len(captured), sections

    add(1)
    client.get("/inbox/")  # the first page after logging in saves the session
    few, _sections = shown()
    add(3)
    with django_assert_max_num_queries(few):
        many, sections = shown()
    assert many == few
    today = timezone.localdate()
    handed_in = set(QuarterlyReport.objects.values_list("grant_id", "year", "quarter"))
    late = [
        m for m in Milestone.objects.filter(report_due_on__lt=today) if (m.grant_id, m.year, m.quarter) not in handed_in
    ]
    assert sections["applications-to-review"] == (2, 4)
    assert sections["monitoring-to-accept"] == (2, 4)
    assert sections["monitoring-late"] == (2, len(late))
    assert len(late) > 4
