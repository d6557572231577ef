"""A goal's chart on the project page is written by a tag (monitoring/templatetags/goal_chart.py)
instead of the template that wrote it before (kept here as goal_chart_before.html): the same
markup, byte for byte, for charts with and without a unit, expected values and reported values,
in both languages; every text stays escaped."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from monitoring.views.charts import Chart, Dot, Row, Tick

BEFORE = Template((Path(__file__).parent / "goal_chart_before.html").read_text())
TAG = Template("{% load goal_chart %}{% goal_chart chart %}")


def charts() -> list[Chart]:
    full = Chart(
        key="goal-7",
        title='Kvinder i job & "uddannelse" <2026>',
        summary="Mål 35 personer; 12 nået.",
        unit="personer",
        target_y=48.25,
        target_label="Mål: 35 personer",
        expected_points="64.0,236.0 204.0,180.5 344.0,125.0",
        actual_points="64.0,236.0 204.0,200.0",
        actual_dots=[Dot(64.0, 236.0, "0"), Dot(204.0, 199.96, "12")],
        x_ticks=[Tick(64.0, "1. kvt. 2026"), Tick(204.0, "2. kvt. 2026", minor=True), Tick(344.0, "Slut")],
        y_ticks=[Tick(236.0, "0"), Tick(142.125, "17,5"), Tick(48.25, "35 & mere")],
        rows=[Row("1. kvt. 2026", "0 personer", "0 personer"), Row("2. kvt. 2026", "12 <personer>", "–")],
    )
    bare = Chart(key="goal-8", title="Fremmøde", summary="", unit="", target_y=40.0, target_label="Mål: 80 %")
    reported_only = Chart(
        key="goal-9",
        title="Niveau",
        summary="s",
        unit="%",
        actual_points="64.0,100.0",
        actual_dots=[Dot(64.0, 100.0, "50")],
        rows=[Row("1. kvt. 2026", "–", "50 %")],
    )
    return [full, bare, reported_only]


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize("index", [0, 1, 2])
def test_the_tag_writes_the_chart_the_template_wrote(language: str, index: int) -> None:
    chart = charts()[index]
    with translation.override(language):
        expected = BEFORE.render(Context({"chart": chart}))
        written = TAG.render(Context({"chart": chart}))
    assert written == expected
    if index == 0:
        assert "Kvinder i job &amp; &quot;uddannelse&quot; &lt;2026&gt;" in written and "<2026>" not in written
        assert 'class="chart-label chart-tick-minor"' in written and 'dy="1.2em"' in written
