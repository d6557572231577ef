"""Demo data of the ambassador network, on top of `load_demo` (and `load_monitoring_demo`):

- the demo user `ambassador` as the employment ambassador of Slagelse's granted project
  "Integrations Jobenheden" (applications/demo.py), from the project's start, focused on women,
  youth and companies;
- the ambassador's reports for the project's first two quarters, one acknowledged by `reviewer`
  and one submitted and waiting for SIRI;
- a network meeting in the past with minutes and the ambassador's attendance, and one planned;
- the 15 entries of Rambøll's catalogue (seed 001), proposed and published by the reviewer, with
  their municipalities (Randers, Syddjurs and Norddjurs share one), contacts and source.

Everything but the ambassador record (no service creates one: SIRI does it in the admin) goes
through ambassadors.services, so rules, validation and the transition log are real. The demo is
idempotent: what exists is left alone, whatever users have done to it since.
The numbers of the reports are illustrative; the seeds give none.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from applications.models import Goal, Grant, Municipality
from core.demo import DemoPrerequisiteMissing
from monitoring.quarters import Quarter, quarters_between

from . import services
from .data.catalogue import RAMBOLL_CATALOGUE, SOURCE, CatalogueEntry
from .models import (
    Ambassador,
    AmbassadorReport,
    BestPractice,
    FocusArea,
    NetworkMeeting,
    PracticeContact,
    PracticeState,
)

PROJECT_TITLE = "Integrations Jobenheden"
PROJECT_MUNICIPALITY = "330"
AMBASSADOR_USERNAME = "ambassador"
SIRI_USERNAME = "reviewer"


@dataclass(frozen=True)
class Loaded:
    ambassador: bool
    reports: int
    meetings: int
    practices: int

    @property
    def anything(self) -> bool:
        return self.ambassador or bool(self.reports or self.meetings or self.practices)


# --- the ambassador's two quarters -------------------------------------------------------------

# Contributions are people brought towards a goal counted in people, by the goal's title. The
# job unit's two goals are levels (70 % attendance, a cohort's share self-supporting), which
# people are never added to, so these reports give none: the matches above say what the
# ambassador brought about.
REPORTS: tuple[dict[str, Any], ...] = (
    {
        "company_contacts": 18,
        "new_partnerships": 4,
        "matches_internship": 6,
        "matches_wage_subsidy": 2,
        "matches_igu": 1,
        "matches_ordinary_job": 1,
        "meetings_attended": 1,
        "knowledge_sharing": 2,
        "best_practices": (
            "Korte virksomhedsbesøg sammen med borgeren før praktikstart giver færre afbrudte praktikker."
        ),
        "obstacles": "Flere virksomheder i rengøring og pleje efterspørger dansk på et højere niveau end forventet.",
        "narrative": (
            "Første kvartal er brugt på at opbygge et netværk af virksomheder i Slagelse og Korsør, "
            "især i rengøring, pleje og lager. Fire virksomheder har indgået faste aftaler om praktikpladser, "
            "og seks borgere er startet i virksomhedspraktik."
        ),
        "contributions": (),
    },
    {
        "company_contacts": 22,
        "new_partnerships": 5,
        "matches_internship": 7,
        "matches_wage_subsidy": 3,
        "matches_igu": 1,
        "matches_ordinary_job": 3,
        "meetings_attended": 1,
        "knowledge_sharing": 3,
        "best_practices": (
            "En fast kontaktperson på virksomheden og en kort ugentlig opfølgning, inspireret af Holbæks “10 gode råd”."
        ),
        "obstacles": "Børnepasning begrænser, hvor mange timer flere af kvinderne kan arbejde.",
        "narrative": (
            "Andet kvartal har fokus på at omsætte praktikker til løntimer. Tre borgere er gået fra praktik "
            "til ordinært job, og én virksomhed har oprettet en IGU-stilling. Ambassadøren har "
            "fortalt om erfaringerne på netværksmødet."
        ),
        "contributions": (),
    },
)


def _report_data(grant: Grant, quarter: Quarter, template: dict[str, Any]) -> dict[str, Any]:
    goals = {goal.title: goal for goal in Goal.objects.filter(application=grant.application)}
    data = {key: value for key, value in template.items() if key != "contributions"}
    data.update(year=quarter.year, quarter=quarter.quarter)
    # A goal the project does not have (its goals were edited) is left out rather than invented.
    data["contributions"] = [
        {"goal": goals[title].pk, "value": Decimal(value), "comment": comment}
        for title, value, comment in template["contributions"]
        if title in goals
    ]
    return data


def _reports(ambassador: Ambassador, siri: Any) -> int:
    grant = ambassador.grant
    created = 0
    quarters = quarters_between(grant.start_date, grant.end_date)
    # The project's first quarters, as many as there are demo reports (a short project has fewer).
    for index, (quarter, template) in enumerate(zip(quarters, REPORTS, strict=False)):
        if AmbassadorReport.objects.filter(ambassador=ambassador, year=quarter.year, quarter=quarter.quarter).exists():
            continue
        # Written just after the quarter ended; the demo project may start in the future.
        report = services.create_report(
            ambassador.user, _report_data(grant, quarter, template), today=quarter.next().start
        )
        services.submit_report(report.pk, ambassador.user)
        if index == 0:
            services.acknowledge_report(report.pk, siri)
        created += 1
    return created


# --- network meetings --------------------------------------------------------------------------

# The agendas name the demo meetings, so a second run on a later day finds them again.
PAST_AGENDA = (
    "1. Velkomst og nye ambassadører\n"
    "2. Erfaringer fra kvartalet: fra praktik til løntimer\n"
    "3. Oplæg: Holbæks “10 gode råd” til virksomheder\n"
    "4. Næste skridt i best practice-kataloget"
)
PAST_MINUTES = (
    "Ambassadørerne delte erfaringer med at omsætte virksomhedspraktik til ordinære løntimer. "
    "Slagelse fortalte om korte virksomhedsbesøg før praktikstart. Det blev aftalt, at hver "
    "ambassadør foreslår mindst én praksis til kataloget inden næste møde."
)
UPCOMING_AGENDA = (
    "1. Status fra ambassadørerne\n"
    "2. Tema: kvinder langt fra arbejdsmarkedet\n"
    "3. Nye forslag til best practice-kataloget\n"
    "4. Eventuelt"
)


def _meetings(ambassador: Ambassador, siri: Any, today: datetime.date) -> int:
    created = 0
    if not NetworkMeeting.objects.filter(agenda=PAST_AGENDA).exists():
        services.save_meeting(
            siri,
            {
                "held_on": today - datetime.timedelta(days=28),
                "place": "SIRI, København",
                "agenda": PAST_AGENDA,
                "minutes": PAST_MINUTES,
                "attended": [ambassador.pk],
            },
        )
        created += 1
    if not NetworkMeeting.objects.filter(agenda=UPCOMING_AGENDA).exists():
        services.save_meeting(
            siri,
            {
                "held_on": today + datetime.timedelta(days=35),
                "place": "Slagelse Kommune, Kalundborgvej 59, Slagelse",
                "agenda": UPCOMING_AGENDA,
            },
        )
        created += 1
    return created


# --- the catalogue -----------------------------------------------------------------------------


def load_catalogue(siri: Any) -> int:
    """Propose and publish the 15 Rambøll entries that are not there yet; returns how many were new.
    An entry loaded before entries had several municipalities and contacts (it has no source yet)
    gets the rest of what the catalogue gives, once: what users changed later is left alone."""
    created = 0
    for entry in RAMBOLL_CATALOGUE:
        practice = BestPractice.objects.filter(municipality__code=entry.municipality, title=entry.title).first()
        if practice is None:
            practice = services.propose_practice(siri, entry.as_data())
            created += 1
        elif not practice.source:
            _complete(practice, entry)
        if practice.state != PracticeState.PUBLISHED:
            services.publish_practice(practice.pk, siri)
    return created


def _complete(practice: BestPractice, entry: CatalogueEntry) -> None:
    practice.municipalities.add(*Municipality.objects.filter(code__in=entry.municipalities))
    known = set(practice.contacts.values_list("name", flat=True))
    start = practice.contacts.count()
    PracticeContact.objects.bulk_create(
        PracticeContact(practice=practice, order=start + number, **contact.as_data())
        for number, contact in enumerate(c for c in entry.contacts if c.name not in known)
    )
    practice.source = SOURCE
    practice.save(update_fields=["source"])


# --- all of it ---------------------------------------------------------------------------------


def _prerequisites() -> tuple[Any, Any, Grant]:
    users = {u.username: u for u in get_user_model().objects.filter(username__in=[AMBASSADOR_USERNAME, SIRI_USERNAME])}
    grant = (
        Grant.objects.select_related("application")
        .filter(application__title=PROJECT_TITLE, application__lead_municipality__code=PROJECT_MUNICIPALITY)
        .first()
    )
    if len(users) < 2 or grant is None:
        raise DemoPrerequisiteMissing("Load the base demo first: manage.py load_demo")
    return users[AMBASSADOR_USERNAME], users[SIRI_USERNAME], grant


@transaction.atomic
def load_ambassadors_demo(today: datetime.date | None = None) -> Loaded:
    today = today or timezone.localdate()
    user, siri, grant = _prerequisites()
    ambassador, created = Ambassador.objects.get_or_create(
        user=user,
        defaults={
            "municipality": grant.application.lead_municipality,
            "grant": grant,
            "started_on": grant.start_date,
            "focus_areas": [FocusArea.WOMEN, FocusArea.YOUTH, FocusArea.COMPANIES],
            "email": user.email,
        },
    )
    return Loaded(
        ambassador=created,
        reports=_reports(ambassador, siri),
        meetings=_meetings(ambassador, siri, today),
        practices=load_catalogue(siri),
    )
