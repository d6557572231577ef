from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from core import outbox


class Command(BaseCommand):
    help = (
        "Hand over again the background tasks a broker outage or a crash left unsent, and re-queue "
        "documents stuck waiting. The same job as Celery beat's every minute; run it from cron "
        "on the embedded default. Safe to run at any time and more than once."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = outbox.run_sweeps()
        waiting = outbox.OutboxMessage.objects.filter(sent_at__isnull=True).count()
        self.stdout.write(f"Sent {sent} message(s); {waiting} still waiting.")
