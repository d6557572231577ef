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
        "/api/v1/grants/{id}/ramp/",
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


def test_the_schema_tells_the_kinds_of_goal_apart(reviewer: Any) -> None:
    """The progress of a goal says how it accumulates, a level's trend and a share's n of N; a
    report's row takes n of N; every key of before is still there."""
    schema = client_for(reviewer).get("/api/schema/", HTTP_ACCEPT="application/json", HTTP_ACCEPT_LANGUAGE="en")
    schemas = schema.json()["components"]["schemas"]
    reading = schemas["GoalReading"]["properties"]
    assert set(reading) == {
        "goal",
        "title",
        "target_group",
        "kind",
        "target_value",
        "actual",
        "numerator",
        "denominator",
        "percent_of_target",
        "expected_by_now",
        "status",
        "trend",
        "forecast_date",
    }
    assert "level" in reading["kind"]["description"] and "cumulative" in reading["kind"]["description"]
    assert "null for a level" in reading["forecast_date"]["description"]
    assert reading["trend"]["nullable"] and reading["numerator"]["nullable"]
    row = schemas["GoalProgress"]["properties"]
    assert {"goal", "value", "numerator", "denominator", "comment"} <= set(row)
    assert "goal" in schemas["GoalProgress"]["required"] and "value" not in schemas["GoalProgress"].get("required", [])
    assert set(schemas["RampRequest"]["properties"]) == {"goal", "ramp_quarters"}
    goal = schemas["Goal"]["properties"]
    assert {"cumulative", "ramp_quarters", "cohort_months"} <= set(goal)


def test_the_openapi_schema_documents_the_one_error_shape(reviewer: Any) -> None:
    schema = client_for(reviewer).get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "{field: [messages]}" in schema and "Row 2, value" in schema
