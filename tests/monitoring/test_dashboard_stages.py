"""The pool dashboard counts the pool's grants by where they stand in their life cycle (issue 14)
and shows the projects of one stage: the final accounts due once the period has ended, late
once the pool's `final_report_days` after the end have passed with the grant still active."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Grant, GrantState

from ..conftest import make_pool, page_client_for
from .conftest import recent_period
from .test_view_queries import add_projects

pytestmark = pytest.mark.django_db


def test_the_dashboard_counts_and_filters_the_grants_by_stage(slagelse_applicant: Any, reviewer: Any) -> None:
    start, end = recent_period()
    pool = make_pool(project_start_earliest=start, project_end_latest=end, final_report_days=90)
    grants = sorted(add_projects(pool, 7, slagelse_applicant, reviewer), key=lambda grant: grant.pk)
    today = timezone.localdate()
    changes = [
        (GrantState.AWAITING_ACCEPTANCE, end),
        (GrantState.ACTIVE, end),
        (GrantState.ACTIVE, today - datetime.timedelta(days=10)),  # accounts due in 80 days
        (GrantState.ACTIVE, today - datetime.timedelta(days=91)),  # due yesterday: late
        (GrantState.ACCOUNTS_SUBMITTED, today - datetime.timedelta(days=91)),
        (GrantState.CLOSED, today - datetime.timedelta(days=200)),
        (GrantState.LAPSED, end),  # in no stage
    ]
    for grant, (state, end_date) in zip(grants, changes, strict=True):
        Grant.objects.filter(pk=grant.pk).update(state=state, end_date=end_date)
    browser = page_client_for(reviewer)
    url = reverse("monitoring:dashboard", args=[pool.pk])

    response = browser.get(url)
    assert [(value, count) for value, _label, count, _query in response.context["stage_counts"]] == [
        ("awaiting_acceptance", 1),
        ("active", 1),
        ("accounts_due", 1),
        ("accounts_late", 1),
        ("accounts_submitted", 1),
        ("closed", 1),
    ]
    page = response.content.decode()
    assert "Regnskab forsinket" in page and "Regnskab forfalder" in page
    assert "stage=accounts_late" in page

    response = browser.get(url, {"stage": "accounts_late"})
    assert [r.pk for r in response.context["projects"]] == [grants[3].pk]
    # The counts still speak of every stage, the one shown marked.
    assert sum(count for _value, _label, count, _query in response.context["stage_counts"]) == 6
    assert '<strong aria-current="true">1</strong>' in response.content.decode()

    response = browser.get(url, {"stage": "accounts_due", "municipality": "270"})  # Gribskov leads none of these
    assert response.context["projects"] == []
    assert "Ingen af puljens projekter med tilsagn er i denne fase." in response.content.decode()

    assert browser.get(url, {"stage": "unknown"}).context["stage"] is None
