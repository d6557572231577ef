"""Write every grant's progress summary anew (monitoring.summary): after data loaded without the
services, after a change of the thresholds in settings.MONITORING, or to check the dashboard. The
pools' figures kept in the cache are computed anew too (`pool_snapshot`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from monitoring.pool_snapshot import rebuild_progress


class Command(BaseCommand):
    help = "Write every grant's progress summary anew (what the pool dashboard reads)."

    def handle(self, *args: Any, **options: Any) -> None:
        written = rebuild_progress()
        self.stdout.write(f"Progress summaries written for {written} grants.")
