"""The grant administration's demo, on top of `load_demo`, `load_monitoring_demo` and (when it is
loaded, as `make run` does) `load_gribskov_demo`:

- Slagelse's "Integrations Jobenheden" becomes active as it would have: its grant-responsible
  person accepted it within the deadline after the decision, before the project started, the
  payment plan was made then, and the first two quarterly instalments were paid on their due
  days. A report more than the pool's 14 grace days late on the day of loading holds the
  payments due now.
  An approved budget change (money moved from the first year to the second, and 250.000 kr. for
  Danish courses) made version 2 of its budget and plan, with its decision letter;
- Gribskov's "Projekt 44 point = arbejde" (granted 14.12.2023, run 01.01–30.06.2024) was
  accepted by its deadline in December 2023 and both quarterly instalments were paid on their
  due days; the retained 10 % waits for the final accounts;
- Slagelse's new project "Sprogmakkere og virksomhedspraktik for unge" is granted today and
  awaits acceptance, for a new user to take through acceptance (its first report is long
  overdue, so its payments are held until it is handed in), a paid first instalment and a
  budget change of their own.

Everything goes through the services as the municipality's and SIRI's clicks would, each step on
its day in the story (`core.demo.clock`, and the services' own `today`), so the log tells what
would have happened. One thing is set for the demo: Gribskov's acceptance deadline, which its
demo's grant took from the day of loading, is the story's (the pool's days after 14.12.2023).
Idempotent: what exists is left alone, whatever users have done to it since.
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
from applications.demo import recommend_grant
from applications.models import (
    Application,
    ApprovalStatus,
    BudgetCategory,
    BudgetLine,
    Goal,
    GoalKind,
    Grant,
    GrantState,
    Measure,
    Municipality,
    Pool,
    TargetGroup,
)
from core.demo import DemoPrerequisiteMissing, at, clock
from monitoring.demo_gribskov import PROJECT_TITLE as GRIBSKOV_PROJECT
from monitoring.quarters import Quarter

from . import services
from .models import ChangeKind, GrantTerms, PaymentKind, PaymentState

JOB_UNIT = "Integrations Jobenheden"
NEW_PROJECT = "Sprogmakkere og virksomhedspraktik for unge"
JOB_UNIT_POOL = "Pulje til styrket beskæftigelsesrettet integrationsindsats"
RESPONSIBLE = ("Helle Sofie Dedenroth Larsen", "Leder af Integration og Netværk")
DAYS_TO_ACCEPT = 6  # after the decision: within the pool's 14 days


@dataclass(frozen=True)
class Loaded:
    accepted: bool
    paid: int
    changed: bool
    granted: bool
    gribskov: bool = False

    @property
    def anything(self) -> bool:
        return self.accepted or bool(self.paid) or self.changed or self.granted or self.gribskov


NAMES = ["slagelse", "gribskov", "reviewer", "pooladmin"]


def _users() -> dict[str, Any]:
    users = {u.username: u for u in get_user_model().objects.filter(username__in=NAMES)}
    if len(users) < len(NAMES):
        raise DemoPrerequisiteMissing("Run load_demo first: the grant administration's demo builds on it.")
    return users


def _job_unit() -> Grant:
    grant = Grant.objects.filter(application__title=JOB_UNIT, application__lead_municipality__code="330").first()
    if grant is None:
        raise DemoPrerequisiteMissing("Run load_demo first: Slagelse's job unit has no grant.")
    return grant


def _accept_in_time(grant: Grant, user: Any, name: str, title: str) -> bool:
    """Accepted a few days after the decision (by the deadline), the plan made that day."""
    if grant.state != GrantState.AWAITING_ACCEPTANCE:
        return False
    granted_on = timezone.localdate(grant.granted_at)
    day = min(granted_on + datetime.timedelta(days=DAYS_TO_ACCEPT), services.terms_of(grant).accept_by)
    acceptance = {"accepted_by_name": name, "accepted_by_title": title, "declaration": True}
    with clock(at(day, 9)):
        services.accept(grant.pk, user, acceptance, today=day)
    return True


def _pay_when_due(grant: Grant, users: dict[str, Any], count: int | None = None) -> int:
    """The pool admin pays the first `count` instalments (all, with None) on their due days,
    those due by today; then the holds as they stand today."""
    paid = 0
    today = timezone.localdate()
    instalments = list(grant.payments.filter(kind=PaymentKind.INSTALMENT).in_plan().order_by("due_on"))
    for payment in instalments[:count]:
        if payment.state != PaymentState.PLANNED or payment.due_on > today:
            continue
        with clock(at(payment.due_on, 11)):
            services.pay(payment.pk, users["pooladmin"], payment.due_on, today=payment.due_on)
        paid += 1
    services.refresh_holds(grant.pk, today)
    return paid


def _gribskov(users: dict[str, Any]) -> bool:
    """Gribskov's project, accepted in December 2023 by its deadline, both instalments paid."""
    grant = Grant.objects.filter(
        application__title=GRIBSKOV_PROJECT, application__lead_municipality__code="270"
    ).first()
    if grant is None or grant.state != GrantState.AWAITING_ACCEPTANCE:
        return False  # not loaded (only `make run` loads it), or accepted already
    granted_on = timezone.localdate(grant.granted_at)
    deadline = granted_on + datetime.timedelta(days=grant.application.pool.acceptance_days)
    GrantTerms.objects.filter(grant=grant).update(accept_by=deadline)
    grant.refresh_from_db()
    application = grant.application
    _accept_in_time(grant, users["gribskov"], application.grant_responsible_name, application.grant_responsible_title)
    _pay_when_due(grant, users)
    return True


def _budget_change(grant: Grant, users: dict[str, Any]) -> bool:
    """Money moved from the first year to the second, and 250.000 kr. more for Danish courses."""
    if grant.change_requests.exists() or grant.state != GrantState.ACTIVE:
        return False
    lines = [{**line} for line in services.current_lines(grant)]
    first, second = grant.start_date.year, grant.start_date.year + 1
    for line in lines:
        if line["year"] == first and line["category"] == BudgetCategory.SALARIES:
            line["amount"] -= Decimal(300000)
        if line["year"] == second and line["category"] == BudgetCategory.SALARIES:
            line["amount"] += Decimal(300000)
    lines.append({"year": second, "category": BudgetCategory.ACTIVITIES, "amount": Decimal(250000), "fte": Decimal(0)})
    change = services.file_change(
        grant.pk,
        users["slagelse"],
        {
            "kind": ChangeKind.BUDGET,
            "reason": (
                "Den femte jobkonsulent kom først i måned to, så lønudgiften i første år bliver lavere. "
                "Vi flytter 300.000 kr. til andet år, hvor flere borgere er i forløb, og søger 250.000 kr. "
                "til danskundervisning på arbejdspladsen for borgere i praktik."
            ),
            "budget_lines": lines,
        },
    )
    services.approve_change(
        change.pk, users["reviewer"], "Flytningen følger aktiviteten, og der er midler tilbage i puljen."
    )
    return True


def _new_project(users: dict[str, Any]) -> bool:
    """Slagelse's new project, applied for in the job unit's round (the pool is closed now) to
    start two quarters ago, and granted today, late: it began on the municipality's own account,
    so its first report is overdue the moment it is accepted. It awaits acceptance."""
    if Application.objects.filter(title=NEW_PROJECT).exists():
        return False
    pool = Pool.objects.filter(name=JOB_UNIT_POOL).first()
    if pool is None:
        raise DemoPrerequisiteMissing("Run load_demo first: the job unit's pool is missing.")
    applicant, reviewer = users["slagelse"], users["reviewer"]
    start = Quarter.of(timezone.localdate()).previous().previous().start
    end = datetime.date(start.year + 2, start.month, 1) - datetime.timedelta(days=1)
    with clock(at(pool.closes_on - datetime.timedelta(days=30))):
        application = _new_application(pool, applicant, start, end)
    with clock(at(pool.closes_on - datetime.timedelta(days=7))):
        application_services.record_political_approval(
            application.pk,
            applicant,
            {
                "municipality": application.lead_municipality,
                "status": ApprovalStatus.APPROVED,
                "decided_on": pool.closes_on - datetime.timedelta(days=21),
                "body": "Beskæftigelsesudvalget",
                "reference": "Demo",
            },
        )
        application_services.submit(application.pk, applicant)
    with clock(at(pool.closes_on + datetime.timedelta(days=10))):
        application_services.save_review(
            application.pk,
            reviewer,
            recommend_grant(
                application.requested_total, "Et konkret og velafgrænset projekt for en overset målgruppe."
            ),
        )
    application_services.grant(
        application.pk,
        reviewer,
        application.requested_total,
        "Sprogmakkerne rekrutteres fra virksomheder, der kan tilbyde praktik eller fritidsjob.",
    )
    return True


def _new_application(pool: Pool, applicant: Any, start: datetime.date, end: datetime.date) -> Application:
    application = Application.objects.create(
        pool=pool,
        lead_municipality=Municipality.objects.get(code="330"),
        created_by=applicant,
        title=NEW_PROJECT,
        applicant_unit="Integration og Netværk, Center for Arbejdsmarked og Integration",
        cvr="29188505",
        grant_responsible_name=RESPONSIBLE[0],
        grant_responsible_title=RESPONSIBLE[1],
        grant_responsible_email="Hesla@slagelse.dk",
        purpose="Unge flygtninge under 18 år får fritidsjob og praktik gennem sprogmakkere fra lokale virksomheder.",
        target_group_description="Unge op til 18 år, hvis forældre er omfattet af integrationsprogram.",
        current_effort="Få af de unge har fritidsjob; sprogmakkerordningen findes kun for voksne.",
        approach="Hver ung får en sprogmakker på en virksomhed og et forløb fra praktik til fritidsjob.",
        objectives="15 unge i fritidsjob og 40 sprogmakkere fra virksomheder.",
        measures=[Measure.LANGUAGE_BUDDY, Measure.INTERNSHIP, Measure.VOLUNTEER],
        methods="Sprogmakkerforløb på 12 uger og progressionsmåling hvert kvartal.",
        political_anchoring="Projektet godkendes af Beskæftigelsesudvalget.",
        management="Integration og Netværk er projektejer.",
        cross_sector_ownership="Jobcentrets virksomhedsservice og lokale virksomheder deltager.",
        continuation="Sprogmakkerordningen videreføres i jobcentrets virksomhedsservice.",
        committee_briefing="Udvalget orienteres hvert kvartal.",
        anchoring="Sprogmakkerordningen videreføres i jobcentrets virksomhedsservice.",
        start_date=start,
        end_date=end,
    )
    youth = TargetGroup.objects.create(application=application, name="unge under 18 år", size=25)
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
    Goal.objects.create(
        application=application,
        title="Sprogmakkere fra virksomheder",
        kind=GoalKind.COUNT,
        target_value=40,
        baseline=0,
        unit="personer",
        cumulative=True,
    )
    for year in range(start.year, end.year + 1):
        BudgetLine.objects.create(
            application=application,
            year=year,
            category=BudgetCategory.SALARIES,
            amount=Decimal("400000.00"),
            fte=Decimal("0.75"),
        )
    return application


@transaction.atomic
def load_awards_demo() -> Loaded:
    users = _users()
    grant = _job_unit()
    accepted = _accept_in_time(grant, users["slagelse"], *RESPONSIBLE)
    grant.refresh_from_db()
    paid = _pay_when_due(grant, users, 2) if accepted else 0
    changed = _budget_change(grant, users)
    gribskov = _gribskov(users)
    granted = _new_project(users)
    return Loaded(accepted=accepted, paid=paid, changed=changed, granted=granted, gribskov=gribskov)
