"""A milestone knows when its quarter's report was first handed in (`Milestone.handed_in_at`):
the lists of reports owed (SIRI's late reports, a municipality's due ones, the project list's
next report) ask it instead of matching every past quarter to its report."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from applications.models import Grant
from core.inbox import inbox_for
from monitoring import services
from monitoring.models import Milestone, QuarterlyReport

from .handed_in import wrong_hand_ins
from .test_services import complete_data, first_quarter

pytestmark = pytest.mark.django_db


def _late_titles(user: Any) -> list[str]:
    shown = {entry.section.key: entry for entry in inbox_for(user, timezone.localdate())}
    return [item.title for item, _countdown in shown["monitoring-late"].items]


def test_a_quarter_is_owed_until_its_report_is_first_handed_in(
    granted_project: Grant, slagelse_applicant: Any, reviewer: Any
) -> None:
    quarter = first_quarter(granted_project)
    milestone = granted_project.milestones.get(year=quarter.year, quarter=quarter.quarter)
    title = f"{granted_project.application.title} · {quarter}"
    assert title in _late_titles(reviewer)  # its due date is past

    report = services.create_report(granted_project.pk, slagelse_applicant, complete_data(granted_project, quarter))
    assert Milestone.objects.owed().filter(pk=milestone.pk).exists()  # a draft is not handed in

    services.submit_report(report.pk, slagelse_applicant)
    first = QuarterlyReport.objects.get(pk=report.pk).first_submitted_at
    assert Milestone.objects.get(pk=milestone.pk).handed_in_at == first
    assert title not in _late_titles(reviewer)

    # Returned and handed in again: the first hand-in stays the one that counts, as timeliness has it.
    services.return_report(report.pk, reviewer, "Tallene for fremmøde mangler forklaring.")
    services.submit_report(report.pk, slagelse_applicant)
    assert Milestone.objects.get(pk=milestone.pk).handed_in_at == first
    assert not wrong_hand_ins()


def test_a_report_saved_or_deleted_outside_the_services_tells_its_milestone(granted_project: Grant) -> None:
    quarter = first_quarter(granted_project).next()
    at = timezone.now() - datetime.timedelta(days=3)
    report = QuarterlyReport.objects.create(
        grant=granted_project, year=quarter.year, quarter=quarter.quarter, submitted_at=at, first_submitted_at=at
    )
    milestone = granted_project.milestones.get(year=quarter.year, quarter=quarter.quarter)
    assert Milestone.objects.get(pk=milestone.pk).handed_in_at == at
    report.delete()  # a report without a log of its hand-in (one written in bulk, say) can go
    assert Milestone.objects.get(pk=milestone.pk).handed_in_at is None
    assert not wrong_hand_ins()
