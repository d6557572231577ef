"""The person a request is made by comes with their role (the profile) in one query, whichever
way they logged in (a page's session, either login backend, an API token): nearly every page,
endpoint and rule asks the role, which cost a query of its own."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from core.roles import NAME_FIELDS, Role, display_name, display_name_of, role_of
from core.tokens import TokenAuthentication
from sso.backend import MitIdErhvervBackend

pytestmark = pytest.mark.django_db

PROFILE_LOOKUP = 'FROM "applications_profile" WHERE'


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


def test_single_sign_on_reads_the_role_with_the_person(reviewer: Any, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(1):
        user = MitIdErhvervBackend().get_user(reviewer.pk)
        assert role_of(user) == Role.REVIEWER
    assert MitIdErhvervBackend().get_user(0) is None


def test_an_api_token_brings_the_persons_role(slagelse_applicant: Any, django_assert_num_queries: Any) -> None:
    key = APIClient().post("/api/v1/auth/token/", {"username": "slagelse", "password": "pw"}).json()["token"]
    TokenAuthentication().authenticate_credentials(key.encode())  # notes the first use

    with django_assert_num_queries(1):
        user, _token = TokenAuthentication().authenticate_credentials(key.encode())
        assert role_of(user) == Role.APPLICANT


@pytest.mark.parametrize(
    ("first", "last", "email"),
    [("Mette", "Sørensen", "ms@example.test"), ("", "", "ms@example.test"), ("", "", ""), ("Mette", "", "")],
)
def test_a_name_read_as_values_is_the_name_of_the_person(
    django_user_model: Any, first: str, last: str, email: str
) -> None:
    person = django_user_model.objects.create_user("mette", email=email, first_name=first, last_name=last)
    values = django_user_model.objects.filter(pk=person.pk).values_list(*NAME_FIELDS).get()
    assert display_name_of(*values) == display_name(person)
