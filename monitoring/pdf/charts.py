"""The portfolio report's charts of a pool, drawn with reportlab's charts as the briefing draws
its goal charts (common.goal_chart): the goals by status and the money as bars across, each bar
named with its figure (not colour alone), and the reports per quarter as stacked columns with
their legend. The figures are those of the dashboard's charts (pool_figures, views/pool_charts)."""

from __future__ import annotations

import math
from decimal import Decimal

from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from documents import pdf

from ..pool_figures import PoolFigures
from ..views.pool_charts import NO_FIGURES as NO_FIGURES_LABEL
from ..views.pool_charts import REPORT_LABELS, REPORT_STYLES, STATUS_STYLES, Style, money_items, report_counts
from .common import FRAME_WIDTH, GRID, _nice_top, count, status_label

FONT_SIZE = 8
BAR_PITCH = 7 * mm
MAX_QUARTER_LABELS = 8  # as many as fit side by side without meeting (the goal chart's rule)


def _fill(style: Style) -> colors.Color:
    """A bar's fill: its colour, lightened for a patterned kind (the PDF has no patterns; the
    name beside each bar tells the kinds apart), white for an outline."""
    colour = colors.HexColor(style.colour)
    if style.pattern == "outline":
        return colors.white
    if style.patterned:
        return colors.Color(*(c + (1 - c) * 0.45 for c in (colour.red, colour.green, colour.blue)))
    return colour


def bars_across(items: list[tuple[str, Decimal | int, str, Style]], width: float = FRAME_WIDTH) -> Drawing:
    """A bar per item (label, value, value as text, style), its name and figure on its left."""
    pdf.register_fonts()
    names = [f"{label}: {text}" for label, _value, text, _style in items]
    label_width = max(stringWidth(name, pdf.FONT, FONT_SIZE) for name in names) + 8
    height = len(items) * BAR_PITCH + 8
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = label_width, 4
    chart.width, chart.height = width - label_width - 8, height - 8
    # The first item at the top: reportlab draws the first category at the bottom.
    chart.data = [[float(value) for _label, value, _text, _style in reversed(items)]]
    chart.categoryAxis.categoryNames = list(reversed(names))
    chart.categoryAxis.labels.fontName = pdf.FONT
    chart.categoryAxis.labels.fontSize = FONT_SIZE
    chart.categoryAxis.labels.fillColor = pdf.DARK
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.strokeColor = GRID
    chart.categoryAxis.tickLeft = 0
    top = max((float(value) for _label, value, _text, _style in items), default=0.0)
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, top or 1.0
    chart.valueAxis.visible = False  # the figures are in the names
    chart.barWidth = BAR_PITCH * 0.55
    chart.groupSpacing = BAR_PITCH * 0.45
    for index, (_label, _value, _text, style) in enumerate(reversed(items)):
        chart.bars[(0, index)].fillColor = _fill(style)
        chart.bars[(0, index)].strokeColor = colors.HexColor(style.colour)
        chart.bars[(0, index)].strokeWidth = 0.8
    drawing.add(chart)
    return drawing


def status_drawing(figures: PoolFigures) -> Drawing:
    items = [
        (status_label(status) if status else str(NO_FIGURES_LABEL), total, count(total), STATUS_STYLES[status])
        for status, total in figures.statuses
    ]
    return bars_across(items)


def money_drawing(figures: PoolFigures) -> Drawing:
    return bars_across(money_items(figures))


def reports_drawing(figures: PoolFigures, width: float = FRAME_WIDTH, height: float = 58 * mm) -> Drawing:
    """A column per quarter of the reports due: on time at the foot, then late, then missing."""
    pdf.register_fonts()
    quarters = figures.quarters
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 30, 16
    chart.width, chart.height = width - 42, height - 36
    names = list(REPORT_LABELS)
    chart.data = [[report_counts(row)[name] for row in quarters] or [0] for name in names]
    every = max(1, math.ceil(len(quarters) / MAX_QUARTER_LABELS))
    last = len(quarters) - 1
    chart.categoryAxis.categoryNames = [
        str(row.quarter) if (last - i) % every == 0 else "" for i, row in enumerate(quarters)
    ] or [""]
    chart.categoryAxis.style = "stacked"
    top, step = _nice_top(max((row.due for row in quarters), default=0) * 1.08)
    step = max(1.0, float(math.ceil(step)))
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = (
        0,
        step * math.ceil(top / step),
        step,
    )
    chart.valueAxis.labelTextFormat = lambda value: count(round(value))
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#e5e5e5")
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = pdf.FONT
        axis.labels.fontSize = 7
        axis.labels.fillColor = pdf.MUTED
        axis.strokeColor = GRID
    for index, name in enumerate(names):
        style = REPORT_STYLES[name]
        chart.bars[index].fillColor = _fill(style)
        chart.bars[index].strokeColor = colors.HexColor(style.colour)
        chart.bars[index].strokeWidth = 0.8
    drawing.add(chart)

    legend = Legend()
    legend.fontName = pdf.FONT
    legend.fontSize = 7
    legend.fillColor = pdf.DARK
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 110
    legend.dx = legend.dy = 6
    legend.boxAnchor = "nw"
    legend.x, legend.y = chart.x, height - 2
    legend.colorNamePairs = [(_fill(REPORT_STYLES[name]), str(label)) for name, label in REPORT_LABELS.items()]
    drawing.add(legend)
    if not quarters:
        drawing.add(
            String(
                chart.x + chart.width / 2,
                chart.y + chart.height / 2,
                _("No report has been due yet."),
                fontName=pdf.FONT,
                fontSize=8,
                fillColor=pdf.MUTED,
                textAnchor="middle",
            )
        )
    return drawing
