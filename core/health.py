"""`/healthz/`: what a load balancer, compose or a person on call asks of a running site.

The database decides: without it nothing works, so its failure answers 503. The broker is
reported but does not fail the check: with the broker down the site keeps working and the
outbox (core.outbox) holds what is to be sent, so taking the site out of rotation would only
make things worse.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

log = logging.getLogger(__name__)


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        log.exception("Health check: the database does not answer")
        return "down"
    return "ok"


def _broker() -> str:
    if not settings.CELERY_BROKER_URL:
        return "in-process"
    from config.celery import app

    try:
        with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=0, timeout=2)
    except Exception:
        log.warning("Health check: the broker does not answer", exc_info=True)
        return "down"
    return "ok"


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database(), "broker": _broker()}
    return JsonResponse(checks, status=200 if checks["database"] == "ok" else 503)
