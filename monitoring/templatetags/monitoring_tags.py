"""Template helpers of monitoring: labels and dkfds badges for goal status, risk and report
state, keyed on the codes (never on translated labels), numbers as people type them, and the
columns of a report summary's tables."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from core.forms import show_number
from core.tables import Column

from ..models import GoalStatus, OutcomePoint, ReportState, RiskLevel, Trend
from ..tables import REPORT_COLUMNS

register = template.Library()

# A badge and a label per code. A report's table also has what a milestone without a report
# (that the user may see) is waiting for.
_STATUS = {
    status: (badge, status.label) for status, badge in zip(GoalStatus, ("success", "warning", "error"), strict=True)
}
_RISK = {level: (badge, level.label) for level, badge in zip(RiskLevel, ("success", "warning", "error"), strict=True)}
_REPORT = {
    ReportState.DRAFT: ("", ReportState.DRAFT.label),
    ReportState.SUBMITTED: ("info", ReportState.SUBMITTED.label),
    ReportState.ACCEPTED: ("success", ReportState.ACCEPTED.label),
    "late": ("error", _("Late")),
    "awaiting": ("info", _("Awaiting report")),
    "upcoming": ("", _("Upcoming")),
}


def _register_badges(name: str, table: dict[Any, tuple[str, Any]], unknown: Any = None) -> None:
    """`{name}_badge` and `{name}_label` filters: the dkfds badge class and the label of a code;
    an unknown code (None: not there yet) gets a plain badge and `unknown`, or the code itself."""

    def badge(code: str | None) -> str:
        colour = table.get(code, ("", None))[0]  # type: ignore[arg-type]
        return f"badge badge-{colour}" if colour else "badge"

    def label(code: str | None) -> Any:
        entry = table.get(code)  # type: ignore[arg-type]
        return entry[1] if entry else (unknown if unknown is not None else code)

    register.filter(f"{name}_badge", badge)
    register.filter(f"{name}_label", label)


_register_badges("status", _STATUS, _("Not reported yet"))
_register_badges("risk", _RISK, _("Not rated yet"))
_register_badges("report", _REPORT)


@register.filter
def number(value: Any) -> str:
    """61.00 → 61, 12.50 → 12,5 (in Danish); None → –."""
    return show_number(value) if value is not None else "–"


@register.filter
def count(value: Any) -> str:
    """A count of people or days with its thousands grouped: 5.940 in Danish; None → –."""
    return formats.number_format(value, force_grouping=True) if value is not None else "–"


@register.filter
def trend_label(code: str | None) -> Any:
    """A level goal's trend in words; a dash until two reports give it one."""
    return Trend(code).label if code in Trend.values else "–"


@register.filter
def outcome_label(code: str) -> Any:
    return OutcomePoint(code).label if code in OutcomePoint.values else code


@register.simple_tag
def report_columns(name: str, numeric: Iterable[Any] = ()) -> list[Column]:
    """The columns of a report summary's table (`monitoring.tables`), then a numeric column for
    each of the labels in `numeric` (the FIP table's respondents)."""
    return [*REPORT_COLUMNS[name], *(Column(label, numeric=True) for label in numeric)]
