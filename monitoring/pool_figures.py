"""What a pool's charts add up, on the dashboard and in the portfolio report alike: the goals of
every project by status, the money granted, paid out and spent, and the reports per quarter
handed in on time, late or not at all.

Everything is summed from the projects' readings (`progress.read_project`) the pages compute
anyway, so that no chart costs a query per project; what another app knows (the money paid out,
in the grant administration) comes through `extensions.pool_money`, one query for every grant,
or with the rows the dashboard reads (`row_figures`)."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from applications.models import Grant

from .extensions import MoneyFigure, money_of, pool_money
from .models import GoalStatus
from .progress import ProjectReading, Timeliness, completeness_by_quarter, counting_reports
from .quarters import Quarter

if TYPE_CHECKING:
    from .pool_summary import PoolRow

# The goal statuses in the order the charts show them; None is a goal without figures yet.
STATUS_ORDER: tuple[str | None, ...] = (*GoalStatus.values, None)


def spent_of(reading: ProjectReading) -> Decimal | None:
    """Money spent to date as the latest counted report up to the reading's quarter gives it."""
    reports = counting_reports(reading.grant)
    latest = [r for r in reports if reading.reference is not None and r.period <= reading.reference]
    return latest[-1].spent_to_date if latest else None


@dataclass
class QuarterReports:
    """A quarter's reports due: handed in by the due date, after it, or not at all."""

    quarter: Quarter
    on_time: int
    late: int
    missing: int

    @property
    def due(self) -> int:
        return self.on_time + self.late + self.missing


@dataclass
class PoolFigures:
    """Sums over a pool's projects; `add` may be called chunk by chunk."""

    projects: int = 0
    granted: Decimal = Decimal(0)
    spent: Decimal = Decimal(0)
    risks: Counter[str | None] = field(default_factory=Counter)
    goal_statuses: Counter[str | None] = field(default_factory=Counter)
    timeliness: dict[Quarter, Timeliness] = field(default_factory=dict)
    # What other apps know of the same grants (the money paid out), between granted and spent.
    money: list[MoneyFigure] = field(default_factory=list)

    def add(self, readings: Iterable[ProjectReading], as_of: datetime.date) -> None:
        readings = list(readings)
        for reading in readings:
            self.projects += 1
            self.granted += reading.grant.amount
            self.spent += spent_of(reading) or 0
            self.risks[reading.risk] += 1
            self.goal_statuses.update(goal.status for goal in reading.goals)
        for row in completeness_by_quarter([reading.grant for reading in readings], as_of):
            total = self.timeliness.setdefault(row.quarter, Timeliness(row.quarter))
            total.expected += row.expected
            total.submitted += row.submitted
            total.on_time += row.on_time

    def add_money(self, grants: QuerySet[Grant]) -> None:
        """The other apps' figures of `grants` (every grant the figures speak of, as a queryset)."""
        self.money = pool_money(grants)

    @property
    def statuses(self) -> list[tuple[str | None, int]]:
        return [(status, self.goal_statuses.get(status, 0)) for status in STATUS_ORDER]

    @property
    def quarters(self) -> list[QuarterReports]:
        return [
            QuarterReports(
                quarter,
                on_time=row.on_time,
                late=row.submitted - row.on_time,
                missing=row.expected - row.submitted,
            )
            for quarter, row in sorted(self.timeliness.items())
        ]


def pool_figures(readings: Iterable[ProjectReading], grants: QuerySet[Grant], as_of: datetime.date) -> PoolFigures:
    figures = PoolFigures()
    figures.add(readings, as_of)
    figures.add_money(grants)
    return figures


def row_figures(rows: list[PoolRow], as_of: datetime.date) -> PoolFigures:
    """`pool_figures` of the projects' stored summaries as values (`pool_summary.PoolRow`, the
    dashboard's): the money spent and the goals' statuses from the summaries, the reports per
    quarter from their stored reporting calendars (`pool_summary.timeliness_of`), the money other apps
    know from the columns read with the rows."""
    from .pool_summary import status_counts, timeliness_of  # it reads progress, as this module does

    figures = PoolFigures(
        projects=len(rows),
        granted=sum((row.amount for row in rows), Decimal(0)),
        spent=sum((row.spent for row in rows if row.spent is not None), Decimal(0)),
        risks=Counter(row.risk for row in rows),
        goal_statuses=status_counts(rows),
    )
    figures.timeliness = {counts.quarter: counts for counts in timeliness_of(rows, as_of)}
    figures.money = money_of([(row.amount, row.state, row.columns) for row in rows])
    return figures


def merged(parts: Iterable[PoolFigures]) -> PoolFigures:
    """The figures of several sets of projects together, each counted apart (`row_figures` of
    each stage's rows: the pool's kept figures count every row once, not once for the pool and
    again for its stage). Every figure is a sum, the other apps' money too (`PoolMoney`)."""
    total = PoolFigures()
    money: dict[str, MoneyFigure] = {}
    for part in parts:
        total.projects += part.projects
        total.granted += part.granted
        total.spent += part.spent
        total.risks.update(part.risks)
        total.goal_statuses.update(part.goal_statuses)
        for quarter, counts in part.timeliness.items():
            into = total.timeliness.setdefault(quarter, Timeliness(quarter))
            into.expected += counts.expected
            into.submitted += counts.submitted
            into.on_time += counts.on_time
        for figure in part.money:
            known = money.get(figure.key)
            money[figure.key] = figure if known is None else replace(known, amount=known.amount + figure.amount)
    total.money = list(money.values())
    return total
