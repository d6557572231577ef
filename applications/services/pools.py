"""Pools: their values, criteria and the lock that budget changes share with grants."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from core import changelog
from core.errors import DomainError
from core.money import format_dkk, quantize

from .. import changes
from ..models import Criterion, Grant, Pool, Review


def pool_problems(values: dict[str, Any], current: Pool | None) -> dict[str, list[Any]]:
    """What is wrong with a pool's new values; the API and the admin both ask this.

    Call it with the pool row locked (see `locked_pool`) when ``current`` exists: a grant in
    flight must not be able to slip under a lowered budget.
    """

    def value(name: str) -> Any:
        return values.get(name, getattr(current, name, None))

    errors: dict[str, list[Any]] = {}
    if value("opens_on") and value("closes_on") and value("closes_on") < value("opens_on"):
        errors["closes_on"] = [_("The deadline cannot be before the pool opens.")]
    start, end = value("project_start_earliest"), value("project_end_latest")
    if start and end and end < start:
        errors["project_end_latest"] = [_("The project period cannot end before it starts.")]
    budget, maximum = value("total_budget"), value("max_grant")
    if budget is not None and maximum is not None and maximum > budget:
        errors["max_grant"] = [_("The maximum grant cannot exceed the pool's total budget.")]
    registered, performance = value("audit_registered_above"), value("audit_performance_above")
    if registered is not None and performance is not None and performance < registered:
        errors["audit_performance_above"] = [
            _("The limit of the performance audit cannot be below that of the registered auditor.")
        ]
    if current is not None and budget is not None:
        granted = committed_total(current)
        if budget < granted:
            errors["total_budget"] = [
                _("The budget cannot go below the %(granted)s already granted.") % {"granted": format_dkk(granted)}
            ]
    criteria = values.get("criteria")
    if criteria is not None:
        names = [c["name"].strip() for c in criteria]
        if len(set(names)) != len(names):
            errors["criteria"] = [_("Each criterion needs its own name.")]
        elif (
            current is not None
            and Review.objects.filter(application__pool=current).exists()
            # Weights too: a new weight would change the weighted totals of reviews already given.
            and [(name, Decimal(str(c["weight"]))) for name, c in zip(names, criteria, strict=True)]
            != [(c.name, c.weight) for c in current.criteria.all()]
        ):
            errors["criteria"] = [_("The criteria cannot change once reviews have been given.")]
    return errors


def committed_total(pool: Pool) -> Decimal:
    """What the pool's grants hold (lapsed and revoked ones hold nothing). Ask it with the pool
    row locked (`locked_pool`) before promising more: grants and budget changes take turns."""
    held = Grant.objects.filter(application__pool=pool).holding_money()
    return quantize(held.aggregate(total=Sum("amount"))["total"])


@contextmanager
def locked_pool(pool_id: int) -> Iterator[Pool]:
    """Hold the pool row as `grant` does, so budget changes and grants take turns."""
    with transaction.atomic():
        yield Pool.objects.select_for_update().get(pk=pool_id)


_POOL_FIELDS = frozenset(f.name for f in Pool._meta.concrete_fields if f.editable) - {"id"}


def save_pool(user: Any, data: dict[str, Any], pool_id: int | None = None) -> Pool:
    """Create a pool (no `pool_id`) or change one: the pages, the API and the admin all save
    here. `data` holds the fields to write and, when given, ``criteria`` (a list of
    ``{"name", "weight"}``) replaces the pool's criteria. The row is locked as `grant` locks
    it, and `pool_problems` asked under that lock. A change logs the fields and criteria it
    changed, as they were and became."""
    values = dict(data)
    unknown = set(values) - _POOL_FIELDS - {"criteria"}
    if unknown:
        raise ValueError(f"Not fields of a pool: {', '.join(sorted(unknown))}")
    criteria = values.pop("criteria", None)
    if criteria is not None:
        criteria = [{"name": c["name"].strip(), "weight": Decimal(str(c.get("weight", Decimal(1))))} for c in criteria]
    with transaction.atomic():
        if pool_id is None:
            if not user.has_perm("applications.add_pool"):
                raise PermissionDenied
            current, pool = None, Pool()
        else:
            pool = Pool.objects.select_for_update().get(pk=pool_id)
            if not user.has_perm("applications.change_pool", pool):
                raise PermissionDenied
            current = pool
        asked = {**values, "criteria": criteria} if criteria is not None else values
        errors = pool_problems(asked, current)
        if errors:
            raise DomainError.invalid(errors)
        before = _pool_snapshot(pool, values, criteria) if current is not None else None
        for name, value in values.items():
            setattr(pool, name, value)
        pool.save()
        if criteria is not None:
            _replace_criteria(pool, criteria)
        if before is not None:
            changelog.record(changes.POOL, pool, pool, user, before, _pool_snapshot(pool, values, criteria))
    return pool


def _criteria_snapshot(criteria: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    weight = Criterion._meta.get_field("weight")
    return [{"name": name, "weight": changelog.json_value(weight, value)} for name, value in criteria]


def _pool_snapshot(pool: Pool, values: dict[str, Any], criteria: list[dict[str, Any]] | None) -> dict[str, Any]:
    """The pool's fields being written (and its criteria, when they are) as the log keeps them."""
    snapshot = changelog.snapshot(pool, values)
    if criteria is not None:
        stored = pool.criteria.order_by("position", "id").values_list("name", "weight")
        snapshot["criteria"] = _criteria_snapshot(list(stored))
    return snapshot


def _replace_criteria(pool: Pool, criteria: list[dict[str, Any]]) -> None:
    # Scores are stored by criterion name, so rows can be replaced wholesale; an unchanged list
    # is left as it is so that saving the pool alone writes no criteria.
    wanted = [(c["name"], c["weight"]) for c in criteria]
    if wanted == [(c.name, c.weight) for c in pool.criteria.order_by("position", "id")]:
        return
    pool.criteria.all().delete()
    Criterion.objects.bulk_create(
        Criterion(pool=pool, name=name, weight=weight, position=position)
        for position, (name, weight) in enumerate(wanted)
    )
