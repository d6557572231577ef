"""One settings module for every environment, driven by environment variables.

The embedded default (no variables set) runs on a SQLite file under ``var/`` with Celery tasks
executed in-process, so a new user needs neither PostgreSQL nor Redis. Production sets
``DATABASE_URL`` and ``CELERY_BROKER_URL``.
"""

from __future__ import annotations

import datetime
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def origin_of(url: str) -> list[str]:
    """The scheme and host of `url` (a source for the Content Security Policy); none if empty."""
    parts = urlsplit(url)
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []


# Off unless asked for: `make run` turns it on for the embedded default.
DEBUG = env_bool("DJANGO_DEBUG", False)
# The development key is only acceptable while DEBUG is on; production must set its own, long
# and random (python -c "import secrets; print(secrets.token_urlsafe(50))"). Without one the site,
# the worker and beat refuse to start (config/startup.py) and `check --deploy` says so; commands
# that serve nothing (migrations, translations) run on a throwaway key.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
SECRET_KEY_MISSING = not DEBUG and len(SECRET_KEY) < 50
if SECRET_KEY_MISSING:
    SECRET_KEY = secrets.token_urlsafe(50)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-puljeflow"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Our templates override Django's form templates (dkfds markup), so the renderer looks in
    # the project's template dirs and needs Django's own widget templates as an app.
    "django.forms",
    "django_htmx",
    "axes",
    "rest_framework",
    # API tokens (django-rest-knox): only a hash of each key is stored; the model is core.ApiToken.
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rules.apps.AutodiscoverRulesConfig",
    "core",
    "documents",
    "applications",
    "monitoring",
    "ambassadors",
    "awards",
    "opendata",
    "sso",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.IdleSession",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.PrivateByDefault",
    "django_htmx.middleware.HtmxMiddleware",
    # A person logged in by SSO whom SIRI has not given a role yet sees only the page saying so.
    "sso.middleware.PendingRole",
    # Last: it turns a lockout found while logging in into the 429 page (core.auth).
    "axes.middleware.AxesMiddleware",
]

# Content Security Policy (django-csp): every page, the API docs included, loads only its own
# scripts, styles, fonts and images; no inline script or <style> runs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Style *attributes* only (no <style>, never script): htmx settles a swapped element's
        # `style` attribute, and dkfds' scripts set some.
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        # The logout form's answer leads on to the provider's end of the session (sso.views.Logout).
        "form-action": ["'self'", *origin_of(os.environ.get("OIDC_OP_LOGOUT_ENDPOINT", ""))],
        "frame-ancestors": ["'none'"],
    },
}

# A session ends after SESSION_IDLE_MINUTES without a request; each request starts the clock again.
# Not by saving the session on every request: core.middleware.IdleSession saves it once in
# SESSION_REFRESH_SECONDS at most, and makes it last that much longer.
SESSION_COOKIE_AGE = 60 * int(os.environ.get("SESSION_IDLE_MINUTES", "60"))
SESSION_REFRESH_SECONDS = 60
# The pages warn this many minutes before the session would end and offer to stay logged in.
SESSION_WARNING_MINUTES = int(os.environ.get("SESSION_WARNING_MINUTES", "5"))

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "core.context_processors.navigation",
            ],
        },
    },
]

_DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'puljeflow.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(
        _DATABASE_URL,
        # Keep a PostgreSQL connection for a minute instead of opening one per request (measured:
        # 1,1-1,75× faster answers); checked before reuse, so a restarted server costs one error
        # at most. SQLite opens a file, nothing to keep.
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0" if _DATABASE_URL.startswith("sqlite") else "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent requests of the dev server would otherwise fail with "database is locked".
    # IMMEDIATE: a write transaction takes the lock when it begins, so concurrent writers wait
    # (up to the timeout) instead of failing with "database is locked" on the upgrade.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters bound by the server, and a statement that a connection has run twice
    # prepared: PostgreSQL plans it once per connection instead of on every request. Planning
    # took longer than running on most pages (a quarterly report's: 1,9 ms against 0,5; an
    # applicant's inbox: 5,0 against 2,9; issue 16). DATABASE_PREPARE_THRESHOLD empty turns
    # preparing off, for a connection pooler that cannot keep prepared statements (PgBouncer in
    # transaction mode before 1.21).
    _prepare = os.environ.get("DATABASE_PREPARE_THRESHOLD", "2")
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": int(_prepare) if _prepare else None}
    )
# A fixed test database name lets a real Celery worker (started by .ci/run) reach the database
# that the test run creates.
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("DATABASE_TEST_NAME") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "core.auth.LockoutBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Passwords, unless LOCAL_LOGIN switches them off while SSO is on.
    "core.auth.PasswordBackend",
    # Single sign-on by OpenID Connect (mozilla-django-oidc): it answers only its own callback.
    "sso.backend.MitIdErhvervBackend",
]

# Single sign-on (README "Single sign-on"): NemLog-in / MitID Erhverv or any OpenID Connect
# provider, on when OIDC_RP_CLIENT_ID and the provider's endpoints are set. The names are
# mozilla-django-oidc's own settings. The redirect URI to register is <SITE_URL>/oidc/callback/.
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
# The provider's end_session_endpoint (OpenID Connect RP-Initiated Logout): with it, logging out
# of Puljeflow ends the provider's session too, so that the next login on a shared computer asks
# for MitID again. Register <SITE_URL>/login/ as the post-logout redirect URI.
OIDC_OP_LOGOUT_ENDPOINT = os.environ.get("OIDC_OP_LOGOUT_ENDPOINT", "")
# The ID token stays in the session for the logout's id_token_hint (sso.views.Logout).
OIDC_STORE_ID_TOKEN = True
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = int(os.environ.get("OIDC_TIMEOUT", "10"))  # a provider that hangs must not hold a worker
# The claim with the organisation's CVR number, and the one with the role (empty: SIRI gives
# every new person their role). A claim name may be a path into nested claims ("nemlogin.cvr").
OIDC_CVR_CLAIM = os.environ.get("OIDC_CVR_CLAIM", "nemlogin.cvr")
OIDC_ROLE_CLAIM = os.environ.get("OIDC_ROLE_CLAIM", "")
# Municipalities by CVR besides the CVR numbers entered on the municipalities (admin):
# "29188505=330,29189420=270". And SIRI's own CVR, whose staff log in as SIRI, not for a municipality.
OIDC_CVR_MUNICIPALITIES = os.environ.get("OIDC_CVR_MUNICIPALITIES", "")
OIDC_SIRI_CVR = os.environ.get("OIDC_SIRI_CVR", "")
# The password login beside SSO; off, only SSO logs in (while SSO is on).
LOCAL_LOGIN = env_bool("LOCAL_LOGIN", True)

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username the
# account is locked for LOGIN_LOCKOUT_MINUTES, on every way of logging in; a right password then
# resets the count.
AXES_ENABLED = env_bool("LOGIN_LOCKOUT", True)
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username"]
# Not by IP address as well: a municipality's staff share one address to the outside, and one
# person's typos must not lock out the whole town hall. The lock per account is what stops
# guessing an account's password.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.auth.lockout_response"
AXES_VERBOSE = False

# API tokens (core/tokens.py, README "Security and operations"): `Authorization: Token <key>`,
# one per client, each expiring API_TOKEN_DAYS after it was made (no sliding renewal: a leaked
# key that is in use must still die); a password change revokes them all.
API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "90"))
KNOX_TOKEN_MODEL = "core.ApiToken"  # noqa: S105 (a model, not a secret)
REST_KNOX = {"TOKEN_TTL": datetime.timedelta(days=API_TOKEN_DAYS), "AUTH_HEADER_PREFIX": "Token", "AUTO_REFRESH": False}
# knox's own migrations make its AuthToken table even when the model is swapped for ours (they
# predate swappable token models): without them no unused table is left.
MIGRATION_MODULES = {"knox": None}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
FORMAT_MODULE_PATH = ["config.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every request otherwise
# The design system, htmx and axe-core come from npm (`make run` runs `npm ci`); nothing of them
# is copied into the repository. Each is served under its own prefix.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("dkfds", NODE_MODULES / "dkfds" / "dist"),
    ("htmx", NODE_MODULES / "htmx.org" / "dist"),
]
# Without collectstatic (the embedded default), WhiteNoise serves straight from the finders.
WHITENOISE_USE_FINDERS = True
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "media/"
# Uploaded and generated files live in MEDIA_ROOT; S3-compatible storage (django-storages) is a
# switch: set S3_BUCKET (and S3_ENDPOINT_URL, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY for others than AWS).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if os.environ.get("S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"],
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "default_acl": None,
            "querystring_auth": True,  # downloads go through our permission check, never public links
            "file_overwrite": False,
        },
    }

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Monitoring (issue 4): when a goal or a project counts as drifting. Shares and deviations in percent.
MONITORING = {
    "ON_TRACK_AT": 0.90,  # a goal is on track at ≥ 90 % of the value expected by now
    "AT_RISK_AT": 0.70,  # at risk at ≥ 70 %, else off track
    "LATE_DAYS_MEDIUM": 1,  # reporting risk: a report this many days late …
    "LATE_DAYS_HIGH": 31,
    "BUDGET_DEVIATION_MEDIUM": 20,  # budget risk: spending this many percent off the plan …
    "BUDGET_DEVIATION_HIGH": 40,
    "ON_TRACK_SHARE_LOW": 80,  # performance risk is low with ≥ 80 % of the goals on track …
    "ON_TRACK_SHARE_MEDIUM": 50,  # medium with ≥ 50 %, else high
    "REMINDER_DAYS_BEFORE": 14,
    # A level goal (70 % attendance) is judged against the level expected by now (its target once
    # any ramp-up is over): on track at ≥ 100 % of it, at risk at ≥ 90 %, else off track.
    "LEVEL_ON_TRACK_AT": 1.0,
    "LEVEL_AT_RISK_AT": 0.90,
    # Its trend compares the latest of the last TREND_REPORTS values with the first of them;
    # a change within TREND_FLAT_WITHIN of the target (2 %: 1,4 points of 70 %) is flat.
    "TREND_REPORTS": 3,
    "TREND_FLAT_WITHIN": 0.02,
}

# Attachments: PDF only, at most this many bytes each.
ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
# The largest file any page or the API takes (the largest of the limits above): core.uploads stops
# reading a request at the first file past it, before the rest is spooled to memory or disk.
UPLOAD_MAX_BYTES = ATTACHMENT_MAX_BYTES
FILE_UPLOAD_HANDLERS = [
    "core.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# E-mail: the console (the embedded default) or, with EMAIL_HOST set, SMTP.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
# A mail server that hangs must not hold a worker for ever; the task retries later.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "puljeflow@localhost")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")  # the links in e-mails, which have no request
# Open data on granted funds in the 360Giving standard (opendata/): the publisher prefix 360Giving
# assigns on registration, and SIRI as the funder (by CVR when given, else a 360G identifier).
OPEN_DATA = {
    "PREFIX": os.environ.get("OPEN_DATA_PREFIX", "360G-siri"),
    "FUNDER_CVR": os.environ.get("OPEN_DATA_FUNDER_CVR", ""),
    "FUNDER_NAME": os.environ.get("OPEN_DATA_FUNDER_NAME", "Styrelsen for International Rekruttering og Integration"),
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header turns "not logged in" into a 401, not a 403.
        "core.tokens.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # django-filter, refusing a NUL in any query parameter first (PostgreSQL stores no NUL).
    "DEFAULT_FILTER_BACKENDS": ["core.api.FilterBackend"],
    # DRF's JSON parser with a bound on nesting and no unstorable text (core/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "applications.api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Puljeflow API",
    "DESCRIPTION": (
        "Applications to SIRI's integration grant pools, reviews, grants and monitoring.\n\n"
        "**Errors.** Every `400` has one shape: `{field: [messages]}`, a flat list of strings per "
        "field, naming every problem at once. A problem in a row of a nested list is named in its "
        'message, e.g. `{"progress": ["Row 2, value: A valid number is required."]}`. A `409` '
        '`{"detail": "..."}` means the action is not allowed from the object\'s current state; '
        "`404` means unknown or not visible to you."
    ),
    "VERSION": "1.0.0",
    # Swagger UI from drf-spectacular-sidecar's static files, not a CDN: the docs work offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # The errors each operation can answer, in the contract's shapes (core.api.document_errors).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.document_errors",
    ],
    # Several resources have a `kind`: each its own enum by name.
    "ENUM_NAME_OVERRIDES": {
        "ChangeKindEnum": "awards.models.choices.ChangeKind",
        "PaymentKindEnum": "awards.models.choices.PaymentKind",
    },
}

# The cache, which keeps the pool dashboard's figures of a whole pool between changes
# (monitoring/pool_snapshot.py): Redis when CACHE_URL names one, shared by every web process;
# without it each process keeps its own in memory. A cache server that does not answer within a
# second costs a page its speed, not its answer.
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "puljeflow",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    # A pool's figures are some 150 kB; a process keeps the latest of 50 (a change leaves the old).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "puljeflow",
            "OPTIONS": {"MAX_ENTRIES": 50},
        }
    }

# Celery: without a broker, tasks run in-process (eagerly) so the embedded default needs no Redis.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE

# Production (DEBUG off) is HTTPS only, with settings `manage.py check --deploy` finds clean;
# each can be turned off for a test setup behind plain HTTP (README "Security and operations").
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# Behind a proxy that ends TLS: SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO names the header
# it sets to "https" (only when the proxy always sets it; otherwise clients could forge it).
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (os.environ["SECURE_PROXY_SSL_HEADER"], "https")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# The load balancer's health check may ask over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Reliability (README "Reliability"): every hand-off to Celery goes through the outbox (core.outbox)
# and the periodic sweep (Celery beat every minute; `manage.py sweep_outbox` from cron on the
# embedded default) sends again what a broker outage or a crash left unsent.
OUTBOX_SWEEP_GRACE = datetime.timedelta(seconds=int(os.environ.get("OUTBOX_SWEEP_GRACE_SECONDS", "30")))
OUTBOX_KEEP = datetime.timedelta(days=int(os.environ.get("OUTBOX_KEEP_DAYS", "7")))
# Run by the same sweep, before the outbox: documents pending or being made for longer than
# DOCUMENT_STALE_AFTER are queued again.
PERIODIC_SWEEPS = ["documents.services.requeue_stale", "core.tokens.delete_expired"]
DOCUMENT_STALE_AFTER = datetime.timedelta(minutes=int(os.environ.get("DOCUMENT_STALE_MINUTES", "10")))
# The document page refreshes once a second; after this many it says the PDF takes longer and stops.
DOCUMENT_POLL_LIMIT = int(os.environ.get("DOCUMENT_POLL_LIMIT", "300"))
