"""The daily job's part for grants awaiting acceptance: a reminder three days before the deadline,
the lapse the day after it (the money back in the pool, the lapse letter, the municipality and
SIRI told), each once however often the job runs."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from applications.models import Grant, GrantState
from awards import services
from awards.models import AwardLog
from documents.models import Document, DocumentStatus
from monitoring.models import Notification
from monitoring.reminders import send_reminders

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def run(day: datetime.date, capture: Any, outbox: list[Any]) -> list[Any]:
    before = len(outbox)
    with capture(execute=True):
        send_reminders(day)
    return outbox[before:]


def test_a_reminder_to_accept_three_days_before_the_deadline_once(
    awaiting: Grant, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any, pool_admin: Any
) -> None:
    deadline = services.terms_of(awaiting).accept_by
    assert run(deadline - 4 * DAY, django_capture_on_commit_callbacks, mailoutbox) == []
    sent = run(deadline - 3 * DAY, django_capture_on_commit_callbacks, mailoutbox)
    assert len(sent) == 1
    assert f"{deadline:%d.%m.%Y}" in sent[0].subject and f"{deadline:%d.%m.%Y}" in sent[0].body
    assert set(sent[0].to) == {"slagelse@example.test", "ansvarlig@example.test"}
    assert f"/projects/{awaiting.pk}/" in sent[0].body
    assert run(deadline - 2 * DAY, django_capture_on_commit_callbacks, mailoutbox) == []
    assert run(deadline, django_capture_on_commit_callbacks, mailoutbox) == []
    awaiting.refresh_from_db()
    assert awaiting.state == GrantState.AWAITING_ACCEPTANCE  # the deadline day itself is in time


def test_a_grant_not_accepted_in_time_lapses_once_and_both_sides_are_told(
    awaiting: Grant,
    reviewer: Any,
    pool_admin: Any,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    pool = awaiting.application.pool
    deadline = services.terms_of(awaiting).accept_by
    sent = run(deadline + DAY, django_capture_on_commit_callbacks, mailoutbox)

    awaiting.refresh_from_db()
    assert awaiting.state == GrantState.LAPSED
    entry = AwardLog.objects.get(award=awaiting.pk, transition="lapse")
    assert entry.by is None and f"{deadline:%d.%m.%Y}" in entry.reason
    assert pool.remaining_budget == pool.total_budget == Decimal("10000000.00")
    letter = Document.objects.get(kind="lapse_letter")
    assert letter.status == DocumentStatus.DONE, letter.error
    lapse_mails = [m for m in sent if f"/projects/{awaiting.pk}/" in m.body]
    assert len(lapse_mails) == 1
    assert {"slagelse@example.test", "pooladmin@example.test", "reviewer@example.test"} <= set(lapse_mails[0].to)

    again = run(deadline + 2 * DAY, django_capture_on_commit_callbacks, mailoutbox)
    assert again == []
    assert AwardLog.objects.filter(award=awaiting.pk, transition="lapse").count() == 1
    assert Document.objects.filter(kind="lapse_letter").count() == 1
    assert Notification.objects.filter(key=f"lapsed:{awaiting.pk}").count() == 1


def test_an_accepted_grant_is_not_reminded_and_does_not_lapse(
    running: Grant, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    deadline = services.terms_of(running).accept_by
    run(deadline - 3 * DAY, django_capture_on_commit_callbacks, mailoutbox)
    run(deadline + DAY, django_capture_on_commit_callbacks, mailoutbox)
    running.refresh_from_db()
    assert running.state == GrantState.ACTIVE
    assert not Notification.objects.filter(key__startswith="accept_due").exists()
