"""A real OpenID Connect provider for the single sign-on tests: django-oauth-toolkit's, in a
process of its own with its own SQLite database and a freshly made RS256 key, standing in for
NemLog-in. Run as a script; what it serves comes as JSON in PROVIDER_CONFIG:

    {"port": 8123, "database": "/tmp/op.sqlite3", "client_id": "...", "client_secret": "...",
     "redirect_uri": "http://localhost:8000/oidc/callback/",
     "post_logout_redirect_uri": "http://localhost:8000/login/",
     "people": {"anne": {"password": "...", "claims": {"email": "...", "nemlogin.cvr": "..."}}}}

Each person logs in on its /login/ page with the password; the ID token and the userinfo answer
carry their claims. It is ready when /o/.well-known/openid-configuration answers.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import django
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.urls import include, path

CONFIG: dict[str, Any] = json.loads(os.environ.get("PROVIDER_CONFIG", "{}"))
LOGIN_PAGE = """<!doctype html><title>NemLog-in (test)</title>
<form method="post">{% csrf_token %}{{ form.as_p }}<input type="hidden" name="next" value="{{ next }}">
<button type="submit">Log ind</button></form>"""


def _claims_validator() -> type:
    """django-oauth-toolkit's validator (importable only once the settings are configured),
    giving each person the claims of the config."""
    from oauth2_provider.oauth2_validators import OAuth2Validator

    class ClaimsValidator(OAuth2Validator):
        # Every claim of the person, whatever the scope: NemLog-in's CVR claim is in no standard scope.
        oidc_claim_scope = None

        def get_additional_claims(self, request: Any) -> dict[str, Any]:
            return dict(CONFIG["people"][request.user.get_username()]["claims"])

    return ClaimsValidator


def _key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


urlpatterns: list[Any] = []


def main() -> None:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="provider-of-the-test-suite-only-" * 2,
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__,
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "oauth2_provider",
        ],
        MIDDLEWARE=[
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": CONFIG["database"]}},
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "OPTIONS": {
                    "loaders": [
                        ("django.template.loaders.locmem.Loader", {"registration/login.html": LOGIN_PAGE}),
                        "django.template.loaders.app_directories.Loader",
                    ],
                    "context_processors": ["django.template.context_processors.request"],
                },
            }
        ],
        # Its cookies must not meet the app's, should both run on one host name.
        SESSION_COOKIE_NAME="op_session",
        CSRF_COOKIE_NAME="op_csrftoken",
        LOGIN_URL="/login/",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        USE_TZ=True,
        OAUTH2_PROVIDER={
            "OIDC_ENABLED": True,
            "OIDC_RSA_PRIVATE_KEY": _key(),
            "OAUTH2_VALIDATOR_CLASS": f"{__name__}.ClaimsValidator",
            "SCOPES": {"openid": "OpenID Connect", "email": "E-mail", "profile": "Profile"},
            "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https"],
            "PKCE_REQUIRED": True,
            # Logging out of the app ends the session here too (its end_session_endpoint), with no
            # question asked of a client that sends a valid ID token as the hint.
            "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
            "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
        },
    )
    django.setup()
    globals()["ClaimsValidator"] = _claims_validator()
    from django.contrib.auth import views as auth_views

    urlpatterns.extend(
        [
            path("login/", auth_views.LoginView.as_view(), name="login"),
            path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
        ]
    )

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import get_application_model

    call_command("migrate", verbosity=0, interactive=False)
    for username, person in CONFIG["people"].items():
        get_user_model().objects.create_user(username, password=person["password"])
    application = get_application_model()
    application.objects.create(
        name="Puljeflow",
        client_id=CONFIG["client_id"],
        client_secret=CONFIG["client_secret"],
        client_type=application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=CONFIG["redirect_uri"],
        post_logout_redirect_uris=CONFIG["post_logout_redirect_uri"],
        algorithm=application.RS256_ALGORITHM,
        # No consent page: NemLog-in asks none of a relying party it knows.
        skip_authorization=True,
    )
    sys.stdout.write("provider ready\n")
    sys.stdout.flush()
    run("127.0.0.1", int(CONFIG["port"]), get_wsgi_application(), threading=True)


if __name__ == "__main__":
    main()
