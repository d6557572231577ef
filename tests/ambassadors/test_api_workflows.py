"""The ambassador network's API at work: the lists' filters, registering ambassadors, writing,
submitting and acknowledging reports, proposals and meetings, every problem named, the schema,
and the lists' queries; on the network the matrix's module builds once (`test_api.build_network`).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ambassadors.models import (
    Ambassador,
    AmbassadorReport,
    AmbassadorReportState,
    BestPractice,
    GoalContribution,
    NetworkMeeting,
    PracticeState,
    Theme,
)
from ambassadors.search import refresh_vectors
from applications.accounts import set_person
from applications.models import Grant
from monitoring.quarters import Quarter

from .conftest import goals_of, make_ambassador
from .network import API, body_for, client_for, quarters_of, write_report

pytestmark = pytest.mark.django_db


def test_reports_filter_by_ambassador_state_year_and_quarter(network: dict[str, Any]) -> None:
    client = client_for(network["reviewer"])
    submitted: AmbassadorReport = network["submitted"]
    rows = client.get(f"{API}/ambassador-reports/", {"ambassador": network["slagelse"].pk}).json()["results"]
    assert [row["id"] for row in rows] == [submitted.pk]
    rows = client.get(
        f"{API}/ambassador-reports/", {"state": "submitted", "year": submitted.year, "quarter": submitted.quarter}
    ).json()["results"]
    assert submitted.pk in {row["id"] for row in rows}
    assert client.get(f"{API}/ambassador-reports/", {"state": "acknowledged"}).json()["count"] == 0
    assert client.get(f"{API}/ambassador-reports/", {"municipality": "270"}).json()["results"][0]["id"] == (
        network["gribskov_report"].pk
    )
    for garbage in ({"year": "tyve"}, {"state": "lost"}, {"quarter": "x"}):
        assert client.get(f"{API}/ambassador-reports/", garbage).status_code == 400


# Ambassadors -------------------------------------------------------------------------------------


def test_siri_registers_an_ambassador(network: dict[str, Any]) -> None:
    slagelse: Ambassador = network["slagelse"]
    body = body_for("new ambassador", network) | {"phone": "58 57 36 00", "focus_areas": ["youth", "women", "youth"]}
    response = client_for(network["pool_admin"]).post(f"{API}/ambassadors/", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["user"] == "ny_ambassador"
    assert data["municipality"] == "330"
    assert data["grant"] == slagelse.grant_id
    assert data["focus_areas"] == ["women", "youth"]
    assert data["last_report"] is None
    assert data["active"] is True
    assert Ambassador.objects.get(pk=data["id"]).user == network["new_user"]


def test_every_problem_of_an_ambassador_is_named(network: dict[str, Any]) -> None:
    client = client_for(network["reviewer"])
    body = {
        "user": network["slagelse_applicant"].username,  # an applicant, not an ambassador
        "municipality": "330",
        "grant": network["gribskov"].grant_id,  # Gribskov's project
        "started_on": "1. marts",
        "focus_areas": ["women", "dogs"],
    }
    response = client.post(f"{API}/ambassadors/", body, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"user", "grant", "started_on", "focus_areas"}
    assert "ambassador role" in errors["user"][0]
    assert "not a project of Slagelse" in errors["grant"][0]
    assert "dogs" in errors["focus_areas"][0]

    body = body_for("new ambassador", network) | {"municipality": "33", "grant": 999999}
    errors = client.post(f"{API}/ambassadors/", body, format="json").json()
    assert set(errors) == {"municipality", "grant"}

    # The user is one already; moving an ambassador to Gribskov keeps Slagelse's project: no.
    body = body_for("new ambassador", network) | {"user": network["ambassador"].username}
    assert "already" in client.post(f"{API}/ambassadors/", body, format="json").json()["user"][0]
    moved = client.patch(f"{API}/ambassadors/{network['slagelse'].pk}/", {"municipality": "270"}, format="json")
    assert moved.status_code == 400
    assert set(moved.json()) == {"grant"}


def test_last_report_and_late(network: dict[str, Any]) -> None:
    slagelse: Ambassador = network["slagelse"]
    pool = slagelse.grant.application.pool
    pool.reporting_delay_days = 0  # the last quarter's report was due the day it ended
    pool.save()
    client = client_for(network["reviewer"])
    second = quarters_of(slagelse)[1]

    row = client.get(f"{API}/ambassadors/{slagelse.pk}/").json()
    assert row["last_report"] == {"year": second.year, "quarter": second.quarter, "state": "submitted"}
    assert row["late"] is True
    assert row["name"] == str(slagelse)

    last = Quarter.of(timezone.localdate()).previous()
    write_report(slagelse, last, submit=True)
    row = client.get(f"{API}/ambassadors/{slagelse.pk}/").json()
    assert row["late"] is False
    assert row["last_report"] == {"year": last.year, "quarter": last.quarter, "state": "submitted"}
    # A draft is not a handed-in report: Gribskov's last one is still the second quarter's.
    rows = client.get(f"{API}/ambassadors/", {"municipality": "270"}).json()["results"]
    assert [r["last_report"]["quarter"] for r in rows] == [quarters_of(network["gribskov"])[1].quarter]


# Ambassador reports ------------------------------------------------------------------------------


def test_an_ambassador_writes_submits_and_siri_acknowledges(network: dict[str, Any]) -> None:
    slagelse: Ambassador = network["slagelse"]
    women, attendance = goals_of(slagelse.grant)
    third = quarters_of(slagelse)[2]
    client = client_for(slagelse.user)
    body = {
        "year": third.year,
        "quarter": third.quarter,
        "company_contacts": 14,
        "matches_internship": 5,
        "matches_wage_subsidy": 2,
        "matches_igu": 1,
        "matches_ordinary_job": 2,
        "narrative": "Kontakt til 14 virksomheder.",
        "contributions": [
            {"goal": women.pk, "value": "3", "comment": "Tre kvinder i job."},
            {"goal": attendance.pk, "value": 1.5},
        ],
    }
    # People are added only to a count goal, and whole: not to 70 % attendance, not half a person.
    refused = client.post(f"{API}/ambassador-reports/", body, format="json")
    assert refused.status_code == 400
    assert refused.json() == {
        "contributions": [
            "“Gennemsnitlig fremmødeprocent” is not counted in people added up over the project: a contribution "
            "counts only toward a count goal (e.g. 35 women into work), never toward a share or an average."
        ]
    }
    body["contributions"] = [{"goal": women.pk, "value": "3", "comment": "Tre kvinder i job."}]
    created = client.post(f"{API}/ambassador-reports/", body, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["ambassador"] == slagelse.pk
    assert data["state"] == "draft"
    assert data["matches"] == 10
    assert data["contributions"] == [{"goal": women.pk, "value": "3.00", "comment": "Tre kvinder i job."}]
    report = f"{API}/ambassador-reports/{data['id']}/"

    changed = client.patch(report, {"obstacles": "Sygdom", "contributions": []}, format="json").json()
    assert changed["obstacles"] == "Sygdom"
    assert changed["contributions"] == []
    assert changed["company_contacts"] == 14

    submitted = client.post(f"{report}submit/").json()
    assert submitted["state"] == "submitted"
    assert submitted["first_submitted_at"] is not None

    siri = client_for(network["reviewer"])
    returned = siri.post(f"{report}return/", {"reason": "Beskriv IGU-forløbet."}, format="json").json()
    assert returned["state"] == "draft"
    assert returned["returned_reason"] == "Beskriv IGU-forløbet."
    client.post(f"{report}submit/")
    assert siri.post(f"{report}acknowledge/").json()["state"] == "acknowledged"
    # The committee of Slagelse reads it, and cannot change it.
    committee = client_for(network["committee"])
    assert committee.get(report).json()["state"] == "acknowledged"
    assert committee.patch(report, {"narrative": "Overskrevet"}, format="json").status_code == 403


def test_every_problem_of_a_report_is_named(network: dict[str, Any]) -> None:
    slagelse: Ambassador = network["slagelse"]
    third = quarters_of(slagelse)[2]
    women = goals_of(slagelse.grant)[0]
    gribskov_goal = goals_of(network["gribskov"].grant)[0]
    body = {
        "year": third.year,
        "quarter": third.quarter,
        "company_contacts": "mange",
        "matches_igu": -2,
        "new_partnerships": 10**12,
        "knowledge_sharing": 1.5,
        "contributions": [
            {"goal": gribskov_goal.pk, "value": 1},
            {"goal": women.pk, "value": "abc"},
            {"value": 2},
        ],
    }
    client = client_for(slagelse.user)
    response = client.post(f"{API}/ambassador-reports/", body, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"company_contacts", "matches_igu", "new_partnerships", "knowledge_sharing", "contributions"}
    joined = " ".join(errors["contributions"])
    assert "Row 2, value" in joined
    assert "Row 3, goal" in joined
    assert "not a goal of your project" in joined

    assert set(client.post(f"{API}/ambassador-reports/", {"quarter": 7}, format="json").json()) == {
        "year",
        "quarter",
    }
    assert client.post(f"{API}/ambassador-reports/", ["not", "a", "report"], format="json").status_code == 400
    assert client.post(f"{API}/ambassador-reports/", {"contributions": "3"}, format="json").status_code == 400
    # The quarter the services check: before the project, and one that has a report already.
    before = quarters_of(slagelse)[0].previous()
    outside = client.post(f"{API}/ambassador-reports/", {"year": before.year, "quarter": before.quarter}, format="json")
    assert outside.status_code == 400
    assert "outside the project period" in outside.json()["quarter"][0]
    second = quarters_of(slagelse)[1]
    again = client.post(f"{API}/ambassador-reports/", {"year": second.year, "quarter": second.quarter}, format="json")
    assert "already" in again.json()["quarter"][0]
    # The quarter of a draft stays.
    moved = client.patch(f"{API}/ambassador-reports/{network['draft'].pk}/", {"quarter": third.quarter}, format="json")
    assert moved.status_code == 400
    assert set(moved.json()) == {"quarter"}


def test_wrong_state_is_a_conflict(network: dict[str, Any]) -> None:
    submitted = f"{API}/ambassador-reports/{network['submitted'].pk}/"
    ambassador = client_for(network["ambassador"])
    # A handed-in report cannot change, whatever the body says.
    response = ambassador.patch(submitted, {"company_contacts": "mange"}, format="json")
    assert response.status_code == 409
    assert "submitted" in response.json()["detail"].lower()
    siri = client_for(network["reviewer"])
    assert siri.post(f"{submitted}acknowledge/").status_code == 200
    assert siri.post(f"{submitted}acknowledge/").status_code == 409
    assert siri.post(f"{submitted}return/", {"reason": "For sent."}, format="json").status_code == 409


def test_returning_needs_a_reason_and_submitting_a_narrative(network: dict[str, Any]) -> None:
    siri = client_for(network["reviewer"])
    submitted = f"{API}/ambassador-reports/{network['submitted'].pk}/"
    for body in ({}, {"reason": "  "}):
        response = siri.post(f"{submitted}return/", body, format="json")
        assert response.status_code == 400
        assert set(response.json()) == {"reason"}
    ambassador = client_for(network["ambassador"])
    draft = f"{API}/ambassador-reports/{network['draft'].pk}/"
    ambassador.patch(draft, {"narrative": ""}, format="json")
    response = ambassador.post(f"{draft}submit/")
    assert response.status_code == 400
    assert set(response.json()) == {"narrative"}


def test_an_ambassador_siri_has_not_registered_cannot_report(network: dict[str, Any]) -> None:
    response = client_for(network["new_user"]).post(
        f"{API}/ambassador-reports/", body_for("new report", network), format="json"
    )
    assert response.status_code == 409
    assert "SIRI" in response.json()["detail"]


def test_an_ambassador_proposes_and_siri_publishes(network: dict[str, Any]) -> None:
    slagelse: Ambassador = network["slagelse"]
    body = {
        "municipality": "330",
        "theme": "company_cooperation",
        "title": "Faste kontaktpersoner",
        "summary": "Hver virksomhed har én kontaktperson i jobcentret.",
        "contact_name": "Jobcenter Slagelse",
        "contact_email": "job@slagelse.test",
        "tags": ["virksomhed", "kontakt"],
        "source_reports": [network["submitted"].pk],
    }
    created = client_for(slagelse.user).post(f"{API}/best-practices/", body, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["state"] == "proposed"
    assert data["source_reports"] == [network["submitted"].pk]
    assert data["theme_label"] == "Company cooperation"
    # Not in the catalogue before SIRI publishes it.
    applicant = client_for(network["slagelse_applicant"])
    assert applicant.get(f"{API}/best-practices/{data['id']}/").status_code == 404
    published = client_for(network["reviewer"]).post(f"{API}/best-practices/{data['id']}/publish/")
    assert published.json()["state"] == "published"
    seen = applicant.get(f"{API}/best-practices/{data['id']}/").json()
    assert seen["title"] == "Faste kontaktpersoner"
    assert seen["source_reports"] == [network["submitted"].pk]  # Slagelse's applicant may see that report
    # Gribskov's applicant reads the entry, not which of Slagelse's reports it came from.
    assert (
        client_for(network["gribskov_applicant"]).get(f"{API}/best-practices/{data['id']}/").json()["source_reports"]
        == []
    )


def test_every_problem_of_a_proposal_is_named(network: dict[str, Any]) -> None:
    body = {
        "municipality": "999",
        "theme": "astrology",
        "summary": "",
        "contact_email": "ikke en adresse",
        "tags": "virksomhed",
        "source_reports": [network["draft"].pk, network["gribskov_report"].pk],
    }
    response = client_for(network["ambassador"]).post(f"{API}/best-practices/", body, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"municipality", "theme", "title", "summary", "contact_email", "tags", "source_reports"}
    assert "company_cooperation" in errors["theme"][0]


# Network meetings --------------------------------------------------------------------------------


def test_meetings_with_attendance(network: dict[str, Any]) -> None:
    slagelse: Ambassador = network["slagelse"]
    gribskov: Ambassador = network["gribskov"]
    siri = client_for(network["reviewer"])
    created = siri.post(
        f"{API}/network-meetings/",
        {"held_on": "2026-11-03", "place": "Slagelse", "agenda": "IGU", "attended": [gribskov.pk]},
        format="json",
    )
    assert created.status_code == 201
    meeting = created.json()
    assert meeting["attended"] == [gribskov.pk]
    assert "i_attended" not in meeting
    url = f"{API}/network-meetings/{meeting['id']}/"
    changed = siri.patch(url, {"minutes": "Gribskov og Slagelse deltog.", "attended": [slagelse.pk, gribskov.pk]})
    assert changed.json()["attended"] == sorted([slagelse.pk, gribskov.pk])
    assert changed.json()["place"] == "Slagelse"

    mine = client_for(slagelse.user).get(f"{API}/network-meetings/").json()["results"]
    assert {row["id"]: row["i_attended"] for row in mine} == {meeting["id"]: True, network["meeting"].pk: True}
    theirs = client_for(gribskov.user).get(f"{API}/network-meetings/").json()["results"]
    assert {row["id"]: row["i_attended"] for row in theirs} == {meeting["id"]: True, network["meeting"].pk: False}


def test_every_problem_of_a_meeting_is_named(network: dict[str, Any]) -> None:
    siri = client_for(network["reviewer"])
    response = siri.post(f"{API}/network-meetings/", {"held_on": "i morgen", "attended": [999999]}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"held_on", "place", "attended"}
    assert "999999" in response.json()["attended"][0]
    url = f"{API}/network-meetings/{network['meeting'].pk}/"
    assert set(siri.patch(url, {"place": "", "attended": ["x"]}, format="json").json()) == {"place", "attended"}


# The schema and the query counts -----------------------------------------------------------------


def test_the_schema_names_the_endpoints(reviewer: Any) -> None:
    schema = client_for(reviewer).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in (
        "/api/v1/ambassadors/",
        "/api/v1/ambassadors/{id}/",
        "/api/v1/ambassador-reports/",
        "/api/v1/ambassador-reports/{id}/submit/",
        "/api/v1/ambassador-reports/{id}/acknowledge/",
        "/api/v1/ambassador-reports/{id}/return/",
        "/api/v1/best-practices/",
        "/api/v1/best-practices/{id}/publish/",
        "/api/v1/network-meetings/{id}/",
    ):
        assert path in paths
    assert any(p["name"] == "search" for p in paths["/api/v1/best-practices/"]["get"]["parameters"])


def _grow(network: dict[str, Any], count: int, prefix: str, month: int) -> None:
    """More ambassadors, handed-in reports with contributions, entries and meetings."""
    grant: Grant = network["slagelse"].grant
    women = goals_of(grant)[0]
    now = timezone.now()
    for number in range(count):
        user, _created = set_person(f"{prefix}{number}", "ambassador", ["330"], f"{prefix}{number}@example.test", "pw")
        ambassador = make_ambassador(user, grant, "330")
        quarter = quarters_of(ambassador)[1]
        report = AmbassadorReport.objects.create(
            ambassador=ambassador,
            year=quarter.year,
            quarter=quarter.quarter,
            state=AmbassadorReportState.SUBMITTED,
            narrative="Netværk.",
            submitted_at=now,
            first_submitted_at=now,
        )
        GoalContribution.objects.create(report=report, goal=women, value=Decimal(1))
        practice = BestPractice.objects.create(
            municipality=ambassador.municipality,
            theme=Theme.OTHER,
            title=f"Virksomhed {prefix} {number}",
            summary="Virksomheder i netværk.",
            state=PracticeState.PUBLISHED,
        )
        practice.source_reports.add(report)
        refresh_vectors(BestPractice.objects.filter(pk=practice.pk))  # as services.propose_practice does
        meeting = NetworkMeeting.objects.create(held_on=datetime.date(2026, month, 1 + number), place="Odense")
        meeting.attendance.create(ambassador=ambassador)


LISTS = (
    ("reviewer", "/ambassadors/"),
    ("committee", "/ambassadors/"),
    ("reviewer", "/ambassador-reports/"),
    ("slagelse_applicant", "/ambassador-reports/"),
    ("reviewer", "/best-practices/"),
    ("reviewer", "/best-practices/?search=virksomhed"),
    ("ambassador", "/network-meetings/"),
)


@pytest.mark.parametrize(("persona", "path"), LISTS)
def test_list_queries_do_not_grow_with_the_rows(
    network: dict[str, Any], persona: str, path: str, django_assert_max_num_queries: Any
) -> None:
    client = client_for(network[persona])
    _grow(network, 1, "few", 1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(API + path).status_code == 200
    _grow(network, 6, "many", 2)
    with django_assert_max_num_queries(len(few)):
        response = client.get(API + path)
    assert response.json()["count"] >= 7
