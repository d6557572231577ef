"""Reminders of the ambassadors' quarterly reports, sent by monitoring's daily job (the same
rhythm: 14 days before the due date, on it, then weekly while late; each sent once)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from applications.models import REPORTING_STATES
from monitoring.models import Notification
from monitoring.quarters import quarters_between
from monitoring.reminders import TRANSIENT_ERRORS, ReminderRun, deliver, due_text, owed_reminder, site_url

from .models import Ambassador, AmbassadorReport


def send_ambassador_reminders(today: datetime.date) -> ReminderRun:
    run = ReminderRun()
    horizon = today + datetime.timedelta(days=settings.MONITORING["REMINDER_DAYS_BEFORE"])
    ambassadors = (
        Ambassador.objects.filter(active=True, grant__state__in=REPORTING_STATES)
        .exclude(email="", user__email="")
        .select_related("user", "grant__application__pool")
    )
    handed_in = set(
        AmbassadorReport.objects.filter(ambassador__in=ambassadors)
        .handed_in()
        .values_list("ambassador_id", "year", "quarter")
    )
    pending = []
    for ambassador in ambassadors:
        grant = ambassador.grant
        delay = datetime.timedelta(days=grant.application.pool.reporting_delay_days)
        for quarter in quarters_between(max(grant.start_date, ambassador.started_on), grant.end_date):
            due = quarter.end + delay
            if due > horizon:
                break
            if (ambassador.pk, quarter.year, quarter.quarter) in handed_in:
                continue
            owed = owed_reminder(f"ambassador-{ambassador.pk}-{quarter.year}q{quarter.quarter}", due, today)
            if owed is not None:
                pending.append((ambassador, quarter, due, owed))
    # What an earlier run sent is skipped here, not left to fail on the unique key: every rerun
    # logged a duplicate-key error in the database for each (issue 16). The key still decides
    # when two runs meet.
    already = sent_keys([owed.key for _ambassador, _quarter, _due, owed in pending])
    for ambassador, quarter, due, owed in pending:
        if owed.key in already:
            continue
        email = ambassador.email or ambassador.user.email
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Reminder: your ambassador report for %(quarter)s is due on %(due)s") % {
                "quarter": quarter,
                "due": due_text(due),
            }
            body = _(
                "Your quarterly ambassador report for %(quarter)s was or is due on %(due)s and SIRI has "
                "not received it yet. Write and submit it on your ambassador page:\n%(link)s"
            ) % {"quarter": quarter, "due": due_text(due), "link": site_url(reverse("ambassadors:home"))}
        try:
            if deliver(owed.key, owed.kind, None, [email], subject, body):
                run.sent += 1
        except TRANSIENT_ERRORS as error:
            run.failed.append(error)
    return run


def sent_keys(keys: list[str], chunk: int = 500) -> set[str]:
    """Those of `keys` a reminder was recorded under, in chunks of a bounded number of parameters."""
    found: set[str] = set()
    for start in range(0, len(keys), chunk):
        part = keys[start : start + chunk]
        found.update(Notification.objects.filter(key__in=part).values_list("key", flat=True))
    return found
