"""The outbox (issue 11): a broker that is down loses nothing and breaks no submit, and a crash
between submitting and the automatic political approval cannot leave half a submit behind."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from applications import services
from applications.models import Application, State
from applications.services import decisions
from config.celery import app as celery_app
from core import outbox
from core import tasks as core_tasks
from core.models import OutboxMessage
from documents.models import Document, DocumentStatus
from monitoring import services as monitoring_services
from monitoring.models import Notification, NotificationKind

from ..conftest import DECLARATION, approve, client_for, make_complete_draft, make_pool, page_client_for
from ..monitoring.conftest import goals_of, make_grant, recent_period

pytestmark = pytest.mark.django_db

DEAD_BROKER = "redis://127.0.0.1:1/0"
RECEIPT = "applications.tasks.send_submission_receipt"
BUILD = "documents.tasks.build_document"
NOTICE = "monitoring.tasks.notify_report_submitted"
NOW = datetime.timedelta(0)


def unsent() -> list[str]:
    return sorted(OutboxMessage.objects.filter(sent_at__isnull=True).values_list("task", flat=True))


def assert_receipt_delivered_once(application: Application, mailoutbox: list[Any], back: Callable[[], None]) -> None:
    """The broker was down: nothing sent yet, all of it waiting in the outbox; once it is back
    the sweep sends it, and sweeping again (or delivering twice) sends nothing more."""
    assert mailoutbox == []
    assert unsent() == [RECEIPT, BUILD, BUILD]  # the e-mail, the receipt and application PDFs
    receipt = OutboxMessage.objects.get(task=RECEIPT)
    assert receipt.args == [application.pk] and receipt.attempts == 1 and receipt.last_error
    assert set(Document.objects.values_list("status", flat=True)) == {DocumentStatus.PENDING}

    assert outbox.sweep(older_than=NOW) == 0  # still down: still waiting, no error
    assert len(unsent()) == 3

    back()
    assert outbox.sweep(older_than=NOW) == 3
    assert unsent() == []
    assert len(mailoutbox) == 1
    assert application.journal_number in mailoutbox[0].subject
    assert set(Document.objects.values_list("status", flat=True)) == {DocumentStatus.DONE}

    assert outbox.sweep(older_than=NOW) == 0
    # Even delivered twice (a send that timed out but arrived): the tasks record what they did.
    OutboxMessage.objects.update(sent_at=None)
    assert outbox.sweep(older_than=NOW) == 3
    assert len(mailoutbox) == 1


def test_api_submit_with_the_broker_down_succeeds_and_the_sweep_sends_the_receipt_once(
    slagelse_applicant: Any,
    mailoutbox: list[Any],
    broker_down: Callable[[], None],
    django_capture_on_commit_callbacks: Any,
) -> None:
    application = make_complete_draft(make_pool(), slagelse_applicant)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(slagelse_applicant).post(
            f"/api/v1/applications/{application.pk}/submit/", DECLARATION, format="json"
        )

    assert response.status_code == 200
    application.refresh_from_db()
    assert application.state == State.SUBMITTED and application.journal_number
    assert_receipt_delivered_once(application, mailoutbox, broker_down)


def test_page_submit_with_the_broker_down_succeeds_and_the_sweep_sends_the_receipt_once(
    slagelse_applicant: Any,
    mailoutbox: list[Any],
    broker_down: Callable[[], None],
    django_capture_on_commit_callbacks: Any,
) -> None:
    application = make_complete_draft(make_pool(), slagelse_applicant)

    with django_capture_on_commit_callbacks(execute=True):
        response = page_client_for(slagelse_applicant).post(
            reverse("applications:submit", args=[application.pk]), DECLARATION
        )

    assert response.status_code == 302
    assert response["Location"] == reverse("applications:receipt", args=[application.pk])
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    assert_receipt_delivered_once(application, mailoutbox, broker_down)


def test_the_command_sweeps_the_outbox(
    slagelse_applicant: Any,
    mailoutbox: list[Any],
    broker_down: Callable[[], None],
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    application = make_complete_draft(make_pool(), slagelse_applicant)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(application.pk, slagelse_applicant)
    broker_down()
    settings.OUTBOX_SWEEP_GRACE = NOW
    out = StringIO()
    call_command("sweep_outbox", stdout=out)
    assert out.getvalue().strip() == "Sent 3 message(s); 0 still waiting."
    assert len(mailoutbox) == 1


def test_the_sweep_runs_every_minute_in_beat() -> None:
    entry = celery_app.conf.beat_schedule["core-sweep-outbox"]
    assert entry["task"] == "core.tasks.sweep_outbox" and entry["schedule"] == 60.0
    assert core_tasks.sweep_outbox.name == "core.tasks.sweep_outbox"


def test_report_submit_with_the_broker_down_succeeds_and_siri_hears_of_it_once(
    slagelse_applicant: Any,
    reviewer: Any,
    pool_admin: Any,
    mailoutbox: list[Any],
    broker_down: Callable[[], None],
    django_capture_on_commit_callbacks: Any,
) -> None:
    # Not accepted: no payment plan, so the hand-in hands over only monitoring's notice (an
    # accepted grant's held payments would be released through the outbox as well).
    grant = make_grant(slagelse_applicant, reviewer, *recent_period(), accepted=False)
    milestone = grant.milestones.order_by("year", "quarter").first()
    women, attendance = goals_of(grant)
    report = monitoring_services.create_report(
        grant.pk,
        slagelse_applicant,
        {
            "year": milestone.year,
            "quarter": milestone.quarter,
            "narrative": "Fem kvinder i job.",
            "enrolled": 30,
            "spent_to_date": Decimal("120000"),
            "progress": [
                {"goal": women.pk, "value": Decimal(5), "comment": ""},
                {"goal": attendance.pk, "numerator": 61, "denominator": 100, "comment": ""},
            ],
        },
        today=milestone.report_due_on,
    )
    mailoutbox.clear()
    OutboxMessage.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(slagelse_applicant).post(f"/api/v1/reports/{report.pk}/submit/")

    assert response.status_code == 200
    assert unsent() == [NOTICE]
    assert mailoutbox == []

    broker_down()
    assert outbox.sweep(older_than=NOW) == 1
    assert outbox.sweep(older_than=NOW) == 0
    OutboxMessage.objects.update(sent_at=None)  # delivered twice
    assert outbox.sweep(older_than=NOW) == 1
    assert len(mailoutbox) == 1
    assert sorted(mailoutbox[0].to) == ["pooladmin@example.test", "reviewer@example.test"]
    assert Notification.objects.filter(kind=NotificationKind.SUBMITTED).count() == 1


def test_without_a_broker_the_task_runs_in_process_on_commit(
    slagelse_applicant: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    application = make_complete_draft(make_pool(), slagelse_applicant)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(application.pk, slagelse_applicant)
    assert len(mailoutbox) == 1
    assert unsent() == []
    assert OutboxMessage.objects.filter(task=RECEIPT, attempts=1, sent_at__isnull=False).count() == 1


def test_a_rolled_back_transaction_takes_its_message_along(django_capture_on_commit_callbacks: Any) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        outbox.send_later(RECEIPT, 1)
        raise RuntimeError("crash")
    assert callbacks == []
    assert OutboxMessage.objects.count() == 0


def test_a_task_that_fails_in_process_is_kept_for_the_sweep(
    slagelse_applicant: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    """Without a broker a mail server that is down loses the receipt no more than a broker does."""
    application = make_complete_draft(make_pool(), slagelse_applicant)
    settings.EMAIL_BACKEND = "tests.monitoring.test_reminders.FailingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(application.pk, slagelse_applicant)
    assert Application.objects.get(pk=application.pk).state == State.SUBMITTED
    assert unsent() == [RECEIPT]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox.sweep(older_than=NOW) == 1
    assert len(mailoutbox) == 1


def test_the_sweep_leaves_fresh_messages_to_their_own_hand_off(
    broker_down: Callable[[], None], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.send_later(RECEIPT, 1)  # tried on commit; the broker is down
    message.refresh_from_db()
    assert message.attempts == 1 and message.sent_at is None
    broker_down()
    assert outbox.sweep() == 0  # younger than OUTBOX_SWEEP_GRACE
    OutboxMessage.objects.update(created_at=message.created_at - datetime.timedelta(minutes=1))
    assert outbox.sweep() == 1


# A crash between submitting and the automatic political approval ---------------------------------


def test_a_crash_before_the_automatic_approval_rolls_the_whole_submit_back(
    slagelse_applicant: Any, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    application = make_complete_draft(make_pool(), slagelse_applicant)
    approve(application, slagelse_applicant)  # every approval on record before the submit

    def crash(application_id: int, user: Any) -> None:
        raise RuntimeError("the process died")

    monkeypatch.setattr(decisions, "approve_if_complete", crash)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        services.submit(application.pk, slagelse_applicant)

    application.refresh_from_db()
    assert application.state == State.DRAFT
    assert application.journal_number is None and application.submitted_at is None
    assert not application.transitions.exists()
    assert not Document.objects.exists() and not OutboxMessage.objects.exists()
    assert callbacks == []

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(application.pk, slagelse_applicant)
    application.refresh_from_db()
    assert application.state == State.POLITICALLY_APPROVED
    assert list(application.transitions.order_by("id").values_list("transition", flat=True)) == [
        "submit",
        "approve_politically",
    ]


def test_the_last_approval_and_the_automatic_approval_are_one_transaction(
    slagelse_applicant: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    application = make_complete_draft(make_pool(), slagelse_applicant)
    services.submit(application.pk, slagelse_applicant)

    def crash(application_id: int, user: Any) -> None:
        raise RuntimeError("the process died")

    monkeypatch.setattr(decisions, "approve_if_complete", crash)
    with pytest.raises(RuntimeError):
        approve(application, slagelse_applicant)
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    assert not application.political_approvals.exists()
