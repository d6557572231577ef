"""A goal's chart over the quarters, drawn as plain SVG: the target as a line across, the values
expected quarter by quarter (a rising line for a cumulative count; none for a level held at its
target from the first quarter, whose target line is what is expected, and its ramp-up only
while it lasts), and the actuals handed in. The geometry is computed here and the
template only writes the elements, so that no JavaScript is needed and the same numbers can be
given to screen readers as a table."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from core.forms import show_number

from ..progress import GoalReading

WIDTH = 640
HEIGHT = 292
# Room for the y labels at the larger size a phone gets (puljeflow.css) and two lines of x labels.
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 36, 56
TICKS = 4
# At most this many quarters are named under the axis: a label ("3. kvt." over "2026") is about
# 50 units wide at 12 units, and the plot is 560 units wide. On a phone the labels are drawn larger
# and every other one (`minor`) is left out, so they never overlap.
MAX_X_LABELS = 8


@dataclass
class Dot:
    x: float
    y: float
    label: str


@dataclass
class Tick:
    at: float  # the x or y coordinate
    label: str
    minor: bool = False  # left out on a narrow screen

    @property
    def lines(self) -> list[str]:
        """A quarter's label on two lines, the quarter over the year ("3. kvt." / "2026")."""
        head, _space, year = self.label.rpartition(" ")
        return [head, year] if head and year.isdigit() else [self.label]


@dataclass
class Row:
    """One quarter as the data table under the chart shows it."""

    quarter: str
    expected: str
    actual: str


@dataclass
class Chart:
    key: str  # unique on the page: the ids of its title and description
    title: str
    summary: str
    unit: str
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    top: int = TOP
    bottom_edge: int = HEIGHT - BOTTOM
    target_y: float = 0.0
    target_label: str = ""
    expected_points: str = ""
    actual_points: str = ""
    actual_dots: list[Dot] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)


def _nice_step(span: float) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) that covers `span` in TICKS steps."""
    raw = span / TICKS if span > 0 else 1.0
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude  # pragma: no cover - the loop ends at 10


def labelled_quarters(count: int) -> list[int]:
    """The quarters named under the axis: evenly spaced, at most MAX_X_LABELS, the last one among
    them (in the place of its neighbour, so that no two labels come closer than the others)."""
    if count == 0:
        return []
    every = math.ceil(count / MAX_X_LABELS)
    indices = list(range(0, count, every))
    if indices[-1] != count - 1:
        indices[-1] = count - 1
    return indices


def _points(dots: list[Dot]) -> str:
    return " ".join(f"{dot.x:.1f},{dot.y:.1f}" for dot in dots)


def _unit(reading: GoalReading) -> str:
    if reading.goal.is_share:
        return "%"
    return reading.goal.unit


def _with_unit(value: Decimal | None, unit: str) -> str:
    if value is None:
        return "–"
    return f"{show_number(value)} {unit}".strip()


def goal_chart(reading: GoalReading) -> Chart:
    goal = reading.goal
    unit = _unit(reading)
    series = reading.series
    values = [goal.target_value, *(p.expected for p in series if p.expected is not None)]
    values += [p.actual for p in series if p.actual is not None]
    top_value = float(max(values, default=Decimal(0)))
    step = _nice_step(top_value)
    y_max = step * max(TICKS, math.ceil(top_value / step)) if top_value > 0 else TICKS * step
    count = max(len(series), 1)
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM

    def x(index: int) -> float:
        return LEFT + plot_width * (index + 0.5) / count

    def y(value: Decimal | float) -> float:
        return TOP + plot_height * (1 - float(value) / y_max)

    planned = [(i, p.expected) for i, p in enumerate(series) if p.expected is not None]
    if goal.is_level:
        # A level is expected at its target: the target line says it; only a ramp-up is drawn.
        planned = [(i, value) for i, value in planned if value != goal.target_value]
        ramp_end = next((i for i, p in enumerate(series) if p.expected == goal.target_value), None)
        if planned and ramp_end is not None:
            planned.append((ramp_end, goal.target_value))
    expected = [Dot(x(i), y(value), show_number(value)) for i, value in planned]
    actual = [Dot(x(i), y(p.actual), show_number(p.actual)) for i, p in enumerate(series) if p.actual is not None]
    x_ticks = [Tick(x(i), str(series[i].quarter)) for i in labelled_quarters(len(series))]
    for j, tick in enumerate(x_ticks):
        tick.minor = (len(x_ticks) - 1 - j) % 2 == 1  # the last quarter is always named
    ticks = round(y_max / step)
    y_ticks = [Tick(y(step * i), show_number(Decimal(str(step * i)))) for i in range(ticks + 1)]

    if reading.actual is None:
        summary = _("Target %(target)s. Nothing has been reported yet.") % {
            "target": _with_unit(goal.target_value, unit)
        }
    elif goal.is_level:
        summary = _("Target %(target)s, held at a point in time; expected by now %(expected)s; latest %(actual)s.") % {
            "target": _with_unit(goal.target_value, unit),
            "expected": _with_unit(reading.expected_by_now, unit),
            "actual": _with_unit(reading.actual, unit),
        }
    else:
        summary = _("Target %(target)s; expected by now %(expected)s; reached %(actual)s.") % {
            "target": _with_unit(goal.target_value, unit),
            "expected": _with_unit(reading.expected_by_now, unit),
            "actual": _with_unit(reading.actual, unit),
        }
    return Chart(
        key=f"chart-goal-{goal.pk}",
        title=_("%(goal)s over the quarters") % {"goal": goal.title},
        summary=summary,
        unit=unit,
        target_y=y(goal.target_value),
        target_label=_("Target %(value)s") % {"value": _with_unit(goal.target_value, unit)},
        expected_points=_points(expected),
        actual_points=_points(actual),
        actual_dots=actual,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        rows=[
            Row(
                str(p.quarter),
                _with_unit(p.expected, unit),
                _with_unit(p.actual, unit) if p.actual is not None else "–",
            )
            for p in series
        ],
    )
