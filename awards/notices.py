"""The e-mails of the grant administration: the reminder to accept, the notice that a grant
lapsed, that payments were held or released, and that a change request was decided. Each is
sent through monitoring's `deliver` under a key that names it, so it goes out once, however
often the job or the task runs; always in the site's language (Danish).

SIRI's decisions on the grant itself (its revocation) go as the applications' decisions do,
once per decision, recorded under the decision's log entry (`core.notices.send_once`)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from applications.models import Grant
from core.money import format_dkk
from core.notices import addresses, send_once
from monitoring.models import Notification, NotificationKind
from monitoring.reminders import deliver, due_text, project_people, siri_people, site_url

from .models import AwardLog, ChangeRequest, ChangeState, PaymentLog, PaymentState

ACCEPT_REMINDER_DAYS = 3


def _project_link(grant: Grant) -> str:
    return site_url(reverse("monitoring:project", kwargs={"grant_pk": grant.pk}))


def _municipality(grant: Grant) -> list[str]:
    """The applicants of the lead municipality and the grant-responsible person of the application."""
    people = project_people(grant.application.lead_municipality_id)
    responsible = grant.application.grant_responsible_email
    return sorted({*people, responsible} - {""})


def _names(grant: Grant) -> dict[str, str]:
    application = grant.application
    return {
        "title": application.title,
        "municipality": application.lead_municipality.name,
        "journal": application.journal_number or "–",
        "amount": format_dkk(grant.amount),
    }


def _send(key: str, recipients: list[str], subject: str, body: str) -> bool:
    if not recipients or Notification.objects.filter(key=key).exists():
        return False
    return deliver(key, NotificationKind.NOTICE, None, recipients, subject, body)


def acceptance_due(grant: Grant, accept_by: datetime.date) -> bool:
    """Three days before the deadline, once: accept the grant or it lapses."""
    with translation.override(settings.LANGUAGE_CODE):
        values = {**_names(grant), "date": due_text(accept_by)}
        subject = _("Accept the grant for “%(title)s” by %(date)s") % values
        body = "\n\n".join(
            [
                _(
                    "SIRI has granted %(municipality)s %(amount)s for the project “%(title)s” (journal number "
                    "%(journal)s). The grant must be accepted by %(date)s; a grant not accepted by then lapses, "
                    "and its money returns to the pool."
                )
                % values,
                _("The grant-responsible person accepts it on the project page:\n%(link)s")
                % {"link": _project_link(grant)},
            ]
        )
    return _send(f"accept_due:{grant.pk}", _municipality(grant), subject, body)


def lapsed(grant: Grant, accept_by: datetime.date) -> bool:
    """The municipality and SIRI are told that a grant lapsed."""
    with translation.override(settings.LANGUAGE_CODE):
        values = {**_names(grant), "date": due_text(accept_by)}
        subject = _("The grant for “%(title)s” has lapsed") % values
        body = "\n\n".join(
            [
                _(
                    "The grant of %(amount)s to %(municipality)s for the project “%(title)s” (journal number "
                    "%(journal)s) was not accepted by %(date)s and has lapsed. Its money is back in the pool."
                )
                % values,
                _("The lapse letter is on the project page:\n%(link)s") % {"link": _project_link(grant)},
            ]
        )
    recipients = sorted(set(_municipality(grant)) | set(siri_people(grant.granted_by)))
    return _send(f"lapsed:{grant.pk}", recipients, subject, body)


def payments_changed(grant_id: int, log_ids: list[int]) -> bool:
    """Payments held because a report is late, or released because it was handed in."""
    entries = list(PaymentLog.objects.filter(pk__in=log_ids).select_related("payment").order_by("payment__due_on"))
    grant = Grant.objects.select_related("application__lead_municipality", "granted_by").filter(pk=grant_id).first()
    if not entries or grant is None:
        return False
    held = [entry for entry in entries if entry.target == PaymentState.HELD]
    with translation.override(settings.LANGUAGE_CODE):
        values = _names(grant)
        rows = "\n".join(f"- {due_text(entry.payment.due_on)}: {format_dkk(entry.payment.amount)}" for entry in entries)
        if held:
            subject = _("Payment held: “%(title)s”") % values
            lines = [
                _("SIRI holds these payments of the grant to %(municipality)s for “%(title)s”:") % values,
                rows,
                held[0].reason,
            ]
        else:
            subject = _("Payment released: “%(title)s”") % values
            lines = [
                _("These payments of the grant to %(municipality)s for “%(title)s” are no longer held:") % values,
                rows,
                entries[0].reason,
            ]
        lines.append(_("See the payments on the project page:\n%(link)s") % {"link": _project_link(grant)})
    recipients = sorted(set(_municipality(grant)) | set(siri_people(grant.granted_by)))
    return _send(f"payments:{grant.pk}:{min(log_ids)}", recipients, subject, "\n\n".join(str(x) for x in lines))


def change_decided(change_id: int) -> bool:
    """The municipality is told SIRI's decision on its change request, with the reason."""
    change = (
        ChangeRequest.objects.select_related("grant__application__lead_municipality")
        .filter(pk=change_id, state__in=[ChangeState.APPROVED, ChangeState.REFUSED])
        .first()
    )
    if change is None:
        return False
    grant = change.grant
    with translation.override(settings.LANGUAGE_CODE):
        values = {**_names(grant), "kind": change.get_kind_display().lower()}
        if change.state == ChangeState.APPROVED:
            subject = _("Change approved: “%(title)s”") % values
            first = _("SIRI has approved the change request (%(kind)s) for the project “%(title)s”.") % values
        else:
            subject = _("Change refused: “%(title)s”") % values
            first = _("SIRI has refused the change request (%(kind)s) for the project “%(title)s”.") % values
        lines = [first]
        if change.decision_reason:
            lines.append(_("Reason: %(reason)s") % {"reason": change.decision_reason})
        lines.append(_("The decision letter is on the project page:\n%(link)s") % {"link": _project_link(grant)})
    return _send(f"change_decided:{change.pk}", _municipality(grant), subject, "\n\n".join(lines))


# SIRI's decisions on the grant (core.notices) ------------------------------------------------------

NOTIFIED_DECISIONS = ("revoke", "close")


def _decision_text(entry: AwardLog) -> tuple[str, str]:
    grant = entry.award
    values = {**_names(grant), "reason": entry.reason}
    if entry.transition == "close":
        lines = [
            _("SIRI has closed the grant to %(municipality)s for the project “%(title)s” (journal number %(journal)s).")
            % values,
            _(
                "The closing letter is on the project page, where the follow-ups after 3 and 12 months are "
                "reported:\n%(link)s"
            )
            % {"link": _project_link(grant)},
        ]
        return _("The grant for “%(title)s” is closed") % values, "\n\n".join(str(line) for line in lines)
    subject = _("The grant for “%(title)s” is revoked") % values
    lines = [
        _(
            "SIRI has revoked the grant of %(amount)s to %(municipality)s for the project “%(title)s” "
            "(journal number %(journal)s). Nothing more is paid, and what was paid is claimed back."
        )
        % values,
        _("SIRI's reason:\n%(reason)s") % values,
        _("The revocation letter, with the appeal guidance, is on the project page:\n%(link)s")
        % {"link": _project_link(grant)},
    ]
    return subject, "\n\n".join(str(line) for line in lines)


def award_decided(log_id: int) -> bool:
    """SIRI's decision on a grant, to the municipality and the people named on the application."""
    entry = (
        AwardLog.objects.select_related("award__application__lead_municipality", "award__application__created_by")
        .filter(pk=log_id, transition__in=NOTIFIED_DECISIONS)
        .first()
    )
    if entry is None:
        return False
    application = entry.award.application
    recipients = addresses(
        [*_municipality(entry.award), getattr(application.created_by, "email", ""), application.contact_email]
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = _decision_text(entry)
    return send_once(f"award-decision:{entry.pk}", recipients, subject, body)
