"""Where apps built on monitoring add to its pages, its API and its documents. Monitoring imports
none of them (the ambassador network and the grant administration build on monitoring, not the
other way round): they register here in their AppConfig.ready()."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet

from applications.models import Grant


@dataclass(frozen=True)
class GoalNote:
    """A figure shown beside a goal of the project: e.g. the ambassador's contribution."""

    label: Any
    value: str
    detail: str = ""


# grant → {goal id: notes}
GoalNotes = Callable[[Grant], dict[int, list[GoalNote]]]
GOAL_NOTES: list[GoalNotes] = []


def goal_notes(grant: Grant) -> dict[int, list[GoalNote]]:
    notes: dict[int, list[GoalNote]] = {}
    for provider in GOAL_NOTES:
        for goal_id, items in provider(grant).items():
            notes.setdefault(goal_id, []).extend(items)
    return notes


# The grant in the API (`GET /grants/`, `/grants/{id}/`): fields other apps add (name → a
# function making a read-only serializer field), and what they read, fetched with the list in a
# fixed number of queries (each function takes and returns the queryset of grants).
GRANT_FIELDS: dict[str, Callable[[], Any]] = {}
GRANT_QUERYSETS: list[Callable[[QuerySet[Grant]], QuerySet[Grant]]] = []


def grant_queryset(grants: QuerySet[Grant]) -> QuerySet[Grant]:
    for extend in GRANT_QUERYSETS:
        grants = extend(grants)
    return grants


@dataclass(frozen=True)
class Panel:
    """A part of the project page another app shows: its template and what it needs. `place` is
    "top" (what the project needs from its reader now, under the facts) or "bottom"."""

    template: str
    context: dict[str, Any]
    place: str = "bottom"


# (request, grant) → the panels of the project page; asked once per page view.
ProjectPanels = Callable[[Any, Grant], list[Panel]]
PROJECT_PANELS: list[ProjectPanels] = []
# What the panels read of the grant's own relations (`select_related` names: the grant
# administration's terms and what the grant hands in at its end), read with the page's grant
# instead of by a query of the grant again (issue 16).
PROJECT_GRANT_RELATED: list[str] = []


def project_panels(request: Any, grant: Grant) -> dict[str, list[Panel]]:
    panels: dict[str, list[Panel]] = {"top": [], "bottom": []}
    for provider in PROJECT_PANELS:
        for panel in provider(request, grant):
            panels.setdefault(panel.place, []).append(panel)
    return panels


@dataclass(frozen=True)
class MoneyFigure:
    """An amount of a set of grants that another app knows (the grant administration: what has
    been paid out), shown in the pool's money chart between the granted and the spent."""

    key: str
    label: Any
    amount: Any  # Decimal


# A grant as a pool's money figures see it: its amount, its state and the values of the
# providers' columns.
MoneyRow = tuple[Any, str, dict[str, Any]]


@dataclass(frozen=True)
class PoolMoney:
    """What another app knows of the money of a set of grants: `columns()` are expressions that
    annotate each grant with its amounts (named apart from every other app's), `figures(rows)`
    sums every grant's into figures. The columns come with a query of the grants the page reads
    anyway (the pool dashboard's one query of the pool's rows), so that the chart costs no query
    of its own and the same for 10 projects as for 600; `pool_money` reads them for a queryset."""

    columns: Callable[[], dict[str, Any]]
    figures: Callable[[list[MoneyRow]], list[MoneyFigure]]
    models: tuple[type[Model], ...]  # as `OwedLateness.models`


POOL_MONEY: list[PoolMoney] = []


def money_columns() -> dict[str, Any]:
    """Every provider's columns, to annotate a query of grants with."""
    return {name: column for provider in POOL_MONEY for name, column in provider.columns().items()}


def money_of(rows: list[MoneyRow]) -> list[MoneyFigure]:
    """The figures of grants read with `money_columns`."""
    return [figure for provider in POOL_MONEY for figure in provider.figures(rows)]


def pool_money(grants: QuerySet[Grant]) -> list[MoneyFigure]:
    """The figures of `grants` (a queryset, not sliced): one query."""
    columns = money_columns()
    values = grants.order_by().annotate(**columns).values_list("amount", "state", *columns)
    return money_of([(amount, state, dict(zip(columns, rest, strict=True))) for amount, state, *rest in values])


@dataclass(frozen=True)
class OwedLateness:
    """What a grant owes besides its quarterly reports, late (the grant administration: the final
    report and accounts after the end), for the reporting risk: `columns(today)` are expressions
    that annotate each grant with what its lateness is reckoned from (named apart from every other
    app's), `days_late(values, today)` its days late of it from their values (0: nothing late).
    The columns come with a query of the grants the page reads anyway (the pool dashboard's rows),
    or with one query of their own (`owed_days_late`): a list's risk costs the same for 10
    projects as for 600."""

    columns: Callable[[datetime.date], dict[str, Any]]
    days_late: Callable[[dict[str, Any], datetime.date], int]
    # The models (each with a `grant`) whose rows the columns read: a saved or deleted one renews
    # its pool's cached figures (`pool_snapshot`).
    models: tuple[type[Model], ...]


OWED_LATENESS: list[OwedLateness] = []


def figure_models() -> tuple[type[Model], ...]:
    """The models of other apps whose rows the pool's figures read (`PoolMoney`, `OwedLateness`)."""
    return tuple(model for provider in [*POOL_MONEY, *OWED_LATENESS] for model in provider.models)


def owed_columns(today: datetime.date) -> dict[str, Any]:
    """Every provider's columns, to annotate a query of grants with."""
    return {name: column for provider in OWED_LATENESS for name, column in provider.columns(today).items()}


def owed_days(values: dict[str, Any], today: datetime.date) -> int:
    """The most days late of what a grant read with `owed_columns` owes (0: nothing late)."""
    return max((provider.days_late(values, today) for provider in OWED_LATENESS), default=0)


def owed_days_late(grants: QuerySet[Grant], today: datetime.date) -> dict[int, int]:
    """Per grant of `grants` (a queryset, not sliced) that owes something late: the most days late
    of it. One query."""
    columns = owed_columns(today)
    if not columns:
        return {}
    late: dict[int, int] = {}
    for pk, *rest in grants.order_by().annotate(**columns).values_list("pk", *columns):
        if days := owed_days(dict(zip(columns, rest, strict=True)), today):
            late[pk] = days
    return late
