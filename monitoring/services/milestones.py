"""The milestones of a grant and its plan: made when it is granted, changed (each change logged)
until the first report is handed in, and replanned after a change request."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from applications.models import Goal, GoalKind, Grant
from core.errors import DomainError

from .. import pool_snapshot, summary
from ..checks import as_int
from ..models import ExpectedValue, Milestone, MilestoneChange
from ..progress import default_milestones, expected_value
from ..quarters import Quarter, quarters_between

# Milestones ----------------------------------------------------------------------------------


def create_milestones(grant: Grant) -> list[Milestone]:
    """One milestone per calendar quarter of the grant, with linear expected values. Called when
    the application is granted (signals.py); does nothing for a grant that has its milestones.
    Inserted in bulk (a project of four years has 16 milestones and 16 × its goals expected
    values), so the grant's progress summary is told once, not per row."""
    if grant.milestones.exists():
        return list(grant.milestones.all())
    planned = default_milestones(grant, grant.application.goals.all())
    milestones = Milestone.objects.bulk_create(
        [
            Milestone(grant=grant, year=quarter.year, quarter=quarter.quarter, report_due_on=due)
            for quarter, due, _expected in planned
        ]
    )
    ExpectedValue.objects.bulk_create(
        [
            ExpectedValue(milestone=milestone, goal_id=goal_id, value=value)
            for milestone, (_quarter, _due, expected) in zip(milestones, planned, strict=True)
            for goal_id, value in expected.items()
        ]
    )
    # bulk_create sends no post_save: what signals.progress_on_change does for a saved milestone.
    summary.changed(grant.pk)
    pool_snapshot.stale(grant_id=grant.pk)
    return milestones


def milestones_editable(grant: Grant) -> bool:
    """A grant is young, and its milestones open to change, until its first report is handed in.
    A grant read with its reports (the project page's) is answered from them."""
    if "reports" in getattr(grant, "_prefetched_objects_cache", {}):
        return not any(report.is_handed_in for report in grant.reports.all())
    return not grant.reports.handed_in().exists()


def _most(goal: Goal) -> int | None:
    """The highest target or expected value a goal can have: 100 for a percentage, else none."""
    return 100 if goal.kind == GoalKind.PERCENTAGE else None


def out_of_range(goal: Goal, value: Any) -> bool:
    """A goal's target or expected value outside what it can be: from 0 to `_most`."""
    most = _most(goal)
    return value is None or value < 0 or (most is not None and value > most)


def update_milestone(milestone_id: int, user: Any, data: dict[str, Any]) -> Milestone:
    """Change planned activities and expected values (`{"expected": {goal_id: value}}`); each
    change is logged with its old and new value."""
    with transaction.atomic():
        milestone = Milestone.objects.select_for_update().select_related("grant__application").get(pk=milestone_id)
        if not user.has_perm("monitoring.change_milestone", milestone):
            raise PermissionDenied
        if not milestones_editable(milestone.grant):
            raise DomainError.conflict(_("The milestones cannot change once the first report has been handed in."))
        goals = {goal.pk: goal for goal in milestone.grant.application.goals.all()}
        expected: dict[Any, Any] = data.get("expected") or {}
        errors: dict[str, list[Any]] = {}
        for goal_id, value in expected.items():
            goal = goals.get(as_int(goal_id))
            if goal is None:
                errors.setdefault("expected", []).append(
                    _("Goal %(goal)s is not a goal of this grant.") % {"goal": goal_id}
                )
            elif out_of_range(goal, value):
                errors.setdefault("expected", []).append(
                    _("The expected value of “%(goal)s” must be from 0 to %(max)s.")
                    % {"goal": goal.title, "max": _most(goal) or "∞"}
                )
        if errors:
            raise DomainError.invalid(errors)
        if "planned_activities" in data and data["planned_activities"] != milestone.planned_activities:
            MilestoneChange.objects.create(
                milestone=milestone,
                field="planned_activities",
                old=milestone.planned_activities,
                new=data["planned_activities"],
                by=user,
            )
            milestone.planned_activities = data["planned_activities"]
            milestone.save(update_fields=["planned_activities"])
        current = {value.goal_id: value for value in milestone.expected.all()}
        _write_expected(
            milestone, goals, current, {as_int(goal_id): value for goal_id, value in expected.items()}, user
        )
        return milestone


def set_ramp(grant_id: int, goal_id: Any, user: Any, quarters: Any) -> Goal:
    """Plan a level goal's ramp-up: from its baseline to the target over the grant's first
    `quarters` quarters (0: the target from the first quarter). The goal's expected value in
    every milestone follows the new plan; each change is logged, as a milestone change is."""
    with transaction.atomic():
        grant = Grant.objects.select_for_update().select_related("application").get(pk=grant_id)
        if not user.has_perm("monitoring.change_milestone", grant):
            raise PermissionDenied
        if not milestones_editable(grant):
            raise DomainError.conflict(_("The milestones cannot change once the first report has been handed in."))
        goal = grant.application.goals.filter(pk=as_int(goal_id)).first()
        if goal is None:
            raise DomainError.invalid({"goal": [_("Goal %(goal)s is not a goal of this grant.") % {"goal": goal_id}]})
        milestones = list(grant.milestones.order_by("year", "quarter").prefetch_related("expected"))
        errors: dict[str, list[Any]] = {}
        if goal.cumulative:
            errors["goal"] = [
                _("“%(goal)s” is cumulative: it rises over the whole period and has no ramp-up.") % {"goal": goal.title}
            ]
        if not isinstance(quarters, int) or isinstance(quarters, bool) or not 0 <= quarters <= len(milestones):
            errors["ramp_quarters"] = [
                _("The ramp-up is a whole number of quarters from 0 to %(max)s, the quarters of the grant.")
                % {"max": len(milestones)}
            ]
        if errors:
            raise DomainError.invalid(errors)
        if goal.ramp_quarters == quarters:
            return goal
        if milestones:
            MilestoneChange.objects.create(
                milestone=milestones[0],
                goal=goal,
                field="ramp_quarters",
                old=str(goal.ramp_quarters),
                new=str(quarters),
                by=user,
            )
        goal.ramp_quarters = quarters
        goal.save(update_fields=["ramp_quarters"])
        for index, milestone in enumerate(milestones, start=1):
            new = expected_value(goal, index, len(milestones))
            row = next((value for value in milestone.expected.all() if value.goal_id == goal.pk), None)
            if row is not None and row.value == new:
                continue
            MilestoneChange.objects.create(
                milestone=milestone,
                goal=goal,
                field="expected",
                old=str(row.value) if row is not None else "",
                new=str(new),
                by=user,
            )
            row = row or ExpectedValue(milestone=milestone, goal=goal)
            row.value = new
            row.save()
        return goal


def replan(
    grant_id: int,
    user: Any,
    *,
    end_date: datetime.date | None = None,
    targets: dict[int, Decimal] | None = None,
    expected: dict[Quarter, dict[int, Decimal]] | None = None,
    activities: dict[Quarter, str] | None = None,
) -> Grant:
    """Change the plan of a running grant as SIRI approved it (the grant administration's change
    requests): a new end date (new quarters get milestones), new goal targets, or the expected
    values and activities of given quarters. What the change moves is planned again as when
    granted (`default_milestones`), in the quarters not yet reported, and nothing else: a new end
    date stretches each cumulative goal's straight line (a level is expected at its target, or on
    its ramp-up, whatever the period's length, so its values stay as planned, by hand too); a new
    target re-plans that goal alone, a level's ramp-up from its baseline included. A new quarter
    gets every goal's value. Given values win.

    Reported quarters (a report handed in) are never rewritten. Every change of a milestone is
    logged as the municipality's own changes are (`MilestoneChange`, by the person approving)."""
    with transaction.atomic():
        grant = Grant.objects.select_for_update(of=("self",)).select_related("application__pool").get(pk=grant_id)
        if not user.has_perm("monitoring.replan_grant", grant):
            raise PermissionDenied
        reported = {Quarter(y, q) for y, q in grant.reports.handed_in().values_list("year", "quarter")}
        goals = {goal.pk: goal for goal in grant.application.goals.order_by("id")}
        errors = _replan_problems(grant, reported, goals, end_date, targets or {}, expected or {})
        if errors:
            raise DomainError.invalid(errors)
        if end_date is not None and end_date != grant.end_date:
            grant.end_date = end_date
            grant.save(update_fields=["end_date"])
        for goal_id, value in (targets or {}).items():
            goal = goals[goal_id]
            goal.target_value = value
            goal.save(update_fields=["target_value"])
        respread = {goal_id for goal_id, goal in goals.items() if end_date is not None and goal.cumulative}
        respread |= set(targets or {})
        existing = {m.period: m for m in grant.milestones.prefetch_related("expected")}
        wanted_quarters = set()
        for quarter, due, values in default_milestones(grant, goals.values()):
            wanted_quarters.add(quarter)
            if quarter in reported:
                continue
            milestone = existing.get(quarter)
            current: dict[int, ExpectedValue] = {}
            if milestone is None:
                milestone = Milestone.objects.create(
                    grant=grant, year=quarter.year, quarter=quarter.quarter, report_due_on=due
                )
                wanted = dict(values)
            else:
                current = {value.goal_id: value for value in milestone.expected.all()}
                wanted = {goal_id: value for goal_id, value in values.items() if goal_id in respread}
            wanted.update((expected or {}).get(quarter, {}))
            _write_expected(milestone, goals, current, wanted, user)
            if activities and quarter in activities and activities[quarter] != milestone.planned_activities:
                MilestoneChange.objects.create(
                    milestone=milestone,
                    field="planned_activities",
                    old=milestone.planned_activities,
                    new=activities[quarter],
                    by=user,
                )
                milestone.planned_activities = activities[quarter]
                milestone.save(update_fields=["planned_activities"])
        for quarter, milestone in existing.items():
            if quarter not in wanted_quarters and quarter not in reported:
                milestone.delete()  # a shorter period: its quarters after the end go
        return grant


def _replan_problems(
    grant: Grant,
    reported: set[Quarter],
    goals: dict[int, Goal],
    end_date: datetime.date | None,
    targets: dict[int, Decimal],
    expected: dict[Quarter, dict[int, Decimal]],
) -> dict[str, list[Any]]:
    errors: dict[str, list[Any]] = {}
    end = end_date or grant.end_date
    if end_date is not None:
        last = max(reported, default=None)
        if end_date < grant.start_date:
            errors["end_date"] = [_("The project cannot end before it starts.")]
        elif last is not None and end_date < last.end:
            errors["end_date"] = [
                _("%(quarter)s has been reported; the period cannot end before it.") % {"quarter": last}
            ]

    for goal_id, value in targets.items():
        goal = goals.get(goal_id)
        if goal is None:
            errors.setdefault("goals", []).append(_("Goal %(goal)s is not a goal of this grant.") % {"goal": goal_id})
        elif out_of_range(goal, value):
            errors.setdefault("goals", []).append(
                _("The target of “%(goal)s” must be from 0 to %(max)s.")
                % {"goal": goal.title, "max": _most(goal) or "∞"}
            )
    period = quarters_between(grant.start_date, end)
    for quarter, values in expected.items():
        if quarter in reported:
            errors.setdefault("milestones", []).append(
                _("%(quarter)s has been reported; reported quarters are never rewritten.") % {"quarter": quarter}
            )
        elif quarter not in period:
            errors.setdefault("milestones", []).append(
                _("%(quarter)s is outside the grant period.") % {"quarter": quarter}
            )
        for goal_id, value in values.items():
            goal = goals.get(goal_id)
            if goal is None:
                errors.setdefault("milestones", []).append(
                    _("Goal %(goal)s is not a goal of this grant.") % {"goal": goal_id}
                )
            elif out_of_range(goal, value):
                errors.setdefault("milestones", []).append(
                    _("The expected value of “%(goal)s” must be from 0 to %(max)s.")
                    % {"goal": goal.title, "max": _most(goal) or "∞"}
                )
    return errors


def _write_expected(
    milestone: Milestone,
    goals: dict[int, Goal],
    current: dict[int, ExpectedValue],
    wanted: dict[int, Decimal],
    user: Any,
) -> None:
    """Set the milestone's expected values to `wanted`, each change logged with its old value."""
    for goal_id, value in wanted.items():
        new = Decimal(value).quantize(Decimal("0.01"))
        row = current.get(goal_id) or ExpectedValue(milestone=milestone, goal=goals[goal_id], value=Decimal(0))
        if row.pk is not None and row.value == new:
            continue
        MilestoneChange.objects.create(
            milestone=milestone,
            goal=goals[goal_id],
            field="expected",
            old=str(row.value) if row.pk else "",
            new=str(new),
            by=user,
        )
        row.value = new
        row.save()
