"""The follow-up after a project's end (issue 14, item 6): of the participants who completed, how
many are in work or education 3 and 12 months after the grant's end date. Recorded by the lead
municipality's applicant from the point's day on, once per point; read by whoever sees the grant;
reminded like the quarterly reports; shown on the project page and in the two PDFs."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from applications.models import Grant, GrantState, Pool
from core.errors import DomainError
from monitoring import followups
from monitoring.models import FollowUp, FollowUpPoint, Notification, due_date, point_date
from monitoring.pdf import briefing, portfolio
from monitoring.quarters import Quarter, add_months
from monitoring.reminders import send_reminders

from ..conftest import client_for, page_client_for
from .conftest import make_grant

pytestmark = pytest.mark.django_db

CPR = "010190-1234"


def ended_period(months_ago: int) -> tuple[datetime.date, datetime.date]:
    """A year-long period that ended `months_ago` months before today (at a month's end)."""
    end = add_months(timezone.localdate().replace(day=1), -months_ago) - datetime.timedelta(days=1)
    return add_months(end + datetime.timedelta(days=1), -12), end


@pytest.fixture
def ended(slagelse_applicant: Any, reviewer: Any) -> Grant:
    """Slagelse's project, accepted, which ended 14 months ago: both points are open, and the
    12-month one is past due whatever the day of the month (its point was two months ago)."""
    start, end = ended_period(14)
    return make_grant(slagelse_applicant, reviewer, start, end)


@pytest.fixture
def gribskov_ended(gribskov_applicant: Any, reviewer: Any) -> Grant:
    start, end = ended_period(14)
    return make_grant(gribskov_applicant, reviewer, start, end, code="270")


def url(grant: Grant) -> str:
    return f"/api/v1/grants/{grant.pk}/follow-ups/"


def body(point: str = "after_12_months", completed: int = 10, in_work: int = 10, **more: Any) -> dict[str, Any]:
    return {"point": point, "completed": completed, "in_work_or_education": in_work, **more}


# The API ------------------------------------------------------------------------------------------


def test_the_lead_applicant_records_a_follow_up_and_everyone_who_sees_the_grant_reads_it(
    ended: Grant, slagelse_applicant: Any, reviewer: Any
) -> None:
    response = client_for(slagelse_applicant).post(url(ended), body(comment="Alle i ordinær beskæftigelse."), "json")
    assert response.status_code == 201, response.json()
    data = response.json()
    expected_due = add_months(ended.end_date, 12) + datetime.timedelta(days=ended.application.pool.reporting_delay_days)
    assert data["point"] == "after_12_months"
    assert (data["completed"], data["in_work_or_education"]) == (10, 10)
    assert data["due_on"] == expected_due.isoformat()
    assert data["comment"] == "Alle i ordinær beskæftigelse."
    assert data["id"] and data["submitted_at"]
    stored = FollowUp.objects.get(pk=data["id"])
    assert stored.submitted_by == slagelse_applicant and stored.grant == ended

    client_for(slagelse_applicant).post(url(ended), body("after_3_months", 10, 8), "json")
    listed = client_for(reviewer).get(url(ended))
    assert listed.status_code == 200
    results = listed.json()["results"]
    # In the order of the points, not of their codes.
    assert [(r["point"], r["in_work_or_education"]) for r in results] == [
        ("after_3_months", 8),
        ("after_12_months", 10),
    ]
    assert set(results[0]) == {"id", "point", "completed", "in_work_or_education", "comment", "due_on", "submitted_at"}


def test_a_follow_up_cannot_be_recorded_before_its_point(slagelse_applicant: Any, reviewer: Any) -> None:
    start, end = ended_period(1)  # ended at the end of the month before last: the 3-month point is ahead
    grant = make_grant(slagelse_applicant, reviewer, start, end)
    response = client_for(slagelse_applicant).post(url(grant), body("after_3_months", 10, 5), "json")
    assert response.status_code == 400
    opens = add_months(end, 3)
    assert list(response.json()) == ["point"]
    assert opens.strftime("%d.%m.%Y") in response.json()["point"][0]
    assert "3" in response.json()["point"][0]
    assert not FollowUp.objects.exists()


def test_the_point_day_itself_is_open(ended: Grant, slagelse_applicant: Any) -> None:
    opens = point_date(ended, FollowUpPoint.AFTER_3_MONTHS)
    with pytest.raises(DomainError):
        followups.record_follow_up(
            ended.pk, slagelse_applicant, body("after_3_months"), today=opens - datetime.timedelta(days=1)
        )
    follow_up = followups.record_follow_up(ended.pk, slagelse_applicant, body("after_3_months"), today=opens)
    assert follow_up.point == "after_3_months"


def test_a_400_names_every_problem_at_once(ended: Grant, slagelse_applicant: Any) -> None:
    response = client_for(slagelse_applicant).post(
        url(ended), body("after_6_months", 10, 11, comment=f"Deltager {CPR} er i job."), "json"
    )
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"point", "in_work_or_education", "comment"}
    assert "after_3_months" in errors["point"][0]

    response = client_for(slagelse_applicant).post(url(ended), body(completed=10, in_work=11, comment=CPR), "json")
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"in_work_or_education", "comment"}
    assert "work or education" in errors["in_work_or_education"][0] or "arbejde" in errors["in_work_or_education"][0]

    response = client_for(slagelse_applicant).post(url(ended), {"point": "after_3_months", "completed": -1}, "json")
    assert response.status_code == 400
    assert set(response.json()) == {"completed", "in_work_or_education"}

    response = client_for(slagelse_applicant).post(url(ended), body(completed="ti"), "json")
    assert response.status_code == 400
    assert set(response.json()) == {"completed"}
    assert not FollowUp.objects.exists()


def test_a_point_is_recorded_once_and_a_second_one_is_a_400_naming_it(ended: Grant, slagelse_applicant: Any) -> None:
    client = client_for(slagelse_applicant)
    assert client.post(url(ended), body(completed=10, in_work=10), "json").status_code == 201
    response = client.post(url(ended), body(completed=10, in_work=9), "json")
    assert response.status_code == 400
    assert list(response.json()) == ["point"]
    message = response.json()["point"][0]
    assert "12 måneder efter afslutningen" in message
    assert timezone.localdate().strftime("%d.%m.%Y") in message  # when the first was recorded
    # The first figures stand.
    assert list(FollowUp.objects.values_list("in_work_or_education", flat=True)) == [10]


def test_the_database_refuses_what_the_service_would(ended: Grant) -> None:
    FollowUp.objects.create(grant=ended, point="after_3_months", completed=5, in_work_or_education=5)
    for fields in (
        {"point": "after_3_months", "completed": 5, "in_work_or_education": 4},  # the same point again
        {"point": "after_12_months", "completed": 5, "in_work_or_education": 6},  # more in work than completed
        {"point": "end", "completed": 5, "in_work_or_education": 4},  # no such point
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            FollowUp.objects.create(grant=ended, **fields)


@pytest.mark.parametrize(
    ("state", "takes"),
    [
        (GrantState.ACTIVE, True),
        (GrantState.ACCOUNTS_SUBMITTED, True),
        (GrantState.CLOSED, True),
        (GrantState.LAPSED, False),
        (GrantState.REVOKED, False),
        (GrantState.AWAITING_ACCEPTANCE, False),
    ],
)
def test_a_grant_takes_follow_ups_after_its_financial_closing_but_not_when_it_never_was_in_force(
    ended: Grant, slagelse_applicant: Any, state: str, takes: bool
) -> None:
    Grant.objects.filter(pk=ended.pk).update(state=state)
    response = client_for(slagelse_applicant).post(url(ended), body(), "json")
    assert response.status_code == (201 if takes else 409), response.json()
    assert FollowUp.objects.exists() is takes


@pytest.mark.parametrize(
    ("persona", "read", "write"),
    [
        ("slagelse_applicant", 200, 201),
        ("gribskov_applicant", 404, 404),  # another municipality's grant is not there
        ("reviewer", 200, 403),
        ("pool_admin", 200, 403),
        ("committee", 200, 403),  # Slagelse's committee reads its own projects
        ("ambassador", 404, 404),
        ("anonymous", 401, 401),
    ],
)
def test_who_reads_and_who_records(ended: Grant, personas: dict[str, Any], persona: str, read: int, write: int) -> None:
    client = client_for(personas[persona])
    assert client.get(url(ended)).status_code == read
    assert client.post(url(ended), body(), "json").status_code == write
    assert FollowUp.objects.exists() is (write == 201)


def test_the_gribskov_applicant_records_gribskovs_and_not_slagelses(
    ended: Grant, gribskov_ended: Grant, gribskov_applicant: Any, slagelse_applicant: Any
) -> None:
    assert client_for(gribskov_applicant).post(url(gribskov_ended), body(), "json").status_code == 201
    assert client_for(slagelse_applicant).get(url(gribskov_ended)).status_code == 404
    assert client_for(gribskov_applicant).post(url(ended), body(), "json").status_code == 404
    assert client_for(slagelse_applicant).get(url(ended)).json()["count"] == 0


def test_an_unknown_grant_is_a_404(slagelse_applicant: Any) -> None:
    assert client_for(slagelse_applicant).get("/api/v1/grants/999999/follow-ups/").status_code == 404


# The project page ---------------------------------------------------------------------------------


def project_url(grant: Grant) -> str:
    return reverse("monitoring:project", args=[grant.pk])


def form_url(grant: Grant, point: str) -> str:
    return reverse("monitoring:follow_up_create", args=[grant.pk, point])


def test_the_project_page_shows_each_point_with_its_dates_figures_and_lateness(
    ended: Grant, slagelse_applicant: Any, reviewer: Any
) -> None:
    followups.record_follow_up(ended.pk, slagelse_applicant, body("after_3_months", 10, 8))
    page = page_client_for(reviewer).get(project_url(ended)).content.decode()
    section = page[page.index('id="follow-ups"') :]
    section = section[: section.index("</section>")]
    three, twelve = (point_date(ended, p) for p in FollowUpPoint.values)
    assert three.strftime("%d.%m.%Y") in section and twelve.strftime("%d.%m.%Y") in section
    assert due_date(ended, "after_12_months").strftime("%d.%m.%Y") in section
    assert "8 af 10 i arbejde eller uddannelse" in section
    assert "(80 %)" in section
    # Ended 14 months ago: the 12-month follow-up is past due and is not in.
    assert "Forsinket" in section
    # SIRI reads; only the municipality records.
    assert form_url(ended, "after_12_months") not in section

    mine = page_client_for(slagelse_applicant).get(project_url(ended)).content.decode()
    assert form_url(ended, "after_12_months") in mine
    assert form_url(ended, "after_3_months") not in mine  # recorded already


def test_a_running_project_shows_its_points_ahead_and_no_button(
    granted_project: Grant, slagelse_applicant: Any
) -> None:
    page = page_client_for(slagelse_applicant).get(project_url(granted_project)).content.decode()
    assert 'id="follow-ups"' in page
    assert "Ikke endnu: fra " + point_date(granted_project, "after_3_months").strftime("%d.%m.%Y") in page
    assert form_url(granted_project, "after_3_months") not in page


def test_a_revoked_grant_shows_no_follow_up(ended: Grant, slagelse_applicant: Any) -> None:
    Grant.objects.filter(pk=ended.pk).update(state=GrantState.REVOKED)
    page = page_client_for(slagelse_applicant).get(project_url(ended)).content.decode()
    assert 'id="follow-ups"' not in page


def test_the_lead_applicant_records_on_the_page_and_a_mistake_keeps_what_was_typed(
    ended: Grant, slagelse_applicant: Any
) -> None:
    client = page_client_for(slagelse_applicant)
    page = client.get(form_url(ended, "after_12_months"))
    assert page.status_code == 200
    assert "csrfmiddlewaretoken" in page.content.decode()

    wrong = client.post(form_url(ended, "after_12_months"), {"completed": "10", "in_work_or_education": "11"})
    assert wrong.status_code == 200
    html = wrong.content.decode()
    assert "Der kan ikke være flere i arbejde eller uddannelse, end der gennemførte projektet." in html
    assert 'value="11"' in html and 'value="10"' in html
    assert not FollowUp.objects.exists()

    done = client.post(
        form_url(ended, "after_12_months"), {"completed": "10", "in_work_or_education": "10", "comment": "Alle i job."}
    )
    assert done.status_code == 302
    assert done["Location"].endswith(project_url(ended) + "#follow-ups")
    follow_up = FollowUp.objects.get()
    assert (follow_up.point, follow_up.completed, follow_up.in_work_or_education) == ("after_12_months", 10, 10)

    again = client.post(form_url(ended, "after_12_months"), {"completed": "10", "in_work_or_education": "9"})
    assert again.status_code == 200
    assert "registreret" in again.content.decode()
    assert FollowUp.objects.count() == 1


def test_the_form_page_is_the_lead_applicants(
    ended: Grant, reviewer: Any, gribskov_applicant: Any, slagelse_applicant: Any
) -> None:
    assert page_client_for(reviewer).get(form_url(ended, "after_3_months")).status_code == 403
    assert page_client_for(gribskov_applicant).get(form_url(ended, "after_3_months")).status_code == 404
    assert page_client_for(slagelse_applicant).get(form_url(ended, "after_6_months")).status_code == 404
    assert page_client_for(reviewer).post(form_url(ended, "after_3_months"), {"completed": "1"}).status_code == 403
    assert not FollowUp.objects.exists()


def test_the_project_page_makes_as_many_queries_with_follow_ups_as_without(
    ended: Grant, slagelse_applicant: Any
) -> None:
    client = page_client_for(slagelse_applicant)
    client.get(project_url(ended))  # warm the caches (content types, sessions)
    with CaptureQueriesContext(connection) as none:
        client.get(project_url(ended))
    for point in FollowUpPoint.values:
        followups.record_follow_up(ended.pk, slagelse_applicant, body(point, 10, 7))
    with CaptureQueriesContext(connection) as both:
        response = client.get(project_url(ended))
    assert "7 af 10 i arbejde eller uddannelse" in response.content.decode()
    assert len(both) == len(none), f"{len(none)} queries without follow-ups, {len(both)} with"


# Reminders ----------------------------------------------------------------------------------------


def follow_up_mail() -> list[Any]:
    return [m for m in mail.outbox if "opfølgning" in m.subject.lower()]


def test_follow_ups_are_reminded_like_reports_once_each_also_after_the_closing(
    ended: Grant, slagelse_applicant: Any
) -> None:
    # Closed: the quarterly reports are no longer reminded, the follow-ups still are.
    Grant.objects.filter(pk=ended.pk).update(state=GrantState.CLOSED)
    due_12 = due_date(ended, "after_12_months")
    today = due_12 - datetime.timedelta(days=10)
    run = send_reminders(today)
    keys = set(Notification.objects.values_list("key", flat=True))
    assert keys == {
        f"due_soon:followup-{ended.pk}-after_12_months",
        # The 3-month follow-up is long overdue: the late reminder of its current week, once.
        f"late:followup-{ended.pk}-after_3_months:{(today - due_date(ended, 'after_3_months')).days // 7}",
    }
    assert run.sent == 2
    assert [m.to for m in follow_up_mail()] == [["slagelse@example.test"]] * 2
    soon = next(m for m in follow_up_mail() if "12 måneder" in m.subject)
    assert due_12.strftime("%d.%m.%Y") in soon.subject
    assert reverse("monitoring:project", args=[ended.pk]) + "#follow-ups" in soon.body

    assert send_reminders(today).sent == 0  # the same day again: nothing twice
    assert len(follow_up_mail()) == 2

    followups.record_follow_up(ended.pk, slagelse_applicant, body("after_12_months"), today=today)
    followups.record_follow_up(ended.pk, slagelse_applicant, body("after_3_months"), today=today)
    assert send_reminders(due_12 + datetime.timedelta(days=21)).sent == 0  # recorded: no more reminders


def test_a_follow_up_is_not_reminded_before_its_point_nor_for_a_revoked_grant(
    ended: Grant, slagelse_applicant: Any
) -> None:
    Grant.objects.filter(pk=ended.pk).update(state=GrantState.CLOSED)
    # A pool that gives 5 days for handing in: the 14 days' reminder would fall before the point.
    Pool.objects.filter(pk=ended.application.pool_id).update(reporting_delay_days=5)
    ended = Grant.objects.select_related("application__pool").get(pk=ended.pk)
    before = point_date(ended, "after_3_months") - datetime.timedelta(days=1)
    send_reminders(before)
    assert not Notification.objects.filter(key__contains="followup").exists()
    send_reminders(before + datetime.timedelta(days=1))  # from the point's day on
    assert Notification.objects.filter(key=f"due_soon:followup-{ended.pk}-after_3_months").exists()
    Notification.objects.all().delete()
    assert not Notification.objects.filter(key__contains="followup").exists()
    Grant.objects.filter(pk=ended.pk).update(state=GrantState.REVOKED)
    send_reminders(due_date(ended, "after_12_months"))
    assert not Notification.objects.filter(key__contains="followup").exists()


# The PDFs -----------------------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_portfolio_report_shows_each_projects_follow_ups(ended: Grant, slagelse_applicant: Any) -> None:
    followups.record_follow_up(ended.pk, slagelse_applicant, body("after_3_months", 10, 8))
    with translation.override("da"):
        data = portfolio.portfolio_pdf(ended.application.pool)
    text = pdf_text(data)
    # The summary, before the project's page: per point recorded, late, completed, in work or
    # education, share.
    summary = text[: text.index(ended.application.title)]
    assert "3 måneder efter afslutningen 1 0 10 8 80 %" in summary, summary[-600:]
    assert "12 måneder efter afslutningen 0 1 0 0" in summary
    assert "Opfølgning efter projektets afslutning" in text
    assert "3 måneder efter afslutningen" in text and "12 måneder efter afslutningen" in text
    assert "80 %" in text or "80,0 %" in text
    assert "Forsinket" in text  # the 12-month follow-up is overdue
    assert due_date(ended, "after_12_months").strftime("%d.%m.%Y") in text


def test_the_briefing_of_the_last_quarter_shows_the_follow_ups(ended: Grant, slagelse_applicant: Any) -> None:
    from .test_api import handed_in

    last = Quarter.of(ended.end_date)
    handed_in(ended, slagelse_applicant, last)
    handed_in(ended, slagelse_applicant, last.previous())
    followups.record_follow_up(ended.pk, slagelse_applicant, body("after_12_months", 10, 10))
    text = pdf_text(briefing.briefing_pdf(ended.pk, last)[0])
    assert "Opfølgning efter projektets afslutning" in text
    assert "12 måneder efter afslutningen" in text
    assert "100 %" in text or "100,0 %" in text
    # An earlier quarter's briefing is about the running project: no follow-up there.
    earlier = pdf_text(briefing.briefing_pdf(ended.pk, last.previous())[0])
    assert "Opfølgning efter projektets afslutning" not in earlier


# The demo -----------------------------------------------------------------------------------------


def test_gribskovs_demo_project_gets_the_seeds_follow_up_once_its_grant_is_in_force(
    settings: Any, tmp_path: Any
) -> None:
    from io import StringIO

    from django.core.management import call_command

    from core.illustrative import notes_for
    from monitoring.demo_gribskov import PROJECT_TITLE

    settings.MEDIA_ROOT = tmp_path
    for command in ("load_demo", "load_monitoring_demo", "load_ambassadors_demo", "load_gribskov_demo"):
        call_command(command, stdout=StringIO())
    grant = Grant.objects.get(application__title=PROJECT_TITLE)
    # Not accepted yet: a grant never in force takes no follow-up.
    assert grant.state == GrantState.AWAITING_ACCEPTANCE
    assert not FollowUp.objects.filter(grant=grant).exists()

    call_command("load_awards_demo", stdout=StringIO())
    out = StringIO()
    call_command("load_gribskov_demo", stdout=out)
    assert "2 follow-up(s) after the end" in out.getvalue()
    again = StringIO()
    call_command("load_gribskov_demo", stdout=again)
    assert again.getvalue().strip() == "Gribskov demo data was already there."

    three, twelve = (FollowUp.objects.get(grant=grant, point=point) for point in FollowUpPoint.values)
    # The seed: "10 ud af 10 deltagere havde opnået ordinær beskæftigelse 12 mdr. efter projektafslutning".
    assert (twelve.completed, twelve.in_work_or_education) == (10, 10)
    assert twelve.submitted_by.username == "gribskov"
    assert not notes_for(twelve)
    # The seed gives no 3-month figure for the first run: illustrative, and marked so.
    assert (three.completed, three.in_work_or_education) == (10, 8)
    assert "illustrativ" in notes_for(three)[0]
    # Handed in five days before each was due (the 12-month one on 30.06.2025 + the pool's days).
    assert twelve.due_on == datetime.date(2025, 6, 30) + datetime.timedelta(
        days=grant.application.pool.reporting_delay_days
    )
    assert timezone.localdate(twelve.submitted_at) == twelve.due_on - datetime.timedelta(days=5)

    gribskov = get_user_model().objects.get(username="gribskov")
    page = page_client_for(gribskov).get(project_url(grant)).content.decode()
    assert "10 af 10 i arbejde eller uddannelse" in page
    assert "8 af 10 i arbejde eller uddannelse" in page
    assert "Opfølgningen 3 måneder efter afslutningen (8 af 10) er illustrativ" in page


def test_two_requests_that_both_pass_the_check_record_the_point_once(
    ended: Grant, slagelse_applicant: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race of two tabs: the second insert meets the unique constraint, a 400, never a 500."""
    followups.record_follow_up(ended.pk, slagelse_applicant, body())
    monkeypatch.setattr(followups, "_problems", lambda *args: {})  # as if it checked before the first was in
    with pytest.raises(DomainError) as refused:
        followups.record_follow_up(ended.pk, slagelse_applicant, body(in_work=9))
    assert refused.value.kind == DomainError.INVALID
    assert list(refused.value.errors) == ["point"]
    assert FollowUp.objects.get().in_work_or_education == 10


def test_the_form_says_when_a_point_opens_and_records_nothing_before(
    granted_project: Grant, slagelse_applicant: Any
) -> None:
    response = page_client_for(slagelse_applicant).post(
        form_url(granted_project, "after_3_months"), {"completed": "10", "in_work_or_education": "4"}
    )
    assert response.status_code == 200
    opens = point_date(granted_project, "after_3_months").strftime("%d.%m.%Y")
    assert f"Opfølgningen 3 måneder efter afslutningen kan registreres fra {opens}, ikke før." in (
        response.content.decode()
    )
    assert 'value="4"' in response.content.decode()
    assert not FollowUp.objects.exists()
