"""What the monitoring PDFs share: Danish figures, tables in the house style, the goal chart and
the zero-size flowable that lets a long document pull its pages in one chunk at a time."""

from __future__ import annotations

import datetime
import functools
import itertools
import math
from collections.abc import Iterator, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from applications.models import GoalKind
from core.forms import show_number
from core.money import format_dkk
from documents import pdf

from ..models import GoalStatus, RiskLevel, Trend
from ..progress import GoalReading
from ..quarters import Quarter

# The width of the text frame of documents.pdf's page template.
FRAME_WIDTH = A4[0] - 2 * pdf.MARGIN
GRID = colors.HexColor("#cccccc")
HEADER_FILL = colors.HexColor("#eef2f7")
EXPECTED = colors.HexColor("#7a7a7a")
TARGET = colors.HexColor("#b3261e")
STATUS_COLOURS = {
    GoalStatus.ON_TRACK: colors.HexColor("#1f7a3a"),
    GoalStatus.AT_RISK: colors.HexColor("#9a6700"),
    GoalStatus.OFF_TRACK: colors.HexColor("#b3261e"),
}
DASH = "–"


# Figures in Danish ------------------------------------------------------------------------------


def number(value: Decimal | int | None) -> str:
    """8,75 and 35 (not 35,00) under the Danish locale; a dash for nothing."""
    return show_number(value) if value is not None else DASH


def count(value: int | None) -> str:
    """People or days, their thousands grouped: 5.940."""
    return formats.number_format(value, force_grouping=True) if value is not None else DASH


def percent(value: Decimal | int | None) -> str:
    return f"{number(value)} %" if value is not None else DASH


def share(part: Decimal | int | None, whole: Decimal | int | None) -> Decimal | None:
    if part is None or not whole:
        return None
    return (Decimal(part) / Decimal(whole) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def money(value: Decimal | int | None) -> str:
    return format_dkk(value) if value is not None else DASH


def day(value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return DASH
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    return f"{value:%d.%m.%Y}"


def quarter_long(quarter: Quarter) -> str:
    """ "3. kvartal 2026" in Danish."""
    return _("quarter %(quarter)s of %(year)s") % {"quarter": quarter.quarter, "year": quarter.year}


def goal_value(reading: GoalReading, value: Decimal | None) -> str:
    """A goal's figure with its unit: 58 % for a percentage, the number alone otherwise (the unit
    is in the table's heading or the goal's title)."""
    if value is None:
        return DASH
    return percent(value) if reading.goal.kind == GoalKind.PERCENTAGE else number(value)


def actual_text(reading: GoalReading) -> str:
    """The latest figure; a share with its n of N: 60 % (12 af 20)."""
    text = goal_value(reading, reading.actual)
    if reading.actual is not None and reading.denominator is not None:
        text += " " + _("(%(n)s of %(total)s)") % {"n": count(reading.numerator), "total": count(reading.denominator)}
    return text


def goal_title(reading: GoalReading) -> str:
    """The goal's title with its unit and, where it belongs to one, its target group."""
    goal = reading.goal
    title = goal.title + (f" ({goal.unit})" if goal.unit and goal.unit != "%" else "")
    if goal.target_group is not None:
        title += f" – {goal.target_group.name}"
    return title


def status_label(status: str | None) -> str:
    return str(GoalStatus(status).label) if status else _("No figures yet")


def risk_label(level: str | None) -> str:
    return str(RiskLevel(level).label) if level else _("Not yet judged")


def trend_label(trend: str | None) -> str:
    return str(Trend(trend).label) if trend else _("Not yet (one report)")


def forecast_text(reading: GoalReading, project_end: datetime.date) -> str:
    """A cumulative goal's forecast date; a level goal's trend (a level has no date)."""
    if reading.actual is None:
        return DASH
    if reading.level:
        return _("Trend: %(trend)s") % {"trend": trend_label(reading.trend).lower()}
    if reading.reached:
        return _("Reached by %(date)s") % {"date": day(reading.forecast_date)}
    if reading.forecast_date is None:
        return _("Not at the current pace")
    text = _("Reached by %(date)s at the current pace") % {"date": day(reading.forecast_date)}
    if reading.forecast_date > project_end:
        text += " " + _("(after the project ends)")
    return text


def goal_cells(reading: GoalReading, project_end: datetime.date) -> tuple[str, ...]:
    """A goal's figures as every table of the PDFs shows them: target, expected by now, actual,
    the share of the target, status and forecast."""
    return (
        goal_value(reading, reading.goal.target_value),
        goal_value(reading, reading.expected_by_now),
        actual_text(reading),
        percent(reading.percent_of_target),
        status_label(reading.status),
        forecast_text(reading, project_end),
    )


# Tables -----------------------------------------------------------------------------------------


class Cell(Paragraph):
    """A table cell's paragraph, whose lines are broken once per width and text. reportlab's
    Table asks every cell its size when it measures the rows, again when the table is kept with
    its heading and again just before it draws the cell, and the same texts come back on every
    project's page; breaking the lines (a string width per word) each time was the most of a
    long report's layout. `broken` is shared by the cells of one text (see `parsed`)."""

    broken: dict[float, tuple[tuple[float, float], dict[str, Any]]]

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        # The lines depend on the width and the fragments alone, never on the height.
        broken = self.__dict__.get("broken")
        if broken is None:  # a part of a cell split by reportlab, made without `cell`
            return super().wrap(available_width, available_height)
        known = broken.get(available_width)
        if known is not None:
            size, state = known
            self.__dict__.update(state)
            return size
        size = super().wrap(available_width, available_height)
        # Not when the width was too narrow for any text: reportlab then breaks no lines.
        if self.__dict__.get("width") == available_width:
            state = {name: self.__dict__[name] for name in ("width", "height", "_wrapWidths", "blPara")}
            broken[available_width] = (size, state)
        return size

    def draw(self) -> None:
        # What reportlab writes for a paragraph depends on its text, style and lines (its width
        # and height) and on the document's font subsets, which are fixed once its characters
        # have been written; the table places the cell by a translation around it. So a text
        # drawn once in a document is written again as it was: drawing 41.673 cells' paragraphs
        # was a fifth of the portfolio report at 600 projects (issue 16). What was written is
        # kept with the text's shared parse (`parsed`, a bounded cache) for one document at a
        # time, so that memory does not grow with the document. Only what reportlab writes into
        # the page's content is kept: a cell's text is escaped (`markup`), so it holds no link,
        # anchor or image, and its colours are opaque. A part of a cell split by reportlab has
        # no `drawn` and draws itself.
        drawn = self.__dict__.get("drawn")
        if drawn is None:
            super().draw()
            return
        canvas = self.canv
        number = canvas.__dict__.get("_puljeflow_document")
        if number is None:
            number = canvas._puljeflow_document = next(_documents)
        document, written = drawn.written  # one read: another thread may start another document
        if document != number:
            written = {}
            drawn.written = (number, written)
        key = (self.width, self.height)
        code = written.get(key)
        if code is not None:
            canvas._code.extend(code)
            return
        start = len(canvas._code)
        super().draw()
        written[key] = canvas._code[start:]


class Drawn:
    """What the cells of one text wrote in one document (`Cell.draw`): the document's number and
    the code per size. Never another document's: its fonts number their characters differently."""

    __slots__ = ("written",)

    def __init__(self) -> None:
        self.written: tuple[int, dict[tuple[float, float], list[str]]] = (-1, {})


# Numbers the documents a process draws, for `Cell.draw`: never one number for two documents.
_documents = itertools.count()


@functools.cache
def cell_styles() -> tuple[ParagraphStyle, ParagraphStyle]:
    """The table text's styles (plain, bold), made once: `parsed` knows a cell by its style."""
    styles = pdf.styles()
    return styles["cell"], styles["cell_bold"]


@functools.lru_cache(maxsize=1024)
def parsed(markup: str, style: ParagraphStyle) -> dict[str, Any]:
    """A paragraph's parse of its markup. A report's tables repeat the same few texts on every
    project's page (the headings, the labels, a dash, a status), and reportlab parses each
    paragraph's markup anew, as HTML."""
    return {**Paragraph(markup, style).__dict__, "broken": {}, "drawn": Drawn()}


def cell(text: Any, style: ParagraphStyle) -> Cell:
    """A table cell of text (escaped as documents.pdf.para does), its parse shared with the
    cells of the same text: reportlab reads the fragments and never changes them."""
    made = Cell.__new__(Cell)
    made.__dict__.update(parsed(markup(text) if isinstance(text, str) else pdf.clean(text), style))
    return made


# The same few texts fill most cells, and cleaning one looks at every character: a tenth of
# building a project's page.
markup = functools.lru_cache(maxsize=4096)(pdf.clean)


def table(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    *,
    header: bool = True,
    label_column: bool = False,
    right_from: int | None = None,
) -> Table:
    """A table of our style. Every cell is text and is escaped by documents.pdf.clean, so that user
    text (a goal's title) and our own figures are escaped the same way."""
    plain, bold = cell_styles()
    body = [
        [
            value
            if isinstance(value, Flowable)
            else cell(value, bold if (header and r == 0) or (label_column and c == 0) else plain)
            for c, value in enumerate(row)
        ]
        for r, row in enumerate(rows)
    ]
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, GRID),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        commands += [("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL), ("LINEBELOW", (0, 0), (-1, 0), 0.8, pdf.MUTED)]
    result = Table(body, colWidths=list(widths), repeatRows=1 if header else 0, hAlign="LEFT")
    result.setStyle(TableStyle(commands))
    return result


def heading(text: str, level: str = "h1") -> Paragraph:
    """A heading (our text) that never stays behind alone at the foot of a page."""
    return pdf.para(text, kept_style(level))


@functools.cache
def kept_style(level: str) -> ParagraphStyle:
    """A heading's style, made once: making every style anew for each of a long report's
    headings was a tenth of building its pages. reportlab never changes a style it is given."""
    style = pdf.styles()[level]
    return ParagraphStyle(f"{style.name}-kept", parent=style, keepWithNext=1)


def facts(rows: Sequence[tuple[str, str]]) -> Table:
    """Label–value pairs, two columns."""
    return table(rows, [55 * mm, FRAME_WIDTH - 55 * mm], header=False, label_column=True)


# The goal chart -----------------------------------------------------------------------------------


def _nice_top(value: float) -> tuple[float, float]:
    """An axis top above `value` and a round step that reaches it in 4 or 5 steps."""
    value = max(value, 1.0)
    raw = value / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(f * magnitude for f in (1, 2, 2.5, 5, 10) if raw <= f * magnitude)
    return step * math.ceil(value / step), step


def goal_chart(reading: GoalReading, width: float = FRAME_WIDTH, height: float = 58 * mm) -> Drawing:
    """The target as a line across, the values expected per quarter and the actuals handed in. A
    level goal's expected value is its target line (only a ramp-up is drawn apart from it)."""
    pdf.register_fonts()
    series = reading.series
    count = max(len(series), 1)
    target = float(reading.goal.target_value)
    expected = [(i, float(p.expected)) for i, p in enumerate(series, 1) if p.expected is not None]
    if reading.level:
        ramp = [(i, y) for i, y in expected if y != target]
        at_target = next((i for i, y in expected if y == target), None)
        expected = [*ramp, (at_target, target)] if ramp and at_target is not None else ramp
    actual = [(i, float(p.actual)) for i, p in enumerate(series, 1) if p.actual is not None]
    top, step = _nice_top(max([target] + [y for _x, y in expected + actual]) * 1.08)

    drawing = Drawing(width, height)
    plot = LinePlot()
    plot.x, plot.y = 38, 16
    plot.width, plot.height = width - 50, height - 36
    lines: list[tuple[list[tuple[float, float]], Any, Any, str, bool]] = [
        (
            [(0.6, target), (count + 0.4, target)],
            TARGET,
            (4, 3),
            _("Target (%(value)s)") % {"value": number(reading.goal.target_value)},
            False,
        ),
    ]
    if expected:
        lines.append((expected, EXPECTED, (2, 2), _("Expected"), False))
    if actual:
        lines.append((actual, pdf.ACCENT, None, _("Actual"), True))
    plot.data = [points for points, *_rest in lines]
    for index, (_points, colour, dashes, _name, dots) in enumerate(lines):
        plot.lines[index].strokeColor = colour
        plot.lines[index].strokeWidth = 1.6 if dots else 1
        if dashes:
            plot.lines[index].strokeDashArray = dashes
        if dots:
            marker = makeMarker("FilledCircle")
            marker.size = 4
            marker.fillColor = colour
            plot.lines[index].symbol = marker

    labels = [str(point.quarter) for point in series]
    every = max(1, math.ceil(count / 8))  # no more than 8 quarter labels side by side
    x_axis = plot.xValueAxis
    x_axis.valueMin, x_axis.valueMax = 0.6, count + 0.4
    x_axis.valueSteps = list(range(1, count + 1))
    x_axis.labelTextFormat = lambda value: labels[int(value) - 1] if (int(value) - 1) % every == 0 else ""
    y_axis = plot.yValueAxis
    y_axis.valueMin, y_axis.valueMax, y_axis.valueStep = 0, top, step
    y_axis.labelTextFormat = lambda value: number(Decimal(str(round(value, 2))))
    y_axis.visibleGrid = True
    y_axis.gridStrokeColor = colors.HexColor("#e5e5e5")
    for axis in (x_axis, y_axis):
        axis.labels.fontName = pdf.FONT
        axis.labels.fontSize = 7
        axis.labels.fillColor = pdf.MUTED
        axis.strokeColor = GRID
    drawing.add(plot)

    legend = Legend()
    legend.fontName = pdf.FONT
    legend.fontSize = 7
    legend.fillColor = pdf.DARK
    legend.alignment = "right"
    legend.columnMaximum = 1  # one entry per column: the legend runs across under the chart
    legend.deltax = 90
    legend.dx = legend.dy = 6
    legend.boxAnchor = "nw"  # above the plot, clear of the quarter labels
    legend.x, legend.y = plot.x, height - 2
    legend.colorNamePairs = [(colour, name) for _points, colour, _dashes, name, _dots in lines]
    drawing.add(legend)
    if not actual:
        drawing.add(
            String(
                plot.x + plot.width / 2,
                plot.y + plot.height / 2,
                _("No figures reported yet"),
                fontName=pdf.FONT,
                fontSize=8,
                fillColor=pdf.MUTED,
                textAnchor="middle",
            )
        )
    return drawing


# Streaming ---------------------------------------------------------------------------------------


class Expand(Flowable):
    """A zero-size flowable that, when the layout reaches it, puts the next block of `blocks` and
    itself again in front of the rest of the story (the mechanism of reportlab's DocIf). A
    document of 300 projects thus never holds more than one chunk of projects' flowables."""

    _ZEROSIZE = 1

    def __init__(self, blocks: Iterator[list[Flowable]]) -> None:
        super().__init__()
        self._blocks = blocks

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        block = next(self._blocks, None)
        if block is not None:
            # Frame.add sets `_frame` before it asks the size; the block goes in front of the rest.
            self._frame.add_generated_content(*block, self)
        return 0, 0

    def draw(self) -> None:
        pass
