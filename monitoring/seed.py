"""Monitoring's part of `manage.py seed_scale` (core/seeding.py): the milestones of every grant
(from `progress.default_milestones`, as `services.create_milestones` makes them), the quarterly
reports each project handed in with their figures per goal, KPIs and FIP, the report logs, and
the national KPI averages.

Projects behave as projects do: most hand in on time and SIRI accepts all but the latest, some
are a quarter or two behind (their reports late, their payments held), a few had a report
returned and are correcting it. The values follow each project's own pace, so the dashboard has
projects on track, at risk and off track. Nothing is handed in before its quarter ended, no more
is spent than granted, a share is n of N and a cohort goal waits until anyone can be in it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.utils import timezone

from applications.models import Goal, Grant, GrantState
from core.roles import Role
from core.seeding import Seed, chunked, stamped_as_given

from .checks import cohort_possible, share_value
from .models import (
    KPI_FIELDS,
    ExpectedValue,
    FipDimension,
    FipScore,
    GoalProgress,
    Milestone,
    NationalKpi,
    QuarterlyReport,
    ReportLog,
    ReportState,
    Respondent,
)
from .progress import default_milestones
from .quarters import Quarter, quarters_between

NARRATIVES = (
    "I kvartalet er der etableret samarbejde med tre nye virksomheder inden for rengøring og lager.",
    "Deltagerne har gennemført sprogforløb med fokus på arbejdspladsens sprog.",
    "To deltagere er gået fra praktik til løntilskud, og én er ansat på ordinære vilkår.",
    "Mentorerne har haft ugentlige samtaler med deltagerne og deres familier.",
    "Fremmødet har været påvirket af sygdom og børnepasning i ferieperioden.",
    "Virksomhedskonsulenten har afholdt informationsmøder på sprogcentret.",
)
OBSTACLES = (
    "Mangel på børnepasning gør det svært for nogle kvinder at møde fuld tid.",
    "Få virksomheder i området har mulighed for at tage praktikanter.",
    "Lange ventetider på danskuddannelse forsinker enkelte forløb.",
    "",
)


def _pace(seed: Seed) -> Decimal:
    """A project's pace against the plan: most near it, some ahead, some well behind."""
    return Decimal(str(round(seed.rng.choice((0.55, 0.7, 0.85, 0.95, 1.0, 1.05, 1.15, 1.25)), 2)))


def _kpi_values(seed: Seed) -> dict[str, Decimal]:
    return {name: Decimal(seed.rng.randint(150, 550)) / 10 for name in KPI_FIELDS}


def seed_monitoring(seed: Seed) -> None:
    grants = list(
        Grant.objects.filter(state=GrantState.ACTIVE)
        .select_related("application__pool", "application__lead_municipality")
        .prefetch_related(
            Prefetch("application__goals", queryset=Goal.objects.order_by("id")), "application__target_groups"
        )
        .order_by("pk")
    )
    goals_of = {grant.pk: list(grant.application.goals.all()) for grant in grants}
    _milestones(seed, grants, goals_of)
    _national_kpis(seed)
    _reports(seed, grants, goals_of)


def _milestones(seed: Seed, grants: list[Grant], goals_of: dict[int, list[Goal]]) -> None:
    plans = [(grant, default_milestones(grant, goals_of[grant.pk])) for grant in grants]
    milestones = [
        Milestone(grant=grant, year=quarter.year, quarter=quarter.quarter, report_due_on=due)
        for grant, plan in plans
        for quarter, due, _expected in plan
    ]
    for part in chunked(milestones, 5000):
        Milestone.objects.bulk_create(part)
    values = []
    position = 0
    for _grant, plan in plans:
        for _quarter, _due, expected in plan:
            milestone = milestones[position]
            position += 1
            values.extend(
                ExpectedValue(milestone=milestone, goal_id=goal_id, value=value) for goal_id, value in expected.items()
            )
    for part in chunked(values, 5000):
        ExpectedValue.objects.bulk_create(part)
    seed.count("milestones", len(milestones))
    seed.count("expected values", len(values))


def _national_kpis(seed: Seed) -> None:
    first = Quarter.of(seed.today - datetime.timedelta(days=5 * 365))
    quarter, rows = first, []
    while quarter.end < seed.today:
        rows.append(NationalKpi(year=quarter.year, quarter=quarter.quarter, **_kpi_values(seed)))
        quarter = quarter.next()
    NationalKpi.objects.bulk_create(rows)
    seed.count("national KPI averages", len(rows))


class Behaviour:
    """How one project reports: on time, behind by one or two quarters, or correcting one."""

    def __init__(self, seed: Seed) -> None:
        roll = seed.rng.random()
        self.behind = 2 if roll < 0.04 else 1 if roll < 0.12 else 0
        self.correcting = not self.behind and roll < 0.16
        self.late_days = seed.rng.choice((0, 0, 0, 0, 5, 12, 25)) if roll < 0.5 else 0
        self.pace = _pace(seed)


def _reports(seed: Seed, grants: list[Grant], goals_of: dict[int, list[Goal]]) -> None:
    rng = seed.rng
    today = seed.today
    user_model = get_user_model()
    writers = {
        municipality_id: user
        for user in user_model.objects.filter(profile__role=Role.APPLICANT).prefetch_related("profile__municipalities")
        for municipality_id in [m.pk for m in user.profile.municipalities.all()][:1]
    }
    reviewers = list(user_model.objects.filter(profile__role=Role.REVIEWER))
    reports: list[QuarterlyReport] = []
    rows: list[tuple[QuarterlyReport, Grant, int, int]] = []  # report, grant, its index, quarters
    for grant in grants:
        behaviour = Behaviour(seed)
        quarters = quarters_between(grant.start_date, grant.end_date)
        delay = datetime.timedelta(days=grant.application.pool.reporting_delay_days)
        ended = [q for q in quarters if q.end < today]
        due = [q for q in ended if q.end + delay < today]
        handed = len(due) - behaviour.behind
        writer = writers.get(grant.application.lead_municipality_id)
        for index, quarter in enumerate(ended):
            deadline = quarter.end + delay
            if index < handed:
                submitted_on = (
                    deadline
                    - datetime.timedelta(days=rng.randint(1, 20))
                    + datetime.timedelta(days=behaviour.late_days if rng.random() < 0.3 else 0)
                )
                submitted_on = min(max(submitted_on, quarter.end + datetime.timedelta(days=1)), today)
                latest = index >= handed - rng.choice((1, 1, 2))
                if behaviour.correcting and index == handed - 1:
                    state = ReportState.DRAFT  # returned by SIRI, being corrected
                else:
                    state = ReportState.SUBMITTED if latest else ReportState.ACCEPTED
                stamp = timezone.make_aware(datetime.datetime.combine(submitted_on, datetime.time(11, 0)))
                report = QuarterlyReport(
                    grant=grant,
                    year=quarter.year,
                    quarter=quarter.quarter,
                    state=state,
                    first_submitted_at=stamp,
                    submitted_at=stamp,
                    returned_reason="Tallene for fremmøde mangler forklaring." if state == ReportState.DRAFT else "",
                    created_by=writer,
                )
            elif index == handed and rng.random() < 0.5:
                report = QuarterlyReport(grant=grant, year=quarter.year, quarter=quarter.quarter, created_by=writer)
            else:
                continue
            report.narrative = " ".join(rng.sample(NARRATIVES, 3))
            report.obstacles = rng.choice(OBSTACLES)
            reports.append(report)
            rows.append((report, grant, index, len(quarters)))
            report._seed_behaviour = behaviour  # type: ignore[attr-defined]
    _figures(seed, rows, goals_of)
    for report in reports:
        report.created_at = report.updated_at = report.first_submitted_at or timezone.now()
    with stamped_as_given(QuarterlyReport):
        for part in chunked(reports, 2000):
            QuarterlyReport.objects.bulk_create(part)
    Milestone.objects.filter(grant__in=grants).mark_handed_in()  # bulk rows send no signal
    _goal_figures(seed, rows, goals_of)
    _logs(seed, reports, reviewers)
    seed.count("quarterly reports", len(reports))


def _figures(seed: Seed, rows: list[tuple[QuarterlyReport, Grant, int, int]], goals_of: dict[int, list[Goal]]) -> None:
    """Money, people and the KPIs of each report."""
    rng = seed.rng
    for report, grant, index, count in rows:
        behaviour = report._seed_behaviour  # type: ignore[attr-defined]
        share = Decimal(index + 1) / Decimal(count)
        spent = grant.amount * share * Decimal(rng.randint(80, 110)) / 100
        report.spent_to_date = min(spent, grant.amount).quantize(Decimal("0.01"))
        size = sum(group.size for group in grant.application.target_groups.all())
        report.enrolled = max(1, min(size, round(size * min(Decimal(1), share * 2) * behaviour.pace)))
        for name, value in _kpi_values(seed).items():
            setattr(report, name, value)


def _goal_figures(
    seed: Seed, rows: list[tuple[QuarterlyReport, Grant, int, int]], goals_of: dict[int, list[Goal]]
) -> None:
    rng = seed.rng
    progress, fip = [], []
    for report, grant, index, count in rows:
        behaviour = report._seed_behaviour  # type: ignore[attr-defined]
        share = Decimal(index + 1) / Decimal(count)
        for goal in goals_of[grant.pk]:
            if goal.cumulative:
                value = (goal.target_value * share * behaviour.pace).quantize(Decimal(1))
                progress.append(GoalProgress(report=report, goal=goal, value=max(value, Decimal(0)), comment=""))
                continue
            if not cohort_possible(goal, grant, report.period):
                continue
            total = report.enrolled or 1
            level = min(Decimal(100), goal.target_value * behaviour.pace + rng.randint(-8, 8))
            numerator = max(0, min(total, round(total * level / 100)))
            progress.append(
                GoalProgress(
                    report=report,
                    goal=goal,
                    numerator=numerator,
                    denominator=total,
                    value=share_value(numerator, total),
                    comment="",
                )
            )
        if report.first_submitted_at is not None:
            fip.extend(
                FipScore(
                    report=report,
                    dimension=dimension,
                    respondent=respondent,
                    average=Decimal(rng.randint(25, 55)) / 10,
                    n=report.enrolled or 1,
                )
                for dimension in FipDimension.values
                for respondent in Respondent.values
            )
    for part in chunked(progress, 5000):
        GoalProgress.objects.bulk_create(part)
    for part in chunked(fip, 10000):
        FipScore.objects.bulk_create(part)
    seed.count("goal figures", len(progress))
    seed.count("FIP averages", len(fip))


def _logs(seed: Seed, reports: list[QuarterlyReport], reviewers: list[Any]) -> None:
    entries = []
    for report in reports:
        if report.first_submitted_at is None:
            continue
        submitted = report.first_submitted_at
        decided = submitted + datetime.timedelta(days=seed.rng.randint(3, 20))
        entries.append(
            ReportLog(
                report=report,
                transition="submit",
                source="draft",
                target="submitted",
                by=report.created_by,
                at=submitted,
            )
        )
        if report.state == ReportState.ACCEPTED:
            entries.append(
                ReportLog(
                    report=report,
                    transition="accept",
                    source="submitted",
                    target="accepted",
                    by=seed.rng.choice(reviewers),
                    at=decided,
                )
            )
        elif report.state == ReportState.DRAFT:
            entries.append(
                ReportLog(
                    report=report,
                    transition="return_to_draft",
                    source="submitted",
                    target="draft",
                    by=seed.rng.choice(reviewers),
                    reason=report.returned_reason,
                    at=min(decided, timezone.now()),
                )
            )
    with stamped_as_given(ReportLog):
        for part in chunked(entries, 5000):
            ReportLog.objects.bulk_create(part)
    seed.count("report log entries", len(entries))
