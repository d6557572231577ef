from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from applications.demo import DEMO_PASSWORD, DEMO_USERS, load_demo


class Command(BaseCommand):
    help = "Load the demo pools, Slagelse's applications and one user per role (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        loaded = load_demo()
        self.stdout.write("Demo data loaded." if loaded else "Demo data was already there.")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for user in DEMO_USERS:
            self.stdout.write(f"  {user.username:<12} {user.what}")
