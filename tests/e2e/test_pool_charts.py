"""The pool dashboard's charts as Chromium draws them, on a phone (375 px) and a desktop (1280 px):
the page does not scroll sideways, no two of a chart's labels overlap, each chart's table for
screen readers is there, and axe finds nothing serious or critical. Screenshots of the dashboard
at both widths land in var/screenshots/."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from monitoring import services as monitoring_services
from monitoring.quarters import Quarter
from tests.monitoring.conftest import goals_of, make_grant, recent_period

from . import axe
from .conftest import Browsing, shot, t
from .test_shell import NO_SIDEWAYS_SCROLL, TOO_WIDE

pytestmark = pytest.mark.django_db(transaction=True)

# Every pair of visible labels in a pool chart whose boxes meet.
OVERLAPS = """() => Array.from(document.querySelectorAll('.pool-chart > svg')).map(svg => {
  const boxes = Array.from(svg.querySelectorAll('text.chart-label'))
    .filter(t => getComputedStyle(t).display !== 'none')
    .map(t => t.getBoundingClientRect());
  let count = 0;
  boxes.forEach((a, i) => boxes.slice(i + 1).forEach(b => {
    if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) count += 1;
  }));
  return count;
})"""


@pytest.mark.parametrize("width", [375, 1280])
def test_the_pool_dashboards_charts_fit_and_speak(width: int, browse: Browsing, personas: dict[str, Any]) -> None:
    slagelse, reviewer = personas["slagelse_applicant"], personas["reviewer"]
    grant = make_grant(slagelse, reviewer, *recent_period())
    women, attendance = goals_of(grant)
    first = Quarter.of(grant.start_date)
    report = monitoring_services.create_report(
        grant.pk,
        slagelse,
        {
            "year": first.year,
            "quarter": first.quarter,
            "narrative": "Rekruttering i gang.",
            "enrolled": 20,
            "spent_to_date": Decimal(90000),
            "progress": [
                {"goal": women.pk, "value": Decimal(4)},
                {"goal": attendance.pk, "numerator": 55, "denominator": 100},
            ],
        },
    )
    monitoring_services.submit_report(report.pk, slagelse)

    page = browse.page("reviewer")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/pools/{grant.application.pool_id}/monitoring/")
    page.wait_for_load_state("networkidle")
    for title in ("Goals by status", "Money granted, paid out and spent", "Reports per quarter"):
        expect(page.get_by_role("img", name=t("da", title), exact=False)).to_have_count(1)
    expect(page.locator(".pool-chart table.sr-only")).to_have_count(3)
    assert page.evaluate(NO_SIDEWAYS_SCROLL), f"sideways scroll at {width} px: {page.evaluate(TOO_WIDE)}"
    overlaps = page.evaluate(OVERLAPS)
    assert overlaps == [0, 0, 0], f"overlapping labels: {overlaps}"
    shot(page, f"pool-dashboard-charts-{width}")
    axe.assert_accessible(page, f"pool dashboard charts [{width}]")
