"""The per-grant progress summary (`GrantProgress`): written from `progress.read_project` after
every change that moves a project's figures, read by the pool dashboard instead of every report.

Writing: the signals (signals.py) call `changed(grant_id)` when a report, milestone, expected
value, goal or grant is saved or deleted; the grant's row goes at once (inside the change's
transaction, so that a rollback keeps it) and is written anew after the commit, once per grant
however many rows the change touched. `rebuild` (`manage.py rebuild_progress`, the migration,
`seed_scale`) writes every grant's. Rows written by bulk paths that send no signals are simply
missing, and a missing or outdated row is computed on the spot (`current`): a page is never
wrong, only slower, until the next rebuild.

Reading: `current(grants, today)` gives each grant's row, stored or computed. What moves with
the calendar (late reports, the reporting risk, completeness) is counted on the day of asking:
by the pool dashboard from each row's reporting calendar (`pool_summary`), by the
lists of a page of projects and the portfolio report from the milestones (`late_milestones`,
`timeliness_by_quarter`)."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from applications.models import ENDED_STATES, Goal, Grant
from core.commit import once_after_commit

from .extensions import owed_days_late
from .models import KPI_FIELDS, GrantProgress, Milestone, Outcome
from .progress import (
    GoalReading,
    ProjectReading,
    Signal,
    Timeliness,
    counting_reports,
    monitoring_lookups,
    read_project,
    reporting_signal,
)
from .quarters import Quarter

LOOKUPS = monitoring_lookups(outcomes=False)
# What a page of grants reads of each to show it with its summary, and what a summary computed
# on the spot reads (not the application's texts, not the grant's conditions).
GRANT_FIELDS = (
    "amount",
    "start_date",
    "end_date",
    "state",
    "application__title",
    "application__journal_number",
    "application__pool_id",
    "application__lead_municipality__name",
)
CHUNK = 200  # grants read and written at a time by `rebuild`

# What a stored row's figures depend on besides the data: the code that writes them (FORMAT,
# raised whenever what a row holds changes) and the thresholds of settings.MONITORING that judge
# goals and signals. A row written under others holds no longer: it is computed on the spot, as a
# missing one, until `manage.py rebuild_progress` writes it anew (a page is never wrong, only slower).
# 2: each goal's forecast and whether it is reached (the portfolio report's pages);
# 3: the statuses and the calendar as text (`statuses_text`, `calendar_of`).
# A migration that writes every row anew does so for its format only, and the one of a new
# format (0016 for 3) writes them for all: raise FORMAT with such a migration.
FORMAT = 3
JUDGING = (
    "ON_TRACK_AT",
    "AT_RISK_AT",
    "LEVEL_ON_TRACK_AT",
    "LEVEL_AT_RISK_AT",
    "TREND_REPORTS",
    "TREND_FLAT_WITHIN",
    "BUDGET_DEVIATION_MEDIUM",
    "BUDGET_DEVIATION_HIGH",
    "ON_TRACK_SHARE_LOW",
    "ON_TRACK_SHARE_MEDIUM",
)


def version() -> str:
    """The version rows are written and read under (FORMAT and JUDGING)."""
    basis = repr((FORMAT, [(name, settings.MONITORING.get(name)) for name in JUDGING]))
    return hashlib.sha256(basis.encode()).hexdigest()[:16]


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _number(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _day(value: str | None) -> datetime.date | None:
    return None if value is None else datetime.date.fromisoformat(value)


def summarise(reading: ProjectReading) -> GrantProgress:
    """The stored form of a reading (unsaved)."""
    grant = reading.grant
    counting = counting_reports(grant)
    used = [r for r in counting if r.period.start <= reading.as_of]
    # A report already handed in for a quarter that has not begun counts from its first day.
    later = [r.period.start for r in counting if r.period.start > reading.as_of]
    report = used[-1] if used else None
    return GrantProgress(
        grant=grant,
        version=version(),
        as_of=reading.as_of,
        valid_until=min(later) if later else None,
        reference_year=reading.reference.year if reading.reference else None,
        reference_quarter=reading.reference.quarter if reading.reference else None,
        goals=[
            {
                "goal": goal.goal.pk,
                "actual": _text(goal.actual),
                "expected": _text(goal.expected_by_now),
                "percent": _text(goal.percent_of_target),
                "status": goal.status,
                "trend": goal.trend,
                "numerator": goal.numerator,
                "denominator": goal.denominator,
                # What the portfolio report's project pages show besides (`stored_readings`).
                "forecast": goal.forecast_date.isoformat() if goal.forecast_date else None,
                "reached": goal.reached,
            }
            for goal in reading.goals
        ],
        statuses=statuses_text([goal.status for goal in reading.goals]),
        budget_level=reading.budget.level or "",
        budget_value=reading.budget.value,
        performance_level=reading.performance.level or "",
        performance_value=reading.performance.value,
        spent=report.spent_to_date if report is not None else None,
        kpis={name: _text(getattr(report, name)) for name in KPI_FIELDS} if report is not None else {},
        calendar=calendar_of(grant),
    )


def calendar_of(grant: Grant) -> str:
    """`GrantProgress.calendar` from the grant's prefetched milestones and reports."""
    handed_in = {
        (report.year, report.quarter): timezone.localdate(report.first_submitted_at).isoformat()
        for report in grant.reports.all()
        if report.first_submitted_at is not None
    }
    return SEPARATOR.join(
        calendar_entry(
            milestone.year,
            milestone.quarter,
            milestone.report_due_on,
            handed_in.get((milestone.year, milestone.quarter)),
        )
        for milestone in grant.milestones.all()
    )


def calendar_entry(year: int, quarter: int, due: datetime.date, handed_in: str | None) -> str:
    """A report due as `GrantProgress.calendar` holds it: "2026-2 2026-07-30", and the date it was
    first handed in if it was: "2026-2 2026-07-30 2026-07-25". Of fixed width, so that the pages
    read its parts by position (`PERIOD`, `DUE`, `HANDED_IN`): splitting 9.600 entries of a pool
    twice a request was 18 ms."""
    entry = f"{year:04d}-{quarter} {due.isoformat()}"
    return f"{entry} {handed_in}" if handed_in else entry


# A calendar entry's parts (`calendar_entry`); HANDED_IN is "" for a report not handed in, whose
# entry is OPEN characters long.
PERIOD, DUE, HANDED_IN = slice(0, 6), slice(7, 17), slice(18, 28)
OPEN = 17
# Between the entries of a calendar and the statuses of a row; NO_STATUS is a goal without figures.
SEPARATOR, NO_STATUS = ",", "-"


def entries(calendar: str) -> list[str]:
    """A stored calendar's entries (`calendar_of`)."""
    return calendar.split(SEPARATOR) if calendar else []


def statuses_text(statuses: list[str | None]) -> str:
    """`GrantProgress.statuses` of the goals' statuses (GoalStatus codes, None without figures)."""
    return SEPARATOR.join(status or NO_STATUS for status in statuses)


def compute(grants: Iterable[Grant], as_of: datetime.date) -> list[GrantProgress]:
    """The rows of `grants` computed from their reports (unsaved), in a fixed number of queries:
    what `monitoring_queryset` reads, fetched for these grant objects, the outcomes left out
    (no summary holds them)."""
    grants = list(grants)
    prefetch_related_objects(grants, *LOOKUPS)
    for grant in grants:
        for report in grant.reports.all():
            report._prefetched_objects_cache["outcomes"] = Outcome.objects.none()
    # The reporting risk is not stored (it moves with the calendar): nothing owed is asked.
    return [summarise(read_project(grant, as_of, owed_days=0)) for grant in grants]


def refresh(grant_ids: Iterable[int], as_of: datetime.date | None = None) -> int:
    """Write the rows of these grants anew; a grant that no longer exists is skipped."""
    as_of = as_of or timezone.localdate()
    ids = sorted(set(grant_ids))
    written = 0
    for start in range(0, len(ids), CHUNK):
        part = ids[start : start + CHUNK]
        rows = compute(Grant.objects.filter(pk__in=part).select_related("application").order_by("pk"), as_of)
        with transaction.atomic():
            GrantProgress.objects.filter(grant_id__in=part).delete()
            GrantProgress.objects.bulk_create(rows)
        written += len(rows)
    return written


def rebuild(as_of: datetime.date | None = None) -> int:
    """Every grant's row written anew (after a change of the thresholds in settings.MONITORING,
    after data loaded without the services, or to start)."""
    GrantProgress.objects.exclude(grant__in=Grant.objects.all()).delete()
    return refresh(Grant.objects.values_list("pk", flat=True), as_of)


class _Refresh:
    """The after-commit refresh of one transaction: the grants its changes touched."""

    def __init__(self) -> None:
        self.ids: set[int] = set()

    def __call__(self) -> None:
        refresh(self.ids)


def changed(grant_id: int | None) -> None:
    """A change that may move the grant's figures: its row goes now and is written after the commit."""
    if grant_id is None:
        return
    GrantProgress.objects.filter(grant_id=grant_id).delete()
    # One refresh per transaction, however many of its rows changed.
    pending = once_after_commit(_Refresh)
    if pending is None:
        refresh([grant_id])
    else:
        pending.ids.add(grant_id)


def holds(today: datetime.date, prefix: str = "") -> Q:
    """A stored row that holds on `today`, written under today's `version` (its fields named from
    a grant with `prefix`)."""
    return Q(**{f"{prefix}version": version(), f"{prefix}as_of__lte": today}) & (
        Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gt": today})
    )


def _holding(grants: QuerySet[Grant], today: datetime.date) -> QuerySet[GrantProgress]:
    """The stored rows of `grants` that hold on `today`."""
    return GrantProgress.objects.filter(holds(today), grant__in=grants.values("pk"))


def current(grants: QuerySet[Grant], grants_read: list[Grant], today: datetime.date) -> dict[int, GrantProgress]:
    """Each grant's row as of `today` (`grants_read` are the objects of `grants`, with their
    applications): the stored one where it holds, else computed now (not stored: a page that
    reads does not write); a grant computed here keeps its goals read (`application.goals`)."""
    stored = {row.grant_id: row for row in _holding(grants, today).defer("computed_at")}
    missing = [grant for grant in grants_read if grant.pk not in stored]
    for row in compute(missing, today):
        stored[row.grant_id] = row
    return stored


# What moves with the calendar, read from the milestones -----------------------------------------


def overdue(grants: QuerySet[Grant], today: datetime.date) -> QuerySet[Milestone]:
    """The grants' milestones whose report was due before today and is not handed in (none of a
    grant that owes no more reports), as `progress.late_milestones` reads them one by one."""
    return (
        Milestone.objects.owed()
        .filter(grant__in=grants, report_due_on__lt=today)
        .exclude(grant__state__in=ENDED_STATES)
    )


def late_milestones(grants: QuerySet[Grant], today: datetime.date) -> dict[int, list[Milestone]]:
    """Per grant: its late milestones (`overdue`)."""
    late: dict[int, list[Milestone]] = {}
    rows = (
        overdue(grants, today)
        .only("grant_id", "year", "quarter", "report_due_on")
        .order_by("grant_id", "year", "quarter")
    )
    for milestone in rows:
        late.setdefault(milestone.grant_id, []).append(milestone)
    return late


def timeliness_by_quarter(grants: QuerySet[Grant], today: datetime.date) -> list[Timeliness]:
    """`progress.completeness_by_quarter` counted by the database: per quarter, the reports due
    by today, those handed in, and those handed in by their due date (a day in local time)."""
    rows = (
        Milestone.objects.filter(grant__in=grants, report_due_on__lte=today)
        .values("year", "quarter")
        .annotate(
            expected=Count("pk"),
            submitted=Count("pk", filter=Q(handed_in_at__isnull=False)),
            on_time=Count("pk", filter=Q(handed_in_at__date__lte=F("report_due_on"))),
        )
        .order_by("year", "quarter")
    )
    return [
        Timeliness(Quarter(row["year"], row["quarter"]), row["expected"], row["submitted"], row["on_time"])
        for row in rows
    ]


def goal_readings(row: GrantProgress, goals: list[Goal] | None) -> list[GoalReading]:
    """The row's goal readings; with the grant's goals (from the database) they are complete for
    a page, without them they carry the figures alone (enough to count statuses)."""
    by_id = {goal.pk: goal for goal in goals or []}
    readings = []
    for item in row.goals:
        goal = by_id.get(item["goal"])
        if goals is not None and goal is None:
            continue  # a goal deleted since
        readings.append(
            GoalReading(
                goal=goal,  # type: ignore[arg-type]
                actual=_number(item["actual"]),
                percent_of_target=_number(item["percent"]),
                expected_by_now=_number(item["expected"]),
                status=item["status"],
                forecast_date=_day(item.get("forecast")),
                reached=item.get("reached", False),
                trend=item["trend"],
                numerator=item["numerator"],
                denominator=item["denominator"],
            )
        )
    return readings


def reading_of(
    grant: Grant,
    row: GrantProgress,
    today: datetime.date,
    late: list[Milestone],
    has_milestones: bool,
    goals: list[Goal] | None = None,
    reporting: Signal | None = None,
    owed_days: int = 0,
) -> ProjectReading:
    """A `ProjectReading` from the stored row and today's lateness (`late` and `owed_days`, or the
    `reporting` signal where the late milestones themselves are not needed), as the dashboard shows it."""
    return ProjectReading(
        grant=grant,
        as_of=today,
        reference=row.reference,
        goals=goal_readings(row, goals),
        reporting=reporting or reporting_signal(has_milestones, late, today, owed_days),
        budget=Signal(row.budget_level or None, row.budget_value),
        performance=Signal(row.performance_level or None, row.performance_value),
        late=late,
    )


def stored_readings(
    grants: list[Grant], today: datetime.date, *, with_goals: bool = True
) -> list[tuple[ProjectReading, Decimal | None]]:
    """The readings of `grants` (read with their applications) in full, as the portfolio report's
    project pages show them, with the money spent to date: from their stored rows, each goal with
    its forecast, and today's late milestones and what else each owes late. Four queries for any
    number of grants and no report read: reading every report, goal figure and expected value of
    600 projects was a third of the report (issue 16). Without the goals themselves (the report's
    summary page, which counts their statuses), three. A row missing, outdated or of another
    `version` is computed now, as `current` does."""
    chosen = Grant.objects.filter(pk__in=[grant.pk for grant in grants])
    stored = current(chosen, grants, today)
    late = late_milestones(chosen, today)
    owed_days = owed_days_late(chosen, today)
    goals = goals_by_application([grant.application_id for grant in grants]) if with_goals else {}
    readings = []
    for grant in grants:
        row = stored[grant.pk]
        reading = reading_of(
            grant,
            row,
            today,
            late.get(grant.pk, []),
            bool(row.calendar),
            goals.get(grant.application_id, []) if with_goals else None,
            owed_days=owed_days.get(grant.pk, 0),
        )
        readings.append((reading, row.spent))
    return readings


def goals_by_application(application_ids: list[int]) -> dict[int, list[Goal]]:
    """The goals of these applications with their target groups, each application's in their
    order: one query."""
    goals: dict[int, list[Goal]] = {}
    for goal in Goal.objects.filter(application__in=application_ids).select_related("target_group").order_by("id"):
        goals.setdefault(goal.application_id, []).append(goal)
    return goals
