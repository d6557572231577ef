from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from applications.demo import DEMO_PASSWORD, DEMO_USERS


class Command(BaseCommand):
    help = "Print the demo's logins: `make run` prints them last, after everything the demo loading says."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for user in DEMO_USERS:
            self.stdout.write(f"  {user.username:<12} {user.what}")
