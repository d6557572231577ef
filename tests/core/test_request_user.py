"""The person a request is made by comes with their role (the profile) and their municipalities
in one query, whichever way they logged in: nearly every page and rule asks the role, and a
municipality's person's pages their municipalities, which each cost a query of their own."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from applications.accounts import set_person
from core.auth import PasswordBackend
from core.roles import Role, municipality_ids, role_of
from core.tokens import TokenAuthentication
from sso.backend import MitIdErhvervBackend

pytestmark = pytest.mark.django_db

PROFILE_LOOKUP = 'FROM "applications_profile" WHERE'
MUNICIPALITIES_LOOKUP = '"applications_profile_municipalities"'


@pytest.mark.parametrize("persona", ["slagelse_applicant", "reviewer"])
def test_a_page_reads_the_persons_role_with_the_person(client: Any, persona: str, request: Any) -> None:
    person = request.getfixturevalue(persona)
    person.set_password("en-lang-adgangskode")
    person.save()
    assert client.login(username=person.username, password="en-lang-adgangskode")
    client.get("/inbox/")  # the session's first save is not the page's

    with CaptureQueriesContext(connection) as captured:
        response = client.get("/inbox/")

    assert response.status_code == 200
    assert response.wsgi_request.user.profile.role == person.profile.role
    assert not [q["sql"] for q in captured if PROFILE_LOOKUP in q["sql"]]
    # The municipalities come with the person, not from a query of their own.
    assert len([q["sql"] for q in captured if MUNICIPALITIES_LOOKUP in q["sql"]]) == 1
    assert not [q["sql"] for q in captured if q["sql"].startswith('SELECT "applications_municipality"."id" AS "pk"')]


def test_single_sign_on_reads_the_role_with_the_person(reviewer: Any, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(1):
        user = MitIdErhvervBackend().get_user(reviewer.pk)
        assert role_of(user) == Role.REVIEWER
    assert MitIdErhvervBackend().get_user(0) is None


@pytest.mark.parametrize(
    ("role", "codes"),
    [("applicant", ("330",)), ("applicant", ("330", "270", "101")), ("reviewer", ()), ("committee", ("330",))],
)
def test_the_persons_municipalities_are_read_with_the_person(
    role: str, codes: tuple[str, ...], django_assert_num_queries: Any
) -> None:
    person, _created = set_person("kommune-person", role, codes, "kp@example.test")
    expected = set(person.profile.municipalities.values_list("pk", flat=True))
    assert len(expected) == len(codes)

    for backend in (PasswordBackend(), MitIdErhvervBackend()):
        with django_assert_num_queries(1):
            user = backend.get_user(person.pk)
            assert municipality_ids(user) == expected


def test_a_person_without_a_profile_has_no_municipalities(
    django_user_model: Any, django_assert_num_queries: Any
) -> None:
    bare = django_user_model.objects.create_user("uden-profil", password="x")
    with django_assert_num_queries(1):
        assert municipality_ids(PasswordBackend().get_user(bare.pk)) == frozenset()


@pytest.mark.parametrize(("role", "codes"), [("applicant", ("330", "270")), ("reviewer", ())])
def test_an_api_token_brings_the_persons_role_and_municipalities(
    role: str, codes: tuple[str, ...], django_assert_num_queries: Any
) -> None:
    person, _created = set_person("token-person", role, codes, "tp@example.test", "pw")
    key = APIClient().post("/api/v1/auth/token/", {"username": "token-person", "password": "pw"}).json()["token"]
    TokenAuthentication().authenticate_credentials(key.encode())  # notes the first use

    expected = set(person.profile.municipalities.values_list("pk", flat=True))
    assert len(expected) == len(codes)

    with django_assert_num_queries(1):
        user, _token = TokenAuthentication().authenticate_credentials(key.encode())
        assert role_of(user) == role
        assert municipality_ids(user) == expected
