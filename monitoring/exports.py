"""The quarterly reports as a spreadsheet, one row per report and goal: the report's quarter,
state and money spent beside each goal's figure (a value, or n of N and its share)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.exports import Column, localdate

from .models import GoalProgress, QuarterlyReport

FILENAME = "kvartalsrapporter"


def _share(progress: GoalProgress) -> Decimal | None:
    if progress.numerator is None or not progress.denominator:
        return None
    return Decimal(progress.numerator) / Decimal(progress.denominator)


def _application(progress: GoalProgress) -> Any:
    return progress.report.grant.application


COLUMNS = [
    Column(_("Journal number"), lambda p: _application(p).journal_number),
    Column(_("Project"), lambda p: _application(p).title),
    Column(_("Municipality"), lambda p: _application(p).lead_municipality.name),
    Column(_("Year"), lambda p: p.report.year, "int"),
    Column(_("Quarter"), lambda p: p.report.quarter, "int"),
    Column(_("State"), lambda p: p.report.get_state_display()),
    Column(_("Submitted"), lambda p: localdate(p.report.submitted_at), "date"),
    Column(_("Spent to date (kr.)"), lambda p: p.report.spent_to_date, "money"),
    Column(_("People enrolled"), lambda p: p.report.enrolled, "int"),
    Column(_("Goal"), lambda p: p.goal.title),
    Column(_("Value"), lambda p: p.value, "decimal"),
    Column(_("n (of them)"), lambda p: p.numerator, "int"),
    Column(_("N (out of)"), lambda p: p.denominator, "int"),
    Column(_("Share"), _share, "percent"),
    Column(_("Comment"), lambda p: p.comment),
]


def figures(reports: QuerySet[QuarterlyReport]) -> QuerySet[GoalProgress]:
    """Each figure of the reports (already rooted in the user and filtered), in their order.
    Joined, not prefetched: read a chunk at a time, memory stays flat."""
    return (
        GoalProgress.objects.filter(report__in=reports.order_by().values("pk"))
        .select_related("report__grant__application__lead_municipality", "goal")
        .order_by("report__grant_id", "report__year", "report__quarter", "report_id", "goal_id")
    )
