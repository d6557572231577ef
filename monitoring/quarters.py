"""Calendar quarters: the rhythm of milestones and reports."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    quarter: int

    def __post_init__(self) -> None:
        if not 1 <= self.quarter <= 4:
            raise ValueError(f"quarter {self.quarter} is not 1–4")

    @classmethod
    def of(cls, day: datetime.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.quarter - 2, 1)

    @property
    def end(self) -> datetime.date:
        return self.next().start - datetime.timedelta(days=1)

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.quarter == 4 else Quarter(self.year, self.quarter + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.quarter == 1 else Quarter(self.year, self.quarter - 1)

    def __str__(self) -> str:
        return _("Q%(quarter)s %(year)s") % {"quarter": self.quarter, "year": self.year}


def quarters_between(start: datetime.date, end: datetime.date) -> list[Quarter]:
    """Every calendar quarter that the period touches, in order: a 2027–2028 grant has 8."""
    quarters: list[Quarter] = []
    current = Quarter.of(start)
    last = Quarter.of(end)
    while current <= last:
        quarters.append(current)
        current = current.next()
    return quarters


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the month's last day when it is shorter (31.1. + 1 = 28.2.)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    first_of_next = datetime.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    last_day = (first_of_next - datetime.timedelta(days=1)).day
    return datetime.date(year, month + 1, min(day.day, last_day))
