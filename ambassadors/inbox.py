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
from core.roles import SIRI_ROLES, Role
from monitoring.quarters import quarters_between

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


# What an item shows: the ambassador's name (`display_name`), the quarter, the municipality, the day.
ACKNOWLEDGE_SHOWN = (
    "year",
    "quarter",
    "submitted_at",
    "ambassador__municipality__name",
    "ambassador__user__first_name",
    "ambassador__user__last_name",
    "ambassador__user__username",
    "ambassador__user__email",
)


def to_acknowledge(user: Any, today: datetime.date) -> list[Item]:
    found = (
        AmbassadorReport.objects.visible_to(user)
        .filter(state=AmbassadorReportState.SUBMITTED)
        .select_related("ambassador__municipality", "ambassador__user")
        .only(*ACKNOWLEDGE_SHOWN)
        .order_by("submitted_at", "pk")
    )
    return inbox.first(
        found,
        lambda report: Item(
            title=_("%(name)s, %(quarter)s") % {"name": report.ambassador, "quarter": report.period},
            url=link("ambassadors:report", report.pk),
            text=_("%(municipality)s handed it in on %(day)s.")
            % {"municipality": report.ambassador.municipality.name, "day": inbox.day(report.submitted_at)},
            at=report.submitted_at,
        ),
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
