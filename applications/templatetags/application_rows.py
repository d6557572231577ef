"""The tables' rows of the review queue and of "Mine ansøgninger", written in Python.

Their templates resolved some 60 and 20 variables, filters and translations per application, a
fifth to a quarter of a page's time (issue 16); here the same markup (byte for byte:
tests/applications/test_application_rows.py renders both) comes from the same filters and
translations the templates used."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.html import format_html
from core.links import link
from core.roles import Role
from core.tables import short_date

from ..models import QUEUE_STATES, State
from .puljeflow import dkk, state_badge

register = template.Library()

# A state's label by its code: Django's get_state_display() hashes every choice's label (each a
# lazy translation) on every call.
_STATE_LABELS = dict(State.choices)


def _review(row: Any) -> Any:
    # The template's first two branches ended on a line of their own.
    if row.mine is None:
        return _("Not reviewed") + "\n        "
    if row.mine.conflict_of_interest:
        return _("Conflict of interest declared") + "\n        "
    recommendation = conditional_escape(row.mine.get_recommendation_display())
    return mark_safe(_("Reviewed: %(recommendation)s") % {"recommendation": recommendation})  # noqa: S308


def _score_link(row: Any, journal: Any) -> SafeString:
    label = _("Score") if row.mine is None else _("Change your review")
    return format_html(
        '\n        <br><a href="{}">{}<span class="sr-only"> {}</span></a>\n        ',
        row.links["score"],
        label,
        journal,
    )


def _assigned(row: Any, application: Any, can_assign: bool) -> SafeString:
    if row.assigned:
        names = mark_safe(", ".join(conditional_escape(name) for name in row.assigned))  # noqa: S308 (each escaped)
        mine = format_html(' <span class="badge badge-info">{}</span>', _("Assigned to me"))
        who = format_html("{}{}", names, mine if row.assigned_to_me else "")
    else:
        who = _("No one")
    wanted = application.pool.reviewers_per_application
    # As {% blocktranslate %} writes it: the translation as it is, its values (numbers) put in.
    of = mark_safe(  # noqa: S308
        ngettext("%(assigned)s of %(counter)s", "%(assigned)s of %(counter)s", wanted)
        % {"assigned": len(row.assigned), "counter": wanted}
    )
    link = (
        format_html(
            '<br><a href="{}">{}<span class="sr-only"> {}</span></a>',
            row.links["assign"],
            _("Assign"),
            application.journal_number,
        )
        if can_assign and application.state in QUEUE_STATES
        else ""
    )
    return format_html(
        '\n        {}\n        <span class="form-hint">({})</span>\n        {}\n      ',
        who,
        of,
        link,
    )


def _submitted(application: Any) -> SafeString | str:
    if not application.submitted_at:
        return "–"
    moment = template_localtime(application.submitted_at)
    # Django's "c" format is isoformat().
    return format_html('<time datetime="{}">{}</time>', moment.isoformat(), short_date(moment))


def _average(row: Any) -> SafeString:
    if row.average is not None:
        return conditional_escape(floatformat(row.average, 2))
    return format_html('<span class="sr-only">{}</span><span aria-hidden="true">–</span>', _("none"))


@register.simple_tag(takes_context=True)
def queue_row(context: template.Context, row: Any) -> SafeString:
    """An application of the queue: its number, title, the reviewer's own review, who is
    assigned, the municipality, pool, state, when submitted, the money asked, reviews and score."""
    application = row.application
    journal = application.journal_number
    return format_html(
        '\n    <tr>\n      <th scope="row">{}</th>\n      <td><a href="{}">{}</a></td>\n'
        "      <td>\n        {}\n        {}\n      </td>\n"
        "      <td>{}</td>\n"
        "      <td>{}</td>\n      <td>{}</td>\n"
        '      <td><span class="{}">{}</span></td>\n'
        "      <td>{}</td>\n"
        '      <td class="number">{}</td>\n      <td class="number">{}</td>\n      <td class="number">{}</td>\n'
        "    </tr>\n    ",
        journal or "–",
        row.links["detail"],
        application.title or _("(untitled)"),
        _review(row),
        _score_link(row, journal) if application.state in QUEUE_STATES else "",
        _assigned(row, application, context.get("can_assign", False)),
        application.lead_municipality.name,
        application.pool.name,
        state_badge(application.state),
        _STATE_LABELS.get(application.state, application.state),
        _submitted(application),
        dkk(application.requested_total),
        row.review_count,
        _average(row),
    )


@register.simple_tag(takes_context=True)
def mine_row(context: template.Context, application: Any) -> SafeString:
    """An application of "Mine ansøgninger": its title (a draft's link edits it for an
    applicant), the lead municipality where it is not the user's, number, pool, state, the
    deadline of a draft, the money asked and what to do next."""
    draft = application.state == State.DRAFT
    editable = draft and context.get("role") == Role.APPLICANT
    url = link("applications:edit" if editable else "applications:detail", application.pk)
    lead = (
        format_html('<br><span class="form-hint">{}</span>', application.lead_municipality.name)
        if application.lead_municipality_id not in context.get("own_ids", ())
        else ""
    )
    deadline = short_date(application.pool.closes_on) if draft else "–"
    return format_html(
        '\n    <tr>\n      <td><a href="{}">{}</a>{}</td>\n'
        "      <td>{}</td>\n      <td>{}</td>\n"
        '      <td><span class="{}">{}</span></td>\n'
        '      <td>{}</td>\n      <td class="number">{}</td>\n      <td>{}</td>\n    </tr>\n',
        url,
        application.title or _("(untitled draft)"),
        lead,
        application.journal_number or "–",
        application.pool.name,
        state_badge(application.state),
        _STATE_LABELS.get(application.state, application.state),
        deadline,
        dkk(application.requested_total),
        application.next_action,
    )
