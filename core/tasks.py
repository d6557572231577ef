"""The kernel's periodic job (Celery beat, config/celery.py): see `core.outbox`."""

from __future__ import annotations

from celery import shared_task

from . import outbox


@shared_task
def sweep_outbox() -> int:
    """Re-queue what a crash or a broker outage left behind; returns how many were sent."""
    return outbox.run_sweeps()
