from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from monitoring.reminders import send_reminders


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--today must be a date as YYYY-MM-DD, not {value!r}.") from error


class Command(BaseCommand):
    help = (
        "Send the report reminders owed today: 14 days before a report is due, on the due day and "
        "weekly while late. The same job as Celery beat's; safe to run more than once a day."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="Run as on this day (YYYY-MM-DD), e.g. to catch up a missed day.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = _day(options["today"]) if options["today"] else None
        run = send_reminders(today)
        self.stdout.write(f"Sent {run.sent} reminder(s).")
        if run.failed:
            # Not recorded, so the next run sends them; a non-zero exit tells cron.
            raise CommandError(f"{len(run.failed)} reminder(s) could not be sent: {run.failed[0]}")
