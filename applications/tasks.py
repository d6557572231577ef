from __future__ import annotations

import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.money import format_dkk
from core.notices import TRANSIENT_ERRORS, addresses, send_once, site_url

from .models import Application, TransitionLog

# The decisions whose notice goes to the applicant's people by e-mail.
NOTIFIED_DECISIONS = ("grant", "reject", "return_for_revision")


@shared_task(
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def send_submission_receipt(application_id: int) -> bool:
    """E-mail the receipt with the journal number. Idempotent: a receipt goes out once."""
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("created_by", "lead_municipality")
            .filter(pk=application_id, receipt_sent_at__isnull=True)
            .first()
        )
        if application is None or application.journal_number is None:
            return False
        recipients = sorted(
            {e for e in (application.grant_responsible_email, getattr(application.created_by, "email", "")) if e}
        )
        # In the site's language, whichever language the request that queued it was in (a task
        # run in-process would otherwise inherit it).
        if recipients:
            with translation.override(settings.LANGUAGE_CODE):
                _send_receipt(application, recipients)
        application.receipt_sent_at = timezone.now()
        application.save(update_fields=["receipt_sent_at"])
        return True


def _send_receipt(application: Application, recipients: list[str]) -> None:
    values = {
        "title": application.title,
        "municipality": application.lead_municipality.name,
        "number": application.journal_number,
        "at": timezone.localtime(application.submitted_at).strftime("%d.%m.%Y %H:%M"),
        "link": site_url(reverse("applications:detail", args=[application.pk])),
        "name": application.declared_by_name,
        "title_of": application.declared_by_title,
    }
    lines = [
        _(
            "SIRI has received the application “%(title)s” from %(municipality)s.\n"
            "Journal number: %(number)s\nReceived: %(at)s\n"
        )
        % values
    ]
    if application.declared_at:
        lines.append(_("The declaration is confirmed by %(name)s, %(title_of)s.") % values)
    lines.append(
        _(
            "The receipt, the application as submitted and, later, SIRI's decision are under Documents on "
            "the application's page:\n%(link)s"
        )
        % values
    )
    send_mail(
        subject=_("Receipt: application %(number)s received") % values,
        message="\n\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
    )


def _decision_text(entry: TransitionLog) -> tuple[str, str]:
    application = entry.application
    values = {
        "number": application.journal_number,
        "title": application.title,
        "municipality": application.lead_municipality.name,
        "reason": entry.reason,
        "link": site_url(reverse("applications:detail", args=[application.pk])),
    }
    if entry.transition == "grant":
        grant = getattr(application, "award", None)
        values["amount"] = format_dkk(grant.amount) if grant else "–"
        subject = _("Decision: application %(number)s is granted") % values
        lines = [
            _(
                "SIRI has granted %(amount)s to the application “%(title)s” (journal number %(number)s) "
                "from %(municipality)s."
            )
            % values,
            _("The grant letter with the conditions of the grant is on the application's page:\n%(link)s") % values,
        ]
    elif entry.transition == "reject":
        subject = _("Decision: application %(number)s is rejected") % values
        lines = [
            _("SIRI has rejected the application “%(title)s” (journal number %(number)s) from %(municipality)s.")
            % values,
            _("SIRI's reason:\n%(reason)s") % values,
            _("The rejection letter is on the application's page:\n%(link)s") % values,
        ]
    else:
        values["link"] = site_url(reverse("applications:edit", args=[application.pk]))
        subject = _("Application %(number)s is returned for revision") % values
        lines = [
            _(
                "SIRI has returned the application “%(title)s” (journal number %(number)s) from %(municipality)s "
                "for revision."
            )
            % values,
            _("SIRI's reason:\n%(reason)s") % values,
            _("Revise the application and submit it again:\n%(link)s") % values,
        ]
    lines.append(_("This is an automatic notice from Puljeflow to the people named on the application."))
    return subject, "\n\n".join(lines)


@shared_task(autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=5)
def send_decision_notice(log_id: int) -> bool:
    """E-mail SIRI's decision (grant, rejection, return) to the people named on the application:
    its creator, the grant-responsible person and the contact. Once per decision: the notice is
    recorded under the decision's log entry (`core.notices.send_once`)."""
    entry = (
        TransitionLog.objects.select_related("application__created_by", "application__lead_municipality")
        .filter(pk=log_id, transition__in=NOTIFIED_DECISIONS)
        .first()
    )
    if entry is None:
        return False
    application = entry.application
    recipients = addresses(
        [
            getattr(application.created_by, "email", ""),
            application.grant_responsible_email,
            application.contact_email,
        ]
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = _decision_text(entry)
    return send_once(f"application-decision:{entry.pk}", recipients, subject, body)
