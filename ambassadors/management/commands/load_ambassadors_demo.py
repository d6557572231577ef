from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ambassadors.demo import DemoPrerequisiteMissing, load_ambassadors_demo


class Command(BaseCommand):
    help = (
        "Load the ambassador network's demo after load_demo (and load_monitoring_demo): Slagelse's "
        "ambassador, two quarterly reports, two network meetings and the 15 Rambøll catalogue entries "
        "(idempotent)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            loaded = load_ambassadors_demo()
        except DemoPrerequisiteMissing as error:
            raise CommandError(str(error)) from error
        if not loaded.anything:
            self.stdout.write("Ambassador demo data was already there.")
            return
        self.stdout.write(
            f"Ambassador demo data loaded: {'the ambassador, ' if loaded.ambassador else ''}"
            f"{loaded.reports} report(s), {loaded.meetings} meeting(s), {loaded.practices} catalogue entries."
        )
