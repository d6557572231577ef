"""The reminder job and the submitted notice: what is sent when, to whom, and never twice.

Time is the `today` handed to the job, as the scheduler's run of that day would see it.
"""

from __future__ import annotations

import datetime
import re
import smtplib
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from celery.schedules import crontab
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from django.utils.translation import gettext

from applications.accounts import set_person
from applications.models import Grant
from config.celery import app as celery_app
from monitoring import services, tasks
from monitoring.models import Milestone, Notification, NotificationKind
from monitoring.reminders import send_reminders

from .conftest import goals_of

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages: Any) -> int:
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def first_milestone(grant: Grant) -> Milestone:
    return grant.milestones.order_by("year", "quarter").first()


def says_days(text: str, days: int) -> bool:
    """The text names the number of days (rendered in Danish once the catalogue has the text)."""
    return re.search(rf"\b{days} (days?|dage?)\b", text) is not None


def run(day: datetime.date) -> list[Any]:
    """Run the job on `day`; the mails it sent."""
    before = len(mail.outbox)
    send_reminders(day)
    return mail.outbox[before:]


def report_data(grant: Grant, milestone: Milestone) -> dict[str, Any]:
    women, attendance = goals_of(grant)
    return {
        "year": milestone.year,
        "quarter": milestone.quarter,
        "narrative": "Fem kvinder i job.",
        "enrolled": 30,
        "spent_to_date": Decimal("120000"),
        "progress": [
            {"goal": women.pk, "value": Decimal(5), "comment": ""},
            {"goal": attendance.pk, "numerator": 61, "denominator": 100, "comment": ""},
        ],
    }


def test_reminders_go_out_14_days_before_on_the_due_day_and_weekly_while_late(
    granted_project: Grant, mailoutbox: list[Any], settings: Any
) -> None:
    settings.SITE_URL = "https://puljeflow.example.dk/"
    milestone = first_milestone(granted_project)
    due = milestone.report_due_on

    sent = {offset: run(due + offset * DAY) for offset in range(-20, 22)}

    assert {offset: len(mails) for offset, mails in sent.items() if mails} == {-14: 1, 0: 1, 7: 1, 14: 1, 21: 1}
    with translation.override("da"):
        quarter = str(milestone.period)
    for mails in sent.values():
        for message in mails:
            assert message.to == ["slagelse@example.test"]
            # The subject names the project, the quarter and the due date in the Danish format.
            assert granted_project.application.title in message.subject
            assert quarter in message.subject
            assert f"{due:%d.%m.%Y}" in message.subject
            assert f"https://puljeflow.example.dk/projects/{granted_project.pk}/" in message.body
    assert says_days(sent[-14][0].body, 14)
    assert re.search(r"due today|frist i dag", sent[0][0].body)
    assert says_days(sent[7][0].body, 7)
    assert says_days(sent[14][0].body, 14)
    assert sorted(Notification.objects.values_list("key", flat=True)) == sorted(
        [
            f"due_soon:{milestone.pk}",
            f"due_today:{milestone.pk}",
            f"late:{milestone.pk}:1",
            f"late:{milestone.pk}:2",
            f"late:{milestone.pk}:3",
        ]
    )
    assert set(Notification.objects.values_list("kind", flat=True)) == {
        NotificationKind.DUE_SOON,
        NotificationKind.DUE_TODAY,
        NotificationKind.LATE,
    }


def test_running_the_job_twice_sends_nothing_twice(granted_project: Grant, mailoutbox: list[Any]) -> None:
    due = first_milestone(granted_project).report_due_on

    assert len(run(due)) == 1
    assert run(due) == []
    assert run(due + DAY) == []
    assert Notification.objects.count() == 1


def test_a_missed_day_is_made_up_once_and_missed_weeks_are_not_a_burst(
    granted_project: Grant, mailoutbox: list[Any]
) -> None:
    milestone = first_milestone(granted_project)
    due = milestone.report_due_on

    # The job did not run on the due day: the next run sends the due-day reminder, saying what is true.
    late_by_two = run(due + 2 * DAY)
    assert len(late_by_two) == 1
    assert says_days(late_by_two[0].body, 2)
    assert Notification.objects.get().key == f"due_today:{milestone.pk}"
    assert run(due + 3 * DAY) == []

    # Three weeks without a run: one reminder, the latest owed, not the two it missed.
    assert len(run(due + 23 * DAY)) == 1
    assert Notification.objects.filter(kind=NotificationKind.LATE).get().key == f"late:{milestone.pk}:3"
    assert run(due + 27 * DAY) == []
    assert len(run(due + 28 * DAY)) == 1


def test_nothing_for_a_report_that_was_handed_in_but_a_draft_is_reminded(
    granted_project: Grant, slagelse_applicant: Any, reviewer: Any, mailoutbox: list[Any]
) -> None:
    milestone = first_milestone(granted_project)
    due = milestone.report_due_on
    report = services.create_report(
        granted_project.pk, slagelse_applicant, report_data(granted_project, milestone), today=due - 20 * DAY
    )

    assert len(run(due - 14 * DAY)) == 1  # a draft is not handed in

    services.submit_report(report.pk, slagelse_applicant)
    assert run(due) == []
    assert run(due + 7 * DAY) == []

    # Returned to the municipality: it was handed in once, and SIRI's return is the message now.
    services.return_report(report.pk, reviewer, "Uddyb fremmødet.")
    assert run(due + 14 * DAY) == []


def test_only_the_project_municipalitys_active_applicants_are_reminded(
    granted_project: Grant,
    gribskov_project: Grant,
    personas: dict[str, Any],
    mailoutbox: list[Any],
) -> None:
    set_person("slagelse2", "applicant", ["330"], "kollega@slagelse.example", "pw")
    gone, _created = set_person("slagelse3", "applicant", ["330"], "stoppet@slagelse.example", "pw")
    gone.is_active = False
    gone.save()
    set_person("slagelse4", "applicant", ["330"], "", "pw")  # no address to write to

    due = first_milestone(granted_project).report_due_on
    assert first_milestone(gribskov_project).report_due_on == due
    mails = run(due)

    by_project = {message.subject: sorted(message.to) for message in mails}
    assert len(mails) == 2
    recipients = sorted(sorted(message.to) for message in mails)
    assert recipients == [["gribskov@example.test"], ["kollega@slagelse.example", "slagelse@example.test"]]
    slagelse_mail = next(m for m in mails if "slagelse@example.test" in m.to)
    assert f"/projects/{granted_project.pk}/" in slagelse_mail.body
    assert f"/projects/{gribskov_project.pk}/" not in slagelse_mail.body
    # The committee member and the ambassador of Slagelse, and SIRI, get no reminders.
    everyone = {address for addresses in by_project.values() for address in addresses}
    assert not everyone & {"udvalg@example.test", "ambassador@example.test", "reviewer@example.test"}


def test_a_failed_send_is_not_recorded_and_the_next_run_sends_it(
    granted_project: Grant, mailoutbox: list[Any], settings: Any
) -> None:
    due = first_milestone(granted_project).report_due_on
    settings.EMAIL_BACKEND = "tests.monitoring.test_reminders.FailingBackend"

    result = send_reminders(due)
    assert result.sent == 0
    assert isinstance(result.failed[0], smtplib.SMTPException)
    assert not Notification.objects.exists()
    with pytest.raises(CommandError, match="could not be sent"):
        call_command("send_reminders", "--today", due.isoformat(), stdout=StringIO())

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert len(run(due)) == 1
    assert Notification.objects.count() == 1


def test_the_command_runs_the_job_for_a_day_and_says_how_many_were_sent(
    granted_project: Grant, mailoutbox: list[Any]
) -> None:
    due = first_milestone(granted_project).report_due_on
    out = StringIO()

    call_command("send_reminders", "--today", due.isoformat(), stdout=out)
    call_command("send_reminders", "--today", due.isoformat(), stdout=out)

    assert out.getvalue().splitlines() == ["Sent 1 reminder(s).", "Sent 0 reminder(s)."]
    assert len(mailoutbox) == 1
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--today", "31.10.2026", stdout=StringIO())


def test_the_celery_task_and_the_daily_schedule(granted_project: Grant, mailoutbox: list[Any]) -> None:
    due = first_milestone(granted_project).report_due_on

    assert tasks.send_reminders.delay(due.isoformat()).get() == 1
    assert tasks.send_reminders.delay(due.isoformat()).get() == 0

    entry = celery_app.conf.beat_schedule["monitoring-send-reminders"]
    assert entry["task"] == tasks.send_reminders.name
    assert entry["schedule"] == crontab(hour=6, minute=0)
    assert celery_app.conf.timezone == "Europe/Copenhagen"


# The notice that a report was handed in ----------------------------------------------------------


def submit(grant: Grant, user: Any, report_id: int, capture: Any) -> None:
    with capture(execute=True):
        services.submit_report(report_id, user)


def test_the_reviewer_who_granted_and_the_pool_admins_hear_of_each_submission_once(
    granted_project: Grant,
    slagelse_applicant: Any,
    reviewer: Any,
    second_reviewer: Any,
    pool_admin: Any,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    milestone = first_milestone(granted_project)
    report = services.create_report(
        granted_project.pk, slagelse_applicant, report_data(granted_project, milestone), today=milestone.report_due_on
    )

    submit(granted_project, slagelse_applicant, report.pk, django_capture_on_commit_callbacks)

    assert len(mailoutbox) == 1
    notice = mailoutbox[0]
    assert sorted(notice.to) == ["pooladmin@example.test", "reviewer@example.test"]  # not the other reviewer
    assert granted_project.application.title in notice.subject
    assert f"/projects/{granted_project.pk}/reports/{report.pk}/" in notice.body
    # The task delivered twice (a retry, a second worker) sends nothing more.
    assert tasks.notify_report_submitted.delay(report.pk).get() is False
    assert len(mailoutbox) == 1

    # Returned and handed in again: a new submission, a new notice.
    services.return_report(report.pk, second_reviewer, "Uddyb fremmødet.")
    submit(granted_project, slagelse_applicant, report.pk, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 2
    with translation.override("da"):
        assert gettext("The report was returned earlier and has now been handed in again.") in mailoutbox[1].body
    assert Notification.objects.filter(kind=NotificationKind.SUBMITTED, milestone=milestone).count() == 2

    # Decided before a late worker got to it: nothing to read any more, nothing sent.
    services.accept_report(report.pk, reviewer)
    assert tasks.notify_report_submitted.delay(report.pk).get() is False
    assert len(mailoutbox) == 2
