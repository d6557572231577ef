"""What the grant administration puts in the inbox (`core.inbox`): for a municipality the grants to
accept (with a countdown to the deadline) and SIRI's decisions on its change requests; for SIRI
the change requests waiting for a decision. Each section asks the database a fixed number of
times, whatever the number of grants.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.models import Grant, GrantState
from core import inbox
from core.inbox import Item
from core.links import link
from core.money import format_dkk
from core.roles import SIRI_ROLES, Role, municipality_ids

from .models import AccountsState, ChangeRequest, ChangeRequestLog, ChangeState, FinalAccounts, FinalReport
from .services.closing import due_on

# Decisions stay in the inbox this long after they were made (as the applications' do).
DECISIONS_SHOWN_DAYS = 60


def _lead_grants(user: Any) -> Any:
    """The grants of the user's municipalities as lead: theirs to accept and to change."""
    return Grant.objects.visible_to(user).filter(application__lead_municipality__in=municipality_ids(user))


def to_accept(user: Any, today: datetime.date) -> list[Item]:
    """Grants awaiting the municipality's acceptance by their deadline, the soonest first."""
    found = (
        _lead_grants(user)
        .filter(state=GrantState.AWAITING_ACCEPTANCE, terms__accept_by__gte=today)
        .select_related("application", "terms")
        .only("amount", "application", "application__title", "terms__accept_by")
        .order_by("terms__accept_by", "pk")
    )
    return [
        Item(
            title=grant.application.title,
            url=link("awards:accept", grant.pk),
            text=_("Accept the grant of %(amount)s by %(day)s, or it lapses.")
            % {"amount": format_dkk(grant.amount), "day": inbox.day(grant.terms.accept_by)},
            due=grant.terms.accept_by,
        )
        for grant in found
    ]


def change_decisions(user: Any, today: datetime.date) -> list[Item]:
    """SIRI's approvals and refusals of the municipality's change requests, lately."""
    found = (
        ChangeRequestLog.objects.filter(
            change_request__grant__in=_lead_grants(user),
            transition__in=("approve", "refuse"),
            at__gte=timezone.now() - datetime.timedelta(days=DECISIONS_SHOWN_DAYS),
        )
        .select_related("change_request__grant__application")
        .only(
            "transition",
            "at",
            "reason",
            "change_request",
            "change_request__kind",
            "change_request__grant",
            "change_request__grant__application",
            "change_request__grant__application__title",
        )
        .order_by("-at", "-id")
    )
    items = []
    for entry in found:
        change = entry.change_request
        values = {"kind": change.get_kind_display().lower(), "day": inbox.day(entry.at)}
        if entry.transition == "approve":
            text = _("SIRI approved the change request (%(kind)s) on %(day)s.") % values
        else:
            text = _("SIRI refused the change request (%(kind)s) on %(day)s.") % values
        items.append(
            Item(
                title=change.grant.application.title,
                url=link("awards:change", change.pk),
                text=text,
                reason=entry.reason,
                at=entry.at,
            )
        )
    return items


def changes_to_decide(user: Any, today: datetime.date) -> list[Item]:
    """Change requests waiting for SIRI's decision, the oldest first."""
    if not user.has_perm("awards.view_change_queue"):
        return []
    found = (
        ChangeRequest.objects.visible_to(user)
        .filter(state=ChangeState.SUBMITTED)
        .select_related("grant__application__lead_municipality")
        # Only what an item shows, not the request's budget lines and texts.
        .only("kind", "submitted_at", "grant__application__title", "grant__application__lead_municipality__name")
        .order_by("submitted_at", "pk")
    )
    return inbox.first(
        found,
        lambda change: Item(
            title=change.grant.application.title,
            url=link("awards:change", change.pk),
            text=_("%(municipality)s asks to change the %(kind)s; asked on %(day)s.")
            % {
                "municipality": change.grant.application.lead_municipality.name,
                "kind": change.get_kind_display().lower(),
                "day": inbox.day(change.submitted_at),
            },
            at=change.submitted_at,
        ),
    )


def end_due(user: Any, today: datetime.date) -> list[Item]:
    """The municipality's ended projects whose final report and accounts are not yet in."""
    found = (
        _lead_grants(user)
        .filter(state=GrantState.ACTIVE, end_date__lt=today)
        .exclude(final_accounts__state__in=[AccountsState.SUBMITTED, AccountsState.APPROVED])
        .select_related("application__pool")
        .only(
            "end_date", "application", "application__title", "application__pool", "application__pool__final_report_days"
        )
        .order_by("end_date", "pk")
    )
    items = []
    for grant in found:
        due = due_on(grant)
        text = (
            _("The final report and accounts were due on %(day)s.")
            if due < today
            else _("The final report and accounts are due on %(day)s.")
        )
        items.append(
            Item(
                title=grant.application.title,
                url=link("monitoring:project", grant.pk),
                text=text % {"day": inbox.day(due)},
                due=due,
            )
        )
    return items


def end_to_decide(user: Any, today: datetime.date) -> list[Item]:
    """Final reports and accounts waiting for SIRI, and grants ready to be closed."""
    if not user.has_perm("awards.view_change_queue"):
        return []
    shown = ("grant", "grant__application", "grant__application__title", "submitted_at")
    reports = FinalReport.objects.visible_to(user).filter(state="submitted").select_related("grant__application")
    accounts = FinalAccounts.objects.visible_to(user).filter(state="submitted").select_related("grant__application")
    reports, accounts = reports.only(*shown), accounts.only(*shown)
    items = [
        Item(
            title=report.grant.application.title,
            url=link("awards:final_report", report.grant_id),
            text=_("The final report waits for your decision; sent on %(day)s.")
            % {"day": inbox.day(report.submitted_at)},
            at=report.submitted_at,
        )
        for report in reports.order_by("submitted_at", "pk")
    ]
    items += [
        Item(
            title=row.grant.application.title,
            url=link("awards:final_accounts", row.grant_id),
            text=_("The final accounts wait for your decision; sent on %(day)s.")
            % {"day": inbox.day(row.submitted_at)},
            at=row.submitted_at,
        )
        for row in accounts.order_by("submitted_at", "pk")
    ]
    return items


def register_sections() -> None:
    inbox.register(
        Role.APPLICANT,
        "awards-end-due",
        gettext_lazy("Final reports and accounts due"),
        end_due,
        order=14,
        empty=gettext_lazy("No ended project waits for its final report and accounts."),
        intro=gettext_lazy("The retained last payment waits for the approved final accounts."),
    )
    inbox.register(
        SIRI_ROLES,
        "awards-end-to-decide",
        gettext_lazy("Final reports and accounts to decide"),
        end_to_decide,
        order=36,
        empty=gettext_lazy("No final report or accounts wait for a decision."),
    )
    inbox.register(
        Role.APPLICANT,
        "awards-to-accept",
        gettext_lazy("Grants to accept"),
        to_accept,
        order=12,
        empty=gettext_lazy("No grant waits for your acceptance."),
        intro=gettext_lazy("A grant not accepted by its deadline lapses, and its money returns to the pool."),
    )
    inbox.register(
        Role.APPLICANT,
        "awards-change-decisions",
        gettext_lazy("Decisions on change requests"),
        change_decisions,
        order=65,
        empty=gettext_lazy("SIRI has decided no change request of yours in the last 60 days."),
    )
    inbox.register(
        SIRI_ROLES,
        "awards-changes-to-decide",
        gettext_lazy("Change requests to decide"),
        changes_to_decide,
        order=35,
        empty=gettext_lazy("No change request waits for a decision."),
        more="awards:changes",
    )
