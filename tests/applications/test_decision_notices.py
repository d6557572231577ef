"""SIRI's decisions on an application (grant, rejection, return) go by e-mail to the people named
on it, once, through the outbox: a broker that is down delays the notice, never the decision."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail

from applications import services
from applications.models import Application, State, TransitionLog
from applications.tasks import send_decision_notice
from core import outbox
from core.models import OutboxMessage, SentNotice

from ..conftest import application_in_state, approve, make_complete_draft, make_pool, review

pytestmark = pytest.mark.django_db
NOTICE = "applications.tasks.send_decision_notice"


def _decided(name: str) -> TransitionLog:
    return TransitionLog.objects.filter(transition=name).latest("id")


@pytest.fixture
def ready(slagelse_applicant: Any, reviewer: Any) -> Application:
    """Politically approved and reviewed, the contact named too."""
    application = make_complete_draft(make_pool(), slagelse_applicant)
    Application.objects.filter(pk=application.pk).update(contact_email="kontakt@example.test")
    services.submit(application.pk, slagelse_applicant)
    approve(application, slagelse_applicant)
    review(application, reviewer)
    mail.outbox.clear()  # the receipt
    return Application.objects.get(pk=application.pk)


PEOPLE = ["ansvarlig@example.test", "kontakt@example.test", "slagelse@example.test"]


def test_a_grant_is_told_once_to_the_people_named_on_the_application(
    ready: Application, reviewer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.grant(ready.pk, reviewer, Decimal("900000"))

    assert len(mail.outbox) == 1
    notice = mail.outbox[0]
    assert sorted(notice.to) == PEOPLE
    assert notice.subject == f"Afgørelse: ansøgning {ready.journal_number} er bevilget"
    assert "900.000 kr." in notice.body and ready.title in notice.body
    assert f"/applications/{ready.pk}/" in notice.body
    # A retry or a second delivery of the task sends nothing more.
    entry = _decided("grant")
    assert send_decision_notice(entry.pk) is False
    assert len(mail.outbox) == 1
    assert SentNotice.objects.get().key == f"application-decision:{entry.pk}"


def test_a_rejection_carries_sirs_reason(
    ready: Application, reviewer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.reject(ready.pk, reviewer, "Målene er ikke konkrete nok.")
    [notice] = mail.outbox
    assert notice.subject == f"Afgørelse: ansøgning {ready.journal_number} er afvist"
    assert "Målene er ikke konkrete nok." in notice.body


def test_a_return_says_why_and_where_to_revise(
    slagelse_applicant: Any, reviewer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    submitted = application_in_state(State.SUBMITTED, make_pool(), slagelse_applicant, reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        services.return_for_revision(submitted.pk, reviewer, "Budgettet mangler årsværk.")
    [notice] = mail.outbox
    assert notice.subject == f"Ansøgning {submitted.journal_number} er sendt tilbage til revision"
    assert sorted(notice.to) == ["ansvarlig@example.test", "slagelse@example.test"]
    assert "Budgettet mangler årsværk." in notice.body
    assert f"/applications/{submitted.pk}/edit/" in notice.body


def test_the_applicants_own_steps_send_no_decision_notice(
    slagelse_applicant: Any, reviewer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        application = application_in_state(State.WITHDRAWN, make_pool(), slagelse_applicant, reviewer)
    assert not OutboxMessage.objects.filter(task=NOTICE).exists()
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Kvittering"]  # the receipt only
    assert application.journal_number in mail.outbox[0].subject


def test_nobody_to_tell_records_nothing(
    ready: Application, reviewer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    Application.objects.filter(pk=ready.pk).update(grant_responsible_email="", contact_email="")
    ready.created_by.email = ""
    ready.created_by.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.reject(ready.pk, reviewer, "Ikke konkret.")
    assert mail.outbox == []
    assert not SentNotice.objects.exists()


def test_with_the_broker_down_the_decision_stands_and_the_sweep_sends_the_notice_once(
    ready: Application,
    reviewer: Any,
    mailoutbox: list[Any],
    broker_down: Callable[[], None],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.reject(ready.pk, reviewer, "Ikke konkret.")
    assert Application.objects.get(pk=ready.pk).state == State.REJECTED
    assert OutboxMessage.objects.filter(task=NOTICE, sent_at__isnull=True).count() == 1
    assert not any("afvist" in m.subject for m in mailoutbox)

    broker_down()  # the broker is back
    outbox.sweep(older_than=datetime.timedelta(0))
    decision = f"Afgørelse: ansøgning {ready.journal_number} er afvist"
    assert [m.subject for m in mailoutbox].count(decision) == 1
    # Delivered twice (a send that timed out but arrived): still one e-mail.
    OutboxMessage.objects.update(sent_at=None)
    outbox.sweep(older_than=datetime.timedelta(0))
    assert [m.subject for m in mailoutbox].count(decision) == 1
