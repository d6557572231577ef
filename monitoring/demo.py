"""Monitoring's demo data, on top of `load_demo` (applications/demo.py):

- Slagelse's granted project "Integrations Jobenheden" (8.687.924 kr.; result requirements 70 %
  average attendance and 40 % self-supporting 12 months after enrolment, seed 004), which was
  granted before it started six quarters before the current one, reports its first five
  quarters, each after its quarter ended and a few days before it was due: the first four
  accepted by the reviewer, the fifth waiting for SIRI. The sixth quarter's report is then due or
  late, as the project page and the pool dashboard show;
- SIRI's national averages of the three central KPIs for those quarters.

The figures tell a true story against the requirements. Attendance is a level expected at 70 %
from the first quarter, reported as days attended of days planned: 58 % rising to 63 % and back
to 60 %, so it is off track and falling, never "on track". Self-support is a share of the cohort
enrolled at least 12 months before the quarter's end: nobody can be in it before the fifth
quarter, which counts the 45 people enrolled in the first: 17 of them self-supporting, 37,8 %,
at risk against 40 %.

The reports go through monitoring.services as the municipality's and SIRI's clicks would, so the
rules, the validation and the transition log are real; each step runs under `core.demo.clock`
on its day (written the day after the quarter ended, handed in a few days before the due date,
accepted a few days later), so that timeliness and the log show what would have happened.

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
from core.demo import DemoPrerequisiteMissing, at, clock

from . import services
from .models import FipDimension, Milestone, NationalKpi, QuarterlyReport, Respondent
from .quarters import Quarter, quarters_between

PROJECT_TITLE = "Integrations Jobenheden"
PROJECT_MUNICIPALITY = "330"
APPLICANT_USERNAME = "slagelse"
REVIEWER_USERNAME = "reviewer"
POOL_ADMIN_USERNAME = "pooladmin"

ATTENDANCE_GOAL = "Gennemsnitlig fremmødeprocent"  # the goals of applications/demo.py
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


def _later(fip: tuple[tuple[str, str, str], ...], step: str) -> tuple[tuple[str, str, str], ...]:
    """The same measurement a quarter or two on: every average `step` higher, at most 7."""
    return tuple(
        (dimension, respondent, str(min(Decimal(average) + Decimal(step), Decimal(7))))
        for dimension, respondent, average in fip
    )


# Attendance as days attended of days planned (about 60 planned days per person in the quarter);
# self-support as n of the cohort, first in the fifth quarter (the 45 enrolled in the first).
REPORTS: tuple[dict[str, Any], ...] = (
    {
        "attendance": (1566, 2700),  # 58 %
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
        "attendance_comment": "1.566 fremmødte af 2.700 planlagte dage; målet er 70 %.",
    },
    {
        "attendance": (2928, 4800),  # 61 %
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
    },
    {
        "attendance": (4158, 6600),  # 63 %
        "spent_share_of_plan": "0.98",
        "enrolled": 110,
        "kpis": {"self_supporting_share": "21", "job_ready_share": "31", "company_activation_share": "40"},
        "fip": _later(SECOND_FIP, "0.1"),
        "fip_answers": {C: 90, W: 104},
        "narrative": (
            "Jobenheden er nu også i Korsør, i beboerhuset på Motalavej. 110 borgere er i forløb, og "
            "samarbejdet med dagtilbud har givet otte kvinder mulighed for at starte i praktik."
        ),
        "obstacles": "Sygefraværet blandt nye borgere er højere end ventet.",
        "adjustments": "Sygdomsafklaring tidligt i forløbet, med opsamling af metoder fra et tidligere EU-projekt.",
        "attendance_comment": "Fremmødet stiger, men er stadig under 70 %.",
    },
    {
        "attendance": (5208, 8400),  # 62 %
        "spent_share_of_plan": "0.99",
        "enrolled": 140,
        "kpis": {"self_supporting_share": "24", "job_ready_share": "33", "company_activation_share": "41"},
        "fip": _later(SECOND_FIP, "0.2"),
        "fip_answers": {C: 112, W: 131},
        "narrative": (
            "140 borgere er i forløb. Fire virksomheder i rengøring og pleje har ansat borgere efter "
            "praktik, og den håndholdte jobsøgning er udvidet til lager og transport."
        ),
        "obstacles": "Vinterens sygdom og flere nye borgere på trin 0 trækker fremmødet ned.",
        "adjustments": "Opfølgning samme dag ved udeblivelse, pr. telefon eller ved personligt besøg.",
        "attendance_comment": "Lidt lavere end sidste kvartal; mange nye borgere på trin 0.",
    },
    {
        "attendance": (5940, 9900),  # 60 %
        "self_supporting": (17, 45),  # 37,8 % of the first cohort
        "spent_share_of_plan": "1.00",
        "enrolled": 165,
        "kpis": {"self_supporting_share": "26", "job_ready_share": "34", "company_activation_share": "41"},
        "fip": _later(SECOND_FIP, "0.3"),
        "fip_answers": {C: 131, W: 152},
        "narrative": (
            "Det første hold, de 45 borgere der startede i jobenhedens første kvartal, har nu været i "
            "forløb i 12 måneder: 17 af dem er selvforsørgende. 165 borgere er i forløb."
        ),
        "obstacles": "Fremmødet er faldet to kvartaler i træk og ligger under resultatkravet på 70 %.",
        "adjustments": "Mentorordningen udvides, og fremmødet gennemgås hver uge med hver jobkonsulent.",
        "attendance_comment": "5.940 fremmødte af 9.900 planlagte dage: under kravet på 70 %.",
        "self_supporting_comment": "17 af de 45 borgere fra det første kvartal er selvforsørgende efter 12 måneder.",
    },
)

# SIRI's national averages of the central KPIs (seed 002 names them; the numbers are illustrative).
NATIONAL_KPIS = tuple(
    {
        "self_supporting_share": Decimal(own),
        "job_ready_share": Decimal(ready),
        "company_activation_share": Decimal(activation),
    }
    for own, ready, activation in (
        ("21.4", "31.2", "33.8"),
        ("22.1", "31.6", "34.5"),
        ("22.6", "31.9", "34.9"),
        ("23.0", "32.3", "35.2"),
        ("23.4", "32.5", "35.6"),
    )
)

DAYS_BEFORE_DUE = 5  # the demo municipality hands its reports in a few days before the deadline
DAYS_TO_ACCEPT = 4  # and SIRI reads them soon after


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
        {
            "goal": goals[title].pk,
            "numerator": template[name][0],
            "denominator": template[name][1],
            "comment": template.get(f"{name}_comment", ""),
        }
        for title, name in ((ATTENDANCE_GOAL, "attendance"), (SELF_SUPPORTING_GOAL, "self_supporting"))
        if title in goals and name in template
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


def _handed_in_on(grant: Grant, quarter: Quarter) -> datetime.date:
    milestone = Milestone.objects.filter(grant=grant, year=quarter.year, quarter=quarter.quarter).first()
    due = milestone.report_due_on if milestone else quarter.end + datetime.timedelta(days=30)
    return max(due - datetime.timedelta(days=DAYS_BEFORE_DUE), quarter.next().start)


def _reports(grant: Grant, users: dict[str, Any], today: datetime.date) -> int:
    applicant, reviewer = users[APPLICANT_USERNAME], users[REVIEWER_USERNAME]
    created = 0
    quarters = quarters_between(grant.start_date, grant.end_date)
    last = len(REPORTS) - 1
    for index, (quarter, template) in enumerate(zip(quarters, REPORTS, strict=False)):
        # Only quarters that are over: a base demo loaded by an older version starts later.
        if quarter.end >= today:
            break
        if QuarterlyReport.objects.filter(grant=grant, year=quarter.year, quarter=quarter.quarter).exists():
            continue
        written, handed_in = quarter.next().start, _handed_in_on(grant, quarter)
        with clock(at(written, 9)):
            report = services.create_report(grant.pk, applicant, _report_data(grant, quarter, template), today=written)
        with clock(at(handed_in, 10, 30)):
            services.submit_report(report.pk, applicant, today=handed_in)
        if index < last:  # SIRI has read all but the latest
            with clock(at(handed_in + datetime.timedelta(days=DAYS_TO_ACCEPT), 11)):
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
