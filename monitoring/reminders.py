"""Reminders before and after a report's due date, and the notice that a report was handed in.

What is sent is recorded as a `Notification` with a unique key naming the reminder it is
("due_soon:<milestone>", "due_today:<milestone>", "late:<milestone>:<weeks>",
"submitted:<report>:<submitted at>"). The row and the e-mail go in one transaction: a failed
send rolls the row back, so the next run sends it; two runs at once both try to insert the key,
and the database lets only one of them through. So the job can run any number of times a day.

The job keys on the day it is given, never on the clock, so that tests and a catch-up run
(`manage.py send_reminders --today …`) see the same day the scheduler would.
"""

from __future__ import annotations

import datetime
import smtplib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applications.models import REPORTING_STATES
from core.roles import Role

from .models import Milestone, Notification, NotificationKind, QuarterlyReport, ReportState

# Errors of the mail server or the network: worth another try later. Anything else is a bug.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (smtplib.SMTPException, ConnectionError, OSError)
LATE_EVERY_DAYS = 7


@dataclass(frozen=True)
class Owed:
    """The one reminder a milestone is owed on a day."""

    kind: str
    key: str


def owed_reminder(milestone_id: int, due: datetime.date, today: datetime.date) -> Owed | None:
    """The latest reminder owed on `today` for a report due on `due` that is not handed in.

    14 days before (settings), on the due day, then every 7 days late. A day the job did not run
    is made up by the next run, which sends what is owed then, once: never a burst of the
    reminders it missed (the late reminder of week 3 replaces those of weeks 1 and 2).
    """
    days_late = (today - due).days
    if days_late >= LATE_EVERY_DAYS:
        return Owed(NotificationKind.LATE, f"late:{milestone_id}:{days_late // LATE_EVERY_DAYS}")
    if days_late >= 0:
        return Owed(NotificationKind.DUE_TODAY, f"due_today:{milestone_id}")
    if -days_late <= settings.MONITORING["REMINDER_DAYS_BEFORE"]:
        return Owed(NotificationKind.DUE_SOON, f"due_soon:{milestone_id}")
    return None


@dataclass
class ReminderRun:
    """What one run sent, and the transient errors of what it could not send (retried later)."""

    sent: int = 0
    failed: list[BaseException] = field(default_factory=list)


def site_url(path: str) -> str:
    """An absolute link for an e-mail: there is no request to take the host from."""
    return settings.SITE_URL.rstrip("/") + path


def due_text(day: datetime.date) -> str:
    """A due date as the reminders write it (the short date of the language in force)."""
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def _addresses(users: Iterable[object]) -> list[str]:
    return sorted({email for email in (getattr(user, "email", "") for user in users) if email})


def project_people(municipality_id: int) -> list[str]:
    """The e-mail addresses of the active applicants of a municipality: the project's people."""
    users = get_user_model().objects.filter(
        is_active=True, profile__role=Role.APPLICANT, profile__municipalities=municipality_id
    )
    return _addresses(users.exclude(email="").distinct())


def siri_people(granted_by: object) -> list[str]:
    """The reviewer who granted (if still active) and every active pool admin."""
    admins = get_user_model().objects.filter(is_active=True, profile__role=Role.POOL_ADMIN).exclude(email="")
    reviewer = [granted_by] if granted_by is not None and getattr(granted_by, "is_active", False) else []
    return _addresses([*reviewer, *admins])


def deliver(key: str, kind: str, milestone: Milestone | None, recipients: list[str], subject: str, body: str) -> bool:
    """Record and send one reminder in one transaction, under a `key` that says what it is
    about, so that it is never sent twice; False when another run recorded the key first.
    Apps built on monitoring (the ambassadors) send their reminders through it too."""
    try:
        with transaction.atomic():
            Notification.objects.create(
                key=key,
                kind=kind,
                milestone=milestone,
                recipients=", ".join(recipients),
                subject=subject[:300],
            )
            EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to=recipients).send()
    except IntegrityError:
        return False
    return True


# The daily reminders ---------------------------------------------------------------------------


def _reminder_text(milestone: Milestone, today: datetime.date) -> tuple[str, str]:
    application = milestone.grant.application
    due = milestone.report_due_on
    values = {
        "project": application.title,
        "quarter": str(milestone.period),
        "due": due_text(due),
        "municipality": application.lead_municipality.name,
    }
    days = (due - today).days
    if days > 0:
        subject = _("Reminder: the report for %(quarter)s of “%(project)s” is due on %(due)s") % values
        status = ngettext(
            "The quarterly report for %(quarter)s of the project “%(project)s” is due on %(due)s, in %(days)d day.",
            "The quarterly report for %(quarter)s of the project “%(project)s” is due on %(due)s, in %(days)d days.",
            days,
        ) % {**values, "days": days}
    elif days == 0:
        subject = _("The report for %(quarter)s of “%(project)s” is due today, %(due)s") % values
        status = _("The quarterly report for %(quarter)s of the project “%(project)s” is due today, %(due)s.") % values
    else:
        # Also the due-day reminder when the job missed the due day: it says what is true now.
        subject = _("Late: the report for %(quarter)s of “%(project)s” was due on %(due)s") % values
        status = ngettext(
            "The quarterly report for %(quarter)s of the project “%(project)s” was due on %(due)s "
            "and is %(days)d day late. SIRI has not received it.",
            "The quarterly report for %(quarter)s of the project “%(project)s” was due on %(due)s "
            "and is %(days)d days late. SIRI has not received it.",
            -days,
        ) % {**values, "days": -days}
    link = site_url(reverse("monitoring:project", kwargs={"grant_pk": milestone.grant_id}))
    body = "\n\n".join(
        [
            status,
            _("Write and submit the report on the project page:\n%(link)s") % {"link": link},
            _(
                "This is an automatic reminder from Puljeflow to the applicants of %(municipality)s. "
                "It stops when the report has been submitted."
            )
            % values,
        ]
    )
    return subject, body


def _horizon(today: datetime.date) -> datetime.date:
    """The last due date that is owed a reminder on `today`."""
    return today + datetime.timedelta(days=settings.MONITORING["REMINDER_DAYS_BEFORE"])


def due_milestones(today: datetime.date) -> list[Milestone]:
    """Milestones of the grants that report (accepted, and not closed, lapsed or revoked), due
    within the reminder window or past due, whose report has not been handed in (no report, or
    one never submitted)."""
    handed_in = QuarterlyReport.objects.filter(
        grant=OuterRef("grant"), year=OuterRef("year"), quarter=OuterRef("quarter")
    ).handed_in()
    return list(
        Milestone.objects.filter(grant__state__in=REPORTING_STATES, report_due_on__lte=_horizon(today))
        .exclude(Exists(handed_in))
        .select_related("grant__application__lead_municipality")
        .order_by("report_due_on", "pk")
    )


# Other apps' reminders that the same daily job sends (the ambassador network's reports): each
# takes the day and returns its run. Registered in the app's ready(); monitoring imports none.
REMINDER_SOURCES: list[Callable[[datetime.date], ReminderRun]] = []


def send_reminders(today: datetime.date | None = None) -> ReminderRun:
    """Send every reminder owed on `today` that has not been sent: the projects' reports (see
    `owed_reminder`) and what other apps registered in REMINDER_SOURCES."""
    today = today or timezone.localdate()
    run = _project_reminders(today)
    for source in REMINDER_SOURCES:
        more = source(today)
        run.sent += more.sent
        run.failed.extend(more.failed)
    return run


def _project_reminders(today: datetime.date) -> ReminderRun:
    run = ReminderRun()
    milestones = due_milestones(today)
    owed = [(milestone, owed_reminder(milestone.pk, milestone.report_due_on, today)) for milestone in milestones]
    pending = [(milestone, reminder) for milestone, reminder in owed if reminder is not None]
    # One query for the reminders sent before (a join, not a list of ids that grows with the
    # pool); the unique key still decides when two runs meet.
    already = set(
        Notification.objects.filter(
            milestone__grant__state__in=REPORTING_STATES,
            milestone__report_due_on__lte=_horizon(today),
            kind__in=[NotificationKind.DUE_SOON, NotificationKind.DUE_TODAY, NotificationKind.LATE],
        ).values_list("key", flat=True)
    )
    people: dict[int, list[str]] = {}
    for milestone, reminder in pending:
        if reminder.key in already:
            continue
        municipality_id = milestone.grant.application.lead_municipality_id
        if municipality_id not in people:
            people[municipality_id] = project_people(municipality_id)
        recipients = people[municipality_id]
        if not recipients:
            # Nobody to tell: nothing is recorded, so a person added tomorrow gets what is owed.
            continue
        with translation.override(settings.LANGUAGE_CODE):
            subject, body = _reminder_text(milestone, today)
        try:
            if deliver(reminder.key, reminder.kind, milestone, recipients, subject, body):
                run.sent += 1
        except TRANSIENT_ERRORS as error:
            # The others still go out; the task retries, and the keys skip what was sent.
            run.failed.append(error)
    return run


# The notice that a report was handed in --------------------------------------------------------


def _submitted_text(report: QuarterlyReport, milestone: Milestone | None) -> tuple[str, str]:
    application = report.grant.application
    values = {
        "project": application.title,
        "quarter": str(report.period),
        "municipality": application.lead_municipality.name,
        "at": formats.date_format(timezone.localtime(report.submitted_at), "SHORT_DATETIME_FORMAT"),
        "due": due_text(milestone.report_due_on) if milestone else "–",
    }
    subject = _("Report handed in: %(quarter)s of “%(project)s” (%(municipality)s)") % values
    lines = [
        _(
            "%(municipality)s has handed in the quarterly report for %(quarter)s of the project "
            "“%(project)s” on %(at)s. It was due on %(due)s."
        )
        % values
    ]
    if report.first_submitted_at and report.first_submitted_at != report.submitted_at:
        lines.append(_("The report was returned earlier and has now been handed in again."))
    link = site_url(reverse("monitoring:report", kwargs={"grant_pk": report.grant_id, "report_pk": report.pk}))
    lines.append(_("Read it and accept it or return it to the municipality:\n%(link)s") % {"link": link})
    return subject, "\n\n".join(lines)


def notify_submitted(report_id: int) -> bool:
    """Tell the reviewer who granted and the pool admins that a report was handed in; once per
    submission (a report returned and handed in again is a new submission)."""
    report = (
        QuarterlyReport.objects.select_related("grant__application__lead_municipality", "grant__granted_by")
        .filter(pk=report_id)
        .first()
    )
    # Decided already (the task ran late) or back in draft: there is nothing to read any more.
    if report is None or report.submitted_at is None or report.state != ReportState.SUBMITTED:
        return False
    key = f"submitted:{report.pk}:{report.submitted_at.isoformat()}"
    if Notification.objects.filter(key=key).exists():
        return False
    recipients = siri_people(report.grant.granted_by)
    if not recipients:
        return False
    milestone = Milestone.objects.filter(grant=report.grant, year=report.year, quarter=report.quarter).first()
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = _submitted_text(report, milestone)
    return deliver(key, NotificationKind.SUBMITTED, milestone, recipients, subject, body)
