# ruff: noqa: E501 (the reference templates are kept as the report's row templates had them, line for line)
"""A quarterly report's summary tables are written by template tags (monitoring/templatetags/
report_rows.py) instead of a row template included per row (issue 16): the same markup, byte for
byte, for every kind of row, in both languages; what a municipality typed stays escaped."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

import pytest
from django.template import Context, Template
from django.utils import translation

from monitoring.models import FipScore, Outcome, QuarterlyReport
from monitoring.quarters import Quarter
from monitoring.views.reports import GoalLine

# The rows as the report's row templates (monitoring/report/_*_row.html) wrote them, each
# included per row by core/_table.html: kept here as the reference.
BEFORE = {
    "goal": """{% load i18n monitoring_tags %}{% with line=row %}<tr>
      <th scope="row">{{ line.title }}{% if line.group %}<br><span class="form-hint">{{ line.group }}</span>{% endif %}</th>
      <td class="number">{% if not line.measured %}<span class="form-hint">{% translate "Not measured yet" %}</span>{% elif not line.given %}<span class="badge badge-warning">{% translate "Not given" %}</span>{% elif line.denominator is not None %}{% if line.value is None %}{% blocktranslate with total=line.denominator|count %}{{ total }} in the cohort: no share yet{% endblocktranslate %}{% else %}{{ line.value|number }} {{ line.unit }} <span class="form-hint">({% blocktranslate with n=line.numerator|count total=line.denominator|count %}{{ n }} of {{ total }}{% endblocktranslate %})</span>{% endif %}{% else %}{{ line.value|number }} {{ line.unit }}{% endif %}</td>
      <td class="number">{% if line.previous %}{{ line.previous.1|number }} ({{ line.previous.0 }}){% else %}–{% endif %}</td>
      <td>{{ line.comment|default:"–"|linebreaksbr }}</td>
    </tr>{% endwith %}
""",
    "kpi": """{% load monitoring_tags %}{% with label=row.0 value=row.1 national=row.2 %}<tr><th scope="row">{{ label|capfirst }}</th><td class="number">{% if value is None %}–{% else %}{{ value|number }} %{% endif %}</td><td class="number">{% if national is None %}–{% else %}{{ national|number }} %{% endif %}</td></tr>{% endwith %}
""",
    "fip": """{% load monitoring_tags %}{% with label=row.0 scores=row.1 %}<tr><th scope="row">{{ label }}</th>{% for score in scores %}<td class="number">{% if score %}{{ score.average|number }}{% else %}–{% endif %}</td>{% endfor %}</tr>{% endwith %}
""",
    "outcome": """{% with label=row.0 outcome=row.1 %}<tr><th scope="row">{{ label }}</th><td class="number">{{ outcome.participants|default_if_none:"–" }}</td><td class="number">{{ outcome.employed|default_if_none:"–" }}</td></tr>{% endwith %}
""",
}


def _before(kind: str, rows: list[Any]) -> str:
    row_template = Template(BEFORE[kind])
    return "".join(row_template.render(Context({"row": row})) for row in rows)


def _after(kind: str, rows: list[Any]) -> str:
    return Template("{% load report_rows %}{% " + kind + "_rows rows %}").render(Context({"rows": rows}))


def goal_lines() -> list[GoalLine]:
    lines = []
    kinds = [
        {"measured": False},
        {"given": False},
        {"given": True, "value": None, "numerator": 0, "denominator": 1240},
        {"given": True, "value": Decimal("37.50"), "numerator": 465, "denominator": 1240},
        {"given": True, "value": Decimal("1234.00")},
        {"given": True, "value": Decimal("12.25")},
    ]
    previous = [None, (Quarter(2026, 2), Decimal("30.00")), (Quarter(2025, 4), Decimal("1500.50"))]
    for kind, before, group, comment in itertools.product(
        kinds, previous, ["", "Kvinder & <unge>"], ["", "Første linje.\nAnden <linje> & mere."]
    ):
        lines.append(
            GoalLine(
                title="Job & <sprog>",
                unit="personer",
                value=kind.get("value"),
                comment=comment,
                previous=before,
                group=group,
                numerator=kind.get("numerator"),
                denominator=kind.get("denominator"),
                given=kind.get("given", False),
                measured=kind.get("measured", True),
            )
        )
    return lines


def kpi_rows() -> list[tuple[Any, Any, Any]]:
    label = QuarterlyReport._meta.get_field("self_supporting_share").verbose_name
    values = [None, Decimal("0.00"), Decimal("42.50"), Decimal("100.00")]
    return [(label, value, national) for value, national in itertools.product(values, values)]


def fip_rows() -> list[tuple[Any, list[Any]]]:
    scores = [FipScore(average=Decimal("3.25")), None, FipScore(average=Decimal("4.00"))]
    return [("Motivation & <mod>", scores), ("Sprog", [None, None, None]), ("Netværk", scores[::-1])]


def outcome_rows() -> list[tuple[Any, Any]]:
    return [
        ("Ved projektets afslutning", Outcome(participants=1250, employed=0)),
        ("3 måneder efter", None),
        ("12 måneder efter & <senere>", Outcome(participants=35, employed=12)),
    ]


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize(
    ("kind", "rows"),
    [("goal", goal_lines()), ("kpi", kpi_rows()), ("fip", fip_rows()), ("outcome", outcome_rows())],
)
def test_the_rows_are_written_as_the_row_templates_wrote_them(kind: str, rows: list[Any], language: str) -> None:
    with translation.override(language):
        written = _after(kind, rows)
        assert written == _before(kind, rows)
    assert written.count("<tr>") == len(rows)
    assert "<sprog>" not in written and "<unge>" not in written and "<mod>" not in written


def test_a_goal_row_reads_in_danish() -> None:
    line = GoalLine(
        title="Andel i job",
        unit="%",
        value=Decimal("37.50"),
        comment="",
        previous=(Quarter(2026, 2), Decimal("30.00")),
        numerator=465,
        denominator=1240,
        given=True,
    )
    with translation.override("da"):
        written = _after("goal", [line])
    assert '<td class="number">37,5 % <span class="form-hint">(465 af 1.240)</span></td>' in written
    assert f'<td class="number">30 ({Quarter(2026, 2)})</td>' in written
