"""The applications' part of `manage.py seed_scale` (core/seeding.py): people, three pools and
3.000 applications (at factor 1) in every state, with their goals, budgets, approvals, reviews,
journal numbers, transition logs and the 600 grants.

Three pools, as SIRI would have them at one time:
- a pool four to five years old whose 600 granted projects now report (started two to four
  years ago, four years long: 8-16 quarters reported), with its rejected and withdrawn ones;
- a pool closed a month ago whose applications wait in the review queue;
- a pool open now, with drafts and the first submissions.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from core.roles import Role
from core.seeding import Seed, chunked, stamped_as_given

from .data.seed_texts import FIRST_NAMES, LAST_NAMES, SENTENCES, TITLES
from .models import (
    Application,
    ApprovalStatus,
    BudgetCategory,
    BudgetLine,
    Criterion,
    Goal,
    GoalKind,
    Grant,
    GrantState,
    JournalCounter,
    Measure,
    Municipality,
    PoliticalApproval,
    Pool,
    Profile,
    Recommendation,
    Review,
    State,
    TargetGroup,
    TransitionLog,
)
from .models.review import recount_averages, weighted_score

PREFIX = "scale"
PASSWORD_UNUSABLE = make_password(None)
CRITERIA = (
    ("Målgruppens behov og projektets relevans", Decimal(3)),
    ("Metode og indsatser", Decimal(3)),
    ("Organisering og forankring", Decimal(2)),
    ("Økonomi og realisme", Decimal(2)),
)
MEASURES = [code for code in Measure.values if code != Measure.OTHER]


def text(seed: Seed, sentences: tuple[int, int]) -> str:
    return " ".join(seed.rng.choice(SENTENCES) for _ in range(seed.rng.randint(*sentences)))


def person_name(seed: Seed) -> tuple[str, str]:
    return seed.rng.choice(FIRST_NAMES), seed.rng.choice(LAST_NAMES)


def cvr_for(index: int) -> str:
    """A valid CVR number (modulus 11) for the index: the municipality's, in this data set."""
    weights = (2, 7, 6, 5, 4, 3, 2, 1)
    number = 29180000 + index * 17
    while True:
        digits = f"{number:08d}"
        if sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0:
            return digits
        number += 1


def quarter_start(today: datetime.date, quarters_back: int) -> datetime.date:
    index = today.year * 4 + (today.month - 1) // 3 - quarters_back
    return datetime.date(index // 4, index % 4 * 3 + 1, 1)


def four_years_from(start: datetime.date) -> datetime.date:
    return datetime.date(start.year + 4, start.month, start.day) - datetime.timedelta(days=1)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


# People ------------------------------------------------------------------------------------------


def _people(seed: Seed, municipalities: list[Municipality]) -> dict[str, Any]:
    """Reviewers, pool admins, an applicant of every municipality (two in the first ten), and a
    committee member in every fifth. Unusable passwords: `manage.py adduser` sets one."""
    user_model = get_user_model()
    rows: list[tuple[str, str, list[Municipality]]] = []
    rows += [(f"{PREFIX}-reviewer-{i}", Role.REVIEWER, []) for i in range(1, 9)]
    rows += [(f"{PREFIX}-pooladmin-{i}", Role.POOL_ADMIN, []) for i in range(1, 3)]
    for index, municipality in enumerate(municipalities):
        rows.append((f"{PREFIX}-applicant-{municipality.code}", Role.APPLICANT, [municipality]))
        if index < 10:
            rows.append((f"{PREFIX}-applicant-{municipality.code}-2", Role.APPLICANT, [municipality]))
        if index % 5 == 0:
            rows.append((f"{PREFIX}-committee-{municipality.code}", Role.COMMITTEE, [municipality]))
    users = user_model.objects.bulk_create(
        [
            user_model(
                username=username,
                first_name=(name := person_name(seed))[0],
                last_name=name[1],
                email=f"{username}@example.test",
                password=PASSWORD_UNUSABLE,
                is_staff=role in (Role.REVIEWER, Role.POOL_ADMIN),
            )
            for username, role, _codes in rows
        ]
    )
    profiles = Profile.objects.bulk_create(
        [Profile(user=user, role=role) for user, (_name, role, _m) in zip(users, rows, strict=True)]
    )
    through = Profile.municipalities.through
    through.objects.bulk_create(
        [
            through(profile_id=profile.pk, municipality_id=municipality.pk)
            for profile, (_name, _role, owned) in zip(profiles, rows, strict=True)
            for municipality in owned
        ]
    )
    seed.count("people", len(users))
    by_role: dict[str, list[Any]] = defaultdict(list)
    applicants: dict[int, Any] = {}
    for user, (_name, role, owned) in zip(users, rows, strict=True):
        by_role[role].append(user)
        if role == Role.APPLICANT and owned[0].pk not in applicants:
            applicants[owned[0].pk] = user
    return {"reviewers": by_role[Role.REVIEWER], "admins": by_role[Role.POOL_ADMIN], "applicants": applicants}


# Pools -------------------------------------------------------------------------------------------


def _pools(seed: Seed) -> dict[str, Pool]:
    today = seed.today
    old_start = quarter_start(today, 16)  # the earliest project start of the reporting pool
    pools = {
        "reporting": Pool(
            name="Pulje til styrket beskæftigelsesindsats for flygtninge og familiesammenførte",
            description="Projekter, der bringer flygtninge og familiesammenførte tættere på ordinært job.",
            legal_basis="Finansloven, § 17.46.04.10",
            finance_act_account="§ 17.46.04.10",
            total_budget=Decimal(seed.n(600)) * Decimal(2_600_000),
            max_grant=Decimal(3_000_000),
            opens_on=old_start - datetime.timedelta(days=300),
            closes_on=old_start - datetime.timedelta(days=240),
            project_start_earliest=old_start,
            project_end_latest=four_years_from(quarter_start(today, 8)),
        ),
        "queue": Pool(
            name="Pulje til integration af kvinder langt fra arbejdsmarkedet",
            description="Helhedsorienterede forløb for kvinder, der har været ledige i lang tid.",
            legal_basis="Finansloven, § 17.46.04.20",
            finance_act_account="§ 17.46.04.20",
            total_budget=Decimal(seed.n(200)) * Decimal(2_500_000),
            max_grant=Decimal(3_000_000),
            opens_on=today - datetime.timedelta(days=120),
            closes_on=today - datetime.timedelta(days=30),
            project_start_earliest=quarter_start(today, -2),
            project_end_latest=four_years_from(quarter_start(today, -4)),
        ),
        "open": Pool(
            name="Pulje til unge nytilkomne i uddannelse og job",
            description="Forløb, der bringer unge nytilkomne i uddannelse, fritidsjob og job.",
            legal_basis="Finansloven, § 17.46.04.30",
            finance_act_account="§ 17.46.04.30",
            total_budget=Decimal(seed.n(150)) * Decimal(2_000_000),
            max_grant=Decimal(3_000_000),
            opens_on=today - datetime.timedelta(days=30),
            closes_on=today + datetime.timedelta(days=60),
            project_start_earliest=quarter_start(today, -3),
            project_end_latest=four_years_from(quarter_start(today, -6)),
        ),
    }
    Pool.objects.bulk_create(pools.values())
    Criterion.objects.bulk_create(
        Criterion(pool=pool, name=name, weight=weight, position=i)
        for pool in pools.values()
        for i, (name, weight) in enumerate(CRITERIA)
    )
    seed.count("pools", len(pools))
    return pools


# Applications ------------------------------------------------------------------------------------


class Plan:
    """One application as it will be written: its pool, fate and dates."""

    def __init__(self, pool_key: str, fate: str) -> None:
        self.pool_key = pool_key
        self.fate = fate  # granted, rejected, withdrawn, queued_approved, queued_submitted, returned, draft, submitted
        self.application: Application | None = None
        self.submitted_at: datetime.datetime | None = None
        self.decided_at: datetime.datetime | None = None
        self.start: datetime.date | None = None


FATES = (
    # pool, fate, how many at factor 1
    ("reporting", "granted", 600),
    ("reporting", "rejected", 450),
    ("reporting", "withdrawn", 100),
    ("queue", "queued_approved", 600),
    ("queue", "queued_submitted", 150),
    ("queue", "rejected", 100),
    ("queue", "withdrawn", 50),
    ("queue", "returned", 50),
    ("open", "draft", 700),
    ("open", "submitted", 200),
)
SUBMITTED_FATES = {"granted", "rejected", "withdrawn", "queued_approved", "queued_submitted", "returned", "submitted"}


def _weights(municipalities: list[Municipality]) -> list[int]:
    """Bigger municipalities apply more: the first codes (the capital region) weigh more."""
    return [4 if i < 10 else 2 if i < 40 else 1 for i in range(len(municipalities))]


def _dates(seed: Seed, plan: Plan, pool: Pool) -> None:
    rng = seed.rng
    window = (pool.closes_on - pool.opens_on).days
    submitted_on = pool.opens_on + datetime.timedelta(
        days=rng.randint(5, max(5, min(window, (seed.today - pool.opens_on).days)))
    )
    if plan.fate in SUBMITTED_FATES:
        plan.submitted_at = at(min(submitted_on, seed.today), rng.randint(8, 15))
    if plan.fate in ("granted", "rejected"):
        plan.decided_at = at(pool.closes_on + datetime.timedelta(days=rng.randint(40, 80)), rng.randint(9, 15))
    if plan.fate == "granted":
        # Projects started two to four years ago, on a quarter's first day: 8 to 16 quarters reported.
        plan.start = quarter_start(seed.today, rng.randint(9, 16))
    elif plan.pool_key == "reporting":
        plan.start = pool.project_start_earliest
    else:
        plan.start = pool.project_start_earliest or seed.today


def _application(seed: Seed, plan: Plan, pool: Pool, municipality: Municipality, creator: Any, cvr: str) -> Application:
    rng = seed.rng
    first, last = person_name(seed)
    state = {
        "granted": State.GRANTED,
        "rejected": State.REJECTED,
        "withdrawn": State.WITHDRAWN,
        "queued_approved": State.POLITICALLY_APPROVED,
        "queued_submitted": State.SUBMITTED,
        "returned": State.DRAFT,
        "draft": State.DRAFT,
        "submitted": State.POLITICALLY_APPROVED,
    }[plan.fate]
    start = plan.start or seed.today
    return Application(
        pool=pool,
        lead_municipality=municipality,
        state=state,
        submitted_at=plan.submitted_at,
        applicant_unit="Jobcenter, Team Integration",
        applicant_address=f"Jobcenter {municipality.name}\nRådhuspladsen 1",
        cvr=cvr,
        grant_responsible_name=f"{first} {last}",
        grant_responsible_title="Afdelingsleder, Integration",
        grant_responsible_email=f"{first.lower()}.{last.lower()}@kommune.example.test",
        grant_responsible_phone="70 20 30 40",
        contact_name=" ".join(person_name(seed)),
        contact_email=f"projekt{municipality.code}@kommune.example.test",
        title=rng.choice(TITLES).format(name=municipality.name.removesuffix(" Kommune")),
        purpose=text(seed, (3, 6)),
        target_group_description=text(seed, (3, 6)),
        current_effort=text(seed, (3, 6)),
        approach=text(seed, (5, 9)),
        objectives=text(seed, (3, 5)),
        measures=rng.sample(MEASURES, rng.randint(3, 6)),
        methods=text(seed, (3, 6)),
        organisation=text(seed, (3, 5)),
        anchoring=text(seed, (2, 4)),
        start_date=start,
        end_date=four_years_from(start),
        created_by=creator,
    )


def _goals_and_groups(seed: Seed, applications: list[Application]) -> None:
    rng = seed.rng
    groups = TargetGroup.objects.bulk_create(
        group
        for application in applications
        for group in (
            TargetGroup(
                application=application,
                name="aktivitetsparate kvinder",
                size=rng.randint(25, 45),
                description="Kvinder langt fra arbejdsmarkedet under integrationsprogram.",
            ),
            TargetGroup(
                application=application,
                name="unge under 25 år",
                size=rng.randint(10, 25),
                description="Unge nytilkomne uden uddannelse eller job.",
            ),
        )
    )
    goals = []
    for index, application in enumerate(applications):
        women, youth = groups[2 * index], groups[2 * index + 1]
        goals.append(
            Goal(
                application=application,
                target_group=women,
                title="Kvinder i ordinært job",
                kind=GoalKind.COUNT,
                target_value=Decimal(rng.randint(15, women.size)),
                baseline=Decimal(0),
                unit="personer",
                cumulative=True,
            )
        )
        goals.append(
            Goal(
                application=application,
                target_group=women,
                title="Gennemsnitligt fremmøde",
                kind=GoalKind.PERCENTAGE,
                target_value=Decimal(rng.choice((70, 75, 80))),
                baseline=Decimal(50),
                unit="%",
                cumulative=False,
                ramp_quarters=rng.choice((0, 0, 2, 4)),
            )
        )
        if index % 4 == 0:
            goals.append(
                Goal(
                    application=application,
                    target_group=women,
                    title="Selvforsørgende 12 måneder efter indskrivning",
                    kind=GoalKind.PERCENTAGE,
                    target_value=Decimal(40),
                    unit="%",
                    cumulative=False,
                    cohort_months=12,
                )
            )
        else:
            goals.append(
                Goal(
                    application=application,
                    target_group=youth,
                    title="Unge i uddannelse eller fritidsjob",
                    kind=GoalKind.COUNT,
                    target_value=Decimal(rng.randint(8, youth.size)),
                    baseline=Decimal(0),
                    unit="personer",
                    cumulative=True,
                )
            )
    for part in chunked(goals):
        Goal.objects.bulk_create(part)
    seed.count("target groups", len(groups))
    seed.count("goals", len(goals))


def _budgets(seed: Seed, applications: list[Application]) -> dict[int, Decimal]:
    """Budget lines per year of the period; returns each application's requested total."""
    rng = seed.rng
    lines: list[BudgetLine] = []
    totals: dict[int, Decimal] = {}
    for application in applications:
        years = list(range(application.start_date.year, application.end_date.year + 1))
        salaries = Decimal(rng.randrange(260_000, 520_000, 1000))
        activities = Decimal(rng.randrange(40_000, 120_000, 1000))
        administration = Decimal(rng.randrange(10_000, 30_000, 1000))
        total = Decimal(0)
        for year in years:
            for category, amount, fte in (
                (BudgetCategory.SALARIES, salaries, Decimal("1.00")),
                (BudgetCategory.ACTIVITIES, activities, Decimal(0)),
                (BudgetCategory.ADMINISTRATION, administration, Decimal(0)),
            ):
                lines.append(BudgetLine(application=application, year=year, category=category, amount=amount, fte=fte))
                total += amount
        totals[application.pk] = total
    for part in chunked(lines, 5000):
        BudgetLine.objects.bulk_create(part)
    seed.count("budget lines", len(lines))
    return totals


def _scores(seed: Seed, good: bool) -> dict[str, int]:
    low, high = (3, 5) if good else (1, 3)
    return {name: seed.rng.randint(low, high) for name, _weight in CRITERIA}


def seed_applications(seed: Seed) -> None:
    rng = seed.rng
    municipalities = list(Municipality.objects.order_by("code"))
    Municipality.objects.bulk_update(
        [setattr(m, "cvr", m.cvr or cvr_for(i)) or m for i, m in enumerate(municipalities)], ["cvr"]
    )
    people = _people(seed, municipalities)
    pools = _pools(seed)
    weights = _weights(municipalities)

    plans: list[Plan] = [Plan(pool_key, fate) for pool_key, fate, base in FATES for _ in range(seed.n(base))]
    leads = rng.choices(municipalities, weights=weights, k=len(plans))
    applications = []
    for plan, municipality in zip(plans, leads, strict=True):
        pool = pools[plan.pool_key]
        _dates(seed, plan, pool)
        plan.application = _application(
            seed, plan, pool, municipality, people["applicants"][municipality.pk], municipality.cvr
        )
        applications.append(plan.application)
    _journal_numbers(seed, plans)
    for plan in plans:
        assert plan.application is not None
        began = plan.submitted_at or at(seed.today)
        plan.application.created_at = began - datetime.timedelta(days=rng.randint(10, 40))
        plan.application.updated_at = plan.decided_at or began
    with stamped_as_given(Application):
        for part in chunked(applications):
            Application.objects.bulk_create(part)
    seed.count("applications", len(applications))

    partners = Application.partner_municipalities.through
    partnered = [
        partners(
            application_id=a.pk,
            municipality_id=rng.choice([m for m in municipalities if m.pk != a.lead_municipality_id]).pk,
        )
        for a in applications
        if rng.random() < 0.15
    ]
    partners.objects.bulk_create(partnered)
    partner_of = defaultdict(list)
    for row in partnered:
        partner_of[row.application_id].append(row.municipality_id)

    _goals_and_groups(seed, applications)
    requested = _budgets(seed, applications)
    _approvals(seed, plans, partner_of, people)
    _reviews(seed, plans, people)
    _logs(seed, plans, people)
    _grants(seed, plans, requested, people)


def _journal_numbers(seed: Seed, plans: list[Plan]) -> None:
    """Gap-free per year in the order of submission, as `next_journal_number` hands them out."""
    submitted = sorted((p for p in plans if p.submitted_at is not None), key=lambda p: (p.submitted_at, id(p)))
    last: dict[int, int] = defaultdict(int)
    for plan in submitted:
        assert plan.application is not None and plan.submitted_at is not None
        year = timezone.localdate(plan.submitted_at).year
        last[year] += 1
        plan.application.journal_number = f"{year}-{last[year]:04d}"
    JournalCounter.objects.bulk_create([JournalCounter(year=year, last=number) for year, number in last.items()])


def _approvals(seed: Seed, plans: list[Plan], partner_of: dict[int, list[int]], people: dict[str, Any]) -> None:
    rows = []
    for plan in plans:
        application = plan.application
        assert application is not None
        if plan.submitted_at is None:
            continue
        municipalities = [application.lead_municipality_id, *partner_of.get(application.pk, [])]
        for number, municipality_id in enumerate(municipalities):
            # A submitted application still waiting lacks its partner's (or its own) approval.
            pending = plan.fate == "queued_submitted" and number == len(municipalities) - 1
            decided = timezone.localdate(plan.submitted_at) - datetime.timedelta(days=seed.rng.randint(5, 30))
            rows.append(
                PoliticalApproval(
                    application=application,
                    municipality_id=municipality_id,
                    status=ApprovalStatus.PENDING if pending else ApprovalStatus.APPROVED,
                    decided_on=None if pending else decided,
                    body="" if pending else "Beskæftigelses- og integrationsudvalget",
                    reference="" if pending else f"Sag {decided.year}-{seed.rng.randint(1000, 9999)}",
                    recorded_by=application.created_by,
                )
            )
    PoliticalApproval.objects.bulk_create(rows, batch_size=2000)
    seed.count("political approvals", len(rows))


def _reviews(seed: Seed, plans: list[Plan], people: dict[str, Any]) -> None:
    rng = seed.rng
    reviews = []
    for plan in plans:
        if plan.fate in ("granted", "rejected"):
            count, good = 2, plan.fate == "granted"
        elif plan.fate == "queued_approved":
            count, good = rng.choice((0, 1, 1, 2, 3)), rng.random() < 0.6
        elif plan.fate == "queued_submitted":
            count, good = rng.choice((0, 0, 1)), rng.random() < 0.6
        else:
            continue
        for reviewer in rng.sample(people["reviewers"], count):
            conflict = rng.random() < 0.03
            scores = {} if conflict else _scores(seed, good)
            reviews.append(
                Review(
                    application=plan.application,
                    reviewer=reviewer,
                    scores=scores,
                    total=weighted_score(scores, CRITERIA),
                    recommendation=""
                    if conflict
                    else (Recommendation.GRANT if good else rng.choice((Recommendation.REJECT, Recommendation.REVISE))),
                    comment="" if conflict else text(seed, (1, 3)),
                    conflict_of_interest=conflict,
                )
            )
    Review.objects.bulk_create(reviews, batch_size=2000)
    recount_averages(Application.objects.filter(pk__in={review.application_id for review in reviews}))  # no signal
    seed.count("reviews", len(reviews))


def _logs(seed: Seed, plans: list[Plan], people: dict[str, Any]) -> None:
    """Every transition each application went through, by whom, with the reasons."""
    rng = seed.rng
    entries = []

    def log(
        plan: Plan, name: str, source: str, target: str, by: Any, when: datetime.datetime, reason: str = ""
    ) -> None:
        entries.append(
            TransitionLog(
                application=plan.application,
                transition=name,
                source=source,
                target=target,
                by=by,
                at=when,
                reason=reason,
            )
        )

    approved_reason = "Alle politiske godkendelser foreligger."
    for plan in plans:
        application = plan.application
        assert application is not None
        creator = application.created_by
        reviewer = rng.choice(people["reviewers"])
        if plan.submitted_at is None:
            continue
        submitted = plan.submitted_at
        later = submitted + datetime.timedelta(days=rng.randint(10, 30))
        log(plan, "submit", State.DRAFT, State.SUBMITTED, creator, submitted)
        if plan.fate == "returned":
            log(
                plan, "return_for_revision", State.SUBMITTED, State.DRAFT, reviewer, later, "Budgettet mangler årsværk."
            )
            continue
        if plan.fate == "queued_submitted":
            continue
        log(
            plan,
            "approve_politically",
            State.SUBMITTED,
            State.POLITICALLY_APPROVED,
            creator,
            submitted,
            approved_reason,
        )
        decided = plan.decided_at or later
        if plan.fate == "granted":
            log(plan, "grant", State.POLITICALLY_APPROVED, State.GRANTED, reviewer, decided)
        elif plan.fate == "rejected":
            reason = "Projektet er ikke tilstrækkeligt konkret."
            log(plan, "reject", State.POLITICALLY_APPROVED, State.REJECTED, reviewer, decided, reason)
        elif plan.fate == "withdrawn":
            log(plan, "withdraw", State.POLITICALLY_APPROVED, State.WITHDRAWN, creator, min(later, at(seed.today)))
    with stamped_as_given(TransitionLog):
        TransitionLog.objects.bulk_create(entries, batch_size=2000)
    seed.count("application log entries", len(entries))


def _grants(seed: Seed, plans: list[Plan], requested: dict[int, Decimal], people: dict[str, Any]) -> None:
    rng = seed.rng
    granted = [plan for plan in plans if plan.fate == "granted"]
    grants = []
    for plan in granted:
        application = plan.application
        assert application is not None and plan.decided_at is not None
        asked = requested[application.pk]
        amount = min(asked, application.pool.max_grant)
        if rng.random() < 0.3:
            amount = (amount * Decimal(rng.randint(80, 99)) / 100).quantize(Decimal(1))
        grants.append(
            Grant(
                application=application,
                amount=amount,
                start_date=application.start_date,
                end_date=application.end_date,
                state=GrantState.ACTIVE,
                granted_by=rng.choice(people["reviewers"]),
                granted_at=plan.decided_at,
            )
        )
    with stamped_as_given(Grant):
        Grant.objects.bulk_create(grants)
    seed.count("grants", len(grants))
