"""Background jobs of monitoring: the daily reminders (Celery beat, config/celery.py), the
notice that a report was handed in (queued by services.submit_report on commit) and the notice
of SIRI's decision on it (queued by services.accept_report and return_report).

Both take ids or an ISO day only, never objects, and are idempotent (reminders.py records what
was sent under a unique key), so a retry or a second delivery of the task sends nothing twice.
Only the errors of the mail server and the network are retried; anything else is a bug to see.
"""

from __future__ import annotations

import datetime

from celery import shared_task

from . import notices, reminders

RETRY = {"autoretry_for": reminders.TRANSIENT_ERRORS, "retry_backoff": True, "max_retries": 5}


@shared_task(**RETRY)
def send_reminders(today: str | None = None) -> int:
    """The daily job; `today` (YYYY-MM-DD) for a catch-up run, else the local date. Returns how
    many reminders were sent."""
    run = reminders.send_reminders(datetime.date.fromisoformat(today) if today else None)
    if run.failed:
        # What could be sent was sent; the retry sends the rest (the keys skip the others).
        raise run.failed[0]
    return run.sent


@shared_task(**RETRY)
def notify_report_submitted(report_id: int) -> bool:
    return reminders.notify_submitted(report_id)


@shared_task(**RETRY)
def notify_report_decision(log_id: int) -> bool:
    """SIRI's acceptance or return of a report, by e-mail to the project's people; once."""
    return notices.notify_decision(log_id)
