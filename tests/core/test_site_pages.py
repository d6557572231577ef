"""The pages every visitor meets around the domain: the header's mobile menu, the error pages,
the login form's error, the favicon and the keep-alive behind the session-timeout warning."""

from __future__ import annotations

import copy
import datetime
import re
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.conftest import page_client_for

pytestmark = pytest.mark.django_db


def _text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# The header ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["slagelse_applicant", "reviewer", "pool_admin", "ambassador", "committee"])
def test_the_mobile_drawer_holds_the_menu_and_the_users_links(persona: str, personas: dict[str, Any]) -> None:
    """Below 992 px dkfds hides the header's user links and menu; the drawer the menu button
    opens has them all: every menu entry, the language, the password and log-out."""
    response = page_client_for(personas[persona]).get("/", follow=True, HTTP_ACCEPT_LANGUAGE="da")
    html = response.content.decode()
    assert 'class="function-link button-menu-open js-menu-open' in html
    assert 'aria-controls="mobile-drawer"' in html
    drawer = html[html.index('<div class="mobile-drawer"') : html.index('<div class="overlay">')]
    menu = response.context["menu"]
    assert menu, "every role has a menu"
    for item in menu:
        assert f'href="{item["url"]}"' in drawer
    assert 'action="/logout/"' in drawer and "Log af" in drawer
    assert 'href="/password/"' in drawer
    assert 'name="language" value="en"' in drawer


def test_an_anonymous_visitor_can_switch_language_on_a_phone_too() -> None:
    html = Client().get("/login/", HTTP_ACCEPT_LANGUAGE="da").content.decode()
    drawer = html[html.index('<div class="mobile-drawer"') : html.index('<div class="overlay">')]
    assert 'name="language" value="en"' in drawer
    assert "/logout/" not in drawer


def test_pages_load_the_design_systems_script_and_ours_from_files() -> None:
    html = Client().get("/login/").content.decode()
    assert '<script src="/static/dkfds/js/dkfds.min.js" defer>' in html
    assert '<script src="/static/puljeflow/dkfds-init.js" defer>' in html
    assert "<script>" not in html  # the Content Security Policy runs no inline script


# Error pages ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "heading"), [("da", "Siden blev ikke fundet"), ("en", "Page not found")])
def test_a_missing_page_is_a_styled_404_in_the_visitors_language(lang: str, heading: str, reviewer: Any) -> None:
    response = page_client_for(reviewer).get("/applications/999999/", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 404
    text = _text(response)
    assert f"<h1>{heading}</h1>" in text
    assert f'<html lang="{lang}">' in text
    assert 'class="header"' in text and 'href="/"' in text  # the site's frame, a way back
    # The logged-in person keeps their menu on the error page.
    assert 'href="/review/"' in text


def test_another_municipalitys_application_is_the_same_404(
    gribskov_applicant: Any, pool: Any, slagelse_applicant: Any
) -> None:
    from tests.conftest import make_complete_draft

    draft = make_complete_draft(pool, slagelse_applicant)
    response = page_client_for(gribskov_applicant).get(f"/applications/{draft.pk}/", HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == 404
    assert "Siden blev ikke fundet" in _text(response)


@pytest.mark.parametrize(
    ("lang", "heading"), [("da", "Du har ikke adgang til siden"), ("en", "You do not have access to this page")]
)
def test_a_refusal_is_a_styled_403(lang: str, heading: str, committee: Any) -> None:
    response = page_client_for(committee).get("/review/", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 403
    assert f"<h1>{heading}</h1>" in _text(response)


@pytest.mark.parametrize(("lang", "heading"), [("da", "Der opstod en fejl"), ("en", "Something went wrong")])
@pytest.mark.urls("tests.core.boom")
def test_a_server_error_is_a_styled_500_in_the_visitors_language(lang: str, heading: str, reviewer: Any) -> None:
    client = page_client_for(reviewer)
    client.raise_request_exception = False
    response = client.get("/boom/", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 500
    text = _text(response)
    assert f"<h1>{heading}</h1>" in text
    assert f'<html lang="{lang}">' in text
    # Rendered without the request: no menu, no user, no form that would lack its CSRF token.
    assert "/logout/" not in text and 'name="language"' not in text


@pytest.mark.urls("tests.core.boom")
def test_the_500_page_renders_when_a_context_processor_is_what_fails(settings: Any, reviewer: Any) -> None:
    templates = copy.deepcopy(django_settings.TEMPLATES)
    templates[0]["OPTIONS"]["context_processors"].append("tests.core.boom.broken_processor")
    settings.TEMPLATES = templates
    client = page_client_for(reviewer)
    client.raise_request_exception = False
    response = client.get("/boom/", HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == 500
    assert "<h1>Der opstod en fejl</h1>" in _text(response)


# Logging in ----------------------------------------------------------------------------------------


def test_a_wrong_password_says_the_username_or_password_is_wrong(slagelse_applicant: Any) -> None:
    response = Client().post(
        "/login/", {"username": slagelse_applicant.username, "password": "forkert"}, HTTP_ACCEPT_LANGUAGE="da"
    )
    assert response.status_code == 200
    text = _text(response)
    assert "Brugernavnet eller adgangskoden er forkert" in text
    assert "Du blev ikke logget på" in text
    assert "Skemaet kunne ikke gemmes" not in text
    # The fields are the design system's and both are marked, pointing at the message.
    assert text.count('aria-invalid="true"') == 2
    assert 'class="form-input"' in text
    assert "<title>Fejl: Log på · Puljeflow</title>" in text


def test_an_unknown_username_gets_the_same_message(db: None) -> None:
    response = Client().post("/login/", {"username": "ingen", "password": "forkert"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "The username or password is wrong" in _text(response)


def test_the_right_password_logs_in(slagelse_applicant: Any) -> None:
    client = Client()
    response = client.post("/login/", {"username": slagelse_applicant.username, "password": "pw"})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(slagelse_applicant.pk)


# Favicon --------------------------------------------------------------------------------------------


def test_the_favicon_is_linked_and_answers_at_favicon_ico(db: None) -> None:
    html = Client().get("/login/").content.decode()
    assert '<link rel="icon" href="/static/puljeflow/favicon.svg" type="image/svg+xml">' in html
    response = Client().get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/puljeflow/favicon.ico"
    icon = Client().get(response["Location"])
    assert icon.status_code == 200
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file


# Staying logged in ---------------------------------------------------------------------------------


def test_the_keep_alive_refreshes_the_session(slagelse_applicant: Any, settings: Any) -> None:
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client = page_client_for(slagelse_applicant)
    key = client.session.session_key
    # As if the person had been idle for nearly the whole hour: the session ends in 30 seconds.
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + datetime.timedelta(seconds=30))
    response = client.post("/session/keep-alive/")
    assert response.status_code == 200
    assert response.json() == {"idle_seconds": settings.SESSION_COOKIE_AGE}
    left = Session.objects.get(pk=key).expire_date - timezone.now()
    assert left > datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


def test_the_session_is_saved_once_a_minute_and_lasts_the_idle_time_after_the_last_request(
    slagelse_applicant: Any, settings: Any
) -> None:
    settings.SESSION_REFRESH_SECONDS = 60  # production's (the tests' own is an hour)
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from core.middleware import SAVED_AT

    client = page_client_for(slagelse_applicant)
    key = client.session.session_key
    idle = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)

    def saves() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/applications/").status_code == 200
        return sum(1 for query in captured if query["sql"].startswith('UPDATE "django_session"'))

    # Logging in saved it: the next pages, within the minute, leave it alone; it still ends no
    # sooner than the idle time after the last of them.
    assert saves() == 0
    assert saves() == 0
    assert saves() == 0
    assert Session.objects.get(pk=key).expire_date - timezone.now() >= idle

    # A minute after the last save, a page saves it again and moves its end on.
    session = client.session
    session[SAVED_AT] -= settings.SESSION_REFRESH_SECONDS
    session.save()
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + datetime.timedelta(minutes=1))
    assert saves() == 1
    assert Session.objects.get(pk=key).expire_date - timezone.now() >= idle
    assert saves() == 0


def test_the_keep_alive_refuses_get_and_answers_401_once_logged_out(db: None) -> None:
    assert Client().post("/session/keep-alive/").status_code == 401
    assert Client().get("/session/keep-alive/").status_code == 405


def test_the_keep_alive_needs_the_csrf_token(slagelse_applicant: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(slagelse_applicant)
    assert client.post("/session/keep-alive/").status_code == 403


def test_logged_in_pages_carry_the_session_timeout_warning(slagelse_applicant: Any, settings: Any) -> None:
    settings.SESSION_COOKIE_AGE = 60 * 60
    settings.SESSION_WARNING_MINUTES = 5
    html = page_client_for(slagelse_applicant).get("/applications/", HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert 'id="session-timeout"' in html
    assert 'data-idle-seconds="3600" data-warning-seconds="300"' in html
    assert "Forbliv logget på" in html
    assert '<script src="/static/puljeflow/session-timeout.js" defer>' in html
    anonymous = Client().get("/login/").content.decode()
    assert 'id="session-timeout"' not in anonymous


# Breadcrumbs ------------------------------------------------------------------------------------------


def _crumbs(html: str) -> list[tuple[str, bool]]:
    """The breadcrumb trail: (text, whether it is the current page), checking dkfds' markup."""
    nav = re.search(
        r'<nav aria-label="[^"]*" class="breadcrumbs">\s*<ol class="breadcrumbs__list">(.*?)</ol>', html, re.S
    )
    assert nav, "dkfds' breadcrumbs: nav.breadcrumbs > ol.breadcrumbs__list"
    items = re.findall(r'<li class="breadcrumbs__list-item"( aria-current="page")?>(.*?)</li>', nav.group(1), re.S)
    for _current, body in items:
        assert "#chevron-right" in body  # the separator (hidden before the first by the style sheet)
    return [(re.sub(r"<[^>]+>|\s+", " ", body).strip(), bool(current)) for current, body in items]


def test_breadcrumbs_end_with_the_page_itself(pool: Any, slagelse_applicant: Any, reviewer: Any) -> None:
    from tests.conftest import application_in_state

    application = application_in_state("submitted", pool, slagelse_applicant, reviewer)
    score = page_client_for(reviewer).get(f"/applications/{application.pk}/score/", HTTP_ACCEPT_LANGUAGE="da")
    assert _crumbs(score.content.decode()) == [
        ("Ansøgninger til vurdering", False),
        (application.journal_number, False),
        ("Vurdering", True),
    ]
    draft = application_in_state("draft", pool, slagelse_applicant, reviewer)
    form = page_client_for(slagelse_applicant).get(f"/applications/{draft.pk}/edit/", HTTP_ACCEPT_LANGUAGE="da")
    assert _crumbs(form.content.decode()) == [("Mine ansøgninger", False), (draft.title, True)]


def test_the_project_page_sits_under_the_pools_dashboard_for_siri(reviewer: Any, slagelse_applicant: Any) -> None:
    from tests.monitoring.conftest import make_grant, recent_period

    grant = make_grant(slagelse_applicant, reviewer, *recent_period())
    page = page_client_for(reviewer).get(f"/projects/{grant.pk}/", HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert _crumbs(page) == [
        ("Opfølgning", False),
        (grant.application.pool.name, False),
        (grant.application.title, True),
    ]


# People by name ---------------------------------------------------------------------------------------


def test_people_are_shown_by_name_never_by_username(slagelse_applicant: Any, reviewer: Any, pool: Any) -> None:
    from applications import services
    from core.roles import display_name
    from tests.conftest import make_complete_draft

    slagelse_applicant.first_name, slagelse_applicant.last_name = "Mette", "Sørensen"
    slagelse_applicant.save()
    draft = make_complete_draft(pool, slagelse_applicant)
    services.submit(draft.pk, slagelse_applicant)
    services.return_for_revision(draft.pk, reviewer, "Uddyb målene.")

    page = page_client_for(slagelse_applicant).get(f"/applications/{draft.pk}/", HTTP_ACCEPT_LANGUAGE="da")
    text = _text(page)
    assert '<p class="user">Mette Sørensen, Ansøger (kommune)</p>' in text  # the header
    # The history names the reviewer (no name on record: their e-mail, never the username).
    assert "reviewer@example.test" in text
    assert ">reviewer<" not in text and "slagelse," not in text
    assert display_name(reviewer) == "reviewer@example.test"
    assert display_name(slagelse_applicant) == "Mette Sørensen"
