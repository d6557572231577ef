from __future__ import annotations

from typing import Any

from awards.demo import GRIBSKOV_PROJECT, JOB_UNIT, NEW_PROJECT, load_awards_demo
from core.demo import DemoCommand


class Command(DemoCommand):
    help = (
        "Load the grant administration's demo after load_demo, load_monitoring_demo and (if used) "
        "load_gribskov_demo: Slagelse's job unit accepted with its payment plan, two instalments paid and "
        "an approved budget change, Gribskov's project accepted and paid, and a new project granted today "
        "that awaits acceptance (idempotent)."
    )
    subject = "Grant administration"

    def load(self) -> Any:
        return load_awards_demo()

    def describe(self, loaded: Any) -> str:
        parts = []
        if loaded.accepted:
            parts.append(f"“{JOB_UNIT}” accepted with its payment plan")
        if loaded.paid:
            parts.append(f"{loaded.paid} instalment(s) paid")
        if loaded.changed:
            parts.append("an approved budget change")
        if loaded.gribskov:
            parts.append(f"“{GRIBSKOV_PROJECT}” accepted and its instalments paid")
        if loaded.granted:
            parts.append(f"“{NEW_PROJECT}” granted and awaiting acceptance")
        return ", ".join(parts) + "."
