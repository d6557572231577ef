"""A pool's charts on its dashboard, drawn as plain SVG like a goal's chart (views/charts.py):
the goals of every project by status and the money granted, paid out and spent as bars across,
each bar's name and figure written above it; the reports due per quarter as stacked columns of
on time, late and missing. The geometry is computed here, the template only writes the
elements, and the same figures go to screen readers as a table.

Not colour alone: every bar is named with its figure, and the kinds are told apart by their
patterns too (solid, stripes, cross-hatching, outline). The colours are those of the goal
statuses, each at least 4.5:1 against white."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.forms import show_number
from core.money import format_dkk

from ..models import GoalStatus
from ..pool_figures import PoolFigures, QuarterReports
from .charts import HEIGHT, LEFT, RIGHT, TOP, WIDTH, Tick, _nice_step, labelled_quarters


@dataclass(frozen=True)
class Style:
    """How one kind of bar is drawn: its colour, and a pattern ("solid", "stripes", "hatch",
    "outline") so that the kinds differ without colour too."""

    name: str
    colour: str
    pattern: str = "solid"

    @property
    def patterned(self) -> bool:
        return self.pattern in ("stripes", "hatch")


GREEN, AMBER, RED, GREY, BLUE, DARK = "#1f7a3a", "#9a6700", "#b3261e", "#595959", "#0059b3", "#1a1a1a"
STATUS_STYLES = {
    GoalStatus.ON_TRACK: Style("on-track", GREEN),
    GoalStatus.AT_RISK: Style("at-risk", AMBER, "stripes"),
    GoalStatus.OFF_TRACK: Style("off-track", RED, "hatch"),
    None: Style("no-data", GREY, "outline"),
}
MONEY_STYLES = {
    "granted": Style("granted", BLUE),
    "paid": Style("paid", BLUE, "stripes"),
    "spent": Style("spent", DARK, "hatch"),
    "returned": Style("returned", GREEN, "outline"),
}
OTHER_MONEY = Style("other", GREY, "outline")
REPORT_STYLES = {
    "on_time": Style("on-time", GREEN),
    "late": Style("late", AMBER, "stripes"),
    "missing": Style("missing", RED, "hatch"),
}
NO_FIGURES = gettext_lazy("No figures yet")
REPORT_LABELS = {
    "on_time": gettext_lazy("Handed in on time"),
    "late": gettext_lazy("Handed in late"),
    "missing": gettext_lazy("Not handed in"),
}

# Bars across: the name and figure on a line of their own above each bar, so that no label
# meets another at any length, also at the larger size a phone gets (puljeflow.css).
BAR_PITCH = 60
BAR_LABEL = 22  # from the top of a row to the label's baseline
BAR_TOP = 30  # from the top of a row to the bar
BAR_HEIGHT = 22
BAR_LEFT = 16


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    style: Style
    label: str = ""
    label_y: float = 0.0


@dataclass
class Legend:
    style: Style
    label: str


@dataclass
class PoolChart:
    key: str
    title: str
    summary: str
    columns: list[str]
    rows: list[list[str]]  # the first cell of each is the row's heading
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    top: int = TOP
    bottom_edge: int = HEIGHT
    bars: list[Bar] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    legend: list[Legend] = field(default_factory=list)
    axes: bool = False

    @property
    def styles(self) -> list[Style]:
        """Each style once, for the patterns the SVG defines."""
        seen: dict[str, Style] = {}
        for item in [*(bar.style for bar in self.bars), *(entry.style for entry in self.legend)]:
            seen.setdefault(item.name, item)
        return list(seen.values())


def count_text(value: int) -> str:
    """Goals or reports, their thousands grouped: 1.234."""
    return formats.number_format(value, force_grouping=True)


def sentence(parts: list[str]) -> str:
    """Parts joined by semicolons and ended by one full stop (an amount ends in "kr." already)."""
    text = "; ".join(parts)
    return text if text.endswith(".") else text + "."


def across(key: str, title: str, summary: str, items: list[tuple[str, Decimal | int, str, Style]]) -> PoolChart:
    """Bars across, one per item (label, value, the value as text, style), longest = the width."""
    top_value = max((float(value) for _label, value, _text, _style in items), default=0.0)
    span = WIDTH - BAR_LEFT - RIGHT
    bars = []
    for index, (label, value, text, style) in enumerate(items):
        row = index * BAR_PITCH
        width = span * float(value) / top_value if top_value > 0 else 0.0
        bars.append(
            Bar(
                x=BAR_LEFT,
                y=row + BAR_TOP,
                width=max(width, 2.0) if value else 0.0,
                height=BAR_HEIGHT,
                style=style,
                label=f"{label}: {text}",
                label_y=row + BAR_LABEL,
            )
        )
    return PoolChart(
        key=key,
        title=title,
        summary=summary,
        columns=[],
        rows=[[label, text] for label, _value, text, _style in items],
        height=max(len(items), 1) * BAR_PITCH + 6,
        left=BAR_LEFT,
        bars=bars,
    )


def status_chart(figures: PoolFigures) -> PoolChart:
    items = [
        (str(GoalStatus(status).label) if status else str(NO_FIGURES), count, count_text(count), STATUS_STYLES[status])
        for status, count in figures.statuses
    ]
    total = sum(count for _status, count in figures.statuses)
    chart = across(
        "chart-pool-goals",
        _("Goals by status"),
        ngettext(
            "%(goals)s goals of %(projects)s project: ",
            "%(goals)s goals of %(projects)s projects: ",
            figures.projects,
        )
        % {"goals": count_text(total), "projects": count_text(figures.projects)}
        + sentence([f"{label} {text}" for label, _value, text, _style in items]),
        items,
    )
    chart.columns = [_("Status"), _("Goals")]
    return chart


def money_items(figures: PoolFigures) -> list[tuple[str, Decimal | int, str, Style]]:
    items = [(_("Granted"), figures.granted, format_dkk(figures.granted), MONEY_STYLES["granted"])]
    items += [
        (str(figure.label), figure.amount, format_dkk(figure.amount), MONEY_STYLES.get(figure.key, OTHER_MONEY))
        for figure in figures.money
    ]
    items.append((_("Spent (reported)"), figures.spent, format_dkk(figures.spent), MONEY_STYLES["spent"]))
    return items


def money_chart(figures: PoolFigures) -> PoolChart:
    items = money_items(figures)
    chart = across(
        "chart-pool-money",
        _("Money granted, paid out and spent"),
        _("Of every project in total: ") + sentence([f"{label} {text}" for label, _value, text, _style in items]),
        items,
    )
    chart.columns = [_("Money"), _("Amount")]
    return chart


def report_counts(row: QuarterReports) -> dict[str, int]:
    return {"on_time": row.on_time, "late": row.late, "missing": row.missing}


def completeness_chart(figures: PoolFigures) -> PoolChart:
    """A column per quarter of its reports due, stacked: on time at the foot, then late, missing."""
    quarters = figures.quarters
    bottom = 56
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - bottom
    top_value = max((row.due for row in quarters), default=0)
    step = max(1.0, float(math.ceil(_nice_step(float(top_value)))))
    y_max = step * max(4, math.ceil(top_value / step)) if top_value else 4 * step
    count = max(len(quarters), 1)
    slot = plot_width / count
    bar_width = min(48.0, slot * 0.6)

    def y(value: float) -> float:
        return TOP + plot_height * (1 - value / y_max)

    bars: list[Bar] = []
    for index, row in enumerate(quarters):
        centre = LEFT + slot * (index + 0.5)
        base = 0
        for name, value in report_counts(row).items():
            if value:
                bars.append(
                    Bar(
                        centre - bar_width / 2,
                        y(base + value),
                        bar_width,
                        y(base) - y(base + value),
                        REPORT_STYLES[name],
                    )
                )
            base += value
    x_ticks = [Tick(LEFT + slot * (i + 0.5), str(quarters[i].quarter)) for i in labelled_quarters(len(quarters))]
    for j, tick in enumerate(x_ticks):
        tick.minor = (len(x_ticks) - 1 - j) % 2 == 1  # the last quarter is always named
    y_ticks = [Tick(y(step * i), show_number(Decimal(str(int(step * i))))) for i in range(round(y_max / step) + 1)]
    due = sum(row.due for row in quarters)
    summary = (
        ngettext(
            "%(due)s report due so far: %(on_time)s handed in on time, %(late)s late, %(missing)s not handed in.",
            "%(due)s reports due so far: %(on_time)s handed in on time, %(late)s late, %(missing)s not handed in.",
            due,
        )
        % {
            "due": count_text(due),
            "on_time": count_text(sum(row.on_time for row in quarters)),
            "late": count_text(sum(row.late for row in quarters)),
            "missing": count_text(sum(row.missing for row in quarters)),
        }
        if quarters
        else _("No report has been due yet.")
    )
    return PoolChart(
        key="chart-pool-reports",
        title=_("Reports per quarter"),
        summary=summary,
        columns=[_("Quarter"), *(str(label) for label in REPORT_LABELS.values()), _("Due")],
        rows=[
            [str(row.quarter), *(count_text(value) for value in report_counts(row).values()), count_text(row.due)]
            for row in quarters
        ],
        height=HEIGHT,
        bottom_edge=HEIGHT - bottom,
        bars=bars,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        legend=[Legend(REPORT_STYLES[name], str(label)) for name, label in REPORT_LABELS.items()],
        axes=True,
    )


def pool_charts(figures: PoolFigures) -> list[PoolChart]:
    return [status_chart(figures), money_chart(figures), completeness_chart(figures)]
