"""Template helpers of monitoring: labels and dkfds badges for goal status, risk and report
state, keyed on the codes (never on translated labels), and numbers as people type them."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from core.forms import show_number

from ..models import GoalStatus, OutcomePoint, ReportState, RiskLevel

register = template.Library()

_STATUS = {
    GoalStatus.ON_TRACK: "badge badge-success",
    GoalStatus.AT_RISK: "badge badge-warning",
    GoalStatus.OFF_TRACK: "badge badge-error",
}
_RISK = {
    RiskLevel.LOW: "badge badge-success",
    RiskLevel.MEDIUM: "badge badge-warning",
    RiskLevel.HIGH: "badge badge-error",
}
# A report's state, and what a milestone without a report (that the user may see) is waiting for.
_REPORT = {
    ReportState.DRAFT: ("badge", ReportState.DRAFT.label),
    ReportState.SUBMITTED: ("badge badge-info", ReportState.SUBMITTED.label),
    ReportState.ACCEPTED: ("badge badge-success", ReportState.ACCEPTED.label),
    "late": ("badge badge-error", _("Late")),
    "awaiting": ("badge badge-info", _("Awaiting report")),
    "upcoming": ("badge", _("Upcoming")),
}


@register.filter
def status_badge(code: str | None) -> str:
    return _STATUS.get(code, "badge")  # type: ignore[arg-type]


@register.filter
def status_label(code: str | None) -> Any:
    return GoalStatus(code).label if code in GoalStatus.values else _("Not reported yet")


@register.filter
def risk_badge(code: str | None) -> str:
    return _RISK.get(code, "badge")  # type: ignore[arg-type]


@register.filter
def risk_label(code: str | None) -> Any:
    return RiskLevel(code).label if code in RiskLevel.values else _("Not rated yet")


@register.filter
def report_badge(code: str) -> str:
    return _REPORT.get(code, ("badge", code))[0]


@register.filter
def report_label(code: str) -> Any:
    return _REPORT.get(code, ("badge", code))[1]


@register.filter
def number(value: Any) -> str:
    """61.00 → 61, 12.50 → 12,5 (in Danish); None → –."""
    return show_number(value) if value is not None else "–"


@register.filter
def outcome_label(code: str) -> Any:
    return OutcomePoint(code).label if code in OutcomePoint.values else code
