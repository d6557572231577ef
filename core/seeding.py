"""`manage.py seed_scale`: a data set of a national deployment's size, for measuring speed.

At factor 1: 3.000 applications over the 98 municipalities, 600 grants with 16 milestones and
8–16 quarterly reports each, 100 ambassadors and 2.000 catalogue entries. Each app fills its own
part (its `seed.py`, registered in its AppConfig.ready()), in the order of the dependencies, so
the kernel names no domain app. The parts write through the models with bulk_create where the
services would take minutes, but the rows are what the services would have made: states that
follow the life cycles, logs of every transition, gap-free journal numbers, milestones and
expected values from the same functions, payments from the same plan.

It refuses a database that holds anything beyond what `migrate` makes: it is for a throwaway
database (`make bench` makes one), never for one with real data in it.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from .backup import holds_data

RANDOM_SEED = 20260301


class SeedRefused(Exception):
    """The database holds data: seeding it would mix invented rows into real ones."""


@dataclass
class Seed:
    """What every part is given: the factor, one random generator (the same data every run) and
    the day the data set is made as of; `counts` collects what each part made, for the report."""

    factor: float
    today: datetime.date
    rng: random.Random
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    def n(self, base: int) -> int:
        """`base` scaled by the factor, at least one."""
        return max(1, round(base * self.factor))

    def count(self, label: str, number: int) -> None:
        self.counts[label] = self.counts.get(label, 0) + number

    @property
    def now(self) -> datetime.datetime:
        return timezone.now()


Part = Callable[[Seed], None]
PARTS: list[tuple[int, str, Part]] = []


def register(order: int, name: str, part: Part) -> None:
    """Add an app's part; parts run by `order` (applications 10, monitoring 20, awards 30,
    ambassadors 40). Registering the same name again replaces it."""
    PARTS[:] = [entry for entry in PARTS if entry[1] != name]
    PARTS.append((order, name, part))
    PARTS.sort(key=lambda entry: entry[0])


def refuse_real_data() -> None:
    found = holds_data()
    if found:
        raise SeedRefused(
            "The database holds data beyond what migrate makes ("
            + ", ".join(found[:5])
            + (", …" if len(found) > 5 else "")
            + "). "
            "seed_scale fills only an empty, freshly migrated database."
        )


def seed(factor: float = 1.0, today: datetime.date | None = None, progress: Callable[[str], Any] | None = None) -> Seed:
    """Fill the (empty) database; one transaction, so a failure leaves it empty again."""
    if factor <= 0:
        raise ValueError("The factor must be above 0.")
    refuse_real_data()
    state = Seed(factor=factor, today=today or timezone.localdate(), rng=random.Random(RANDOM_SEED))  # noqa: S311 (invented data, no secret)
    with transaction.atomic():
        for _order, name, part in PARTS:
            started = time.perf_counter()
            part(state)
            state.timings[name] = time.perf_counter() - started
            if progress is not None:
                progress(f"{name}: {state.timings[name]:.1f} s")
    return state


@contextmanager
def stamped_as_given(*models: type[Model]) -> Iterator[None]:
    """Within it, bulk_create keeps the `auto_now`/`auto_now_add` times given on the rows (when
    an application was submitted, a log entry written) instead of the moment of seeding. Only
    for the seed: one process, nothing else saving meanwhile."""
    stamps = [
        column
        for model in models
        for column in model._meta.concrete_fields
        if getattr(column, "auto_now", False) or getattr(column, "auto_now_add", False)
    ]
    saved = [(column, column.auto_now, column.auto_now_add) for column in stamps]
    for column in stamps:
        column.auto_now = column.auto_now_add = False
    try:
        yield
    finally:
        for column, auto_now, auto_now_add in saved:
            column.auto_now, column.auto_now_add = auto_now, auto_now_add


def chunked(items: list[Any], size: int = 2000) -> list[list[Any]]:
    return [items[start : start + size] for start in range(0, len(items), size)]
