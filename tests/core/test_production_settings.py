"""The production profile: DEBUG off by default, no start without a real key, and Django's own
deployment check finds nothing."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DJANGO_DEBUG", "DJANGO_SETTINGS_MODULE"}}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = _clean_env()
    return subprocess.run(  # noqa: S603 (this interpreter, this project's manage.py)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_debug_a_missing_or_short_secret_key_refuses_to_start() -> None:
    for env in ({}, {"SECRET_KEY": "too-short"}):
        site = subprocess.run(
            [sys.executable, "-c", "import config.wsgi"],
            cwd=ROOT,
            env={**_clean_env(), "DJANGO_SETTINGS_MODULE": "config.settings", **env},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert site.returncode != 0 and "SECRET_KEY must be set, 50 characters or more" in site.stderr
        server = _manage("runserver", "--noreload", "127.0.0.1:1", **env)
        assert server.returncode != 0 and "SECRET_KEY must be set" in server.stderr
        deploy = _manage("check", "--deploy", **env)
        assert deploy.returncode != 0 and "core.E001" in deploy.stderr


def test_commands_that_serve_nothing_run_without_a_key() -> None:
    done = _manage("makemigrations", "--check", "--dry-run")
    assert done.returncode == 0, done.stderr


def test_debug_is_off_unless_asked_for() -> None:
    key = "k" * 60
    shown = _manage("shell", "-c", "from django.conf import settings; print(settings.DEBUG)", SECRET_KEY=key)
    assert shown.stdout.strip().splitlines()[-1] == "False"
    asked = _manage("shell", "-c", "from django.conf import settings; print(settings.DEBUG)", DJANGO_DEBUG="true")
    assert asked.stdout.strip().splitlines()[-1] == "True"


def test_the_deployment_check_is_clean() -> None:
    done = _manage("check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=secrets.token_urlsafe(50))
    assert done.returncode == 0, done.stdout + done.stderr


def _setting(expression: str, **env: str) -> str:
    shown = _manage(
        "shell", "-c", f"from django.conf import settings as s; print({expression})", DJANGO_DEBUG="true", **env
    )
    assert shown.returncode == 0, shown.stderr
    return shown.stdout.strip().splitlines()[-1]


def test_mail_goes_by_smtp_once_a_host_is_set() -> None:
    assert _setting("s.EMAIL_BACKEND") == "django.core.mail.backends.console.EmailBackend"
    smtp = "(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_USE_TLS, s.EMAIL_USE_SSL)"
    assert _setting(smtp, EMAIL_HOST="smtp.kommune.test", EMAIL_HOST_USER="puljeflow") == str(
        ("django.core.mail.backends.smtp.EmailBackend", "smtp.kommune.test", 587, "puljeflow", True, False)
    )
    assert _setting("(s.EMAIL_USE_TLS, s.EMAIL_USE_SSL)", EMAIL_HOST="smtp.kommune.test", EMAIL_PORT="465") == str(
        (False, True)
    )


def test_postgresql_connections_are_kept_for_a_minute_and_checked() -> None:
    database = "(s.DATABASES['default']['CONN_MAX_AGE'], s.DATABASES['default']['CONN_HEALTH_CHECKS'])"
    assert _setting(database, DATABASE_URL="postgres://u:p@db.test:5432/puljeflow") == str((60, True))
    assert _setting(database, DATABASE_URL="postgres://u:p@db.test/x", DATABASE_CONN_MAX_AGE="0") == str((0, True))
    # The embedded default's SQLite file (CI's part 3 runs with a PostgreSQL DATABASE_URL set).
    assert _setting(database, DATABASE_URL="sqlite:///var/puljeflow.sqlite3") == str((0, True))


def test_postgresql_binds_parameters_on_the_server_and_prepares_what_it_runs_again() -> None:
    options = "sorted(s.DATABASES['default']['OPTIONS'].items())"
    url = "postgres://u:p@db.test:5432/puljeflow"
    assert _setting(options, DATABASE_URL=url) == str([("prepare_threshold", 2), ("server_side_binding", True)])
    # Off for a connection pooler that cannot keep prepared statements; the binding stays.
    off = [("prepare_threshold", None), ("server_side_binding", True)]
    assert _setting(options, DATABASE_URL=url, DATABASE_PREPARE_THRESHOLD="") == str(off)
