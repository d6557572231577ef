"""The milestone form: a milestone's expected values and activities change while nothing is
handed in, typed the Danish way, every change listed on the project page; then it is closed."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from applications.models import Grant
from monitoring.models import MilestoneChange

from .conftest import goals_of
from .test_views import client, first_quarter, submitted_report

pytestmark = pytest.mark.django_db


def test_a_milestone_changes_while_the_grant_is_young_and_every_change_is_listed(
    young_project: Grant, slagelse_applicant: Any
) -> None:
    milestone = young_project.milestones.first()
    women, attendance = goals_of(young_project)
    url = reverse("monitoring:milestone_edit", args=[young_project.pk, milestone.pk])
    browser = client(slagelse_applicant, "da")

    form = browser.get(url).content.decode()
    assert 'value="4,38"' in form and 'value="70"' in form  # 70 % attendance is expected from the start

    wrong = browser.post(url, {f"expected_{women.pk}": "-1", f"expected_{attendance.pk}": "120"})
    assert wrong.status_code == 200
    assert set(wrong.context["form"].errors) == {f"expected_{women.pk}", f"expected_{attendance.pk}"}
    assert not MilestoneChange.objects.exists()

    data = {
        f"expected_{women.pk}": "3,5",
        f"expected_{attendance.pk}": "10",
        "planned_activities": "Opstart og rekruttering.",
    }
    assert browser.post(url, data).status_code == 302
    assert {(c.field, c.new) for c in MilestoneChange.objects.all()} == {
        ("planned_activities", "Opstart og rekruttering."),
        ("expected", "3.50"),
        ("expected", "10.00"),
    }
    page = client(slagelse_applicant).get(reverse("monitoring:project", args=[young_project.pk])).content.decode()
    assert "Opstart og rekruttering." in page and "4.38 → 3.5" in page

    submitted_report(young_project, slagelse_applicant, first_quarter(young_project))
    blocked = browser.get(url)
    assert blocked.status_code == 409
    assert blocked.context["blocked"]
