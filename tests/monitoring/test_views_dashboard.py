"""The pool dashboard's page: the goals of every project, the late reports, the KPIs against the
national average, completeness per quarter, and its filters (full page and htmx partial)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from monitoring import services

from .conftest import make_grant, recent_period
from .test_views import HTMX, client, first_quarter, submitted_report

pytestmark = pytest.mark.django_db


def test_the_dashboard_shows_goals_late_reports_kpis_and_completeness_and_filters(
    slagelse_applicant: Any, gribskov_applicant: Any, reviewer: Any, pool_admin: Any
) -> None:
    start, end = recent_period()
    slagelse = make_grant(slagelse_applicant, reviewer, start, end)
    gribskov = make_grant(gribskov_applicant, reviewer, start, end, code="270")
    # Both in one pool, as SIRI grants them.
    gribskov.application.pool = slagelse.application.pool
    gribskov.application.save()
    quarter = first_quarter(slagelse)
    submitted_report(slagelse, slagelse_applicant, quarter, kpis={"self_supporting_share": Decimal("12.5")})
    services.set_national_kpi(pool_admin, quarter.year, quarter.quarter, {"self_supporting_share": Decimal("14")})
    url = reverse("monitoring:dashboard", args=[slagelse.application.pool_id])
    browser = client(reviewer)

    response = browser.get(url)
    page = response.content.decode()
    assert slagelse.application.journal_number in page and gribskov.application.journal_number in page
    assert page.count('scope="rowgroup"') == 2  # each project with its goals
    assert "Off track" in page or "At risk" in page or "On track" in page
    late = response.context["late"]
    assert {row.grant_id for row in late} == {slagelse.pk, gribskov.pk}
    overdue = [m for m in gribskov.milestones.all() if m.report_due_on < timezone.localdate()]
    assert len([row for row in late if row.grant_id == gribskov.pk]) == len(overdue)
    assert late[0].days_late >= late[-1].days_late
    assert "12.5 %" in page and "(14 %)" in page
    first = response.context["completeness"][0]
    assert (first.quarter, first.expected, first.submitted, first.on_time) == (quarter, 2, 1, 0)
    assert "50 %" in page  # completeness of the first quarter

    only_gribskov = browser.get(url, {"municipality": "270"})
    assert [r.pk for r in only_gribskov.context["projects"]] == [gribskov.pk]
    partial = browser.get(url, {"municipality": "330"}, **HTMX, HTTP_HX_TARGET="dashboard-results")
    assert b"<html" not in partial.content
    assert [r.pk for r in partial.context["projects"]] == [slagelse.pk]
    nonsense = browser.get(url, {"municipality": "nowhere"})
    assert nonsense.status_code == 200 and nonsense.context["filter_form"].errors

    danish = client(reviewer, "da").get(url).content.decode()
    assert "12,5 %" in danish


def test_the_dashboard_of_an_unknown_pool_is_404(reviewer: Any) -> None:
    assert client(reviewer).get(reverse("monitoring:dashboard", args=[999999])).status_code == 404
