# ruff: noqa: E501 (the reference template is kept as the list had it, line for line)
"""The payments list's rows are written by a template tag (awards/templatetags/payment_rows.py)
instead of the template that wrote them before (issue 16): the same markup, byte for byte, for
every kind of row, in both languages; what a municipality or SIRI typed stays escaped."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

from applications.models import Application, Grant, Municipality
from awards.models import Payment, PaymentState

# The row as the payments list's template wrote it, kept here as the reference.
TEMPLATE_ROW = Template(
    """{% load i18n puljeflow awards_tags %}{% for row in rows %}{% with payment=row application=row.grant.application %}
<tr>
  <th scope="row" id="payment-{{ payment.pk }}"><a href="{% url 'monitoring:project' payment.grant_id %}">{{ application.title }}</a><br><span class="form-hint">{{ application.journal_number }} · {{ application.lead_municipality.name }}</span></th>
  <td>{{ payment.cvr|default:"–" }}</td>
  <td>{% if payment.quarter %}{% blocktranslate with quarter=payment.quarter year=payment.year %}Q{{ quarter }} {{ year }}{% endblocktranslate %}{% else %}{% translate "Retained share" %}{% endif %}</td>
  <td>{{ payment.due_on|date:"SHORT_DATE_FORMAT" }}</td>
  <td class="number">{{ payment.amount|dkk }}</td>
  <td><span class="{{ payment.state|awards_badge }}">{{ payment.get_state_display }}</span>{% if payment.held_reason %}<br><span class="form-hint">{{ payment.held_reason }}</span>{% endif %}{% if payment.paid_on %}<br><span class="form-hint">{{ payment.paid_on|date:"SHORT_DATE_FORMAT" }}</span>{% endif %}</td>
  <td>{% if can_pay and payment.state == "planned" %}<a class="function-link" href="{% url 'awards:pay' payment.pk %}" aria-describedby="payment-{{ payment.pk }}">{% translate "Record as paid" %}</a>{% endif %}</td>
</tr>{% endwith %}
{% endfor %}"""
)
TAG_ROW = Template("{% load payment_rows %}{% for row in rows %}{% payment_row row can_pay %}\n{% endfor %}")


def payments() -> list[Payment]:
    municipality = Municipality(code="330", name="Slagelse & Omegn")
    application = Application(pk=7, title="Job & <sprog>", journal_number="2026-0007", lead_municipality=municipality)
    grant = Grant(pk=7, application=application)
    made = []
    variants = itertools.product(
        PaymentState.values,
        [(2026, 3), (None, None)],  # an instalment, the retained share
        ["", "12345678"],
        ["", "Rapporten for 2. kvt. <mangler>"],
        [None, datetime.date(2026, 10, 2)],
    )
    for index, (state, (year, quarter), cvr, held_reason, paid_on) in enumerate(variants):
        made.append(
            Payment(
                pk=index + 1,
                grant=grant,
                year=year,
                quarter=quarter,
                due_on=datetime.date(2026, 10, 1),
                amount=Decimal("112500.50"),
                state=state,
                cvr=cvr,
                held_reason=held_reason,
                paid_on=paid_on,
            )
        )
    return made


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize("can_pay", [True, False])
def test_the_tag_writes_the_rows_the_template_wrote(language: str, can_pay: bool) -> None:
    context = {"rows": payments(), "can_pay": can_pay}
    with translation.override(language):
        expected = TEMPLATE_ROW.render(Context(context))
        written = TAG_ROW.render(Context(context))
    assert written == expected
    assert "Job &amp; &lt;sprog&gt;" in written and "<sprog>" not in written
    assert "&lt;mangler&gt;" in written and "<mangler>" not in written
    assert ("/pay/" in written) is can_pay  # the link only for who may pay, on a planned payment
    if language == "en":
        assert "Q3 2026" in written and "Retained share" in written


# The project page's payment plan as its template wrote it, kept here as the reference.
PLAN_TEMPLATE = Template(
    """{% load i18n puljeflow awards_tags %}    <tbody>{% for payment in panel.payments %}<tr>
      <th scope="row">{% if payment.quarter %}{% blocktranslate with quarter=payment.quarter year=payment.year %}Q{{ quarter }} {{ year }}{% endblocktranslate %}{% else %}{% translate "Retained share" %}{% endif %}</th>
      <td>{% if payment.state == "retained" %}{% translate "When the final accounts are approved" %}{% else %}{{ payment.due_on|date:"SHORT_DATE_FORMAT" }}{% endif %}</td>
      <td class="number">{{ payment.amount|dkk }}</td>
      <td><span class="{{ payment.state|awards_badge }}">{{ payment.get_state_display }}</span>{% if payment.held_reason %}<br><span class="form-hint">{{ payment.held_reason }}</span>{% endif %}</td>
      <td>{{ payment.paid_on|date:"SHORT_DATE_FORMAT"|default:"–" }}</td>
      {% if panel.can_pay %}<td>{% if payment.state == "planned" %}<a class="function-link" href="{% url 'awards:pay' payment.pk %}?next={{ request.path|urlencode }}">{% translate "Record as paid" %}</a>{% endif %}</td>{% endif %}
    </tr>{% endfor %}</tbody>"""
)
PLAN_TAG = Template(
    "{% load payment_rows %}    <tbody>{% for payment in panel.payments %}"
    "{% plan_row payment panel.can_pay request.path %}{% endfor %}</tbody>"
)


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize("can_pay", [True, False])
def test_the_tag_writes_the_payment_plan_the_template_wrote(language: str, can_pay: bool) -> None:
    rows = payments()
    rows[0].state = PaymentState.RETAINED
    context = {
        "panel": {"payments": rows, "can_pay": can_pay},
        "request": SimpleNamespace(path="/projects/7/ & <x>"),
    }
    with translation.override(language):
        written = PLAN_TAG.render(Context(context))
        assert written == PLAN_TEMPLATE.render(Context(context))
    assert "&lt;mangler&gt;" in written and "<mangler>" not in written
    assert ("?next=/projects/7/%20%26%20%3Cx%3E" in written) is can_pay
