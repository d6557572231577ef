"""The production profile: DEBUG off by default, no start without a real key, and Django's own
deployment check finds nothing."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DJANGO_DEBUG", "DJANGO_SETTINGS_MODULE"}}
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
        done = _manage("check", **env)
        assert done.returncode != 0
        assert "SECRET_KEY must be set, 50 characters or more" in done.stderr


def test_debug_is_off_unless_asked_for() -> None:
    key = "k" * 60
    shown = _manage("shell", "-c", "from django.conf import settings; print(settings.DEBUG)", SECRET_KEY=key)
    assert shown.stdout.strip().splitlines()[-1] == "False"
    asked = _manage("shell", "-c", "from django.conf import settings; print(settings.DEBUG)", DJANGO_DEBUG="true")
    assert asked.stdout.strip().splitlines()[-1] == "True"


def test_the_deployment_check_is_clean() -> None:
    done = _manage("check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=secrets.token_urlsafe(50))
    assert done.returncode == 0, done.stdout + done.stderr
