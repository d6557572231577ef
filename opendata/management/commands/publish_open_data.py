from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from opendata import threesixty


class Command(BaseCommand):
    help = "Regenerate the open data on granted funds (360Giving JSON and CSV) in the default storage."

    def handle(self, *args: Any, **options: Any) -> None:
        count = threesixty.publish()
        self.stdout.write(f"{count} grants published: {threesixty.JSON_NAME}, {threesixty.CSV_NAME}")
