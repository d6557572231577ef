"""The monitoring API's report lists as SIRI and a municipality read them: filtered, beside the
national averages, a fixed number of queries however many reports, and each report the same in a
list as alone."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.models import Grant
from monitoring import services
from monitoring.models import NationalKpi

from .test_api import API, _english, client_for, create, first_quarter, handed_in, report_body  # noqa: F401 (_english: autouse)

pytestmark = pytest.mark.django_db


# Lists and national averages -------------------------------------------------------------------------


def test_reports_are_listed_and_filtered(
    granted_project: Grant, gribskov_project: Grant, slagelse_applicant: Any, gribskov_applicant: Any, reviewer: Any
) -> None:
    quarter = first_quarter(granted_project)
    first = handed_in(granted_project, slagelse_applicant, quarter)
    second = services.create_report(
        granted_project.pk, slagelse_applicant, {"year": quarter.next().year, "quarter": quarter.next().quarter}
    )
    gribskov = handed_in(gribskov_project, gribskov_applicant, quarter)

    def ids(client: Any, query: str = "") -> list[int]:
        return [report["id"] for report in client.get(f"{API}/reports/{query}").json()["results"]]

    municipality, siri = client_for(slagelse_applicant), client_for(reviewer)
    assert ids(municipality) == [first.pk, second.pk]
    assert ids(siri) == [first.pk, gribskov.pk], "SIRI sees no draft"
    assert ids(municipality, "?state=draft") == [second.pk]
    assert ids(siri, f"?grant={gribskov_project.pk}") == [gribskov.pk]
    assert ids(siri, "?municipality=330") == [first.pk]
    assert ids(municipality, f"?year={quarter.next().year}&quarter={quarter.next().quarter}") == [second.pk]
    nested = municipality.get(f"{API}/grants/{granted_project.pk}/reports/").json()
    assert [r["id"] for r in nested["results"]] == [first.pk, second.pk]


def test_national_averages_are_entered_by_the_pool_admin_and_shown_beside_the_kpis(
    granted_project: Grant, slagelse_applicant: Any, pool_admin: Any
) -> None:
    quarter = first_quarter(granted_project)
    admin = client_for(pool_admin)
    entry = {"year": quarter.year, "quarter": quarter.quarter, "self_supporting_share": "21.5", "job_ready_share": 40}

    created = admin.post(f"{API}/national-kpis/", entry, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["self_supporting_share"] == "21.50"
    # The same quarter again replaces its values.
    replaced = admin.post(f"{API}/national-kpis/", entry | {"job_ready_share": "41"}, format="json")
    assert replaced.status_code == 200
    assert NationalKpi.objects.get().job_ready_share == Decimal(41)

    kpi = NationalKpi.objects.get()
    patched = admin.patch(f"{API}/national-kpis/{kpi.pk}/", {"company_activation_share": "9"}, format="json")
    assert patched.status_code == 200
    assert (patched.json()["job_ready_share"], patched.json()["company_activation_share"]) == ("41.00", "9.00")
    assert (
        admin.patch(f"{API}/national-kpis/{kpi.pk}/", {"quarter": 4 if quarter.quarter != 4 else 3}).status_code == 400
    )

    bad = admin.post(f"{API}/national-kpis/", {"year": 2027, "quarter": 5, "job_ready_share": 130}, format="json")
    assert bad.status_code == 400
    assert set(bad.json()) == {"quarter", "job_ready_share"}

    municipality = client_for(slagelse_applicant)
    assert municipality.get(f"{API}/national-kpis/").json()["count"] == 1
    body = report_body(granted_project, quarter)
    report = create(municipality, granted_project, body).json()
    assert report["national_kpis"] == {
        "self_supporting_share": "21.50",
        "job_ready_share": "41.00",
        "company_activation_share": "9.00",
    }


def test_the_report_list_costs_the_same_queries_for_one_report_and_for_four(
    granted_project: Grant, slagelse_applicant: Any
) -> None:
    client = client_for(slagelse_applicant)
    quarter = first_quarter(granted_project)
    body = report_body(granted_project, quarter, women=Decimal(5))
    body["spent_to_date"] = Decimal(body["spent_to_date"])
    body["fip"] = [{"dimension": "health", "respondent": "citizen", "average": Decimal(4), "n": 3}]
    body["outcomes"] = [{"point": "end", "participants": 10, "employed": 6}]
    # Written after the project's end, when its outcome at the end can be known.
    after_end = granted_project.end_date + datetime.timedelta(days=1)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{API}/reports/").status_code == 200
        return len(captured)

    services.create_report(granted_project.pk, slagelse_applicant, body, today=after_end)
    one = queries()
    for later in (quarter.next(), quarter.next().next(), quarter.next().next().next()):
        data = {**body, "year": later.year, "quarter": later.quarter}
        services.create_report(granted_project.pk, slagelse_applicant, data, today=after_end)
    assert client.get(f"{API}/reports/").json()["count"] == 4
    assert queries() == one


def test_a_report_reads_the_same_in_the_lists_as_alone(granted_project: Grant, slagelse_applicant: Any) -> None:
    """The lists read the reports without their projects and write the figures, FIP scores and
    outcomes row by row themselves; a report alone goes through the serializer's fields."""
    client = client_for(slagelse_applicant)
    body = report_body(granted_project, first_quarter(granted_project), women=Decimal(5), attendance=(7, 9))
    body["spent_to_date"] = Decimal(body["spent_to_date"])
    body["fip"] = [
        {"dimension": "health", "respondent": "citizen", "average": Decimal("4.5"), "n": 3},
        {"dimension": "attendance", "respondent": "caseworker", "average": Decimal(2), "n": 0},
    ]
    body["outcomes"] = [{"point": "end", "participants": 10, "employed": 6}]
    after_end = granted_project.end_date + datetime.timedelta(days=1)
    report = services.create_report(granted_project.pk, slagelse_applicant, body, today=after_end)

    alone = client.get(f"{API}/reports/{report.pk}/").json()
    assert alone["fip"] == [
        {"dimension": "attendance", "respondent": "caseworker", "average": "2.00", "n": 0},
        {"dimension": "health", "respondent": "citizen", "average": "4.50", "n": 3},
    ]
    assert alone["outcomes"] == [{"point": "end", "participants": 10, "employed": 6}]
    assert [row["numerator"] for row in alone["progress"]] == [None, 7]
    assert client.get(f"{API}/reports/").json()["results"] == [alone]
    assert client.get(f"{API}/grants/{granted_project.pk}/reports/").json()["results"] == [alone]
