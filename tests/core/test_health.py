"""`/healthz/` tells whoever runs the site whether it can work: the database decides, the
broker is reported (with it down the outbox keeps the work, so the site stays in rotation)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_health_answers_without_login_and_is_never_cached(client: Any, settings: Any) -> None:
    settings.CELERY_BROKER_URL = ""
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "in-process"}
    assert "no-store" in response["Cache-Control"]


def test_a_dead_broker_is_reported_but_keeps_the_site_in_rotation(client: Any, settings: Any) -> None:
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "down"}


def test_health_is_reachable_over_plain_http_behind_the_ssl_redirect(client: Any, settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz/").status_code == 200
    assert client.get("/login/").status_code == 301


def test_health_only_reads(client: Any) -> None:
    assert client.post("/healthz/").status_code == 405
