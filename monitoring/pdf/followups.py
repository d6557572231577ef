"""The follow-up after the end in the PDFs: a small table per project (point, date, due, completed,
in work or education, share, status), in the portfolio report's project page and the committee
briefing of the project's last quarter. The rows are followups.follow_up_rows, as on the page."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from applications.models import Grant

from ..followups import FollowUpRow, follow_up_rows
from ..models import FollowUp
from .common import DASH, FRAME_WIDTH, day, heading, number, percent, table

WIDTHS = [FRAME_WIDTH - 134 * mm, 22 * mm, 22 * mm, 20 * mm, 24 * mm, 16 * mm, 30 * mm]


def _status(row: FollowUpRow) -> str:
    if row.follow_up is not None:
        return _("Recorded %(date)s") % {"date": day(timezone.localdate(row.follow_up.submitted_at))}
    return {"late": _("Late"), "open": _("Not in yet"), "upcoming": _("Not due yet")}[row.status]


def follow_up_section(
    grant: Grant, follow_ups: Iterable[FollowUp], today: datetime.date, level: str = "h2"
) -> list[Flowable]:
    """The grant's follow-ups as of `today`; nothing for a grant that takes none."""
    rows = follow_up_rows(grant, follow_ups, today)
    if not rows:
        return []
    cells: list[tuple[str, ...]] = [
        (_("When"), _("Date"), _("Due"), _("Completed"), _("In work or education"), _("Share"), _("Status"))
    ]
    for row in rows:
        follow_up = row.follow_up
        cells.append(
            (
                row.label,
                day(row.point_on),
                day(row.due_on),
                number(follow_up.completed) if follow_up else DASH,
                number(follow_up.in_work_or_education) if follow_up else DASH,
                percent(row.share) if follow_up else DASH,
                _status(row),
            )
        )
    return [heading(_("Follow-up after the end"), level), table(cells, WIDTHS)]
