from __future__ import annotations

import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Application


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
        if recipients:
            send_mail(
                subject=_("Receipt: application %(number)s received") % {"number": application.journal_number},
                message=_(
                    "SIRI has received the application “%(title)s” from %(municipality)s.\n"
                    "Journal number: %(number)s\nReceived: %(at)s\n"
                )
                % {
                    "title": application.title,
                    "municipality": application.lead_municipality.name,
                    "number": application.journal_number,
                    "at": timezone.localtime(application.submitted_at).strftime("%d.%m.%Y %H:%M"),
                },
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=recipients,
            )
        application.receipt_sent_at = timezone.now()
        application.save(update_fields=["receipt_sent_at"])
        return True
