"""Monitoring's demo data, on top of `load_demo` (applications/demo.py):

- Slagelse's granted project "Integrations Jobenheden" (8.687.924 kr.; goals 70 % attendance and
  40 % self-supporting after 12 months), which started three quarters before the current one,
  reports its first two quarters: the first handed in and accepted by the reviewer, the second
  handed in on time and waiting for SIRI. The third quarter's report is then due or late, as the
  project page and the pool dashboard show;
- SIRI's national averages of the three central KPIs for those two quarters.

The reports go through monitoring.services as the municipality's and SIRI's clicks would, so the
rules, the validation and the transition log are real. Two things the services take from the
clock are set for the demo: the day a report is written (`today`, just after its quarter) and
the time it was handed in, moved back to before its due date so that timeliness shows as it
would have been; the transition log keeps the real time of loading.

The FIP averages of the first quarter are the first status measurement of "I mål med
Integration" (seed 002); the other figures are illustrative. Idempotent: what exists is left
alone, whatever users have done to it since.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from applications.models import Grant
from core.demo import DemoPrerequisiteMissing

from . import services
from .models import FipDimension, Milestone, NationalKpi, QuarterlyReport, Respondent
from .quarters import Quarter, quarters_between

PROJECT_TITLE = "Integrations Jobenheden"
PROJECT_MUNICIPALITY = "330"
APPLICANT_USERNAME = "slagelse"
REVIEWER_USERNAME = "reviewer"
POOL_ADMIN_USERNAME = "pooladmin"

ATTENDANCE_GOAL = "Gennemsnitlig fremmødeprocent"
SELF_SUPPORTING_GOAL = "Selvforsørgende efter 12 måneder"

C, W = Respondent.CITIZEN, Respondent.CASEWORKER
FIRST_FIP = (
    # Seed 002: the first status measurement, December 2017, on the scale 1–7.
    (FipDimension.COOPERATION, C, "5.8"),
    (FipDimension.COOPERATION, W, "5.3"),
    (FipDimension.ATTENDANCE, C, "6.4"),
    (FipDimension.ATTENDANCE, W, "5.4"),
    (FipDimension.UNDERSTANDS_DANISH, C, "4.0"),
    (FipDimension.UNDERSTANDS_DANISH, W, "3.5"),
    (FipDimension.SPEAKS_DANISH, C, "3.4"),
    (FipDimension.SPEAKS_DANISH, W, "3.2"),
    (FipDimension.QUALIFICATIONS, W, "3.5"),
    (FipDimension.JOB_SEARCH, W, "3.1"),
)
# A quarter later: small steps, most in language and job search, where the project works.
SECOND_FIP = (
    (FipDimension.COOPERATION, C, "5.9"),
    (FipDimension.COOPERATION, W, "5.5"),
    (FipDimension.ATTENDANCE, C, "6.4"),
    (FipDimension.ATTENDANCE, W, "5.6"),
    (FipDimension.UNDERSTANDS_DANISH, C, "4.2"),
    (FipDimension.UNDERSTANDS_DANISH, W, "3.7"),
    (FipDimension.SPEAKS_DANISH, C, "3.6"),
    (FipDimension.SPEAKS_DANISH, W, "3.3"),
    (FipDimension.QUALIFICATIONS, W, "3.7"),
    (FipDimension.JOB_SEARCH, W, "3.5"),
)

REPORTS: tuple[dict[str, Any], ...] = (
    {
        "attendance": "58",
        "self_supporting": "12",
        "spent_share_of_plan": "0.94",  # a slow start: two of the five jobconsultants came in month two
        "enrolled": 45,
        "kpis": {"self_supporting_share": "12", "job_ready_share": "24", "company_activation_share": "31"},
        "fip": FIRST_FIP,
        "fip_answers": {C: 38, W: 45},
        "narrative": (
            "Jobenheden er etableret med fem jobkonsulenter, og de første 45 borgere i matchgruppe 3–4 "
            "er visiteret. Alle har haft en samtale inden for den første uge og er startet på trin 0 "
            "eller 1 i trappemodellen. 14 borgere er startet i virksomhedspraktik."
        ),
        "obstacles": (
            "Rekrutteringen af den femte jobkonsulent tog to måneder, og flere borgere har haft "
            "sygefravær i de første uger."
        ),
        "adjustments": "Ugentlig opfølgning på fremmødet i de første otte uger af et forløb.",
        "attendance_comment": "Fremmødet stiger fra uge til uge; målet er 70 %.",
        "self_supporting_comment": "Seks borgere i ordinært job eller uddannelse.",
    },
    {
        "attendance": "64",
        "self_supporting": "18",
        "spent_share_of_plan": "0.97",
        "enrolled": 80,
        "kpis": {"self_supporting_share": "18", "job_ready_share": "29", "company_activation_share": "38"},
        "fip": SECOND_FIP,
        "fip_answers": {C: 66, W: 78},
        "narrative": (
            "80 borgere er nu i forløb. Praktik bruges offensivt: 31 borgere er i virksomhedspraktik og "
            "9 i løntilskud, og 14 er gået til ordinært job eller uddannelse. Opkvalificeringen på "
            "virksomhedsniveau er begyndt i rengøring og lager."
        ),
        "obstacles": "Børnepasning begrænser, hvor mange timer flere af kvinderne kan være i praktik.",
        "adjustments": "Et samarbejde med dagtilbud om pladser til børn af borgere, der starter i praktik.",
        "attendance_comment": "Stabilt fremmøde hos dem, der er i praktik; lavere hos nye borgere.",
        "self_supporting_comment": "14 borgere selvforsørgende eller i uddannelse.",
    },
)

# SIRI's national averages of the central KPIs (seed 002 names them; the numbers are illustrative).
NATIONAL_KPIS = (
    {
        "self_supporting_share": Decimal("21.4"),
        "job_ready_share": Decimal("31.2"),
        "company_activation_share": Decimal("33.8"),
    },
    {
        "self_supporting_share": Decimal("22.1"),
        "job_ready_share": Decimal("31.6"),
        "company_activation_share": Decimal("34.5"),
    },
)

DAYS_BEFORE_DUE = 5  # the demo municipality hands its reports in a few days before the deadline


@dataclass(frozen=True)
class Loaded:
    reports: int
    national_kpis: int

    @property
    def anything(self) -> bool:
        return bool(self.reports or self.national_kpis)


def _prerequisites() -> tuple[dict[str, Any], Grant]:
    names = [APPLICANT_USERNAME, REVIEWER_USERNAME, POOL_ADMIN_USERNAME]
    users = {u.username: u for u in get_user_model().objects.filter(username__in=names)}
    grant = (
        Grant.objects.select_related("application__pool")
        .filter(application__title=PROJECT_TITLE, application__lead_municipality__code=PROJECT_MUNICIPALITY)
        .first()
    )
    if len(users) < len(names) or grant is None:
        raise DemoPrerequisiteMissing("Load the base demo first: manage.py load_demo")
    return users, grant


def _planned_spending(grant: Grant, quarter: Quarter) -> Decimal:
    """The grant spent evenly over its days, up to the end of `quarter` (as progress.py plans it)."""
    total = (grant.end_date - grant.start_date).days + 1
    elapsed = min((quarter.end - grant.start_date).days + 1, total)
    return grant.amount * Decimal(elapsed) / Decimal(total)


def _report_data(grant: Grant, quarter: Quarter, template: dict[str, Any]) -> dict[str, Any]:
    goals = {goal.title: goal for goal in grant.application.goals.all()}
    progress = [
        {"goal": goals[title].pk, "value": Decimal(template[value]), "comment": template[f"{value}_comment"]}
        for title, value in ((ATTENDANCE_GOAL, "attendance"), (SELF_SUPPORTING_GOAL, "self_supporting"))
        if title in goals
    ]
    spent = _planned_spending(grant, quarter) * Decimal(template["spent_share_of_plan"])
    return {
        "year": quarter.year,
        "quarter": quarter.quarter,
        "narrative": template["narrative"],
        "obstacles": template["obstacles"],
        "adjustments": template["adjustments"],
        "enrolled": template["enrolled"],
        # Rounded to whole thousands, as a municipality's accounts report it.
        "spent_to_date": (spent / 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP) * 1000,
        "kpis": {name: Decimal(value) for name, value in template["kpis"].items()},
        "progress": progress,
        "fip": [
            {
                "dimension": dimension,
                "respondent": respondent,
                "average": Decimal(average),
                "n": template["fip_answers"][respondent],
            }
            for dimension, respondent, average in template["fip"]
        ],
    }


def _handed_in_at(grant: Grant, quarter: Quarter) -> datetime.datetime:
    milestone = Milestone.objects.filter(grant=grant, year=quarter.year, quarter=quarter.quarter).first()
    due = milestone.report_due_on if milestone else quarter.end + datetime.timedelta(days=30)
    day = max(due - datetime.timedelta(days=DAYS_BEFORE_DUE), quarter.next().start)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 30)))


def _reports(grant: Grant, users: dict[str, Any], today: datetime.date) -> int:
    applicant, reviewer = users[APPLICANT_USERNAME], users[REVIEWER_USERNAME]
    created = 0
    quarters = quarters_between(grant.start_date, grant.end_date)
    for index, (quarter, template) in enumerate(zip(quarters, REPORTS, strict=False)):
        # Only quarters that are over: a base demo loaded by an older version starts in the future.
        if quarter.end >= today:
            break
        if QuarterlyReport.objects.filter(grant=grant, year=quarter.year, quarter=quarter.quarter).exists():
            continue
        # Written the day after the quarter ended, as the municipality would.
        report = services.create_report(
            grant.pk, applicant, _report_data(grant, quarter, template), today=quarter.next().start
        )
        services.submit_report(report.pk, applicant)
        handed_in = min(_handed_in_at(grant, quarter), timezone.now())
        QuarterlyReport.objects.filter(pk=report.pk).update(submitted_at=handed_in, first_submitted_at=handed_in)
        if index == 0:
            services.accept_report(report.pk, reviewer)
        created += 1
    return created


def _national_kpis(grant: Grant, users: dict[str, Any], today: datetime.date) -> int:
    created = 0
    quarters = quarters_between(grant.start_date, grant.end_date)
    for quarter, values in zip(quarters, NATIONAL_KPIS, strict=False):
        if quarter.end >= today or NationalKpi.objects.filter(year=quarter.year, quarter=quarter.quarter).exists():
            continue
        services.set_national_kpi(users[POOL_ADMIN_USERNAME], quarter.year, quarter.quarter, values)
        created += 1
    return created


@transaction.atomic
def load_monitoring_demo(today: datetime.date | None = None) -> Loaded:
    today = today or timezone.localdate()
    users, grant = _prerequisites()
    return Loaded(reports=_reports(grant, users, today), national_kpis=_national_kpis(grant, users, today))
