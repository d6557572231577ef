"""Login throttling: a run of wrong passwords locks the account for a while, on every way of
logging in, and says when to try again."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

PASSWORD = "Rigtigt-kodeord-2027"


@pytest.fixture
def hanne(slagelse_applicant: Any) -> Any:
    slagelse_applicant.set_password(PASSWORD)
    slagelse_applicant.save()
    return slagelse_applicant


def _wrong(client: Any, url: str, username: str, times: int) -> list[int]:
    return [client.post(url, {"username": username, "password": f"forkert-{i}"}).status_code for i in range(times)]


@pytest.mark.parametrize("url", ["/login/", "/api-auth/login/"])
def test_the_login_pages_lock_the_account_after_five_wrong_passwords(hanne: Any, url: str, settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert _wrong(client, url, hanne.username, 4) == [200] * 4
    locked = client.post(url, {"username": hanne.username, "password": "forkert-5"})
    assert locked.status_code == 429
    assert "Try again after" in locked.content.decode()
    assert int(locked["Retry-After"]) == 15 * 60
    # Locked means locked: not even the right password gets in until the time is up.
    again = client.post(url, {"username": hanne.username, "password": PASSWORD})
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_fifty_wrong_passwords_at_full_speed_get_nowhere(hanne: Any) -> None:
    statuses = _wrong(Client(), "/login/", hanne.username, 50)
    assert statuses.count(200) == 4 and statuses.count(429) == 46


def test_the_token_endpoint_locks_too_and_says_when_in_json(hanne: Any) -> None:
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    url = "/api/v1/auth/token/"
    assert _wrong(api, url, hanne.username, 4) == [400] * 4
    assert api.post(url, {"username": hanne.username, "password": "forkert-5"}).status_code == 429
    locked = api.post(url, {"username": hanne.username, "password": PASSWORD}, format="json")
    assert locked.status_code == 429
    assert "Try again after" in locked.json()["detail"] and "token" not in locked.json()


def test_a_right_password_before_the_limit_resets_the_count(hanne: Any) -> None:
    client = Client()
    _wrong(client, "/login/", hanne.username, 4)
    assert client.post("/login/", {"username": hanne.username, "password": PASSWORD}).status_code == 302
    client.logout()
    assert _wrong(client, "/login/", hanne.username, 4) == [200] * 4


def test_another_account_is_not_locked_by_someone_elses_typos(hanne: Any, gribskov_applicant: Any) -> None:
    gribskov_applicant.set_password(PASSWORD)
    gribskov_applicant.save()
    client = Client()
    _wrong(client, "/login/", hanne.username, 6)
    assert client.post("/login/", {"username": gribskov_applicant.username, "password": PASSWORD}).status_code == 302
