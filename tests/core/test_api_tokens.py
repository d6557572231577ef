"""API tokens: the contract's endpoint, one token per client, expiry, and the page where a person
sees and revokes their own tokens (and nobody else's)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import checks
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from core import tokens
from core.models import ApiToken

from ..conftest import page_client_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/token/"
PROBE = "/api/v1/municipalities/330/"


def _with(key: str) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _works(key: str) -> bool:
    status = _with(key).get(PROBE).status_code
    assert status in (200, 401), status
    return status == 200


def _login(username: str = "slagelse", **extra: Any) -> Any:
    return APIClient(**extra).post(URL, {"username": username, "password": "pw"}, format="json")


# The endpoint of the contract -----------------------------------------------------------------


def test_the_endpoint_answers_a_token_that_works_and_when_it_expires(slagelse_applicant: Any, settings: Any) -> None:
    settings.API_TOKEN_DAYS = 7
    answer = _login()
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"token", "expiry"}
    expiry = datetime.datetime.fromisoformat(body["expiry"])
    assert abs(expiry - (timezone.now() + datetime.timedelta(days=7))) < datetime.timedelta(minutes=1)
    assert _works(body["token"])


def test_each_client_gets_its_own_token_and_both_work(slagelse_applicant: Any) -> None:
    first = _login(HTTP_USER_AGENT="Sagssystem/4.2").json()["token"]
    second = APIClient().post(URL, {"username": "slagelse", "password": "pw", "name": "Budgetscript"}).json()["token"]
    assert first != second and _works(first) and _works(second)
    names = set(ApiToken.objects.filter(user=slagelse_applicant).values_list("name", flat=True))
    assert names == {"Sagssystem/4.2", "Budgetscript"}


def test_only_a_hash_of_the_key_is_stored(slagelse_applicant: Any) -> None:
    key = _login().json()["token"]
    stored = ApiToken.objects.get(user=slagelse_applicant)
    assert key not in (stored.digest, stored.token_key, stored.name)
    assert key.startswith(stored.prefix)


def test_a_wrong_password_gets_no_token_and_names_the_problem(slagelse_applicant: Any) -> None:
    answer = APIClient(HTTP_ACCEPT_LANGUAGE="en").post(URL, {"username": "slagelse", "password": "nej"}, format="json")
    assert answer.status_code == 400
    assert answer.json() == {"non_field_errors": ["Unable to log in with provided credentials."]}
    missing = APIClient(HTTP_ACCEPT_LANGUAGE="en").post(URL, {}, format="json")
    assert missing.status_code == 400 and set(missing.json()) == {"username", "password"}
    assert not ApiToken.objects.exists()


def test_a_cpr_number_in_the_name_is_refused(slagelse_applicant: Any) -> None:
    answer = APIClient().post(URL, {"username": "slagelse", "password": "pw", "name": "Borger 010190-1234"})
    assert answer.status_code == 400 and "name" in answer.json()
    assert not ApiToken.objects.exists()


def test_past_the_limit_a_person_is_told_to_revoke_one(
    slagelse_applicant: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tokens, "TOKENS_PER_USER", 2)
    keys = [_login().json()["token"] for _ in range(2)]
    refused = _login(HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 409 and "Revoke one" in refused.json()["detail"]
    assert all(_works(key) for key in keys)
    # An expired token does not count against the limit.
    ApiToken.objects.filter(user=slagelse_applicant).update(expiry=timezone.now() - datetime.timedelta(seconds=1))
    assert _login().status_code == 200
    assert ApiToken.objects.filter(user=slagelse_applicant).count() == 1


# Using a token ----------------------------------------------------------------------------------


def test_an_expired_token_is_refused_with_401_saying_so(slagelse_applicant: Any) -> None:
    token, key = tokens.issue(slagelse_applicant)
    assert _works(key)
    ApiToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - datetime.timedelta(seconds=1))
    answer = _with(key).get(PROBE)
    assert answer.status_code == 401
    assert "expired" in answer.json()["detail"]
    assert answer["WWW-Authenticate"] == "Token"


def test_the_sweep_deletes_expired_tokens_only(slagelse_applicant: Any) -> None:
    old, _old_key = tokens.issue(slagelse_applicant, "gammel")
    _new, new_key = tokens.issue(slagelse_applicant, "ny")
    ApiToken.objects.filter(pk=old.pk).update(expiry=timezone.now() - datetime.timedelta(days=1))
    assert tokens.delete_expired() == 1
    assert list(ApiToken.objects.values_list("name", flat=True)) == ["ny"]
    assert _works(new_key)


@pytest.mark.parametrize(
    "header",
    [
        "Token",
        "Token a b",
        "Token 0123456789abcdef0123456789abcdef01234567",  # a key of DRF's old tokens
        "Token " + "g" * 64,
        "Token " + "0" * 64,
        "Token " + "æ" * 64,
        "Token " + "0" * 63 + "\x00",
    ],
)
def test_a_malformed_or_unknown_key_is_a_401(slagelse_applicant: Any, header: str) -> None:
    answer = APIClient().get(PROBE, HTTP_AUTHORIZATION=header)
    assert answer.status_code == 401


def test_no_token_at_all_is_a_401_that_names_the_scheme(db: None) -> None:
    answer = APIClient().get(PROBE)
    assert answer.status_code == 401 and answer["WWW-Authenticate"] == "Token"


def test_a_deactivated_person_s_token_stops_working(slagelse_applicant: Any) -> None:
    _token, key = tokens.issue(slagelse_applicant)
    slagelse_applicant.is_active = False
    slagelse_applicant.save()
    assert not _works(key)


def test_the_last_use_is_noted_at_most_once_a_minute(slagelse_applicant: Any) -> None:
    token, key = tokens.issue(slagelse_applicant)
    assert token.last_used is None
    client = _with(key)
    client.get(PROBE)
    token.refresh_from_db()
    first = token.last_used
    assert first is not None and timezone.now() - first < datetime.timedelta(seconds=30)
    client.get(PROBE)
    token.refresh_from_db()
    assert token.last_used == first
    ApiToken.objects.filter(pk=token.pk).update(last_used=first - datetime.timedelta(minutes=2))
    client.get(PROBE)
    token.refresh_from_db()
    assert token.last_used > first


# The page -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["slagelse_applicant", "gribskov_applicant", "reviewer", "pool_admin", "ambassador", "committee"]
)
def test_every_role_reaches_the_page_from_the_header(personas: dict[str, Any], persona: str) -> None:
    client = page_client_for(personas[persona])
    home = client.get("/", follow=True)
    assert 'href="/api-tokens/"' in home.content.decode()
    assert client.get("/api-tokens/").status_code == 200


def test_the_page_needs_a_login(db: None) -> None:
    answer = Client().get("/api-tokens/")
    assert answer.status_code == 302 and answer["Location"].startswith("/login/")
    assert Client().post("/api-tokens/revoke-all/").status_code == 302


def test_the_page_lists_one_s_tokens_without_their_keys(
    slagelse_applicant: Any, settings: Any, django_assert_max_num_queries: Any
) -> None:
    settings.LANGUAGE_CODE = "da"
    keys = [tokens.issue(slagelse_applicant, f"Klient {n}")[1] for n in range(5)]
    used = ApiToken.objects.get(name="Klient 0")
    ApiToken.objects.filter(pk=used.pk).update(last_used=timezone.make_aware(datetime.datetime(2027, 3, 31, 14, 32)))
    client = page_client_for(slagelse_applicant)
    with django_assert_max_num_queries(12):
        page = client.get("/api-tokens/", HTTP_ACCEPT_LANGUAGE="da").content.decode()
    for n, key in enumerate(keys):
        assert f"Klient {n}" in page
        assert key not in page
        assert f"{key[:8]}…" in page
    assert "31.03.2027 14:32" in page
    assert timezone.localdate(used.expiry).strftime("%d.%m.%Y") in page


def test_making_a_token_on_the_page_shows_its_key_once(slagelse_applicant: Any) -> None:
    client = page_client_for(slagelse_applicant)
    made = client.post("/api-tokens/", {"name": "Sagssystem"})
    assert made.status_code == 200
    token = ApiToken.objects.get(user=slagelse_applicant)
    key = made.context["key"]
    assert key in made.content.decode() and _works(key)
    assert token.name == "Sagssystem"
    again = client.get("/api-tokens/").content.decode()
    assert "Sagssystem" in again and key not in again


def test_the_page_says_what_is_wrong_with_a_name(slagelse_applicant: Any) -> None:
    client = page_client_for(slagelse_applicant)
    answer = client.post("/api-tokens/", {"name": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 200 and answer.context["form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_revoking_on_the_page_stops_that_token_only(slagelse_applicant: Any) -> None:
    revoked, revoked_key = tokens.issue(slagelse_applicant, "gammelt script")
    _kept, kept_key = tokens.issue(slagelse_applicant, "sagssystem")
    client = page_client_for(slagelse_applicant)
    answer = client.post(f"/api-tokens/{revoked.pk}/revoke/", follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 200
    assert "The token gammelt script is revoked." in answer.content.decode()
    assert not _works(revoked_key) and _works(kept_key)


def test_revoke_all_stops_every_token_of_the_person_only(slagelse_applicant: Any, gribskov_applicant: Any) -> None:
    mine = [tokens.issue(slagelse_applicant, name)[1] for name in ("a", "b", "c")]
    _theirs, theirs_key = tokens.issue(gribskov_applicant, "gribskov")
    answer = page_client_for(slagelse_applicant).post("/api-tokens/revoke-all/", follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "3 tokens are revoked." in answer.content.decode()
    assert not any(_works(key) for key in mine)
    assert _works(theirs_key)


def test_revoking_needs_a_post(slagelse_applicant: Any) -> None:
    token, key = tokens.issue(slagelse_applicant)
    client = page_client_for(slagelse_applicant)
    assert client.get(f"/api-tokens/{token.pk}/revoke/").status_code == 405
    assert client.get("/api-tokens/revoke-all/").status_code == 405
    assert _works(key)


@pytest.mark.parametrize("viewer", ["gribskov_applicant", "reviewer", "superuser"])
def test_nobody_sees_or_revokes_another_person_s_token(personas: dict[str, Any], viewer: str) -> None:
    owner = personas["slagelse_applicant"]
    token, key = tokens.issue(owner, "Slagelses sagssystem")
    if viewer == "superuser":
        user = get_user_model().objects.create_superuser("siri-admin", "admin@example.test", "pw")
    else:
        user = personas[viewer]
    client = page_client_for(user)
    assert "Slagelses sagssystem" not in client.get("/api-tokens/").content.decode()
    assert client.post(f"/api-tokens/{token.pk}/revoke/").status_code == 404
    client.post("/api-tokens/revoke-all/")
    assert _works(key)


# The admin ------------------------------------------------------------------------------------


def test_siri_s_admin_makes_a_token_for_a_person_and_sees_its_key_once(slagelse_applicant: Any) -> None:
    admin = get_user_model().objects.create_superuser("siri-admin", "admin@example.test", "pw")
    client = page_client_for(admin)
    made = client.post("/admin/core/apitoken/add/", {"user": slagelse_applicant.pk, "name": "Integration"})
    assert made.status_code == 200
    key = made.context["key"]
    assert key and _works(key)
    token = ApiToken.objects.get(user=slagelse_applicant)
    listing = client.get("/admin/core/apitoken/").content.decode()
    assert "Integration" in listing and key not in listing
    detail = client.get(f"/admin/core/apitoken/{token.pk}/change/").content.decode()
    assert f"{key[:8]}…" in detail and key not in detail and token.digest not in detail
    assert client.post(f"/admin/core/apitoken/{token.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not _works(key)


def test_siri_staff_without_the_permission_cannot_make_tokens_in_the_admin(
    reviewer: Any, slagelse_applicant: Any
) -> None:
    answer = page_client_for(reviewer).post("/admin/core/apitoken/add/", {"user": slagelse_applicant.pk, "name": "x"})
    assert answer.status_code == 403
    assert not ApiToken.objects.exists()


def test_the_checks_refuse_a_token_lifetime_below_one_day(settings: Any) -> None:
    settings.API_TOKEN_DAYS = 0
    assert "core.E002" in {message.id for message in checks.run_checks(tags=[checks.Tags.security])}
    settings.API_TOKEN_DAYS = 1
    assert "core.E002" not in {message.id for message in checks.run_checks(tags=[checks.Tags.security])}
