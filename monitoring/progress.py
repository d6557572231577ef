"""What monitoring computes from the milestones and the handed-in reports; nothing here is
stored by hand. Per goal: actual, percent of target, expected by now, status and forecast (a
cumulative count) or trend (a level); per project: a risk rating; per pool and quarter:
completeness and timeliness.

Two kinds of goal (`Goal.cumulative`):

- *cumulative*: a count added up over the period (35 women into work). Expected on a straight
  line from the baseline at the start to the target at the end; on track at ≥ 90 % of what is
  expected by now (settings.MONITORING); a forecast date at the current pace.
- *level*: a share, an average or people at a time, held at a point in time (70 % attendance).
  Expected at its target from its ramp-up point on (the first quarter, or after a planned ramp
  from the baseline over the first `ramp_quarters`); its latest value is judged against that:
  on track at ≥ 100 %, at risk at ≥ 90 %, else off track; it has a trend, never a date.

Everything works on prefetched rows (see `monitoring_queryset`), so that a dashboard of 300
projects costs the same number of queries as one of 10.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from django.conf import settings
from django.db.models import Model, Prefetch, QuerySet, prefetch_related_objects
from django.utils import timezone

from applications.models import ENDED_STATES, Goal, Grant

from .extensions import owed_days_late
from .models import (
    COUNTING_STATES,
    ExpectedValue,
    GoalProgress,
    GoalStatus,
    Milestone,
    Outcome,
    OutcomePoint,
    QuarterlyReport,
    RiskLevel,
    Trend,
)
from .quarters import Quarter, quarters_between

HUNDRED = Decimal(100)
# Beyond this a forecast says nothing a person could plan with: "not at this pace".
FORECAST_HORIZON_DAYS = 365 * 50


def _setting(name: str) -> Any:
    return settings.MONITORING[name]


def _round(value: Decimal, places: str = "0.01") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def monitoring_lookups(*, outcomes: bool = True) -> list[Prefetch]:
    """What the computations read of a grant, as prefetches (`monitoring_queryset`)."""
    reports = QuarterlyReport.objects.order_by("year", "quarter").prefetch_related(
        Prefetch("progress", queryset=GoalProgress.objects.order_by("goal_id")), *(["outcomes"] if outcomes else [])
    )
    return [
        Prefetch("application__goals", queryset=Goal.objects.select_related("target_group").order_by("id")),
        Prefetch(
            "milestones",
            queryset=Milestone.objects.order_by("year", "quarter").prefetch_related(
                Prefetch("expected", queryset=ExpectedValue.objects.order_by("goal_id"))
            ),
        ),
        Prefetch("reports", queryset=reports),
    ]


def monitoring_queryset(grants: QuerySet[Grant]) -> QuerySet[Grant]:
    """The grants with all that the computations read, in a fixed number of queries. Each
    report is read once, with its figures; `counting_reports` picks those that count."""
    return grants.select_related("application__lead_municipality", "application__pool").prefetch_related(
        *monitoring_lookups()
    )


class ExpectedFigure(NamedTuple):
    """What read_project reads of an `ExpectedValue` (see `prefetch_flat`)."""

    goal_id: int
    value: Decimal


class ReportedFigure(NamedTuple):
    """What read_project reads of a `GoalProgress` (see `prefetch_flat`)."""

    goal_id: int
    value: Decimal | None
    numerator: int | None
    denominator: int | None


# A report's figure for a goal, as a row of its own or as prefetch_flat reads it.
Reported = GoalProgress | ReportedFigure


class OutcomeFigure(NamedTuple):
    """What read_outcomes reads of an `Outcome` (see `prefetch_flat`)."""

    point: str
    participants: int
    employed: int


def prefetch_flat(grants: Sequence[Grant], *, outcomes: bool = False) -> None:
    """What `monitoring_queryset` reads, the outcomes only if asked (else read_project finds
    none), for grants already read with the application: the same rows in the same order, in as
    many queries, for read_project alone.

    The milestones' expected values and the reports' figures are read in one plain query each
    and handed out in Python: Django's nested prefetching builds a queryset per milestone and
    per report, which was a quarter of the portfolio report's time and of the project page's
    reading, and a model per row. So `milestone.expected.all()`, `report.progress.all()` and
    `report.outcomes.all()` give lists of `ExpectedFigure`, `ReportedFigure` and
    `OutcomeFigure`, the fields read_project reads, not models: nothing else may ask them."""
    prefetch_related_objects(
        list(grants),
        Prefetch("application__goals", queryset=Goal.objects.select_related("target_group").order_by("id")),
        Prefetch("milestones", queryset=Milestone.objects.order_by("year", "quarter")),
        Prefetch("reports", queryset=QuarterlyReport.objects.order_by("year", "quarter")),
    )
    milestones = [milestone for grant in grants for milestone in grant.milestones.all()]
    reports = [report for grant in grants for report in grant.reports.all()]
    expected: defaultdict[int, list[ExpectedFigure]] = defaultdict(list)
    if milestones:
        for milestone_id, *figure in (
            ExpectedValue.objects.filter(milestone_id__in=[m.pk for m in milestones])
            .order_by("milestone_id", "goal_id")
            .values_list("milestone_id", "goal_id", "value")
        ):
            expected[milestone_id].append(ExpectedFigure(*figure))
    reported: defaultdict[int, list[ReportedFigure]] = defaultdict(list)
    if reports:
        for report_id, *figure in (
            GoalProgress.objects.filter(report_id__in=[r.pk for r in reports])
            .order_by("report_id", "goal_id")
            .values_list("report_id", "goal_id", "value", "numerator", "denominator")
        ):
            reported[report_id].append(ReportedFigure(*figure))
    outcome_rows: defaultdict[int, list[OutcomeFigure]] = defaultdict(list)
    if outcomes and reports:
        for report_id, *figure in (
            Outcome.objects.filter(report_id__in=[r.pk for r in reports])
            .order_by("report_id", "point")
            .values_list("report_id", "point", "participants", "employed")
        ):
            outcome_rows[report_id].append(OutcomeFigure(*figure))
    for milestone in milestones:
        _prefetched(milestone)["expected"] = expected.get(milestone.pk, [])
    no_outcomes = Outcome.objects.none()
    for report in reports:
        cache = _prefetched(report)
        cache["progress"] = reported.get(report.pk, [])
        cache["outcomes"] = outcome_rows.get(report.pk, []) if outcomes else no_outcomes


def _prefetched(row: Model) -> dict[str, Any]:
    """The row's prefetched relations, which `row.<relation>.all()` gives without a query."""
    return row.__dict__.setdefault("_prefetched_objects_cache", {})


def counting_reports(grant: Grant) -> list[QuarterlyReport]:
    """The grant's reports whose figures count (handed in, not back in draft), oldest first,
    from its prefetched reports; a caller may narrow them by setting `grant.counting_reports`."""
    cached = grant.__dict__.get("counting_reports")
    if cached is None:
        cached = [r for r in grant.reports.all() if r.state in COUNTING_STATES]
        grant.counting_reports = cached  # type: ignore[attr-defined]
    return cached


# Expected values --------------------------------------------------------------------------------


def linear_expected(goal: Goal, index: int, count: int) -> Decimal:
    """A cumulative goal's value expected after quarter `index` (1-based) of `count`: a straight
    line from the baseline (or 0) at the start to the target at the end."""
    start = goal.baseline or Decimal(0)
    return _round(start + (goal.target_value - start) * Decimal(index) / Decimal(count))


def level_expected(goal: Goal, index: int) -> Decimal:
    """A level goal's value expected in quarter `index` (1-based): its target from the first
    quarter, or, with a ramp-up of N quarters, a straight line from the baseline (or 0) that
    reaches the target in quarter N and holds it."""
    ramp = goal.ramp_quarters or 0
    if index >= ramp:
        return _round(goal.target_value)
    start = goal.baseline or Decimal(0)
    return _round(start + (goal.target_value - start) * Decimal(index) / Decimal(ramp))


def expected_value(goal: Goal, index: int, count: int) -> Decimal:
    """The value expected of a goal after quarter `index` of `count`, by its kind."""
    return level_expected(goal, index) if goal.is_level else linear_expected(goal, index, count)


def default_milestones(grant: Grant, goals: Iterable[Goal]) -> list[tuple[Quarter, datetime.date, dict[int, Decimal]]]:
    """Each quarter of the grant's period with its report due date and the expected values."""
    quarters = quarters_between(grant.start_date, grant.end_date)
    delay = datetime.timedelta(days=grant.application.pool.reporting_delay_days)
    goals = list(goals)
    return [
        (quarter, quarter.end + delay, {goal.pk: expected_value(goal, i, len(quarters)) for goal in goals})
        for i, quarter in enumerate(quarters, start=1)
    ]


# Per goal ----------------------------------------------------------------------------------------


@dataclass
class Point:
    """One quarter of a goal's chart."""

    quarter: Quarter
    expected: Decimal | None
    actual: Decimal | None


@dataclass
class GoalReading:
    goal: Goal
    actual: Decimal | None
    percent_of_target: Decimal | None
    expected_by_now: Decimal | None
    status: str | None
    forecast_date: datetime.date | None  # a cumulative goal's; never a level's
    reached: bool
    series: list[Point] = field(default_factory=list)
    trend: str | None = None  # a level goal's Trend over its last reports; never a cumulative's
    numerator: int | None = None  # a share's n of N, as the latest report gave it
    denominator: int | None = None

    @property
    def kind(self) -> str:
        """``cumulative`` or ``level``."""
        return self.goal.measure

    @property
    def level(self) -> bool:
        return self.goal.is_level


def status_for(actual: Decimal | None, expected: Decimal | None, *, level: bool = False) -> str | None:
    """A cumulative goal: on_track at ≥ 90 % of the value expected by now, at_risk at ≥ 70 %, else
    off_track. A level goal: on_track at ≥ 100 % of the level expected by now (its target once
    any ramp-up is over), at_risk at ≥ 90 %, else off_track. The thresholds are settings."""
    if actual is None or expected is None:
        return None
    if expected <= 0:
        return GoalStatus.ON_TRACK
    ratio = actual / expected
    on_track, at_risk = ("LEVEL_ON_TRACK_AT", "LEVEL_AT_RISK_AT") if level else ("ON_TRACK_AT", "AT_RISK_AT")
    if ratio >= Decimal(str(_setting(on_track))):
        return GoalStatus.ON_TRACK
    if ratio >= Decimal(str(_setting(at_risk))):
        return GoalStatus.AT_RISK
    return GoalStatus.OFF_TRACK


def trend_of(values: list[Decimal], target: Decimal) -> str | None:
    """Rising, falling or flat: the latest of the last reports' values against the first of them
    (settings TREND_REPORTS); a change within TREND_FLAT_WITHIN of the target is flat. None
    with fewer than two values."""
    recent = values[-int(_setting("TREND_REPORTS")) :]
    if len(recent) < 2:
        return None
    change = recent[-1] - recent[0]
    if abs(change) <= target * Decimal(str(_setting("TREND_FLAT_WITHIN"))):
        return Trend.FLAT
    return Trend.RISING if change > 0 else Trend.FALLING


def forecast(
    goal: Goal, start: datetime.date, start_value: Decimal, at: datetime.date, actual: Decimal
) -> datetime.date | None:
    """When the target is met if the pace from the start to `at` goes on; None when it will not be."""
    if actual >= goal.target_value:
        return at
    days = (at - start).days + 1
    gained = actual - start_value
    if days <= 0 or gained <= 0:
        return None
    needed = (goal.target_value - actual) * Decimal(days) / gained
    if needed > FORECAST_HORIZON_DAYS:
        return None
    return at + datetime.timedelta(days=int(needed.to_integral_value(rounding=ROUND_HALF_UP)))


def read_goal(
    goal: Goal,
    grant: Grant,
    quarters: list[Quarter],
    expected: dict[Quarter, Decimal],
    reported: dict[Quarter, Reported],
    reference: Quarter | None,
) -> GoalReading:
    """A goal's figures as of the reference quarter (the latest reported one).

    The actual is the latest value reported up to the reference quarter: a cumulative goal's
    total so far, a level goal's latest level. In the chart a cumulative goal carries its total
    forward; a level shows only the quarters it was measured in. `reported` holds the rows with
    a value (a cohort still empty has none).
    """
    series: list[Point] = []
    latest: Decimal | None = None
    for quarter in quarters:
        row = reported.get(quarter)
        value = row.value if row is not None else None
        if value is not None:
            latest = value
        shown = (latest if goal.cumulative else value) if reference is not None and quarter <= reference else None
        series.append(Point(quarter=quarter, expected=expected.get(quarter), actual=shown))

    rows = [row for quarter, row in sorted(reported.items()) if reference is not None and quarter <= reference]
    last = rows[-1] if rows else None
    actual = last.value if last is not None else None
    expected_now = expected.get(reference) if reference is not None else None
    if expected_now is None and goal.is_level and reference is not None and reference in quarters:
        # A milestone without the goal's value (a goal added since): the level plan still holds.
        expected_now = level_expected(goal, quarters.index(reference) + 1)
    percent = _round(actual / goal.target_value * HUNDRED, "0.1") if actual is not None and goal.target_value else None
    reached = actual is not None and actual >= goal.target_value
    if goal.is_level:
        # A level is held or not at the latest report; it has a direction, never a date.
        return GoalReading(
            goal=goal,
            actual=actual,
            percent_of_target=percent,
            expected_by_now=expected_now,
            status=status_for(actual, expected_now, level=True),
            forecast_date=None,
            reached=reached,
            series=series,
            trend=trend_of([row.value for row in rows], goal.target_value),
            numerator=last.numerator if last is not None else None,
            denominator=last.denominator if last is not None else None,
        )
    when = None
    if actual is not None and reference is not None:
        first_reached = next(
            (point.quarter for point in series if point.actual is not None and point.actual >= goal.target_value), None
        )
        if first_reached is not None:
            when = first_reached.end
        else:
            when = forecast(goal, grant.start_date, goal.baseline or Decimal(0), reference.end, actual)
    return GoalReading(
        goal=goal,
        actual=actual,
        percent_of_target=percent,
        expected_by_now=expected_now,
        status=status_for(actual, expected_now),
        forecast_date=when,
        reached=reached,
        series=series,
    )


# Per project -------------------------------------------------------------------------------------


@dataclass
class Signal:
    level: str | None  # a RiskLevel, or None when there is nothing to judge yet
    value: Decimal | int | None


@dataclass
class OutcomeReading:
    """How many were in ordinary work at a point after the project, from the latest report giving it."""

    point: str
    participants: int
    employed: int

    @property
    def share(self) -> Decimal | None:
        return _round(Decimal(self.employed) / self.participants * HUNDRED, "0.1") if self.participants else None


def read_outcomes(reports: Iterable[QuarterlyReport]) -> list[OutcomeReading]:
    """The outcomes at project end, 3 and 12 months after; a later report's figure replaces an earlier one."""
    latest: dict[str, OutcomeReading] = {}
    for report in reports:
        for outcome in report.outcomes.all():
            latest[outcome.point] = OutcomeReading(outcome.point, outcome.participants, outcome.employed)
    return [latest[point] for point in OutcomePoint.values if point in latest]


@dataclass
class ProjectReading:
    grant: Grant
    as_of: datetime.date
    reference: Quarter | None
    goals: list[GoalReading]
    reporting: Signal
    budget: Signal
    performance: Signal
    late: list[Milestone]
    outcomes: list[OutcomeReading] = field(default_factory=list)

    @property
    def risk(self) -> str | None:
        return highest(s.level for s in (self.reporting, self.budget, self.performance))

    @property
    def figures_as_of(self) -> datetime.date | None:
        return self.reference.end if self.reference else None


RISK_ORDER = [RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH]


def highest(levels: Iterable[str | None]) -> str | None:
    """A project's risk: the highest of its signals' levels; None when none can be judged."""
    judged = [level for level in levels if level]
    return max(judged, key=RISK_ORDER.index) if judged else None


def reporting_level(days_late: int) -> str:
    return _level(days_late, _setting("LATE_DAYS_MEDIUM"), _setting("LATE_DAYS_HIGH"))


def _level(value: Decimal | int, medium_from: Any, high_from: Any) -> str:
    if value >= high_from:
        return RiskLevel.HIGH
    if value >= medium_from:
        return RiskLevel.MEDIUM
    return RiskLevel.LOW


def handed_in(report: QuarterlyReport | None) -> bool:
    return report is not None and report.is_handed_in


def late_milestones(grant: Grant, as_of: datetime.date) -> list[Milestone]:
    """Milestones whose report is due before `as_of` and has not been handed in, of a grant that
    still owes its reports (a lapsed, revoked or closed grant owes none)."""
    if grant.state in ENDED_STATES:
        return []
    by_quarter = {report.period: report for report in grant.reports.all()}
    return [
        milestone
        for milestone in grant.milestones.all()
        if milestone.report_due_on < as_of and not handed_in(by_quarter.get(milestone.period))
    ]


def days_late(late: list[Milestone], as_of: datetime.date, owed_days: int = 0) -> int:
    """The reporting signal's value: the days the longest overdue of the late milestones' reports,
    or of what else the grant owes (`owed_days`), is late."""
    return max([owed_days, *((as_of - milestone.report_due_on).days for milestone in late)])


def reporting_signal(has_milestones: bool, late: list[Milestone], today: datetime.date, owed_days: int = 0) -> Signal:
    """The reporting risk from the late milestones and what else the grant owes late
    (`extensions.owed_days_late`: the final report and accounts after the end)."""
    days = days_late(late, today, owed_days)
    return Signal(reporting_risk(has_milestones, days), days)


def reporting_risk(has_milestones: bool, days_late: int) -> str | None:
    return reporting_level(days_late) if has_milestones else None


def read_project(grant: Grant, as_of: datetime.date | None = None, owed_days: int | None = None) -> ProjectReading:
    """Every figure of a project as of a day; `grant` comes from `monitoring_queryset`. The
    reporting risk counts what else the grant owes late (`owed_days`, asked of the apps that know
    when not given: the final report and accounts after the end)."""
    as_of = as_of or timezone.localdate()
    quarters = quarters_between(grant.start_date, grant.end_date)
    counting = [report for report in counting_reports(grant) if report.period.start <= as_of]
    reference = counting[-1].period if counting else None

    expected_by_goal: dict[int, dict[Quarter, Decimal]] = {}
    for milestone in grant.milestones.all():
        for value in milestone.expected.all():
            expected_by_goal.setdefault(value.goal_id, {})[milestone.period] = value.value
    reported_by_goal: dict[int, dict[Quarter, Reported]] = {}
    for report in counting:
        for progress in report.progress.all():
            if progress.value is not None:
                reported_by_goal.setdefault(progress.goal_id, {})[report.period] = progress

    goals = [
        read_goal(
            goal,
            grant,
            quarters,
            expected_by_goal.get(goal.pk, {}),
            reported_by_goal.get(goal.pk, {}),
            reference,
        )
        for goal in grant.application.goals.all()
    ]

    late = late_milestones(grant, as_of)
    if owed_days is None:
        owed_days = owed_days_late(Grant.objects.filter(pk=grant.pk), as_of).get(grant.pk, 0)
    reporting = reporting_signal(bool(grant.milestones.all()), late, as_of, owed_days)

    budget = Signal(None, None)
    spent = counting[-1].spent_to_date if counting else None
    if spent is not None and reference is not None:
        total_days = (grant.end_date - grant.start_date).days + 1
        elapsed = min((reference.end - grant.start_date).days + 1, total_days)
        plan = grant.amount * Decimal(elapsed) / Decimal(total_days)
        if plan > 0:
            deviation = abs(spent / plan - 1) * HUNDRED
            budget = Signal(
                _level(deviation, _setting("BUDGET_DEVIATION_MEDIUM"), _setting("BUDGET_DEVIATION_HIGH")),
                _round(spent / plan * HUNDRED, "0.1"),
            )

    judged = [reading for reading in goals if reading.status is not None]
    performance = Signal(None, None)
    if judged:
        share = _round(
            Decimal(sum(1 for r in judged if r.status == GoalStatus.ON_TRACK)) / Decimal(len(judged)) * HUNDRED, "0.1"
        )
        if share >= _setting("ON_TRACK_SHARE_LOW"):
            level = RiskLevel.LOW
        elif share >= _setting("ON_TRACK_SHARE_MEDIUM"):
            level = RiskLevel.MEDIUM
        else:
            level = RiskLevel.HIGH
        performance = Signal(level, share)
    return ProjectReading(
        grant=grant,
        as_of=as_of,
        reference=reference,
        goals=goals,
        reporting=reporting,
        budget=budget,
        performance=performance,
        late=late,
        outcomes=read_outcomes(counting),
    )


# Per pool ----------------------------------------------------------------------------------------


@dataclass
class Timeliness:
    quarter: Quarter
    expected: int = 0
    submitted: int = 0
    on_time: int = 0

    @property
    def completeness(self) -> Decimal | None:
        return _round(Decimal(self.submitted) / self.expected * HUNDRED, "0.1") if self.expected else None

    @property
    def timeliness(self) -> Decimal | None:
        return _round(Decimal(self.on_time) / self.expected * HUNDRED, "0.1") if self.expected else None


def completeness_by_quarter(grants: Iterable[Grant], as_of: datetime.date) -> list[Timeliness]:
    """Per quarter: reports expected (due by `as_of`), submitted, and submitted by the due date."""
    rows: dict[Quarter, Timeliness] = {}
    for grant in grants:
        by_quarter = {report.period: report for report in grant.reports.all()}
        for milestone in grant.milestones.all():
            if milestone.report_due_on > as_of:
                continue
            row = rows.setdefault(milestone.period, Timeliness(milestone.period))
            row.expected += 1
            report = by_quarter.get(milestone.period)
            if handed_in(report):
                row.submitted += 1
                if timezone.localdate(report.first_submitted_at) <= milestone.report_due_on:
                    row.on_time += 1
    return [rows[quarter] for quarter in sorted(rows)]
