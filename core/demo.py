"""What every app's demo loader shares: it needs the base demo first, runs again harmlessly,
and its command says what it loaded."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from .errors import DomainError


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
        except DomainError as error:
            # The loaders are atomic, so nothing was half-loaded. What the services refuse here is
            # a demo an older version left in the database (another project period, other goals):
            # `make run` still starts on what is there, and says how to get the current demo.
            problems = "; ".join(str(message) for messages in error.errors.values() for message in messages)
            self.stderr.write(
                f"{self.subject} demo data was not loaded: the database holds a demo that does not fit "
                f"this version ({problems or error}). Delete the database (`make clean`) and `make run` "
                "again to load the current demo."
            )
            return
        if not loaded.anything:
            self.stdout.write(f"{self.subject} demo data was already there.")
            return
        self.stdout.write(f"{self.subject} demo data loaded: {self.describe(loaded)}")


@contextmanager
def clock(moment: datetime.datetime) -> Iterator[None]:
    """Run the services as on `moment` (never later than now): `timezone.now()`, and with it
    `localdate()`, every `auto_now` stamp and every log entry, tells that time plus the real time
    elapsed since, so that what happens inside keeps its order. For the demo loaders only: the
    story of a project applied for, granted and then reported on quarter by quarter cannot
    otherwise be told in the afternoon `make run` loads it, with a log that agrees with it."""
    real_now = timezone.now
    started = real_now()
    moment = min(moment, started)

    def now() -> datetime.datetime:
        return moment + (real_now() - started)

    timezone.now = now
    try:
        yield
    finally:
        timezone.now = real_now


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """A moment of a day in the site's time zone, for `clock`."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
