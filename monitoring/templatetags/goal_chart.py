"""`{% goal_chart chart %}`: a goal's chart on the project page (views/charts.py computes the
geometry) as SVG with its legend and its table for screen readers, written in Python as the pool
dashboard's charts are (pool_chart.py): as a template it resolved a variable or a filter for
every tick, point and quarter, some 2,5 ms of the project page's rendering for three goals
(issue 16). Every text is escaped; the numbers are written as the template wrote them (`_at` as
its stringformat:'.1f', `_n` as a variable of the page); the pool's charts write their ticks with
the same functions."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import add
from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from core.html import escape

from ..views.charts import Chart, Tick

register = template.Library()

_NEXT_LINE = ' dy="1.2em"'


def at(value: float) -> str:
    """A coordinate as the charts' templates wrote it (stringformat:'.1f')."""
    return "%.1f" % value  # noqa: UP031


def _n(value: Any) -> str:
    """A number as `{{ value }}` writes it in the page's language."""
    return escape(formats.localize(value))


def y_tick(chart: Any, tick: Tick) -> str:
    """A grid line across a chart (this one or a pool's) and its value on the left."""
    y = at(tick.at)
    return (
        f'<line x1="{_n(chart.left)}" x2="{_n(chart.right_edge)}" y1="{y}" y2="{y}"/>\n'
        f'      <text class="chart-label" x="{_n(add(chart.left, "-6"))}" y="{y}" text-anchor="end" '
        f'dominant-baseline="middle">{escape(tick.label)}</text>'
    )


def x_tick(chart: Any, tick: Tick) -> str:
    """A quarter's name under a chart (this one or a pool's), over two lines, left out on a phone
    when `minor`."""
    x = at(tick.at)
    lines = "".join(
        f'<tspan x="{x}"{_NEXT_LINE if index else ""}>{escape(line)}</tspan>' for index, line in enumerate(tick.lines)
    )
    minor = " chart-tick-minor" if tick.minor else ""
    return (
        f'<text class="chart-label{minor}" x="{x}" y="{_n(add(chart.bottom_edge, "20"))}" '
        f'text-anchor="middle">{lines}</text>'
    )


@register.simple_tag
def goal_chart(chart: Chart) -> SafeString:
    key, left, right = escape(chart.key), _n(chart.left), _n(chart.right_edge)
    bottom, expected_label, reported_label = _n(chart.bottom_edge), gettext("Expected"), gettext("Reported")
    unit = (
        f'<text class="chart-label" x="0" y="{_n(add(chart.top, "-16"))}">{escape(chart.unit)}</text>'
        if chart.unit
        else ""
    )
    target_y = at(chart.target_y)
    expected = (
        f'<polyline class="chart-expected" points="{escape(chart.expected_points)}"/>' if chart.expected_points else ""
    )
    actual = f'<polyline class="chart-actual" points="{escape(chart.actual_points)}"/>' if chart.actual_points else ""
    dots = "".join(f'<circle class="chart-dot" cx="{at(dot.x)}" cy="{at(dot.y)}" r="4"/>' for dot in chart.actual_dots)
    expected_key = (
        f'<li><span class="chart-key chart-key-expected"></span>{expected_label}</li>' if chart.expected_points else ""
    )
    rows = "".join(
        f'<tr><th scope="row">{escape(row.quarter)}</th>'
        f"<td>{escape(row.expected)}</td><td>{escape(row.actual)}</td></tr>"
        for row in chart.rows
    )
    title, target_label = escape(chart.title), escape(chart.target_label)
    svg = (
        '<figure class="goal-chart">\n'
        f'  <svg viewBox="0 0 {_n(chart.width)} {_n(chart.height)}" width="100%" role="img" '
        f'aria-labelledby="{key}-title {key}-desc" focusable="false">\n'
        f'    <title id="{key}-title">{title}</title>\n'
        f'    <desc id="{key}-desc">{escape(chart.summary)}</desc>\n'
        '    <g class="chart-grid" aria-hidden="true">\n'
        f"      {''.join(y_tick(chart, tick) for tick in chart.y_ticks)}\n"
        f"      {''.join(x_tick(chart, tick) for tick in chart.x_ticks)}\n"
        f'      <line class="chart-axis" x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}"/>\n'
        f'      <line class="chart-axis" x1="{left}" x2="{left}" y1="{_n(chart.top)}" y2="{bottom}"/>\n'
        f"      {unit}\n"
        "    </g>\n"
        '    <g aria-hidden="true">\n'
        f'      <line class="chart-target" x1="{left}" x2="{right}" y1="{target_y}" y2="{target_y}"/>\n'
        f"      {expected}\n"
        f"      {actual}\n"
        f"      {dots}\n"
        "    </g>\n"
        "  </svg>\n"
    )
    legend = (
        "  <figcaption>\n"
        '    <ul class="chart-legend" aria-hidden="true">\n'
        f'      <li><span class="chart-key chart-key-target"></span>{target_label}</li>\n'
        f"      {expected_key}\n"
        f'      <li><span class="chart-key chart-key-actual"></span>{reported_label}</li>\n'
        "    </ul>\n"
        "  </figcaption>\n"
        '  <table class="sr-only">\n'
        f"    <caption>{title}. {target_label}.</caption>\n"
        f'    <thead><tr><th scope="col">{gettext("Quarter")}</th><th scope="col">{expected_label}</th>'
        f'<th scope="col">{reported_label}</th></tr></thead>\n'
        f"    <tbody>{rows}</tbody>\n"
        "  </table>\n"
        "</figure>"
    )
    # Every text above is escaped; our own texts (gettext) are written as {% translate %} writes
    # them; the rest is our own markup and numbers.
    # Between two line breaks, as the template included for it wrote it.
    return mark_safe(f"\n{svg}{legend}\n")  # noqa: S308
