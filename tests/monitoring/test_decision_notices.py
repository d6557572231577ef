"""SIRI's acceptance or return of a quarterly report goes by e-mail to the project's people, once."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core import mail

from monitoring import services
from monitoring.models import ReportLog
from monitoring.quarters import Quarter
from monitoring.tasks import notify_report_decision

from .conftest import goals_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def handed_in(granted_project: Any, slagelse_applicant: Any) -> Any:
    women, attendance = goals_of(granted_project)
    first = Quarter.of(granted_project.start_date)
    report = services.create_report(
        granted_project.pk,
        slagelse_applicant,
        {
            "year": first.year,
            "quarter": first.quarter,
            "narrative": "Rekruttering i gang.",
            "enrolled": 20,
            "spent_to_date": Decimal(90000),
            "progress": [
                {"goal": women.pk, "value": Decimal(4)},
                {"goal": attendance.pk, "numerator": 55, "denominator": 100},
            ],
        },
    )
    services.submit_report(report.pk, slagelse_applicant)
    mail.outbox.clear()  # SIRI's notice of the hand-in
    return report


def test_an_acceptance_is_told_once(handed_in: Any, reviewer: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_report(handed_in.pk, reviewer)
    [notice] = mail.outbox
    assert notice.to == ["slagelse@example.test"]
    assert notice.subject.startswith(f"Rapport godkendt: {handed_in.period}")
    entry = ReportLog.objects.get(transition="accept")
    assert notify_report_decision(entry.pk) is False
    assert len(mail.outbox) == 1


def test_a_return_carries_the_reason_and_the_link_to_correct_it(
    handed_in: Any, reviewer: Any, gribskov_applicant: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.return_report(handed_in.pk, reviewer, "Forbruget mangler.")
    [notice] = mail.outbox
    assert notice.to == ["slagelse@example.test"]  # Slagelse's people, not Gribskov's
    assert notice.subject.startswith(f"Rapport sendt tilbage: {handed_in.period}")
    assert "Forbruget mangler." in notice.body
    assert f"/projects/{handed_in.grant_id}/reports/{handed_in.pk}/edit/" in notice.body
