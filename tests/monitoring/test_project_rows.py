# ruff: noqa: E501 (the reference template is kept as the list had it, line for line)
"""The projects list's rows are written by a template tag (monitoring/templatetags/project_rows.py)
instead of the template that wrote them before (issue 16): the same markup, byte for byte, for
every kind of row, in both languages; what a municipality typed stays escaped."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from applications.models import Application, Grant, Municipality
from monitoring.models import Milestone, QuarterlyReport
from monitoring.progress import ProjectReading, Signal
from monitoring.views.projects import MilestoneRow, ProjectRow

# The row as the projects list's template wrote it, kept here as the reference.
TEMPLATE_ROW = Template(
    """{% load i18n puljeflow monitoring_tags %}{% for row in rows %}{% with grant=row.reading.grant %}
    <tr>
      <th scope="row" id="project-{{ grant.pk }}"><a href="{% url 'monitoring:project' grant.pk %}">{{ grant.application.title }}</a><br><span class="form-hint">{{ grant.application.journal_number }} · {{ grant.application.lead_municipality.name }}</span>{% if grant.state != "active" %}<br><span class="badge">{{ grant.get_state_display }}</span>{% endif %}</th>
      <td>{{ grant.start_date|date:"SHORT_DATE_FORMAT" }} – {{ grant.end_date|date:"SHORT_DATE_FORMAT" }}</td>
      <td class="number">{{ grant.amount|dkk }}</td>
      <td><span class="{{ row.reading.risk|risk_badge }}">{{ row.reading.risk|risk_label }}</span></td>
      <td>{% if row.next_due %}{{ row.next_due.period }}: {{ row.next_due.report_due_on|date:"SHORT_DATE_FORMAT" }}{% else %}–{% endif %}</td>
      <td>{% for milestone, days in row.late %}<span class="badge badge-error">{% blocktranslate with quarter=milestone.period count days=days %}{{ quarter }}, {{ days }} day late{% plural %}{{ quarter }}, {{ days }} days late{% endblocktranslate %}</span>{% if not forloop.last %}<br>{% endif %}{% empty %}–{% endfor %}</td>
      <td>{% if row.can_report %}<a class="function-link" href="{% url 'monitoring:report_create' grant.pk %}" aria-describedby="project-{{ grant.pk }}">{% translate "Write a report" %}</a>{% endif %}</td>
    </tr>
{% endwith %}
{% endfor %}"""
)
TAG_ROW = Template("{% load project_rows %}{% for row in rows %}{% project_row row %}\n{% endfor %}")


def rows() -> list[ProjectRow]:
    municipality = Municipality(code="330", name="Slagelse & Omegn")
    made = []
    risks = [None, "low", "medium", "high"]
    lates = [[], [(1, 1)], [(2, 40), (3, 9)]]
    variants = itertools.product(["active", "awaiting_acceptance", "closed"], risks, lates, [True, False])
    for index, (state, risk, late, can_report) in enumerate(variants):
        application = Application(
            pk=index + 1, title="Job & <sprog>", journal_number=f"2026-{index:04d}", lead_municipality=municipality
        )
        grant = Grant(
            pk=index + 1,
            application=application,
            amount=Decimal("800000.50"),
            state=state,
            start_date=datetime.date(2026, 1, 1),
            end_date=datetime.date(2027, 12, 31),
        )
        reading = ProjectReading(
            grant=grant,
            as_of=datetime.date(2026, 12, 3),
            reference=None,
            goals=[],
            reporting=Signal(risk, None),
            budget=Signal(None, None),
            performance=Signal(None, None),
            late=[],
        )
        due = Milestone(grant=grant, year=2027, quarter=1, report_due_on=datetime.date(2027, 4, 30))
        made.append(
            ProjectRow(
                reading=reading,
                next_due=due if index % 2 else None,
                late=[
                    (Milestone(grant=grant, year=2026, quarter=q, report_due_on=datetime.date(2026, 3 * q, 28)), days)
                    for q, days in late
                ],
                can_report=can_report,
            )
        )
    return made


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_tag_writes_the_rows_the_template_wrote(language: str) -> None:
    context = {"rows": rows()}
    with translation.override(language):
        expected = TEMPLATE_ROW.render(Context(context))
        written = TAG_ROW.render(Context(context))
    assert written == expected
    assert "Job &amp; &lt;sprog&gt;" in written and "<sprog>" not in written
    if language == "en":
        assert written.count("Q3 2026, 9 days late") == 24 and written.count("Q1 2026, 1 day late") == 24


# A project page's milestone row as its template wrote it, kept here as the reference.
MILESTONE_TEMPLATE_ROW = Template(
    """{% load i18n monitoring_tags %}{% for row in rows %}<tr>
      <th scope="row" id="milestone-{{ row.milestone.pk }}">{{ row.milestone.period }}</th>
      <td>{{ row.milestone.report_due_on|date:"SHORT_DATE_FORMAT" }}</td>
      {% for value in row.expected %}<td class="number">{{ value|number }}</td>{% endfor %}
      <td>{{ row.milestone.planned_activities|default:"–"|linebreaksbr }}</td>
      <td>{% if row.report %}<a href="{% url 'monitoring:report' grant.pk row.report.pk %}"><span class="{{ row.status|report_badge }}">{{ row.status|report_label }}</span><span class="sr-only"> {{ row.milestone.period }}</span></a>{% else %}<span class="{{ row.status|report_badge }}">{{ row.status|report_label }}</span>{% endif %}</td>
      {% if milestones_editable %}<td><a class="function-link" href="{% url 'monitoring:milestone_edit' grant.pk row.milestone.pk %}" aria-describedby="milestone-{{ row.milestone.pk }}">{% translate "Change" %}</a></td>{% endif %}
    </tr>
{% endfor %}"""
)
MILESTONE_TAG_ROW = Template("{% load project_rows %}{% for row in rows %}{% milestone_row row %}\n{% endfor %}")


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize("editable", [True, False])
def test_the_tag_writes_the_milestone_rows_the_template_wrote(language: str, editable: bool) -> None:
    grant = Grant(pk=7)
    statuses = ["draft", "submitted", "accepted", "late", "awaiting", "upcoming"]
    plans = ["", "Opstart & <rekruttering>\nFørste hold"]
    made = []
    for index, (status, planned, with_report) in enumerate(itertools.product(statuses, plans, [True, False])):
        milestone = Milestone(
            pk=index + 1,
            grant=grant,
            year=2026,
            quarter=index % 4 + 1,
            report_due_on=datetime.date(2026, 4, 30),
            planned_activities=planned,
        )
        report = QuarterlyReport(pk=index + 100, grant=grant) if with_report else None
        made.append(MilestoneRow(milestone, [Decimal("12.50"), None, Decimal(35)], report, status, editable))
    context = {"rows": made, "grant": grant, "milestones_editable": editable}
    with translation.override(language):
        expected = MILESTONE_TEMPLATE_ROW.render(Context(context))
        written = MILESTONE_TAG_ROW.render(Context(context))
    assert written == expected
    assert "Opstart &amp; &lt;rekruttering&gt;<br>Første hold" in written and "<rekruttering>" not in written
    assert ("/milestones/" in written) is editable


# The project page's reports table as its template wrote it, kept here as the reference.
REPORT_TEMPLATE_ROWS = Template(
    """{% load i18n monitoring_tags %}{% for report in reports %}<tr>
      <th scope="row"><a href="{% url 'monitoring:report' grant.pk report.pk %}">{{ report.period }}</a></th>
      <td><span class="{{ report.state|report_badge }}">{{ report.get_state_display }}</span>{% if report.returned_reason %}<br><span class="form-hint">{% translate "Returned:" %} {{ report.returned_reason }}</span>{% endif %}</td>
      <td>{{ report.submitted_at|date:"SHORT_DATETIME_FORMAT"|default:"–" }}</td>
      <td>{% if report.state == "draft" and can_change_report %}<a class="function-link" href="{% url 'monitoring:report_edit' grant.pk report.pk %}">{% translate "Continue writing" %}<span class="sr-only"> {{ report.period }}</span></a>{% endif %}
        {% if report.first_submitted_at %}<form method="post" action="{% url 'monitoring:briefing' grant.pk %}" class="d-inline d-print-none">{% csrf_token %}
          <input type="hidden" name="year" value="{{ report.year }}"><input type="hidden" name="quarter" value="{{ report.quarter }}">
          <button type="submit" class="button button-tertiary">{% translate "Committee briefing (PDF)" %}<span class="sr-only"> {{ report.period }}</span></button>
        </form>{% endif %}</td>
    </tr>{% endfor %}"""
)
REPORT_TAG_ROWS = Template("{% load project_rows %}{% report_rows reports grant can_change_report %}")


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize("can_change", [True, False])
def test_the_tag_writes_the_report_rows_the_template_wrote(language: str, can_change: bool) -> None:
    grant = Grant(pk=7)
    utc = datetime.UTC
    sent = datetime.datetime(2026, 6, 30, 22, 15, tzinfo=utc)  # 1 July in Copenhagen
    reports = [
        QuarterlyReport(pk=101, grant=grant, year=2026, quarter=1, state="draft"),
        QuarterlyReport(
            pk=102,
            grant=grant,
            year=2026,
            quarter=2,
            state="draft",
            returned_reason='Udfyld "forbruget" & <alt>.',
            submitted_at=sent,
            first_submitted_at=sent,
        ),
        QuarterlyReport(
            pk=103, grant=grant, year=2026, quarter=3, state="submitted", submitted_at=sent, first_submitted_at=sent
        ),
        QuarterlyReport(
            pk=104, grant=grant, year=2026, quarter=4, state="accepted", submitted_at=sent, first_submitted_at=sent
        ),
    ]
    context = {"reports": reports, "grant": grant, "can_change_report": can_change, "csrf_token": "t0k3n"}
    with translation.override(language):
        expected = REPORT_TEMPLATE_ROWS.render(Context(context))
        written = REPORT_TAG_ROWS.render(Context(context))
    assert written == expected
    assert "Udfyld &quot;forbruget&quot; &amp; &lt;alt&gt;." in written and "01.07.2026 00:15" in written
    assert written.count('name="csrfmiddlewaretoken" value="t0k3n"') == 3
    assert ("/edit/" in written) is can_change
