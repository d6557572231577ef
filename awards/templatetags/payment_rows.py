"""The payments' table rows, written in Python: the payments list's, and the payment plan's on a
project page.

Their templates resolved some 25 variables, filters and translations per payment: half of the
list's time for a page of 50, a twentieth of the project page's (issue 16). Here the same markup
(byte for byte: tests/awards/test_payment_rows.py renders both) comes from the same filters and
translations."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from applications.templatetags.puljeflow import dkk
from core.html import format_html
from core.links import link
from core.tables import all_rows, blocktranslated, short_date

from ..models import PaymentState
from .awards_tags import awards_badge

register = template.Library()

# A state's label by its code: Django's get_state_display() hashes every choice's label (each a
# lazy translation) on every call, a fifth of a row's time.
_STATE_LABELS = dict(PaymentState.choices)


def _quarter(payment: Any) -> SafeString:
    if not payment.quarter:
        return conditional_escape(_("Retained share"))
    return blocktranslated(_("Q%(quarter)s %(year)s"), quarter=payment.quarter, year=payment.year)


@register.simple_tag
def payment_row(payment: Any, can_pay: bool) -> SafeString:
    """A payment: its project (number and lead), the CVR number, the quarter it pays for (or the
    retained share), when it is due, the amount, its state (why it is held, when it was paid) and,
    for SIRI's finance staff, the link to record it as paid."""
    application = payment.grant.application
    anchor = f"payment-{payment.pk}"
    notes = "".join(
        format_html('<br><span class="form-hint">{}</span>', note)
        for note in (payment.held_reason, short_date(payment.paid_on) if payment.paid_on else "")
        if note
    )
    pay = (
        format_html(
            '<a class="function-link" href="{}" aria-describedby="{}">{}</a>',
            link("awards:pay", payment.pk),
            anchor,
            _("Record as paid"),
        )
        if can_pay and payment.state == PaymentState.PLANNED
        else ""
    )
    return format_html(
        '\n<tr>\n  <th scope="row" id="{}"><a href="{}">{}</a><br><span class="form-hint">{} · {}</span></th>\n'
        "  <td>{}</td>\n  <td>{}</td>\n  <td>{}</td>\n"
        '  <td class="number">{}</td>\n'
        '  <td><span class="{}">{}</span>{}</td>\n'
        "  <td>{}</td>\n</tr>",
        anchor,
        link("monitoring:project", payment.grant_id),
        application.title,
        application.journal_number,
        application.lead_municipality.name,
        payment.cvr or "–",
        _quarter(payment),
        short_date(payment.due_on),
        dkk(payment.amount),
        awards_badge(payment.state),
        _STATE_LABELS.get(payment.state, payment.state),
        mark_safe(notes),  # noqa: S308 (each made by format_html)
        pay,
    )


@register.simple_tag
def plan_row(payment: Any, can_pay: bool, path: str) -> SafeString:
    """A payment of the project page's payment plan: the quarter it pays for (or the retained
    share), when it is due, the amount, its state (why it is held), when it was paid and, for
    SIRI's finance staff, the link to record it as paid and come back to the page."""
    retained = payment.state == PaymentState.RETAINED
    held = format_html('<br><span class="form-hint">{}</span>', payment.held_reason) if payment.held_reason else ""
    pay = ""
    if can_pay:
        record = (
            format_html(
                '<a class="function-link" href="{}?next={}">{}</a>',
                link("awards:pay", payment.pk),
                quote(path, safe="/"),
                _("Record as paid"),
            )
            if payment.state == PaymentState.PLANNED
            else ""
        )
        pay = format_html("<td>{}</td>", record)
    return format_html(
        '<tr>\n      <th scope="row">{}</th>\n      <td>{}</td>\n      <td class="number">{}</td>\n'
        '      <td><span class="{}">{}</span>{}</td>\n      <td>{}</td>\n      {}\n    </tr>',
        _quarter(payment),
        _("When the final accounts are approved") if retained else short_date(payment.due_on),
        dkk(payment.amount),
        awards_badge(payment.state),
        _STATE_LABELS.get(payment.state, payment.state),
        held,
        short_date(payment.paid_on) if payment.paid_on else "–",
        pay,
    )


@register.simple_tag
def payment_rows(payments: Any, can_pay: bool) -> SafeString:
    return all_rows(payment_row, payments, can_pay)
