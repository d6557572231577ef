"""What an application still lacks before it can be submitted, every problem at once.

Used by the submit transition's condition, by the submit service (the 400 body) and by the
form's checklist, so that all three agree.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from core.money import format_dkk

from .validators import validate_cvr

if TYPE_CHECKING:
    from .models import Application

# "Organisation og ledelse" as SIRI's form asks for it: how each of these is ensured.
ORGANISATION_FIELDS = (
    "political_anchoring",
    "management",
    "cross_sector_ownership",
    "continuation",
    "committee_briefing",
)

REQUIRED_TEXT = (
    "title",
    "purpose",
    "target_group_description",
    "current_effort",
    "approach",
    "objectives",
    "methods",
    *ORGANISATION_FIELDS,
    "anchoring",
    "grant_responsible_name",
    "grant_responsible_title",
    "grant_responsible_email",
)

# Every field of the form a submit needs filled in; the rest may stay empty (the form marks them
# "(optional)"). The rows (target groups, goals, budget) are needed too: `completeness_problems`.
# The size of the whole target group is asked for but not needed: seed 003, as SIRI received it,
# names only the parts (35 women, 15 youths); when given, it is checked against them.
NEEDED_TO_SUBMIT = frozenset({*REQUIRED_TEXT, "cvr", "measures", "start_date", "end_date"})

REQUIRED = _("This field is required before the application can be submitted.")


def target_group_total_problems(total: int | None, sizes: list[int]) -> list[str]:
    """The whole target group counts at least as many as its largest part (a target group)."""
    largest = max(sizes, default=0)
    if total is not None and total < largest:
        return [
            _("The whole target group cannot be smaller than its largest part, %(largest)s people.")
            % {"largest": largest}
        ]
    return []


def _day(day: datetime.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def completeness_problems(application: Application, today: datetime.date | None = None) -> dict[str, list[str]]:
    today = today or timezone.localdate()
    problems: dict[str, list[str]] = defaultdict(list)
    pool = application.pool

    for name in REQUIRED_TEXT:
        if not str(getattr(application, name) or "").strip():
            problems[name].append(REQUIRED)
    if not application.cvr:
        problems["cvr"].append(REQUIRED)
    else:
        try:
            validate_cvr(application.cvr)
        except ValidationError as error:
            problems["cvr"].extend(error.messages)
    if not application.measures:
        problems["measures"].append(_("Choose at least one measure."))
    for name in ("start_date", "end_date"):
        if getattr(application, name) is None:
            problems[name].append(REQUIRED)
    start, end = application.start_date, application.end_date
    if start and end and end < start:
        problems["end_date"].append(_("The project cannot end before it starts."))
    if start and pool.project_start_earliest and start < pool.project_start_earliest:
        problems["start_date"].append(
            _("The pool funds projects starting on %(day)s or later.") % {"day": _day(pool.project_start_earliest)}
        )
    if end and pool.project_end_latest and end > pool.project_end_latest:
        problems["end_date"].append(
            _("The pool funds projects ending on %(day)s at the latest.") % {"day": _day(pool.project_end_latest)}
        )

    sizes = list(application.target_groups.values_list("size", flat=True))
    if too_small := target_group_total_problems(application.target_group_total, sizes):
        problems["target_group_total"].extend(too_small)
    if not sizes:
        problems["target_groups"].append(_("Add at least one target group."))
    if not application.goals.exists():
        problems["goals"].append(_("Add at least one goal."))
    lines = list(application.budget_lines.all())
    if not lines:
        problems["budget_lines"].append(_("Add the budget."))
    else:
        requested = sum((line.amount for line in lines), 0)
        if requested > pool.max_grant:
            problems["budget_lines"].append(
                _("The budget of %(requested)s exceeds the pool's maximum grant (%(maximum)s).")
                % {"requested": format_dkk(requested), "maximum": format_dkk(pool.max_grant)}
            )
        if start and end:
            outside = sorted({line.year for line in lines if not start.year <= line.year <= end.year})
            if outside:
                problems["budget_lines"].append(
                    _("Budget years %(years)s lie outside the project period.")
                    % {"years": ", ".join(str(y) for y in outside)}
                )

    if not pool.is_open_on(today):
        problems["pool"].append(
            _("The pool accepts applications from %(opens)s to %(closes)s.")
            % {"opens": _day(pool.opens_on), "closes": _day(pool.closes_on)}
        )
    return dict(problems)
