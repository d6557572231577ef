from __future__ import annotations

from typing import Any

from core.demo import DemoCommand
from monitoring.demo import PROJECT_TITLE, load_monitoring_demo


class Command(DemoCommand):
    help = (
        "Load monitoring's demo after load_demo: two quarterly reports of Slagelse's granted project "
        "and the national KPI averages of those quarters (idempotent)."
    )
    subject = "Monitoring"

    def load(self) -> Any:
        return load_monitoring_demo()

    def describe(self, loaded: Any) -> str:
        return (
            f"{loaded.reports} quarterly report(s) of “{PROJECT_TITLE}”, "
            f"national KPI averages for {loaded.national_kpis} quarter(s)."
        )
