"""Two API clients on one draft quarterly report: `ETag` on GET, `If-Match` on PATCH."""

from __future__ import annotations

from typing import Any

import pytest

from applications.models import Grant
from monitoring import services
from tests.autosave import conditional_round_trip
from tests.conftest import client_for

from .test_api import first_quarter

pytestmark = pytest.mark.django_db


def test_a_stale_if_match_is_refused_and_writes_nothing(granted_project: Grant, slagelse_applicant: Any) -> None:
    quarter = first_quarter(granted_project)
    report = services.create_report(
        granted_project.pk, slagelse_applicant, {"year": quarter.year, "quarter": quarter.quarter}
    )

    def narrative() -> str:
        report.refresh_from_db()
        return report.narrative

    conditional_round_trip(
        client_for(slagelse_applicant),
        client_for(slagelse_applicant),
        f"/api/v1/reports/{report.pk}/",
        "narrative",
        ("Fem kvinder i job.", "Seks kvinder i job."),
        narrative,
    )


def test_a_submitted_report_is_a_conflict_whatever_the_if_match(
    granted_project: Grant, slagelse_applicant: Any, pool_admin: Any
) -> None:
    quarter = first_quarter(granted_project)
    report = services.create_report(
        granted_project.pk, slagelse_applicant, {"year": quarter.year, "quarter": quarter.quarter}
    )
    client = client_for(slagelse_applicant)
    url = f"/api/v1/reports/{report.pk}/"
    tag = client.get(url).headers["ETag"]
    # A national average SIRI enters is shown with the report, but is no part of what a client writes.
    services.set_national_kpi(pool_admin, quarter.year, quarter.quarter, {"job_ready_share": 20})
    assert client.get(url).headers["ETag"] == tag
    services.update_report(report.pk, slagelse_applicant, {"narrative": "Skrevet på siden."})
    assert client.patch(url, {"narrative": "Fra sagssystemet."}, format="json", HTTP_IF_MATCH=tag).status_code == 412
    report.refresh_from_db()
    assert report.narrative == "Skrevet på siden."


def test_the_schema_documents_if_match_etag_and_412(slagelse_applicant: Any) -> None:
    schema = client_for(slagelse_applicant).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path in ("/api/v1/reports/{id}/", "/api/v1/ambassador-reports/{id}/"):
        operation = schema["paths"][path]["patch"]
        assert any(p["name"] == "If-Match" and p["in"] == "header" for p in operation["parameters"])
        assert "412" in operation["responses"] and "ETag" in operation["responses"]["200"]["headers"]
        assert "ETag" in schema["paths"][path]["get"]["responses"]["200"]["headers"]
