"""Reports that cannot lie about time or money, in the services, the API (a 400 naming every
problem) and the pages (each problem where it is typed or submitted).

Slagelse's project (800.000 kr.) started three quarters before the current one and runs two
years. A draft may be started for any quarter that has begun, the current one too; it is handed
in only once its quarter has ended. No more can be spent than granted. A report with no figure
is no report. The outcome at the project's end is known from its last day, the outcomes 3 and
12 months after from those days.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from applications.models import Grant
from core.errors import DomainError
from monitoring import services
from monitoring.models import Outcome, OutcomePoint, QuarterlyReport, ReportState
from monitoring.quarters import Quarter

from ..conftest import client_for, page_client_for
from .conftest import goals_of

pytestmark = pytest.mark.django_db


def api(user: Any) -> Any:
    client = client_for(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def browser(user: Any) -> Any:
    client = page_client_for(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def figures(grant: Grant, quarter: Quarter, **extra: Any) -> dict[str, Any]:
    women, attendance = goals_of(grant)
    return {
        "year": quarter.year,
        "quarter": quarter.quarter,
        "narrative": "Fem kvinder i job.",
        "enrolled": 30,
        "spent_to_date": Decimal(120000),
        "progress": [
            {"goal": women.pk, "value": Decimal(5)},
            {"goal": attendance.pk, "numerator": 61, "denominator": 100},
        ],
        **extra,
    }


def errors_of(call: Any) -> dict[str, list[str]]:
    with translation.override("en"):
        with pytest.raises(DomainError) as caught:
            call()
        return {field: [str(m) for m in messages] for field, messages in caught.value.errors.items()}


# Time -----------------------------------------------------------------------------------------------


def test_a_draft_may_be_started_in_its_quarter_and_submitted_only_after_it(
    granted_project: Grant, slagelse_applicant: Any
) -> None:
    current = Quarter.of(timezone.localdate())
    draft = services.create_report(granted_project.pk, slagelse_applicant, figures(granted_project, current))

    day_after = (current.end + datetime.timedelta(days=1)).strftime("%d.%m.%Y")
    with translation.override("en"):
        named = str(current)
    assert errors_of(lambda: services.submit_report(draft.pk, slagelse_applicant)) == {
        "quarter": [f"The report for {named} can be submitted once the quarter has ended, from {day_after}."]
    }
    # On the quarter's last day it is still running; the day after, it can go.
    with pytest.raises(DomainError):
        services.submit_report(draft.pk, slagelse_applicant, today=current.end)
    services.submit_report(draft.pk, slagelse_applicant, today=current.end + datetime.timedelta(days=1))
    assert QuarterlyReport.objects.get(pk=draft.pk).state == ReportState.SUBMITTED


def test_the_api_names_every_problem_of_a_submit_at_once(granted_project: Grant, slagelse_applicant: Any) -> None:
    current = Quarter.of(timezone.localdate())
    client = api(slagelse_applicant)
    created = client.post(
        f"/api/v1/grants/{granted_project.pk}/reports/", {"year": current.year, "quarter": current.quarter}
    )
    assert created.status_code == 201, created.content

    response = client.post(f"/api/v1/reports/{created.json()['id']}/submit/")

    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"quarter", "non_field_errors", "progress", "spent_to_date", "enrolled", "narrative"}
    with translation.override("en"):
        named = str(current)
    assert body["quarter"][0].startswith(f"The report for {named} can be submitted once the quarter has ended")
    assert body["non_field_errors"] == [
        "Every figure of the report is empty; a report needs the figures of its quarter."
    ]
    assert QuarterlyReport.objects.get().state == ReportState.DRAFT


def test_the_submit_page_says_the_quarter_has_not_ended(granted_project: Grant, slagelse_applicant: Any) -> None:
    current = Quarter.of(timezone.localdate())
    draft = services.create_report(granted_project.pk, slagelse_applicant, figures(granted_project, current))

    response = browser(slagelse_applicant).post(
        reverse("monitoring:report_submit", args=[granted_project.pk, draft.pk])
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "The report was not submitted:" in page
    with translation.override("en"):
        named = str(current)
    assert f"The report for {named} can be submitted once the quarter has ended" in page
    assert QuarterlyReport.objects.get(pk=draft.pk).state == ReportState.DRAFT


# Money ----------------------------------------------------------------------------------------------


def test_no_more_than_the_grant_can_have_been_spent(granted_project: Grant, slagelse_applicant: Any) -> None:
    quarter = Quarter.of(granted_project.start_date)
    client = api(slagelse_applicant)
    body = {**figures(granted_project, quarter), "spent_to_date": "800000.01"}
    body["progress"] = [{**row, "value": str(row["value"])} if "value" in row else row for row in body["progress"]]

    refused = client.post(f"/api/v1/grants/{granted_project.pk}/reports/", body, format="json")

    assert refused.status_code == 400
    assert refused.json() == {
        "spent_to_date": [
            "800.000,01 kr. is more than the grant of 800.000 kr.: no more than the grant can have been spent."
        ]
    }
    assert not QuarterlyReport.objects.exists()
    # The whole grant is fine.
    exact = client.post(f"/api/v1/grants/{granted_project.pk}/reports/", body | {"spent_to_date": "800000"})
    assert exact.status_code == 201, exact.content


def test_the_report_form_refuses_spending_above_the_grant_and_keeps_the_rest(
    granted_project: Grant, slagelse_applicant: Any
) -> None:
    quarter = Quarter.of(granted_project.start_date)
    draft = services.create_report(
        granted_project.pk, slagelse_applicant, {"year": quarter.year, "quarter": quarter.quarter}
    )
    women, attendance = goals_of(granted_project)
    url = reverse("monitoring:report_edit", args=[granted_project.pk, draft.pk])

    response = browser(slagelse_applicant).post(
        url,
        {
            f"goal_{women.pk}": "5",
            f"goal_{attendance.pk}_n": "61",
            f"goal_{attendance.pk}_total": "100",
            "enrolled": "30",
            "spent_to_date": "950.000",
            "narrative": "Fem kvinder i job.",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["spent_to_date"] == [
        "950.000 kr. is more than the grant of 800.000 kr.: no more than the grant can have been spent."
    ]
    draft.refresh_from_db()
    assert draft.spent_to_date is None and draft.enrolled == 30 and draft.progress.count() == 2
    assert 'value="950.000"' in response.content.decode()  # what was typed stays


# Outcomes -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("point", "months"),
    [(OutcomePoint.END, 0), (OutcomePoint.AFTER_3_MONTHS, 3), (OutcomePoint.AFTER_12_MONTHS, 12)],
)
def test_an_outcome_is_reported_at_or_after_its_day(
    granted_project: Grant, slagelse_applicant: Any, point: str, months: int
) -> None:
    end = granted_project.end_date
    # The project ends on the last day of a quarter: 3 and 12 months later are the last days too.
    day = {0: end, 3: Quarter.of(end).next().end, 12: datetime.date(end.year + 1, end.month, end.day)}[months]
    last = Quarter.of(end)
    data = figures(granted_project, last, outcomes=[{"point": point, "participants": 10, "employed": 6}])

    refused = errors_of(
        lambda: services.create_report(
            granted_project.pk, slagelse_applicant, data, today=day - datetime.timedelta(days=1)
        )
    )
    label = {0: "At project end", 3: "3 months after", 12: "12 months after"}[months]
    assert refused == {
        "outcomes": [f"“{label}” can be reported from {day:%d.%m.%Y} (the project ends {end:%d.%m.%Y}), not before."]
    }
    report = services.create_report(granted_project.pk, slagelse_applicant, data, today=day)
    # Handed in once the last quarter is over too (the outcome at the end is known on its last day).
    services.submit_report(report.pk, slagelse_applicant, today=max(day, end + datetime.timedelta(days=1)))
    assert Outcome.objects.get(report=report).point == point


def test_an_outcome_saved_early_stops_the_submit(granted_project: Grant, slagelse_applicant: Any) -> None:
    """One given on its day in a draft is still checked when the draft goes in."""
    end = granted_project.end_date
    last = Quarter.of(end)
    data = figures(granted_project, last, outcomes=[{"point": OutcomePoint.END, "participants": 10, "employed": 6}])
    report = services.create_report(granted_project.pk, slagelse_applicant, data, today=end)
    # A clock set back: the submit asks again.
    problems = errors_of(lambda: services.submit_report(report.pk, slagelse_applicant, today=end))
    assert set(problems) == {"quarter"}  # the quarter ends on the project's last day: not yet over
    early = errors_of(
        lambda: services.submit_report(report.pk, slagelse_applicant, today=end - datetime.timedelta(days=1))
    )
    assert "outcomes" in early and "quarter" in early


def test_the_report_form_shows_an_outcome_given_too_early(granted_project: Grant, slagelse_applicant: Any) -> None:
    quarter = Quarter.of(granted_project.start_date)
    draft = services.create_report(
        granted_project.pk, slagelse_applicant, {"year": quarter.year, "quarter": quarter.quarter}
    )
    url = reverse("monitoring:report_edit", args=[granted_project.pk, draft.pk])

    response = browser(slagelse_applicant).post(
        url, {"narrative": "Tidligt.", "outcome_end_participants": "10", "outcome_end_employed": "6"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert f"can be reported from {granted_project.end_date:%d.%m.%Y}" in page
    draft.refresh_from_db()
    assert draft.narrative == "Tidligt." and not draft.outcomes.exists()
