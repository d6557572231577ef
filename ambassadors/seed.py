"""The ambassador network's part of `manage.py seed_scale` (core/seeding.py): 100 ambassadors (at
factor 1), each employed by a granted project of their municipality, their quarterly reports
(acknowledged by SIRI but the latest; a few behind), their contributions to the project's counts,
the network's meetings with attendance, and 2.000 entries of the best-practice catalogue,
written from the words of the Rambøll catalogue (seed 001) and proposed by the ambassadors.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db.models import Prefetch
from django.utils import timezone

from applications.models import Goal, Grant, GrantState, Profile
from core.roles import Role
from core.seeding import Seed, chunked, stamped_as_given
from monitoring.quarters import quarters_between

from .data.catalogue import RAMBOLL_CATALOGUE, SOURCE
from .models import (
    Ambassador,
    AmbassadorReport,
    AmbassadorReportLog,
    AmbassadorReportState,
    Attendance,
    BestPractice,
    FocusArea,
    GoalContribution,
    NetworkMeeting,
    PracticeContact,
    PracticeState,
    Theme,
)
from .search import refresh_vectors

PLACES = ("SIRI, Carl Jacobsens Vej 39, Valby", "Odense Rådhus", "Aarhus Jobcenter", "Aalborg Kongres- og Kulturcenter")


def seed_ambassadors(seed: Seed) -> None:
    ambassadors = _ambassadors(seed)
    _reports(seed, ambassadors)
    _meetings(seed, ambassadors)
    _catalogue(seed, ambassadors)


def _ambassadors(seed: Seed) -> list[Ambassador]:
    rng = seed.rng
    grants = list(
        Grant.objects.filter(state=GrantState.ACTIVE)
        .select_related("application__pool", "application__lead_municipality")
        .prefetch_related(Prefetch("application__goals", queryset=Goal.objects.order_by("id")))
        .order_by("pk")
    )
    chosen = rng.sample(grants, min(len(grants), seed.n(100)))
    user_model = get_user_model()
    password = make_password(None)
    users = user_model.objects.bulk_create(
        [
            user_model(
                username=f"scale-ambassador-{i + 1}",
                first_name=rng.choice(("Amina", "Yasmin", "Omar", "Sara", "Ali", "Leila", "Hassan", "Fatima")),
                last_name=rng.choice(("Hassan", "Ahmadi", "Yousef", "Karimi", "Jensen", "Nielsen")),
                email=f"scale-ambassador-{i + 1}@example.test",
                password=password,
            )
            for i in range(len(chosen))
        ]
    )
    profiles = Profile.objects.bulk_create([Profile(user=user, role=Role.AMBASSADOR) for user in users])
    through = Profile.municipalities.through
    through.objects.bulk_create(
        [
            through(profile_id=profile.pk, municipality_id=grant.application.lead_municipality_id)
            for profile, grant in zip(profiles, chosen, strict=True)
        ]
    )
    ambassadors = Ambassador.objects.bulk_create(
        [
            Ambassador(
                user=user,
                municipality_id=grant.application.lead_municipality_id,
                grant=grant,
                started_on=grant.start_date + datetime.timedelta(days=rng.choice((0, 0, 30, 95))),
                focus_areas=rng.sample(FocusArea.values, rng.randint(1, 3)),
                phone="70 10 20 30",
                email=user.email,
            )
            for user, grant in zip(users, chosen, strict=True)
        ]
    )
    seed.count("ambassadors", len(ambassadors))
    return ambassadors


def _reports(seed: Seed, ambassadors: list[Ambassador]) -> None:
    rng = seed.rng
    today = seed.today
    reviewers = list(get_user_model().objects.filter(profile__role=Role.REVIEWER))
    reports, contributions, entries = [], [], []
    for ambassador in ambassadors:
        grant = ambassador.grant
        delay = datetime.timedelta(days=grant.application.pool.reporting_delay_days)
        quarters = [
            q
            for q in quarters_between(grant.start_date, grant.end_date)
            if q.end >= ambassador.started_on and q.end + delay < today
        ]
        behind = 1 if rng.random() < 0.1 else 0
        counts = [goal for goal in grant.application.goals.all() if goal.takes_contributions]
        for index, quarter in enumerate(quarters[: len(quarters) - behind]):
            stamp = timezone.make_aware(
                datetime.datetime.combine(
                    quarter.end + delay - datetime.timedelta(days=rng.randint(1, 20)), datetime.time(9)
                )
            )
            latest = index == len(quarters) - behind - 1
            report = AmbassadorReport(
                ambassador=ambassador,
                year=quarter.year,
                quarter=quarter.quarter,
                state=AmbassadorReportState.SUBMITTED if latest else AmbassadorReportState.ACKNOWLEDGED,
                first_submitted_at=stamp,
                submitted_at=stamp,
                company_contacts=rng.randint(3, 25),
                new_partnerships=rng.randint(0, 4),
                matches_internship=rng.randint(0, 6),
                matches_wage_subsidy=rng.randint(0, 3),
                matches_igu=rng.randint(0, 2),
                matches_ordinary_job=rng.randint(0, 3),
                meetings_attended=rng.randint(0, 2),
                knowledge_sharing=rng.randint(0, 3),
                best_practices="Faste praktikforløb med mentor på virksomheden virker for kvinderne.",
                narrative="Ambassadøren har fulgt deltagerne i praktik og holdt møder med lokale virksomheder.",
            )
            reports.append(report)
            contributions.extend(
                GoalContribution(report=report, goal=goal, value=Decimal(rng.randint(0, 2))) for goal in counts
            )
            entries.append(
                AmbassadorReportLog(
                    report=report, transition="submit", source="draft", target="submitted", by=ambassador.user, at=stamp
                )
            )
            if not latest:
                entries.append(
                    AmbassadorReportLog(
                        report=report,
                        transition="acknowledge",
                        source="submitted",
                        target="acknowledged",
                        by=rng.choice(reviewers),
                        at=min(stamp + datetime.timedelta(days=rng.randint(2, 15)), timezone.now()),
                    )
                )
    for report in reports:
        report.created_at = report.updated_at = report.first_submitted_at
    with stamped_as_given(AmbassadorReport, AmbassadorReportLog):
        for part in chunked(reports):
            AmbassadorReport.objects.bulk_create(part)
        AmbassadorReportLog.objects.bulk_create(entries, batch_size=5000)
    GoalContribution.objects.bulk_create(contributions, batch_size=5000)
    seed.count("ambassador reports", len(reports))


def _meetings(seed: Seed, ambassadors: list[Ambassador]) -> None:
    rng = seed.rng
    meetings = NetworkMeeting.objects.bulk_create(
        NetworkMeeting(
            held_on=seed.today - datetime.timedelta(days=91 * i + 20),
            place=rng.choice(PLACES),
            agenda="Erfaringer fra kvartalet, virksomhedssamarbejde og nye metoder.",
            minutes="Netværket drøftede erfaringer med brancherettede forløb.",
        )
        for i in range(16)
    )
    attendance = [
        Attendance(meeting=meeting, ambassador=ambassador, attended=rng.random() < 0.8)
        for meeting in meetings
        for ambassador in ambassadors
        if ambassador.started_on <= meeting.held_on and rng.random() < 0.7
    ]
    Attendance.objects.bulk_create(attendance, batch_size=5000)
    seed.count("network meetings", len(meetings))


def _vocabulary() -> tuple[list[str], list[str], list[str]]:
    sentences: list[str] = []
    words: list[str] = []
    tags: list[str] = []
    for entry in RAMBOLL_CATALOGUE:
        sentences.extend(s for s in re.split(r"(?<=[.!?])\s+", entry.summary) if s)
        words.extend(re.findall(r"[\wæøåÆØÅ-]{3,}", f"{entry.title} {entry.summary}"))
        tags.extend(entry.tags)
    return sentences, words, tags


def _catalogue(seed: Seed, ambassadors: list[Ambassador]) -> None:
    rng = seed.rng
    sentences, words, tags = _vocabulary()
    titles = [entry.title for entry in RAMBOLL_CATALOGUE]
    now = timezone.now()

    def varied_sentence() -> str:
        tokens = rng.choice(sentences).split()
        for _ in range(rng.randint(1, 4)):
            tokens[rng.randrange(len(tokens))] = rng.choice(words)
        return " ".join(tokens)

    practices: list[BestPractice] = []
    for i in range(seed.n(2000)):
        ambassador: Any = rng.choice(ambassadors)
        published = i % 20 != 0
        title = (
            f"{rng.choice(titles)} {rng.choice(words).lower()}"
            if rng.random() < 0.5
            else " ".join(rng.sample(words, 3)).capitalize()
        )
        practices.append(
            BestPractice(
                municipality_id=ambassador.municipality_id,
                theme=rng.choice(Theme.values),
                title=title[:300],
                summary=" ".join(varied_sentence() for _ in range(rng.randint(2, 4))),
                tags=rng.sample(tags, rng.randint(2, 5)),
                source=SOURCE if rng.random() < 0.3 else "",
                state=PracticeState.PUBLISHED if published else PracticeState.PROPOSED,
                proposed_by=ambassador.user,
                published_at=now if published else None,
            )
        )
    BestPractice.objects.bulk_create(practices, batch_size=1000)
    # Each entry is of its municipality (the filters search these) and has the ambassador as contact.
    through = BestPractice.municipalities.through
    through.objects.bulk_create(
        [through(bestpractice_id=p.pk, municipality_id=p.municipality_id) for p in practices], batch_size=5000
    )
    PracticeContact.objects.bulk_create(
        [
            PracticeContact(
                practice_id=practice.pk,
                name=practice.proposed_by.get_full_name() or practice.proposed_by.username,
                role="Beskæftigelsesambassadør",
                email=practice.proposed_by.email,
            )
            for practice in practices
        ],
        batch_size=5000,
    )
    refresh_vectors(BestPractice.objects.all())
    seed.count("catalogue entries", len(practices))
