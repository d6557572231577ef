"""The rows' and the inbox's dates (core.tables.short_date, core.inbox.day) are written by strftime
where the language's short date format allows: they must read as Django's date filter writes them."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.utils import formats
from django.utils.translation import override

from core.inbox import day
from core.tables import short_date

DAYS = [
    datetime.date(2026, 1, 5),
    datetime.date(2027, 12, 31),
    datetime.datetime(2026, 3, 9, 23, 59),
    datetime.date(202, 3, 15),  # a year typed with a digit missing: four digits, as Django writes it
]


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize("value", DAYS)
def test_a_short_date_reads_as_djangos(language: str, value: datetime.date) -> None:
    with override(language):
        assert short_date(value) == formats.date_format(value, "SHORT_DATE_FORMAT")


def test_an_items_moment_is_shown_on_its_local_day() -> None:
    late_evening_utc = datetime.datetime(2026, 6, 30, 22, 30, tzinfo=zoneinfo.ZoneInfo("UTC"))
    with override("da"):
        assert day(late_evening_utc) == "01.07.2026"  # Copenhagen is two hours ahead in summer
        assert day(datetime.date(2026, 6, 30)) == "30.06.2026"
