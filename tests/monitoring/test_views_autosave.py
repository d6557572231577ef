"""Two editors on one quarterly report: the form saves only what each tab changed, and a field
both changed keeps the first writer's value and tells the second (core/autosave.py)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from applications.models import Grant
from monitoring import services
from monitoring.models import QuarterlyReport
from tests.autosave import Tab, read_form

from .conftest import goals_of
from .test_views import client, draft_report, first_quarter, submitted_report

ANNE = "Ni kvinder i job: skrevet af Anne."
BO = "Otte kvinder i job: skrevet af Bo i en fane åbnet før Annes ændring."


@pytest.fixture
def draft(granted_project: Grant, slagelse_applicant: Any) -> QuarterlyReport:
    """The second quarter's draft, with a narrative and both goals filled in."""
    quarter = first_quarter(granted_project)
    submitted_report(granted_project, slagelse_applicant, quarter)
    report = draft_report(granted_project, slagelse_applicant, quarter.next())
    women, attendance = goals_of(granted_project)
    progress = [
        {"goal": women.pk, "value": Decimal(6), "comment": ""},
        {"goal": attendance.pk, "numerator": 60, "denominator": 100, "comment": ""},
    ]
    return services.update_report(
        report.pk, slagelse_applicant, {"narrative": "Seks kvinder i job.", "progress": progress}
    )


def two_tabs(user: Any, report: QuarterlyReport) -> tuple[Any, Tab, Any, Tab]:
    """Two sessions of Slagelse's applicant, each with the report's form open before either saves."""
    edit = reverse("monitoring:report_edit", args=[report.grant_id, report.pk])
    save = reverse("monitoring:report_save", args=[report.grant_id, report.pk])
    anne, bo = client(user), client(user)
    return anne, Tab.open(anne, edit, 'id="report-form"', save), bo, Tab.open(bo, edit, 'id="report-form"', save)


def progress(report: QuarterlyReport) -> dict[int, tuple[Decimal, str]]:
    return {p.goal_id: (p.value, p.comment) for p in report.progress.all()}


@pytest.mark.parametrize("how", ["script", "without javascript"])
def test_two_editors_changing_different_fields_both_keep_their_change(
    draft: QuarterlyReport, slagelse_applicant: Any, how: str
) -> None:
    women, attendance = goals_of(draft.grant)
    anne, anne_tab, bo, bo_tab = two_tabs(slagelse_applicant, draft)
    anne_tab.type(narrative=ANNE, **{f"goal_{women.pk}": "9"}).save(anne)

    bo_tab.type(obstacles="Sygdom i teamet.", **{f"goal_{attendance.pk}_comment": "Målt i uge 40."})
    if how == "script":
        assert set(bo_tab.body()["_fields"]) == {"obstacles", f"goal_{attendance.pk}_comment"}
        response = bo_tab.save(bo)
        assert response.status_code == 200 and not bo_tab.conflicts
    else:
        edit = reverse("monitoring:report_edit", args=[draft.grant_id, draft.pk])
        assert bo.post(edit, bo_tab.whole()).status_code == 302

    draft.refresh_from_db()
    assert draft.narrative == ANNE and draft.obstacles == "Sygdom i teamet."
    # The goals are written as a whole; each keeps what its last writer changed.
    assert progress(draft) == {women.pk: (Decimal(9), ""), attendance.pk: (Decimal(60), "Målt i uge 40.")}


def test_two_editors_changing_the_same_field_the_second_is_told_and_nothing_is_lost(
    draft: QuarterlyReport, slagelse_applicant: Any
) -> None:
    women, _attendance = goals_of(draft.grant)
    anne, anne_tab, bo, bo_tab = two_tabs(slagelse_applicant, draft)
    anne_tab.type(narrative=ANNE).save(anne)

    response = bo_tab.type(narrative=BO, enrolled="31").save(bo)
    page = response.content.decode()
    draft.refresh_from_db()
    assert draft.narrative == ANNE and draft.enrolled == 31
    assert bo_tab.conflicts == ["narrative"] and bo_tab.changed() == ["narrative"]  # his text: unsaved, kept
    assert "data-autosave-conflict" in page and ANNE in page and "has not been saved" in page

    # Without JavaScript: his text in the field, hers in the message; saving again keeps his.
    edit = reverse("monitoring:report_edit", args=[draft.grant_id, draft.pk])
    shown = bo.post(edit, bo_tab.whole())
    assert shown.status_code == 200
    html = shown.content.decode()
    assert BO in html and ANNE in html
    draft.refresh_from_db()
    assert draft.narrative == ANNE
    bo.post(edit, read_form(html, 'id="report-form"'))
    draft.refresh_from_db()
    assert draft.narrative == BO and progress(draft)[women.pk] == (Decimal(6), "")


def test_a_goal_both_changed_keeps_the_first_value_and_the_rest_of_the_goals_are_saved(
    draft: QuarterlyReport, slagelse_applicant: Any
) -> None:
    women, attendance = goals_of(draft.grant)
    anne, anne_tab, bo, bo_tab = two_tabs(slagelse_applicant, draft)
    anne_tab.type(**{f"goal_{women.pk}": "9"}).save(anne)
    bo_tab.type(**{f"goal_{women.pk}": "8", f"goal_{attendance.pk}_n": "62"}).save(bo)
    draft.refresh_from_db()
    assert progress(draft) == {women.pk: (Decimal(9), ""), attendance.pk: (Decimal(62), "")}
    assert bo_tab.conflicts == [f"goal_{women.pk}"]
