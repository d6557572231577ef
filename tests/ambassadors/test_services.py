"""Ambassador reports, meetings and the catalogue through the services every entry point uses."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from ambassadors import services
from ambassadors.models import Ambassador, AmbassadorReport, AmbassadorReportLog, AmbassadorReportState, PracticeState
from core.errors import DomainError
from monitoring.quarters import Quarter

from .conftest import goals_of

pytestmark = pytest.mark.django_db


def _data(ambassador: Ambassador, quarter: Quarter, women: int = 3) -> dict[str, Any]:
    goal = goals_of(ambassador.grant)[0]
    return {
        "year": quarter.year,
        "quarter": quarter.quarter,
        "company_contacts": 14,
        "new_partnerships": 3,
        "matches_internship": 5,
        "matches_wage_subsidy": 2,
        "matches_igu": 1,
        "matches_ordinary_job": 2,
        "meetings_attended": 1,
        "knowledge_sharing": 2,
        "narrative": "Kontakt til 14 virksomheder i rengøring og pleje.",
        "contributions": [
            {"goal": goal.pk, "value": Decimal(women), "comment": "Tre kvinder i praktik førte til job."}
        ],
    }


def _errors(call: Any) -> dict[str, list[str]]:
    with translation.override("en"):
        with pytest.raises(DomainError) as caught:
            call()
        return {field: [str(m) for m in messages] for field, messages in caught.value.errors.items()}


def test_an_ambassador_writes_submits_and_siri_acknowledges(slagelse_ambassador: Ambassador, reviewer: Any) -> None:
    quarter = Quarter.of(slagelse_ambassador.grant.start_date)
    report = services.create_report(slagelse_ambassador.user, _data(slagelse_ambassador, quarter))
    assert report.matches == 10

    services.submit_report(report.pk, slagelse_ambassador.user)
    services.return_report(report.pk, reviewer, "Beskriv IGU-forløbet.")
    assert AmbassadorReport.objects.get(pk=report.pk).state == AmbassadorReportState.DRAFT
    services.update_report(report.pk, slagelse_ambassador.user, {"obstacles": "IGU-aftalen blev forsinket."})
    services.submit_report(report.pk, slagelse_ambassador.user)
    services.acknowledge_report(report.pk, reviewer)

    assert AmbassadorReport.objects.get(pk=report.pk).state == AmbassadorReportState.ACKNOWLEDGED
    assert list(AmbassadorReportLog.objects.filter(report=report).values_list("transition", flat=True)) == [
        "submit",
        "return_to_draft",
        "submit",
        "acknowledge",
    ]


def test_contributions_count_once_handed_in(slagelse_ambassador: Ambassador) -> None:
    grant = slagelse_ambassador.grant
    first = Quarter.of(grant.start_date)
    one = services.create_report(slagelse_ambassador.user, _data(slagelse_ambassador, first, women=3))
    services.submit_report(one.pk, slagelse_ambassador.user)
    services.create_report(slagelse_ambassador.user, _data(slagelse_ambassador, first.next(), women=4))  # a draft

    goal = goals_of(grant)[0]
    with CaptureQueriesContext(connection) as read:
        assert services.contributions_by_goal(grant.pk) == {goal.pk: Decimal(3)}
    # Added up in one query, unsorted: the model's ordering joined the ambassador's user and
    # municipality and the goal's application to every project page only to sort the rows.
    (query,) = read.captured_queries
    assert "ORDER BY" not in query["sql"] and "auth_user" not in query["sql"]


def test_every_problem_is_named(slagelse_ambassador: Ambassador, gribskov_project: Any) -> None:
    quarter = Quarter.of(slagelse_ambassador.grant.start_date)
    data = _data(slagelse_ambassador, quarter)
    data["company_contacts"] = -2
    data["matches_igu"] = "mange"
    data["contributions"].append({"goal": goals_of(gribskov_project)[0].pk, "value": Decimal(1)})
    errors = _errors(lambda: services.create_report(slagelse_ambassador.user, data))
    assert set(errors) == {"company_contacts", "matches_igu", "contributions"}
    assert "not a goal of your project" in errors["contributions"][0]


def test_one_report_per_quarter_within_the_project(slagelse_ambassador: Ambassador) -> None:
    quarter = Quarter.of(slagelse_ambassador.grant.start_date)
    services.create_report(slagelse_ambassador.user, _data(slagelse_ambassador, quarter))
    assert (
        "already"
        in _errors(lambda: services.create_report(slagelse_ambassador.user, _data(slagelse_ambassador, quarter)))[
            "quarter"
        ][0]
    )
    assert (
        "outside"
        in _errors(
            lambda: services.create_report(slagelse_ambassador.user, _data(slagelse_ambassador, quarter.previous()))
        )["quarter"][0]
    )


def test_only_the_ambassador_writes_their_reports(
    slagelse_ambassador: Ambassador, gribskov_ambassador: Ambassador, slagelse_applicant: Any, reviewer: Any
) -> None:
    quarter = Quarter.of(slagelse_ambassador.grant.start_date)
    report = services.create_report(slagelse_ambassador.user, _data(slagelse_ambassador, quarter))
    for other in (gribskov_ambassador.user, slagelse_applicant, reviewer):
        with pytest.raises(PermissionDenied):
            services.update_report(report.pk, other, {"narrative": "Overskrevet"})
    with pytest.raises(PermissionDenied):
        services.create_report(slagelse_applicant, _data(slagelse_ambassador, quarter.next()))
    # SIRI cannot act on a draft it may not see.
    with pytest.raises(PermissionDenied):
        services.acknowledge_report(report.pk, reviewer)


def test_meetings_record_attendance(
    reviewer: Any, slagelse_ambassador: Ambassador, gribskov_ambassador: Ambassador
) -> None:
    with pytest.raises(PermissionDenied):
        services.save_meeting(slagelse_ambassador.user, {"held_on": datetime.date(2026, 9, 1), "place": "Odense"})
    assert set(_errors(lambda: services.save_meeting(reviewer, {}))) == {"held_on", "place"}
    meeting = services.save_meeting(
        reviewer,
        {"held_on": datetime.date(2026, 9, 1), "place": "SIRI, Odense", "agenda": "Virksomhedssamarbejde"},
    )
    services.save_meeting(
        reviewer,
        {"minutes": "Holbæk fortalte om virksomhedsnetværk.", "attended": [slagelse_ambassador.pk]},
        meeting.pk,
    )
    assert list(meeting.attendance.values_list("ambassador", flat=True)) == [slagelse_ambassador.pk]


def test_ambassadors_propose_and_siri_publishes(slagelse_ambassador: Ambassador, reviewer: Any) -> None:
    data = {
        "municipality": "330",
        "theme": "company_cooperation",
        "title": "Virksomhedsnetværk i Slagelse",
        "summary": "Faste kontaktpersoner i virksomhederne.",
        "tags": ["virksomhed", "netværk"],
    }
    practice = services.propose_practice(slagelse_ambassador.user, data)
    assert practice.state == PracticeState.PROPOSED
    with pytest.raises(PermissionDenied):
        services.publish_practice(practice.pk, slagelse_ambassador.user)
    services.publish_practice(practice.pk, reviewer)
    practice.refresh_from_db()
    assert practice.state == PracticeState.PUBLISHED and practice.published_at is not None
    assert set(_errors(lambda: services.propose_practice(reviewer, {"theme": "x", "municipality": "999"}))) == {
        "title",
        "summary",
        "theme",
        "municipality",
    }


def test_the_project_page_shows_the_ambassadors_contribution_beside_the_goals(
    slagelse_ambassador: Ambassador, committee: Any, gribskov_applicant: Any
) -> None:
    from ..conftest import page_client_for

    grant = slagelse_ambassador.grant
    report = services.create_report(
        slagelse_ambassador.user, _data(slagelse_ambassador, Quarter.of(grant.start_date), 7)
    )
    services.submit_report(report.pk, slagelse_ambassador.user)

    with translation.override("en"):
        page = page_client_for(committee).get(f"/projects/{grant.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    goal = goals_of(grant)[0]
    section = page[page.index(f'id="goal-{goal.pk}-heading"') :]
    section = section[: section.index("</article>")]
    assert "Ambassador&#x27;s contribution" in section or "Ambassador's contribution" in section
    assert "<dd>7 " in section and "from 1 ambassador report" in section
    assert page_client_for(gribskov_applicant).get(f"/projects/{grant.pk}/").status_code == 404


def test_the_daily_job_reminds_ambassadors_of_their_reports_once(
    slagelse_ambassador: Ambassador, mailoutbox: list[Any]
) -> None:
    from monitoring.reminders import send_reminders

    grant = slagelse_ambassador.grant
    first = Quarter.of(grant.start_date)
    due = first.end + datetime.timedelta(days=grant.application.pool.reporting_delay_days)
    send_reminders(due)
    with CaptureQueriesContext(connection) as again:
        send_reminders(due)  # the same day again: nothing twice
    # Nothing even tried: a reminder sent before is looked up, not inserted again to fail on its
    # unique key (a duplicate-key error in the database's log on every rerun).
    assert not [q for q in again.captured_queries if "INSERT" in q["sql"] and "notification" in q["sql"]]
    to_ambassador = [m for m in mailoutbox if m.to == [slagelse_ambassador.user.email]]
    assert len(to_ambassador) == 1
    assert str(first.year) in to_ambassador[0].subject and "/ambassador/" in to_ambassador[0].body

    report = services.create_report(slagelse_ambassador.user, _data(slagelse_ambassador, first), today=due)
    services.submit_report(report.pk, slagelse_ambassador.user)
    send_reminders(due + datetime.timedelta(days=7))  # handed in: no late reminder, the next is months away
    assert [m for m in mailoutbox if m.to == [slagelse_ambassador.user.email]] == to_ambassador


def test_the_contribution_and_its_report_count_come_from_the_same_reports(
    slagelse_ambassador: Ambassador, reviewer: Any, committee: Any
) -> None:
    """A returned report stops counting, in the total and in "from N reports" alike."""
    from ..conftest import page_client_for

    grant = slagelse_ambassador.grant
    first = Quarter.of(grant.start_date)
    returned = services.create_report(slagelse_ambassador.user, _data(slagelse_ambassador, first, 4))
    services.submit_report(returned.pk, slagelse_ambassador.user)
    services.return_report(returned.pk, reviewer, "Check the matches")
    second = services.create_report(slagelse_ambassador.user, _data(slagelse_ambassador, first.next(), 7))
    services.submit_report(second.pk, slagelse_ambassador.user)

    with translation.override("en"):
        page = page_client_for(committee).get(f"/projects/{grant.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    goal = goals_of(grant)[0]
    section = page[page.index(f'id="goal-{goal.pk}-heading"') :]
    section = section[: section.index("</article>")]
    assert "<dd>7 " in section and "from 1 ambassador report" in section
    assert "from 2 ambassador reports" not in section


def test_a_level_goal_takes_no_contribution_and_shows_none(slagelse_ambassador: Ambassador, committee: Any) -> None:
    """People add up on 35 women into work, never on 70 % attendance: no "Bidrag 14" beside a level."""
    from ambassadors.models import GoalContribution

    from ..conftest import page_client_for

    grant = slagelse_ambassador.grant
    women, attendance = goals_of(grant)
    quarter = Quarter.of(grant.start_date)
    data = _data(slagelse_ambassador, quarter, 4)
    refused = _errors(
        lambda: services.create_report(
            slagelse_ambassador.user,
            {**data, "contributions": [*data["contributions"], {"goal": attendance.pk, "value": Decimal(14)}]},
        )
    )
    assert refused == {
        "contributions": [
            "“Gennemsnitlig fremmødeprocent” is not counted in people added up over the project: a contribution "
            "counts only toward a count goal (e.g. 35 women into work), never toward a share or an average."
        ]
    }
    report = services.create_report(slagelse_ambassador.user, data)
    services.submit_report(report.pk, slagelse_ambassador.user)
    # One given to the level before the rule (written straight to the table) is not shown either.
    GoalContribution.objects.create(report=report, goal=attendance, value=Decimal(14))

    browser = page_client_for(committee)
    browser.defaults["HTTP_ACCEPT_LANGUAGE"] = "da"
    page = browser.get(f"/projects/{grant.pk}/").content.decode()

    def section(goal_id: int) -> str:
        start = page.index(f'id="goal-{goal_id}-heading"')
        return page[start : page.index("</article>", start)]

    assert "Ambassadørens bidrag" not in section(attendance.pk) and "<dd>14" not in section(attendance.pk)
    assert "Ambassadørens bidrag" in section(women.pk) and "<dd>4 personer" in section(women.pk)
    assert services.contributions_by_goal(grant.pk) == {women.pk: Decimal(4)}


def test_the_briefing_names_the_ambassador_by_name_and_role_never_by_login(slagelse_ambassador: Ambassador) -> None:
    import io
    import re

    from pypdf import PdfReader

    from monitoring import services as monitoring_services
    from monitoring.pdf import briefing

    grant = slagelse_ambassador.grant
    quarter = Quarter.of(grant.start_date)
    women, attendance = goals_of(grant)
    applicant = grant.application.created_by
    written = monitoring_services.create_report(
        grant.pk,
        applicant,
        {
            "year": quarter.year,
            "quarter": quarter.quarter,
            "narrative": "Forløbet kører.",
            "enrolled": 30,
            "spent_to_date": Decimal(100000),
            "progress": [
                {"goal": women.pk, "value": Decimal(4)},
                {"goal": attendance.pk, "numerator": 61, "denominator": 100},
            ],
        },
    )
    monitoring_services.submit_report(written.pk, applicant)
    report = services.create_report(slagelse_ambassador.user, _data(slagelse_ambassador, quarter, 3))
    services.submit_report(report.pk, slagelse_ambassador.user)

    def text() -> str:
        data, _name = briefing.briefing_pdf(grant.pk, quarter)
        return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))

    login = slagelse_ambassador.user.get_username()
    without_name = text()
    # No name on record: the role and the municipality head the section, and the login nowhere.
    assert "bidrag Beskæftigelsesambassadør, Slagelse Virksomhedskontakter 14" in without_name
    assert login == "ambassador" and login not in without_name
    assert "Bidrag til “Aktivitetsparate kvinder i beskæftigelse” 3 personer" in without_name

    slagelse_ambassador.user.first_name, slagelse_ambassador.user.last_name = "Hanne", "Holm"
    slagelse_ambassador.user.save()
    assert "bidrag Hanne Holm, beskæftigelsesambassadør, Slagelse Virksomhedskontakter" in text()
