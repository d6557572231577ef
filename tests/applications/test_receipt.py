"""The receipt on submit: queued on commit, sent once, and delivered by a real worker in CI."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.core import mail

from applications import services
from applications.models import Application
from applications.tasks import send_submission_receipt
from config.celery import app as celery_app

from ..conftest import make_complete_draft, make_pool, require_service


def test_submit_sends_one_receipt_with_the_journal_number(
    slagelse_applicant: Any, django_capture_on_commit_callbacks: Any
) -> None:
    application = make_complete_draft(make_pool(), slagelse_applicant)

    with django_capture_on_commit_callbacks(execute=True):
        submitted = services.submit(application.pk, slagelse_applicant)

    assert len(mail.outbox) == 1
    assert submitted.journal_number in mail.outbox[0].subject
    assert sorted(mail.outbox[0].to) == ["ansvarlig@example.test", "slagelse@example.test"]
    # Running the task again (a retry, a duplicate delivery) sends nothing more.
    assert send_submission_receipt(application.pk) is False
    assert len(mail.outbox) == 1


def test_no_receipt_when_the_submit_fails(slagelse_applicant: Any, django_capture_on_commit_callbacks: Any) -> None:
    application = make_complete_draft(make_pool(), slagelse_applicant)
    application.goals.all().delete()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Exception):  # noqa: B017
        services.submit(application.pk, slagelse_applicant)
    assert callbacks == []
    assert mail.outbox == []


@pytest.mark.worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_receipt(postgres: None, slagelse_applicant: Any) -> None:
    try:
        replies = celery_app.control.ping(timeout=3)
    except Exception as error:
        replies, why = [], str(error)
    else:
        why = "no worker answered a ping"
    require_service("A Celery worker", bool(replies), why)
    application = make_complete_draft(make_pool(), slagelse_applicant)

    services.submit(application.pk, slagelse_applicant)  # commits: the task goes to the broker

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if Application.objects.get(pk=application.pk).receipt_sent_at is not None:
            break
        time.sleep(0.2)
    assert Application.objects.get(pk=application.pk).receipt_sent_at is not None
