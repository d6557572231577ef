"""SIRI's back office for monitoring: read-only lists, drafts kept out, national KPIs by the pool admin."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client

from applications.models import Grant
from monitoring import services
from monitoring.followups import record_follow_up
from monitoring.models import NationalKpi
from monitoring.quarters import Quarter

from .conftest import goals_of, make_grant
from .test_followups import ended_period

pytestmark = pytest.mark.django_db

MODELS = ["milestone", "milestonechange", "quarterlyreport", "reportlog", "notification", "followup", "nationalkpi"]


def _browser(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _report(grant: Grant, user: Any, narrative: str, quarter: Quarter) -> Any:
    women, attendance = goals_of(grant)
    return services.create_report(
        grant.pk,
        user,
        {
            "year": quarter.year,
            "quarter": quarter.quarter,
            "narrative": narrative,
            "enrolled": 12,
            "spent_to_date": Decimal(50000),
            "progress": [
                {"goal": women.pk, "value": Decimal(3)},
                {"goal": attendance.pk, "numerator": 50, "denominator": 100},
            ],
        },
    )


def test_every_monitoring_model_is_in_the_admin() -> None:
    registered = {model._meta.model_name for model in admin.site._registry if model._meta.app_label == "monitoring"}
    assert registered == set(MODELS)


@pytest.mark.parametrize("model", MODELS)
def test_siri_opens_each_list(model: str, reviewer: Any, granted_project: Grant) -> None:
    assert _browser(reviewer).get(f"/admin/monitoring/{model}/").status_code == 200


@pytest.mark.parametrize("persona", ["slagelse_applicant", "committee", "ambassador"])
def test_municipalities_do_not_enter_the_back_office(persona: str, personas: dict[str, Any]) -> None:
    response = _browser(personas[persona]).get("/admin/monitoring/quarterlyreport/")
    assert response.status_code in (302, 403)


def test_siri_reads_handed_in_reports_but_not_drafts(
    reviewer: Any, slagelse_applicant: Any, granted_project: Grant
) -> None:
    first = Quarter.of(granted_project.start_date)
    handed_in = _report(granted_project, slagelse_applicant, "Indsendt kvartal", first)
    services.submit_report(handed_in.pk, slagelse_applicant)
    _report(granted_project, slagelse_applicant, "Hemmelig kladde", first.next())

    page = _browser(reviewer).get("/admin/monitoring/quarterlyreport/").content.decode()
    assert str(granted_project.application) in page
    assert page.count('class="field-year"') == 1  # one row: the draft is the municipality's own
    assert _browser(reviewer).get(f"/admin/monitoring/quarterlyreport/{handed_in.pk}/change/").status_code == 200


def test_the_pool_admin_enters_national_averages_and_a_reviewer_cannot(pool_admin: Any, reviewer: Any) -> None:
    data = {
        "year": 2026,
        "quarter": 2,
        "self_supporting_share": "31.5",
        "job_ready_share": "22",
        "company_activation_share": "40",
    }
    assert _browser(reviewer).post("/admin/monitoring/nationalkpi/add/", data).status_code == 403

    response = _browser(pool_admin).post("/admin/monitoring/nationalkpi/add/", data)
    assert response.status_code == 302
    kpi = NationalKpi.objects.get(year=2026, quarter=2)
    assert kpi.self_supporting_share == Decimal("31.5")
    assert kpi.updated_by == pool_admin

    refused = _browser(pool_admin).post(
        "/admin/monitoring/nationalkpi/add/", {**data, "quarter": 3, "job_ready_share": "130"}
    )
    assert refused.status_code == 200
    assert not NationalKpi.objects.filter(quarter=3).exists()


def test_siri_reads_the_follow_ups_after_the_end(reviewer: Any, slagelse_applicant: Any, committee: Any) -> None:
    """Recorded by the municipality (monitoring.followups), read in the back office, changed nowhere there."""
    grant = make_grant(slagelse_applicant, reviewer, *ended_period(14))
    follow_up = record_follow_up(
        grant.pk, slagelse_applicant, {"point": "after_12_months", "completed": 12, "in_work_or_education": 7}
    )
    siri = _browser(reviewer)
    page = siri.get("/admin/monitoring/followup/").content.decode()
    assert str(grant) in page and page.count('class="field-point"') == 1
    assert ">12<" in page and ">7<" in page
    change = f"/admin/monitoring/followup/{follow_up.pk}/change/"
    assert siri.get(change).status_code == 200  # read, without a save button
    assert siri.post(change, {"completed": "99"}).status_code == 403
    follow_up.refresh_from_db()
    assert follow_up.completed == 12
    assert _browser(committee).get("/admin/monitoring/followup/").status_code in (302, 403)
