from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from monitoring.demo import PROJECT_TITLE, DemoPrerequisiteMissing, load_monitoring_demo


class Command(BaseCommand):
    help = (
        "Load monitoring's demo after load_demo: two quarterly reports of Slagelse's granted project "
        "and the national KPI averages of those quarters (idempotent)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            loaded = load_monitoring_demo()
        except DemoPrerequisiteMissing as error:
            raise CommandError(str(error)) from error
        if not loaded.anything:
            self.stdout.write("Monitoring demo data was already there.")
            return
        self.stdout.write(
            f"Monitoring demo data loaded: {loaded.reports} quarterly report(s) of “{PROJECT_TITLE}”, "
            f"national KPI averages for {loaded.national_kpis} quarter(s)."
        )
