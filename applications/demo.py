"""Demo data from the project's Danish source documents (shared/seeds):

- SIRI's employment-ambassador pool with Slagelse's application (seed 003), submitted, political
  approval "sent later";
- Slagelse's integration job unit (seed 004) as a granted project: 2.171.981 kr. a year for four
  years, 5 FTE, about 340 people in match groups 3–4, result requirements 70 % average attendance
  (a level held from the first quarter) and 40 % self-supporting 12 months after enrolment (a
  share measured on the cohort enrolled 12 months before). It started six quarters before the
  quarter of the day the demo is loaded, so that monitoring's demo (load_monitoring_demo) can
  report five quarters, the last of them with the first cohort old enough to count.

The job unit's story is a possible one: its pool was open months before the project started, the
political approval came first, then the submission, the review and the grant, all before the
start, and every report after its quarter (monitoring's demo). The services run under
`core.demo.clock` on those days, so the log, the journal number and every stamp agree.

Everything goes through the same services as a real user's clicks, so the history is real.
Pool budgets, windows and criteria are not in the seeds: they are illustrative.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.demo import at, clock
from core.roles import Role

from . import services
from .accounts import set_person
from .models import (
    Application,
    ApprovalStatus,
    BudgetCategory,
    BudgetLine,
    Criterion,
    Goal,
    GoalKind,
    Measure,
    Municipality,
    Pool,
    TargetGroup,
)

DEMO_PASSWORD = "puljeflow-demo"  # noqa: S105 - printed by `make run`, demo only


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    municipalities: tuple[str, ...]
    what: str
    name: str  # made up; the pages show people by name


DEMO_USERS = (
    DemoUser("slagelse", Role.APPLICANT, ("330",), "applicant, Slagelse Kommune", "Mette Sørensen"),
    DemoUser("gribskov", Role.APPLICANT, ("270",), "applicant, Gribskov Kommune", "Lars Holm"),
    DemoUser("reviewer", Role.REVIEWER, (), "SIRI reviewer", "Anne Kjær"),
    DemoUser("pooladmin", Role.POOL_ADMIN, (), "SIRI pool administrator", "Peter Lund"),
    DemoUser("ambassador", Role.AMBASSADOR, ("330",), "employment ambassador, Slagelse", "Amina Hassan"),
    DemoUser("udvalg", Role.COMMITTEE, ("330",), "committee member, Slagelse", "Jens Madsen"),
)

AMBASSADOR_POOL = "Pulje til beskæftigelsesambassadører"
JOB_UNIT_POOL = "Pulje til styrket beskæftigelsesrettet integrationsindsats"
SLAGELSE_ADDRESS = "Center for Arbejdsmarked og Integration, Slagelse Kommune\nKalundborgvej 59\n4200 Slagelse"
# Seed 003's signer: "Tilskudsansvarliges navn (med blokbogstaver) og underskrift".
AMBASSADOR_SIGNER = ("Jens Højlund", "Arbejdsmarkedschef")

# SIRI's guidance in the ambassador pool's form (seed 003's prompts under each heading).
AMBASSADOR_GUIDANCE = {
    "applicant": "Skriv navn, adresse og CVR-nummer på den kommune, der ansøger om at være tilskudsmodtager.",
    "responsible": (
        "Skriv navn og e-mailadresse for den tilskudsansvarlige i projektet: den person, der har det fulde "
        "økonomiske og retlige ansvar for projektet, der gives tilskud til."
    ),
    "project": (
        "Beskrivelsen skal indeholde ambitiøse og konkrete mål for den beskæftigelsesrettede integrationsindsats, "
        "herunder hvordan ambassadøren forventes at indgå i tilrettelæggelsen og organiseringen af indsatsen – "
        "særligt med fokus på det gode match mellem flygtning og virksomhed. Ligeledes skal rammerne for, hvordan "
        "ambassadøren fremadrettet skal medvirke til at implementere best practice i kommunen, skitseres."
    ),
    "target_group": (
        "En beskrivelse af karakteristika hos målgruppen i kommunen. Herunder den samlede målgruppes størrelse "
        "samt kvinde- og ungegruppen."
    ),
    "effort": (
        "Beskrivelse af kommunens nuværende beskæftigelsesindsats for flygtninge og familiesammenførte, herunder "
        "konkrete initiativer og strategier samt en beskrivelse af den nuværende organisering af indsatsen. "
        "Beskriv derefter, hvordan kommunen vil opnå de opstillede mål i forhold til konkrete indsatser, og "
        "hvordan tilrettelæggelsen vil sikre en forbedret indsats i forhold til kvinderne."
    ),
    "organisation": (
        "Beskriv projektets organisationsstruktur og ledelse, herunder hvordan følgende sikres: en tydelig "
        "politisk forankring; en stærk ledelsesmæssig styring og organisering; ejerskab til projektet på tværs "
        "af ledelsesstrategi og på tværs af relevante sektorer og forvaltninger; videreførelse af projektets "
        "aktiviteter og resultater efter projektets afslutning."
    ),
    "anchoring": "Beskrivelse af, hvordan projektets aktiviteter tænkes videreført efter projektets afslutning.",
    "approval": (
        "Der stilles krav om politisk godkendelse, evt. kan oplysninger om politisk godkendelse eftersendes. "
        "Hvis der er tale om et fælles kommunalt projekt, er der krav om politisk godkendelse i alle kommuner."
    ),
}


def _pool(name: str, **fields: object) -> Pool:
    criteria = fields.pop("criteria")
    pool, created = Pool.objects.get_or_create(name=name, defaults=fields)
    if created:
        Criterion.objects.bulk_create(
            Criterion(pool=pool, name=c, weight=w, position=i) for i, (c, w) in enumerate(criteria)
        )
    return pool


def _window(today: datetime.date) -> dict[str, datetime.date]:
    # Demo pools are open on the day `make run` loads them, so the flow can be tried at once.
    return {"opens_on": today - datetime.timedelta(days=60), "closes_on": today + datetime.timedelta(days=90)}


CRITERIA = [
    ("Ambitiøse og konkrete mål", Decimal(3)),
    ("Målgruppe og indsatser", Decimal(2)),
    ("Organisation, ledelse og politisk forankring", Decimal(2)),
    ("Forankring efter projektet", Decimal(1)),
]


# A reviewer's reasons for a 4 on each criterion, as the other demos' reviews give them.
GOOD_REASONS = {
    "Ambitiøse og konkrete mål": "Målene er konkrete og målbare, med tal for hvert resultatkrav.",
    "Målgruppe og indsatser": "Målgruppen er klart afgrænset, og indsatserne passer til den.",
    "Organisation, ledelse og politisk forankring": "Projektejer, ledelse og politisk forankring er beskrevet.",
    "Forankring efter projektet": "Forankringen i driften er sandsynliggjort, men ikke finansieret.",
}


def recommend_grant(amount: Decimal, comment: str = "") -> dict[str, object]:
    """A review of the demo pools' criteria: a 4 on each with its reason, recommending `amount`."""
    return {
        "scores": {name: 4 for name, _weight in CRITERIA},
        "reasons": GOOD_REASONS,
        "recommendation": "grant",
        "amount": amount,
        "comment": comment,
    }


def _slagelse_ambassador(pool: Pool, applicant: object) -> Application:
    slagelse = Municipality.objects.get(code="330")
    start = datetime.date(timezone.localdate().year + 1, 1, 1)
    application = Application.objects.create(
        pool=pool,
        lead_municipality=slagelse,
        created_by=applicant,
        title='Projektet "Beskæftigelsesambassadør" – en integration der lykkes og skaber best practice',
        applicant_unit="Integration og Netværk, Center for Arbejdsmarked og Integration",
        applicant_address=SLAGELSE_ADDRESS,
        cvr="29188505",
        # The seed's signer, "den person, der har det fulde økonomiske og retlige ansvar", is the
        # grant-responsible person; the leader it names first at the top of the form is the contact.
        grant_responsible_name=AMBASSADOR_SIGNER[0],
        grant_responsible_title=AMBASSADOR_SIGNER[1],
        grant_responsible_email="jenhj@slagelse.dk",
        grant_responsible_phone="58579410",
        contact_name="Helle Sofie Dedenroth Larsen",
        contact_email="Hesla@slagelse.dk",
        purpose=(
            "Slagelse Kommunes formål med projektet er at opnå en højere beskæftigelsesgrad for den "
            "målgruppe, der indgår i projektets målgruppebeskrivelse, så den matcher niveauet for "
            "danskerne. Det er et formål at etablere kontinuerlige virksomhedsforløb, og målet er, at "
            "den enkelte opnår ansættelse i ordinære job."
        ),
        target_group_description=(
            "Flygtninge og familiesammenførte til flygtninge, der er omfattet af integrationsprogram, "
            "primært kvinder langt fra arbejdsmarkedet. Fokus på 35 kvinder under målgruppen "
            "aktivitetsparate og 15 unge i alderen op til 18 år, hvis forældre er omfattet af "
            "integrationsprogram."
        ),
        current_effort=(
            "Målgruppen af både kvinder langt fra arbejdsmarkedet og fritidsjob til unge med forældre i "
            "program har været en overset målgruppe siden 2015. Slagelse Kommunes strategi har været at "
            "få så mange jobparate i arbejde som muligt."
        ),
        approach=(
            "For at få kvinderne i arbejde kræver det bedre og andre veje med indsatser og forløb, der "
            "tilrettelægges med individuelle tværfaglige indsatser i et tæt samarbejde med virksomheden "
            "og den samlede familie."
        ),
        objectives=(
            "At få 35 kvinder under integrationsprogram i målgruppen aktivitetsparate i beskæftigelse "
            "gennem individuelle helheds- og familieorienterede indsatser. Kvinderne opnår og består "
            "danskuddannelse på det niveau, de tilmeldes."
        ),
        measures=[
            Measure.INTERNSHIP,
            Measure.WAGE_SUBSIDY,
            Measure.IGU,
            Measure.MENTOR,
            Measure.LANGUAGE_BUDDY,
            Measure.FAMILY,
            Measure.VOLUNTEER,
            Measure.INSPIRATION,
        ],
        methods=(
            "Erfarings- og vidensdeling om kulturbestemte forskelle; den kognitive metode; "
            "progressionsværktøj som metode for at måle progression hos den enkelte."
        ),
        # Organisation og ledelse as the seed answers it, point by point.
        political_anchoring="Projektet bliver politisk godkendt.",
        management=(
            "Arbejdsmarkedschef er projektejer, og ledelsesforankringen ligger hos daglig leder af "
            "Integration og Netværk. Ambassadør er projektleder."
        ),
        cross_sector_ownership=(
            "Invitation til workshop på tværs af organisationen og andre interessenter. Projektet forankres i "
            "Integration og Netværk med involvering af Slagelse Sprogcenter, skole, dagtilbud og "
            "sundhedsplejerskerne."
        ),
        continuation=(
            "Slagelse Kommune bidrager til projektets forankring med en workshop, der medvirker til at tilpasse "
            "arbejdsgange og strategi."
        ),
        committee_briefing="Orientering kvartalsvis til fagligt udvalg.",
        anchoring=(
            "Projektet implementeres efterfølgende i den daglige drift i forlængelse af projektets "
            "afslutning, og best practice i Slagelse Kommune videndeles i hele landet."
        ),
        start_date=start,
        end_date=datetime.date(start.year + 1, 12, 31),
    )
    women = TargetGroup.objects.create(
        application=application,
        name="aktivitetsparate kvinder",
        size=35,
        description="Kvinder langt fra arbejdsmarkedet under integrationsprogram.",
    )
    youth = TargetGroup.objects.create(
        application=application,
        name="unge under 18 år",
        size=15,
        description="Unge op til 18 år, hvis forældre er omfattet af integrationsprogram.",
    )
    Goal.objects.create(
        application=application,
        target_group=women,
        title="Kvinder i beskæftigelse",
        kind=GoalKind.COUNT,
        target_value=35,
        baseline=0,
        unit="personer",
        cumulative=True,
    )
    Goal.objects.create(
        application=application,
        target_group=youth,
        title="Unge i fritidsjob",
        kind=GoalKind.COUNT,
        target_value=15,
        baseline=0,
        unit="personer",
        cumulative=True,
    )
    # The seed gives no budget for the ambassador; one full-time ambassador a year is assumed.
    for year in (start.year, start.year + 1):
        BudgetLine.objects.create(
            application=application,
            year=year,
            category=BudgetCategory.SALARIES,
            amount=Decimal("550000.00"),
            fte=Decimal("1.00"),
        )
    return application


QUARTERS_UNDER_WAY = 6  # the job unit started this many quarters before the current one


def recent_quarter_start(today: datetime.date, quarters_back: int = QUARTERS_UNDER_WAY) -> datetime.date:
    """The first day of the calendar quarter `quarters_back` quarters before the one `today` is in."""
    index = today.year * 4 + (today.month - 1) // 3 - quarters_back
    return datetime.date(index // 4, index % 4 * 3 + 1, 1)


# The job unit's way to its grant, in days before the project's start.
POOL_OPENS_BEFORE = 180
POOL_CLOSES_BEFORE = 60
DRAFTED_BEFORE = 120
APPROVED_BEFORE = 100
SUBMITTED_BEFORE = 90
REVIEWED_BEFORE = 70
GRANTED_BEFORE = 45
JOB_UNIT_AMOUNT = Decimal("8687924.00")  # 2.171.981 kr. a year for four years, as applied for


def _slagelse_job_unit(pool: Pool, applicant: object, start: datetime.date) -> Application:
    slagelse = Municipality.objects.get(code="330")
    application = Application.objects.create(
        pool=pool,
        lead_municipality=slagelse,
        created_by=applicant,
        title="Integrations Jobenheden",
        cvr="29188505",
        applicant_unit="Jobcentret, Team integration",
        applicant_address=SLAGELSE_ADDRESS,
        grant_responsible_name="Helle Sofie Dedenroth Larsen",
        grant_responsible_title="Leder af Integration og Netværk",
        grant_responsible_email="Hesla@slagelse.dk",
        purpose=(
            "At der sker en mærkbar forbedring af beskæftigelsesgraden for målgruppen, således at den "
            "relative andel på kontanthjælp mv. bliver mindre end de 1,38 %, der var udgangspunktet."
        ),
        target_group_description=(
            "Slagelse Kommune har 696 indvandrere og efterkommere på kontanthjælp (1,38 %). Borgerne i "
            "match 3 og 4 udgør ca. 340 og er den primære målgruppe."
        ),
        current_effort="Erfaringer fra Projekt Rengøring i Korsør og Projekt Virksomhedsrettet Integration.",
        approach=(
            "Trappemodellen er et centralt element: borgeren gøres trin for trin klar til ordinært "
            "arbejde, med praktik brugt offensivt og opkvalificering på virksomhedsniveau."
        ),
        objectives=(
            "At de henviste har en gennemsnitlig fremmødeprocent på 70, "
            "og at 40 % af de henviste er selvforsørgende efter 12 måneder."
        ),
        measures=[Measure.INTERNSHIP, Measure.WAGE_SUBSIDY, Measure.MENTOR],
        methods="Hurtig personlig opfølgning, håndholdt søgning efter job eller praktikplads, løbende coaching.",
        # Seed 004 is a note to the committee, not SIRI's form: its "Organisatorisk forankring" is
        # the management; the other points are said as the note's decision and plan imply them.
        political_anchoring="Bevillingen besluttes af Byrådet på baggrund af notatet.",
        management=(
            "Jobenheden refererer til koordinatoren i Team integration "
            "med en jobkonsulent med A/C-baggrund som daglig ansvarlig."
        ),
        cross_sector_ownership=(
            "Jobcentrets projektorganisation er samarbejdspartner på opkvalificeringsdelen og har interesse i "
            "metodeerfaringerne."
        ),
        continuation="Metodeerfaringerne videreføres i Jobcentrets projektorganisation.",
        committee_briefing="Udvalget orienteres hvert kvartal om fremmøde og selvforsørgelse.",
        anchoring="Metodeerfaringerne videreføres i Jobcentrets projektorganisation.",
        target_group_total=340,  # "Borgerne i match 3 og 4 udgør ca. 340" (seed 004)
        start_date=start,
        end_date=datetime.date(start.year + 4, start.month, 1) - datetime.timedelta(days=1),
    )
    group = TargetGroup.objects.create(
        application=application,
        name="borgere i matchgruppe 3–4",
        size=340,
        description="Kontanthjælpsmodtagere, indvandrere og efterkommere, visiteret på trin 0 eller 1.",
    )
    # Both result requirements are levels, not running totals: attendance is expected at 70 %
    # from the first quarter, reported as days attended of days planned; self-support is a share
    # of the cohort enrolled at least 12 months before, so it is first measured a year in.
    Goal.objects.create(
        application=application,
        target_group=group,
        title="Gennemsnitlig fremmødeprocent",
        kind=GoalKind.PERCENTAGE,
        target_value=70,
        unit="%",
        cumulative=False,
    )
    Goal.objects.create(
        application=application,
        target_group=group,
        title="Selvforsørgende efter 12 måneder",
        kind=GoalKind.PERCENTAGE,
        target_value=40,
        unit="%",
        cumulative=False,
        cohort_months=12,
    )
    for year in range(start.year, start.year + 4):
        BudgetLine.objects.create(
            application=application,
            year=year,
            category=BudgetCategory.SALARIES,
            amount=Decimal("2171981.00"),
            fte=Decimal("5.00"),
        )
    return application


@transaction.atomic
def load_demo() -> bool:
    """Load the demo once; returns False when it was there already."""
    for user in DEMO_USERS:
        set_person(
            user.username, user.role, user.municipalities, f"{user.username}@demo.invalid", DEMO_PASSWORD, user.name
        )
    if Pool.objects.filter(name=AMBASSADOR_POOL).exists():
        return False
    people = {u.username: u for u in _users()}
    today = timezone.localdate()
    next_year = today.year + 1
    ambassador_pool = _pool(
        AMBASSADOR_POOL,
        description=(
            "Midler til ansættelse af beskæftigelsesambassadører, "
            "der skaber best practice i den beskæftigelsesrettede integrationsindsats."
        ),
        total_budget=Decimal("20000000.00"),
        max_grant=Decimal("1500000.00"),
        project_start_earliest=datetime.date(next_year, 1, 1),
        project_end_latest=datetime.date(next_year + 3, 12, 31),
        requires_political_approval=True,
        guidance=AMBASSADOR_GUIDANCE,
        criteria=CRITERIA,
        **_window(today),
    )
    job_unit_start = recent_quarter_start(today)
    job_unit_pool = _pool(
        JOB_UNIT_POOL,
        description="Midler til en særlig tæt og målrettet opfølgning for indvandrere og efterkommere.",
        total_budget=Decimal("30000000.00"),
        max_grant=Decimal("9000000.00"),
        project_start_earliest=datetime.date(job_unit_start.year, 1, 1),
        project_end_latest=datetime.date(next_year + 4, 12, 31),
        requires_political_approval=True,
        criteria=CRITERIA,
        # The round the job unit applied in: it closed before the project started.
        opens_on=job_unit_start - datetime.timedelta(days=POOL_OPENS_BEFORE),
        closes_on=job_unit_start - datetime.timedelta(days=POOL_CLOSES_BEFORE),
    )
    applicant, reviewer = people["slagelse"], people["reviewer"]

    ambassador_app = _slagelse_ambassador(ambassador_pool, applicant)
    services.record_political_approval(
        ambassador_app.pk,
        applicant,
        {"municipality": ambassador_app.lead_municipality, "status": ApprovalStatus.PENDING},
    )
    services.submit(ambassador_app.pk, applicant, services.Declaration(*AMBASSADOR_SIGNER, confirmed=True))
    # The round under review, as issue 18 shows it: the pool admin assigns the reviewer, whose
    # assessment (a score and a reason per criterion, a recommended amount) ranks the pool's round.
    services.assign(ambassador_app.pk, people["pooladmin"], reviewer)
    asked = min(ambassador_app.requested_total, ambassador_pool.max_grant)
    services.save_review(
        ambassador_app.pk, reviewer, recommend_grant(asked, "Et konkret match mellem flygtning og virksomhed.")
    )

    with clock(at(job_unit_start - datetime.timedelta(days=DRAFTED_BEFORE))):
        job_unit = _slagelse_job_unit(job_unit_pool, applicant, job_unit_start)
    _grant_job_unit(job_unit, applicant, reviewer)
    return True


def _grant_job_unit(job_unit: Application, applicant: object, reviewer: object) -> None:
    """Approved, submitted, reviewed and granted on the days before the project's start."""
    start = job_unit.start_date

    def before(days: int) -> datetime.date:
        return start - datetime.timedelta(days=days)

    with clock(at(before(APPROVED_BEFORE), 14)):
        services.record_political_approval(
            job_unit.pk,
            applicant,
            {
                "municipality": job_unit.lead_municipality,
                "status": ApprovalStatus.APPROVED,
                "decided_on": before(APPROVED_BEFORE),
                "body": "Byrådet",
                "reference": "Demo",
            },
        )
    with clock(at(before(SUBMITTED_BEFORE))):
        services.submit(
            job_unit.pk,
            applicant,
            services.Declaration(job_unit.grant_responsible_name, job_unit.grant_responsible_title, confirmed=True),
        )
    with clock(at(before(REVIEWED_BEFORE))):
        services.save_review(
            job_unit.pk,
            reviewer,
            recommend_grant(JOB_UNIT_AMOUNT, "Klare resultatkrav og en realistisk bemanding på 5 årsværk."),
        )
    with clock(at(before(GRANTED_BEFORE))):
        services.grant(
            job_unit.pk,
            reviewer,
            JOB_UNIT_AMOUNT,
            "Resultatkrav: en gennemsnitlig fremmødeprocent på 70 og 40 % selvforsørgende efter 12 måneder. "
            "Tilskuddet udgør 2.171.981 kr. om året i fire år (5 årsværk).",
        )


def _users() -> list:
    from django.contrib.auth import get_user_model

    names = [u.username for u in DEMO_USERS]
    return list(get_user_model().objects.filter(username__in=names))
