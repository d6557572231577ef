from __future__ import annotations

from typing import Any

from core.demo import DemoCommand
from monitoring.demo_gribskov import PROJECT_TITLE, load_gribskov_demo


class Command(DemoCommand):
    help = (
        "Load Gribskov's granted project “Projekt 44 point = arbejde” (seed 000) after load_demo: its "
        "reports with the outcomes, its economics; and label the demo's illustrative figures (idempotent)."
    )
    subject = "Gribskov"

    def load(self) -> Any:
        return load_gribskov_demo()

    def describe(self, loaded: Any) -> str:
        parts = []
        if loaded.project:
            parts.append(f"the granted project “{PROJECT_TITLE}”")
        parts.append(f"{loaded.reports} quarterly report(s)")
        if loaded.economics:
            parts.append("its economics")
        if loaded.follow_ups:
            parts.append(f"{loaded.follow_ups} follow-up(s) after the end")
        parts.append(f"{loaded.labels} illustrative label(s)")
        return ", ".join(parts) + "."
