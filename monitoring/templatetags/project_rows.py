"""The projects list's table row and a project page's milestone and report rows, written in Python.

The projects list's template resolved some 30 variables, filters and translations per project, and
a translation per late report, a fifth of the list's time; the milestones' template some 15 per
quarter, a twentieth of the project page's (issue 16). Here the same markup (byte for byte:
tests/monitoring/test_project_rows.py renders both) comes from the same filters and translations."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applications.models import GrantState
from applications.templatetags.puljeflow import dkk
from core.html import csrf_input, format_html
from core.links import link
from core.tables import all_rows, short_date, short_datetime

from ..models import ReportState
from .monitoring_tags import number
from .monitoring_tags import register as monitoring_filters

register = template.Library()

_risk_badge = monitoring_filters.filters["risk_badge"]
_risk_label = monitoring_filters.filters["risk_label"]
_report_badge = monitoring_filters.filters["report_badge"]
_report_label = monitoring_filters.filters["report_label"]


def _late(row: Any) -> SafeString | str:
    if not row.late:
        return "–"
    badges = [
        format_html(
            '<span class="badge badge-error">{}</span>',
            # As {% blocktranslate %} writes it: the translation as it is, its values escaped.
            mark_safe(  # noqa: S308
                ngettext("%(quarter)s, %(days)s day late", "%(quarter)s, %(days)s days late", days)
                % {"quarter": conditional_escape(milestone.period), "days": days}
            ),
        )
        for milestone, days in row.late
    ]
    return mark_safe("<br>".join(badges))  # noqa: S308 (each made by format_html)


@register.simple_tag
def project_row(row: Any) -> SafeString:
    """A project: its title, number and lead (its state unless active), period, amount, risk, the
    next report due, the late ones and, for its municipality, the link to write a report."""
    grant = row.reading.grant
    application = grant.application
    anchor = f"project-{grant.pk}"
    active = grant.state == GrantState.ACTIVE
    state = "" if active else format_html('<br><span class="badge">{}</span>', grant.get_state_display())
    due = row.next_due
    write = (
        format_html(
            '<a class="function-link" href="{}" aria-describedby="{}">{}</a>',
            link("monitoring:report_create", grant.pk),
            anchor,
            _("Write a report"),
        )
        if row.can_report
        else ""
    )
    return format_html(
        '\n    <tr>\n      <th scope="row" id="{}"><a href="{}">{}</a>'
        '<br><span class="form-hint">{} · {}</span>{}</th>\n'
        "      <td>{} – {}</td>\n"
        '      <td class="number">{}</td>\n'
        '      <td><span class="{}">{}</span></td>\n'
        "      <td>{}</td>\n      <td>{}</td>\n      <td>{}</td>\n    </tr>\n",
        anchor,
        link("monitoring:project", grant.pk),
        application.title,
        application.journal_number,
        application.lead_municipality.name,
        state,
        short_date(grant.start_date),
        short_date(grant.end_date),
        dkk(grant.amount),
        _risk_badge(row.reading.risk),
        _risk_label(row.reading.risk),
        format_html("{}: {}", due.period, short_date(due.report_due_on)) if due else "–",
        _late(row),
        write,
    )


@register.simple_tag
def milestone_row(row: Any) -> SafeString:
    """A milestone: its quarter, when its report is due, the values expected of each goal, the
    activities planned, its report's state (a link to the report the user may see) and, while the
    milestones may change, the link to change it."""
    milestone = row.milestone
    anchor = f"milestone-{milestone.pk}"
    expected = "".join(format_html('<td class="number">{}</td>', number(value)) for value in row.expected)
    state = format_html('<span class="{}">{}</span>', _report_badge(row.status), _report_label(row.status))
    report = (
        format_html(
            '<a href="{}">{}<span class="sr-only"> {}</span></a>',
            link("monitoring:report", milestone.grant_id, row.report.pk),
            state,
            milestone.period,
        )
        if row.report
        else state
    )
    change = (
        format_html(
            '\n      <td><a class="function-link" href="{}" aria-describedby="{}">{}</a></td>',
            link("monitoring:milestone_edit", milestone.grant_id, milestone.pk),
            anchor,
            _("Change"),
        )
        if row.can_edit
        else "\n      "
    )
    return format_html(
        '<tr>\n      <th scope="row" id="{}">{}</th>\n      <td>{}</td>\n      {}\n      <td>{}</td>\n'
        "      <td>{}</td>{}\n    </tr>",
        anchor,
        milestone.period,
        short_date(milestone.report_due_on),
        mark_safe(expected),  # noqa: S308 (each cell made by format_html)
        linebreaksbr(milestone.planned_activities or "–", autoescape=True),
        report,
        change,
    )


@register.simple_tag
def project_rows(rows: Any) -> SafeString:
    return all_rows(project_row, rows)


@register.simple_tag
def milestone_rows(rows: Any) -> SafeString:
    return all_rows(milestone_row, rows)


def _report_actions(report: Any, grant_pk: int, can_change: bool, csrf: str) -> str:
    """Continue writing a draft; ask for the committee briefing of a quarter handed in."""
    writing = (
        format_html(
            '<a class="function-link" href="{}">{}<span class="sr-only"> {}</span></a>',
            link("monitoring:report_edit", grant_pk, report.pk),
            mark_safe(_("Continue writing")),  # noqa: S308 (our own text, as {% translate %} writes it)
            report.period,
        )
        if report.state == ReportState.DRAFT and can_change
        else ""
    )
    briefing = (
        format_html(
            '<form method="post" action="{}" class="d-inline d-print-none">{}\n'
            '          <input type="hidden" name="year" value="{}"><input type="hidden" name="quarter" value="{}">\n'
            '          <button type="submit" class="button button-tertiary">{}'
            '<span class="sr-only"> {}</span></button>\n'
            "        </form>",
            link("monitoring:briefing", grant_pk),
            mark_safe(csrf),  # noqa: S308 (csrf_input escapes the token)
            report.year,
            report.quarter,
            mark_safe(_("Committee briefing (PDF)")),  # noqa: S308 (our own text)
            report.period,
        )
        if report.is_handed_in
        else ""
    )
    return f"{writing}\n        {briefing}"


def report_row(report: Any, grant_pk: int, can_change: bool, csrf: str) -> SafeString:
    """A quarterly report of the project page: its quarter (a link to it), state (and why it was
    returned), when it was submitted, and what the user may do with it."""
    returned = (
        format_html('<br><span class="form-hint">{} {}</span>', mark_safe(_("Returned:")), report.returned_reason)  # noqa: S308
        if report.returned_reason
        else ""
    )
    submitted = report.submitted_at
    moment = template_localtime(submitted) if submitted else None
    return format_html(
        '<tr>\n      <th scope="row"><a href="{}">{}</a></th>\n'
        '      <td><span class="{}">{}</span>{}</td>\n'
        "      <td>{}</td>\n"
        "      <td>{}</td>\n    </tr>",
        link("monitoring:report", grant_pk, report.pk),
        report.period,
        _report_badge(report.state),
        _report_label(report.state),
        returned,
        short_datetime(moment) if moment else "–",
        mark_safe(_report_actions(report, grant_pk, can_change, csrf)),  # noqa: S308 (made by format_html)
    )


@register.simple_tag(takes_context=True)
def report_rows(context: template.Context, reports: Any, grant: Any, can_change: bool) -> SafeString:
    csrf = csrf_input(context) if any(report.is_handed_in for report in reports) else ""
    return all_rows(report_row, reports, grant.pk, can_change, csrf, end="")
