"""The final report (slutrapport): each goal's result (the quarterly reports' figure offered),
what worked and what did not, the anchoring, the lessons; written by the lead municipality,
accepted or returned by SIRI."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.models import Grant
from core import lifecycle
from core.errors import DomainError, validator_messages
from core.money import quantize
from core.outbox import send_later
from core.validators import validate_no_cpr
from monitoring.progress import monitoring_queryset, read_project

from ..models import (
    Award,
    FinalReport,
    FinalResult,
)
from .end import END_TASK, REASON_MISSING, open_for_writing, parse_decimal, read_texts, refuse_unless_writable

REPORT_TEXTS = ("what_worked", "what_did_not", "anchoring", "lessons")
# What a final report must say before it is submitted (what did not work may be "nothing").
REPORT_REQUIRED = {
    "what_worked": gettext_lazy("Say what worked."),
    "anchoring": gettext_lazy("Say how the effort is anchored after the project."),
    "lessons": gettext_lazy("Give the lessons worth sharing with other municipalities."),
}


def final_report_of(grant: Grant) -> FinalReport | None:
    return FinalReport.objects.filter(grant=grant).prefetch_related("results").first()


def reported_results(grant: Grant, today: datetime.date | None = None) -> dict[int, Decimal | None]:
    """Each goal's figure as the quarterly reports last gave it: what the final report offers."""
    reading = read_project(monitoring_queryset(Grant.objects.filter(pk=grant.pk)).get(), today)
    return {goal.goal.pk: goal.actual for goal in reading.goals}


def save_final_report(grant_id: int, user: Any, data: dict[str, Any]) -> FinalReport:
    """Write the final report (made on its first save) while it is a draft or returned: the texts
    given, and the results given (each goal of the project, its figure and comment)."""
    with transaction.atomic():
        award, report = open_for_writing(grant_id, user, "awards.change_finalreport", FinalReport)
        errors: dict[str, list[Any]] = {}
        read_texts(report, data, REPORT_TEXTS, errors)
        results = _results(award, data.get("results"), errors) if "results" in data else None
        if errors:
            raise DomainError.invalid(errors)
        report.save()
        for goal_id, (value, comment) in (results or {}).items():
            FinalResult.objects.update_or_create(
                report=report, goal_id=goal_id, defaults={"value": value, "comment": comment}
            )
        return report


def _results(award: Award, rows: Any, errors: dict[str, list[Any]]) -> dict[int, tuple[Decimal, str]]:
    goals = {goal.pk: goal for goal in award.application.goals.all()}
    results: dict[int, tuple[Decimal, str]] = {}
    problems: list[Any] = []
    if not isinstance(rows, list):
        errors["results"] = [_('Give the results as a list: [{"goal", "value", "comment"}].')]
        return results
    for row in rows:
        goal_id = row.get("goal") if isinstance(row, dict) else None
        goal = goals.get(goal_id) if isinstance(goal_id, int) and not isinstance(goal_id, bool) else None
        if goal is None:
            problems.append(_("%(goal)s is not a goal of this project.") % {"goal": goal_id})
            continue
        value = parse_decimal(row.get("value"))
        if value is None or value < 0 or value >= Decimal("1e10"):
            problems.append(_("Give the result of “%(goal)s” as a number, 0 or more.") % {"goal": goal.title})
            continue
        comment = row.get("comment") or ""
        if not isinstance(comment, str):
            problems.append(_("The comment on “%(goal)s” is a text.") % {"goal": goal.title})
            continue
        cpr = validator_messages([validate_no_cpr], comment)
        if cpr:
            problems.extend(cpr)
            continue
        results[goal.pk] = (quantize(value), comment.strip())
    if problems:
        errors["results"] = problems
    return results


def report_problems(grant: Grant, report: FinalReport, today: datetime.date) -> dict[str, list[Any]]:
    errors: dict[str, list[Any]] = {}
    if today < grant.end_date:
        errors["non_field_errors"] = [
            _("The final report can be submitted when the project period has ended on %(date)s.")
            % {"date": f"{grant.end_date:%d.%m.%Y}"}
        ]
    for name, message in REPORT_REQUIRED.items():
        if not getattr(report, name).strip():
            errors[name] = [message]
    given = set(report.results.values_list("goal_id", flat=True))
    missing = [goal.title for goal in grant.application.goals.order_by("id") if goal.pk not in given]
    if missing:
        errors["results"] = [_("Give the result of “%(goal)s”.") % {"goal": title} for title in missing]
    return errors


def submit_final_report(report_id: int, user: Any, today: datetime.date | None = None) -> FinalReport:
    today = today or timezone.localdate()

    def prepare(report: FinalReport) -> None:
        grant = Grant.objects.select_related("application__pool").get(pk=report.grant_id)
        refuse_unless_writable(grant)
        errors = report_problems(grant, report, today)
        if errors:
            raise DomainError.invalid(errors)
        report.submitted_at = timezone.now()

    return lifecycle.run(FinalReport.objects.all(), report_id, user, "submit", prepare=prepare)


def accept_final_report(report_id: int, user: Any, reason: str = "") -> FinalReport:
    def prepare(report: FinalReport) -> None:
        report.decided_at = timezone.now()
        report.decision_reason = (reason or "").strip()

    with transaction.atomic():
        report = lifecycle.run(
            FinalReport.objects.all(), report_id, user, "accept", reason=reason or "", prepare=prepare
        )
        send_later(END_TASK, "report", report.transitions.latest("at", "id").pk)
        return report


def return_final_report(report_id: int, user: Any, reason: str) -> FinalReport:
    reason = (reason or "").strip()

    def prepare(report: FinalReport) -> None:
        if not reason:
            raise DomainError.invalid({"reason": [REASON_MISSING]})
        report.decided_at = timezone.now()
        report.decision_reason = reason

    with transaction.atomic():
        report = lifecycle.run(FinalReport.objects.all(), report_id, user, "send_back", reason=reason, prepare=prepare)
        send_later(END_TASK, "report", report.transitions.latest("at", "id").pk)
        return report
