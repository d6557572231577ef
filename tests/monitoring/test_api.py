"""The monitoring API as a municipality's case system and SIRI's tools use it: grants with their
milestones, quarterly reports through their life cycle, the progress figures, national KPIs."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from django.utils import timezone, translation

from applications.models import Application, Goal, GoalKind, Grant, Municipality, State
from monitoring import services
from monitoring.models import MilestoneChange, QuarterlyReport, ReportLog, ReportState
from monitoring.quarters import Quarter

from ..conftest import client_for as any_language_client
from ..conftest import make_pool
from .conftest import goals_of, recent_period

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


def client_for(user: Any) -> Any:
    """An API client asking for English, so that the messages can be compared."""
    client = any_language_client(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def first_quarter(grant: Grant) -> Quarter:
    return Quarter.of(grant.start_date)


def report_body(grant: Grant, quarter: Quarter, women: Any = 5, attendance: Any = 61) -> dict[str, Any]:
    """A report's body; attendance is a share, n of N: a number n (of 100) or (n, N)."""
    women_goal, attendance_goal = goals_of(grant)
    numerator, denominator = attendance if isinstance(attendance, tuple) else (attendance, 100)
    return {
        "year": quarter.year,
        "quarter": quarter.quarter,
        "narrative": "Fem kvinder i job.",
        "enrolled": 30,
        "spent_to_date": "120000.50",
        "progress": [
            {"goal": women_goal.pk, "value": women, "comment": ""},
            {"goal": attendance_goal.pk, "numerator": numerator, "denominator": denominator},
        ],
    }


def create(client: Any, grant: Grant, body: dict[str, Any]) -> Any:
    return client.post(f"{API}/grants/{grant.pk}/reports/", body, format="json")


def handed_in(grant: Grant, user: Any, quarter: Quarter, women: int = 5, attendance: int = 61) -> QuarterlyReport:
    """A report written and submitted through the services, as the pages would."""
    data = report_body(grant, quarter, Decimal(women), attendance)
    data["spent_to_date"] = Decimal(data["spent_to_date"])
    report = services.create_report(grant.pk, user, data)
    return services.submit_report(report.pk, user)


# Grants and milestones ----------------------------------------------------------------------------


def test_a_grant_comes_with_its_milestones_and_expected_values(granted_project: Grant, committee: Any) -> None:
    body = client_for(committee).get(f"{API}/grants/{granted_project.pk}/").json()
    women, attendance = goals_of(granted_project)

    assert set(body) == {
        "id",
        "application",
        "amount",
        "start_date",
        "end_date",
        "conditions",
        "state",
        "granted_at",
        "milestones",
        # The contract's "After the award", added by the grant administration (awards).
        "accept_by",
        "accepted_at",
        "accepted_by_name",
        "audit_level",
        "paid_total",
        "repaid_total",
    }
    assert (body["application"], body["amount"], body["state"]) == (
        granted_project.application_id,
        "800000.00",
        "active",
    )
    assert body["start_date"] == granted_project.start_date.isoformat()
    assert len(body["milestones"]) == 8
    second = body["milestones"][1]
    assert set(second) == {"id", "year", "quarter", "report_due_on", "planned_activities", "expected"}
    quarter = first_quarter(granted_project).next()
    assert (second["year"], second["quarter"]) == (quarter.year, quarter.quarter)
    # The straight line for 35 women over 8 quarters; 70 % attendance is a level, expected from the start.
    assert second["expected"] == [
        {"goal": women.pk, "value": "8.75"},
        {"goal": attendance.pk, "value": "70.00"},
    ]


def test_a_grant_gives_its_milestones_as_the_milestone_endpoint_does(granted_project: Grant, committee: Any) -> None:
    """The grants list writes its milestones without a serializer each; they must read the same."""
    milestone = granted_project.milestones.order_by("year", "quarter")[1]
    milestone.planned_activities = "Workshops for 12 kvinder; jobsamtaler i april."
    milestone.save(update_fields=["planned_activities"])
    client = client_for(committee)
    in_grant = client.get(f"{API}/grants/{granted_project.pk}/").json()["milestones"][1]
    alone = client.get(f"{API}/milestones/{milestone.pk}/").json()
    assert in_grant == alone
    # Every milestone, in the grant and in the list, as the milestone endpoint's serializer writes it.
    in_list = next(g for g in client.get(f"{API}/grants/").json()["results"] if g["id"] == granted_project.pk)
    in_detail = client.get(f"{API}/grants/{granted_project.pk}/").json()
    each = [client.get(f"{API}/milestones/{m['id']}/").json() for m in in_detail["milestones"]]
    assert in_list["milestones"] == in_detail["milestones"] == each
    assert {value["value"] for m in each for value in m["expected"]} >= {"8.75", "35.00", "70.00"}
    assert in_grant["planned_activities"] == "Workshops for 12 kvinder; jobsamtaler i april."
    assert in_grant["report_due_on"] == milestone.report_due_on.isoformat()


def test_the_municipality_changes_a_milestone_while_the_grant_is_young(
    granted_project: Grant, slagelse_applicant: Any
) -> None:
    women, _attendance = goals_of(granted_project)
    milestone = granted_project.milestones.order_by("year", "quarter")[1]
    client = client_for(slagelse_applicant)
    url = f"{API}/milestones/{milestone.pk}/"

    response = client.patch(
        url, {"planned_activities": "Virksomhedsbesøg", "expected": [{"goal": women.pk, "value": 6}]}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["planned_activities"] == "Virksomhedsbesøg"
    assert response.json()["expected"][0] == {"goal": women.pk, "value": "6.00"}
    changes = MilestoneChange.objects.filter(milestone=milestone).order_by("field")
    assert [(c.field, c.old, c.new) for c in changes] == [
        ("expected", "8.75", "6.00"),
        ("planned_activities", "", "Virksomhedsbesøg"),
    ]

    # Once the first report is handed in, the milestones stand.
    handed_in(granted_project, slagelse_applicant, first_quarter(granted_project))
    late = client.patch(url, {"planned_activities": "Noget andet"}, format="json")
    assert late.status_code == 409
    assert "first report" in late.json()["detail"]


def test_a_milestone_change_names_every_problem(
    granted_project: Grant, gribskov_project: Grant, slagelse_applicant: Any
) -> None:
    women, attendance = goals_of(granted_project)
    foreign = goals_of(gribskov_project)[0]
    milestone = granted_project.milestones.first()
    url = f"{API}/milestones/{milestone.pk}/"
    client = client_for(slagelse_applicant)

    garbage = client.patch(url, {"expected": [{"goal": women.pk, "value": "mange"}, {"goal": "x", "value": 1}]})
    assert garbage.status_code == 400
    # One error shape everywhere: the rows that are wrong are named in flat messages.
    problems = garbage.json()["expected"]
    assert all(isinstance(problem, str) for problem in problems)
    assert [problem.split(":")[0] for problem in problems] == ["Row 1, value", "Row 2, goal"]

    twice = client.patch(url, {"expected": [{"goal": women.pk, "value": 1}, {"goal": women.pk, "value": 2}]})
    assert twice.json() == {"expected": [f"Goal {women.pk} is given twice."]}

    rules = client.patch(
        url,
        {"expected": [{"goal": foreign.pk, "value": 1}, {"goal": attendance.pk, "value": 120}]},
        format="json",
    )
    assert rules.status_code == 400
    assert rules.json()["expected"] == [
        f"Goal {foreign.pk} is not a goal of this grant.",
        "The expected value of “Gennemsnitlig fremmødeprocent” must be from 0 to 100.",
    ]
    assert not MilestoneChange.objects.exists()


@pytest.mark.parametrize("count", [3, 20])
def test_the_grant_list_costs_the_same_queries_for_3_and_for_20_grants(
    count: int, reviewer: Any, slagelse_applicant: Any, django_assert_max_num_queries: Any
) -> None:
    start, end = recent_period()
    pool = make_pool(project_start_earliest=start, project_end_latest=end)
    slagelse = Municipality.objects.get(code="330")
    for i in range(count):
        application = Application.objects.create(
            pool=pool,
            lead_municipality=slagelse,
            created_by=slagelse_applicant,
            title=f"Projekt {i}",
            state=State.GRANTED,
            journal_number=f"2026-{i:05d}",
            submitted_at=timezone.now(),
            start_date=start,
            end_date=end,
        )
        Goal.objects.create(application=application, title="Kvinder i job", kind=GoalKind.COUNT, target_value=35)
        grant = Grant.objects.create(
            application=application, amount=Decimal(500000), start_date=start, end_date=end, granted_by=reviewer
        )
        services.create_milestones(grant)  # what granting does: 8 quarters, 8 milestones
    client = client_for(reviewer)

    # The count, the page of grants, their milestones, the milestones' expected values: however many.
    with django_assert_max_num_queries(4):
        body = client.get(f"{API}/grants/?page_size=100").json()

    assert body["count"] == count
    assert all(len(grant["milestones"]) == 8 for grant in body["results"])
    assert all(len(m["expected"]) == 1 for grant in body["results"] for m in grant["milestones"])


# Quarterly reports: the life cycle -------------------------------------------------------------------


def test_write_patch_submit_and_accept(granted_project: Grant, slagelse_applicant: Any, reviewer: Any) -> None:
    quarter = first_quarter(granted_project)
    women, attendance = goals_of(granted_project)
    municipality, siri = client_for(slagelse_applicant), client_for(reviewer)

    body = report_body(granted_project, quarter, women="5", attendance=(123, 200))  # a number or a decimal string
    body["kpis"] = {"self_supporting_share": "12.5", "job_ready_share": 30}
    body["fip"] = [{"dimension": "attendance", "respondent": "citizen", "average": "4.25", "n": 12}]
    created = create(municipality, granted_project, body)

    assert created.status_code == 201, created.content
    report = created.json()
    assert set(report) == {
        "id",
        "grant",
        "year",
        "quarter",
        "state",
        "narrative",
        "obstacles",
        "adjustments",
        "spent_to_date",
        "enrolled",
        "progress",
        "kpis",
        "fip",
        "outcomes",
        "returned_reason",
        "submitted_at",
        "first_submitted_at",
        "national_kpis",
    }
    assert (report["grant"], report["state"], report["spent_to_date"]) == (granted_project.pk, "draft", "120000.50")
    # A share is given as n of N; its value is computed.
    assert report["progress"] == [
        {"goal": women.pk, "value": "5.00", "numerator": None, "denominator": None, "comment": ""},
        {"goal": attendance.pk, "value": "61.50", "numerator": 123, "denominator": 200, "comment": ""},
    ]
    assert report["kpis"] == {
        "self_supporting_share": "12.50",
        "job_ready_share": "30.00",
        "company_activation_share": None,
    }
    assert report["fip"] == [{"dimension": "attendance", "respondent": "citizen", "average": "4.25", "n": 12}]
    assert report["national_kpis"] is None

    url = f"{API}/reports/{report['id']}/"
    patched = municipality.patch(url, {"obstacles": "Sygdom"}, format="json")
    assert patched.status_code == 200, patched.content
    assert patched.json()["obstacles"] == "Sygdom"
    assert len(patched.json()["progress"]) == 2, "what a PATCH does not name stays"

    # SIRI does not see a draft …
    assert siri.get(url).status_code == 404
    submitted = municipality.post(f"{url}submit/")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["state"] == "submitted"
    assert submitted.json()["submitted_at"] == submitted.json()["first_submitted_at"] is not None
    # … and reads it once it is handed in.
    assert siri.get(url).json()["narrative"] == "Fem kvinder i job."
    accepted = siri.post(f"{url}accept/")
    assert accepted.status_code == 200
    assert accepted.json()["state"] == "accepted"
    assert list(ReportLog.objects.order_by("id").values_list("transition", "by__username")) == [
        ("submit", "slagelse"),
        ("accept", "reviewer"),
    ]


def test_return_with_a_reason_and_submit_again(granted_project: Grant, slagelse_applicant: Any, reviewer: Any) -> None:
    report = handed_in(granted_project, slagelse_applicant, first_quarter(granted_project))
    url = f"{API}/reports/{report.pk}/"
    municipality, siri = client_for(slagelse_applicant), client_for(reviewer)
    first_submitted = siri.get(url).json()["first_submitted_at"]

    without = siri.post(f"{url}return/", {"reason": "  "}, format="json")
    assert without.status_code == 400
    assert without.json() == {"reason": ["Give a reason; the municipality will see it."]}

    returned = siri.post(f"{url}return/", {"reason": "Tallene for fremmøde mangler forklaring."}, format="json")
    assert returned.status_code == 200
    assert (returned.json()["state"], returned.json()["returned_reason"]) == (
        "draft",
        "Tallene for fremmøde mangler forklaring.",
    )
    # SIRI keeps seeing a report it sent back, and cannot accept it while it is a draft.
    assert siri.get(url).status_code == 200
    assert siri.post(f"{url}accept/").status_code == 409

    assert municipality.patch(url, {"narrative": "Fremmødet var lavt pga. sygdom."}).status_code == 200
    again = municipality.post(f"{url}submit/")
    assert again.status_code == 200
    assert again.json()["state"] == "submitted"
    assert again.json()["returned_reason"] == ""
    assert again.json()["first_submitted_at"] == first_submitted, "timeliness is the first submission's"
    assert siri.post(f"{url}accept/").json()["state"] == "accepted"


def test_a_report_cannot_be_submitted_without_its_figures(granted_project: Grant, slagelse_applicant: Any) -> None:
    client = client_for(slagelse_applicant)
    quarter = first_quarter(granted_project)
    created = create(client, granted_project, {"year": quarter.year, "quarter": quarter.quarter}).json()

    response = client.post(f"{API}/reports/{created['id']}/submit/")

    assert response.status_code == 400
    assert set(response.json()) == {"progress", "spent_to_date", "enrolled", "narrative", "non_field_errors"}
    assert response.json()["non_field_errors"] == [
        "Every figure of the report is empty; a report needs the figures of its quarter."
    ]
    assert QuarterlyReport.objects.get().state == ReportState.DRAFT


def test_wrong_state_is_409(granted_project: Grant, slagelse_applicant: Any, reviewer: Any) -> None:
    report = handed_in(granted_project, slagelse_applicant, first_quarter(granted_project))
    url = f"{API}/reports/{report.pk}/"
    municipality, siri = client_for(slagelse_applicant), client_for(reviewer)

    edit = municipality.patch(url, {"narrative": "Ændret efter indsendelse"}, format="json")
    assert edit.status_code == 409
    assert edit.json() == {"detail": "The report cannot be changed while it is Submitted."}
    assert municipality.post(f"{url}submit/").status_code == 409
    assert siri.post(f"{url}accept/").status_code == 200
    assert siri.post(f"{url}accept/").status_code == 409
    assert siri.post(f"{url}return/", {"reason": "For sent."}, format="json").status_code == 409
    report.refresh_from_db()
    assert (report.state, report.narrative) == (ReportState.ACCEPTED, "Fem kvinder i job.")


# Quarterly reports: validation -----------------------------------------------------------------------


def test_every_problem_of_a_report_is_named_in_one_answer(granted_project: Grant, slagelse_applicant: Any) -> None:
    body = report_body(granted_project, first_quarter(granted_project), women=-2, attendance=101)
    body["enrolled"] = -1
    body["kpis"] = {"self_supporting_share": 120, "job_ready_share": -1, "happiness": 3}
    body["fip"] = [
        {"dimension": "health", "respondent": "citizen", "average": "7.5", "n": -3},
        {"dimension": "mood", "respondent": "citizen", "average": 4},
    ]
    body["outcomes"] = [{"point": "end", "participants": 10, "employed": 11}]

    response = create(client_for(slagelse_applicant), granted_project, body)

    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"enrolled", "kpis", "progress", "fip", "outcomes"}
    assert errors["enrolled"] == ["A count cannot be negative."]
    assert sorted(errors["kpis"]) == [
        "Unknown KPIs: happiness.",
        "job_ready_share: A percentage is from 0 to 100.",
        "self_supporting_share: A percentage is from 0 to 100.",
    ]
    assert errors["progress"] == [
        "Aktivitetsparate kvinder i beskæftigelse: A count cannot be negative.",
        "“Gennemsnitlig fremmødeprocent”: 101 of 100 is impossible; n cannot be more than N, a share is at most 100 %.",
    ]
    assert "health (citizen): A FIP average is from 1 to 7." in errors["fip"]
    assert "health (citizen): A count cannot be negative." in errors["fip"]
    assert any(message.startswith("mood is not a FIP dimension") for message in errors["fip"])
    end = granted_project.end_date.strftime("%d.%m.%Y")
    assert errors["outcomes"] == [
        f"“At project end” can be reported from {end} (the project ends {end}), not before.",
        "More in work (11) than participants (10).",
    ]
    assert not QuarterlyReport.objects.exists()


def test_what_is_not_of_its_type_is_a_400_on_its_field(granted_project: Grant, slagelse_applicant: Any) -> None:
    body = report_body(granted_project, first_quarter(granted_project), women="fem")
    body |= {"spent_to_date": "120.000,50 kr.", "enrolled": "mange", "kpis": "høj", "fip": {"health": 4}}

    response = create(client_for(slagelse_applicant), granted_project, body)

    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"spent_to_date", "enrolled", "progress", "kpis", "fip"}
    assert errors["progress"] == ["Row 1, value: A valid number is required."]
    assert not QuarterlyReport.objects.exists()


@pytest.mark.parametrize("value", ["NaN", "Infinity", "1e400", "12.345"])
def test_odd_decimals_are_refused_not_a_500(granted_project: Grant, slagelse_applicant: Any, value: str) -> None:
    body = report_body(granted_project, first_quarter(granted_project), women=value)
    body["spent_to_date"] = value
    response = create(client_for(slagelse_applicant), granted_project, body)
    assert response.status_code == 400
    assert "spent_to_date" in response.json() and "progress" in response.json()


def test_a_cumulative_count_going_down_needs_a_comment(granted_project: Grant, slagelse_applicant: Any) -> None:
    quarter = first_quarter(granted_project)
    handed_in(granted_project, slagelse_applicant, quarter, women=5)
    client = client_for(slagelse_applicant)

    lower = report_body(granted_project, quarter.next(), women=4)
    refused = create(client, granted_project, lower)
    assert refused.status_code == 400
    assert refused.json() == {
        "progress": [
            "“Aktivitetsparate kvinder i beskæftigelse” went down from 5 to 4; "
            "a cumulative count needs a comment saying why."
        ]
    }

    lower["progress"][0]["comment"] = "En kvinde mistede sit job."
    assert create(client, granted_project, lower).status_code == 201


def test_the_quarter_and_the_goals_must_be_the_grants(
    granted_project: Grant, gribskov_project: Grant, slagelse_applicant: Any
) -> None:
    client = client_for(slagelse_applicant)
    quarter = first_quarter(granted_project)
    foreign = goals_of(gribskov_project)[0]

    other_goal = report_body(granted_project, quarter)
    other_goal["progress"].append({"goal": foreign.pk, "value": 1})
    assert create(client, granted_project, other_goal).json() == {
        "progress": [f"Goal {foreign.pk} is not a goal of this grant."]
    }

    before = create(client, granted_project, report_body(granted_project, quarter.previous()))
    assert before.status_code == 400
    assert "outside the grant period" in before.json()["quarter"][0]
    assert create(client, granted_project, report_body(granted_project, quarter) | {"quarter": 5}).json() == {
        "quarter": ["The quarter is 1, 2, 3 or 4."]
    }

    assert create(client, granted_project, report_body(granted_project, quarter)).status_code == 201
    second = create(client, granted_project, report_body(granted_project, quarter))
    assert second.status_code == 400
    assert second.json() == {"quarter": [f"There is a report for {quarter} already."]}

    report = QuarterlyReport.objects.get()
    moved = client.patch(f"{API}/reports/{report.pk}/", {"quarter": quarter.next().quarter}, format="json")
    assert moved.status_code == 400 and "quarter" in moved.json()
    assert QuarterlyReport.objects.count() == 1


def test_year_and_quarter_are_required_to_create(granted_project: Grant, slagelse_applicant: Any) -> None:
    response = create(client_for(slagelse_applicant), granted_project, {"narrative": "Uden kvartal"})
    assert response.status_code == 400
    assert set(response.json()) == {"year", "quarter"}


# Progress --------------------------------------------------------------------------------------------


def test_progress_worked_by_hand(granted_project: Grant, slagelse_applicant: Any, reviewer: Any) -> None:
    """8 women by the end of the second of 8 quarters: the line expects 35 × 2/8 = 8,75, and
    8/8,75 = 91,4 % ≥ 90 % is on track; 8 of 35 is 22,9 % of the target."""
    quarter = first_quarter(granted_project)
    women, attendance = goals_of(granted_project)
    handed_in(granted_project, slagelse_applicant, quarter, women=3, attendance=50)
    handed_in(granted_project, slagelse_applicant, quarter.next(), women=8, attendance=61)
    client = client_for(reviewer)

    body = client.get(f"{API}/grants/{granted_project.pk}/progress/").json()

    assert body["as_of"] == quarter.next().end.isoformat()
    assert body["goals"][0] == {
        "goal": women.pk,
        "title": "Aktivitetsparate kvinder i beskæftigelse",
        "target_group": "aktivitetsparate kvinder",
        "kind": "cumulative",
        "target_value": "35.00",
        "actual": "8.00",
        "numerator": None,
        "denominator": None,
        "percent_of_target": "22.9",
        "expected_by_now": "8.75",
        "status": "on_track",
        "trend": None,
        "forecast_date": body["goals"][0]["forecast_date"],
    }
    # 61 % attendance (61 of 100) is a level held against its 70 % from the first quarter:
    # 61/70 = 87,1 % is below the 90 % of at_risk, so it is off track, rising from 50 %; no date.
    assert body["goals"][1] == {
        "goal": attendance.pk,
        "title": "Gennemsnitlig fremmødeprocent",
        "target_group": None,
        "kind": "level",
        "target_value": "70.00",
        "actual": "61.00",
        "numerator": 61,
        "denominator": 100,
        "percent_of_target": "87.1",
        "expected_by_now": "70.00",
        "status": "off_track",
        "trend": "rising",
        "forecast_date": None,
    }
    # At the pace so far (8 women in `days`), the other 27 take 27/8 × `days` more.
    days = (quarter.next().end - granted_project.start_date).days + 1
    remaining = (Decimal(27) * days / 8).to_integral_value(rounding=ROUND_HALF_UP)
    assert (
        body["goals"][0]["forecast_date"] == (quarter.next().end + datetime.timedelta(days=int(remaining))).isoformat()
    )
    assert set(body["signals"]) == {"reporting", "budget", "performance"}
    assert body["signals"]["performance"] == {"level": "medium", "value": "50.0"}  # one of the two on track
    assert body["risk"] in {"low", "medium", "high"}

    # As of a day in the second quarter, only the first one's figures count.
    earlier = client.get(f"{API}/grants/{granted_project.pk}/progress/?as_of={quarter.end.isoformat()}").json()
    assert earlier["as_of"] == quarter.end.isoformat()
    assert (earlier["goals"][0]["actual"], earlier["goals"][0]["expected_by_now"]) == ("3.00", "4.38")
    assert earlier["goals"][0]["status"] == "off_track"  # 3/4,38 = 68,5 %, below the 70 % of at_risk


def test_progress_before_anything_is_reported_and_a_bad_date(granted_project: Grant, committee: Any) -> None:
    client = client_for(committee)
    body = client.get(f"{API}/grants/{granted_project.pk}/progress/").json()
    assert body["as_of"] is None
    assert [goal["actual"] for goal in body["goals"]] == [None, None]
    assert [goal["status"] for goal in body["goals"]] == [None, None]
    assert body["signals"]["performance"] == {"level": None, "value": None}

    bad = client.get(f"{API}/grants/{granted_project.pk}/progress/?as_of=31-12-2027")
    assert bad.status_code == 400
    assert set(bad.json()) == {"as_of"}
    for extreme in ("0001-01-01", "9999-12-31"):
        assert client.get(f"{API}/grants/{granted_project.pk}/progress/?as_of={extreme}").status_code == 200
    assert client.get(f"{API}/grants/0/progress/?as_of=nonsense").status_code == 404
