"""A new password revokes every API token of the person, whichever way it is set: the password
page, `manage.py adduser` run again, the admin, `set_password()` in code. What does not change
the password (a login, an upgraded hash of the same password, other fields) keeps them."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from rest_framework.test import APIClient

from core import tokens
from core.models import ApiToken

from ..conftest import page_client_for

pytestmark = pytest.mark.django_db

NEW = "Nyt-kodeord-2027"


def _works(key: str) -> bool:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    status = client.get("/api/v1/municipalities/").status_code
    assert status in (200, 401), status
    return status == 200


@pytest.fixture
def keys(slagelse_applicant: Any, gribskov_applicant: Any) -> dict[str, list[str]]:
    """Two tokens of Slagelse's applicant and one of Gribskov's, which must survive Slagelse's change."""
    return {
        "mine": [tokens.issue(slagelse_applicant, name)[1] for name in ("sagssystem", "script")],
        "theirs": [tokens.issue(gribskov_applicant, "gribskov")[1]],
    }


def _revoked(keys: dict[str, list[str]]) -> bool:
    assert all(_works(key) for key in keys["theirs"]), "another person's tokens must stay"
    states = {_works(key) for key in keys["mine"]}
    assert len(states) == 1, "all or none"
    return states == {False}


def test_the_password_page(slagelse_applicant: Any, keys: dict[str, list[str]]) -> None:
    client = page_client_for(slagelse_applicant)
    assert "revokes all your API tokens" in client.get("/password/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    answer = client.post("/password/", {"old_password": "pw", "new_password1": NEW, "new_password2": NEW})
    assert answer.status_code == 302, answer.context["form"].errors if answer.context else answer
    assert _revoked(keys)


def test_a_refused_password_change_revokes_nothing(slagelse_applicant: Any, keys: dict[str, list[str]]) -> None:
    answer = page_client_for(slagelse_applicant).post(
        "/password/", {"old_password": "wrong", "new_password1": NEW, "new_password2": NEW}
    )
    assert answer.status_code == 200
    assert not _revoked(keys)


def test_adduser_run_again_with_a_password(
    slagelse_applicant: Any, keys: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DJANGO_USER_PASSWORD", NEW)
    call_command("adduser", "slagelse", "--role", "applicant", "--municipality", "330", stdout=StringIO())
    assert authenticate(username="slagelse", password=NEW) is not None
    assert _revoked(keys)


def test_adduser_run_again_without_a_password_keeps_them(
    slagelse_applicant: Any, keys: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DJANGO_USER_PASSWORD", raising=False)
    call_command("adduser", "slagelse", "--role", "committee", "--municipality", "330", stdout=StringIO())
    assert get_user_model().objects.get(username="slagelse").profile.role == "committee"
    assert not _revoked(keys)


def test_the_admin_s_password_form(slagelse_applicant: Any, keys: dict[str, list[str]]) -> None:
    admin = get_user_model().objects.create_superuser("siri-admin", "admin@example.test", "pw")
    answer = page_client_for(admin).post(
        f"/admin/auth/user/{slagelse_applicant.pk}/password/",
        {"password1": NEW, "password2": NEW, "usable_password": "true"},
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert authenticate(username="slagelse", password=NEW) is not None
    assert _revoked(keys)


def test_set_password_and_save_in_code(slagelse_applicant: Any, keys: dict[str, list[str]]) -> None:
    slagelse_applicant.set_password(NEW)
    slagelse_applicant.save()
    assert _revoked(keys)


def test_saving_only_the_password_field(slagelse_applicant: Any, keys: dict[str, list[str]]) -> None:
    slagelse_applicant.set_password(NEW)
    slagelse_applicant.save(update_fields=["password"])
    assert _revoked(keys)


def test_an_unusable_password(slagelse_applicant: Any, keys: dict[str, list[str]]) -> None:
    slagelse_applicant.set_unusable_password()
    slagelse_applicant.save()
    assert _revoked(keys)


def test_a_hash_written_directly(slagelse_applicant: Any, keys: dict[str, list[str]]) -> None:
    slagelse_applicant.password = make_password(NEW)
    slagelse_applicant.save()
    assert _revoked(keys)


def test_a_failed_save_revokes_nothing(slagelse_applicant: Any, keys: dict[str, list[str]]) -> None:
    slagelse_applicant.set_password(NEW)
    slagelse_applicant.username = "gribskov"  # taken: the save fails
    with pytest.raises(IntegrityError), transaction.atomic():
        slagelse_applicant.save()
    assert not _revoked(keys)


def test_logging_in_keeps_them(slagelse_applicant: Any, keys: dict[str, list[str]]) -> None:
    assert Client().post("/login/", {"username": "slagelse", "password": "pw"}).status_code == 302
    assert APIClient().post("/api/v1/auth/token/", {"username": "slagelse", "password": "pw"}).status_code == 200
    assert not _revoked(keys)


def test_other_changes_to_the_person_keep_them(slagelse_applicant: Any, keys: dict[str, list[str]]) -> None:
    slagelse_applicant.email = "ny@slagelse.dk"
    slagelse_applicant.first_name = "Hanne"
    slagelse_applicant.save()
    assert not _revoked(keys)


def test_an_upgraded_hash_of_the_same_password_keeps_them(
    slagelse_applicant: Any, keys: dict[str, list[str]], settings: Any
) -> None:
    # On login Django re-hashes a password stored with a hasher that is no longer the first
    # (or with fewer iterations): the same password, a new hash, and no reason to revoke.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    users = get_user_model().objects
    users.filter(pk=slagelse_applicant.pk).update(password=make_password("pw", hasher="pbkdf2_sha256"))
    assert authenticate(username="slagelse", password="pw") is not None
    assert users.get(pk=slagelse_applicant.pk).password.startswith("md5$")
    assert not _revoked(keys)


def test_a_new_person_gets_no_tokens_touched(db: None) -> None:
    # Creating a person compares nothing (there is no stored password yet).
    user = get_user_model().objects.create_user("ny", "ny@example.test", NEW)
    assert not ApiToken.objects.filter(user=user).exists()
    _token, key = tokens.issue(user)
    assert _works(key)
