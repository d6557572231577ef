"""What the network's pages share: finding a report the user may see (another municipality's is
a 404, a visible one the user may not change a 403), the ambassador behind a user, the quarters
of a project, and rendering pages whose htmx partial shares the URL."""

from __future__ import annotations

import datetime
from typing import Any, NamedTuple

from django.db.models import Prefetch
from django.http import HttpRequest

from core.views import get_visible
from monitoring.quarters import Quarter, quarters_between

from ..models import Ambassador, AmbassadorReport, AmbassadorReportState, PracticeAttachment, PracticeContact

VIEW_AMBASSADOR = "ambassadors.view_ambassador"
VIEW_NETWORK = "ambassadors.view_network"
ADD_REPORT = "ambassadors.add_report"
VIEW_REPORT = "ambassadors.view_report"
CHANGE_REPORT = "ambassadors.change_report"
SUBMIT_REPORT = "ambassadors.submit_report"
ACKNOWLEDGE_REPORT = "ambassadors.acknowledge_report"
VIEW_MEETING = "ambassadors.view_meeting"
CHANGE_MEETING = "ambassadors.change_meeting"
VIEW_PRACTICE = "ambassadors.view_bestpractice"
ADD_PRACTICE = "ambassadors.add_bestpractice"
PUBLISH_PRACTICE = "ambassadors.publish_bestpractice"
ADD_PRACTICE_ATTACHMENT = "ambassadors.add_practice_attachment"

# What an entry shows besides its own row, each one query for a whole page of entries: its
# municipalities, its contacts in order and its attachments.
PRACTICE_PARTS = (
    "municipalities",
    Prefetch("contacts", queryset=PracticeContact.objects.order_by("order", "id")),
    Prefetch("attachments", queryset=PracticeAttachment.objects.order_by("uploaded_at", "id")),
)

# dkfds badge per report state; logic keys on the code, never on the translated label.
STATE_BADGES = {
    AmbassadorReportState.DRAFT: "badge",
    AmbassadorReportState.SUBMITTED: "badge badge-info",
    AmbassadorReportState.ACKNOWLEDGED: "badge badge-success",
}
STATE_LABELS = dict(AmbassadorReportState.choices)


def ambassador_for(user: Any) -> Ambassador | None:
    """The user's ambassador record, with what the pages show of it; None without one."""
    return (
        Ambassador.objects.select_related(
            "user", "municipality", "grant__application__pool", "grant__application__lead_municipality"
        )
        .filter(user_id=user.pk)
        .first()
    )


def get_report(request: HttpRequest, pk: int, permission: str | None = None) -> AmbassadorReport:
    """The report if the user may see it (else 404) and, if given, may do `permission` (else 403)."""
    reports = AmbassadorReport.objects.select_related(
        "ambassador__user", "ambassador__municipality", "ambassador__grant__application__pool"
    )
    return get_visible(request, reports, pk, permission)


def due_date(ambassador: Ambassador, quarter: Quarter) -> datetime.date:
    return due_on(quarter, ambassador.grant.application.pool.reporting_delay_days)


def due_on(quarter: Quarter, reporting_delay_days: int) -> datetime.date:
    """A quarter's report is due the pool's reporting delay after the quarter ends, as the project's."""
    return quarter.end + datetime.timedelta(days=reporting_delay_days)


def begun_quarters(ambassador: Ambassador, today: datetime.date) -> list[Quarter]:
    """The quarters of the project that have begun, newest first."""
    grant = ambassador.grant
    return [q for q in reversed(quarters_between(grant.start_date, grant.end_date)) if q.start <= today]


def open_quarters(ambassador: Ambassador, reports: list[AmbassadorReport], today: datetime.date) -> list[Quarter]:
    """The quarters of the project that have begun and have no report, newest first: those
    `services.create_report` accepts."""
    written = {report.period for report in reports}
    return [q for q in begun_quarters(ambassador, today) if q not in written]


# A late quarter and its due date, or None.
Owed = tuple[Quarter, datetime.date] | None


def late_quarter(ambassador: Ambassador, reports: list[AmbassadorReport], today: datetime.date) -> Owed:
    """The last completed quarter and its due date, if its report was not handed in by then.
    An inactive ambassador, or one who started after that quarter, owes nothing."""
    last = Quarter.of(today).previous()
    grant = ambassador.grant
    return owed_quarter(
        Lateness(
            ambassador.active,
            ambassador.started_on,
            grant.start_date,
            grant.end_date,
            grant.application.pool.reporting_delay_days,
            any(r.period == last and r.is_handed_in for r in reports),
        ),
        today,
    )


class Lateness(NamedTuple):
    """What an ambassador's lateness depends on, as values: the network page asks it of every
    ambassador in one query of values, not of models (`LATENESS_VALUES`)."""

    active: bool
    started_on: datetime.date
    start_date: datetime.date
    end_date: datetime.date
    reporting_delay_days: int
    handed_in_last_quarter: bool


# The ambassador's fields `Lateness` holds, in its order (the last one annotated by the caller).
LATENESS_VALUES = (
    "active",
    "started_on",
    "grant__start_date",
    "grant__end_date",
    "grant__application__pool__reporting_delay_days",
)


def owed_quarter(values: Lateness, today: datetime.date) -> Owed:
    """`late_quarter` of an ambassador's `Lateness`: a quarter of the project that the ambassador
    was there for (asked of every ambassador of the network on each of SIRI's pages, so without
    listing the quarters), due the pool's reporting delay after it ended, as the project's."""
    last = Quarter.of(today).previous()
    within = Quarter.of(values.start_date) <= last <= Quarter.of(values.end_date) and last.end >= values.started_on
    if not values.active or not within:
        return None
    due = due_on(last, values.reporting_delay_days)
    if today <= due:
        return None
    return None if values.handed_in_last_quarter else (last, due)
