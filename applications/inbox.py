"""What this app puts in the inbox (`core.inbox`): for a municipality the drafts to submit before
the pool's deadline, the applications SIRI returned (with SIRI's reason), the political approvals
missing and the decisions made; for SIRI the applications to review and those ready for a decision.

Each section asks the database a fixed number of times, whatever the number of applications.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import inbox
from core.inbox import Item
from core.links import link
from core.money import format_dkk
from core.roles import SIRI_ROLES, Role, municipality_ids

from .models import QUEUE_STATES, Application, ApprovalStatus, PoliticalApproval, Review, State, TransitionLog

# Decisions stay in the inbox this long after they were made.
DECISIONS_SHOWN_DAYS = 60


def _title(application: Any) -> str:
    """The title of an application (a model, or a row of values with its `title`)."""
    return application.title or _("(untitled)")


def _own_drafts(user: Any) -> Any:
    """Drafts led by the user's municipalities: the lead's applicants submit them."""
    return (
        Application.objects.visible_to(user)
        .filter(state=State.DRAFT, lead_municipality__in=municipality_ids(user))
        .select_related("pool")
        # Only what an item shows: an application's texts are most of its row (issue 16).
        .only("journal_number", "title", "pool", "pool__name", "pool__closes_on")
    )


def drafts(user: Any, today: datetime.date) -> list[Item]:
    """Drafts never submitted, whose pool still takes applications, soonest deadline first."""
    found = _own_drafts(user).filter(journal_number__isnull=True, pool__closes_on__gte=today)
    return [
        Item(
            title=_title(application),
            url=link("applications:edit", application.pk),
            text=_("Submit to “%(pool)s” by %(deadline)s.")
            % {"pool": application.pool.name, "deadline": inbox.day(application.pool.closes_on)},
            due=application.pool.closes_on,
        )
        for application in found.order_by("pool__closes_on", "pk")
    ]


def returned(user: Any, today: datetime.date) -> list[Item]:
    """Applications SIRI returned for revision, with SIRI's reason."""
    # The latest return of each, read with it: a query of their logs and a model per row before.
    last_return = TransitionLog.objects.filter(application=OuterRef("pk"), transition="return_for_revision").order_by(
        "-at", "-id"
    )
    found = (
        _own_drafts(user)
        .filter(journal_number__isnull=False)
        .annotate(returned_at=Subquery(last_return.values("at")[:1]))
        .annotate(returned_reason=Subquery(last_return.values("reason")[:1]))
        .order_by("-updated_at", "pk")
        .values_list("pk", "journal_number", "title", "pool__closes_on", "returned_at", "returned_reason", named=True)
    )
    return [
        Item(
            title=f"{row.journal_number} {_title(row)}",
            url=link("applications:edit", row.pk),
            text=_("Returned for revision on %(day)s: revise it and submit it again.")
            % {"day": inbox.day(row.returned_at) if row.returned_at else "–"},
            reason=row.returned_reason or "",
            due=row.pool__closes_on if row.pool__closes_on >= today else None,
            at=row.returned_at,
        )
        for row in found
    ]


def approvals(user: Any, today: datetime.date) -> list[Item]:
    """Submitted applications still waiting for the political approval of the user's municipality."""
    mine = municipality_ids(user)
    # Values, not models: the applications, their partners and the approvals on record.
    found = list(
        Application.objects.visible_to(user)
        .filter(state=State.SUBMITTED, pool__requires_political_approval=True)
        .order_by("submitted_at", "pk")
        .values_list("pk", "journal_number", "title", "lead_municipality_id", "lead_municipality__name", named=True)
    )
    if not found:
        return []
    ids = [row.pk for row in found]
    partners: dict[int, list[tuple[int, str]]] = {}
    partnered = Application.partner_municipalities.through.objects.filter(application_id__in=ids)
    for application_id, municipality_id, name in partnered.order_by("municipality__code").values_list(
        "application_id", "municipality_id", "municipality__name"
    ):
        partners.setdefault(application_id, []).append((municipality_id, name))
    approved = set(
        PoliticalApproval.objects.filter(application_id__in=ids, status=ApprovalStatus.APPROVED).values_list(
            "application_id", "municipality_id"
        )
    )
    items = []
    for row in found:
        participants = [(row.lead_municipality_id, row.lead_municipality__name), *partners.get(row.pk, [])]
        missing = [name for pk, name in participants if pk in mine and (row.pk, pk) not in approved]
        if missing:
            items.append(
                Item(
                    title=f"{row.journal_number} {_title(row)}",
                    url=link("applications:detail", row.pk) + "#approvals",
                    text=_("Record the political approval of %(municipalities)s; SIRI decides after it.")
                    % {"municipalities": ", ".join(missing)},
                )
            )
    return items


def decisions(user: Any, today: datetime.date) -> list[Item]:
    """SIRI's grants and rejections of the user's municipalities' applications, lately."""
    since = timezone.now() - datetime.timedelta(days=DECISIONS_SHOWN_DAYS)
    found = (
        TransitionLog.objects.filter(
            application__in=Application.objects.visible_to(user),
            transition__in=("grant", "reject"),
            at__gte=since,
        )
        .select_related("application__award")
        .only(
            "transition",
            "at",
            "reason",
            "application",
            "application__journal_number",
            "application__title",
            "application__award__amount",
        )
        .order_by("-at", "-id")
    )
    items = []
    for entry in found:
        application = entry.application
        if entry.transition == "grant":
            grant = getattr(application, "award", None)
            text = _("Granted %(amount)s on %(day)s. The grant letter is on the application's page.") % {
                "amount": format_dkk(grant.amount) if grant else "–",
                "day": inbox.day(entry.at),
            }
        else:
            text = _("Rejected on %(day)s. The letter is on the application's page.") % {"day": inbox.day(entry.at)}
        items.append(
            Item(
                title=f"{application.journal_number} {_title(application)}",
                url=link("applications:detail", application.pk),
                text=text,
                reason=entry.reason if entry.transition == "reject" else "",
                at=entry.at,
            )
        )
    return items


# What a queued application's item shows, read as values (a named row per application): the rows
# are sorted before the first 20 are kept, and building every column of an application (its texts)
# for them was a third of a section; the 20 applications with their pools and municipalities as
# models were 0,6 ms more of each queue's section (issue 16).
QUEUE_SHOWN = ("pk", "journal_number", "title", "submitted_at", "pool__name", "lead_municipality__name")


def _queue(user: Any) -> Any:
    return Application.objects.visible_to(user).order_by("submitted_at", "pk")


def _queued_item(row: Any, url: str) -> Item:
    """A queued application's item from its row of `QUEUE_SHOWN`."""
    return Item(
        title=f"{row.journal_number} {_title(row)}",
        url=url,
        text=_("%(municipality)s · %(pool)s · submitted %(day)s")
        % {
            "municipality": row.lead_municipality__name,
            "pool": row.pool__name,
            "day": inbox.day(row.submitted_at) if row.submitted_at else "–",
        },
        at=row.submitted_at,
    )


def to_review(user: Any, today: datetime.date) -> list[Item]:
    """Applications awaiting review that the user has not reviewed (nor declared a conflict in)."""
    mine = Review.objects.filter(application=OuterRef("pk"), reviewer=user)
    found = _queue(user).filter(state__in=QUEUE_STATES).exclude(Exists(mine))
    return inbox.first(found, lambda row: _queued_item(row, link("applications:score", row.pk)), fields=QUEUE_SHOWN)


def to_decide(user: Any, today: datetime.date) -> list[Item]:
    """Politically approved applications with at least one counting review: ready to decide."""
    if not user.has_perm("applications.decide_application"):
        return []
    counting = Review.objects.filter(application=OuterRef("pk"), conflict_of_interest=False)
    found = _queue(user).filter(state=State.POLITICALLY_APPROVED).filter(Exists(counting))
    return inbox.first(found, lambda row: _queued_item(row, link("applications:detail", row.pk)), fields=QUEUE_SHOWN)


def register_sections() -> None:
    inbox.register(
        Role.APPLICANT,
        "applications-returned",
        gettext_lazy("Applications returned for revision"),
        returned,
        order=10,
        empty=gettext_lazy("SIRI has returned no application to you."),
    )
    inbox.register(
        Role.APPLICANT,
        "applications-drafts",
        gettext_lazy("Drafts to submit"),
        drafts,
        order=30,
        empty=gettext_lazy("You have no drafts for a pool that is open."),
    )
    inbox.register(
        Role.APPLICANT,
        "applications-approvals",
        gettext_lazy("Political approval missing"),
        approvals,
        order=40,
        empty=gettext_lazy("No submitted application waits for your municipality's political approval."),
    )
    inbox.register(
        (Role.APPLICANT, Role.COMMITTEE),
        "applications-decisions",
        gettext_lazy("Decisions on applications"),
        decisions,
        order=60,
        empty=gettext_lazy("SIRI has made no decision on your applications in the last 60 days."),
    )
    inbox.register(
        SIRI_ROLES,
        "applications-to-review",
        gettext_lazy("Applications to review"),
        to_review,
        order=10,
        empty=gettext_lazy("You have reviewed every application in the queue."),
        more="applications:queue",
    )
    inbox.register(
        SIRI_ROLES,
        "applications-to-decide",
        gettext_lazy("Applications ready for a decision"),
        to_decide,
        order=20,
        empty=gettext_lazy("No application is ready for a decision."),
        intro=gettext_lazy("Politically approved and reviewed at least once."),
        more="applications:queue",
    )
