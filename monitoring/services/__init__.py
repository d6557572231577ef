"""Business operations of monitoring. Each runs in one transaction, locks the rows it changes,
re-checks the state under the lock, and logs. The API, the pages and the tasks call these.

Input arrives typed (the serializers and forms parse it); the rules of the domain are checked
here, so that every entry point gets the same answers, each problem named on its field.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Goal, Grant, Pool
from core import lifecycle
from core.errors import DomainError, validator_messages
from core.money import quantize
from core.outbox import send_later
from documents.models import Document
from documents.services import request_document

from ..checks import period_problems, refuse_if_closed, report_problems, submit_problems
from ..models import (
    KPI_FIELDS,
    FipScore,
    GoalProgress,
    NationalKpi,
    Outcome,
    QuarterlyReport,
)
from ..models.handin import HandInState
from ..quarters import Quarter
from ..validators import share_validators

# The milestones and the plan, in their own module; called as `services.create_milestones` etc.
from .milestones import create_milestones as create_milestones
from .milestones import milestones_editable as milestones_editable
from .milestones import replan as replan
from .milestones import set_ramp as set_ramp
from .milestones import update_milestone as update_milestone

TEXT_FIELDS = ("narrative", "obstacles", "adjustments")


QUARTER_FIXED = _("The quarter of a report cannot change; write a report for the other quarter.")


# Quarterly reports ----------------------------------------------------------------------------


def _write(report: QuarterlyReport, data: dict[str, Any]) -> None:
    for name in TEXT_FIELDS:
        if name in data:
            setattr(report, name, data[name] or "")
    if "enrolled" in data:
        report.enrolled = data["enrolled"]
    if "spent_to_date" in data:
        report.spent_to_date = None if data["spent_to_date"] is None else quantize(data["spent_to_date"])
    for name, value in (data.get("kpis") or {}).items():
        setattr(report, name, value)
    report.save()
    if "progress" in data:
        report.progress.all().delete()
        GoalProgress.objects.bulk_create(
            [
                GoalProgress(
                    report=report,
                    goal_id=row["goal"].pk if isinstance(row["goal"], Goal) else int(row["goal"]),
                    value=row.get("value"),
                    numerator=row.get("numerator"),
                    denominator=row.get("denominator"),
                    comment=row.get("comment") or "",
                )
                for row in data["progress"] or []
            ]
        )
    if "fip" in data:
        report.fip.all().delete()
        FipScore.objects.bulk_create(
            [
                FipScore(
                    report=report,
                    dimension=row["dimension"],
                    respondent=row["respondent"],
                    average=row["average"],
                    n=row.get("n") or 0,
                )
                for row in data["fip"] or []
            ]
        )
    if "outcomes" in data:
        report.outcomes.all().delete()
        Outcome.objects.bulk_create(
            [
                Outcome(report=report, point=row["point"], participants=row["participants"], employed=row["employed"])
                for row in data["outcomes"] or []
            ]
        )


def create_report(
    grant_id: int, user: Any, data: dict[str, Any], today: datetime.date | None = None
) -> QuarterlyReport:
    """A new draft report for one quarter of the grant; one per grant and quarter."""
    today = today or timezone.localdate()
    with transaction.atomic():
        # The grant row is locked so that two first saves of the same quarter take turns.
        grant = Grant.objects.select_for_update().select_related("application").get(pk=grant_id)
        if not user.has_perm("monitoring.add_report", grant):
            raise PermissionDenied
        refuse_if_closed(grant)
        year, quarter = data.get("year"), data.get("quarter")
        errors = period_problems(grant, year, quarter, today)
        if not errors and QuarterlyReport.objects.filter(grant=grant, year=year, quarter=quarter).exists():
            errors = {
                "quarter": [_("There is a report for %(quarter)s already.") % {"quarter": Quarter(year, quarter)}]
            }
        if not errors:
            errors = report_problems(grant, Quarter(year, quarter), data, today)
        if errors:
            raise DomainError.invalid(errors)
        report = QuarterlyReport(grant=grant, year=year, quarter=quarter, created_by=user)
        _write(report, data)
        return report


def change_draft(
    reports: Any,
    report_id: int,
    user: Any,
    permission: str,
    data: dict[str, Any],
    *,
    problems: Callable[[Any], dict[str, list[Any]]],
    write: Callable[[Any, dict[str, Any]], None],
    precondition: Callable[[Any], None] | None = None,
) -> Any:
    """Change a draft hand-in (a quarterly or an ambassador's report) in one transaction: lock it,
    ask whoever changes it for `permission`, refuse a report no longer in draft (409) and a move
    to another quarter, add the report's own `problems`, then `write` the change. `precondition`
    runs under the lock before anything is checked or written, e.g. the API's If-Match."""
    with transaction.atomic():
        report = reports.select_for_update(of=("self",)).get(pk=report_id)
        if not user.has_perm(permission, report):
            raise PermissionDenied
        if report.state != HandInState.DRAFT:
            raise report.conflict("edit")
        if precondition is not None:
            precondition(report)
        moved = [name for name in ("year", "quarter") if name in data and data[name] != getattr(report, name)]
        errors = {name: [QUARTER_FIXED] for name in moved} | problems(report)
        if errors:
            raise DomainError.invalid(errors)
        write(report, data)
        return report


def update_report(
    report_id: int,
    user: Any,
    data: dict[str, Any],
    today: datetime.date | None = None,
    *,
    precondition: Callable[[Any], None] | None = None,
) -> QuarterlyReport:
    """Change a draft report: only the fields given; a nested list given replaces the old one."""
    today = today or timezone.localdate()

    def problems(report: Any) -> dict[str, list[Any]]:
        return report_problems(report.grant, report.period, data, today)

    return change_draft(
        _reports(),
        report_id,
        user,
        "monitoring.change_report",
        data,
        problems=problems,
        write=_write,
        precondition=precondition,
    )


@contextmanager
def editing_report(report_id: int, user: Any) -> Iterator[QuarterlyReport]:
    """Hold a draft report's lock while the page weighs what a tab sent against what is stored
    (core/autosave.py) and writes it with `update_report`, so that no one writes in between."""
    with transaction.atomic():
        report = _reports().select_for_update(of=("self",)).get(pk=report_id)
        if not user.has_perm("monitoring.change_report", report):
            raise PermissionDenied
        if report.state != HandInState.DRAFT:
            raise report.conflict("edit")
        yield report


def _reports() -> Any:
    return QuarterlyReport.objects.select_related("grant__application")


def return_to_writer(reports: Any, report_id: int, user: Any, reason: str, *, required: Any) -> Any:
    """SIRI returns a submitted hand-in (a quarterly or an ambassador's report) to whoever wrote
    it, with a reason they will read; `required` says so when the reason is missing."""
    reason = (reason or "").strip()

    def prepare(report: Any) -> None:
        if not reason:
            raise DomainError.invalid({"reason": [required]})
        report.returned_reason = reason

    return lifecycle.run(reports, report_id, user, "return_to_draft", reason=reason, prepare=prepare)


def submit_report(report_id: int, user: Any, today: datetime.date | None = None) -> QuarterlyReport:
    """Hand a draft in to SIRI: once its quarter has ended, with its figures (`checks.submit_problems`)."""
    today = today or timezone.localdate()

    def prepare(report: QuarterlyReport) -> None:
        problems = submit_problems(report, today)
        if problems:
            raise DomainError.invalid(problems)
        report.stamp_submitted()

    with transaction.atomic():
        report = lifecycle.run(_reports(), report_id, user, "submit", prepare=prepare)
        # SIRI's notice, sent after the commit; a broker that is down leaves it to the outbox sweep.
        send_later("monitoring.tasks.notify_report_submitted", report.pk)
    return report


def _notify_decision(report: QuarterlyReport) -> None:
    """SIRI's decision by e-mail to the project's people, after the commit (the outbox); keyed on
    the decision's log entry, so it goes out once."""
    entry = report.transitions.order_by("-id").values_list("pk", flat=True).first()
    send_later("monitoring.tasks.notify_report_decision", entry)


def accept_report(report_id: int, user: Any) -> QuarterlyReport:
    with transaction.atomic():
        report = lifecycle.run(_reports(), report_id, user, "accept")
        _notify_decision(report)
    return report


def return_report(report_id: int, user: Any, reason: str) -> QuarterlyReport:
    with transaction.atomic():
        report = return_to_writer(
            _reports(), report_id, user, reason, required=_("Give a reason; the municipality will see it.")
        )
        _notify_decision(report)
    return report


# National KPI averages -------------------------------------------------------------------------


def set_national_kpi(user: Any, year: int, quarter: int, values: dict[str, Any]) -> NationalKpi:
    if not user.has_perm("monitoring.change_nationalkpi"):
        raise PermissionDenied
    errors: dict[str, list[Any]] = {}
    if not 1 <= quarter <= 4:
        errors["quarter"] = [_("The quarter is 1, 2, 3 or 4.")]
    for name in KPI_FIELDS:
        if values.get(name) is not None:
            messages = validator_messages(share_validators, values[name])
            if messages:
                errors[name] = messages
    if errors:
        raise DomainError.invalid(errors)
    kpi, _created = NationalKpi.objects.update_or_create(
        year=year,
        quarter=quarter,
        defaults={**{name: values.get(name) for name in KPI_FIELDS}, "updated_by": user},
    )
    return kpi


# Documents --------------------------------------------------------------------------------------


def request_briefing(user: Any, grant_id: int, year: Any, quarter: Any) -> Document:
    """The committee briefing of one reported quarter, built in the background."""
    grant = Grant.objects.select_related("application").get(pk=grant_id)
    if not user.has_perm("monitoring.view_grant", grant):
        raise PermissionDenied
    errors = period_problems(grant, year, quarter, timezone.localdate())
    if not errors and not QuarterlyReport.objects.filter(grant=grant, year=year, quarter=quarter).handed_in().exists():
        errors = {"quarter": [_("No report has been handed in for %(quarter)s.") % {"quarter": Quarter(year, quarter)}]}
    if errors:
        raise DomainError.invalid(errors)
    return request_document(user, "committee_briefing", grant, {"year": year, "quarter": quarter})


def request_portfolio(user: Any, pool_id: int) -> Document:
    """SIRI's portfolio report of a pool: a summary page and one page per project."""
    if not user.has_perm("monitoring.view_pool_dashboard"):
        raise PermissionDenied
    return request_document(user, "portfolio_report", Pool.objects.get(pk=pool_id))
