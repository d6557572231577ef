"""Background jobs of monitoring (placeholder: the reminders come next)."""

from __future__ import annotations

from celery import shared_task


@shared_task
def notify_report_submitted(report_id: int) -> None:
    return None
