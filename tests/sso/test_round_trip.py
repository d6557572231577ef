"""Single sign-on against a real OpenID Connect provider (django-oauth-toolkit's, started by
these tests in a process of its own, provider.py): the browser's whole round trip, the app's
own exchange of the code for tokens, the RS256 signature checked against the provider's keys,
the claims turned into a user. Nothing of it is mocked; a provider that cannot start fails the
tests (never a skip), under CI as anywhere."""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from django.contrib.auth import get_user_model

from applications.accounts import set_person
from applications.models import Municipality
from sso.models import SsoIdentity

pytestmark = pytest.mark.django_db(transaction=True)

SLAGELSE_CVR = "29188505"
GRIBSKOV_CVR = "12345674"  # a test value, entered by the setting
FOREIGN_CVR = "25052943"  # a company, no municipality
CLIENT_ID = "puljeflow-test"
CLIENT_SECRET = secrets.token_urlsafe(32)
PASSWORD = "MitID-erhverv-test-1"

PEOPLE = {
    "anne": {"email": "anne@slagelse.example", "given_name": "Anne", "family_name": "Holm",
             "nemlogin.cvr": SLAGELSE_CVR, "puljeflow_role": "applicant"},
    "bent": {"email": "bent@gribskov.example", "name": "Bent Lund", "nemlogin.cvr": GRIBSKOV_CVR},
    "frida": {"email": "frida@firma.example", "nemlogin.cvr": FOREIGN_CVR, "puljeflow_role": "applicant"},
    "mette": {"email": "Mette@Slagelse.example", "nemlogin.cvr": SLAGELSE_CVR},
    "rolf": {"email": "rolf@slagelse.example", "nemlogin.cvr": SLAGELSE_CVR, "puljeflow_role": "pool_admin"},
}  # fmt: skip


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def provider(live_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The provider on a free port of 127.0.0.1 (the app's live server is on localhost: no
    cookie of one reaches the other), knowing the app's callback as its redirect URI."""
    port = _free_port()
    folder = tmp_path_factory.mktemp("provider")
    config = {
        "port": port,
        "database": str(folder / "op.sqlite3"),
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uri": f"{live_server.url}/oidc/callback/",
        "post_logout_redirect_uri": f"{live_server.url}/login/",
        "people": {name: {"password": PASSWORD, "claims": claims} for name, claims in PEOPLE.items()},
    }
    log = (folder / "provider.log").open("w+")
    process = subprocess.Popen(  # noqa: S603 (our own script, by the running interpreter)
        [sys.executable, str(Path(__file__).with_name("provider.py"))],
        env={
            **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
            "PROVIDER_CONFIG": json.dumps(config),
        },
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"The OpenID provider did not start:\n{log.read()[-3000:]}")
            try:
                if requests.get(f"{base}/o/.well-known/openid-configuration", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture
def sso(provider: str, settings: Any) -> str:
    """The app's OIDC settings pointed at the provider, as the README tells an operator to set
    them, with the provider's own discovery document as the source of the endpoints."""
    discovery = requests.get(f"{provider}/o/.well-known/openid-configuration", timeout=5).json()
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = discovery["authorization_endpoint"]
    settings.OIDC_OP_TOKEN_ENDPOINT = discovery["token_endpoint"]
    settings.OIDC_OP_USER_ENDPOINT = discovery["userinfo_endpoint"]
    settings.OIDC_OP_JWKS_ENDPOINT = discovery["jwks_uri"]
    settings.OIDC_OP_LOGOUT_ENDPOINT = discovery["end_session_endpoint"]
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_CVR_CLAIM = "nemlogin.cvr"
    settings.OIDC_ROLE_CLAIM = "puljeflow_role"
    # Slagelse's CVR is entered on the municipality; Gribskov's comes from the setting.
    settings.OIDC_CVR_MUNICIPALITIES = f"{GRIBSKOV_CVR}=270"
    Municipality.objects.filter(code="330").update(cvr=SLAGELSE_CVR)
    return provider


def log_in(app: str, username: str, next_path: str = "/") -> tuple[requests.Session, requests.Response]:
    """What a browser does: the login page's button, the provider's login form, and every
    redirect back to the app."""
    browser = requests.Session()
    login_page = browser.get(f"{app}/login/", timeout=10)
    button = re.search(r'href="(/oidc/authenticate/[^"]*)"', login_page.text)
    assert button, "the login page offers no MitID Erhverv login"
    form = browser.get(app + button.group(1).replace("&amp;", "&"), timeout=10)
    assert form.url.startswith("http://127.0.0.1:"), form.url  # on the provider's login page
    hidden_next = re.search(r'name="next" value="([^"]*)"', form.text)
    answer = browser.post(
        form.url,
        data={
            "csrfmiddlewaretoken": browser.cookies["op_csrftoken"],
            "username": username,
            "password": PASSWORD,
            "next": hidden_next.group(1).replace("&amp;", "&") if hidden_next else "",
        },
        timeout=30,
    )
    return browser, answer


def test_a_municipality_login_creates_the_user_with_its_municipality_and_role(sso: str, live_server: Any) -> None:
    browser, answer = log_in(live_server.url, "anne")

    assert answer.status_code == 200, answer.text[:500]
    assert answer.url.startswith(live_server.url)
    user = get_user_model().objects.get(email="anne@slagelse.example")
    assert (user.username, user.get_full_name()) == ("anne@slagelse.example", "Anne Holm")
    assert not user.has_usable_password()
    assert user.profile.role == "applicant"
    assert list(user.profile.municipalities.values_list("code", flat=True)) == ["330"]
    assert SsoIdentity.objects.get(user=user).cvr == SLAGELSE_CVR
    # Logged in: the applicant's own list answers, and says who is logged in.
    mine = browser.get(f"{live_server.url}/", timeout=10)
    assert mine.status_code == 200 and "Anne Holm" in mine.text

    # The second login finds the same person, by the provider's subject.
    log_in(live_server.url, "anne")
    assert get_user_model().objects.filter(email="anne@slagelse.example").count() == 1


def test_a_foreign_cvr_is_refused_and_nobody_is_created(sso: str, live_server: Any) -> None:
    users = get_user_model().objects.count()

    browser, answer = log_in(live_server.url, "frida")

    assert answer.status_code == 403
    assert FOREIGN_CVR in answer.text and "ikke er en kommune" in answer.text
    assert get_user_model().objects.count() == users
    assert not SsoIdentity.objects.exists()
    home = browser.get(f"{live_server.url}/", timeout=10, allow_redirects=False)
    assert home.headers["Location"].startswith("/login/")  # not logged in


def test_without_a_role_claim_the_person_waits_for_siri(sso: str, live_server: Any) -> None:
    browser, answer = log_in(live_server.url, "bent")

    assert answer.status_code == 200
    assert answer.url == f"{live_server.url}/sso/afventer-rolle/"
    assert "SIRI har endnu ikke givet dig en rolle" in answer.text and "Gribskov" in answer.text
    user = get_user_model().objects.get(email="bent@gribskov.example")
    assert SsoIdentity.objects.get(user=user).municipality.code == "270"
    # No access anywhere else until then: pages lead back here, the API says no.
    page = browser.get(f"{live_server.url}/applications/", timeout=10, allow_redirects=False)
    assert (page.status_code, page.headers["Location"]) == (302, "/sso/afventer-rolle/")
    assert browser.get(f"{live_server.url}/api/v1/applications/", timeout=10).status_code == 403

    # SIRI gives the role: the same session now reaches the applicant's pages.
    set_person(user.username, "applicant", ["270"])
    after = browser.get(f"{live_server.url}/sso/afventer-rolle/", timeout=10)
    assert after.status_code == 200 and "/sso/" not in after.url
    assert browser.get(f"{live_server.url}/applications/", timeout=10, allow_redirects=False).status_code == 200


def test_a_role_claim_never_gives_a_municipality_login_sirs_powers(sso: str, live_server: Any) -> None:
    _browser, answer = log_in(live_server.url, "rolf")

    assert answer.url == f"{live_server.url}/sso/afventer-rolle/"
    assert not hasattr(get_user_model().objects.get(email="rolf@slagelse.example"), "profile")


def test_the_first_login_takes_over_the_local_account_of_the_same_municipality(sso: str, live_server: Any) -> None:
    local, _created = set_person("mette", "applicant", ["330"], "mette@slagelse.example", "pw")

    log_in(live_server.url, "mette")

    assert SsoIdentity.objects.get().user == local
    assert get_user_model().objects.filter(email__iexact="mette@slagelse.example").count() == 1


def _log_out(app: str, browser: requests.Session) -> requests.Response:
    """The header's *Log ud* button: a POST with the CSRF token of the page it is on."""
    browser.get(f"{app}/", timeout=10)
    return browser.post(f"{app}/logout/", data={"csrfmiddlewaretoken": browser.cookies["csrftoken"]}, timeout=30)


def test_logging_out_ends_the_providers_session_too(sso: str, live_server: Any, settings: Any) -> None:
    browser, _answer = log_in(live_server.url, "anne")
    # While the provider's session lasts, a login goes straight through without the password.
    again = browser.get(f"{live_server.url}/oidc/authenticate/", timeout=10)
    assert again.url.startswith(live_server.url) and "Anne Holm" in again.text

    answer = _log_out(live_server.url, browser)

    # On through the provider's end of the session, and back to the login page.
    first = answer.history[0].headers["Location"]
    assert first.startswith(settings.OIDC_OP_LOGOUT_ENDPOINT + "?") and "id_token_hint=" in first
    assert (answer.status_code, answer.url) == (200, f"{live_server.url}/login/")
    assert browser.get(f"{live_server.url}/", timeout=10, allow_redirects=False).status_code == 302
    # The next login asks for the password again, at the provider.
    login = browser.get(f"{live_server.url}/oidc/authenticate/", timeout=10)
    assert login.url.startswith(f"{sso}/login/"), login.url


def test_a_password_login_logs_out_of_puljeflow_alone(sso: str, live_server: Any) -> None:
    set_person("lokal", "applicant", ["330"], "lokal@slagelse.example", PASSWORD)
    browser = requests.Session()
    browser.get(f"{live_server.url}/login/", timeout=10)
    browser.post(
        f"{live_server.url}/login/",
        data={"csrfmiddlewaretoken": browser.cookies["csrftoken"], "username": "lokal", "password": PASSWORD},
        timeout=10,
    )

    answer = _log_out(live_server.url, browser)

    assert [r.url for r in answer.history] == [f"{live_server.url}/logout/"]
    assert answer.url == f"{live_server.url}/login/"


def test_the_pages_let_the_logout_form_lead_on_to_the_provider() -> None:
    """Chromium holds a form's redirect to the Content Security Policy's form-action."""
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json; from config import settings as s; "
            "print(json.dumps(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action']))",
        ],
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "OIDC_OP_LOGOUT_ENDPOINT": "https://nemlog-in.example/oidc/logout?x=1"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert json.loads(shown.stdout) == ["'self'", "https://nemlog-in.example"]


def test_without_the_providers_logout_endpoint_only_puljeflows_session_ends(
    sso: str, live_server: Any, settings: Any
) -> None:
    settings.OIDC_OP_LOGOUT_ENDPOINT = ""
    browser, _answer = log_in(live_server.url, "anne")

    answer = _log_out(live_server.url, browser)

    assert [r.url for r in answer.history] == [f"{live_server.url}/logout/"]
    assert browser.get(f"{live_server.url}/", timeout=10, allow_redirects=False).status_code == 302
    # The provider's session lasts: the next login goes straight through (README says so).
    again = browser.get(f"{live_server.url}/oidc/authenticate/", timeout=10)
    assert again.url.startswith(live_server.url) and "Anne Holm" in again.text
