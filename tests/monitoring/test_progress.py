"""The computations against examples worked by hand.

Slagelse's ambassador project (seed 003): 35 activity-ready women into work over 2027–2028, eight
quarters, so the straight line expects 35/8 = 4,375 women a quarter (cumulative); 70 % average
attendance (seed 004), a level expected at 70 % from the first quarter and reported as n of N
(here n of 100). Gribskov's outcomes (seed 000): 6 of 10 in work at project end, 10 of 10 after
12 months. The reports are written and submitted as on LATER, when every quarter has ended.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from applications.models import Grant
from monitoring import services
from monitoring.models import GoalStatus, OutcomePoint, RiskLevel
from monitoring.progress import completeness_by_quarter, monitoring_queryset, prefetch_flat, read_project, status_for
from monitoring.quarters import Quarter, quarters_between

from ..conftest import client_for, page_client_for
from .conftest import goals_of, make_grant

START, END = datetime.date(2027, 1, 1), datetime.date(2028, 12, 31)
LATER = datetime.date(2029, 6, 1)  # every quarter of the grant has begun


@pytest.fixture
def grant_2027(slagelse_applicant: Any, reviewer: Any) -> Grant:
    return make_grant(slagelse_applicant, reviewer, START, END, amount="800000")


def report(grant: Grant, user: Any, quarter: Quarter, women: int, attendance: int, submit: bool = True, **extra: Any):
    women_goal, attendance_goal = goals_of(grant)
    data = {
        "year": quarter.year,
        "quarter": quarter.quarter,
        "narrative": "Forløbet kører.",
        "enrolled": 40,
        "spent_to_date": extra.pop("spent", Decimal("100000")),
        "progress": [
            {"goal": women_goal.pk, "value": Decimal(women), "comment": extra.pop("comment", "")},
            {"goal": attendance_goal.pk, "numerator": attendance, "denominator": 100},
        ],
        **extra,
    }
    created = services.create_report(grant.pk, user, data, today=LATER)
    if submit:
        services.submit_report(created.pk, user, today=LATER)
    return created


def reading(grant: Grant, as_of: datetime.date = LATER):
    return read_project(monitoring_queryset(Grant.objects.filter(pk=grant.pk)).get(), as_of)


def test_quarters_of_a_grant() -> None:
    quarters = quarters_between(START, END)
    assert len(quarters) == 8
    assert quarters[0].start == START and quarters[-1].end == END
    assert Quarter.of(datetime.date(2027, 5, 17)) == Quarter(2027, 2)
    assert Quarter(2027, 4).next() == Quarter(2028, 1)


@pytest.mark.django_db
def test_a_grant_gets_a_milestone_per_quarter_with_linear_expected_values(grant_2027: Grant) -> None:
    milestones = list(grant_2027.milestones.order_by("year", "quarter"))
    women, attendance = goals_of(grant_2027)
    assert [(m.year, m.quarter) for m in milestones] == [(y, q) for y in (2027, 2028) for q in (1, 2, 3, 4)]
    # Quarter end + the pool's 30 days.
    assert milestones[0].report_due_on == datetime.date(2027, 4, 30)
    assert milestones[-1].report_due_on == datetime.date(2029, 1, 30)
    expected = [m.expected.get(goal=women).value for m in milestones]
    assert expected[:2] == [Decimal("4.38"), Decimal("8.75")]
    assert expected[-1] == Decimal(35)
    # A level is expected at its target from the first quarter, never on a line from 0.
    assert [m.expected.get(goal=attendance).value for m in milestones] == [Decimal("70.00")] * 8


@pytest.mark.parametrize(
    ("women", "status"),
    [(8, GoalStatus.ON_TRACK), (7, GoalStatus.AT_RISK), (6, GoalStatus.OFF_TRACK), (9, GoalStatus.ON_TRACK)],
)
@pytest.mark.django_db
def test_slagelse_35_women_after_two_quarters(
    grant_2027: Grant, slagelse_applicant: Any, women: int, status: str
) -> None:
    report(grant_2027, slagelse_applicant, Quarter(2027, 1), women=4, attendance=58)
    report(grant_2027, slagelse_applicant, Quarter(2027, 2), women=women, attendance=64)

    project = reading(grant_2027, as_of=datetime.date(2027, 8, 1))
    goal = project.goals[0]

    # 8 of 8,75 expected is 91,4 % (on track); 7 is 80 % (at risk); 6 is 68,6 % (off track).
    assert goal.expected_by_now == Decimal("8.75")
    assert goal.actual == Decimal(women)
    assert goal.status == status
    assert goal.percent_of_target == (Decimal(women) / 35 * 100).quantize(Decimal("0.1"))
    assert project.figures_as_of == datetime.date(2027, 6, 30)


@pytest.mark.django_db
def test_forecast_at_the_current_pace(grant_2027: Grant, slagelse_applicant: Any) -> None:
    report(grant_2027, slagelse_applicant, Quarter(2027, 1), women=4, attendance=58)
    report(grant_2027, slagelse_applicant, Quarter(2027, 2), women=8, attendance=64)

    goal = reading(grant_2027).goals[0]

    # 8 women in the 181 days of 1.1.–30.6.2027; 27 to go at that pace take 27 × 181 / 8 = 610,9 days.
    assert goal.forecast_date == datetime.date(2027, 6, 30) + datetime.timedelta(days=611)
    assert goal.forecast_date == datetime.date(2029, 3, 2)


@pytest.mark.django_db
def test_no_forecast_when_nothing_moves_and_the_date_reached_once_met(
    grant_2027: Grant, slagelse_applicant: Any
) -> None:
    report(grant_2027, slagelse_applicant, Quarter(2027, 1), women=0, attendance=70)
    attendance_reached = reading(grant_2027).goals[1]
    women = reading(grant_2027).goals[0]
    assert women.forecast_date is None  # "not at this pace"
    assert attendance_reached.reached and attendance_reached.status == GoalStatus.ON_TRACK
    assert attendance_reached.forecast_date is None  # a level is held or not: it has no date


@pytest.mark.django_db
def test_point_in_time_goals_take_the_quarters_value_and_cumulative_the_latest(
    grant_2027: Grant, slagelse_applicant: Any
) -> None:
    report(grant_2027, slagelse_applicant, Quarter(2027, 1), women=4, attendance=72)
    report(grant_2027, slagelse_applicant, Quarter(2027, 2), women=8, attendance=64)
    women, attendance = reading(grant_2027).goals

    assert attendance.actual == Decimal(64)  # the quarter's value, not the best one
    assert [p.actual for p in attendance.series[:3]] == [Decimal(72), Decimal(64), None]
    assert [p.actual for p in women.series[:3]] == [Decimal(4), Decimal(8), None]
    assert women.series[2].expected == Decimal("13.13")


@pytest.mark.django_db
def test_drafts_do_not_count(grant_2027: Grant, slagelse_applicant: Any) -> None:
    report(grant_2027, slagelse_applicant, Quarter(2027, 1), women=4, attendance=58)
    report(grant_2027, slagelse_applicant, Quarter(2027, 2), women=30, attendance=64, submit=False)
    project = reading(grant_2027)
    assert project.goals[0].actual == Decimal(4)
    assert project.figures_as_of == datetime.date(2027, 3, 31)


def test_status_thresholds_are_settings(settings: Any) -> None:
    assert status_for(Decimal("8"), Decimal("8.75")) == GoalStatus.ON_TRACK
    settings.MONITORING = {**settings.MONITORING, "ON_TRACK_AT": 0.95}
    assert status_for(Decimal("8"), Decimal("8.75")) == GoalStatus.AT_RISK
    assert status_for(None, Decimal("8.75")) is None


@pytest.mark.django_db
def test_gribskov_outcomes_6_of_10_at_end_and_10_of_10_after_12_months(
    grant_2027: Grant, slagelse_applicant: Any
) -> None:
    report(
        grant_2027,
        slagelse_applicant,
        Quarter(2028, 4),
        women=35,
        attendance=70,
        outcomes=[{"point": OutcomePoint.END, "participants": 10, "employed": 6}],
    )
    first = reading(grant_2027).outcomes
    assert [(o.point, o.share) for o in first] == [(OutcomePoint.END, Decimal("60.0"))]

    # 12 months after the end (31.12.2028) is 31.12.2029: reported in the new year.
    a_year_after = datetime.date(2030, 1, 15)
    later = services.create_report(grant_2027.pk, slagelse_applicant, {"year": 2028, "quarter": 3}, today=a_year_after)
    services.update_report(
        later.pk,
        slagelse_applicant,
        {"outcomes": [{"point": OutcomePoint.AFTER_12_MONTHS, "participants": 10, "employed": 10}]},
        today=a_year_after,
    )
    women, attendance = goals_of(grant_2027)
    services.update_report(
        later.pk,
        slagelse_applicant,
        {
            "narrative": "Opfølgning",
            "enrolled": 10,
            "spent_to_date": Decimal(700000),
            "progress": [
                {"goal": women.pk, "value": Decimal(35)},
                {"goal": attendance.pk, "numerator": 7, "denominator": 10},
            ],
        },
        today=a_year_after,
    )
    services.submit_report(later.pk, slagelse_applicant, today=a_year_after)
    outcomes = {o.point: o for o in reading(grant_2027).outcomes}
    assert outcomes[OutcomePoint.END].share == Decimal("60.0")
    assert outcomes[OutcomePoint.AFTER_12_MONTHS].share == Decimal("100.0")
    # The one-grant pages read the grant flat (`prefetch_flat` with the outcomes): the same reading.
    flat = Grant.objects.select_related("application__lead_municipality", "application__pool").get(pk=grant_2027.pk)
    prefetch_flat([flat], outcomes=True)
    assert read_project(flat, LATER) == reading(grant_2027)


@pytest.mark.django_db
def test_the_project_page_and_the_api_show_the_outcomes(slagelse_applicant: Any, reviewer: Any) -> None:
    # A project that has ended (today is after it), its outcome at the end handed in.
    ended = make_grant(slagelse_applicant, reviewer, datetime.date(2024, 1, 1), datetime.date(2025, 12, 31))
    report(
        ended,
        slagelse_applicant,
        Quarter(2025, 4),
        women=30,
        attendance=70,
        outcomes=[{"point": OutcomePoint.END, "participants": 10, "employed": 6}],
    )
    body = client_for(slagelse_applicant).get(f"/api/v1/grants/{ended.pk}/progress/").json()
    assert body["outcomes"] == [{"point": "end", "participants": 10, "employed": 6, "share": "60.0"}]
    page = page_client_for(slagelse_applicant).get(f"/projects/{ended.pk}/", HTTP_ACCEPT_LANGUAGE="da")
    assert '<td class="number">10</td><td class="number">6</td><td class="number">60 %</td>' in page.content.decode()


@pytest.mark.django_db
def test_risk_from_lateness_budget_and_performance(grant_2027: Grant, slagelse_applicant: Any) -> None:
    # After 2 quarters (181 of 731 days) the plan is 800.000 × 181/731 = 198.084 kr.
    # Both goals on track: 8 of 8,75 women (91,4 %) and 72 % attendance against 70 %.
    report(grant_2027, slagelse_applicant, Quarter(2027, 1), women=4, attendance=71, spent=Decimal(90000))
    report(grant_2027, slagelse_applicant, Quarter(2027, 2), women=8, attendance=72, spent=Decimal(200000))

    on_time = reading(grant_2027, as_of=datetime.date(2027, 10, 30))  # Q3's report is due 30.10.
    assert on_time.reporting.level == RiskLevel.LOW and on_time.reporting.value == 0
    assert on_time.budget.level == RiskLevel.LOW and on_time.budget.value == Decimal("101.0")
    assert on_time.performance.level == RiskLevel.LOW and on_time.performance.value == Decimal("100.0")
    assert on_time.risk == RiskLevel.LOW

    late = reading(grant_2027, as_of=datetime.date(2027, 12, 15))  # 46 days after 30.10.
    assert late.reporting.value == 46
    assert late.reporting.level == RiskLevel.HIGH
    assert [m.period for m in late.late] == [Quarter(2027, 3)]
    assert late.risk == RiskLevel.HIGH


@pytest.mark.django_db
def test_overspending_is_a_budget_risk(grant_2027: Grant, slagelse_applicant: Any) -> None:
    report(grant_2027, slagelse_applicant, Quarter(2027, 1), women=4, attendance=58, spent=Decimal(150000))
    # Plan after Q1: 800.000 × 90/731 = 98.495 kr.; 150.000 is 152,3 % of it.
    project = reading(grant_2027, as_of=datetime.date(2027, 4, 15))
    assert project.budget.value == Decimal("152.3")
    assert project.budget.level == RiskLevel.HIGH


@pytest.mark.django_db
def test_completeness_and_timeliness_per_quarter(grant_2027: Grant, slagelse_applicant: Any, reviewer: Any) -> None:
    second = make_grant(slagelse_applicant, reviewer, START, END, amount="500000")
    report(grant_2027, slagelse_applicant, Quarter(2027, 1), women=4, attendance=58)
    late = report(second, slagelse_applicant, Quarter(2027, 1), women=3, attendance=50)
    # Handed in two days after its due date 30.4.2027.
    type(late).objects.filter(pk=late.pk).update(
        first_submitted_at=datetime.datetime(2027, 5, 2, 10, tzinfo=datetime.UTC)
    )
    as_of = datetime.date(2027, 8, 15)  # Q1 due 30.4. and Q2 due 30.7. have passed, Q3 not yet

    grants = monitoring_queryset(Grant.objects.filter(pk__in=[grant_2027.pk, second.pk]))
    rows = completeness_by_quarter(grants, as_of)

    assert [(r.quarter, r.expected, r.submitted, r.on_time) for r in rows] == [
        (Quarter(2027, 1), 2, 2, 1),
        (Quarter(2027, 2), 2, 0, 0),
    ]
    assert (rows[0].completeness, rows[0].timeliness) == (Decimal("100.0"), Decimal("50.0"))
    assert (rows[1].completeness, rows[1].timeliness) == (Decimal("0.0"), Decimal("0.0"))
