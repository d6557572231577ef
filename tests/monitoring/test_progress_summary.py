"""The pool dashboard reads each project's progress summary (monitoring.summary) instead of every
report: the page is the same whether the summaries are stored or computed on the spot, and a
report handed in (or any other change of a project's figures) writes its project's summary anew
after the commit."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from applications.models import Grant
from monitoring import services
from monitoring.models import GrantProgress
from monitoring.quarters import Quarter

from ..conftest import make_pool, page_client_for
from .conftest import goals_of, recent_period
from .test_view_queries import add_projects

pytestmark = pytest.mark.django_db


def page(user: Any, url: str) -> str:
    html = page_client_for(user).get(url).content.decode()
    return re.sub(r"[A-Za-z0-9]{64}", "", html)  # the CSRF tokens


def test_the_dashboard_is_the_same_from_stored_summaries_as_computed(slagelse_applicant: Any, reviewer: Any) -> None:
    start, end = recent_period()
    pool = make_pool(project_start_earliest=start, project_end_latest=end)
    add_projects(pool, 12, slagelse_applicant, reviewer)  # in bulk: no summary written
    url = reverse("monitoring:dashboard", args=[pool.pk])
    assert not GrantProgress.objects.exists()
    computed = page(reviewer, url)

    call_command("rebuild_progress", stdout=None)
    assert GrantProgress.objects.count() == 12
    assert page(reviewer, url) == computed
    assert "Projekt 0" in computed and "Kvinder i job" in computed


@pytest.mark.django_db(transaction=True)  # real commits: the summary is written after them
def test_a_report_handed_in_writes_its_projects_summary_after_the_commit(
    granted_project: Grant, slagelse_applicant: Any
) -> None:
    first = Quarter.of(granted_project.start_date)
    women, attendance = goals_of(granted_project)
    data = {
        "year": first.year,
        "quarter": first.quarter,
        "narrative": "Forløbet kører som planlagt.",
        "enrolled": 40,
        "spent_to_date": Decimal(90000),
        "progress": [
            {"goal": women.pk, "value": Decimal(6)},
            {"goal": attendance.pk, "numerator": 65, "denominator": 100},
        ],
    }
    report = services.create_report(granted_project.pk, slagelse_applicant, data)
    row = GrantProgress.objects.get(grant=granted_project)
    assert row.reference is None  # a draft counts for nothing

    services.submit_report(report.pk, slagelse_applicant)
    row = GrantProgress.objects.get(grant=granted_project)
    assert row.reference == first
    assert row.spent == Decimal(90000)
    assert {item["goal"]: item["actual"] for item in row.goals} == {women.pk: "6.00", attendance.pk: "65.00"}
