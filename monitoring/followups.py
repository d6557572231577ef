"""The follow-up after a project's end (models/followups.py): recording one, reading a grant's
follow-ups for its page and the PDFs, and the reminders of the ones due.

Recording goes through `record_follow_up` only (the API, the page and the demo), so that every
entry point gives the same answers: each problem named on its field (400), a grant that takes no
follow-ups a conflict (409). A point is recorded once: a second one for the same point is a 400
naming it, as the figures have been read in committee briefings and portfolio reports already;
replacing them silently would change a statement made to SIRI without a trace.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from applications.models import Grant
from core.errors import DomainError, validator_messages
from core.validators import validate_no_cpr

from .models import (
    FOLLOW_UP_STATES,
    FollowUp,
    FollowUpPoint,
    Notification,
    due_date,
    point_date,
    takes_follow_ups,
)
from .reminders import (
    TRANSIENT_ERRORS,
    ReminderRun,
    deliver,
    due_text,
    owed_reminder,
    project_people,
    site_url,
)
from .validators import count_validators

ADD_FOLLOW_UP = "monitoring.add_followup"
VIEW_FOLLOW_UP = "monitoring.view_followup"
COUNT_FIELDS = ("completed", "in_work_or_education")


def _day(value: datetime.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def point_label(point: str) -> str:
    return str(FollowUpPoint(point).label)


# Recording -------------------------------------------------------------------------------------


def _problems(grant: Grant, data: dict[str, Any], today: datetime.date) -> dict[str, list[Any]]:
    """Every problem of the input, per field: the API and the form show them all at once."""
    errors: dict[str, list[Any]] = {}
    point = data.get("point")
    if point not in FollowUpPoint.values:
        errors["point"] = [
            _("Choose one of: %(codes)s.") % {"codes": ", ".join(FollowUpPoint.values)}
            if point not in (None, "")
            else _("Say which follow-up this is.")
        ]
    else:
        opens = point_date(grant, point)
        if today < opens:
            errors["point"] = [
                _("The follow-up %(point)s can be recorded from %(date)s, not before.")
                % {"point": point_label(point).lower(), "date": _day(opens)}
            ]
        else:
            earlier = next((f for f in grant.follow_ups.all() if f.point == point), None)
            if earlier is not None:
                errors["point"] = [
                    _("The follow-up %(point)s was recorded on %(date)s; it is recorded once.")
                    % {
                        "point": point_label(point).lower(),
                        "date": _day(timezone.localdate(earlier.submitted_at)),
                    }
                ]
    for name in COUNT_FIELDS:
        value = data.get(name)
        if value is None:
            errors.setdefault(name, []).append(_("Give a number."))
        else:
            errors.setdefault(name, []).extend(validator_messages(count_validators, value))
    completed, in_work = data.get("completed"), data.get("in_work_or_education")
    if completed is not None and in_work is not None and in_work > completed >= 0:
        errors.setdefault("in_work_or_education", []).append(
            _("No more can be in work or education than completed the project.")
        )
    comment_problems = validator_messages([validate_no_cpr], data.get("comment") or "")
    if comment_problems:
        errors["comment"] = comment_problems
    return {name: messages for name, messages in errors.items() if messages}


def record_follow_up(grant_id: int, user: Any, data: dict[str, Any], today: datetime.date | None = None) -> FollowUp:
    """Record the follow-up at `data["point"]` of the grant: its figures (`completed`,
    `in_work_or_education`) and an optional `comment`. In one transaction, under a lock on the
    grant, so that two tabs sending the same point record it once (the unique constraint says so
    too)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        grant = (
            Grant.objects.select_for_update(of=("self",))
            .select_related("application__pool", "application__lead_municipality")
            .get(pk=grant_id)
        )
        if not user.has_perm(ADD_FOLLOW_UP, grant):
            raise PermissionDenied
        if not takes_follow_ups(grant):
            raise DomainError.conflict(
                _("This grant takes no follow-up: it was never in force, or it has lapsed or been revoked.")
            )
        errors = _problems(grant, data, today)
        if errors:
            raise DomainError.invalid(errors)
        try:
            with transaction.atomic():
                follow_up = FollowUp.objects.create(
                    grant=grant,
                    point=data["point"],
                    completed=data["completed"],
                    in_work_or_education=data["in_work_or_education"],
                    comment=(data.get("comment") or "").strip(),
                    submitted_by=user,
                )
        except IntegrityError:
            # Another request recorded the point between our check and our insert.
            raise DomainError.invalid(
                {
                    "point": [
                        _("The follow-up %(point)s has been recorded already.")
                        % {"point": point_label(data["point"]).lower()}
                    ]
                }
            ) from None
    return follow_up


# Reading ----------------------------------------------------------------------------------------


def share(follow_up: FollowUp) -> Decimal | None:
    """In work or education, in percent of those who completed (one decimal); none of none."""
    if not follow_up.completed:
        return None
    return (Decimal(100) * follow_up.in_work_or_education / follow_up.completed).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


@dataclass(frozen=True)
class FollowUpRow:
    """One point of a grant's follow-up as the page and the PDFs show it."""

    point: str
    label: str
    point_on: datetime.date
    due_on: datetime.date
    follow_up: FollowUp | None
    status: str  # recorded / late / open / upcoming
    share: Decimal | None

    @property
    def recorded(self) -> bool:
        return self.follow_up is not None

    @property
    def badge(self) -> str:
        """The dkfds badge of the status: late is an error, recorded a success."""
        colour = {"recorded": "success", "late": "error", "open": "info"}.get(self.status)
        return f"badge badge-{colour}" if colour else "badge"

    @property
    def status_label(self) -> str:
        if self.follow_up is not None:
            return _gettext("Recorded %(date)s") % {"date": _day(timezone.localdate(self.follow_up.submitted_at))}
        return {
            "late": _gettext("Late"),
            "open": _gettext("Open for recording"),
            "upcoming": _gettext("Not yet: from %(date)s") % {"date": _day(self.point_on)},
        }[self.status]


def follow_up_rows(grant: Grant, follow_ups: Iterable[FollowUp], today: datetime.date) -> list[FollowUpRow]:
    """Both points of a grant that takes follow-ups (none for one that takes none, unless it
    has some on record): when each falls and is due, and its figures or whether it is late.
    `follow_ups` are the grant's, read by the caller in one query for however many grants."""
    by_point = {f.point: f for f in follow_ups}
    if not takes_follow_ups(grant) and not by_point:
        return []
    rows = []
    for point in FollowUpPoint:
        follow_up = by_point.get(point.value)
        opens, due = point_date(grant, point), due_date(grant, point)
        if follow_up is not None:
            status = "recorded"
        elif today > due:
            status = "late"
        elif today >= opens:
            status = "open"
        else:
            status = "upcoming"
        rows.append(
            FollowUpRow(
                point=point.value,
                label=str(point.label),
                point_on=opens,
                due_on=due,
                follow_up=follow_up,
                status=status,
                share=share(follow_up) if follow_up is not None else None,
            )
        )
    return rows


# Reminders -------------------------------------------------------------------------------------


def _reminder_text(grant: Grant, point: str, due: datetime.date, today: datetime.date) -> tuple[str, str]:
    application = grant.application
    values = {
        "project": application.title,
        "point": point_label(point).lower(),
        "due": due_text(due),
        "municipality": application.lead_municipality.name,
    }
    days = (due - today).days
    if days > 0:
        subject = _gettext("Reminder: the follow-up %(point)s of “%(project)s” is due on %(due)s") % values
    elif days == 0:
        subject = _gettext("The follow-up %(point)s of “%(project)s” is due today, %(due)s") % values
    else:
        subject = _gettext("Late: the follow-up %(point)s of “%(project)s” was due on %(due)s") % values
    link = site_url(reverse("monitoring:project", kwargs={"grant_pk": grant.pk}) + "#follow-ups")
    body = "\n\n".join(
        [
            _gettext(
                "The project “%(project)s” has ended. Of the participants who completed it, how many are in "
                "work or education %(point)s? SIRI asks for the figures by %(due)s."
            )
            % values,
            _gettext("Record the follow-up on the project page:\n%(link)s") % {"link": link},
            _gettext(
                "This is an automatic reminder from Puljeflow to the applicants of %(municipality)s. "
                "It stops when the follow-up has been recorded."
            )
            % values,
        ]
    )
    return subject, body


def follow_up_reminders(today: datetime.date) -> ReminderRun:
    """Remind the lead municipality of a follow-up due soon, due today or late, with the rhythm of
    the quarterly reports (reminders.owed_reminder: 14 days before, on the day, then weekly), each
    once under its key ("due_soon:followup-<grant>-<point>", …). Only from the point's day on,
    when it can be recorded, and only for grants that take follow-ups (a closed one still does)."""
    run = ReminderRun()
    horizon = today + datetime.timedelta(days=settings.MONITORING["REMINDER_DAYS_BEFORE"])
    # The earliest point is 3 months after the end: a grant ending later cannot owe one yet.
    grants = (
        Grant.objects.filter(state__in=FOLLOW_UP_STATES, end_date__lte=horizon)
        .annotate(recorded=Count("follow_ups"))
        .filter(recorded__lt=len(FollowUpPoint.values))
        .select_related("application__pool", "application__lead_municipality")
        .prefetch_related("follow_ups")
        .order_by("end_date", "pk")
    )
    already: set[str] | None = None
    people: dict[int, list[str]] = {}
    for grant in grants:
        recorded = {f.point for f in grant.follow_ups.all()}
        for point in FollowUpPoint.values:
            due = due_date(grant, point)
            if point in recorded or due > horizon or today < point_date(grant, point):
                continue
            owed = owed_reminder(f"followup-{grant.pk}-{point}", due, today)  # type: ignore[arg-type]
            if owed is None:
                continue
            if already is None:  # one query for what was sent before, only when something is owed
                already = _sent_keys()
            if owed.key in already:
                continue
            municipality_id = grant.application.lead_municipality_id
            if municipality_id not in people:
                people[municipality_id] = project_people(municipality_id)
            if not people[municipality_id]:
                continue  # nobody to tell: nothing recorded, a person added tomorrow is told
            with translation.override(settings.LANGUAGE_CODE):
                subject, body = _reminder_text(grant, point, due, today)
            try:
                if deliver(owed.key, owed.kind, None, people[municipality_id], subject, body):
                    run.sent += 1
            except TRANSIENT_ERRORS as error:
                run.failed.append(error)
    return run


def _sent_keys() -> set[str]:
    """The keys of the follow-up reminders sent before; the unique key still decides when two
    runs meet."""
    return set(
        Notification.objects.filter(milestone__isnull=True, key__contains=":followup-").values_list("key", flat=True)
    )
