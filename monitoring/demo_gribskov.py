"""Gribskov's "Projekt 44 point = arbejde" (seed 000, the Gribskov model) as a second granted demo
project, on top of `load_demo`, with its outcomes and its economics; and the marks that label the
demo's illustrative figures (`demo_labels.label_demo`).

The story, all of it before today (the seed's project ran in 2006; the demo moves it to 2024):

- Gribskov applies to a pool for employment efforts for refugee and immigrant women (its window
  closed 30.11.2023): the city council approves on 08.11.2023, the application is submitted on
  20.11.2023 and granted on 14.12.2023;
- the project runs 01.01.2024–30.06.2024: the training course for 10 immigrant women on social
  assistance. Each quarter's report is written the day after the quarter ends, handed in five days
  before it is due and accepted by SIRI;
- the outcome at the project's end is the seed's first run (2006): 6 of 10 in ordinary work (the
  report of the 2nd quarter of 2024, written after the period ended). The seed's 10 of 10 twelve
  months after belongs to the follow-up after the end (30.06.2025), which a quarterly report of
  the period cannot carry; the seed's 5 of 6 and 6 of 6 are the second run's (2007), a cohort of
  its own, so they are not mixed into this project's outcomes;
- the follow-up after the end (followups.py), recorded by Gribskov's applicant through the service
  once the grant is in force (accepted: `load_awards_demo` accepts it, and `make run` loads this
  demo again after it): 12 months after the end (30.06.2025) the seed's 10 of 10 in ordinary work;
  3 months after (30.09.2024) 8 of 10, which is illustrative and marked so: the seed gives no
  3-month figure for the first run (the 6 of 6 is the second run's). Left out, the demo's project
  would show a follow-up that is merely late, which the seed does not say either; between the 6
  at the end and the 10 a year on, 8 is a figure a reader takes for what it is, as the mark says.
  Each is handed in five days before it is due, as the reports are;
- the economics are the seed's table (8.054 kr. net support, 5.417 kr. activation, 5.130 kr. tax,
  35 % / 65 % refund, the stated 9.489 kr. net gain and the effect of 80 % of its last column),
  entered by Gribskov. The project's page shows 11,4 months at the 60 % of the outcome at
  project end and 8,6 at the entered 80 %.

Everything goes through applications.services and monitoring.services as the municipality's and
SIRI's clicks would. What the services take from the clock (the pool's window while it is open,
the submission and grant times, the hand-in times) is set afterwards to the story's dates; the
transition logs keep the real time of loading, as they are never edited. The amounts, the pool,
the narratives, the progress between the outcomes and the contact details are illustrative, and
the pages say so (`core.illustrative`). Idempotent: what exists is left alone.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from applications import services as application_services
from applications.demo import CRITERIA, recommend_grant
from applications.models import (
    Application,
    ApprovalStatus,
    BudgetCategory,
    BudgetLine,
    Criterion,
    Goal,
    GoalKind,
    Grant,
    Measure,
    Municipality,
    Pool,
    TargetGroup,
)
from core.demo import DemoPrerequisiteMissing
from core.illustrative import mark

from . import economics, followups, services
from .demo_labels import POOL_NOTE, label_demo
from .models import FollowUp, FollowUpPoint, Milestone, ProjectEconomics, QuarterlyReport, due_date, takes_follow_ups
from .quarters import Quarter

PROJECT_TITLE = "Projekt 44 point = arbejde"
PROJECT_MUNICIPALITY = "270"
APPLICANT_USERNAME = "gribskov"
REVIEWER_USERNAME = "reviewer"
POOL_NAME = "Pulje til beskæftigelsesfremmende indsats for flygtninge- og indvandrerkvinder"
GOAL_TITLE = "Deltagere i ordinær beskæftigelse"

WINDOW = (datetime.date(2023, 9, 1), datetime.date(2023, 11, 30))
APPROVED_ON = datetime.date(2023, 11, 8)
SUBMITTED_AT = datetime.datetime(2023, 11, 20, 10, 15)
GRANTED_AT = datetime.datetime(2023, 12, 14, 13, 0)
START, END = datetime.date(2024, 1, 1), datetime.date(2024, 6, 30)
AMOUNT = Decimal("450000.00")
DAYS_BEFORE_DUE = 5

# The seed's table, per person and month; the effect of its last column (80 %).
ECONOMICS = {
    "net_support_cost": Decimal(8054),
    "activation_cost": Decimal(5417),
    "activation_months": 12,
    "refund_without": Decimal(35),
    "refund_with": Decimal(65),
    "tax_income": Decimal(5130),
    "stated_net_gain": Decimal(9489),
    "effect": Decimal(80),
}

# One report per quarter: in work (the goal), money spent to date, the seed's outcomes where they
# belong, and what happened (after the seed's description of the method).
REPORTS: tuple[dict[str, Any], ...] = (
    {
        "quarter": Quarter(2024, 1),
        "in_work": 0,
        "spent": "110000",
        "narrative": (
            "Ti indvandrerkvinder på kontanthjælp i matchgruppe 4 er visiteret til forløbet. Den lukkede "
            "træningsbane til hotelrengøring er etableret, og deltagerne tager ugentlige test mod "
            "virksomhedens kvalifikationskrav: ved 44 point og gennemført virksomhedspraktik er de "
            "garanteret ansættelse."
        ),
        "obstacles": "Flere deltagere har haft sygefravær og lægebesøg i forløbets første uger.",
        "adjustments": "Massiv individuel vejledning og sprogundervisning målrettet hotelbranchen.",
    },
    {
        "quarter": Quarter(2024, 2),
        "in_work": 6,
        "spent": "450000",
        "outcomes": [{"point": "end", "participants": 10, "employed": 6}],
        "narrative": (
            "Forløbet er afsluttet 30. juni. Seks af de ti deltagere har opnået 44 point, gennemført "
            "virksomhedspraktik og er ansat i ordinær beskæftigelse."
        ),
        "obstacles": "",
        "adjustments": "Projektlederen følger tæt op på deltagerne i seks måneder for at sikre fastholdelsen.",
    },
)

APPLICATION_NOTE = (
    "Tilskudsbeløb, budget, projektperiode, målets størrelse og kontaktoplysninger er illustrative. "
    "Projektets indhold, resultater og økonomi er fra Gribskovmodellen, »Projekt 44 point = arbejde« "
    "(oktober 2007), hvor forløbet fandt sted i 2006."
)
REPORT_NOTE = (
    "Rapportens tekster og forbrug er illustrative. Resultatet (6 af 10 i ordinær beskæftigelse ved "
    "projektafslutning) er fra Gribskovmodellen."
)


# The follow-up after the end: (point, completed, in work or education, the mark's note or None).
FOLLOW_UPS: tuple[tuple[str, int, int, str | None], ...] = (
    (
        FollowUpPoint.AFTER_3_MONTHS,
        10,
        8,
        "Opfølgningen 3 måneder efter afslutningen (8 af 10) er illustrativ: Gribskovmodellen angiver intet "
        "tal 3 måneder efter for første gennemløb.",
    ),
    (
        FollowUpPoint.AFTER_12_MONTHS,
        10,
        10,
        None,  # the seed's: "10 ud af 10 deltagere havde opnået ordinær beskæftigelse 12 mdr. efter"
    ),
)
FOLLOW_UP_COMMENTS = {
    FollowUpPoint.AFTER_3_MONTHS: "Deltagerne er fastholdt i beskæftigelsen med tæt opfølgning fra projektlederen.",
    FollowUpPoint.AFTER_12_MONTHS: "Alle 10 deltagere er i ordinær beskæftigelse (Gribskovmodellen, 1. gennemløb).",
}


@dataclass(frozen=True)
class Loaded:
    project: bool
    reports: int
    economics: bool
    labels: int
    follow_ups: int = 0

    @property
    def anything(self) -> bool:
        return self.project or self.economics or bool(self.reports or self.labels or self.follow_ups)


def _aware(moment: datetime.datetime) -> datetime.datetime:
    return timezone.make_aware(moment)


def _users() -> dict[str, Any]:
    names = [APPLICANT_USERNAME, REVIEWER_USERNAME]
    users = {u.username: u for u in get_user_model().objects.filter(username__in=names)}
    if len(users) < len(names):
        raise DemoPrerequisiteMissing("Load the base demo first: manage.py load_demo")
    return users


def _pool(today: datetime.date) -> Pool:
    """The pool, open today so that the submit's own check passes; its window is set to 2023 after."""
    pool, created = Pool.objects.get_or_create(
        name=POOL_NAME,
        defaults={
            "description": (
                "Midler til den beskæftigelsesfremmende indsats for flygtninge- og indvandrerkvinder samt "
                "familiesammenførte."
            ),
            "total_budget": Decimal("12000000.00"),
            "max_grant": Decimal("1000000.00"),
            "opens_on": today - datetime.timedelta(days=1),
            "closes_on": today + datetime.timedelta(days=1),
            "project_start_earliest": START,
            "project_end_latest": datetime.date(2025, 12, 31),
            "requires_political_approval": True,
        },
    )
    if created:
        Criterion.objects.bulk_create(
            Criterion(pool=pool, name=name, weight=weight, position=i) for i, (name, weight) in enumerate(CRITERIA)
        )
        mark(pool, POOL_NOTE)
    return pool


def _application(pool: Pool, applicant: Any) -> Application:
    application = Application.objects.create(
        pool=pool,
        lead_municipality=Municipality.objects.get(code=PROJECT_MUNICIPALITY),
        created_by=applicant,
        title=PROJECT_TITLE,
        applicant_unit="Jobcenter Gribskov, Integration",
        applicant_address="Gribskov Kommune\nRådhusvej 3\n3200 Helsinge",
        cvr="29188335",
        grant_responsible_name="Jobcenterchefen",
        grant_responsible_title="Chef for Jobcenter Gribskov",
        grant_responsible_email="jobcenter@gribskov.demo.invalid",
        purpose=(
            "At bringe indvandrerkvinder på kontanthjælp i ordinær beskæftigelse gennem et kort "
            "træningsforløb målrettet hotelrengøring, med jobgaranti ved opnåelse af 44 point i forhold "
            "til virksomhedens kvalifikationskrav."
        ),
        target_group_description=(
            "Indvandrerkvinder på kontanthjælp med væsentlige begrænsninger i sproglige, faglige, sociale "
            "og helbredsmæssige forudsætninger for at indgå i arbejdsstyrken. Målgruppen er omfattet af Ny "
            "chance og indplaceret i matchgruppe 4."
        ),
        current_effort=(
            "Ved anden aktivering er selvforsørgelseseffekten 28 % (evalueringen af Integrationsministeriets "
            "puljeindsats for flygtninge- og indvandrerkvinder, LG Insight 2006)."
        ),
        approach=(
            "Et intensivt vejlednings- og træningsforløb kombineret med et test- og scoresystem udarbejdet "
            "på baggrund af virksomhedens kvalifikationskrav. Deltagerne er garanteret ansættelse ved "
            "opnåelse af 44 point og gennemførelse af virksomhedspraktik."
        ),
        objectives="At deltagerne opnår ordinær beskæftigelse ved projektafslutning og fastholdes i den.",
        measures=[Measure.INTERNSHIP, Measure.MENTOR],
        methods=(
            "Lukket træningsbane til træning af arbejdsfunktioner inden for hotelservice; ugentlige test og "
            "kåring af ugens kursist; sprogundervisning målrettet brancheområdet; tosprogede instruktører og "
            "sprogkonsulenter i samarbejde med virksomheden."
        ),
        # Organisation og ledelse in SIRI's five points, from what the leaflet says of the project.
        political_anchoring="Projektet er besluttet af kommunen og indgår i Jobcentrets indsats for målgruppen.",
        management="Ledelsen bakker op og har placeret beslutningskompetencen i projektet.",
        cross_sector_ownership=(
            "Samarbejdspartnere: Københavns Hotel- og Restaurationservice, Sprogcenter Nordsjælland, Servisio og "
            "Integrationservice."
        ),
        continuation="Erfaringerne formidles på seminarer i samarbejde med Integrationservice.",
        committee_briefing="Udvalget orienteres hvert kvartal om deltagernes resultater.",
        anchoring=(
            "Projektlederen gennemfører seks måneders tæt opfølgning for at sikre deltagernes fastholdelse; "
            "erfaringerne formidles på seminarer i samarbejde med Integrationservice."
        ),
        start_date=START,
        end_date=END,
    )
    group = TargetGroup.objects.create(
        application=application,
        name="indvandrerkvinder på kontanthjælp i matchgruppe 4",
        size=10,
        description="Omfattet af Ny chance.",
    )
    Goal.objects.create(
        application=application,
        target_group=group,
        title=GOAL_TITLE,
        kind=GoalKind.COUNT,
        target_value=10,
        baseline=0,
        unit="personer",
        cumulative=True,
    )
    for year, category, amount, fte in (
        (2024, BudgetCategory.SALARIES, "360000.00", "1.00"),
        (2024, BudgetCategory.ACTIVITIES, "90000.00", None),
    ):
        BudgetLine.objects.create(
            application=application,
            year=year,
            category=category,
            amount=Decimal(amount),
            fte=Decimal(fte or 0),
        )
    return application


def _granted_project(users: dict[str, Any]) -> Application:
    applicant, reviewer = users[APPLICANT_USERNAME], users[REVIEWER_USERNAME]
    pool = _pool(timezone.localdate())  # the day the submit checks the window on
    application = _application(pool, applicant)
    # Numbered in the year it was submitted (submit keeps a number it finds).
    application.journal_number = application_services.next_journal_number(SUBMITTED_AT.date())
    application.save(update_fields=["journal_number"])
    application_services.record_political_approval(
        application.pk,
        applicant,
        {
            "municipality": application.lead_municipality,
            "status": ApprovalStatus.APPROVED,
            "decided_on": APPROVED_ON,
            "body": "Byrådet",
            "reference": "Demo",
        },
    )
    application_services.submit(application.pk, applicant)
    application_services.save_review(
        application.pk,
        reviewer,
        recommend_grant(AMOUNT, "Konkret jobgaranti og et klart test- og scoresystem."),
    )
    application_services.grant(
        application.pk,
        reviewer,
        AMOUNT,
        "Tilskuddet dækker træningsforløbet for 10 deltagere.",
    )
    # The story's dates, where the services took today's.
    Pool.objects.filter(pk=pool.pk).update(opens_on=WINDOW[0], closes_on=WINDOW[1])
    Application.objects.filter(pk=application.pk).update(submitted_at=_aware(SUBMITTED_AT))
    Grant.objects.filter(application=application).update(granted_at=_aware(GRANTED_AT))
    return application


def _handed_in_at(application: Application, quarter: Quarter) -> datetime.datetime:
    milestone = Milestone.objects.get(grant=application.award, year=quarter.year, quarter=quarter.quarter)
    day = milestone.report_due_on - datetime.timedelta(days=DAYS_BEFORE_DUE)
    return _aware(datetime.datetime.combine(day, datetime.time(9, 45)))


def _reports(application: Application, users: dict[str, Any], today: datetime.date) -> int:
    applicant, reviewer = users[APPLICANT_USERNAME], users[REVIEWER_USERNAME]
    grant = application.award
    goal = grant.application.goals.get(title=GOAL_TITLE)
    created = 0
    for template in REPORTS:
        quarter: Quarter = template["quarter"]
        if quarter.end >= today:  # only quarters that are over, whatever day it is loaded
            break
        if QuarterlyReport.objects.filter(grant=grant, year=quarter.year, quarter=quarter.quarter).exists():
            continue
        data = {
            "year": quarter.year,
            "quarter": quarter.quarter,
            "narrative": template["narrative"],
            "obstacles": template["obstacles"],
            "adjustments": template["adjustments"],
            "enrolled": 10,
            "spent_to_date": Decimal(template["spent"]),
            "progress": [{"goal": goal.pk, "value": Decimal(template["in_work"])}],
        }
        if "outcomes" in template:
            data["outcomes"] = template["outcomes"]
        # Written the day after the quarter ended, as the municipality would.
        report = services.create_report(grant.pk, applicant, data, today=quarter.next().start)
        services.submit_report(report.pk, applicant)
        handed_in = _handed_in_at(application, quarter)
        QuarterlyReport.objects.filter(pk=report.pk).update(submitted_at=handed_in, first_submitted_at=handed_in)
        grant.milestones.filter(year=quarter.year, quarter=quarter.quarter).mark_handed_in()  # `update` sends none
        services.accept_report(report.pk, reviewer)
        mark(report, REPORT_NOTE)
        created += 1
    return created


def _economics(application: Application, users: dict[str, Any]) -> bool:
    if ProjectEconomics.objects.filter(grant=application.award).exists():
        return False
    economics.save_economics(application.award.pk, users[APPLICANT_USERNAME], ECONOMICS)
    return True


def _follow_ups(application: Application, users: dict[str, Any], today: datetime.date) -> int:
    """The follow-ups whose point has come, once the grant is in force (until `load_awards_demo`
    has accepted it, the grant takes none, and a later run of this demo records them)."""
    grant = Grant.objects.select_related("application__pool").get(pk=application.award.pk)
    if not takes_follow_ups(grant):
        return 0
    recorded = set(FollowUp.objects.filter(grant=grant).values_list("point", flat=True))
    created = 0
    for point, completed, in_work, note in FOLLOW_UPS:
        if point in recorded or followups.point_date(grant, point) > today:
            continue
        follow_up = followups.record_follow_up(
            grant.pk,
            users[APPLICANT_USERNAME],
            {
                "point": point,
                "completed": completed,
                "in_work_or_education": in_work,
                "comment": FOLLOW_UP_COMMENTS[point],
            },
            today=today,
        )
        # Handed in on the story's day, as the reports are: five days before it was due.
        handed_in = due_date(grant, point) - datetime.timedelta(days=DAYS_BEFORE_DUE)
        FollowUp.objects.filter(pk=follow_up.pk).update(
            submitted_at=_aware(datetime.datetime.combine(handed_in, datetime.time(10, 30)))
        )
        if note:
            mark(follow_up, note)
        created += 1
    return created


@transaction.atomic
def load_gribskov_demo(today: datetime.date | None = None) -> Loaded:
    today = today or timezone.localdate()
    users = _users()
    application = Application.objects.filter(
        title=PROJECT_TITLE, lead_municipality__code=PROJECT_MUNICIPALITY, pool__name=POOL_NAME
    ).first()
    created = application is None
    if application is None:
        application = _granted_project(users)
        mark(application, APPLICATION_NOTE)
    return Loaded(
        project=created,
        reports=_reports(application, users, today),
        economics=_economics(application, users),
        labels=label_demo(),
        follow_ups=_follow_ups(application, users, today),
    )
