"""Change requests: the municipality asks, SIRI approves or refuses. An approved change makes a
new version of the budget and plan, re-plans the remaining milestones through monitoring's
service and the unpaid payments, and never raises the grant above what the pool has left: the
pool row is locked as a grant locks it, so two approvals at once cannot overspend the pool."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from applications.models import BudgetCategory, GoalKind, Grant, GrantState, Pool
from applications.services import committed_total
from core import lifecycle
from core.errors import DomainError
from core.money import format_dkk, quantize
from core.outbox import send_later
from documents.services import request_document
from monitoring import services as monitoring_services
from monitoring.models import QuarterlyReport
from monitoring.quarters import Quarter, quarters_between

from ..models import ChangeKind, ChangeRequest, ChangeState
from . import payments
from .terms import audit_level, current_lines, latest_version, snapshot, terms_of

DECISION_LETTER = "change_decision_letter"
NOTIFY_TASK = "awards.tasks.notify_change_decided"


def _date(day: datetime.date) -> str:
    return f"{day:%d.%m.%Y}"


def _row(number: int) -> str:
    return _("Row %(number)s") % {"number": number}


# What is asked, checked ----------------------------------------------------------------------------


def _budget_problems(grant: Grant, lines: list[dict[str, Any]], pool: Pool) -> list[Any]:
    problems: list[Any] = []
    if not lines:
        return [_("Give the whole new budget, line by line.")]
    years = range(grant.start_date.year, grant.end_date.year + 1)
    seen: set[tuple[int, str]] = set()
    for number, line in enumerate(lines, 1):
        year, category, amount = line.get("year"), line.get("category"), line.get("amount")
        if year not in years:
            problems.append(
                _("%(row)s: %(year)s is outside the grant period %(start)s–%(end)s.")
                % {"row": _row(number), "year": year, "start": years.start, "end": years.stop - 1}
            )
        if category not in BudgetCategory.values:
            problems.append(
                _("%(row)s: %(category)s is not a budget category; use one of %(allowed)s.")
                % {"row": _row(number), "category": category, "allowed": ", ".join(BudgetCategory.values)}
            )
        if amount is None or amount < 0:
            problems.append(_("%(row)s: the amount must be 0 kr. or more.") % {"row": _row(number)})
        if (line.get("fte") or 0) < 0:
            problems.append(_("%(row)s: the FTE must be 0 or more.") % {"row": _row(number)})
        if (year, category) in seen:
            problems.append(
                _("%(row)s: there is already a line for %(category)s in %(year)s.")
                % {"row": _row(number), "category": category, "year": year}
            )
        seen.add((year, category))
    if problems:
        return problems
    total = quantize(sum((line["amount"] for line in lines), Decimal(0)))
    paid = payments.paid_total(grant)
    if total <= 0:
        problems.append(_("The budget must be more than 0 kr."))
    elif total < paid:
        problems.append(_("The budget cannot be less than the %(paid)s already paid out.") % {"paid": format_dkk(paid)})
    problems.extend(_pool_problems(grant, total, pool))
    return problems


def _pool_problems(grant: Grant, total: Decimal, pool: Pool) -> list[Any]:
    """More money for the grant must be left in the pool. Ask with the pool row locked."""
    more = total - grant.amount
    left = pool.total_budget - committed_total(pool)
    if more > left:
        return [
            _("The new budget is %(more)s more than the grant, and only %(left)s is left in the pool.")
            % {"more": format_dkk(more), "left": format_dkk(max(left, Decimal(0)))}
        ]
    return []


def _period_problems(grant: Grant, end_date: datetime.date | None) -> list[Any]:
    if end_date is None:
        return [_("Give the new end date of the project.")]
    if end_date <= grant.end_date:
        return [_("The new end date must be after the present one, %(end)s.") % {"end": _date(grant.end_date)}]
    latest = grant.application.pool.project_end_latest
    if latest is not None and end_date > latest:
        return [_("The pool's projects end on %(latest)s at the latest.") % {"latest": _date(latest)}]
    return []


def _goal_problems(grant: Grant, rows: list[dict[str, Any]]) -> list[Any]:
    if not rows:
        return [_("Give the new target of at least one goal.")]
    goals = {goal.pk: goal for goal in grant.application.goals.all()}
    problems: list[Any] = []
    seen: set[int] = set()
    for number, row in enumerate(rows, 1):
        goal = goals.get(row.get("goal"))
        if goal is None:
            problems.append(_("%(row)s: not a goal of this grant.") % {"row": _row(number)})
            continue
        if goal.pk in seen:
            problems.append(_("“%(goal)s” is given twice.") % {"goal": goal.title})
        seen.add(goal.pk)
        value = row.get("target_value")
        if value is None or value < 0 or (goal.kind == GoalKind.PERCENTAGE and value > 100):
            problems.append(
                _("The target of “%(goal)s” must be from 0 to %(max)s.")
                % {"goal": goal.title, "max": 100 if goal.kind == GoalKind.PERCENTAGE else "∞"}
            )
    return problems


def _reported(grant: Grant) -> set[Quarter]:
    return {
        Quarter(y, q) for y, q in QuarterlyReport.objects.filter(grant=grant).handed_in().values_list("year", "quarter")
    }


def _milestone_problems(grant: Grant, rows: list[dict[str, Any]]) -> list[Any]:
    if not rows:
        return [_("Give at least one quarter's milestone.")]
    goals = {goal.pk: goal for goal in grant.application.goals.all()}
    period = quarters_between(grant.start_date, grant.end_date)
    reported = _reported(grant)
    problems: list[Any] = []
    seen: set[Quarter] = set()
    for number, row in enumerate(rows, 1):
        try:
            quarter = Quarter(int(row.get("year")), int(row.get("quarter")))
        except (TypeError, ValueError):
            problems.append(_("%(row)s: give the year and the quarter (1–4).") % {"row": _row(number)})
            continue
        if quarter not in period:
            problems.append(_("%(quarter)s is outside the grant period.") % {"quarter": quarter})
        elif quarter in reported:
            problems.append(
                _("%(quarter)s has been reported; reported quarters are never rewritten.") % {"quarter": quarter}
            )
        if quarter in seen:
            problems.append(_("%(quarter)s is given twice.") % {"quarter": quarter})
        seen.add(quarter)
        for value in row.get("expected") or []:
            goal = goals.get(value.get("goal"))
            if goal is None:
                problems.append(_("%(quarter)s: not a goal of this grant.") % {"quarter": quarter})
            elif (
                value.get("value") is None
                or value["value"] < 0
                or (goal.kind == GoalKind.PERCENTAGE and value["value"] > 100)
            ):
                problems.append(
                    _("%(quarter)s: the expected value of “%(goal)s” must be from 0 to %(max)s.")
                    % {"quarter": quarter, "goal": goal.title, "max": 100 if goal.kind == GoalKind.PERCENTAGE else "∞"}
                )
    return problems


FIELD_OF_KIND = {
    ChangeKind.BUDGET: "budget_lines",
    ChangeKind.PERIOD: "end_date",
    ChangeKind.GOALS: "goals",
    ChangeKind.MILESTONES: "milestones",
}


def change_problems(grant: Grant, kind: str, data: dict[str, Any], pool: Pool) -> dict[str, list[Any]]:
    """Every problem of what is asked, on the field it concerns."""
    errors: dict[str, list[Any]] = {}
    if not (data.get("reason") or "").strip():
        errors["reason"] = [_("Give the reason for the change; SIRI decides on it.")]
    if kind not in ChangeKind.values:
        errors["kind"] = [_("Choose budget, period, goals or milestones.")]
        return errors
    problems = {
        ChangeKind.BUDGET: lambda: _budget_problems(grant, data.get("budget_lines") or [], pool),
        ChangeKind.PERIOD: lambda: _period_problems(grant, data.get("end_date")),
        ChangeKind.GOALS: lambda: _goal_problems(grant, data.get("goals") or []),
        ChangeKind.MILESTONES: lambda: _milestone_problems(grant, data.get("milestones") or []),
    }[kind]()
    if problems:
        errors[FIELD_OF_KIND[kind]] = problems
    return errors


def _stored(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """What is asked, as it is kept (JSON: amounts and values as decimal strings)."""
    if kind == ChangeKind.BUDGET:
        lines = [
            {
                "year": line["year"],
                "category": line["category"],
                "amount": str(quantize(line["amount"])),
                "fte": str(Decimal(str(line.get("fte") or 0))),
            }
            for line in data["budget_lines"]
        ]
        return {"budget_lines": sorted(lines, key=lambda line: (line["year"], line["category"]))}
    if kind == ChangeKind.PERIOD:
        return {"end_date": data["end_date"]}
    if kind == ChangeKind.GOALS:
        return {"goals": [{"goal": row["goal"], "target_value": str(row["target_value"])} for row in data["goals"]]}
    return {
        "milestones": [
            {
                "year": int(row["year"]),
                "quarter": int(row["quarter"]),
                "expected": [{"goal": v["goal"], "value": str(v["value"])} for v in row.get("expected") or []],
                "planned_activities": row.get("planned_activities") or "",
            }
            for row in data["milestones"]
        ]
    }


def open_problem(grant: Grant, today: datetime.date) -> str | None:
    """Why no change can be asked for now (the grant is not active, or its period is over), or None."""
    if grant.state != GrantState.ACTIVE:
        return _("Changes can be asked for while the grant is active; it is %(state)s.") % {
            "state": grant.get_state_display()
        }
    if today > grant.end_date:
        return _("The grant period ended on %(end)s; a change can no longer be asked for.") % {
            "end": _date(grant.end_date)
        }
    return None


def _open_for_changes(grant: Grant, today: datetime.date) -> None:
    """409 unless the grant is running: accepted, not revoked, its period not over."""
    problem = open_problem(grant, today)
    if problem is not None:
        raise DomainError.conflict(problem)


# The municipality asks -------------------------------------------------------------------------------


def file_change(grant_id: int, user: Any, data: dict[str, Any], today: datetime.date | None = None) -> ChangeRequest:
    """A change request of the lead municipality; one open request of a kind at a time."""
    today = today or timezone.localdate()
    with transaction.atomic():
        grant = Grant.objects.select_for_update(of=("self",)).select_related("application__pool").get(pk=grant_id)
        if not user.has_perm("awards.add_changerequest", grant):
            raise PermissionDenied
        _open_for_changes(grant, today)
        kind = data.get("kind")
        if ChangeRequest.objects.filter(grant=grant, kind=kind, state=ChangeState.SUBMITTED).exists():
            raise DomainError.conflict(
                _("A change request of this kind is already waiting for SIRI's decision; withdraw it first.")
            )
        errors = change_problems(grant, kind, data, grant.application.pool)
        if errors:
            raise DomainError.invalid(errors)
        return ChangeRequest.objects.create(
            grant=grant,
            kind=kind,
            reason=data["reason"].strip(),
            submitted_by=user,
            **_stored(kind, data),
        )


def _parsed(change: ChangeRequest) -> dict[str, Any]:
    """What the request asks, with amounts and values as Decimals again."""
    return {
        "reason": change.reason,
        "budget_lines": [
            {**line, "amount": Decimal(line["amount"]), "fte": Decimal(line.get("fte") or "0")}
            for line in change.budget_lines
        ],
        "end_date": change.end_date,
        "goals": [{**row, "target_value": Decimal(row["target_value"])} for row in change.goals],
        "milestones": [
            {**row, "expected": [{**v, "value": Decimal(v["value"])} for v in row.get("expected") or []]}
            for row in change.milestones
        ],
    }


# SIRI decides ---------------------------------------------------------------------------------------


def _replanned(change: ChangeRequest) -> str:
    """Why a payment of the old plan is cancelled, in the site's language (it is kept)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("The payment plan was spread again after the approved change request (%(kind)s).") % {
            "kind": change.get_kind_display().lower()
        }


def _carry_out(change: ChangeRequest, user: Any, today: datetime.date) -> None:
    """Make the approved change, under the grant's lock (and the pool's, for money)."""
    grant = Grant.objects.select_for_update(of=("self",)).select_related("application__pool").get(pk=change.grant_id)
    _open_for_changes(grant, today)
    if latest_version(grant) is None:  # a grant made before versions: keep how it stood first
        snapshot(grant, None, current_lines(grant))
    pool = Pool.objects.select_for_update().get(pk=grant.application.pool_id)
    data = _parsed(change)
    errors = change_problems(grant, change.kind, data, pool)
    if errors:
        # Things moved since it was asked (another change, a report handed in, the pool spent):
        # the request itself is what it was, so this is a conflict with the present, not bad input.
        raise DomainError.conflict(" ".join(str(m) for messages in errors.values() for m in messages))
    lines = current_lines(grant)
    if change.kind == ChangeKind.BUDGET:
        lines = data["budget_lines"]
        grant.amount = quantize(sum((line["amount"] for line in lines), Decimal(0)))
        grant.save(update_fields=["amount"])
        terms = terms_of(grant)
        terms.audit_level = audit_level(pool, grant.amount)
        terms.save()
        payments.replan(grant, today, user, _replanned(change))
    elif change.kind == ChangeKind.PERIOD:
        grant = monitoring_services.replan(grant.pk, user, end_date=data["end_date"])
        payments.replan(grant, today, user, _replanned(change))
    elif change.kind == ChangeKind.GOALS:
        monitoring_services.replan(grant.pk, user, targets={row["goal"]: row["target_value"] for row in data["goals"]})
    else:
        quarters = {Quarter(row["year"], row["quarter"]): row for row in data["milestones"]}
        monitoring_services.replan(
            grant.pk,
            user,
            expected={q: {v["goal"]: v["value"] for v in row["expected"]} for q, row in quarters.items()},
            activities={q: row["planned_activities"] for q, row in quarters.items() if row["planned_activities"]},
        )
    grant.refresh_from_db()
    snapshot(grant, user, lines, change_request=change)


def _decided(change: ChangeRequest, user: Any, reason: str) -> None:
    change.decided_by = user
    change.decided_at = timezone.now()
    change.decision_reason = reason


def _changes() -> Any:
    return ChangeRequest.objects.select_related("grant__application__lead_municipality", "grant__application__pool")


def approve_change(change_id: int, user: Any, reason: str = "", today: datetime.date | None = None) -> ChangeRequest:
    today = today or timezone.localdate()
    reason = (reason or "").strip()

    def prepare(change: ChangeRequest) -> None:
        _carry_out(change, user, today)
        _decided(change, user, reason)

    with transaction.atomic():
        change = lifecycle.run(_changes(), change_id, user, "approve", reason=reason, prepare=prepare)
        request_document(user, DECISION_LETTER, change, check=False)
        send_later(NOTIFY_TASK, change.pk)
    return change


def refuse_change(change_id: int, user: Any, reason: str) -> ChangeRequest:
    reason = (reason or "").strip()

    def prepare(change: ChangeRequest) -> None:
        if not reason:
            raise DomainError.invalid({"reason": [_("Give a reason; the municipality will see it.")]})
        _decided(change, user, reason)

    with transaction.atomic():
        change = lifecycle.run(_changes(), change_id, user, "refuse", reason=reason, prepare=prepare)
        request_document(user, DECISION_LETTER, change, check=False)
        send_later(NOTIFY_TASK, change.pk)
    return change


def withdraw_change(change_id: int, user: Any, reason: str = "") -> ChangeRequest:
    return lifecycle.run(_changes(), change_id, user, "withdraw", reason=reason)
