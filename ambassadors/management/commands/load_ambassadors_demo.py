from __future__ import annotations

from typing import Any

from ambassadors.demo import load_ambassadors_demo
from core.demo import DemoCommand


class Command(DemoCommand):
    help = (
        "Load the ambassador network's demo after load_demo (and load_monitoring_demo): Slagelse's "
        "ambassador, two quarterly reports, two network meetings and the 15 Rambøll catalogue entries "
        "(idempotent)."
    )
    subject = "Ambassador"

    def load(self) -> Any:
        return load_ambassadors_demo()

    def describe(self, loaded: Any) -> str:
        return (
            f"{'the ambassador, ' if loaded.ambassador else ''}"
            f"{loaded.reports} report(s), {loaded.meetings} meeting(s), {loaded.practices} catalogue entries."
        )
