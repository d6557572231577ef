"""A quarterly report's summary tables (goals, KPIs, FIP, outcomes) written in Python: the report
page and the check before submitting showed them as a template included per row, some 15 rows a
report, a fifth of the page's template (issue 16). Here the same markup (byte for byte:
tests/monitoring/test_report_rows.py renders both) from the same filters and translations."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import render_value_in_context
from django.template.defaultfilters import linebreaksbr
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core.html import escape, format_html
from core.tables import all_rows, blocktranslated

from .monitoring_tags import count, number

register = template.Library()


def _value(line: Any) -> SafeString | str:
    """A goal's value as the report gives it: not measured yet, not given, a share of a cohort."""
    if not line.measured:
        return format_html('<span class="form-hint">{}</span>', _("Not measured yet"))
    if not line.given:
        return format_html('<span class="badge badge-warning">{}</span>', _("Not given"))
    if line.denominator is not None:
        if line.value is None:
            return blocktranslated(_("%(total)s in the cohort: no share yet"), total=count(line.denominator))
        return format_html(
            '{} {} <span class="form-hint">({})</span>',
            number(line.value),
            line.unit,
            blocktranslated(_("%(n)s of %(total)s"), n=count(line.numerator), total=count(line.denominator)),
        )
    return format_html("{} {}", number(line.value), line.unit)


def goal_row(line: Any) -> SafeString:
    group = format_html('<br><span class="form-hint">{}</span>', line.group) if line.group else ""
    previous = format_html("{} ({})", number(line.previous[1]), line.previous[0]) if line.previous else "–"
    return format_html(
        '<tr>\n      <th scope="row">{}{}</th>\n      <td class="number">{}</td>\n'
        '      <td class="number">{}</td>\n      <td>{}</td>\n    </tr>',
        line.title,
        group,
        _value(line),
        previous,
        linebreaksbr(line.comment or "–", autoescape=True),
    )


def _percent(value: Any) -> str:
    return "–" if value is None else f"{escape(number(value))} %"


def kpi_row(row: tuple[Any, Any, Any]) -> SafeString:
    label, value, national = row
    return format_html(
        '<tr><th scope="row">{}</th><td class="number">{}</td><td class="number">{}</td></tr>',
        capfirst(label),
        SafeString(_percent(value)),
        SafeString(_percent(national)),
    )


def fip_row(row: tuple[Any, list[Any]]) -> SafeString:
    label, scores = row
    cells = "".join(f'<td class="number">{escape(number(score.average)) if score else "–"}</td>' for score in scores)
    return format_html('<tr><th scope="row">{}</th>{}</tr>', label, SafeString(cells))


def outcome_row(row: tuple[Any, Any], context: template.Context) -> SafeString:
    label, outcome = row

    def cell(name: str) -> str:
        if outcome is None:
            return ""  # what the template's lookup of a missing outcome's figure wrote
        value = getattr(outcome, name)
        return "–" if value is None else render_value_in_context(value, context)

    return format_html(
        '<tr><th scope="row">{}</th><td class="number">{}</td><td class="number">{}</td></tr>',
        label,
        SafeString(cell("participants")),
        SafeString(cell("employed")),
    )


@register.simple_tag
def goal_rows(lines: Any) -> SafeString:
    return all_rows(goal_row, lines)


@register.simple_tag
def kpi_rows(rows: Any) -> SafeString:
    return all_rows(kpi_row, rows)


@register.simple_tag
def fip_rows(rows: Any) -> SafeString:
    return all_rows(fip_row, rows)


@register.simple_tag(takes_context=True)
def outcome_rows(context: template.Context, rows: Any) -> SafeString:
    return all_rows(outcome_row, rows, context)
