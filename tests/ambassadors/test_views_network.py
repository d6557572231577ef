"""The network as SIRI sees it on pages: the overview of every ambassador's last reports, the late
ones and what awaits, in a fixed number of queries; and the network meetings."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ambassadors import services
from ambassadors.models import (
    Ambassador,
    NetworkMeeting,
)
from applications.accounts import set_person
from applications.models import Grant
from monitoring.quarters import Quarter

from .conftest import make_ambassador
from .test_views import client, service_report, text

pytestmark = pytest.mark.django_db


# The network overview ------------------------------------------------------------------------


def due_when_the_quarter_ends(*ambassadors: Ambassador) -> None:
    """Reports due the day a quarter ends: the last completed quarter's is late today, whatever the date."""
    for ambassador in ambassadors:
        pool = ambassador.grant.application.pool
        pool.reporting_delay_days = 0
        pool.save()


def test_the_network_overview_shows_last_reports_late_ones_and_what_awaits(
    slagelse_ambassador: Ambassador, gribskov_ambassador: Ambassador, reviewer: Any
) -> None:
    due_when_the_quarter_ends(slagelse_ambassador, gribskov_ambassador)
    last = Quarter.of(timezone.localdate()).previous()
    handed_in = service_report(slagelse_ambassador, last, submit=True)
    service_report(gribskov_ambassador, last)  # a draft is not handed in
    older = service_report(gribskov_ambassador, last.previous(), submit=True)
    services.acknowledge_report(older.pk, reviewer)

    browser = client(reviewer)
    url = reverse("ambassadors:network")
    response = browser.get(url)
    rows = {row.ambassador.pk: row for row in response.context["rows"]}
    assert rows[slagelse_ambassador.pk].late is None
    assert rows[slagelse_ambassador.pk].last == handed_in
    assert rows[gribskov_ambassador.pk].late == last
    assert rows[gribskov_ambassador.pk].last == older  # SIRI does not see the draft
    page = text(response)
    assert f"Late: {last}" in page and "1 late report" in page
    assert reverse("ambassadors:report", args=[handed_in.pk]) in page  # awaiting acknowledgement
    assert [r.pk for r in response.context["awaiting"]] == [handed_in.pk]
    assert "Women, Companies" in page
    assert reverse("monitoring:project", args=[slagelse_ambassador.grant_id]) in page

    gribskov = browser.get(url, {"municipality": "270"})
    assert [row.ambassador for row in gribskov.context["rows"]] == [gribskov_ambassador]
    assert list(gribskov.context["awaiting"]) == []
    partial = browser.get(url, {"municipality": "330"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="network-results")
    assert b"<html" not in partial.content and [r.ambassador for r in partial.context["rows"]] == [slagelse_ambassador]
    nonsense = browser.get(url, {"municipality": "999"})
    assert nonsense.status_code == 200 and len(nonsense.context["rows"]) == 2


def test_an_inactive_ambassador_or_one_who_started_later_is_not_late(
    slagelse_ambassador: Ambassador, gribskov_ambassador: Ambassador, reviewer: Any
) -> None:
    due_when_the_quarter_ends(slagelse_ambassador, gribskov_ambassador)
    slagelse_ambassador.active = False
    slagelse_ambassador.save()
    gribskov_ambassador.started_on = Quarter.of(timezone.localdate()).start
    gribskov_ambassador.save()
    rows = client(reviewer).get(reverse("ambassadors:network")).context["rows"]
    assert [row.late for row in rows] == [None, None]


def _add_ambassadors(grant: Grant, count: int, start: int) -> None:
    for index in range(start, start + count):
        user, _created = set_person(f"amb{index}", "ambassador", ["330"], f"amb{index}@slagelse.test", "pw")
        ambassador = make_ambassador(user, grant, "330")
        service_report(ambassador, Quarter.of(grant.start_date), submit=True)


def test_the_network_overview_costs_the_same_queries_for_3_and_15_ambassadors(
    granted_project: Grant, reviewer: Any, django_assert_num_queries: Any
) -> None:
    browser = client(reviewer)
    url = reverse("ambassadors:network")
    browser.get(url)  # the session and the user's profile settle
    _add_ambassadors(granted_project, 3, 0)
    with CaptureQueriesContext(connection) as few:
        assert len(browser.get(url).context["rows"]) == 3
    _add_ambassadors(granted_project, 12, 3)
    with django_assert_num_queries(len(few)):
        response = browser.get(url)
    assert len(response.context["rows"]) == 15
    assert len(response.context["awaiting"]) == 15


def test_the_network_overview_pages_both_tables_in_the_same_queries(
    granted_project: Grant, reviewer: Any, monkeypatch: Any, django_assert_num_queries: Any
) -> None:
    from ambassadors.views import network as network_views

    monkeypatch.setattr(network_views, "PAGE_SIZE", 4)
    browser = client(reviewer)
    url = reverse("ambassadors:network")
    browser.get(url)
    _add_ambassadors(granted_project, 6, 0)
    with CaptureQueriesContext(connection) as few:
        browser.get(url)
    _add_ambassadors(granted_project, 9, 6)
    with django_assert_num_queries(len(few)):
        response = browser.get(url)
    assert len(response.context["rows"]) == 4 and response.context["page"].paginator.count == 15
    assert len(response.context["awaiting"]) == 4 and response.context["awaiting_page"].paginator.count == 15
    page = text(response)
    # Each table turns its own pages, keeping the other's.
    assert "?awaiting_page=2" in page and "?page=2" in page
    last = browser.get(url, {"page": 4, "awaiting_page": 2})
    assert len(last.context["rows"]) == 3 and len(last.context["awaiting"]) == 4
    assert "page=4&amp;awaiting_page=3" in text(last)


# Network meetings ----------------------------------------------------------------------------


def test_siri_plans_a_meeting_records_attendance_and_the_ambassador_reads_the_minutes(
    slagelse_ambassador: Ambassador, gribskov_ambassador: Ambassador, reviewer: Any
) -> None:
    siri = client(reviewer)
    held_on = timezone.localdate() - datetime.timedelta(days=3)
    planned = siri.post(
        reverse("ambassadors:meeting_create"),
        {"held_on": held_on.strftime("%d.%m.%Y"), "place": "SIRI, Odense", "agenda": "Virksomhedssamarbejde"},
    )
    meeting = NetworkMeeting.objects.get()
    assert planned.status_code == 302 and planned["Location"] == reverse("ambassadors:meeting", args=[meeting.pk])
    assert meeting.held_on == held_on and meeting.created_by == reviewer

    edit = reverse("ambassadors:meeting_edit", args=[meeting.pk])
    form = text(siri.get(edit))
    assert "ambassador@example.test (Slagelse)" in form and "amb@gribskov.test (Gribskov)" in form
    recorded = siri.post(
        edit,
        {
            "held_on": held_on.strftime("%d.%m.%Y"),
            "place": "SIRI, Odense",
            "agenda": "Virksomhedssamarbejde",
            "minutes": "Holbæk fortalte om virksomhedsnetværk.",
            "attended": [str(slagelse_ambassador.pk)],
        },
    )
    assert recorded.status_code == 302
    assert list(meeting.attendance.values_list("ambassador", flat=True)) == [slagelse_ambassador.pk]

    listing = text(client(slagelse_ambassador.user).get(reverse("ambassadors:meetings")))
    assert "You attended" in listing and "Read the minutes" in listing
    assert "Plan a meeting" not in listing
    detail = text(client(slagelse_ambassador.user).get(reverse("ambassadors:meeting", args=[meeting.pk])))
    assert "Holbæk fortalte om virksomhedsnetværk." in detail and "You attended" in detail
    other = text(client(gribskov_ambassador.user).get(reverse("ambassadors:meeting", args=[meeting.pk])))
    assert "You did not attend this meeting." in other
    assert reverse("ambassadors:meeting", args=[meeting.pk]) in text(
        client(slagelse_ambassador.user).get(reverse("ambassadors:home"))
    )


def test_a_meeting_without_date_or_place_names_both(reviewer: Any) -> None:
    response = client(reviewer).post(reverse("ambassadors:meeting_create"), {"held_on": "31.02.2026", "place": ""})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"held_on", "place"}
    assert not NetworkMeeting.objects.exists()
