"""The pool dashboard's table rows, written in Python: a project's goals (a row group), its KPIs,
a late report, a quarter's completeness; each table's rows at once (`core/_table.html`'s
`rows_html`), not a template included per row (86 includes were a tenth of the page's rendering).

The template of a goals row group resolved some 150 variables and filters per project, 20 ms of
the dashboard's 25 projects, and the KPI and late rows 10 ms more (issue 16); here each cell is
one `format_html`, for the same markup (byte for byte on the national data). The labels, badges
and numbers come from the same filters the templates use."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.html import format_html
from core.links import link
from core.tables import all_rows, blocktranslated, short_date

from ..progress import GoalReading, ProjectReading
from .monitoring_tags import count, number, trend_label
from .monitoring_tags import register as monitoring_filters

register = template.Library()

_risk_badge = monitoring_filters.filters["risk_badge"]
_risk_label = monitoring_filters.filters["risk_label"]
_status_badge = monitoring_filters.filters["status_badge"]
_status_label = monitoring_filters.filters["status_label"]


def _heading(reading: ProjectReading, url: str, rows: int) -> SafeString:
    application = reading.grant.application
    figures = (
        format_html(
            '<br><span class="form-hint">{}</span>',
            blocktranslated(_("Figures of %(quarter)s"), quarter=reading.reference),
        )
        if reading.reference
        else ""
    )
    return format_html(
        '<th scope="rowgroup" rowspan="{}"><a href="{}">{}</a><br><span class="form-hint">{} · {}</span><br>'
        '{}: <span class="{}">{}</span>{}</th>',
        rows,
        url,
        application.title,
        application.lead_municipality.name,
        application.journal_number,
        _("Risk"),
        _risk_badge(reading.risk),
        _risk_label(reading.risk),
        figures,
    )


def _goal_cells(goal: GoalReading) -> SafeString:
    target_group = goal.goal.target_group
    share = (
        format_html(
            '<br><span class="form-hint">{}</span>',
            blocktranslated(_("%(n)s of %(total)s"), n=count(goal.numerator), total=count(goal.denominator)),
        )
        if goal.denominator is not None
        else ""
    )
    trend = (
        format_html('<br><span class="form-hint">{}: {}</span>', _("Trend"), trend_label(goal.trend))
        if goal.level
        else ""
    )
    return format_html(
        "\n        <td>{}{}</td>"
        '\n        <td class="number">{}{}</td>'
        '\n        <td class="number">{}</td>'
        '\n        <td class="number">{}</td>'
        '\n        <td><span class="{}">{}</span>{}</td>',
        goal.goal.title,
        format_html('<br><span class="form-hint">{}</span>', target_group.name) if target_group else "",
        number(goal.actual),
        share,
        number(goal.expected_by_now),
        "–" if goal.percent_of_target is None else f"{number(goal.percent_of_target)} %",
        _status_badge(goal.status),
        _status_label(goal.status),
        trend,
    )


@register.simple_tag
def matrix_group(reading: ProjectReading) -> SafeString:
    """A project's goals as a row group: the project's heading cell spans its goals' rows."""
    url = link("monitoring:project", reading.grant.pk)
    goals = reading.goals
    parts = ['\n    <tbody class="project-group">\n      ']
    for index, goal in enumerate(goals):
        parts.append("<tr>\n        ")
        if index == 0:
            parts.append(_heading(reading, url, len(goals)))
        parts.append(_goal_cells(goal))
        parts.append("\n      </tr>")
    if not goals:
        parts.append(
            format_html(
                '<tr><th scope="row"><a href="{}">{}</a></th><td colspan="5">{}</td></tr>',
                url,
                reading.grant.application.title,
                _("The project has no goals."),
            )
        )
    parts.append("\n    </tbody>\n")
    # Every part is escaped by format_html or is our own constant markup.
    return mark_safe("".join(parts))  # noqa: S308


def _percent(value: Any) -> str:
    return "–" if value is None else f"{number(value)} %"


@register.simple_tag
def kpi_row(row: Any) -> SafeString:
    """A project's KPIs of its latest report, each beside the national average of its quarter."""
    grant = row.reading.grant
    cells = "".join(
        format_html(
            '<td class="number">{} <span class="form-hint">({})</span></td>', _percent(value), _percent(national)
        )
        for value, national in row.values
    )
    return format_html(
        '<tr>\n      <td><a href="{}">{}</a><br><span class="form-hint">{}</span></td>\n      <td>{}</td>\n      {}\n'
        "    </tr>\n",
        link("monitoring:project", grant.pk),
        grant.application.title,
        grant.application.lead_municipality.name,
        row.report.period if row.report else "–",
        mark_safe(cells),  # noqa: S308 (each cell made by format_html)
    )


@register.simple_tag
def late_row(row: Any) -> SafeString:
    """A report past its due date: the project, the quarter, the day it was due, the days since."""
    return format_html(
        '<tr>\n      <td><a href="{}">{}</a><br><span class="form-hint">{}</span></td>\n      <td>{}</td>\n'
        '      <td>{}</td>\n      <td class="number">{}</td>\n    </tr>',
        link("monitoring:project", row.grant_id),
        row.title,
        row.municipality,
        row.quarter,
        short_date(row.due),
        row.days_late,
    )


@register.simple_tag
def completeness_row(row: Any) -> SafeString:
    """A quarter's reports due, handed in and handed in on time, and the shares."""
    return format_html(
        '<tr>\n      <th scope="row">{}</th>\n      <td class="number">{}</td>\n      <td class="number">{}</td>\n'
        '      <td class="number">{}</td>\n      <td class="number">{}</td>\n      <td class="number">{}</td>\n'
        "    </tr>\n",
        row.quarter,
        formats.localize(row.expected),
        formats.localize(row.submitted),
        formats.localize(row.on_time),
        _percent(row.completeness),
        _percent(row.timeliness),
    )


@register.simple_tag
def matrix_groups(readings: Any) -> SafeString:
    return all_rows(matrix_group, readings)


@register.simple_tag
def kpi_rows(rows: Any) -> SafeString:
    return all_rows(kpi_row, rows, end="")


@register.simple_tag
def late_rows(rows: Any) -> SafeString:
    return all_rows(late_row, rows)


@register.simple_tag
def completeness_rows(rows: Any) -> SafeString:
    return all_rows(completeness_row, rows, end="")
