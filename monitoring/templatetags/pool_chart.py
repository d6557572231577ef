"""A pool's chart (views/pool_charts.py computes the geometry) as SVG with its table for screen
readers, written in Python: as a template it resolved some 600 variables for the dashboard's
three charts, a fifth of the page's rendering (issue 16). Every text is escaped by format_html
or conditional_escape; the rest is our own markup and numbers."""

from __future__ import annotations

from django import template
from django.utils import formats
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from core.html import format_html

from ..views.pool_charts import Bar, PoolChart, Style
from .goal_chart import at, x_tick, y_tick

register = template.Library()


def _fill(chart: PoolChart, style: Style) -> str:
    if style.patterned:
        return f"url(#{chart.key}-{style.name})"
    return "#fff" if style.pattern == "outline" else style.colour


def _pattern(chart: PoolChart, style: Style) -> SafeString:
    hatch = (
        format_html('<line x1="0" y1="6" x2="8" y2="6" stroke="{}" stroke-width="2"/>', style.colour)
        if style.pattern == "hatch"
        else ""
    )
    return format_html(
        '\n      <pattern id="{}-{}" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="8" height="8" fill="#fff"/><line x1="2" y1="0" x2="2" y2="8" stroke="{}" stroke-width="4"/>'
        "{}</pattern>",
        chart.key,
        style.name,
        style.colour,
        hatch,
    )


def _axes(chart: PoolChart) -> SafeString:
    left, right, bottom = (formats.localize(v) for v in (chart.left, chart.right_edge, chart.bottom_edge))
    parts = ['<g class="chart-grid" aria-hidden="true">\n      ']
    parts.extend(y_tick(chart, tick) for tick in chart.y_ticks)
    parts.append("\n      ")
    parts.extend(x_tick(chart, tick) for tick in chart.x_ticks)
    parts.append(
        format_html(
            '\n      <line class="chart-axis" x1="{}" x2="{}" y1="{}" y2="{}"/>\n    </g>', left, right, bottom, bottom
        )
    )
    return mark_safe("".join(parts))  # noqa: S308 (made by format_html)


def _bar(chart: PoolChart, bar: Bar) -> SafeString:
    label = (
        format_html('<text class="chart-label" x="{}" y="{}">{}</text>', at(bar.x), at(bar.label_y), bar.label)
        if bar.label
        else ""
    )
    outline = bar.style.pattern == "outline"
    rect = (
        format_html(
            '<rect class="chart-bar" x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}" stroke-width="{}"{}/>',
            at(bar.x),
            at(bar.y),
            at(bar.width),
            at(bar.height),
            _fill(chart, bar.style),
            bar.style.colour,
            "2" if outline else "1",
            mark_safe(' stroke-dasharray="4 2"') if outline else "",
        )
        if bar.width
        else ""
    )
    return format_html("{}\n      {}", label, rect)


def _legend(chart: PoolChart) -> SafeString:
    entries = "".join(
        format_html(
            '<li><svg class="chart-swatch" viewBox="0 0 24 16" width="24" height="16" focusable="false">'
            '<rect x="1" y="1" width="22" height="14" fill="{}" stroke="{}"/></svg>{}</li>',
            _fill(chart, entry.style),
            entry.style.colour,
            entry.label,
        )
        for entry in chart.legend
    )
    return format_html(
        '<figcaption>\n    <ul class="chart-legend" aria-hidden="true">\n      {}\n    </ul>\n  </figcaption>',
        mark_safe(entries),  # noqa: S308 (made by format_html)
    )


def _table(chart: PoolChart) -> SafeString:
    head = "".join(format_html('<th scope="col">{}</th>', column) for column in chart.columns)
    body = "".join(
        "<tr>"
        + "".join(
            format_html('<th scope="row">{}</th>', cell) if index == 0 else format_html("<td>{}</td>", cell)
            for index, cell in enumerate(row)
        )
        + "</tr>"
        for row in chart.rows
    )
    return format_html(
        '  <table class="sr-only">\n    <caption>{}. {}</caption>\n    <thead><tr>{}</tr></thead>\n'
        "    <tbody>{}</tbody>\n  </table>\n",
        chart.title,
        chart.summary,
        mark_safe(head),  # noqa: S308 (made by format_html)
        mark_safe(body),  # noqa: S308 (made by format_html)
    )


@register.simple_tag
def pool_chart(chart: PoolChart) -> SafeString:
    key = conditional_escape(chart.key)
    parts = [
        format_html(
            '\n<figure class="goal-chart pool-chart{}">\n  <svg viewBox="0 0 {} {}" width="100%" role="img" '
            'aria-labelledby="{}-title {}-desc" focusable="false">\n    <title id="{}-title">{}</title>\n'
            '    <desc id="{}-desc">{}</desc>\n    <defs>',
            "" if chart.axes else " chart-across",
            formats.localize(chart.width),
            formats.localize(chart.height),
            key,
            key,
            key,
            chart.title,
            key,
            chart.summary,
        ),
        *(_pattern(chart, style) for style in chart.styles if style.patterned),
        "\n    </defs>\n    ",
        _axes(chart) if chart.axes else "",
        '\n    <g aria-hidden="true">\n      ',
        *(_bar(chart, bar) for bar in chart.bars),
        "\n    </g>\n  </svg>\n  ",
        _legend(chart) if chart.legend else "",
        "\n",
        _table(chart),
        "</figure>\n",
    ]
    # Every part is made by format_html or is our own constant markup.
    return mark_safe("".join(parts))  # noqa: S308
