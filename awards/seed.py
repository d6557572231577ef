"""The grant administration's part of `manage.py seed_scale` (core/seeding.py): every grant
accepted by its municipality within the deadline (terms, the acceptance in the log), its first
version of the budget and plan, and its payment plan (`services.payments.planned_schedule`, as
`make_plan` makes it) with what was paid and what is held while a report is late.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.utils import timezone

from applications.models import Goal, Grant, GrantState
from core.roles import Role
from core.seeding import Seed, chunked, stamped_as_given
from monitoring.models import ExpectedValue, Milestone, QuarterlyReport

from .models import AwardLog, GrantTerms, GrantVersion, Payment, PaymentKind, PaymentLog, PaymentState, VersionLine
from .services.acceptance import declaration
from .services.payments import held_reason, planned_schedule, recipient_cvr
from .services.terms import accept_by, audit_level, granted_lines


def seed_awards(seed: Seed) -> None:
    grants = list(
        Grant.objects.filter(state=GrantState.ACTIVE)
        .select_related("application__pool", "application__lead_municipality", "granted_by")
        .prefetch_related(
            Prefetch("application__goals", queryset=Goal.objects.order_by("id")),
            Prefetch(
                "milestones",
                queryset=Milestone.objects.order_by("year", "quarter").prefetch_related(
                    Prefetch("expected", queryset=ExpectedValue.objects.order_by("goal_id"))
                ),
            ),
        )
        .order_by("pk")
    )
    user_model = get_user_model()
    accepters = {
        municipality.pk: user
        for user in user_model.objects.filter(profile__role=Role.APPLICANT).prefetch_related("profile__municipalities")
        for municipality in user.profile.municipalities.all()[:1]
    }
    admins = list(user_model.objects.filter(profile__role=Role.POOL_ADMIN))
    accepted_on = _terms(seed, grants, accepters)
    _versions(seed, grants)
    _payments(seed, grants, accepted_on, admins)


def _terms(seed: Seed, grants: list[Grant], accepters: dict[int, Any]) -> dict[int, datetime.date]:
    terms, entries, accepted_on = [], [], {}
    for grant in grants:
        pool = grant.application.pool
        deadline = accept_by(grant)
        day = timezone.localdate(grant.granted_at) + datetime.timedelta(days=seed.rng.randint(2, pool.acceptance_days))
        user = accepters[grant.application.lead_municipality_id]
        accepted_on[grant.pk] = day
        row = GrantTerms(
            grant=grant,
            accept_by=deadline,
            retention_percent=pool.retention_percent,
            audit_level=audit_level(pool, grant.amount),
            accepted_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(13, 0))),
            accepted_by=user,
            accepted_by_name=user.get_full_name(),
            accepted_by_title="Afdelingsleder",
            declaration=declaration(grant),
        )
        grant.terms = row  # what planned_schedule reads, without a query
        terms.append(row)
        entries.append(
            AwardLog(
                award_id=grant.pk,
                transition="accept",
                source="awaiting_acceptance",
                target="active",
                by=user,
                at=row.accepted_at,
            )
        )
    GrantTerms.objects.bulk_create(terms, batch_size=2000)
    with stamped_as_given(AwardLog):
        AwardLog.objects.bulk_create(entries, batch_size=2000)
    seed.count("grant acceptances", len(terms))
    return accepted_on


def _versions(seed: Seed, grants: list[Grant]) -> None:
    """Version 1 of each grant's budget and plan, as `services.terms.snapshot` writes it."""
    versions, lines_of = [], []
    for grant in grants:
        versions.append(
            GrantVersion(
                grant=grant,
                number=1,
                amount=grant.amount,
                start_date=grant.start_date,
                end_date=grant.end_date,
                goals=[
                    {"goal": goal.pk, "title": goal.title, "target_value": str(goal.target_value), "unit": goal.unit}
                    for goal in grant.application.goals.all()
                ],
                milestones=[
                    {
                        "year": milestone.year,
                        "quarter": milestone.quarter,
                        "report_due_on": milestone.report_due_on.isoformat(),
                        "expected": {str(value.goal_id): str(value.value) for value in milestone.expected.all()},
                    }
                    for milestone in grant.milestones.all()
                ],
                created_by=grant.granted_by,
                created_at=grant.granted_at,
            )
        )
        lines_of.append(granted_lines(grant.application, grant.amount))
    with stamped_as_given(GrantVersion):
        GrantVersion.objects.bulk_create(versions, batch_size=500)
    lines = [
        VersionLine(version=version, year=row["year"], category=row["category"], amount=row["amount"], fte=row["fte"])
        for version, rows in zip(versions, lines_of, strict=True)
        for row in rows
    ]
    for part in chunked(lines, 5000):
        VersionLine.objects.bulk_create(part)
    seed.count("budget versions", len(versions))


def _payments(seed: Seed, grants: list[Grant], accepted_on: dict[int, datetime.date], admins: list[Any]) -> None:
    """The plan of each grant; what fell due was paid, unless a report was more than the grace
    days late then: from that day on every unpaid instalment is held (`refresh_holds`)."""
    today = seed.today
    handed_in = set(QuarterlyReport.objects.handed_in().values_list("grant_id", "year", "quarter"))
    payments: list[Payment] = []
    for grant in grants:
        grace = datetime.timedelta(days=grant.application.pool.payment_grace_days)
        overdue = next(
            (
                m
                for m in grant.milestones.all()
                if m.report_due_on < today - grace and (grant.pk, m.year, m.quarter) not in handed_in
            ),
            None,
        )
        held_from = overdue.report_due_on + grace if overdue else None
        reason = held_reason(overdue) if overdue else ""
        cvr = recipient_cvr(grant)
        for quarter, due_on, amount in planned_schedule(grant, accepted_on[grant.pk]):
            payment = Payment(
                grant=grant,
                kind=PaymentKind.INSTALMENT if quarter else PaymentKind.RETENTION,
                year=quarter.year if quarter else None,
                quarter=quarter.quarter if quarter else None,
                due_on=due_on,
                amount=amount,
                cvr=cvr,
            )
            if quarter is None:
                payment.state = PaymentState.RETAINED
            elif held_from is not None and due_on >= held_from:
                payment.state = PaymentState.HELD  # from then on nothing is paid
            elif due_on <= today:
                payment.state = PaymentState.PAID
            else:
                payment.state = PaymentState.PLANNED
            if payment.state == PaymentState.PAID:
                payment.paid_on = min(due_on + datetime.timedelta(days=seed.rng.randint(0, 5)), today)
                payment.paid_by = seed.rng.choice(admins)
            elif payment.state == PaymentState.HELD:
                payment.held_reason = reason
            payments.append(payment)
    for part in chunked(payments, 5000):
        Payment.objects.bulk_create(part)
    entries = []
    for payment in payments:
        if payment.state == PaymentState.PAID:
            assert payment.paid_on is not None
            when = timezone.make_aware(datetime.datetime.combine(payment.paid_on, datetime.time(12)))
            entries.append(
                PaymentLog(
                    payment=payment, transition="pay", source="planned", target="paid", by=payment.paid_by, at=when
                )
            )
        elif payment.state == PaymentState.HELD:
            entries.append(
                PaymentLog(
                    payment=payment, transition="hold", source="planned", target="held", reason=payment.held_reason
                )
            )
    with stamped_as_given(PaymentLog):
        for entry in entries:
            entry.at = entry.at or timezone.now()
        for part in chunked(entries, 5000):
            PaymentLog.objects.bulk_create(part)
    seed.count("payments", len(payments))
    seed.count("payments paid", sum(1 for p in payments if p.state == PaymentState.PAID))
    seed.count("payments held", sum(1 for p in payments if p.state == PaymentState.HELD))
