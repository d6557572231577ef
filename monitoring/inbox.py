"""What monitoring puts in the inbox (`core.inbox`): for a municipality the quarterly reports due
(with a countdown), those SIRI returned (with SIRI's reason) and SIRI's acceptances; for SIRI the
reports to accept and the late ones; for the committee, first, the briefings of the quarters
reported. Each section asks the database a fixed number of times, whatever the number of projects.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.models import Grant, GrantState
from core import inbox
from core.inbox import Item
from core.links import link
from core.roles import SIRI_ROLES, Role, municipality_ids

from .models import Milestone, QuarterlyReport, ReportLog, ReportState
from .quarters import Quarter

# Acceptances stay in the inbox this long; the briefings of each project's latest quarters.
SHOWN_DAYS = 60
BRIEFINGS_PER_PROJECT = 2
# What an item of a long section shows of a quarter's milestone or report, read as values (a named
# row): 20 of them with their grants, applications and municipalities as models were a fifth of
# the section (issue 16).
QUARTER_SHOWN = ("pk", "grant_id", "year", "quarter", "grant__application__title")
LATE_SHOWN = (*QUARTER_SHOWN, "grant__application__lead_municipality__name")


def _begun(today: datetime.date) -> Q:
    """Milestones of the quarters that have begun by `today`: their report can be written."""
    current = Quarter.of(today)
    return Q(year__lt=current.year) | Q(year=current.year, quarter__lte=current.quarter)


def _quarter_title(row: Any, of: str = "") -> str:
    """A row of `QUARTER_SHOWN`'s project and quarter: "Job i Slagelse · 2. kvt. 2026"; `of` is
    the path of a row read through another model's (a log entry's "report__")."""
    title, year, quarter = (getattr(row, f"{of}{name}") for name in ("grant__application__title", "year", "quarter"))
    return f"{title} · {Quarter(year, quarter)}"


def reports_due(user: Any, today: datetime.date) -> list[Item]:
    """The quarters begun whose report the municipality has not handed in, the most urgent first."""
    grants = Grant.objects.visible_to(user).filter(
        state=GrantState.ACTIVE, application__lead_municipality__in=municipality_ids(user)
    )
    found = Milestone.objects.owed().filter(grant__in=grants).filter(_begun(today)).order_by("report_due_on", "pk")
    return inbox.first(
        found,
        lambda row: Item(
            title=_quarter_title(row),
            url=link("monitoring:project", row.grant_id) + "#reports-heading",
            text=_("The quarterly report is due on %(day)s.") % {"day": inbox.day(row.report_due_on)},
            due=row.report_due_on,
        ),
        sparse=True,  # a municipality owes few quarters: ranked and counted in one pass
        fields=(*QUARTER_SHOWN, "report_due_on"),
    )


def _report_title(report: QuarterlyReport) -> str:
    return f"{report.grant.application.title} · {report.period}"


def returned_reports(user: Any, today: datetime.date) -> list[Item]:
    """Reports SIRI returned to the municipality, with SIRI's reason."""
    found = (
        QuarterlyReport.objects.visible_to(user)
        .filter(state=ReportState.DRAFT, grant__application__lead_municipality__in=municipality_ids(user))
        .exclude(returned_reason="")
        .order_by("-updated_at", "pk")
        .values_list(*QUARTER_SHOWN, "returned_reason", named=True)
    )
    return [
        Item(
            title=_quarter_title(row),
            url=link("monitoring:report_edit", row.grant_id, row.pk),
            text=_("SIRI returned the report: correct it and hand it in again."),
            reason=row.returned_reason,
        )
        for row in found
    ]


def accepted_reports(user: Any, today: datetime.date) -> list[Item]:
    """SIRI's acceptances of the municipality's reports, lately."""
    found = (
        ReportLog.objects.filter(
            report__in=QuarterlyReport.objects.visible_to(user),
            transition="accept",
            at__gte=timezone.now() - datetime.timedelta(days=SHOWN_DAYS),
        )
        .order_by("-at", "-id")
        .values_list(*(f"report__{name}" for name in QUARTER_SHOWN), "at", named=True)
    )
    return [
        Item(
            title=_quarter_title(row, of="report__"),
            url=link("monitoring:report", row.report__grant_id, row.report__pk),
            text=_("SIRI accepted the report on %(day)s.") % {"day": inbox.day(row.at)},
            at=row.at,
        )
        for row in found
    ]


def reports_to_accept(user: Any, today: datetime.date) -> list[Item]:
    """Reports handed in and waiting for SIRI's decision, the oldest first."""
    found = QuarterlyReport.objects.visible_to(user).filter(state=ReportState.SUBMITTED).order_by("submitted_at", "pk")
    return inbox.first(
        found,
        lambda row: Item(
            title=_quarter_title(row),
            url=link("monitoring:report", row.grant_id, row.pk),
            text=_("%(municipality)s handed it in on %(day)s.")
            % {"municipality": row.grant__application__lead_municipality__name, "day": inbox.day(row.submitted_at)},
            at=row.submitted_at,
        ),
        fields=(*LATE_SHOWN, "submitted_at"),
    )


def late_reports(user: Any, today: datetime.date) -> list[Item]:
    """Reports of active projects past their due date and not handed in, the latest first."""
    grants = Grant.objects.visible_to(user).filter(state=GrantState.ACTIVE)
    found = Milestone.objects.owed().filter(grant__in=grants, report_due_on__lt=today).order_by("report_due_on", "pk")
    return inbox.first(
        found,
        lambda row: Item(
            title=_quarter_title(row),
            url=link("monitoring:project", row.grant_id),
            text=_("%(municipality)s, due on %(day)s.")
            % {"municipality": row.grant__application__lead_municipality__name, "day": inbox.day(row.report_due_on)},
            due=row.report_due_on,
        ),
        fields=(*LATE_SHOWN, "report_due_on"),
        # Not sparse: the owed quarters' index (milestone_owed_idx) holds the late ones first, so
        # PostgreSQL stops after the first twenty instead of ranking every late one; 100 late of
        # 9.600 quarters: 4,1 -> 3,2 ms (issue 16).
    )


def briefings(user: Any, today: datetime.date) -> list[Item]:
    """The latest quarters each of the committee's running projects has reported, newest first,
    each with its briefing (PDF)."""
    reported = (
        QuarterlyReport.objects.visible_to(user)
        .select_related("grant__application")
        .handed_in()
        .filter(grant__state=GrantState.ACTIVE)
        .order_by("-year", "-quarter", "grant_id", "pk")
    )
    per_project: dict[int, int] = {}
    found = []
    for report in reported:  # a project reports four times a year: few rows
        per_project[report.grant_id] = per_project.get(report.grant_id, 0) + 1
        if per_project[report.grant_id] <= BRIEFINGS_PER_PROJECT:
            found.append(report)
    return [
        Item(
            title=_report_title(report),
            url=link("monitoring:briefing", report.grant_id),
            text=_("Reported on %(day)s.") % {"day": inbox.day(report.first_submitted_at)},
            at=report.first_submitted_at,
            post={"year": report.year, "quarter": report.quarter},
            action=_("Committee briefing (PDF)"),
        )
        for report in found
    ]


def register_sections() -> None:
    inbox.register(
        Role.COMMITTEE,
        "monitoring-briefings",
        gettext_lazy("Briefings for the committee"),
        briefings,
        order=10,
        empty=gettext_lazy("No running project has reported yet."),
        intro=gettext_lazy("The quarterly briefing of each project as PDF, made when you ask for it."),
    )
    inbox.register(
        Role.APPLICANT,
        "monitoring-returned",
        gettext_lazy("Reports returned by SIRI"),
        returned_reports,
        order=15,
        empty=gettext_lazy("SIRI has returned no report to you."),
    )
    inbox.register(
        Role.APPLICANT,
        "monitoring-due",
        gettext_lazy("Quarterly reports due"),
        reports_due,
        order=20,
        empty=gettext_lazy("No quarterly report is due."),
        more="monitoring:projects",
    )
    inbox.register(
        Role.APPLICANT,
        "monitoring-accepted",
        gettext_lazy("Reports accepted by SIRI"),
        accepted_reports,
        order=70,
        empty=gettext_lazy("SIRI has accepted no report in the last 60 days."),
    )
    inbox.register(
        SIRI_ROLES,
        "monitoring-to-accept",
        gettext_lazy("Reports to accept"),
        reports_to_accept,
        order=30,
        empty=gettext_lazy("No report waits for a decision."),
        more="monitoring:overview",
    )
    inbox.register(
        SIRI_ROLES,
        "monitoring-late",
        gettext_lazy("Late reports"),
        late_reports,
        order=40,
        empty=gettext_lazy("No report is late."),
        more="monitoring:overview",
    )
