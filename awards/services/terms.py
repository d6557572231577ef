"""What a grant is given when it is granted: its terms (acceptance deadline, retention, audit
level) and the first version of its budget and plan; and the versions that follow."""

from __future__ import annotations

import datetime
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.db.models import Max
from django.utils import timezone

from applications.models import Application, Grant, Pool
from core.money import quantize
from monitoring.models import Milestone

from ..models import AuditLevel, ChangeRequest, GrantTerms, GrantVersion, VersionLine

ONE_KRONE = Decimal(1)


def audit_level(pool: Pool, amount: Decimal) -> str:
    """The audit the amount calls for (the pool's limits; by default the state's practice): up to
    100.000 kr. an independent qualified accountant, above it a registered or state-authorised
    auditor, above 500.000 kr. a performance audit as well."""
    if amount > pool.audit_performance_above:
        return AuditLevel.PERFORMANCE
    if amount > pool.audit_registered_above:
        return AuditLevel.REGISTERED
    return AuditLevel.QUALIFIED


def accept_by(grant: Grant) -> datetime.date:
    """The last day the municipality may accept: the pool's number of days after the decision."""
    granted_on = timezone.localdate(grant.granted_at) if grant.granted_at else timezone.localdate()
    return granted_on + datetime.timedelta(days=grant.application.pool.acceptance_days)


def granted_lines(application: Application, amount: Decimal) -> list[dict[str, Any]]:
    """The budget as granted: the lines applied for, each scaled to the amount granted when SIRI
    granted less (whole kroner, the rounding on the largest line), so the budget per year the
    letter states adds up to the grant."""
    lines = list(application.budget_lines.order_by("year", "category"))
    requested = sum((line.amount for line in lines), Decimal(0))
    rows = [{"year": line.year, "category": line.category, "amount": line.amount, "fte": line.fte} for line in lines]
    if not rows or requested == amount or requested <= 0:
        return rows
    factor = amount / requested
    for row in rows:
        row["amount"] = (row["amount"] * factor).quantize(ONE_KRONE, rounding=ROUND_DOWN)
    largest = max(rows, key=lambda row: row["amount"])
    largest["amount"] = quantize(largest["amount"] + amount - sum(row["amount"] for row in rows))
    return rows


def set_up(grant: Grant) -> GrantTerms:
    """The terms and the first version of a new grant, in the granting transaction (signals.py).
    Does nothing for a grant that has them."""
    terms = GrantTerms.objects.filter(grant=grant).first()
    if terms is not None:
        return terms
    pool = grant.application.pool
    terms = GrantTerms.objects.create(
        grant=grant,
        accept_by=accept_by(grant),
        retention_percent=pool.retention_percent,
        audit_level=audit_level(pool, grant.amount),
    )
    if not grant.versions.exists():
        snapshot(grant, grant.granted_by, granted_lines(grant.application, grant.amount))
    return terms


def terms_of(grant: Grant) -> GrantTerms:
    """A grant's terms. A grant without (one made before the grant administration: the migration
    gives those theirs) gets them as if granted now, not saved: reading writes nothing."""
    try:
        return grant.terms
    except GrantTerms.DoesNotExist:
        pool = grant.application.pool
        return GrantTerms(
            grant=grant,
            accept_by=None,
            retention_percent=pool.retention_percent,
            audit_level=audit_level(pool, grant.amount),
        )


def latest_version(grant: Grant) -> GrantVersion | None:
    return grant.versions.prefetch_related("lines").order_by("-number").first()


def current_lines(grant: Grant) -> list[dict[str, Any]]:
    """The budget lines in force: the latest version's, or as granted when there is none yet."""
    version = latest_version(grant)
    if version is None:
        return granted_lines(grant.application, grant.amount)
    return [
        {"year": line.year, "category": line.category, "amount": line.amount, "fte": line.fte}
        for line in version.lines.all()
    ]


def snapshot(
    grant: Grant, user: Any, lines: list[dict[str, Any]], change_request: ChangeRequest | None = None
) -> GrantVersion:
    """Write the next version of the grant's budget and plan as they stand now. Call with the
    grant row locked (or in the granting transaction), so numbers do not collide."""
    number = (grant.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    goals = [
        {"goal": goal.pk, "title": goal.title, "target_value": str(goal.target_value), "unit": goal.unit}
        for goal in grant.application.goals.order_by("id")
    ]
    milestones = [
        {
            "year": milestone.year,
            "quarter": milestone.quarter,
            "report_due_on": milestone.report_due_on.isoformat(),
            "expected": {str(value.goal_id): str(value.value) for value in milestone.expected.all()},
        }
        for milestone in Milestone.objects.filter(grant=grant).prefetch_related("expected").order_by("year", "quarter")
    ]
    version = GrantVersion.objects.create(
        grant=grant,
        number=number,
        change_request=change_request,
        amount=grant.amount,
        start_date=grant.start_date,
        end_date=grant.end_date,
        goals=goals,
        milestones=milestones,
        created_by=user if getattr(user, "pk", None) else None,
    )
    VersionLine.objects.bulk_create(
        VersionLine(
            version=version,
            year=row["year"],
            category=row["category"],
            amount=quantize(row["amount"]),
            fte=Decimal(str(row.get("fte") or 0)),
        )
        for row in lines
    )
    return version
