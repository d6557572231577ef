"""No CPR numbers in the free texts (databeskyttelsesloven § 11): the validator, every guarded
field the API and the pages accept, and `find_cpr` for what was stored before (or past) it."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from ambassadors import forms as ambassador_forms
from ambassadors import services as ambassador_services
from ambassadors.models import Ambassador, BestPractice, Theme
from applications.forms import application as application_forms
from applications.forms import review as review_forms
from applications.models import Application, Grant, State
from core import forms as core_forms
from core.management.commands.find_cpr import findings
from core.validators import validate_no_cpr
from monitoring import forms as monitoring_forms
from monitoring import services as monitoring_services
from monitoring.quarters import Quarter

from ..ambassadors.conftest import slagelse_ambassador  # noqa: F401  (fixture)
from ..conftest import application_in_state, client_for, make_complete_draft, page_client_for, review
from ..monitoring.conftest import goals_of, granted_project  # noqa: F401  (fixture)

API = "/api/v1"
CPR = "Borger 010190-1234 har fået job."
MESSAGE = "This looks like a CPR number"


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


# The validator -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "010190-1234",
        "0101901234",
        "Borger 010190-1234 i praktik",
        "borger (0101901234).",
        "010190 1234",
        "290204-1234",  # 29 February of a leap year (2004, by the seventh digit)
        "311299-9999",  # no modulus-11 check: numbers since 2007 need not satisfy it
        ["mentor", "010190-1234"],  # a list of tags
    ],
)
def test_a_cpr_number_is_refused(text: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_no_cpr(text)
    assert refused.value.code == "cpr_number"
    assert "pseudonymous code" in str(refused.value.messages[0])
    assert "010190" not in str(refused.value.messages[0])  # never repeats the number


@pytest.mark.parametrize(
    "text",
    [
        "",
        "320190-1234",  # no 32nd day
        "011390-1234",  # no 13th month
        "290201-1234",  # 2001 was no leap year
        "+45 12 34 56 78",  # a phone number
        "58 57 36 00",
        "2.171.981",  # an amount
        "2.171.981,50 kr.",
        "010190123456",  # 12 digits are no CPR number
        "12010190-1234",  # nor are ten digits in a longer run
        "0101901234567",
        "29188505",  # a CVR number
        "35 kvinder i beskæftigelse i 2027",
        ["mentor", "kvinder"],
    ],
)
def test_other_numbers_are_accepted(text: Any) -> None:
    validate_no_cpr(text)


# The API ------------------------------------------------------------------------------------------

# Each case: the fixtures' objects in, (user, method, path, body, field named in the 400) out.
Case = Callable[[Any], tuple[Any, str, str, dict[str, Any], str]]

APPLICATION_TEXTS = [
    "title",
    "purpose",
    "target_group_description",
    "current_effort",
    "approach",
    "objectives",
    "methods",
    "political_anchoring",
    "management",
    "cross_sector_ownership",
    "continuation",
    "committee_briefing",
    "anchoring",
    "applicant_unit",
    "applicant_address",
    "grant_responsible_name",
    "grant_responsible_title",
    "contact_name",
]


def _draft(request: Any) -> Application:
    return make_complete_draft(request.getfixturevalue("pool"), request.getfixturevalue("slagelse_applicant"))


def _submitted(request: Any) -> Application:
    applicant = request.getfixturevalue("slagelse_applicant")
    return application_in_state(State.SUBMITTED, request.getfixturevalue("pool"), applicant, _reviewer(request))


def _reviewer(request: Any) -> Any:
    return request.getfixturevalue("reviewer")


def _application_text(field: str) -> Case:
    def case(request: Any) -> tuple[Any, str, str, dict[str, Any], str]:
        draft = _draft(request)
        return draft.created_by, "patch", f"/applications/{draft.pk}/", {field: CPR}, field

    return case


def _child(kind: str, body: dict[str, Any], field: str) -> Case:
    def case(request: Any) -> tuple[Any, str, str, dict[str, Any], str]:
        draft = _draft(request)
        return draft.created_by, "post", f"/applications/{draft.pk}/{kind}/", body, field

    return case


def _review_comment(request: Any) -> tuple[Any, str, str, dict[str, Any], str]:
    application = _submitted(request)
    body = {"scores": {"Mål": 4, "Organisering": 3}, "recommendation": "grant", "comment": CPR}
    return _reviewer(request), "post", f"/applications/{application.pk}/reviews/", body, "comment"


def _decision(action: str) -> Case:
    def case(request: Any) -> tuple[Any, str, str, dict[str, Any], str]:
        application = _submitted(request)
        return _reviewer(request), "post", f"/applications/{application.pk}/{action}/", {"reason": CPR}, "reason"

    return case


def _withdraw_reason(request: Any) -> tuple[Any, str, str, dict[str, Any], str]:
    draft = _draft(request)
    return draft.created_by, "post", f"/applications/{draft.pk}/withdraw/", {"reason": CPR}, "reason"


def _grant_conditions(request: Any) -> tuple[Any, str, str, dict[str, Any], str]:
    applicant, reviewer = request.getfixturevalue("slagelse_applicant"), _reviewer(request)
    application = application_in_state(State.POLITICALLY_APPROVED, request.getfixturevalue("pool"), applicant, reviewer)
    review(application, reviewer)
    body = {"amount": "900000", "conditions": CPR}
    return reviewer, "post", f"/applications/{application.pk}/grant/", body, "conditions"


def _pool_description(request: Any) -> tuple[Any, str, str, dict[str, Any], str]:
    pool = request.getfixturevalue("pool")
    return request.getfixturevalue("pool_admin"), "patch", f"/pools/{pool.pk}/", {"description": CPR}, "description"


def _report(field: str, where: str | None = None) -> Case:
    """A quarterly report created through the API with the CPR number in `field`."""

    def case(request: Any) -> tuple[Any, str, str, dict[str, Any], str]:
        grant: Grant = request.getfixturevalue("granted_project")
        women, _attendance = goals_of(grant)
        quarter = Quarter.of(grant.start_date)
        body: dict[str, Any] = {"year": quarter.year, "quarter": quarter.quarter, "narrative": "Fem i job."}
        if field == "progress":
            body["progress"] = [{"goal": women.pk, "value": 5, "comment": CPR}]
        else:
            body[field] = CPR
        applicant = grant.application.created_by
        return applicant, "post", f"/grants/{grant.pk}/reports/", body, where or field

    return case


def _milestone_activities(request: Any) -> tuple[Any, str, str, dict[str, Any], str]:
    grant: Grant = request.getfixturevalue("granted_project")
    milestone = grant.milestones.first()
    body = {"planned_activities": CPR}
    return grant.application.created_by, "patch", f"/milestones/{milestone.pk}/", body, "planned_activities"


def _report_return_reason(request: Any) -> tuple[Any, str, str, dict[str, Any], str]:
    grant: Grant = request.getfixturevalue("granted_project")
    applicant = grant.application.created_by
    quarter = Quarter.of(grant.start_date)
    report = monitoring_services.create_report(
        grant.pk, applicant, {"year": quarter.year, "quarter": quarter.quarter, "narrative": "Fem i job."}
    )
    _submit_report(report.pk, applicant)
    return _reviewer(request), "post", f"/reports/{report.pk}/return/", {"reason": CPR}, "reason"


def _submit_report(pk: int, user: Any) -> None:
    """Submit a report with what a submit needs: every goal's progress and the KPIs."""
    report = monitoring_services.update_report(pk, user, _complete_report(pk))
    monitoring_services.submit_report(report.pk, user)


def _complete_report(pk: int) -> dict[str, Any]:
    from monitoring.models import QuarterlyReport

    report = QuarterlyReport.objects.get(pk=pk)
    women, attendance = goals_of(report.grant)
    return {
        "enrolled": 30,
        "spent_to_date": Decimal("120000"),
        "progress": [
            {"goal": women.pk, "value": Decimal(5)},
            {"goal": attendance.pk, "numerator": 61, "denominator": 100},
        ],
    }


def _ambassador(request: Any) -> Ambassador:
    return request.getfixturevalue("slagelse_ambassador")


def _ambassador_report(field: str, where: str | None = None) -> Case:
    def case(request: Any) -> tuple[Any, str, str, dict[str, Any], str]:
        ambassador = _ambassador(request)
        women, _attendance = goals_of(ambassador.grant)
        quarter = Quarter.of(ambassador.grant.start_date)
        body: dict[str, Any] = {"year": quarter.year, "quarter": quarter.quarter, "narrative": "Netværk."}
        if field == "contributions":
            body["contributions"] = [{"goal": women.pk, "value": "3", "comment": CPR}]
        else:
            body[field] = CPR
        return ambassador.user, "post", "/ambassador-reports/", body, where or field

    return case


def _ambassador_return_reason(request: Any) -> tuple[Any, str, str, dict[str, Any], str]:
    ambassador = _ambassador(request)
    quarter = Quarter.of(ambassador.grant.start_date)
    report = ambassador_services.create_report(
        ambassador.user, {"year": quarter.year, "quarter": quarter.quarter, "narrative": "Fire virksomheder."}
    )
    ambassador_services.submit_report(report.pk, ambassador.user)
    return _reviewer(request), "post", f"/ambassador-reports/{report.pk}/return/", {"reason": CPR}, "reason"


def _practice(field: str) -> Case:
    def case(request: Any) -> tuple[Any, str, str, dict[str, Any], str]:
        ambassador = _ambassador(request)
        body: dict[str, Any] = {
            "municipality": "330",
            "theme": "other",
            "title": "Sprogmakkere",
            "summary": "Frivillige.",
        }
        body[field] = [CPR] if field == "tags" else CPR
        return ambassador.user, "post", "/best-practices/", body, field

    return case


def _meeting(field: str) -> Case:
    def case(request: Any) -> tuple[Any, str, str, dict[str, Any], str]:
        body = {"held_on": "2026-11-03", "place": "Slagelse", field: CPR}
        return _reviewer(request), "post", "/network-meetings/", body, field

    return case


API_CASES: dict[str, Case] = {
    **{f"application {field}": _application_text(field) for field in APPLICATION_TEXTS},
    "target group name": _child("target-groups", {"name": CPR, "size": 3}, "name"),
    "target group description": _child("target-groups", {"name": "unge", "size": 3, "description": CPR}, "description"),
    "goal title": _child("goals", {"title": CPR, "kind": "count", "target_value": "5"}, "title"),
    "goal unit": _child("goals", {"title": "Job", "kind": "count", "target_value": "5", "unit": CPR}, "unit"),
    "political approval body": _child(
        "political-approvals",
        {"municipality": "330", "status": "approved", "decided_on": "2025-01-15", "body": CPR},
        "body",
    ),
    "political approval reference": _child(
        "political-approvals",
        {"municipality": "330", "status": "approved", "decided_on": "2025-01-15", "body": "Byråd", "reference": CPR},
        "reference",
    ),
    "review comment": _review_comment,
    "reject reason": _decision("reject"),
    "return reason": _decision("return-for-revision"),
    "withdraw reason": _withdraw_reason,
    "grant conditions": _grant_conditions,
    "pool description": _pool_description,
    "quarterly report narrative": _report("narrative"),
    "quarterly report obstacles": _report("obstacles"),
    "quarterly report adjustments": _report("adjustments"),
    "goal progress comment": _report("progress"),
    "milestone planned activities": _milestone_activities,
    "quarterly report return reason": _report_return_reason,
    "ambassador report narrative": _ambassador_report("narrative"),
    "ambassador report best practices": _ambassador_report("best_practices"),
    "ambassador report obstacles": _ambassador_report("obstacles"),
    "ambassador contribution comment": _ambassador_report("contributions"),
    "ambassador report return reason": _ambassador_return_reason,
    "catalogue entry title": _practice("title"),
    "catalogue entry summary": _practice("summary"),
    "catalogue entry tags": _practice("tags"),
    "catalogue entry contact": _practice("contact_name"),
    "meeting place": _meeting("place"),
    "meeting agenda": _meeting("agenda"),
    "meeting minutes": _meeting("minutes"),
}


def _snapshot() -> tuple[list[Any], list[Any]]:
    """What a refused request must not change: the applications' states and every transition."""
    from ambassadors.models import AmbassadorReportLog
    from applications.models import TransitionLog
    from monitoring.models import ReportLog

    states = sorted(Application.objects.values_list("pk", "state"))
    logs = [
        sorted(model.objects.values_list("pk", flat=True)) for model in (TransitionLog, ReportLog, AmbassadorReportLog)
    ]
    return states, logs


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(API_CASES))
def test_the_api_refuses_a_cpr_number_naming_the_field(case: str, request: pytest.FixtureRequest) -> None:
    user, method, path, body, field = API_CASES[case](request)
    before = _snapshot()
    client = client_for(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    response = getattr(client, method)(API + path, body, format="json")

    assert response.status_code == 400, response.content
    errors = response.json()
    assert field in errors, errors
    assert any(MESSAGE in message for message in errors[field]), errors
    assert "010190" not in response.content.decode()
    assert list(findings()) == []  # nothing stored anywhere
    assert _snapshot() == before  # no decision taken, no log written


# The pages' forms -------------------------------------------------------------------------------


def _form_cases() -> dict[str, tuple[Callable[[dict[str, Any]], Any], str]]:
    """Each form the pages show, with the field that holds the CPR number."""
    return {
        "application purpose": (
            lambda data: application_forms.ApplicationForm(data, instance=Application()),
            "purpose",
        ),
        "political approval body": (lambda data: application_forms.PoliticalApprovalForm(data), "body"),
        "political approval reference": (lambda data: application_forms.PoliticalApprovalForm(data), "reference"),
        "attachment description": (lambda data: application_forms.AttachmentForm(data), "description"),
        "withdraw reason": (lambda data: application_forms.WithdrawForm(data), "reason"),
        "review comment": (lambda data: review_forms.ScoreForm(data, criteria=[]), "comment"),
        "grant conditions": (lambda data: review_forms.GrantForm(data), "conditions"),
        "decision reason": (lambda data: review_forms.ReasonForm(data), "reason"),
        "kernel reason": (lambda data: core_forms.ReasonForm(data), "reason"),
        "milestone planned activities": (
            lambda data: monitoring_forms.MilestoneForm(data, goals=[]),
            "planned_activities",
        ),
        "report return reason": (lambda data: monitoring_forms.ReasonForm(data), "reason"),
        "ambassador report narrative": (lambda data: ambassador_forms.ReportForm(data, goals=[]), "narrative"),
        "ambassador report obstacles": (lambda data: ambassador_forms.ReportForm(data, goals=[]), "obstacles"),
        "ambassador report best practices": (
            lambda data: ambassador_forms.ReportForm(data, goals=[]),
            "best_practices",
        ),
        "ambassador return reason": (lambda data: ambassador_forms.ReasonForm(data), "reason"),
        "meeting place": (
            lambda data: ambassador_forms.MeetingForm(data, ambassadors=Ambassador.objects.none()),
            "place",
        ),
        "meeting agenda": (
            lambda data: ambassador_forms.MeetingForm(data, ambassadors=Ambassador.objects.none()),
            "agenda",
        ),
        "meeting minutes": (
            lambda data: ambassador_forms.MeetingForm(data, ambassadors=Ambassador.objects.none()),
            "minutes",
        ),
        "catalogue title": (lambda data: ambassador_forms.PracticeForm(data), "title"),
        "catalogue summary": (lambda data: ambassador_forms.PracticeForm(data), "summary"),
        "catalogue tags": (lambda data: ambassador_forms.PracticeForm(data), "tags"),
        "catalogue contact": (lambda data: ambassador_forms.PracticeForm(data), "contact_name"),
    }


FORM_CASES = _form_cases()


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(FORM_CASES))
def test_every_page_form_refuses_a_cpr_number_on_its_field(case: str) -> None:
    make, field = FORM_CASES[case]
    form = make({field: CPR, "held_on": "03.11.2026"})
    assert not form.is_valid()
    assert any(MESSAGE in str(message) for message in form.errors.get(field, [])), form.errors


@pytest.mark.django_db
def test_the_reject_page_keeps_the_application_submitted(pool: Any, slagelse_applicant: Any, reviewer: Any) -> None:
    application = application_in_state(State.SUBMITTED, pool, slagelse_applicant, reviewer)
    review(application, reviewer, "reject")  # assessed, so only the reason's CPR number stops it
    browser = page_client_for(reviewer)
    browser.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    url = reverse("applications:decide", args=[application.pk, "reject"])

    response = browser.post(url, {"reason": CPR, "confirm": "1"})

    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert Application.objects.get(pk=application.pk).state == State.SUBMITTED
    assert list(findings()) == []


@pytest.mark.django_db
def test_the_ambassador_report_page_saves_nothing(slagelse_ambassador: Ambassador) -> None:  # noqa: F811
    browser = page_client_for(slagelse_ambassador.user)
    browser.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    quarter = Quarter.of(slagelse_ambassador.grant.start_date)

    response = browser.post(
        reverse("ambassadors:report_create"),
        {"period": f"{quarter.year}-{quarter.quarter}", "narrative": CPR, "company_contacts": "2"},
    )

    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not slagelse_ambassador.reports.exists()


# Stored before the guard: find_cpr ---------------------------------------------------------------


def _find_cpr() -> tuple[str, CommandError | None]:
    out = StringIO()
    try:
        call_command("find_cpr", stdout=out)
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


@pytest.mark.django_db
def test_find_cpr_reports_rows_written_past_the_validator(pool: Any, slagelse_applicant: Any, reviewer: Any) -> None:
    clean, error = _find_cpr()
    assert error is None and "No stored text" in clean

    draft = make_complete_draft(pool, slagelse_applicant)
    Application.objects.filter(pk=draft.pk).update(purpose=CPR)  # .update() runs no validator
    practice = BestPractice.objects.create(
        municipality=draft.lead_municipality,
        theme=Theme.OTHER,
        title="Mentorer",
        summary="Frivillige mentorer.",
        tags=["mentor"],
        published_at=timezone.now(),
    )
    BestPractice.objects.filter(pk=practice.pk).update(tags=["mentor", "0101901234"])

    out, error = _find_cpr()

    assert error is not None and error.returncode == 1
    assert f"applications.Application.purpose pk={draft.pk}" in out
    assert f"ambassadors.BestPractice.tags pk={practice.pk}" in out
    assert "010190" not in out and "010190" not in str(error)
    assert len(out.strip().splitlines()) == 2


def test_find_cpr_searches_every_guarded_text_field() -> None:
    from core.management.commands.find_cpr import guarded_fields

    searched = {f"{model._meta.label}.{field.name}" for model, fields in guarded_fields() for field in fields}
    assert {
        "applications.Application.purpose",
        "applications.Review.comment",
        "applications.TransitionLog.reason",
        "monitoring.QuarterlyReport.narrative",
        "monitoring.GoalProgress.comment",
        "monitoring.Milestone.planned_activities",
        "ambassadors.AmbassadorReport.narrative",
        "ambassadors.GoalContribution.comment",
        "ambassadors.BestPractice.tags",
        "ambassadors.NetworkMeeting.minutes",
    } <= searched


@pytest.mark.django_db
def test_the_demo_data_holds_no_cpr_number() -> None:
    for command in ("load_demo", "load_monitoring_demo", "load_ambassadors_demo", "load_gribskov_demo"):
        call_command(command, stdout=StringIO())
    assert list(findings()) == []
