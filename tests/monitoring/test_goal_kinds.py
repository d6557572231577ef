"""The kinds of goal, worked by hand: what is expected, when a goal is on track, and what a report
must say about it.

Slagelse's project runs 2027–2028, eight quarters. Its goals:
- 35 activity-ready women into work: *cumulative*, expected on a straight line (4,375 a quarter);
- 70 % average attendance (seed 004): a *level*, expected at 70 % from the first quarter, or after
  a planned ramp-up; reported as days attended of days planned, n of N;
- 40 % self-supporting 12 months after enrolment (seed 004): a *cohort share*, n of those
  enrolled at least 12 months before the quarter's end. The project starts 01.01.2027, so nobody
  can be in the cohort before 01.01.2028: the first quarter measured is Q1 2028.

A level is on track at ≥ 100 % of what is expected, at risk at ≥ 90 %, else off track: 60 % against
70 % is 85,7 %, off track; 63 % is 90 %, at risk; never on track below 70 %.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from applications.models import Goal, GoalKind, Grant
from core.errors import DomainError
from monitoring import services
from monitoring.models import GoalStatus, MilestoneChange, Trend
from monitoring.progress import expected_value, level_expected, monitoring_queryset, read_project, status_for, trend_of
from monitoring.quarters import Quarter

from ..conftest import client_for
from .conftest import goals_of, make_grant

START, END = datetime.date(2027, 1, 1), datetime.date(2028, 12, 31)
LATER = datetime.date(2029, 6, 1)  # every quarter of the grant has ended
SELF_SUPPORTING = "Selvforsørgende efter 12 måneder"
COHORT_GOAL = {
    "title": SELF_SUPPORTING,
    "kind": GoalKind.PERCENTAGE,
    "target_value": Decimal(40),
    "unit": "%",
    "cumulative": False,
    "cohort_months": 12,
}


@pytest.fixture
def grant_2027(slagelse_applicant: Any, reviewer: Any) -> Grant:
    return make_grant(slagelse_applicant, reviewer, START, END, more_goals=(COHORT_GOAL,))


def cohort_goal(grant: Grant) -> Goal:
    return grant.application.goals.get(title=SELF_SUPPORTING)


def hand_in(grant: Grant, user: Any, quarter: Quarter, rows: list[dict[str, Any]], today: datetime.date = LATER) -> Any:
    data = {
        "year": quarter.year,
        "quarter": quarter.quarter,
        "narrative": "Forløbet kører.",
        "enrolled": 45,
        "spent_to_date": Decimal(100000),
        "progress": rows,
    }
    report = services.create_report(grant.pk, user, data, today=today)
    return services.submit_report(report.pk, user, today=today)


def women_and_attendance(grant: Grant, women: int, attended: int, planned: int = 100) -> list[dict[str, Any]]:
    women_goal, attendance = goals_of(grant)
    return [
        {"goal": women_goal.pk, "value": Decimal(women)},
        {"goal": attendance.pk, "numerator": attended, "denominator": planned},
    ]


def reading(grant: Grant, as_of: datetime.date = LATER) -> Any:
    return read_project(monitoring_queryset(Grant.objects.filter(pk=grant.pk)).get(), as_of)


def errors_of(call: Any) -> dict[str, list[str]]:
    with translation.override("en"):
        with pytest.raises(DomainError) as caught:
            call()
        return {field: [str(m) for m in messages] for field, messages in caught.value.errors.items()}


# What is expected -------------------------------------------------------------------------------


def test_a_level_is_expected_at_its_target_from_the_first_quarter_or_after_its_ramp() -> None:
    attendance = Goal(kind=GoalKind.PERCENTAGE, target_value=Decimal(70), cumulative=False)
    assert [level_expected(attendance, i) for i in range(1, 9)] == [Decimal("70.00")] * 8

    # A ramp-up of 2 quarters from a baseline of 40 %: halfway (55 %) in Q1, 70 % from Q2 on.
    ramped = Goal(kind=GoalKind.PERCENTAGE, target_value=Decimal(70), baseline=Decimal(40), cumulative=False)
    ramped.ramp_quarters = 2
    assert [expected_value(ramped, i, 8) for i in (1, 2, 3, 8)] == [Decimal("55.00"), Decimal(70), Decimal(70), 70]
    # Without a baseline it rises from 0: 70/3 = 23,33 and 46,67, then 70.
    ramped.baseline, ramped.ramp_quarters = None, 3
    assert [expected_value(ramped, i, 8) for i in (1, 2, 3, 4)] == [
        Decimal("23.33"),
        Decimal("46.67"),
        Decimal(70),
        Decimal(70),
    ]

    # A cumulative count keeps its straight line over the whole period: 35 × 1/8 = 4,375.
    women = Goal(kind=GoalKind.COUNT, target_value=Decimal(35), cumulative=True)
    assert [expected_value(women, i, 8) for i in (1, 2, 8)] == [Decimal("4.38"), Decimal("8.75"), Decimal(35)]


@pytest.mark.parametrize(
    ("latest", "status"),
    [
        (Decimal(60), GoalStatus.OFF_TRACK),  # 60/70 = 85,7 %
        (Decimal("62.99"), GoalStatus.OFF_TRACK),  # 89,99 %
        (Decimal(63), GoalStatus.AT_RISK),  # 90 % exactly
        (Decimal("69.99"), GoalStatus.AT_RISK),  # just short of the requirement: never on track
        (Decimal(70), GoalStatus.ON_TRACK),
        (Decimal(85), GoalStatus.ON_TRACK),
    ],
)
def test_a_level_is_judged_against_its_target(latest: Decimal, status: str) -> None:
    assert status_for(latest, Decimal(70), level=True) == status


def test_the_level_thresholds_are_settings(settings: Any) -> None:
    # Were it a count, 60 of the 70 expected (85,7 %) would be at risk by the 90/70 % of counts.
    assert status_for(Decimal(60), Decimal(70)) == GoalStatus.AT_RISK
    assert status_for(Decimal(60), Decimal(70), level=True) == GoalStatus.OFF_TRACK
    settings.MONITORING = {**settings.MONITORING, "LEVEL_AT_RISK_AT": 0.85}
    assert status_for(Decimal(60), Decimal(70), level=True) == GoalStatus.AT_RISK


@pytest.mark.parametrize(
    ("values", "trend"),
    [
        ([Decimal(58), Decimal(61)], Trend.RISING),
        ([Decimal(63), Decimal(62), Decimal(60)], Trend.FALLING),
        # 60 → 61,2: a change of 1,2 points is within 2 % of 70 (1,4 points): flat.
        ([Decimal(60), Decimal(64), Decimal("61.2")], Trend.FLAT),
        # Only the last three reports: 63 → 60 falls, whatever came before.
        ([Decimal(40), Decimal(63), Decimal(62), Decimal(60)], Trend.FALLING),
        ([Decimal(60)], None),
        ([], None),
    ],
)
def test_the_trend_of_a_level(values: list[Decimal], trend: str | None) -> None:
    assert trend_of(values, Decimal(70)) == trend


# Through the services ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_sixty_percent_attendance_against_seventy_is_off_track_with_a_trend_and_no_date(
    grant_2027: Grant, slagelse_applicant: Any
) -> None:
    hand_in(grant_2027, slagelse_applicant, Quarter(2027, 1), women_and_attendance(grant_2027, 4, 1566, 2700))
    hand_in(grant_2027, slagelse_applicant, Quarter(2027, 2), women_and_attendance(grant_2027, 8, 2880, 4800))

    women, attendance, _cohort = reading(grant_2027, as_of=datetime.date(2027, 8, 1)).goals

    # 2.880 of 4.800 planned days is 60 %; 1.566 of 2.700 was 58 %.
    assert (attendance.actual, attendance.numerator, attendance.denominator) == (Decimal("60.00"), 2880, 4800)
    assert attendance.kind == "level" and attendance.expected_by_now == Decimal(70)
    assert attendance.status == GoalStatus.OFF_TRACK and attendance.percent_of_target == Decimal("85.7")
    assert attendance.trend == Trend.RISING
    assert attendance.forecast_date is None and not attendance.reached
    # Its chart: the quarters measured, each on its own, against 70 % throughout.
    assert [p.actual for p in attendance.series[:3]] == [Decimal("58.00"), Decimal("60.00"), None]
    assert {p.expected for p in attendance.series} == {Decimal("70.00")}
    # The count beside it keeps its line, its forecast and no trend.
    assert (women.kind, women.expected_by_now, women.status, women.trend) == (
        "cumulative",
        Decimal("8.75"),
        "on_track",
        None,
    )
    assert women.forecast_date is not None


@pytest.mark.django_db
def test_a_planned_ramp_moves_the_expected_values_and_is_logged(
    grant_2027: Grant, slagelse_applicant: Any, reviewer: Any
) -> None:
    women, attendance = goals_of(grant_2027)
    attendance.baseline = Decimal(40)
    attendance.save()

    services.set_ramp(grant_2027.pk, attendance.pk, slagelse_applicant, 2)

    milestones = list(grant_2027.milestones.order_by("year", "quarter"))
    assert [m.expected.get(goal=attendance).value for m in milestones[:3]] == [
        Decimal("55.00"),
        Decimal("70.00"),
        Decimal("70.00"),
    ]
    assert Goal.objects.get(pk=attendance.pk).ramp_quarters == 2
    changes = {(c.milestone.period, c.field, c.old, c.new) for c in MilestoneChange.objects.select_related("milestone")}
    assert changes == {
        (Quarter(2027, 1), "ramp_quarters", "0", "2"),
        (Quarter(2027, 1), "expected", "70.00", "55.00"),
    }
    # Only a level ramps up, and only the municipality plans it.
    refused = errors_of(lambda: services.set_ramp(grant_2027.pk, women.pk, slagelse_applicant, 1))
    assert "is cumulative" in refused["goal"][0]
    with pytest.raises(PermissionDenied):
        services.set_ramp(grant_2027.pk, attendance.pk, reviewer, 1)

    # 52 % in the first quarter is 94,5 % of the 55 % planned then: at risk, not off track.
    hand_in(grant_2027, slagelse_applicant, Quarter(2027, 1), women_and_attendance(grant_2027, 4, 52))
    assert reading(grant_2027, datetime.date(2027, 4, 15)).goals[1].status == GoalStatus.AT_RISK

    # Once a report is handed in, the plan stands.
    with pytest.raises(DomainError) as late:
        services.set_ramp(grant_2027.pk, attendance.pk, slagelse_applicant, 1)
    assert late.value.kind == DomainError.CONFLICT


@pytest.mark.django_db
def test_the_ramp_through_the_api_names_every_problem(grant_2027: Grant, slagelse_applicant: Any) -> None:
    women, attendance = goals_of(grant_2027)
    api = client_for(slagelse_applicant)
    api.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    url = f"/api/v1/grants/{grant_2027.pk}/ramp/"

    done = api.post(url, {"goal": attendance.pk, "ramp_quarters": 3}, format="json")
    assert done.status_code == 200, done.content
    milestones = done.json()["milestones"]
    expected = [next(e["value"] for e in m["expected"] if e["goal"] == attendance.pk) for m in milestones]
    assert expected[:4] == ["23.33", "46.67", "70.00", "70.00"]

    wrong = api.post(url, {"goal": women.pk, "ramp_quarters": 9}, format="json")
    assert wrong.status_code == 400
    assert wrong.json() == {
        "goal": [
            "“Aktivitetsparate kvinder i beskæftigelse” is cumulative: it rises over the whole period and has no "
            "ramp-up."
        ],
        "ramp_quarters": ["The ramp-up is a whole number of quarters from 0 to 8, the quarters of the grant."],
    }
    assert api.post(url, {"goal": "x", "ramp_quarters": -1}, format="json").status_code == 400


# Shares: n of N ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_share_is_n_of_n_and_cannot_pass_100_percent(grant_2027: Grant, slagelse_applicant: Any) -> None:
    women, attendance = goals_of(grant_2027)
    quarter = Quarter(2027, 1)

    def create(rows: list[dict[str, Any]]) -> Any:
        data = {"year": quarter.year, "quarter": quarter.quarter, "progress": rows}
        return services.create_report(grant_2027.pk, slagelse_applicant, data, today=LATER)

    assert errors_of(lambda: create([{"goal": attendance.pk, "numerator": 31, "denominator": 30}])) == {
        "progress": [
            "“Gennemsnitlig fremmødeprocent”: 31 of 30 is impossible; n cannot be more than N, a share is at most "
            "100 %."
        ]
    }
    assert errors_of(lambda: create([{"goal": attendance.pk, "value": Decimal(40)}])) == {
        "progress": [
            "“Gennemsnitlig fremmødeprocent” is a share: give it as n of N (numerator and denominator, e.g. 12 of "
            "30); the percentage is computed from them."
        ]
    }
    assert errors_of(lambda: create([{"goal": attendance.pk, "numerator": 12}])) == {
        "progress": ["Give both n and N of “Gennemsnitlig fremmødeprocent”: how many of how many."]
    }
    assert errors_of(lambda: create([{"goal": attendance.pk, "numerator": 0, "denominator": 0}])) == {
        "progress": ["“Gennemsnitlig fremmødeprocent”: N is at least 1; a share of nobody is no figure."]
    }
    assert errors_of(
        lambda: create([{"goal": attendance.pk, "numerator": 12, "denominator": 30, "value": Decimal(45)}])
    ) == {"progress": ["“Gennemsnitlig fremmødeprocent”: 45 % is not 12 of 30 (40 %); give n and N only."]}
    assert errors_of(lambda: create([{"goal": women.pk, "numerator": 3, "denominator": 5}])) == {
        "progress": ["“Aktivitetsparate kvinder i beskæftigelse” is not a share: give its value, not n of N."]
    }

    report = create([{"goal": attendance.pk, "numerator": 12, "denominator": 30, "value": Decimal(40)}])
    row = report.progress.get()
    assert (row.numerator, row.denominator, row.value) == (12, 30, Decimal("40.00"))


# Cohorts -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_cohort_goal_is_measured_only_once_its_cohort_can_exist(grant_2027: Grant, slagelse_applicant: Any) -> None:
    cohort = cohort_goal(grant_2027)

    # Q4 2027 ends 31.12.2027: nobody enrolled from 01.01.2027 can have been there 12 months.
    too_early = errors_of(
        lambda: hand_in(
            grant_2027,
            slagelse_applicant,
            Quarter(2027, 4),
            [*women_and_attendance(grant_2027, 12, 60), {"goal": cohort.pk, "numerator": 5, "denominator": 10}],
        )
    )
    assert too_early == {
        "progress": [
            "“Selvforsørgende efter 12 måneder” counts those enrolled at least 12 months before the quarter ends: "
            "by 31.12.2027 nobody can be, as the project started 01.01.2027. The first cohort is measured for Q1 2028."
        ]
    }
    # Until then a report is complete without it …
    hand_in(grant_2027, slagelse_applicant, Quarter(2027, 4), women_and_attendance(grant_2027, 12, 60))
    # … and from Q1 2028 it is asked for.
    missing = services.create_report(
        grant_2027.pk,
        slagelse_applicant,
        {
            "year": 2028,
            "quarter": 1,
            "narrative": "Første årgang.",
            "enrolled": 80,
            "spent_to_date": Decimal(300000),
            "progress": women_and_attendance(grant_2027, 16, 64),
        },
        today=LATER,
    )
    assert errors_of(lambda: services.submit_report(missing.pk, slagelse_applicant, today=LATER)) == {
        "progress": ["Give a value for every goal; missing: Selvforsørgende efter 12 måneder."]
    }
    # 17 of the 45 enrolled by 31.03.2027 are self-supporting: 37,78 %, 94,4 % of 40 %: at risk.
    services.update_report(
        missing.pk,
        slagelse_applicant,
        {
            "progress": [
                *women_and_attendance(grant_2027, 16, 64),
                {"goal": cohort.pk, "numerator": 17, "denominator": 45},
            ]
        },
        today=LATER,
    )
    services.submit_report(missing.pk, slagelse_applicant, today=LATER)

    measured = reading(grant_2027).goals[2]
    assert (measured.actual, measured.numerator, measured.denominator) == (Decimal("37.78"), 17, 45)
    assert measured.status == GoalStatus.AT_RISK and measured.trend is None and measured.forecast_date is None


@pytest.mark.django_db
def test_an_empty_cohort_is_no_figure(grant_2027: Grant, slagelse_applicant: Any) -> None:
    cohort = cohort_goal(grant_2027)
    rows = [*women_and_attendance(grant_2027, 16, 70), {"goal": cohort.pk, "numerator": 0, "denominator": 0}]
    report = hand_in(grant_2027, slagelse_applicant, Quarter(2028, 1), rows)
    assert report.progress.get(goal=cohort).value is None
    assert reading(grant_2027).goals[2].status is None  # nothing to judge yet


@pytest.mark.django_db
def test_the_progress_api_gives_the_cohorts_n_of_n(grant_2027: Grant, slagelse_applicant: Any, committee: Any) -> None:
    cohort = cohort_goal(grant_2027)
    rows = [*women_and_attendance(grant_2027, 16, 63), {"goal": cohort.pk, "numerator": 17, "denominator": 45}]
    hand_in(grant_2027, slagelse_applicant, Quarter(2028, 1), rows)

    body = client_for(committee).get(f"/api/v1/grants/{grant_2027.pk}/progress/?as_of=2028-05-01").json()

    attendance, measured = body["goals"][1], body["goals"][2]
    assert (attendance["kind"], attendance["status"], attendance["forecast_date"]) == ("level", "at_risk", None)
    assert {key: measured[key] for key in ("kind", "actual", "numerator", "denominator", "status", "trend")} == {
        "kind": "level",
        "actual": "37.78",
        "numerator": 17,
        "denominator": 45,
        "status": "at_risk",
        "trend": None,
    }


@pytest.mark.django_db
def test_the_ramp_page_plans_the_level_goals_only(
    granted_project: Grant, slagelse_applicant: Any, committee: Any, gribskov_applicant: Any
) -> None:
    from django.urls import reverse

    from ..conftest import page_client_for

    _women, attendance = goals_of(granted_project)
    url = reverse("monitoring:ramp_edit", args=[granted_project.pk])
    browser = page_client_for(slagelse_applicant)
    browser.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    project_page = browser.get(reverse("monitoring:project", args=[granted_project.pk])).content.decode()
    assert url in project_page  # "Plan the ramp-up of the level goals", while the plan may change
    form = browser.get(url)
    assert set(form.context["form"].fields) == {f"ramp_{attendance.pk}"}  # the count has no ramp
    assert page_client_for(committee).get(url).status_code == 403
    assert page_client_for(gribskov_applicant).get(url).status_code == 404

    too_long = browser.post(url, {f"ramp_{attendance.pk}": "9"})
    assert too_long.status_code == 200
    assert too_long.context["form"].errors[f"ramp_{attendance.pk}"] == [
        "The ramp-up is at most the grant's 8 quarters."
    ]

    assert browser.post(url, {f"ramp_{attendance.pk}": "2"}).status_code == 302
    expected = [m.expected.get(goal=attendance).value for m in granted_project.milestones.order_by("year", "quarter")]
    assert expected[:3] == [Decimal(35), Decimal(70), Decimal(70)]
    page = browser.get(reverse("monitoring:project", args=[granted_project.pk])).content.decode()
    assert "Ramp-up of “Gennemsnitlig fremmødeprocent” (quarters): 0 → 2" in page
    assert "reached after a ramp-up of 2 quarters" in page
