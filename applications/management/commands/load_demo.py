from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from applications.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo pools, Slagelse's applications and one user per role (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        loaded = load_demo()
        self.stdout.write("Demo data loaded." if loaded else "Demo data was already there.")
