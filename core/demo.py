"""What every app's demo loader shares: it needs the base demo first, runs again harmlessly,
and its command says what it loaded."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError


class DemoPrerequisiteMissing(LookupError):
    """A demo builds on another that has not been loaded."""


class DemoCommand(BaseCommand):
    """A demo's management command. `subject` names the demo ("Monitoring"); `load()` returns
    what was loaded, with an ``anything`` property; `describe()` says it in a line."""

    subject = ""

    def load(self) -> Any:
        raise NotImplementedError

    def describe(self, loaded: Any) -> str:
        raise NotImplementedError

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            loaded = self.load()
        except DemoPrerequisiteMissing as error:
            raise CommandError(str(error)) from error
        if not loaded.anything:
            self.stdout.write(f"{self.subject} demo data was already there.")
            return
        self.stdout.write(f"{self.subject} demo data loaded: {self.describe(loaded)}")
