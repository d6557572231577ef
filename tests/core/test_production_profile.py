"""The production profile's files say what the README says: gunicorn's settings come from the
environment, `bin/serve` refuses to start without PostgreSQL, Redis and a key, and compose.yaml
runs each role as a process of its own."""

from __future__ import annotations

import os
import runpy
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def gunicorn_settings(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, Any]:
    for name in ("WEB_CONCURRENCY", "BIND", "HOST", "PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))


def test_gunicorn_takes_its_size_and_address_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    conf = gunicorn_settings(monkeypatch, WEB_CONCURRENCY="3", PORT="9001")
    assert conf["workers"] == 3
    assert conf["bind"] == "127.0.0.1:9001"
    assert conf["wsgi_app"] == "config.wsgi:application"
    assert conf["preload_app"] is True  # a missing SECRET_KEY stops the master, not each worker
    default = gunicorn_settings(monkeypatch)
    assert default["workers"] == os.cpu_count() * 2 + 1


def test_serve_names_everything_it_misses_and_starts_nothing() -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "SECRET_KEY"}}
    env["DATABASE_URL"] = "sqlite:///var/x.sqlite3"
    result = subprocess.run(  # noqa: S603 (our own script)
        [str(ROOT / "bin" / "serve")], capture_output=True, text=True, env=env, timeout=30, check=False
    )
    assert result.returncode == 2
    for needed in ("DATABASE_URL=postgres://", "CELERY_BROKER_URL=redis://", "SECRET_KEY"):
        assert needed in result.stderr
    assert "make run" in result.stderr


def test_compose_runs_each_role_on_its_own_with_one_beat() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert {"web", "worker", "beat", "migrate", "postgres", "redis"} <= set(services)
    assert services["web"]["command"][0] == "gunicorn"
    assert services["worker"]["command"][:4] == ["celery", "-A", "config", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]
    assert services["beat"]["deploy"]["replicas"] == 1
    assert "/healthz/" in " ".join(services["web"]["healthcheck"]["test"])
    # Every role reads the same settings; files go to S3-compatible storage, not a shared disk.
    for role in ("web", "worker", "beat"):
        env = services[role]["environment"]
        assert {"SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "S3_BUCKET", "EMAIL_HOST"} <= set(env)
        assert "volumes" not in services[role]
