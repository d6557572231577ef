"""The ambassador demo of `make run`: on top of the other demos, and loadable twice."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError

from ambassadors.data.catalogue import RAMBOLL_CATALOGUE
from ambassadors.models import (
    Ambassador,
    AmbassadorReport,
    AmbassadorReportState,
    Attendance,
    BestPractice,
    FocusArea,
    NetworkMeeting,
    PracticeState,
)

pytestmark = pytest.mark.django_db


def _load_base_demos() -> None:
    call_command("load_demo", stdout=StringIO())
    # The monitoring demo comes with the monitoring pages; the ambassador demo must not need it.
    if "load_monitoring_demo" in get_commands():
        call_command("load_monitoring_demo", stdout=StringIO())


def test_the_demo_loads_once_however_often_it_runs() -> None:
    _load_base_demos()
    call_command("load_ambassadors_demo", stdout=StringIO())
    call_command("load_ambassadors_demo", stdout=StringIO())

    ambassador = Ambassador.objects.get()
    assert ambassador.user.username == "ambassador"
    assert ambassador.municipality.code == "330"
    assert ambassador.grant.application.title == "Integrations Jobenheden"
    assert ambassador.started_on == ambassador.grant.start_date
    assert ambassador.focus_areas == [FocusArea.WOMEN, FocusArea.YOUTH, FocusArea.COMPANIES]

    reports = list(AmbassadorReport.objects.order_by("year", "quarter"))
    assert [r.state for r in reports] == [AmbassadorReportState.ACKNOWLEDGED, AmbassadorReportState.SUBMITTED]
    # The job unit's goals are levels (attendance, a cohort's share): no people are added to them.
    assert all(r.contributions.count() == 0 for r in reports)

    assert NetworkMeeting.objects.count() == 2
    past, upcoming = NetworkMeeting.objects.order_by("held_on")
    assert past.minutes and Attendance.objects.filter(meeting=past, ambassador=ambassador, attended=True).exists()
    assert not upcoming.minutes

    assert BestPractice.objects.filter(state=PracticeState.PUBLISHED).count() == len(RAMBOLL_CATALOGUE) == 15
    assert BestPractice.objects.count() == 15
    holbaek = BestPractice.objects.get(municipality__code="316")
    (contact,) = holbaek.contacts.all()
    assert (holbaek.title, contact.name, contact.email, contact.phone) == (
        "Virksomhedssamarbejdet",
        "Ibrahim Benli",
        "ibben@holb.dk",
        "+45 72 36 26 73",
    )


def test_without_the_base_demo_it_says_what_to_load_first() -> None:
    with pytest.raises(CommandError, match="load_demo"):
        call_command("load_ambassadors_demo", stdout=StringIO())
    assert not Ambassador.objects.exists()
