"""A pool's every project at once, as values (`PoolRow`): what the pool dashboard counts, charts
and pages, read from the stored progress summaries (`summary`) in one query with what other apps
know of each grant, and today's lateness counted from each summary's reporting calendar."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple, TypeVar

from django.db import models
from django.db.models import FilteredRelation, QuerySet

from applications.models import ENDED_STATES, Grant

from .extensions import money_columns, owed_columns, owed_days
from .models import GrantProgress
from .progress import Signal, Timeliness, highest, reporting_risk
from .quarters import Quarter
from .summary import DUE, GRANT_FIELDS, HANDED_IN, NO_STATUS, OPEN, PERIOD, SEPARATOR, compute, entries, holds

# What a page builds a summary from (`GrantProgress(**values)`): every field but the time of writing.
PROGRESS_FIELDS = tuple(f.attname for f in GrantProgress._meta.concrete_fields if f.name != "computed_at")
# What a whole pool's rows read: not the goals' figures nor the KPIs, which only a page shows
# (`complete`); decoding them for 600 projects was a tenth of the dashboard's time.
POOL_FIELDS = tuple(name for name in PROGRESS_FIELDS if name not in {"goals", "kpis"})
# The order of a pool's rows in the dashboard's tables (and of its late reports due the same day).
POOL_ORDER = ("application__lead_municipality__name", "application__title", "pk")
# What a row kept in the cache keeps of its summary (`KeptRow`): not the calendar, which the
# figures and late reports kept beside it have counted.
KEPT_FIELDS = tuple(name for name in POOL_FIELDS if name != "calendar")
# Its numbers and days kept as text, and read back by these.
_DECODE: dict[str, Any] = {
    f.attname: Decimal if isinstance(f, models.DecimalField) else datetime.date.fromisoformat
    for f in GrantProgress._meta.concrete_fields
    if f.attname in KEPT_FIELDS and isinstance(f, models.DecimalField | models.DateField)
}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value) if isinstance(value, Decimal) else value


@dataclass(slots=True)
class PoolRow:
    """One project as a whole pool's figures count it (the dashboard's risk counts, charts and
    pages): its summary as values, no model; 600 of them are read in one query (`pool_rows`)."""

    pk: int
    stage: str
    amount: Decimal
    state: str
    title: str  # the project's and its lead municipality's names, for its late reports
    municipality: str
    days_late: int = 0
    progress: dict[str, Any] = field(default_factory=dict)
    # Whether its summary's calendar names a quarter (`hold`): kept apart, as the pool's figures
    # keep no calendar once they are counted (`pool_snapshot`).
    has_milestones: bool = False
    # The values of the columns other apps add (`extensions.money_columns`, `owed_columns`).
    columns: dict[str, Any] = field(default_factory=dict)
    # Judged once the summary and the lateness are known (`judge`): the page counts the risks of
    # every row twice (its counts, its chart), 1.200 judgements of 600 rows.
    risk: str | None = None

    def hold(self, progress: dict[str, Any]) -> None:
        """Take `progress` (a summary's values, its calendar included) as the row's."""
        self.progress = progress
        self.has_milestones = bool(progress["calendar"])

    def judge(self) -> None:
        reporting = reporting_risk(self.has_milestones, self.days_late)
        self.risk = highest((reporting, self.progress["budget_level"], self.progress["performance_level"]))

    def kept(self) -> KeptRow:
        return KeptRow(
            self.pk,
            self.stage,
            str(self.amount),
            self.state,
            self.title,
            self.municipality,
            self.days_late,
            tuple(_plain(self.progress[name]) for name in KEPT_FIELDS),
            self.has_milestones,
            None if self.risk is None else str(self.risk),
        )

    @property
    def spent(self) -> Decimal | None:
        return self.progress["spent"]

    def summary(self) -> GrantProgress:
        """The row as a model, once `complete` has added what a page shows."""
        return GrantProgress(**self.progress)

    def reporting(self) -> Signal:
        return Signal(reporting_risk(self.has_milestones, self.days_late), self.days_late)

    def late_reports(self, today: datetime.date) -> list[LateReport]:
        """Its reports due before today and not handed in (none once the grant owes no more), as
        `overdue` finds them in the database."""
        if self.state in ENDED_STATES:
            return []
        before = today.isoformat()
        late = []
        for entry in entries(self.progress["calendar"]):
            if len(entry) == OPEN and entry[DUE] < before:
                due = datetime.date.fromisoformat(entry[DUE])
                late.append(
                    LateReport(self.pk, _quarter(entry[PERIOD]), due, (today - due).days, self.title, self.municipality)
                )
        return late


class KeptRow(NamedTuple):
    """A row as the pool's figures keep it in the cache (`pool_snapshot`) and the dashboard pages
    it: plain values, which 600 rows unpickle from in a tenth of the time of the rows with their
    Decimals and dates; a page makes rows (`row`) of the 25 it shows. Without the other apps'
    columns, which the figures kept beside them have counted."""

    pk: int
    stage: str
    amount: str
    state: str
    title: str
    municipality: str
    days_late: int
    progress: tuple[Any, ...]  # KEPT_FIELDS' values, numbers and days as text
    has_milestones: bool
    risk: str | None

    def row(self) -> PoolRow:
        progress = {
            name: value if value is None or (decode := _DECODE.get(name)) is None else decode(value)
            for name, value in zip(KEPT_FIELDS, self.progress, strict=True)
        }
        return PoolRow(
            self.pk,
            self.stage,
            Decimal(self.amount),
            self.state,
            self.title,
            self.municipality,
            self.days_late,
            progress,
            has_milestones=self.has_milestones,
            risk=self.risk,
        )


Row = TypeVar("Row", PoolRow, KeptRow)


def _quarter(period: str) -> Quarter:
    """The quarter of a calendar entry's "2026-2"."""
    year, quarter = period.split("-")
    return Quarter(int(year), int(quarter))


class LateReport(NamedTuple):
    """A report due and not handed in, with what a table shows of its project."""

    grant_id: int
    quarter: Quarter
    due: datetime.date
    days_late: int
    title: str
    municipality: str


def in_stage(rows: list[Row], late: list[LateReport], stage: str | None) -> tuple[list[Row], list[LateReport]]:
    """The rows of the projects in `stage` (None: all) and their late reports."""
    if stage is None:
        return rows, late
    rows = [row for row in rows if row.stage == stage]
    chosen = {row.pk for row in rows}
    return rows, [report for report in late if report.grant_id in chosen]


def timeliness_of(rows: Iterable[PoolRow], today: datetime.date) -> list[Timeliness]:
    """`timeliness_by_quarter` counted from the rows' stored calendars: per quarter, the reports
    due by today, those handed in, and those handed in by their due date."""
    by_period: dict[str, list[int]] = {}  # "2026-2": [expected, submitted, on time]
    until = today.isoformat()
    for row in rows:
        for entry in entries(row.progress["calendar"]):
            due_on = entry[DUE]
            if due_on > until:
                continue
            period = entry[PERIOD]
            counts = by_period.get(period)
            if counts is None:
                counts = by_period[period] = [0, 0, 0]
            counts[0] += 1
            if len(entry) > OPEN:
                counts[1] += 1
                if entry[HANDED_IN] <= due_on:
                    counts[2] += 1
    return [Timeliness(_quarter(period), *by_period[period]) for period in sorted(by_period)]


def status_counts(rows: Iterable[PoolRow]) -> Counter[str | None]:
    """How many goals of the rows are of each status (None: no figures yet)."""
    counts = Counter(entries(SEPARATOR.join(text for row in rows if (text := row.progress["statuses"]))))
    if NO_STATUS in counts:
        counts[None] = counts.pop(NO_STATUS)
    return counts


def _computed(grant_ids: list[int], today: datetime.date) -> dict[int, dict[str, Any]]:
    """The summaries of `grant_ids` computed now (none stored holds today), as values."""
    if not grant_ids:
        return {}
    read = Grant.objects.filter(pk__in=grant_ids).select_related("application__lead_municipality").only(*GRANT_FIELDS)
    return {row.grant_id: {name: getattr(row, name) for name in PROGRESS_FIELDS} for row in compute(read, today)}


class PoolRead(NamedTuple):
    rows: list[PoolRow]
    late: list[LateReport]
    all_stored: bool  # no summary was missing or outdated


def pool_rows(grants: QuerySet[Grant], today: datetime.date) -> PoolRead:
    """Every grant of `grants` (annotated with its `stage`, in the order wanted) with its stored
    summary, the money other apps know of it and today's lateness (its reports and what else it
    owes, `extensions.money_columns` and `owed_columns`), and their late reports (the longest
    overdue first, then in the grants' order). A grant whose summary is missing or outdated has it
    computed on the spot (not stored), as `current` does."""
    # The grants, their rows that hold and the other apps' columns in one query (a join and a
    # subquery per column): the money's and the owed lateness's own queries of the same grants
    # were a sixth of the dashboard's time at 600 projects.
    extra = {**money_columns(), **owed_columns(today)}
    read = grants.annotate(
        held=FilteredRelation("progress_summary", condition=holds(today, "progress_summary__")), **extra
    ).values_list(
        "pk",
        "stage",
        "amount",
        "state",
        "application__title",
        "application__lead_municipality__name",
        *extra,
        *(f"held__{name}" for name in POOL_FIELDS),
    )
    rows = []
    owed: list[int] = []
    stored: dict[int, dict[str, Any]] = {}
    held = 6 + len(extra)
    for values in read:
        columns = dict(zip(extra, values[6:held], strict=True))
        rows.append(PoolRow(*values[:6], columns=columns))
        owed.append(owed_days(columns, today))
        if values[held] is not None:
            stored[values[0]] = dict(zip(POOL_FIELDS, values[held:], strict=True))
    missing = [row.pk for row in rows if row.pk not in stored]
    stored.update(_computed(missing, today))
    late: list[tuple[int, LateReport]] = []
    for position, row in enumerate(rows):
        row.hold(stored[row.pk])
        days = owed[position]
        for report in row.late_reports(today):
            late.append((position, report))
            days = max(days, report.days_late)
        row.days_late = days
        row.judge()
    late.sort(key=lambda item: (item[1].due, item[0], item[1].quarter))
    return PoolRead(rows, [report for _position, report in late], not missing)


def complete(rows: list[PoolRow], today: datetime.date) -> None:
    """Add the goals' figures and the KPIs to the stored summaries of `rows` (a page): one query.
    A row rewritten since the rows were read (a report handed in meanwhile) is computed anew."""
    partial = {row.pk: row for row in rows if "goals" not in row.progress}
    if not partial:
        return
    for grant_id, goals, kpis in GrantProgress.objects.filter(holds(today), grant_id__in=partial).values_list(
        "grant_id", "goals", "kpis"
    ):
        partial.pop(grant_id).progress.update(goals=goals, kpis=kpis)
    for grant_id, progress in _computed(list(partial), today).items():
        partial[grant_id].hold(progress)
        partial[grant_id].judge()
