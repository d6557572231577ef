"""The daily regeneration of the open data files (Celery beat; cron runs
`manage.py publish_open_data` on the embedded default). Idempotent: it rewrites the same files."""

from __future__ import annotations

from celery import shared_task

from . import threesixty


# A storage that cannot be reached (OSError, ConnectionError) is worth a retry; a bug is not.
@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def publish_open_data() -> int:
    return threesixty.publish()
