"""The municipality is told SIRI's decision on its change request: once, by the task after the
decision, and the daily job does not send it again."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from applications.models import Grant
from awards import services
from awards.models import ChangeKind
from monitoring.reminders import send_reminders

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_decision_on_a_change_request_is_told_once(
    running: Grant,
    slagelse_applicant: Any,
    reviewer: Any,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    years = range(running.start_date.year, running.end_date.year + 1)
    lines = [{"year": y, "category": "salaries", "amount": 400000} for y in years]
    change = services.file_change(
        running.pk, slagelse_applicant, {"kind": ChangeKind.BUDGET, "reason": "Flyt.", "budget_lines": lines}
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.refuse_change(change.pk, reviewer, "Budgettet er uændret.")
    told = [m for m in mailoutbox if f"/projects/{running.pk}/" in m.body]
    assert len(told) == 1
    assert "Budgettet er uændret." in told[0].body
    assert "slagelse@example.test" in told[0].to

    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(timezone.localdate())
    assert len([m for m in mailoutbox if f"/projects/{running.pk}/" in m.body]) == 1


def test_a_decision_whose_task_did_not_run_is_caught_up_by_the_daily_job(
    running: Grant, slagelse_applicant: Any, reviewer: Any, mailoutbox: list[Any]
) -> None:
    years = range(running.start_date.year, running.end_date.year + 1)
    lines = [{"year": y, "category": "salaries", "amount": 400000} for y in years]
    change = services.file_change(
        running.pk, slagelse_applicant, {"kind": ChangeKind.BUDGET, "reason": "Flyt.", "budget_lines": lines}
    )
    services.refuse_change(change.pk, reviewer, "Budgettet er uændret.")  # no commit callbacks: the task never ran
    assert mailoutbox == []

    send_reminders(timezone.localdate())

    assert len([m for m in mailoutbox if "Budgettet er uændret." in m.body]) == 1


def test_a_revocation_is_told_once_with_the_reason(
    running: Grant, reviewer: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    from awards import tasks

    with django_capture_on_commit_callbacks(execute=True):
        services.revoke(running.pk, reviewer, "Projektet er ikke startet.")
    told = [m for m in mailoutbox if "tilbagekaldt" in m.subject]
    assert len(told) == 1
    assert "Projektet er ikke startet." in told[0].body and f"/projects/{running.pk}/" in told[0].body
    assert "slagelse@example.test" in told[0].to

    entry = running.transitions.get(transition="revoke")
    assert tasks.notify_award_decided(entry.pk) is False  # delivered twice by the outbox: sent once
    assert len([m for m in mailoutbox if "tilbagekaldt" in m.subject]) == 1
