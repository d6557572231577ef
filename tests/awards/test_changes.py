"""Change requests: what may be asked and when, and what an approval does: a new version of the
budget and plan (the old ones kept), the remaining milestones re-planned, reported quarters never
rewritten, the payments spread again, and never more money than the pool has left."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from applications.models import Grant, Pool
from awards import services
from awards.models import ChangeKind, ChangeState, PaymentKind, PaymentState
from core.errors import DomainError
from monitoring import services as monitoring_services
from monitoring.models import ExpectedValue, Milestone, MilestoneChange
from monitoring.progress import level_expected
from monitoring.quarters import Quarter, quarters_between

from ..monitoring.conftest import goals_of
from .conftest import hand_in

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def budget(grant: Grant, *amounts: str) -> list[dict[str, Any]]:
    """One salaries line a year of the period, with these amounts (one for each year)."""
    years = range(grant.start_date.year, grant.end_date.year + 1)
    assert len(years) == len(amounts)
    return [
        {"year": year, "category": "salaries", "amount": Decimal(amount), "fte": Decimal(1)}
        for year, amount in zip(years, amounts, strict=False)
    ]


def ask(grant: Grant, user: Any, kind: str, **what: Any) -> Any:
    return services.file_change(grant.pk, user, {"kind": kind, "reason": "Flere borgere end ventet.", **what})


def test_an_approved_budget_change_makes_a_new_version_and_spreads_the_payments_again(
    running: Grant, slagelse_applicant: Any, reviewer: Any, pool_admin: Any
) -> None:
    first = running.payments.filter(kind=PaymentKind.INSTALMENT).order_by("due_on").first()
    services.pay(first.pk, pool_admin, TODAY)
    change = ask(running, slagelse_applicant, ChangeKind.BUDGET, budget_lines=budget(running, "500000", "400000"))

    services.approve_change(change.pk, reviewer, "Godkendt inden for puljens ramme.")

    running.refresh_from_db()
    change.refresh_from_db()
    assert change.state == ChangeState.APPROVED and change.decided_by == reviewer
    assert running.amount == Decimal("900000.00")
    versions = list(running.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].amount == Decimal("800000.00")  # the old version is kept as it was
    assert versions[1].change_request == change
    assert [line.amount for line in versions[1].lines.all()] == [Decimal("500000.00"), Decimal("400000.00")]
    payments = list(running.payments.in_plan())
    assert sum(p.amount for p in payments) == Decimal("900000.00")
    assert running.payments.get(pk=first.pk).amount == first.amount  # what was paid stays
    assert running.payments.get(kind=PaymentKind.RETENTION).amount == Decimal("90000.00")
    assert running.application.pool.granted_total == Decimal("900000.00")


def test_a_budget_change_that_exceeds_the_pool_is_refused_naming_what_is_left(
    running: Grant, slagelse_applicant: Any
) -> None:
    Pool.objects.filter(pk=running.application.pool_id).update(total_budget=Decimal("850000"))
    with pytest.raises(DomainError) as raised:
        ask(running, slagelse_applicant, ChangeKind.BUDGET, budget_lines=budget(running, "500000", "400000"))
    message = " ".join(raised.value.errors["budget_lines"])
    assert "100.000 kr." in message and "50.000 kr." in message


def test_an_approval_after_the_pool_was_spent_is_a_conflict(
    running: Grant, gribskov_running: Grant, slagelse_applicant: Any, reviewer: Any
) -> None:
    # Both projects in one pool of 1.800.000 kr.: 800.000 + 800.000 granted, 200.000 left.
    pool = running.application.pool
    gribskov_running.application.pool = pool
    gribskov_running.application.save()
    Pool.objects.filter(pk=pool.pk).update(total_budget=Decimal("1800000"))
    change = ask(running, slagelse_applicant, ChangeKind.BUDGET, budget_lines=budget(running, "500000", "450000"))
    Pool.objects.filter(pk=pool.pk).update(total_budget=Decimal("1700000"))  # the pool shrank meanwhile

    with pytest.raises(DomainError) as raised:
        services.approve_change(change.pk, reviewer)
    assert raised.value.kind == DomainError.CONFLICT
    assert "150.000 kr." in str(raised.value.message) and "100.000 kr." in str(raised.value.message)
    running.refresh_from_db()
    assert running.amount == Decimal("800000.00")
    assert running.change_requests.get().state == ChangeState.SUBMITTED


def test_a_longer_period_adds_milestones_and_payments_and_keeps_reported_quarters(
    late_project: Grant, slagelse_applicant: Any, reviewer: Any
) -> None:
    first = Quarter.of(late_project.start_date)
    hand_in(late_project, first, slagelse_applicant)
    reported = Milestone.objects.get(grant=late_project, year=first.year, quarter=first.quarter)
    before = {v.goal_id: v.value for v in reported.expected.all()}
    Pool.objects.filter(pk=late_project.application.pool_id).update(project_end_latest=None)
    new_end = datetime.date(late_project.end_date.year + 1, 12, 31)

    change = ask(late_project, slagelse_applicant, ChangeKind.PERIOD, end_date=new_end)
    services.approve_change(change.pk, reviewer)

    late_project.refresh_from_db()
    assert late_project.end_date == new_end
    quarters = quarters_between(late_project.start_date, new_end)
    assert Milestone.objects.filter(grant=late_project).count() == len(quarters)
    assert {v.goal_id: v.value for v in reported.expected.all()} == before
    assert not MilestoneChange.objects.filter(milestone=reported).exists()
    women, _attendance = goals_of(late_project)
    last = Milestone.objects.filter(grant=late_project).order_by("-year", "-quarter").first()
    assert ExpectedValue.objects.get(milestone=last, goal=women).value == women.target_value
    instalments = late_project.payments.filter(kind=PaymentKind.INSTALMENT)
    assert instalments.count() == len(quarters)
    assert sum(p.amount for p in late_project.payments.in_plan()) == late_project.amount


def test_new_targets_replan_the_remaining_milestones_only(
    late_project: Grant, slagelse_applicant: Any, reviewer: Any
) -> None:
    first = Quarter.of(late_project.start_date)
    hand_in(late_project, first, slagelse_applicant)
    women, _attendance = goals_of(late_project)
    reported = ExpectedValue.objects.get(
        milestone__grant=late_project, milestone__year=first.year, milestone__quarter=first.quarter, goal=women
    ).value

    change = ask(
        late_project, slagelse_applicant, ChangeKind.GOALS, goals=[{"goal": women.pk, "target_value": Decimal(50)}]
    )
    services.approve_change(change.pk, reviewer)

    women.refresh_from_db()
    assert women.target_value == Decimal(50)
    values = ExpectedValue.objects.filter(milestone__grant=late_project, goal=women).order_by(
        "milestone__year", "milestone__quarter"
    )
    assert values[0].value == reported
    assert values.last().value == Decimal(50)
    version = late_project.versions.order_by("-number").first()
    assert {g["goal"]: g["target_value"] for g in version.goals}[women.pk] == "50.00"
    assert {g["goal"]: g["target_value"] for g in late_project.versions.get(number=1).goals}[women.pk] == "35.00"


def test_a_reported_quarters_milestone_cannot_be_asked_for(late_project: Grant, slagelse_applicant: Any) -> None:
    first = Quarter.of(late_project.start_date)
    hand_in(late_project, first, slagelse_applicant)
    women, _attendance = goals_of(late_project)
    rows = [{"year": first.year, "quarter": first.quarter, "expected": [{"goal": women.pk, "value": Decimal(1)}]}]
    with pytest.raises(DomainError) as raised:
        ask(late_project, slagelse_applicant, ChangeKind.MILESTONES, milestones=rows)
    assert "never rewritten" in " ".join(raised.value.errors["milestones"]) or "aldrig" in " ".join(
        raised.value.errors["milestones"]
    )


def test_the_remaining_milestones_change_as_asked(running: Grant, slagelse_applicant: Any, reviewer: Any) -> None:
    women, attendance = goals_of(running)
    quarter = Quarter.of(running.start_date).next()
    rows = [
        {
            "year": quarter.year,
            "quarter": quarter.quarter,
            "expected": [{"goal": women.pk, "value": Decimal(3)}, {"goal": attendance.pk, "value": Decimal(55)}],
            "planned_activities": "Netværksmøder med virksomheder.",
        }
    ]
    change = ask(running, slagelse_applicant, ChangeKind.MILESTONES, milestones=rows)
    services.approve_change(change.pk, reviewer)

    milestone = Milestone.objects.get(grant=running, year=quarter.year, quarter=quarter.quarter)
    assert {v.goal_id: v.value for v in milestone.expected.all()} == {women.pk: Decimal(3), attendance.pk: Decimal(55)}
    assert milestone.planned_activities == "Netværksmøder med virksomheder."
    assert MilestoneChange.objects.filter(milestone=milestone, by=reviewer).count() == 3


@pytest.mark.parametrize(
    ("what", "field"),
    [
        ({"kind": ChangeKind.BUDGET, "budget_lines": []}, "budget_lines"),
        ({"kind": ChangeKind.PERIOD, "end_date": None}, "end_date"),
        ({"kind": ChangeKind.GOALS, "goals": [{"goal": 999999, "target_value": Decimal(1)}]}, "goals"),
        ({"kind": ChangeKind.MILESTONES, "milestones": []}, "milestones"),
    ],
)
def test_each_kind_names_what_is_missing_with_the_reason(
    what: dict[str, Any], field: str, running: Grant, slagelse_applicant: Any
) -> None:
    with pytest.raises(DomainError) as raised:
        services.file_change(running.pk, slagelse_applicant, {**what, "reason": ""})
    assert set(raised.value.errors) == {"reason", field}


def test_no_change_after_the_end_date_or_before_acceptance(
    running: Grant, awaiting_other: Grant, slagelse_applicant: Any
) -> None:
    lines = budget(running, "400000", "400000")
    with pytest.raises(DomainError) as raised:
        services.file_change(
            running.pk,
            slagelse_applicant,
            {"kind": ChangeKind.BUDGET, "reason": "Sent.", "budget_lines": lines},
            today=running.end_date + datetime.timedelta(days=1),
        )
    assert raised.value.kind == DomainError.CONFLICT and f"{running.end_date:%d.%m.%Y}" in str(raised.value.message)
    with pytest.raises(DomainError) as raised:
        ask(awaiting_other, slagelse_applicant, ChangeKind.BUDGET, budget_lines=lines)
    assert raised.value.kind == DomainError.CONFLICT


def test_one_open_request_of_a_kind_at_a_time(running: Grant, slagelse_applicant: Any) -> None:
    Pool.objects.filter(pk=running.application.pool_id).update(project_end_latest=None)
    end = running.end_date.replace(year=running.end_date.year + 1)
    ask(running, slagelse_applicant, ChangeKind.PERIOD, end_date=end)
    with pytest.raises(DomainError) as raised:
        ask(running, slagelse_applicant, ChangeKind.PERIOD, end_date=end)
    assert raised.value.kind == DomainError.CONFLICT
    ask(running, slagelse_applicant, ChangeKind.BUDGET, budget_lines=budget(running, "400000", "400000"))


def test_a_period_beyond_the_pools_last_end_date_is_refused(running: Grant, slagelse_applicant: Any) -> None:
    with pytest.raises(DomainError) as raised:
        ask(running, slagelse_applicant, ChangeKind.PERIOD, end_date=running.end_date + datetime.timedelta(days=90))
    assert f"{running.application.pool.project_end_latest:%d.%m.%Y}" in " ".join(raised.value.errors["end_date"])


def test_refusing_needs_a_reason_and_changes_nothing(running: Grant, slagelse_applicant: Any, reviewer: Any) -> None:
    change = ask(running, slagelse_applicant, ChangeKind.BUDGET, budget_lines=budget(running, "500000", "300000"))
    with pytest.raises(DomainError) as raised:
        services.refuse_change(change.pk, reviewer, " ")
    assert set(raised.value.errors) == {"reason"}
    services.refuse_change(change.pk, reviewer, "Budgettet er ikke begrundet.")
    change.refresh_from_db()
    assert (change.state, change.decision_reason) == (ChangeState.REFUSED, "Budgettet er ikke begrundet.")
    assert running.versions.count() == 1
    assert {p.state for p in running.payments.filter(kind=PaymentKind.INSTALMENT)} == {PaymentState.PLANNED}


def _expected(grant: Grant, goal: Any) -> dict[Quarter, Decimal]:
    rows = ExpectedValue.objects.filter(milestone__grant=grant, goal=goal).select_related("milestone")
    return {row.milestone.period: row.value for row in rows}


def test_a_longer_period_stretches_the_counts_and_keeps_a_levels_ramp_and_hand_made_values(
    late_project: Grant, slagelse_applicant: Any, reviewer: Any
) -> None:
    """Attendance ramps up over three quarters and the municipality lowered one quarter by hand:
    a longer period moves neither (a level does not depend on the period's length); the count's
    line is stretched; the new quarters expect the level's target."""
    women, attendance = goals_of(late_project)
    monitoring_services.set_ramp(late_project.pk, attendance.pk, slagelse_applicant, 3)
    fifth = Milestone.objects.filter(grant=late_project).order_by("year", "quarter")[4]
    monitoring_services.update_milestone(fifth.pk, slagelse_applicant, {"expected": {attendance.pk: Decimal(66)}})
    hand_in(late_project, Quarter.of(late_project.start_date), slagelse_applicant)
    before = _expected(late_project, attendance)
    assert [before[q] for q in sorted(before)][:5] == [Decimal("23.33"), Decimal("46.67"), 70, 70, 66]
    Pool.objects.filter(pk=late_project.application.pool_id).update(project_end_latest=None)
    new_end = datetime.date(late_project.end_date.year + 1, 12, 31)

    services.approve_change(ask(late_project, slagelse_applicant, ChangeKind.PERIOD, end_date=new_end).pk, reviewer)

    after = _expected(late_project, attendance)
    assert {q: v for q, v in after.items() if q in before} == before
    assert {v for q, v in after.items() if q not in before} == {Decimal(70)}
    counts = _expected(late_project, women)
    assert counts[max(counts)] == women.target_value
    assert counts[sorted(counts)[1]] < Decimal(35) * 2 / 8  # the line is flatter over the longer period


def test_a_new_target_of_a_level_replans_its_ramp_and_nothing_else(
    late_project: Grant, slagelse_applicant: Any, reviewer: Any
) -> None:
    women, attendance = goals_of(late_project)
    monitoring_services.set_ramp(late_project.pk, attendance.pk, slagelse_applicant, 4)
    third = Milestone.objects.filter(grant=late_project).order_by("year", "quarter")[2]
    monitoring_services.update_milestone(third.pk, slagelse_applicant, {"expected": {women.pk: Decimal(9)}})
    first = Quarter.of(late_project.start_date)
    hand_in(late_project, first, slagelse_applicant)
    counts_before, levels_before = _expected(late_project, women), _expected(late_project, attendance)

    change = ask(
        late_project, slagelse_applicant, ChangeKind.GOALS, goals=[{"goal": attendance.pk, "target_value": Decimal(80)}]
    )
    services.approve_change(change.pk, reviewer)

    attendance.refresh_from_db()
    levels = _expected(late_project, attendance)
    assert levels[first] == levels_before[first] == Decimal("17.50")  # reported: never rewritten
    quarters = sorted(levels)
    assert [levels[q] for q in quarters[1:]] == [level_expected(attendance, i) for i in range(2, len(quarters) + 1)]
    assert [levels[q] for q in quarters[1:4]] == [Decimal(40), Decimal(60), Decimal(80)]
    assert _expected(late_project, women) == counts_before  # the count's hand-made 9 stays


def test_a_smaller_budget_cancels_what_is_no_longer_paid_and_logs_why(
    running: Grant, slagelse_applicant: Any, reviewer: Any, pool_admin: Any
) -> None:
    """Two instalments paid, then the budget cut to what has been paid: the other instalments and
    the retained share are cancelled, kept with the reason, not deleted."""
    instalments = list(running.payments.filter(kind=PaymentKind.INSTALMENT).order_by("due_on"))
    for payment in instalments[:2]:
        services.pay(payment.pk, pool_admin, TODAY)
    paid = services.paid_total(running)
    years = range(running.start_date.year, running.end_date.year + 1)
    lines = [{"year": years[0], "category": "salaries", "amount": paid, "fte": Decimal(1)}]
    lines += [{"year": y, "category": "salaries", "amount": Decimal(0), "fte": Decimal(0)} for y in years[1:]]

    services.approve_change(ask(running, slagelse_applicant, ChangeKind.BUDGET, budget_lines=lines).pk, reviewer)

    running.refresh_from_db()
    cancelled = running.payments.filter(state=PaymentState.CANCELLED).order_by("due_on")
    retention = running.payments.get(kind=PaymentKind.RETENTION)
    assert [p.pk for p in cancelled] == [p.pk for p in instalments[2:]] + [retention.pk]
    assert all(p.transitions.get(target=PaymentState.CANCELLED).by == reviewer for p in cancelled)
    assert "ændringsanmodning" in cancelled[0].transitions.get(target=PaymentState.CANCELLED).reason
    assert sum(p.amount for p in running.payments.in_plan()) == running.amount == paid
    assert services.paid_total(running) == paid
