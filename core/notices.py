"""Notices by e-mail that go out once: a decision's notice to the applicant's people, whatever
number of times its task runs (the outbox may deliver a message twice, a task may be retried).

`send_once` records the notice under a key naming what it is about and sends the e-mail in one
transaction: a failed send rolls the record back, so a retry sends it; two runs at once both try
to insert the key, and the database lets only one of them through.
"""

from __future__ import annotations

import smtplib
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction

from .models import SentNotice

# Errors of the mail server or the network: worth another try later. Anything else is a bug.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (smtplib.SMTPException, ConnectionError, OSError)


def site_url(path: str) -> str:
    """An absolute link for an e-mail: there is no request to take the host from."""
    return settings.SITE_URL.rstrip("/") + path


def addresses(candidates: Iterable[str | None]) -> list[str]:
    """The distinct e-mail addresses among `candidates`, blanks left out, in a stable order."""
    return sorted({address.strip() for address in candidates if address and address.strip()})


def send_once(key: str, recipients: list[str], subject: str, body: str) -> bool:
    """Send the notice `key` unless it was sent before; whether it was sent now. With nobody to
    tell nothing is recorded, so the notice is not lost for someone added later."""
    if not recipients or SentNotice.objects.filter(key=key).exists():
        return False
    try:
        with transaction.atomic():
            SentNotice.objects.create(key=key, recipients=", ".join(recipients), subject=subject[:300])
            EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to=recipients).send()
    except IntegrityError:
        return False
    return True
