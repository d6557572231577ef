"""The rules of quarterly reports and milestones, as every entry point meets them."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from applications import services as application_services
from applications.models import Grant
from core.errors import DomainError
from monitoring import services
from monitoring.models import Milestone, MilestoneChange, QuarterlyReport, ReportLog, ReportState
from monitoring.quarters import Quarter

from ..conftest import application_in_state, review
from .conftest import goals_of

pytestmark = pytest.mark.django_db


def first_quarter(grant: Grant) -> Quarter:
    return Quarter.of(grant.start_date)


def complete_data(grant: Grant, quarter: Quarter, women: int = 5) -> dict[str, Any]:
    women_goal, attendance = goals_of(grant)
    return {
        "year": quarter.year,
        "quarter": quarter.quarter,
        "narrative": "Fem kvinder i job.",
        "enrolled": 30,
        "spent_to_date": Decimal("120000"),
        "progress": [
            {"goal": women_goal.pk, "value": Decimal(women), "comment": ""},
            {"goal": attendance.pk, "numerator": 61, "denominator": 100, "comment": ""},
        ],
    }


def errors_of(call: Any) -> dict[str, list[str]]:
    with translation.override("en"):
        with pytest.raises(DomainError) as caught:
            call()
        assert caught.value.kind == DomainError.INVALID
        return {field: [str(m) for m in messages] for field, messages in caught.value.errors.items()}


def test_every_problem_of_a_report_is_named_on_its_field(granted_project: Grant, slagelse_applicant: Any) -> None:
    women, attendance = goals_of(granted_project)
    data = {
        "year": first_quarter(granted_project).year,
        "quarter": first_quarter(granted_project).quarter,
        "enrolled": -1,
        "spent_to_date": Decimal("-5"),
        "kpis": {"self_supporting_share": Decimal(120), "job_ready_share": Decimal(-1), "happiness": 3},
        "progress": [
            {"goal": women.pk, "value": Decimal(-2)},
            {"goal": attendance.pk, "numerator": 101, "denominator": 100},
        ],
        "fip": [
            {"dimension": "health", "respondent": "citizen", "average": Decimal("7.5"), "n": 3},
            {"dimension": "mood", "respondent": "citizen", "average": Decimal(4), "n": 3},
            {"dimension": "health", "respondent": "mother", "average": Decimal(4), "n": 3},
        ],
        "outcomes": [{"point": "end", "participants": 10, "employed": 11}],
    }
    errors = errors_of(lambda: services.create_report(granted_project.pk, slagelse_applicant, data))

    assert set(errors) == {"enrolled", "spent_to_date", "kpis", "progress", "fip", "outcomes"}
    assert len(errors["kpis"]) == 3  # 120 %, −1 % and the unknown KPI
    assert any("101 of 100 is impossible" in m for m in errors["progress"])
    assert any("negative" in m for m in errors["progress"])
    assert any("1 to 7" in m for m in errors["fip"])
    assert any("mood" in m for m in errors["fip"]) and any("mother" in m for m in errors["fip"])
    assert "More in work (11) than participants (10)." in errors["outcomes"]
    assert any("can be reported from" in m for m in errors["outcomes"])  # the project has not ended
    assert not QuarterlyReport.objects.exists()


def test_a_goal_of_another_grant_is_refused(
    granted_project: Grant, gribskov_project: Grant, slagelse_applicant: Any
) -> None:
    foreign = goals_of(gribskov_project)[0]
    data = complete_data(granted_project, first_quarter(granted_project))
    data["progress"].append({"goal": foreign.pk, "value": Decimal(1)})
    errors = errors_of(lambda: services.create_report(granted_project.pk, slagelse_applicant, data))
    assert errors == {"progress": [f"Goal {foreign.pk} is not a goal of this grant."]}


def test_one_report_per_quarter_and_only_quarters_of_the_period_that_have_begun(
    granted_project: Grant, slagelse_applicant: Any
) -> None:
    quarter = first_quarter(granted_project)
    services.create_report(granted_project.pk, slagelse_applicant, complete_data(granted_project, quarter))

    again = errors_of(
        lambda: services.create_report(granted_project.pk, slagelse_applicant, complete_data(granted_project, quarter))
    )
    before = errors_of(
        lambda: services.create_report(
            granted_project.pk, slagelse_applicant, complete_data(granted_project, quarter.previous())
        )
    )
    future = Quarter.of(datetime.date.today()).next()
    not_yet = errors_of(
        lambda: services.create_report(granted_project.pk, slagelse_applicant, complete_data(granted_project, future))
    )
    with translation.override("en"):
        assert again == {"quarter": [f"There is a report for {quarter} already."]}
        assert "outside the grant period" in before["quarter"][0]
        assert not_yet == {"quarter": [f"{future} has not begun yet."]}


def test_a_cumulative_count_that_goes_down_needs_a_comment(granted_project: Grant, slagelse_applicant: Any) -> None:
    quarter = first_quarter(granted_project)
    first = services.create_report(granted_project.pk, slagelse_applicant, complete_data(granted_project, quarter, 5))
    services.submit_report(first.pk, slagelse_applicant)

    lower = complete_data(granted_project, quarter.next(), women=4)
    errors = errors_of(lambda: services.create_report(granted_project.pk, slagelse_applicant, lower))
    assert "went down from 5 to 4" in errors["progress"][0]

    lower["progress"][0]["comment"] = "En kvinde mistede sit job."
    created = services.create_report(granted_project.pk, slagelse_applicant, lower)
    assert created.progress.get(goal=goals_of(granted_project)[0]).value == 4


def test_submit_names_what_is_missing(granted_project: Grant, slagelse_applicant: Any) -> None:
    quarter = first_quarter(granted_project)
    report = services.create_report(
        granted_project.pk, slagelse_applicant, {"year": quarter.year, "quarter": quarter.quarter}
    )
    errors = errors_of(lambda: services.submit_report(report.pk, slagelse_applicant))
    assert set(errors) == {"progress", "spent_to_date", "enrolled", "narrative", "non_field_errors"}
    assert QuarterlyReport.objects.get(pk=report.pk).state == ReportState.DRAFT


def test_life_cycle_with_return_and_log(granted_project: Grant, slagelse_applicant: Any, reviewer: Any) -> None:
    quarter = first_quarter(granted_project)
    report = services.create_report(granted_project.pk, slagelse_applicant, complete_data(granted_project, quarter))
    services.submit_report(report.pk, slagelse_applicant)
    first_submitted = QuarterlyReport.objects.get(pk=report.pk).first_submitted_at

    assert errors_of(lambda: services.return_report(report.pk, reviewer, "  ")) == {
        "reason": ["Give a reason; the municipality will see it."]
    }
    services.return_report(report.pk, reviewer, "Tallene for fremmøde mangler forklaring.")
    returned = QuarterlyReport.objects.get(pk=report.pk)
    assert returned.state == ReportState.DRAFT
    assert returned.returned_reason == "Tallene for fremmøde mangler forklaring."

    services.update_report(report.pk, slagelse_applicant, {"adjustments": "Fremmødet er nu forklaret."})
    services.submit_report(report.pk, slagelse_applicant)
    services.accept_report(report.pk, reviewer)

    final = QuarterlyReport.objects.get(pk=report.pk)
    assert final.state == ReportState.ACCEPTED
    assert final.first_submitted_at == first_submitted  # timeliness counts the first hand-in
    assert final.returned_reason == ""
    log = list(ReportLog.objects.filter(report=report).values_list("transition", "source", "target", "by__username"))
    assert log == [
        ("submit", "draft", "submitted", "slagelse"),
        ("return_to_draft", "submitted", "draft", "reviewer"),
        ("submit", "draft", "submitted", "slagelse"),
        ("accept", "submitted", "accepted", "reviewer"),
    ]


@pytest.mark.parametrize(
    ("state", "action", "allowed"),
    [
        (ReportState.DRAFT, "submit", True),
        (ReportState.DRAFT, "accept", False),
        (ReportState.DRAFT, "return", False),
        (ReportState.DRAFT, "edit", True),
        (ReportState.SUBMITTED, "submit", False),
        (ReportState.SUBMITTED, "accept", True),
        (ReportState.SUBMITTED, "return", True),
        (ReportState.SUBMITTED, "edit", False),
        (ReportState.ACCEPTED, "submit", False),
        (ReportState.ACCEPTED, "accept", False),
        (ReportState.ACCEPTED, "return", False),
        (ReportState.ACCEPTED, "edit", False),
    ],
)
def test_state_matrix(
    granted_project: Grant, slagelse_applicant: Any, reviewer: Any, state: str, action: str, allowed: bool
) -> None:
    quarter = first_quarter(granted_project)
    report = services.create_report(granted_project.pk, slagelse_applicant, complete_data(granted_project, quarter))
    if state != ReportState.DRAFT:
        services.submit_report(report.pk, slagelse_applicant)
    if state == ReportState.ACCEPTED:
        services.accept_report(report.pk, reviewer)
    run = {
        "submit": lambda: services.submit_report(report.pk, slagelse_applicant),
        "accept": lambda: services.accept_report(report.pk, reviewer),
        "return": lambda: services.return_report(report.pk, reviewer, "Ret venligst."),
        "edit": lambda: services.update_report(report.pk, slagelse_applicant, {"narrative": "Ny tekst"}),
    }[action]
    if allowed:
        run()
    else:
        # A draft is not SIRI's to see: that is a refusal, not a state conflict.
        expected: Any = (
            PermissionDenied if state == ReportState.DRAFT and action in ("accept", "return") else DomainError
        )
        with pytest.raises(expected) as caught:
            run()
        if expected is DomainError:
            assert caught.value.kind == DomainError.CONFLICT
        assert QuarterlyReport.objects.get(pk=report.pk).state == state


@pytest.mark.parametrize("persona", ["gribskov_applicant", "reviewer", "committee", "ambassador"])
def test_only_the_lead_municipality_writes_reports(
    granted_project: Grant, personas: dict[str, Any], persona: str
) -> None:
    data = complete_data(granted_project, first_quarter(granted_project))
    with pytest.raises(PermissionDenied):
        services.create_report(granted_project.pk, personas[persona], data)


def test_applicants_cannot_accept_their_own_report(granted_project: Grant, slagelse_applicant: Any) -> None:
    report = services.create_report(
        granted_project.pk, slagelse_applicant, complete_data(granted_project, first_quarter(granted_project))
    )
    services.submit_report(report.pk, slagelse_applicant)
    with pytest.raises(PermissionDenied):
        services.accept_report(report.pk, slagelse_applicant)


def test_milestones_are_edited_with_a_log_while_the_grant_is_young(
    granted_project: Grant, slagelse_applicant: Any, gribskov_applicant: Any
) -> None:
    women, attendance = goals_of(granted_project)
    milestone = granted_project.milestones.order_by("year", "quarter").first()
    before = milestone.expected.get(goal=women).value

    with pytest.raises(PermissionDenied):
        services.update_milestone(milestone.pk, gribskov_applicant, {"expected": {women.pk: Decimal(2)}})
    errors = errors_of(
        lambda: services.update_milestone(milestone.pk, slagelse_applicant, {"expected": {attendance.pk: Decimal(120)}})
    )
    assert "from 0 to 100" in errors["expected"][0]

    services.update_milestone(
        milestone.pk,
        slagelse_applicant,
        {
            "expected": {women.pk: Decimal(2), attendance.pk: milestone.expected.get(goal=attendance).value},
            "planned_activities": "Rekruttering af de første kvinder.",
        },
    )
    assert milestone.expected.get(goal=women).value == Decimal(2)
    changes = list(MilestoneChange.objects.filter(milestone=milestone).values_list("field", "old", "new"))
    assert changes == [
        ("planned_activities", "", "Rekruttering af de første kvinder."),
        ("expected", str(before), "2.00"),
    ]

    report = services.create_report(
        granted_project.pk, slagelse_applicant, complete_data(granted_project, first_quarter(granted_project))
    )
    services.submit_report(report.pk, slagelse_applicant)
    with pytest.raises(DomainError) as caught:
        services.update_milestone(milestone.pk, slagelse_applicant, {"expected": {women.pk: Decimal(3)}})
    assert caught.value.kind == DomainError.CONFLICT


def test_a_refused_grant_makes_no_milestones(pool: Any, slagelse_applicant: Any, reviewer: Any) -> None:
    application = application_in_state("politically_approved", pool, slagelse_applicant, reviewer)
    review(application, reviewer)
    with pytest.raises(DomainError):
        application_services.grant(application.pk, reviewer, Decimal("999999999"))
    assert not Grant.objects.exists()
    assert not Milestone.objects.exists()
    application_services.grant(application.pk, reviewer, Decimal("900000"))
    grant = Grant.objects.get()
    assert grant.milestones.count() == 8  # 2027–2028 in the pool fixture's calendar: two years


def test_national_kpis_are_the_pool_admins(pool_admin: Any, reviewer: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.set_national_kpi(reviewer, 2026, 1, {"job_ready_share": Decimal(30)})
    errors = errors_of(lambda: services.set_national_kpi(pool_admin, 2026, 1, {"job_ready_share": Decimal(130)}))
    assert errors == {"job_ready_share": ["A percentage is from 0 to 100."]}
    kpi = services.set_national_kpi(pool_admin, 2026, 1, {"job_ready_share": Decimal(30)})
    assert kpi.job_ready_share == Decimal(30)
