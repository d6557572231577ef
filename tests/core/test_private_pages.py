"""Private pages and downloads are never cached; the session ends after a while idle."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from ..conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/applications/", "/api/v1/applications/", "/pools/"])
def test_a_logged_in_persons_pages_are_private_and_not_stored(slagelse_applicant: Any, path: str) -> None:
    from django.test import Client

    client = Client()
    client.force_login(slagelse_applicant)
    response = client.get(path, follow=True)
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control


def test_the_api_with_a_token_is_private_too(slagelse_applicant: Any) -> None:
    response = client_for(slagelse_applicant).get("/api/v1/applications/")
    assert "no-store" in response["Cache-Control"]


def test_the_session_ends_after_an_hour_without_activity(slagelse_applicant: Any) -> None:
    """Each save of the session (at most one a SESSION_REFRESH_SECONDS: core.middleware.IdleSession)
    sends its cookie anew with the idle hour and that refresh to live, so it is an idle timeout,
    not one fixed from the login."""
    from django.test import Client

    from core.middleware import SAVED_AT

    client = Client()
    client.force_login(slagelse_applicant)
    for _ in range(2):
        session = client.session
        session[SAVED_AT] -= settings.SESSION_REFRESH_SECONDS  # the last save is a refresh ago
        session.save()
        cookie = client.get("/applications/").cookies[settings.SESSION_COOKIE_NAME]
        assert int(cookie["max-age"]) == 60 * 60 + settings.SESSION_REFRESH_SECONDS


def test_pages_carry_a_content_security_policy_without_inline_scripts(slagelse_applicant: Any) -> None:
    from django.test import Client

    client = Client()
    client.force_login(slagelse_applicant)
    policy = client.get("/applications/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
