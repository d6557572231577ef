"""`manage.py adduser`: people with a role from the command line, password from the environment."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.utils import translation

pytestmark = pytest.mark.django_db

User = get_user_model()


def _adduser(*args: str) -> str:
    out = StringIO()
    call_command("adduser", *args, stdout=out)
    return out.getvalue()


def _codes(username: str) -> list[str]:
    return sorted(User.objects.get(username=username).profile.municipalities.values_list("code", flat=True))


def test_creates_a_person_with_role_municipalities_and_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJANGO_USER_PASSWORD", "Sagsbehandler-2027")

    out = _adduser("anna", "--role", "applicant", "--municipality", "330", "--email", "anna@slagelse.dk")

    assert "Created anna" in out
    user = authenticate(username="anna", password="Sagsbehandler-2027")
    assert user is not None
    assert (user.email, user.profile.role, user.is_staff) == ("anna@slagelse.dk", "applicant", False)
    assert _codes("anna") == ["330"]
    assert authenticate(username="anna", password="wrong") is None


def test_siri_staff_get_the_admin_and_no_municipality(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJANGO_USER_PASSWORD", "Fuldmaegtig-2027")

    _adduser("bo", "--role", "reviewer")

    user = authenticate(username="bo", password="Fuldmaegtig-2027")
    assert user is not None
    assert (user.profile.role, user.is_staff, _codes("bo")) == ("reviewer", True, [])


def test_running_again_updates_role_municipalities_and_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJANGO_USER_PASSWORD", "Foerste-kodeord-1")
    _adduser("carla", "--role", "applicant", "--municipality", "330")
    monkeypatch.setenv("DJANGO_USER_PASSWORD", "Andet-kodeord-2")

    out = _adduser("carla", "--role", "committee", "--municipality", "270", "--municipality", "330")

    assert "Updated carla" in out
    assert User.objects.filter(username="carla").count() == 1
    assert authenticate(username="carla", password="Foerste-kodeord-1") is None
    user = authenticate(username="carla", password="Andet-kodeord-2")
    assert user is not None
    assert user.profile.role == "committee"
    assert _codes("carla") == ["270", "330"]

    _adduser("carla", "--role", "pool_admin")
    user = User.objects.get(username="carla")
    assert (user.profile.role, user.is_staff, _codes("carla")) == ("pool_admin", True, [])


def test_without_the_variable_a_new_person_cannot_log_in_and_an_existing_one_keeps_the_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("DJANGO_USER_PASSWORD", raising=False)
    _adduser("dorte", "--role", "ambassador", "--municipality", "270")
    assert not User.objects.get(username="dorte").has_usable_password()

    monkeypatch.setenv("DJANGO_USER_PASSWORD", "Ambassadoer-2027")
    _adduser("dorte", "--role", "ambassador", "--municipality", "270")
    monkeypatch.delenv("DJANGO_USER_PASSWORD")
    _adduser("dorte", "--role", "ambassador", "--municipality", "330")

    assert authenticate(username="dorte", password="Ambassadoer-2027") is not None
    assert _codes("dorte") == ["330"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "applicant", "--municipality", "999"], "999"),
        (["--role", "applicant", "--municipality", "330", "--municipality", "abc"], "abc"),
        (["--role", "reviewer", "--municipality", "330"], "SIRI"),
        (["--role", "pool_admin", "--municipality", "270"], "SIRI"),
        (["--role", "applicant"], "municipality"),
        (["--role", "mayor", "--municipality", "330"], "mayor"),
    ],
)
def test_refuses_what_cannot_be_right_and_creates_nobody(
    monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.setenv("DJANGO_USER_PASSWORD", "Kodeord-2027")

    with translation.override("en"), pytest.raises(CommandError, match=message):
        _adduser("erik", *args)

    assert not User.objects.filter(username="erik").exists()


def test_a_refused_update_leaves_the_person_as_they_were(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJANGO_USER_PASSWORD", "Kodeord-2027")
    _adduser("frida", "--role", "applicant", "--municipality", "330")
    monkeypatch.setenv("DJANGO_USER_PASSWORD", "Nyt-kodeord-2028")

    with pytest.raises(CommandError):
        _adduser("frida", "--role", "reviewer", "--municipality", "330")

    user: Any = authenticate(username="frida", password="Kodeord-2027")
    assert user is not None
    assert (user.profile.role, user.is_staff, _codes("frida")) == ("applicant", False, ["330"])


@pytest.mark.parametrize("password", ["kort", "12345678901", "password123", "hanne-sagsbehandler"])
def test_a_weak_password_is_refused_and_nothing_is_written(monkeypatch: pytest.MonkeyPatch, password: str) -> None:
    """The site's password validators apply on the command line too (too short, numeric,
    common, or too like the username)."""
    monkeypatch.setenv("DJANGO_USER_PASSWORD", password)
    with pytest.raises(CommandError, match="DJANGO_USER_PASSWORD"):
        call_command("adduser", "hanne-sagsbehandler", "--role", "applicant", "--municipality", "330")
    assert not get_user_model().objects.filter(username="hanne-sagsbehandler").exists()


def test_a_person_gets_the_name_the_pages_show(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJANGO_USER_PASSWORD", "Sagsbehandler-2027")
    _adduser("hanne", "--role", "reviewer", "--name", "Hanne Marie Jensen")
    user = User.objects.get(username="hanne")
    assert (user.first_name, user.last_name, user.get_full_name()) == ("Hanne Marie", "Jensen", "Hanne Marie Jensen")
    _adduser("hanne", "--role", "reviewer")  # running it again without --name keeps the name
    assert User.objects.get(username="hanne").get_full_name() == "Hanne Marie Jensen"
