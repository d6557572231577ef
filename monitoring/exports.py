"""The quarterly reports as a spreadsheet, one row per report and goal: the report's quarter,
state and money spent beside each goal's figure (a value, or n of N and its share), and the
report's KPIs and FIP averages (per dimension and respondent) after them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, OuterRef, QuerySet, Subquery
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.exports import Column, localdate

from .models import FipDimension, FipScore, GoalProgress, QuarterlyReport, Respondent

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
    # The report's KPIs, on each of its rows.
    Column(_("Self-supporting or in education (%)"), lambda p: p.report.self_supporting_share, "decimal"),
    Column(_("Job-ready (%)"), lambda p: p.report.job_ready_share, "decimal"),
    Column(_("In company-directed activation (%)"), lambda p: p.report.company_activation_share, "decimal"),
]
# As the score is stored (1,00–7,00), so that every database gives it with two decimals.
FIP_AVERAGE = DecimalField(max_digits=3, decimal_places=2)
FIP = [(dimension, respondent) for dimension in FipDimension for respondent in Respondent]


def _fip_name(dimension: str, respondent: str) -> str:
    return f"fip_{dimension}_{respondent}"


def _fip_column(dimension: Any, respondent: Any) -> Column:
    name = _fip_name(dimension, respondent)
    label = format_lazy("FIP: {} ({})", dimension.label, respondent.label)
    return Column(label, lambda p: _two_places(getattr(p, name, None)), "decimal")


def _two_places(value: Any) -> Decimal | None:
    # SQLite gives a subquery's decimal as it computes it (3.5): shown as stored, 3,50.
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


COLUMNS += [_fip_column(dimension, respondent) for dimension, respondent in FIP]


def figures(reports: QuerySet[QuarterlyReport]) -> QuerySet[GoalProgress]:
    """Each figure of the reports (already rooted in the user and filtered), in their order.
    Joined, not prefetched: read a chunk at a time, memory stays flat."""
    return (
        GoalProgress.objects.filter(report__in=reports.order_by().values("pk"))
        .select_related("report__grant__application__lead_municipality", "goal")
        .annotate(
            **{
                _fip_name(dimension, respondent): Subquery(
                    FipScore.objects.filter(
                        report=OuterRef("report_id"), dimension=dimension, respondent=respondent
                    ).values("average")[:1],
                    output_field=FIP_AVERAGE,
                )
                for dimension, respondent in FIP
            }
        )
        .order_by("report__grant_id", "report__year", "report__quarter", "report_id", "goal_id")
    )
