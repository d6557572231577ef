"""The monitoring pages: the project page with its charts, the milestone form's permissions, the
report form (typed Danish, errors kept on the page, saved through htmx or without JavaScript),
submitting behind a confirmation, SIRI's accept and return. Who may open what, the milestone
form and the pool dashboard have files of their own (test_views_permissions.py,
test_views_milestones.py, test_views_dashboard.py)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applications.models import Grant
from monitoring import services
from monitoring.forms import QuarterForm
from monitoring.models import (
    FipScore,
    NationalKpi,
    QuarterlyReport,
    ReportLog,
    ReportState,
)
from monitoring.quarters import Quarter

from ..conftest import page_client_for
from .conftest import goals_of

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def client(user: Any, language: str = "en") -> Client:
    """Text is asserted in English so that a later Danish translation does not break the tests."""
    browser = page_client_for(user)
    browser.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    return browser


def first_quarter(grant: Grant) -> Quarter:
    return Quarter.of(grant.start_date)


def complete(grant: Grant, quarter: Quarter, women: int = 5, attendance: int = 61, **extra: Any) -> dict[str, Any]:
    women_goal, attendance_goal = goals_of(grant)
    return {
        "year": quarter.year,
        "quarter": quarter.quarter,
        "narrative": "Fem kvinder i job.",
        "enrolled": 30,
        "spent_to_date": Decimal("120000"),
        "progress": [
            {"goal": women_goal.pk, "value": Decimal(women), "comment": ""},
            {"goal": attendance_goal.pk, "numerator": attendance, "denominator": 100, "comment": ""},
        ],
        **extra,
    }


def submitted_report(grant: Grant, user: Any, quarter: Quarter, **data: Any) -> QuarterlyReport:
    report = services.create_report(grant.pk, user, complete(grant, quarter, **data))
    return services.submit_report(report.pk, user)


def draft_report(grant: Grant, user: Any, quarter: Quarter) -> QuarterlyReport:
    return services.create_report(grant.pk, user, {"year": quarter.year, "quarter": quarter.quarter})


def form_data(grant: Grant, **changes: Any) -> dict[str, Any]:
    """The report form as a browser posts it, every field blank unless given."""
    women, attendance = goals_of(grant)
    data: dict[str, Any] = {
        f"goal_{women.pk}": "",
        f"goal_{women.pk}_comment": "",
        f"goal_{attendance.pk}_n": "",  # a share: n of N
        f"goal_{attendance.pk}_total": "",
        f"goal_{attendance.pk}_comment": "",
        "enrolled": "",
        "spent_to_date": "",
        "narrative": "",
        "obstacles": "",
        "adjustments": "",
        "self_supporting_share": "",
        "job_ready_share": "",
        "company_activation_share": "",
    }
    data.update(changes)
    return data


REASON = {"reason": "Uddyb hvorfor fremmødet faldt."}


@pytest.fixture
def reported(granted_project: Grant, slagelse_applicant: Any) -> dict[str, Any]:
    """Slagelse's project with its first quarter handed in and its second a draft."""
    quarter = first_quarter(granted_project)
    return {
        "grant": granted_project,
        "submitted": submitted_report(granted_project, slagelse_applicant, quarter),
        "draft": draft_report(granted_project, slagelse_applicant, quarter.next()),
    }


def test_the_menu_and_the_pool_list_lead_to_monitoring(
    granted_project: Grant, slagelse_applicant: Any, reviewer: Any
) -> None:
    projects, overview = reverse("monitoring:projects"), reverse("monitoring:overview")
    dashboard = reverse("monitoring:dashboard", args=[granted_project.application.pool_id])
    municipal = client(slagelse_applicant).get(reverse("applications:mine")).content.decode()
    assert f'href="{projects}"' in municipal and f'href="{overview}"' not in municipal
    siri = client(reviewer).get(reverse("applications:pools")).content.decode()
    assert f'href="{overview}"' in siri and f'href="{dashboard}"' in siri
    assert f'href="{dashboard}"' not in client(slagelse_applicant).get(reverse("applications:pools")).content.decode()
    siri_overview = client(reviewer).get(overview).content.decode()
    assert f'href="{dashboard}"' in siri_overview and "No report waits for a decision." in siri_overview


# The municipality's projects ---------------------------------------------------------------------


def test_my_projects_show_risk_next_report_and_late_reports(
    granted_project: Grant, gribskov_project: Grant, slagelse_applicant: Any
) -> None:
    page = client(slagelse_applicant).get(reverse("monitoring:projects")).content.decode()
    assert granted_project.application.journal_number in page
    assert gribskov_project.application.journal_number not in page
    today = timezone.localdate()
    overdue = [m for m in granted_project.milestones.all() if m.report_due_on < today]
    assert len(overdue) >= 2  # the period began three quarters ago
    assert len(re.findall(r"\d+ days? late", page)) == len(overdue)
    assert "High" in page  # the reporting signal makes the project high-risk
    due = next(m for m in granted_project.milestones.all() if m.report_due_on >= today)
    assert f"{due.period}: {due.report_due_on:%d.%m.%Y}" in page
    assert reverse("monitoring:report_create", args=[granted_project.pk]) in page


# The project page --------------------------------------------------------------------------------


def test_the_project_page_charts_each_goal_with_its_status_and_forecast(
    granted_project: Grant, slagelse_applicant: Any
) -> None:
    quarter = first_quarter(granted_project)
    submitted_report(granted_project, slagelse_applicant, quarter, women=0, attendance=61)
    url = reverse("monitoring:project", args=[granted_project.pk])

    page = client(slagelse_applicant).get(url).content.decode()
    women, _attendance = goals_of(granted_project)
    assert page.count('role="img"') == 2
    assert f'aria-labelledby="chart-goal-{women.pk}-title chart-goal-{women.pk}-desc"' in page
    assert "Target 35; expected by now 4.38; reached 0." in page
    # 70 % attendance is a level: expected at 70 % from the first quarter, 61 % is off track.
    assert "Target 70 %, held at a point in time; expected by now 70 %; latest 61 %." in page
    # The same numbers as a table for screen readers, every quarter of the period.
    table = re.search(r'<table class="sr-only">.*?</table>', page, re.S).group(0)
    assert table.count('<th scope="row">') == 8 and "4.38" in table
    assert "<polyline" in page and "<circle" in page
    headings = re.findall(r'<h3 id="goal-\d+-heading">.*?</h3>', page, re.S)
    assert all("Off track" in heading for heading in headings) and len(headings) == 2
    assert "On track" not in page
    assert "Not at this pace" in page  # 0 women so far: no forecast
    assert "61 of 100" in page and "87.1 % of the target" in page  # 61 of 70
    for signal in ("Reporting", "Budget", "Performance"):
        assert signal in page
    assert granted_project.application.journal_number in page
    assert "800.000 kr." in page

    danish = client(slagelse_applicant, "da").get(url).content.decode()
    assert "4,38" in danish and "8,75" in danish
    assert granted_project.start_date.strftime("%d.%m.%Y") in danish


@pytest.mark.parametrize(("women", "after_the_end"), [(5, False), (2, True)])
def test_a_forecast_after_the_project_ends_says_so(
    granted_project: Grant, slagelse_applicant: Any, women: int, after_the_end: bool
) -> None:
    """5 of 35 women in the first quarter reach the target within the project's two years at that
    pace, 2 only years after it has ended: the page says so, as the PDFs do."""
    submitted_report(granted_project, slagelse_applicant, first_quarter(granted_project), women=women)
    page = client(slagelse_applicant).get(reverse("monitoring:project", args=[granted_project.pk])).content.decode()
    assert "at the current pace" in page
    assert ("at the current pace (after the project ends)" in page) is after_the_end


def test_the_project_page_lists_milestones_and_reports_with_their_states(
    reported: dict[str, Any], slagelse_applicant: Any, reviewer: Any
) -> None:
    grant = reported["grant"]
    url = reverse("monitoring:project", args=[grant.pk])
    submitted, draft = reported["submitted"], reported["draft"]

    own = client(slagelse_applicant).get(url)
    assert len(own.context["milestones"]) == 8
    statuses = [row.status for row in own.context["milestones"]]
    assert statuses[:2] == ["submitted", "draft"]
    assert statuses[-1] == "upcoming"
    page = own.content.decode()
    assert reverse("monitoring:report", args=[grant.pk, submitted.pk]) in page
    assert reverse("monitoring:report_edit", args=[grant.pk, draft.pk]) in page
    # Handed in: the milestones are fixed now.
    assert reverse("monitoring:milestone_edit", args=[grant.pk, grant.milestones.first().pk]) not in page

    siri = client(reviewer).get(url)
    assert [row.status for row in siri.context["milestones"]][:2] == ["submitted", "late"]  # a draft is not SIRI's
    assert reverse("monitoring:report", args=[grant.pk, draft.pk]) not in siri.content.decode()


# The report form ---------------------------------------------------------------------------------


def test_a_report_is_created_for_a_begun_quarter_without_one(granted_project: Grant, slagelse_applicant: Any) -> None:
    url = reverse("monitoring:report_create", args=[granted_project.pk])
    browser = client(slagelse_applicant)
    quarter = first_quarter(granted_project)
    submitted_report(granted_project, slagelse_applicant, quarter)

    form = browser.get(url).context["form"]
    codes = [code for code, _label in form.fields["quarter"].choices]
    # Four quarters have begun (three before the current one), the first has its report.
    assert codes == [QuarterForm.code(q) for q in (quarter.next(), quarter.next().next(), quarter.next().next().next())]

    taken = browser.post(url, {"quarter": QuarterForm.code(quarter)})
    assert taken.status_code == 200 and "quarter" in taken.context["form"].errors
    created = browser.post(url, {"quarter": QuarterForm.code(quarter.next())})
    report = QuarterlyReport.objects.get(
        grant=granted_project, quarter=quarter.next().quarter, year=quarter.next().year
    )
    assert created["Location"] == reverse("monitoring:report_edit", args=[granted_project.pk, report.pk])
    assert report.state == ReportState.DRAFT


def test_the_report_form_saves_every_part_typed_the_danish_way(
    reported: dict[str, Any], slagelse_applicant: Any, pool_admin: Any
) -> None:
    grant, draft = reported["grant"], reported["draft"]
    services.set_national_kpi(pool_admin, draft.year, draft.quarter, {"self_supporting_share": Decimal("14.5")})
    women, attendance = goals_of(grant)
    url = reverse("monitoring:report_edit", args=[grant.pk, draft.pk])
    browser = client(slagelse_applicant, "da")

    # The previous quarter's handed-in values beside the fields, and the national average.
    english = client(slagelse_applicant).get(url).content.decode()
    assert (
        f"Handed in for {first_quarter(grant)}: 5<" in english
        and f"Handed in for {first_quarter(grant)}: 61 %<" in english
    )
    page = browser.get(url).content.decode()
    assert "14,5 %" in page
    assert page.count('class="form-input input-width-xs"') >= 16 + 6  # FIP grid and outcomes

    data = form_data(
        grant,
        **{
            f"goal_{women.pk}": "9",
            f"goal_{attendance.pk}_n": "129",
            f"goal_{attendance.pk}_total": "200",
            f"goal_{attendance.pk}_comment": "Bedre fremmøde efter sommerferien.",
            "enrolled": "32",
            "spent_to_date": "412.500",
            "narrative": "Ni kvinder i job.",
            "self_supporting_share": "12,5",
            "fip_health_citizen": "4,5",
            "fip_health_caseworker": "5",
        },
    )
    response = browser.post(url, data)
    assert response.status_code == 302 and response["Location"] == url
    draft.refresh_from_db()
    assert draft.spent_to_date == Decimal("412500.00") and draft.enrolled == 32
    assert draft.self_supporting_share == Decimal("12.50") and draft.job_ready_share is None
    # 129 of 200 days attended: the share is computed, 64,5 %.
    assert {(p.goal_id, p.value, p.numerator, p.denominator) for p in draft.progress.all()} == {
        (women.pk, Decimal(9), None, None),
        (attendance.pk, Decimal("64.5"), 129, 200),
    }
    assert {(s.dimension, s.respondent, s.average) for s in FipScore.objects.filter(report=draft)} == {
        ("health", "citizen", Decimal("4.5")),
        ("health", "caseworker", Decimal(5)),
    }

    again = browser.get(url).content.decode()
    assert 'value="412.500"' in again and 'value="129"' in again and 'value="4,5"' in again


def test_form_errors_are_named_on_their_fields_and_nothing_typed_is_lost(
    reported: dict[str, Any], slagelse_applicant: Any
) -> None:
    grant, draft = reported["grant"], reported["draft"]
    women, attendance = goals_of(grant)
    url = reverse("monitoring:report_edit", args=[grant.pk, draft.pk])
    data = form_data(
        grant,
        **{
            f"goal_{women.pk}": "3",  # lower than the 5 handed in, without a comment
            f"goal_{attendance.pk}_n": "66",
            f"goal_{attendance.pk}_total": "100",
            "enrolled": "-1",
            "spent_to_date": "mange penge",
            "narrative": "Færre i job end sidst.",
            "self_supporting_share": "120",
            "fip_health_citizen": "9",
            "outcome_end_participants": "10",
        },
    )
    response = client(slagelse_applicant).post(url, data)

    assert response.status_code == 200
    form = response.context["form"]
    assert {"enrolled", "spent_to_date", "self_supporting_share", "fip_health_citizen", "outcome_end_employed"} <= set(
        form.errors
    )
    assert any("went down from 5 to 3" in str(m) for m in form.section_errors["progress"])
    page = response.content.decode()
    for typed in (
        'value="120"',
        'value="mange penge"',
        'value="9"',
        'value="-1"',
        'value="3"',
        "Færre i job end sidst.",
    ):
        assert typed in page
    assert "A percentage is from 0 to 100." in page and "A FIP average is from 1 to 7." in page
    # What was valid is saved; the parts in error keep their saved value.
    draft.refresh_from_db()
    assert draft.narrative == "Færre i job end sidst."
    assert draft.enrolled is None and draft.self_supporting_share is None
    assert not draft.progress.exists() and not draft.fip.exists()


def test_the_htmx_save_answers_with_the_status_only(reported: dict[str, Any], slagelse_applicant: Any) -> None:
    grant, draft = reported["grant"], reported["draft"]
    url = reverse("monitoring:report_save", args=[grant.pk, draft.pk])
    browser = client(slagelse_applicant)

    saved = browser.post(url, form_data(grant, narrative="Skrevet undervejs."), **HTMX)
    assert saved.status_code == 200 and b"<html" not in saved.content
    assert "Saved" in saved.content.decode()
    draft.refresh_from_db()
    assert draft.narrative == "Skrevet undervejs."

    wrong = browser.post(url, form_data(grant, enrolled="-3", narrative="Stadig gemt."), **HTMX).content.decode()
    # One status: not saved, naming the field in error (marked at the field by the page's script).
    assert "Not saved." in wrong and 'href="#id_enrolled"' in wrong and "Saved" not in wrong
    draft.refresh_from_db()
    assert draft.narrative == "Stadig gemt."

    services.submit_report(
        services.update_report(
            draft.pk,
            slagelse_applicant,
            {**complete(grant, draft.period, women=6), "year": draft.year, "quarter": draft.quarter},
        ).pk,
        slagelse_applicant,
    )
    late = browser.post(url, form_data(grant, narrative="For sent."), **HTMX).content.decode()
    assert "cannot be changed" in late


# Submitting ------------------------------------------------------------------------------------


def test_submit_asks_for_confirmation_lists_what_is_missing_and_then_submits(
    reported: dict[str, Any], slagelse_applicant: Any
) -> None:
    grant, draft = reported["grant"], reported["draft"]
    women, attendance = goals_of(grant)
    edit = reverse("monitoring:report_edit", args=[grant.pk, draft.pk])
    submit = reverse("monitoring:report_submit", args=[grant.pk, draft.pk])
    browser = client(slagelse_applicant)

    # "Save and submit…" saves what is typed and goes to the confirmation.
    then = browser.post(edit, form_data(grant, narrative="Seks kvinder i job.", then="submit"))
    assert then.status_code == 302 and then["Location"] == submit
    confirmation = browser.get(submit)
    assert confirmation.status_code == 200 and "Submit the report for" in confirmation.content.decode()
    draft.refresh_from_db()
    assert draft.state == ReportState.DRAFT

    refused = browser.post(submit)
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Give the money spent to date." in page and "Give the number of people enrolled." in page
    assert f'href="{edit}#id_spent_to_date"' in page and f'href="{edit}#goals"' in page
    draft.refresh_from_db()
    assert draft.state == ReportState.DRAFT

    browser.post(
        edit,
        form_data(
            grant,
            **{f"goal_{women.pk}": "6", f"goal_{attendance.pk}_n": "63", f"goal_{attendance.pk}_total": "100"},
            enrolled="31",
            spent_to_date="150.000",
            narrative="Seks kvinder i job.",
        ),
    )
    done = browser.post(submit)
    assert done.status_code == 302 and done["Location"] == reverse("monitoring:report", args=[grant.pk, draft.pk])
    draft.refresh_from_db()
    assert draft.state == ReportState.SUBMITTED
    assert ReportLog.objects.filter(report=draft, transition="submit", by=slagelse_applicant).exists()
    assert browser.get(edit).status_code == 302  # no longer a draft: the read view


# SIRI's decisions ------------------------------------------------------------------------------


def test_siri_accepts_a_report_after_confirming(
    reported: dict[str, Any], reviewer: Any, slagelse_applicant: Any
) -> None:
    grant, report = reported["grant"], reported["submitted"]
    detail = reverse("monitoring:report", args=[grant.pk, report.pk])
    accept = reverse("monitoring:report_decide", args=[grant.pk, report.pk, "accept"])
    browser = client(reviewer)

    page = browser.get(detail).content.decode()
    assert f'href="{accept}"' in page and "Fem kvinder i job." in page
    assert f'href="{accept}"' not in client(slagelse_applicant).get(detail).content.decode()

    question = browser.get(accept).content.decode()
    assert "Accept the report for" in question and "Slagelse" in question
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED

    done = browser.post(accept, {"confirm": "1"})
    assert done.status_code == 302 and done["Location"] == detail
    report.refresh_from_db()
    assert report.state == ReportState.ACCEPTED
    history = client(slagelse_applicant).get(detail).content.decode()
    assert "Submitted → Accepted" in history and "Draft → Submitted" in history

    again = browser.get(accept)
    assert again.status_code == 409 and "cannot be accepted while it is Accepted" in again.content.decode()


def test_siri_returns_a_report_with_a_reason_the_municipality_sees(
    reported: dict[str, Any], reviewer: Any, slagelse_applicant: Any
) -> None:
    grant, report = reported["grant"], reported["submitted"]
    url = reverse("monitoring:report_decide", args=[grant.pk, report.pk, "return"])
    browser = client(reviewer)

    without = browser.post(url, {"reason": " ", "confirm": "1"})
    assert without.status_code == 200 and "reason" in without.context["form"].errors
    confirmation = browser.post(url, REASON).content.decode()
    assert "It becomes a draft again" in confirmation
    assert 'type="hidden" name="reason"' in confirmation
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED

    assert browser.post(url, {**REASON, "confirm": "1"}).status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT and report.returned_reason == REASON["reason"]
    edit = client(slagelse_applicant).get(reverse("monitoring:report_edit", args=[grant.pk, report.pk]))
    assert REASON["reason"] in edit.content.decode()


def test_no_national_kpi_is_said_plainly(reported: dict[str, Any], slagelse_applicant: Any) -> None:
    grant, draft = reported["grant"], reported["draft"]
    assert not NationalKpi.objects.exists()
    page = client(slagelse_applicant).get(reverse("monitoring:report_edit", args=[grant.pk, draft.pk])).content.decode()
    assert "has not entered the national average" in page


def test_a_reports_page_shows_its_figures_beside_the_latest_handed_in_before(
    reported: dict[str, Any], slagelse_applicant: Any
) -> None:
    grant, submitted, draft = reported["grant"], reported["submitted"], reported["draft"]
    first = first_quarter(grant)

    def goal_rows(report: QuarterlyReport) -> list[str]:
        page = client(slagelse_applicant).get(reverse("monitoring:report", args=[grant.pk, report.pk]))
        return re.findall(r'<td class="number">(.*?)</td>\s*<td class="number">(.*?)</td>', page.content.decode())[:2]

    # The first quarter's own figures, nothing before them; the next quarter's draft, not filled
    # in, beside what the first handed in.
    assert goal_rows(submitted) == [("5 ", "–"), ('61 % <span class="form-hint">(61 of 100)</span>', "–")]
    assert goal_rows(draft) == [
        ('<span class="badge badge-warning">Not given</span>', f"5 ({first})"),
        ('<span class="badge badge-warning">Not given</span>', f"61 ({first})"),
    ]
