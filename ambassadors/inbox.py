"""What the ambassador network puts in the inbox (`core.inbox`): for the ambassador the quarterly
reports due (with a countdown) and those SIRI returned; for SIRI the reports to acknowledge."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.models import GrantState
from core import inbox
from core.inbox import Item
from core.links import link
from core.roles import NAME_FIELDS, SIRI_ROLES, Role, display_name_of
from monitoring.quarters import Quarter, quarters_between

from .models import Ambassador, AmbassadorReport, AmbassadorReportState


def reports_due(user: Any, today: datetime.date) -> list[Item]:
    """The quarters begun that the ambassador has not reported on, as the reminders count them."""
    ambassadors = list(
        Ambassador.objects.filter(user=user, active=True, grant__state=GrantState.ACTIVE).select_related(
            "grant__application__pool"
        )
    )
    handed_in = set(
        AmbassadorReport.objects.filter(ambassador__in=ambassadors)
        .handed_in()
        .values_list("ambassador_id", "year", "quarter")
    )
    items = []
    for ambassador in ambassadors:
        grant = ambassador.grant
        delay = datetime.timedelta(days=grant.application.pool.reporting_delay_days)
        for quarter in quarters_between(max(grant.start_date, ambassador.started_on), grant.end_date):
            if quarter.start > today:
                break
            if (ambassador.pk, quarter.year, quarter.quarter) in handed_in:
                continue
            due = quarter.end + delay
            items.append(
                Item(
                    title=_("Your ambassador report for %(quarter)s") % {"quarter": quarter},
                    url=link("ambassadors:home") + "#reports-heading",
                    text=_("Due on %(day)s.") % {"day": inbox.day(due)},
                    due=due,
                )
            )
    return sorted(items, key=lambda item: item.due or today)


def returned_reports(user: Any, today: datetime.date) -> list[Item]:
    found = (
        AmbassadorReport.objects.filter(ambassador__user=user, state=AmbassadorReportState.DRAFT)
        .exclude(returned_reason="")
        .order_by("-updated_at", "pk")
    )
    return [
        Item(
            title=_("Your ambassador report for %(quarter)s") % {"quarter": report.period},
            url=link("ambassadors:report_edit", report.pk),
            text=_("SIRI returned the report: correct it and hand it in again."),
            reason=report.returned_reason,
        )
        for report in found
    ]


# What an item shows, read as values (a named row): the ambassador's name, the quarter, the
# municipality, the day; 20 reports with their ambassadors, users and municipalities as models were
# a fifth of the section (issue 16).
ACKNOWLEDGE_SHOWN = (
    "pk",
    "year",
    "quarter",
    "submitted_at",
    "ambassador__municipality__name",
    *(f"ambassador__user__{name}" for name in NAME_FIELDS),
)


def _ambassador_name(row: Any) -> str:
    return display_name_of(*(getattr(row, f"ambassador__user__{name}") for name in NAME_FIELDS))


def to_acknowledge(user: Any, today: datetime.date) -> list[Item]:
    found = (
        AmbassadorReport.objects.visible_to(user)
        .filter(state=AmbassadorReportState.SUBMITTED)
        .order_by("submitted_at", "pk")
    )
    return inbox.first(
        found,
        lambda row: Item(
            title=_("%(name)s, %(quarter)s")
            % {"name": _ambassador_name(row), "quarter": Quarter(row.year, row.quarter)},
            url=link("ambassadors:report", row.pk),
            text=_("%(municipality)s handed it in on %(day)s.")
            % {"municipality": row.ambassador__municipality__name, "day": inbox.day(row.submitted_at)},
            at=row.submitted_at,
        ),
        fields=ACKNOWLEDGE_SHOWN,
    )


def register_sections() -> None:
    inbox.register(
        Role.AMBASSADOR,
        "ambassadors-returned",
        gettext_lazy("Reports returned by SIRI"),
        returned_reports,
        order=10,
        empty=gettext_lazy("SIRI has returned no report to you."),
    )
    inbox.register(
        Role.AMBASSADOR,
        "ambassadors-due",
        gettext_lazy("Ambassador reports due"),
        reports_due,
        order=20,
        empty=gettext_lazy("No ambassador report is due."),
    )
    inbox.register(
        SIRI_ROLES,
        "ambassadors-to-acknowledge",
        gettext_lazy("Ambassador reports to acknowledge"),
        to_acknowledge,
        order=50,
        empty=gettext_lazy("No ambassador report waits for acknowledgement."),
        more="ambassadors:network",
    )
