"""The OpenAPI schema of monitoring's API: its endpoints, their shapes and the one error shape."""

from __future__ import annotations

from typing import Any

import pytest

from ..conftest import client_for

pytestmark = pytest.mark.django_db


def test_the_schema_publishes_the_monitoring_endpoints(reviewer: Any) -> None:
    schema = client_for(reviewer).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path in (
        "/api/v1/grants/{id}/",
        "/api/v1/grants/{id}/progress/",
        "/api/v1/grants/{grant_pk}/reports/",
        "/api/v1/milestones/{id}/",
        "/api/v1/reports/",
        "/api/v1/reports/{id}/",
        "/api/v1/reports/{id}/submit/",
        "/api/v1/reports/{id}/accept/",
        "/api/v1/reports/{id}/return/",
        "/api/v1/national-kpis/",
    ):
        assert path in schema["paths"], path
    report = schema["components"]["schemas"]["Report"]["properties"]
    assert {"progress", "kpis", "fip", "outcomes", "national_kpis"} <= set(report)
    progress = schema["components"]["schemas"]["ProjectProgress"]["properties"]
    assert set(progress) == {"as_of", "goals", "risk", "signals", "outcomes"}


def test_the_openapi_schema_documents_the_one_error_shape(reviewer: Any) -> None:
    schema = client_for(reviewer).get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "{field: [messages]}" in schema and "Row 2, value" in schema
