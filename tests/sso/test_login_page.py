"""The login page with and without single sign-on, and the passwords switched off (LOCAL_LOGIN):
what a person sees, and that a password sent anyway gets nobody in, on any way of logging in."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

SSO = {
    "OIDC_RP_CLIENT_ID": "puljeflow",
    "OIDC_RP_CLIENT_SECRET": "secret",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://op.example/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://op.example/token",
    "OIDC_OP_USER_ENDPOINT": "https://op.example/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://op.example/jwks",
}


def _switch(settings: Any, **values: Any) -> None:
    for name, value in values.items():
        setattr(settings, name, value)


@pytest.mark.django_db
def test_without_sso_the_page_is_the_password_login_and_the_sso_pages_are_not_there(client: Client) -> None:
    page = client.get("/login/").content.decode()

    assert 'name="password"' in page and "MitID Erhverv" not in page
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404


@pytest.mark.django_db
def test_with_sso_the_page_offers_mitid_erhverv_beside_the_password(
    client: Client, settings: Any, slagelse_applicant: Any
) -> None:
    _switch(settings, **SSO)

    page = client.get("/login/?next=/applications/").content.decode()

    assert "Log ind med MitID Erhverv" in page and 'name="password"' in page
    assert 'href="/oidc/authenticate/?next=/applications/"' in page
    # The button leads to the provider, with PKCE and the callback as the redirect URI.
    to_provider = client.get("/oidc/authenticate/?next=/applications/")
    assert to_provider.status_code == 302
    assert to_provider["Location"].startswith("https://op.example/authorize?")
    assert "code_challenge=" in to_provider["Location"]
    assert "redirect_uri=http%3A%2F%2Ftestserver%2Foidc%2Fcallback%2F" in to_provider["Location"]
    # Passwords still work.
    assert client.post("/login/", {"username": "slagelse", "password": "pw"}).status_code == 302


@pytest.mark.django_db
def test_local_login_off_hides_and_refuses_the_passwords(
    client: Client, settings: Any, slagelse_applicant: Any
) -> None:
    _switch(settings, **SSO, LOCAL_LOGIN=False)

    page = client.get("/login/").content.decode()
    assert "Log ind med MitID Erhverv" in page and 'name="password"' not in page

    refused = client.post("/login/", {"username": "slagelse", "password": "pw"})
    assert refused.status_code == 403
    assert "Login med adgangskode er slået fra" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    # Nor by the API's token endpoint or the admin's login.
    token = client.post(
        "/api/v1/auth/token/", {"username": "slagelse", "password": "pw"}, content_type="application/json"
    )
    assert token.status_code == 400
    client.post("/admin/login/", {"username": "slagelse", "password": "pw"})
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_local_login_off_without_sso_keeps_the_passwords(
    client: Client, settings: Any, slagelse_applicant: Any
) -> None:
    """Off only while SSO is on: otherwise nobody could log in at all."""
    _switch(settings, LOCAL_LOGIN=False)

    assert client.post("/login/", {"username": "slagelse", "password": "pw"}).status_code == 302


def test_the_system_check_names_an_sso_set_up_by_halves(settings: Any) -> None:
    from django.core.checks import run_checks

    settings.OIDC_RP_CLIENT_ID = "puljeflow"
    errors = [message for message in run_checks() if message.id == "sso.E001"]

    assert len(errors) == 1 and "OIDC_OP_TOKEN_ENDPOINT" in errors[0].msg
    _switch(settings, **SSO)
    assert not [message for message in run_checks() if message.id == "sso.E001"]
