# ruff: noqa: E501 (the reference templates are kept as the overview had them, line for line)
"""The network overview's rows are written by template tags (ambassadors/templatetags/ambassador_rows.py)
instead of the templates that wrote them before (issue 16): the same markup, byte for byte, for
every kind of row, in both languages; what an ambassador or SIRI typed stays escaped."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.contrib.auth.models import User
from django.template import Context, Template
from django.utils import translation

from ambassadors.models import Ambassador, AmbassadorReport, AmbassadorReportState
from ambassadors.views.common import STATE_BADGES
from ambassadors.views.network import NetworkRow
from ambassadors.views.reports import QuarterRow
from applications.models import Application, Grant, Municipality
from monitoring.quarters import Quarter

# The rows as the overview's templates wrote them (and the state badge they included), kept here
# as the reference.
STATE = '{% load puljeflow %}<span class="{{ badges|get_item:report.state }}">{{ report.get_state_display }}</span>\n'
AMBASSADOR_ROW = Template(
    """{% load i18n puljeflow %}{% for row in rows %}{% with ambassador=row.ambassador %}<tr>
    <th scope="row">{{ ambassador }}{% if not ambassador.active %} <span class="badge">{% translate "Inactive" %}</span>{% endif %}{% if ambassador.email %}<br><a href="mailto:{{ ambassador.email }}" class="weight-normal">{{ ambassador.email }}</a>{% endif %}</th>
    <td>{{ ambassador.municipality.name }}</td>
    <td><a href="{% url 'monitoring:project' ambassador.grant_id %}">{{ ambassador.grant.application.title }}</a></td>
    <td>{{ ambassador.focus_labels|join:", "|default:"–" }}</td>
    <td>{% if row.last %}{% if row.last.first_submitted_at %}<a href="{% url 'ambassadors:report' row.last.pk %}">{{ row.last.period }}</a>{% else %}{{ row.last.period }}{% endif %} {% with report=row.last %}"""
    + STATE.replace("{% load puljeflow %}", "")
    + """{% endwith %}{% else %}{% translate "None yet" %}{% endif %}</td>
    <td>{% if row.late %}<span class="badge badge-error">{% blocktranslate with quarter=row.late %}Late: {{ quarter }}{% endblocktranslate %}</span><br><span class="form-hint">{% blocktranslate with due=row.due|date:"SHORT_DATE_FORMAT" %}due {{ due }}{% endblocktranslate %}</span>{% else %}<span aria-hidden="true">–</span><span class="sr-only">{% translate "not late" %}</span>{% endif %}</td>
  </tr>{% endwith %}
{% endfor %}"""
)
AWAITING_ROW = Template(
    """{% load i18n %}{% for row in rows %}{% with report=row %}<tr>
    <th scope="row">{{ report.ambassador }}</th>
    <td>{{ report.ambassador.municipality.name }}</td>
    <td><a href="{% url 'ambassadors:report' report.pk %}">{% blocktranslate with quarter=report.period %}Report for {{ quarter }}{% endblocktranslate %}<span class="sr-only"> {{ report.ambassador }}</span></a></td>
    <td>{% if report.submitted_at %}<time datetime="{{ report.submitted_at|date:'c' }}">{{ report.submitted_at|date:"SHORT_DATE_FORMAT" }}</time>{% endif %}</td>
  </tr>{% endwith %}
{% endfor %}"""
)
AMBASSADOR_TAG = Template(
    "{% load ambassador_rows %}{% for row in rows %}{% ambassador_row row badges %}\n{% endfor %}"
)
AWAITING_TAG = Template("{% load ambassador_rows %}{% for row in rows %}{% awaiting_row row %}\n{% endfor %}")


def ambassadors() -> list[Ambassador]:
    municipality = Municipality(code="330", name="Slagelse & Omegn")
    grant = Grant(pk=7, application=Application(pk=7, title="Job & <sprog>", lead_municipality=municipality))
    made = []
    for index, (active, email, focus) in enumerate(
        itertools.product([True, False], ["", "hanne+<x>@slagelse.dk"], [[], ["women", "igu"]])
    ):
        user = User(pk=index + 1, username=f"amb{index}", first_name="Hanne & <Co>", last_name="Jensen")
        made.append(
            Ambassador(
                pk=index + 1,
                user=user,
                municipality=municipality,
                grant=grant,
                focus_areas=focus,
                email=email,
                active=active,
            )
        )
    return made


def reports(ambassador: Ambassador) -> list[AmbassadorReport]:
    # Late in the evening in UTC: already the next day in Copenhagen, as the page shows it.
    submitted = datetime.datetime(2026, 7, 31, 23, 30, tzinfo=datetime.UTC)
    return [
        AmbassadorReport(
            pk=index + 1,
            ambassador=ambassador,
            year=2026,
            quarter=2,
            state=state,
            first_submitted_at=at,
            submitted_at=at,
        )
        for index, (state, at) in enumerate(
            [(AmbassadorReportState.DRAFT, None), *((s, submitted) for s in AmbassadorReportState.values)]
        )
    ]


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_tags_write_the_rows_the_templates_wrote(language: str) -> None:
    people = ambassadors()
    rows = [
        NetworkRow(ambassador, last, late, due)
        for ambassador in people
        for last in [None, *reports(ambassador)]
        for late, due in [(None, None), (Quarter(2026, 1), datetime.date(2026, 4, 30))]
    ]
    awaiting = reports(people[1]) + reports(people[2])
    written = {}
    with translation.override(language):
        for name, template, tag, context in (
            ("ambassadors", AMBASSADOR_ROW, AMBASSADOR_TAG, {"rows": rows, "badges": STATE_BADGES}),
            ("awaiting", AWAITING_ROW, AWAITING_TAG, {"rows": awaiting}),
        ):
            written[name] = tag.render(Context(context))
            assert written[name] == template.render(Context(context))
            assert "Hanne &amp; &lt;Co&gt; Jensen" in written[name] and "<Co>" not in written[name]
    assert 'datetime="2026-08-01T01:30:00+02:00"' in written["awaiting"]
    if language == "en":
        assert "Late: Q1 2026" in written["ambassadors"] and "None yet" in written["ambassadors"]
        assert "Report for Q2 2026" in written["awaiting"]


# The ambassador's own page's quarter row as its template wrote it, kept here as the reference.
QUARTER_ROW = Template(
    """{% load i18n puljeflow %}{% for row in rows %}<tr>
      <th scope="row">{{ row.quarter }}</th>
      <td><time datetime="{{ row.due|date:'Y-m-d' }}">{{ row.due|date:"SHORT_DATE_FORMAT" }}</time>{% if row.late %} <span class="badge badge-error">{% translate "Late" %}</span>{% endif %}</td>
      <td>{% if row.report %}{% with report=row.report %}"""
    + STATE.replace("{% load puljeflow %}", "")
    + """{% endwith %}{% if row.report.returned_reason %} <span class="badge badge-warning">{% translate "Returned by SIRI" %}</span>{% endif %}{% else %}{% translate "Not written" %}{% endif %}</td>
      <td>{% if not row.report %}<a href="{% url 'ambassadors:report_create' %}?year={{ row.quarter.year }}&amp;quarter={{ row.quarter.quarter }}">{% blocktranslate with quarter=row.quarter %}Write the report for {{ quarter }}{% endblocktranslate %}</a>
        {% elif row.report.state == "draft" %}<a href="{% url 'ambassadors:report_edit' row.report.pk %}">{% blocktranslate with quarter=row.quarter %}Continue the report for {{ quarter }}{% endblocktranslate %}</a>
        {% else %}<a href="{% url 'ambassadors:report' row.report.pk %}">{% blocktranslate with quarter=row.quarter %}Read the report for {{ quarter }}{% endblocktranslate %}</a>{% endif %}</td>
    </tr>
{% endfor %}"""
)
QUARTER_TAG = Template("{% load ambassador_rows %}{% for row in rows %}{% quarter_row row badges %}\n{% endfor %}")


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_tag_writes_the_quarter_rows_the_template_wrote(language: str) -> None:
    ambassador = ambassadors()[0]
    written_reports = reports(ambassador)
    written_reports[-1].returned_reason = "Tallene <mangler>"
    rows = [
        QuarterRow(Quarter(2026, 2), datetime.date(2026, 7, 31), report, late)
        for report in [None, *written_reports]
        for late in (True, False)
    ]
    context = {"rows": rows, "badges": STATE_BADGES}
    with translation.override(language):
        written = QUARTER_TAG.render(Context(context))
        assert written == QUARTER_ROW.render(Context(context))
    assert "Tallene" not in written  # the reason is the report's page's to show, not the row's
    assert "?year=2026&amp;quarter=2" in written
    if language == "en":
        for verb in ("Write", "Continue", "Read"):
            assert f"{verb} the report for Q2 2026" in written
