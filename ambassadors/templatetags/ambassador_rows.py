"""The ambassadors' table rows, written in Python: the network overview's (the ambassadors, the
reports awaiting acknowledgement) and the quarters of an ambassador's own page.

Their templates resolved some 20 variables, filters, translations and an include per row: a
quarter of the network overview's time for its two tables of 25, a tenth of the ambassador's page
(issue 16). Here the same markup (byte for byte: tests/ambassadors/test_ambassador_rows.py renders
both) comes from the same filters and translations."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import formats, timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.html import format_html
from core.links import link
from core.tables import all_rows, blocktranslated, short_date

from ..models import AmbassadorReportState

register = template.Library()

# A report state's label by its code: Django's get_state_display() hashes every choice's label
# (each a lazy translation) on every call.
_STATE_LABELS = dict(AmbassadorReportState.choices)


def _state(report: Any, badges: dict[str, str]) -> SafeString:
    """ambassadors/report/_state.html, as its include wrote it (with the file's last newline)."""
    label = _STATE_LABELS.get(report.state, report.state)
    return format_html('<span class="{}">{}</span>\n', badges.get(report.state), label)


def _last(row: Any, badges: dict[str, str]) -> SafeString | str:
    last = row.last
    if last is None:
        return conditional_escape(_("None yet"))
    period = (
        format_html('<a href="{}">{}</a>', link("ambassadors:report", last.pk), last.period)
        if last.first_submitted_at
        else conditional_escape(last.period)
    )
    return format_html("{} {}", period, _state(last, badges))


def _late(row: Any) -> SafeString:
    if not row.late:
        return format_html('<span aria-hidden="true">–</span><span class="sr-only">{}</span>', _("not late"))
    return format_html(
        '<span class="badge badge-error">{}</span><br><span class="form-hint">{}</span>',
        blocktranslated(_("Late: %(quarter)s"), quarter=row.late),
        blocktranslated(_("due %(due)s"), due=short_date(row.due)),
    )


@register.simple_tag
def ambassador_row(row: Any, badges: dict[str, str]) -> SafeString:
    """An ambassador: the name (inactive, e-mail), municipality, project, focus areas, the last
    report and its state, and the quarter late, if one is."""
    ambassador = row.ambassador
    heading = conditional_escape(ambassador)
    if not ambassador.active:
        heading += format_html(' <span class="badge">{}</span>', _("Inactive"))
    if ambassador.email:
        heading += format_html(
            '<br><a href="mailto:{}" class="weight-normal">{}</a>', ambassador.email, ambassador.email
        )
    focus = conditional_escape(", ").join(conditional_escape(label) for label in ambassador.focus_labels)
    return format_html(
        '<tr>\n    <th scope="row">{}</th>\n    <td>{}</td>\n    <td><a href="{}">{}</a></td>\n'
        "    <td>{}</td>\n    <td>{}</td>\n    <td>{}</td>\n  </tr>",
        heading,
        ambassador.municipality.name,
        link("monitoring:project", ambassador.grant_id),
        ambassador.grant.application.title,
        mark_safe(focus) if focus else "–",  # noqa: S308 (each label escaped)
        _last(row, badges),
        _late(row),
    )


@register.simple_tag
def awaiting_row(report: Any) -> SafeString:
    """A report awaiting acknowledgement: its ambassador, municipality, quarter and when it came."""
    submitted = ""
    if report.submitted_at:
        local = timezone.localtime(report.submitted_at)
        submitted = format_html('<time datetime="{}">{}</time>', formats.date_format(local, "c"), short_date(local))
    return format_html(
        '<tr>\n    <th scope="row">{}</th>\n    <td>{}</td>\n'
        '    <td><a href="{}">{}<span class="sr-only"> {}</span></a></td>\n'
        "    <td>{}</td>\n  </tr>",
        report.ambassador,
        report.ambassador.municipality.name,
        link("ambassadors:report", report.pk),
        blocktranslated(_("Report for %(quarter)s"), quarter=report.period),
        report.ambassador,
        submitted,
    )


def _quarter_link(row: Any) -> SafeString:
    report = row.report
    if report is None:
        url = f"{link('ambassadors:report_create')}?year={row.quarter.year}&quarter={row.quarter.quarter}"
        return format_html(
            '<a href="{}">{}</a>\n        ',
            url,
            blocktranslated(_("Write the report for %(quarter)s"), quarter=row.quarter),
        )
    if report.state == AmbassadorReportState.DRAFT:
        return format_html(
            '<a href="{}">{}</a>\n        ',
            link("ambassadors:report_edit", report.pk),
            blocktranslated(_("Continue the report for %(quarter)s"), quarter=row.quarter),
        )
    return format_html(
        '<a href="{}">{}</a>',
        link("ambassadors:report", report.pk),
        blocktranslated(_("Read the report for %(quarter)s"), quarter=row.quarter),
    )


@register.simple_tag
def quarter_row(row: Any, badges: dict[str, str]) -> SafeString:
    """A quarter of the ambassador's own page: when its report is due (late?), the report's state
    (returned?) and the link to write, continue or read it."""
    report = row.report
    if report is None:
        state = conditional_escape(_("Not written"))
    else:
        state = _state(report, badges)
        if report.returned_reason:
            state += format_html(' <span class="badge badge-warning">{}</span>', _("Returned by SIRI"))
    late = format_html(' <span class="badge badge-error">{}</span>', _("Late")) if row.late else ""
    return format_html(
        '<tr>\n      <th scope="row">{}</th>\n      <td><time datetime="{}">{}</time>{}</td>\n'
        "      <td>{}</td>\n      <td>{}</td>\n    </tr>",
        row.quarter,
        formats.date_format(row.due, "Y-m-d"),
        short_date(row.due),
        late,
        state,
        _quarter_link(row),
    )


@register.simple_tag
def ambassador_rows(rows: Any, badges: dict[str, str]) -> SafeString:
    return all_rows(ambassador_row, rows, badges)


@register.simple_tag
def awaiting_rows(reports: Any) -> SafeString:
    return all_rows(awaiting_row, reports)
