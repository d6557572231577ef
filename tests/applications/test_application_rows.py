# ruff: noqa: E501 (the reference template is kept as the queue had it, line for line)
"""The rows of the review queue and of "Mine ansøgninger" are written by template tags
(applications/templatetags/application_rows.py) instead of the templates that wrote them before (issue 16): the same markup, byte for byte, for
every kind of row, in both languages; what a municipality typed stays escaped."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from applications.models import Application, Municipality, Pool, Review
from applications.views.review import QueueRow

# The row as the queue's template wrote it, kept here as the reference.
TEMPLATE_ROW = Template(
    """{% load i18n puljeflow %}{% for row in rows %}{% with application=row.application %}
    <tr>
      <th scope="row">{{ application.journal_number|default:"–" }}</th>
      <td><a href="{{ row.links.detail }}">{{ application.title|default:_("(untitled)") }}</a></td>
      <td>
        {% if row.mine is None %}{% translate "Not reviewed" %}
        {% elif row.mine.conflict_of_interest %}{% translate "Conflict of interest declared" %}
        {% else %}{% blocktranslate with recommendation=row.mine.get_recommendation_display %}Reviewed: {{ recommendation }}{% endblocktranslate %}{% endif %}
        {% if application.state == "submitted" or application.state == "politically_approved" %}
        <br><a href="{{ row.links.score }}">{% if row.mine is None %}{% translate "Score" %}{% else %}{% translate "Change your review" %}{% endif %}<span class="sr-only"> {{ application.journal_number }}</span></a>
        {% endif %}
      </td>
      <td>
        {% if row.assigned %}{{ row.assigned|join:", " }}{% if row.assigned_to_me %} <span class="badge badge-info">{% translate "Assigned to me" %}</span>{% endif %}{% else %}{% translate "No one" %}{% endif %}
        <span class="form-hint">({% blocktranslate count counter=application.pool.reviewers_per_application with assigned=row.assigned|length %}{{ assigned }} of {{ counter }}{% plural %}{{ assigned }} of {{ counter }}{% endblocktranslate %})</span>
        {% if can_assign and application.state == "submitted" or can_assign and application.state == "politically_approved" %}<br><a href="{{ row.links.assign }}">{% translate "Assign" %}<span class="sr-only"> {{ application.journal_number }}</span></a>{% endif %}
      </td>
      <td>{{ application.lead_municipality.name }}</td>
      <td>{{ application.pool.name }}</td>
      <td><span class="{{ application.state|state_badge }}">{{ application.get_state_display }}</span></td>
      <td>{% if application.submitted_at %}<time datetime="{{ application.submitted_at|date:'c' }}">{{ application.submitted_at|date:"SHORT_DATE_FORMAT" }}</time>{% else %}–{% endif %}</td>
      <td class="number">{{ application.requested_total|dkk }}</td>
      <td class="number">{{ row.review_count }}</td>
      <td class="number">{% if row.average is not None %}{{ row.average|floatformat:2 }}{% else %}<span class="sr-only">{% translate "none" %}</span><span aria-hidden="true">–</span>{% endif %}</td>
    </tr>
    {% endwith %}{% endfor %}"""
)
TAG_ROW = Template("{% load application_rows %}{% for row in rows %}{% queue_row row %}{% endfor %}")


def rows() -> list[QueueRow]:
    pool = Pool(name="Puljen <2026> & co", reviewers_per_application=2)
    municipality = Municipality(code="330", name="Slagelse & Omegn")
    reviews: list[Review | None] = [
        None,
        Review(conflict_of_interest=True),
        Review(recommendation="grant"),
        Review(recommendation="reject"),
    ]
    made = []
    variants = itertools.product(
        reviews,
        ["submitted", "politically_approved", "granted", "draft"],
        [[], ["Ann <b>", "Bo"]],
        [True, False],
    )
    for index, (mine, state, assigned, to_me) in enumerate(variants):
        application = Application(
            pk=index + 1,
            pool=pool,
            lead_municipality=municipality,
            title=["Job & <sprog>", ""][index % 2],
            state=state,
            journal_number=None if index % 5 == 0 else f"2026-{index:04d}",
            submitted_at=None if index % 3 == 0 else timezone.make_aware(datetime.datetime(2026, 3, 31, 23, 30)),
        )
        application.requested_sum = Decimal("1234567.50")
        made.append(
            QueueRow(
                application=application,
                review_count=index % 4,
                average=None if index % 2 else Decimal("3.456"),
                mine=mine,
                assigned=assigned,
                assigned_to_me=to_me and bool(assigned),
                links={name: f"/applications/{index + 1}/{name}/?a=1&b=2" for name in ("detail", "score", "assign")},
            )
        )
    return made


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize("can_assign", [True, False])
def test_the_tag_writes_the_rows_the_template_wrote(language: str, can_assign: bool) -> None:
    context = {"rows": rows(), "can_assign": can_assign}
    with translation.override(language):
        expected = TEMPLATE_ROW.render(Context(context))
        written = TAG_ROW.render(Context(context))
    assert written == expected
    assert "Job &amp; &lt;sprog&gt;" in written and "<sprog>" not in written
    assert "Ann &lt;b&gt;, Bo" in written
    assert ("/assign/?a=1&amp;b=2" in written) is can_assign


# "Mine ansøgninger"'s row as its template wrote it.
TEMPLATE_MINE = Template(
    """{% load i18n puljeflow %}{% for row in rows %}{% with application=row %}
    <tr>
      <td><a href="{% if application.state == 'draft' and role == 'applicant' %}{% url 'applications:edit' application.pk %}{% else %}{% url 'applications:detail' application.pk %}{% endif %}">{{ application.title|default:_("(untitled draft)") }}</a>{% if application.lead_municipality_id not in own_ids %}<br><span class="form-hint">{{ application.lead_municipality.name }}</span>{% endif %}</td>
      <td>{{ application.journal_number|default:"–" }}</td>
      <td>{{ application.pool.name }}</td>
      <td><span class="{{ application.state|state_badge }}">{{ application.get_state_display }}</span></td>
      <td>{% if application.state == "draft" %}{{ application.pool.closes_on|date:"SHORT_DATE_FORMAT" }}{% else %}–{% endif %}</td>
      <td class="number">{{ application.requested_total|dkk }}</td>
      <td>{{ application.next_action }}</td>
    </tr>
{% endwith %}
{% endfor %}"""
)
TAG_MINE = Template("{% load application_rows %}{% for row in rows %}{% mine_row row %}\n{% endfor %}")


def mine_rows() -> list[Application]:
    pool = Pool(name="Puljen <2026> & co", closes_on=datetime.date(2026, 9, 30))
    own, other = Municipality(pk=1, code="330", name="Slagelse"), Municipality(pk=2, code="270", name="Gribskov & Co")
    made = []
    states = ["draft", "submitted", "politically_approved", "granted", "rejected", "withdrawn"]
    for index, (state, lead) in enumerate(itertools.product(states, [own, other])):
        application = Application(
            pk=index + 1,
            pool=pool,
            lead_municipality=lead,
            title=["Job & <sprog>", ""][index % 2],
            state=state,
            journal_number=None if index % 3 == 0 else f"2026-{index:04d}",
        )
        application.requested_sum = Decimal("1234567.50") if index % 4 else None
        application.next_action = ["Udfyld & indsend", "Ingen"][index % 2]
        made.append(application)
    return made


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize("role", ["applicant", "committee"])
def test_the_tag_writes_mine_as_the_template_did(language: str, role: str) -> None:
    context = {"rows": mine_rows(), "role": role, "own_ids": {1}}
    with translation.override(language):
        expected = TEMPLATE_MINE.render(Context(context))
        written = TAG_MINE.render(Context(context))
    assert written == expected
    assert "Job &amp; &lt;sprog&gt;" in written and "Gribskov &amp; Co" in written
    assert ("/edit/" in written) is (role == "applicant")
