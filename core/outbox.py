"""The transactional outbox: how the domain hands work to Celery without losing it.

`send_later(task_name, *args)` writes an `OutboxMessage` in the caller's transaction, so the
message exists exactly when the change that asked for it was committed (a rollback takes it
along). After the commit it is handed to the broker; if the broker is down, the error is logged,
the row stays unsent and the commit's success stands. `sweep` (Celery beat every minute, or
``manage.py sweep_outbox`` from cron without a broker) hands the unsent rows over again.

A message may thus reach its task more than once (a send that timed out but arrived, a crash
between sending and marking it sent), so every task sent this way must be idempotent: it
records what it did and does nothing the second time.

Without a broker (``task_always_eager``) the task runs in-process at the hand-off, as before;
a task that fails there is logged and left unsent too, so the sweep runs it again.
"""

from __future__ import annotations

import datetime
import importlib
import logging
from typing import Any

from celery import current_app
from celery.result import EagerResult
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from kombu.exceptions import OperationalError

from .models import OutboxMessage

log = logging.getLogger(__name__)

# How long a fresh message is left to its own hand-off before the sweep takes it.
DEFAULT_GRACE = datetime.timedelta(seconds=30)
# Sent messages are kept this long (to see what went out), then deleted by the sweep.
DEFAULT_KEEP = datetime.timedelta(days=7)
# A sweep stops after this many failures in a row: the broker is still down, try next time.
FAILURES_BEFORE_GIVING_UP = 3


def send_later(task_name: str, *args: Any) -> OutboxMessage:
    """Run the Celery task `task_name` with `args` (JSON values: ids, ISO dates) once the
    current transaction commits; at once when there is none. Never raises for the broker."""
    message = OutboxMessage.objects.create(task=task_name, args=list(args))
    transaction.on_commit(lambda: deliver(message.pk), robust=True)
    return message


def deliver(message_id: int) -> bool:
    """Hand one unsent message to the broker (or run it, without one). Whether it went."""
    message = OutboxMessage.objects.filter(pk=message_id, sent_at__isnull=True).first()
    return message is not None and _attempt(message)


def _task(name: str) -> Any:
    tasks = current_app.tasks
    if name not in tasks:
        # The worker imports every tasks module; a web process only those it has used.
        module = name.rpartition(".")[0]
        try:
            importlib.import_module(module)
        except ImportError:
            return None
    return tasks.get(name)


def _send(message: OutboxMessage) -> None:
    task = _task(message.task)
    if task is None:
        current_app.send_task(message.task, args=message.args)
        return
    result = task.apply_async(args=message.args)
    if isinstance(result, EagerResult) and result.failed():  # run in-process, errors not propagated
        raise result.result


def _attempt(message: OutboxMessage) -> bool:
    # Claim this attempt: of two senders that read the same row (the hand-off and a sweep, two
    # sweeps), only one sends.
    claimed = OutboxMessage.objects.filter(pk=message.pk, sent_at__isnull=True, attempts=message.attempts).update(
        attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    try:
        _send(message)
    except Exception as error:
        # The broker's errors are expected while it is down: one line each. A task that failed
        # in-process (no broker) is a failure to see in full.
        broker = isinstance(error, OperationalError | ConnectionError)
        log.warning(
            "could not send %s (outbox message %s): %s; the sweep tries again",
            message,
            message.pk,
            error,
            exc_info=not broker,
        )
        OutboxMessage.objects.filter(pk=message.pk).update(last_error=f"{type(error).__name__}: {error}"[:2000])
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(sent_at=timezone.now(), last_error="")
    return True


def sweep(older_than: datetime.timedelta | None = None, limit: int = 500) -> int:
    """Hand over again the unsent messages older than `older_than` (``OUTBOX_SWEEP_GRACE``),
    oldest first; delete sent ones older than ``OUTBOX_KEEP``. Returns how many were sent."""
    now = timezone.now()
    grace = getattr(settings, "OUTBOX_SWEEP_GRACE", DEFAULT_GRACE) if older_than is None else older_than
    waiting = OutboxMessage.objects.filter(sent_at__isnull=True, created_at__lte=now - grace).order_by(
        "created_at", "id"
    )
    sent = failures = 0
    for message in waiting[:limit]:
        if _attempt(message):
            sent += 1
            failures = 0
        else:
            failures += 1
            if failures >= FAILURES_BEFORE_GIVING_UP:
                break
    keep = getattr(settings, "OUTBOX_KEEP", DEFAULT_KEEP)
    OutboxMessage.objects.filter(sent_at__lt=now - keep).delete()
    return sent


def run_sweeps() -> int:
    """The periodic job: the other apps' sweeps (``PERIODIC_SWEEPS``, dotted paths of functions
    taking no arguments, e.g. re-queueing stale documents), then the outbox. Returns how many
    outbox messages were sent."""
    for path in getattr(settings, "PERIODIC_SWEEPS", ()):
        try:
            import_string(path)()
        except Exception:
            log.exception("the sweep %s failed", path)
    return sweep()
