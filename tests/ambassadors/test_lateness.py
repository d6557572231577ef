"""Which quarter an ambassador owes a report for: the last completed one, if it is a quarter of
the project they were there for and its due date has passed."""

from __future__ import annotations

import datetime

import pytest

from ambassadors.models import Ambassador
from ambassadors.views.common import late_quarter
from applications.models import Application, Grant, Pool
from monitoring.quarters import Quarter

TODAY = datetime.date(2026, 12, 3)  # Q4 2026: the last completed quarter is Q3 2026, due 30.10.
LAST = Quarter(2026, 3)


def ambassador(start: datetime.date, end: datetime.date, started_on: datetime.date) -> Ambassador:
    pool = Pool(reporting_delay_days=30)
    grant = Grant(start_date=start, end_date=end, application=Application(pool=pool))
    return Ambassador(grant=grant, started_on=started_on, active=True)


@pytest.mark.parametrize(
    ("start", "end", "started_on", "owed"),
    [
        # The project runs through the quarter: owed.
        (datetime.date(2025, 1, 1), datetime.date(2027, 12, 31), datetime.date(2025, 1, 1), True),
        # The project's first day is the quarter's last, or its last day the quarter's first.
        (datetime.date(2026, 9, 30), datetime.date(2027, 12, 31), datetime.date(2026, 9, 30), True),
        (datetime.date(2025, 1, 1), datetime.date(2026, 7, 1), datetime.date(2025, 1, 1), True),
        # The project ended before the quarter, or begins after it.
        (datetime.date(2025, 1, 1), datetime.date(2026, 6, 30), datetime.date(2025, 1, 1), False),
        (datetime.date(2026, 10, 1), datetime.date(2027, 12, 31), datetime.date(2026, 10, 1), False),
        # The ambassador started on the quarter's last day, or after it.
        (datetime.date(2025, 1, 1), datetime.date(2027, 12, 31), datetime.date(2026, 9, 30), True),
        (datetime.date(2025, 1, 1), datetime.date(2027, 12, 31), datetime.date(2026, 10, 1), False),
    ],
)
def test_the_last_quarter_is_owed_only_within_the_project_and_the_ambassadors_time(
    start: datetime.date, end: datetime.date, started_on: datetime.date, owed: bool
) -> None:
    expected = (LAST, datetime.date(2026, 10, 30)) if owed else None
    assert late_quarter(ambassador(start, end, started_on), [], TODAY) == expected


def test_nothing_is_owed_before_the_due_date_or_by_an_inactive_ambassador() -> None:
    everyone = ambassador(datetime.date(2025, 1, 1), datetime.date(2027, 12, 31), datetime.date(2025, 1, 1))
    assert late_quarter(everyone, [], datetime.date(2026, 10, 30)) is None  # due today
    assert late_quarter(everyone, [], datetime.date(2026, 10, 31)) == (LAST, datetime.date(2026, 10, 30))
    everyone.active = False
    assert late_quarter(everyone, [], TODAY) is None
