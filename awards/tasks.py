"""Background jobs of the grant administration, handed over through the outbox on commit: the
release of held payments once a report is handed in, and the notices of payments held or
released and of change requests decided. They take ids, and are idempotent (what is sent is
recorded under a unique key, see monitoring.reminders.deliver)."""

from __future__ import annotations

from celery import shared_task

from monitoring.reminders import TRANSIENT_ERRORS

from . import notices, services

RETRY = {"autoretry_for": TRANSIENT_ERRORS, "retry_backoff": True, "max_retries": 5}


@shared_task(**RETRY)
def refresh_holds(grant_id: int) -> int:
    return len(services.refresh_holds(grant_id))


@shared_task(**RETRY)
def notify_payments(grant_id: int, log_ids: list[int]) -> bool:
    return notices.payments_changed(grant_id, log_ids)


@shared_task(**RETRY)
def notify_change_decided(change_id: int) -> bool:
    return notices.change_decided(change_id)


@shared_task(**RETRY)
def notify_award_decided(log_id: int) -> bool:
    return notices.award_decided(log_id)


@shared_task(**RETRY)
def notify_end_decided(what: str, log_id: int) -> bool:
    from . import end_notices

    return end_notices.end_decided(what, log_id)
