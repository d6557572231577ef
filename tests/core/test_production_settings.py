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
