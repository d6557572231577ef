"""The e-mails of a grant's end: the reminder that the final report and accounts are due (before,
on the day, then weekly while late, as the quarterly reports' reminders go), and SIRI's decisions
on them and the closing, to the municipality. Each goes once, under a key that names it."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from applications.models import Grant, GrantState
from core.money import format_dkk
from core.notices import send_once
from monitoring.models import Notification
from monitoring.reminders import deliver, due_text, owed_reminder

from .models import FinalAccounts, FinalAccountsLog, FinalReportLog, Repayment
from .notices import _municipality, _names, _project_link
from .services.closing import due_on

END_TASK = "awards.tasks.notify_end_decided"


def grants_owing_the_end(today: datetime.date) -> list[Grant]:
    """Active grants whose period has ended and whose final accounts are not in."""
    grants = Grant.objects.filter(state=GrantState.ACTIVE, end_date__lt=today).select_related(
        "application__pool", "application__lead_municipality"
    )
    submitted = set(
        FinalAccounts.objects.filter(grant__in=grants, state__in=["submitted", "approved"]).values_list(
            "grant_id", flat=True
        )
    )
    return [grant for grant in grants if grant.pk not in submitted]


def end_due(grant: Grant, today: datetime.date) -> bool:
    """The reminder owed today for the final report and accounts, if any."""
    due = due_on(grant)
    owed = owed_reminder(grant.pk, due, today)
    if owed is None:
        return False
    key = f"end_{owed.key}"
    recipients = _municipality(grant)
    if not recipients or Notification.objects.filter(key=key).exists():
        return False
    with translation.override(settings.LANGUAGE_CODE):
        values = {**_names(grant), "date": due_text(due)}
        late = today > due
        subject = (
            _("The final report and accounts for “%(title)s” were due on %(date)s")
            if late
            else _("The final report and accounts for “%(title)s” are due on %(date)s")
        ) % values
        body = "\n\n".join(
            [
                _(
                    "The project “%(title)s” (journal number %(journal)s) has ended. Its final report and the "
                    "audited final accounts are due on %(date)s; the retained last payment waits for them."
                )
                % values,
                _("Write them on the project page:\n%(link)s") % {"link": _project_link(grant)},
            ]
        )
    return deliver(key, owed.kind, None, recipients, subject, body)


def end_decided(what: str, log_id: int) -> bool:
    """SIRI's decision on the final report (`report`) or the final accounts (`accounts`)."""
    model = FinalReportLog if what == "report" else FinalAccountsLog
    field = "report" if what == "report" else "accounts"
    entry = model.objects.select_related(f"{field}__grant__application__lead_municipality").filter(pk=log_id).first()
    if entry is None or entry.transition not in ("accept", "approve", "send_back"):
        return False
    grant = getattr(entry, field).grant
    with translation.override(settings.LANGUAGE_CODE):
        values = {**_names(grant), "reason": entry.reason}
        returned = entry.transition == "send_back"
        if what == "report":
            subject = (
                _("The final report for “%(title)s” is returned")
                if returned
                else _("The final report for “%(title)s” is accepted")
            ) % values
        else:
            subject = (
                _("The final accounts for “%(title)s” are returned")
                if returned
                else _("The final accounts for “%(title)s” are approved")
            ) % values
        lines = [subject + "."]
        if returned:
            lines.append(_("SIRI's reason:\n%(reason)s") % values)
        repayment = Repayment.objects.filter(grant=grant).first() if what == "accounts" and not returned else None
        if repayment is not None:
            lines.append(
                _("%(amount)s is to be paid back by %(date)s; the repayment letter is on the project page.")
                % {"amount": format_dkk(repayment.amount), "date": due_text(repayment.due_on)}
            )
        lines.append(_("The project page:\n%(link)s") % {"link": _project_link(grant)})
    return send_once(f"end-decision:{what}:{entry.pk}", _municipality(grant), subject, "\n\n".join(lines))
