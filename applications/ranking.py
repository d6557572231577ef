"""A pool's round ranked: its applications under review by weighted score, with the money each
asks for added up from the top against what is left in the pool, so that SIRI can decide a round
at once. Everything is computed in the database, in one query:

    weighted score  = Σ score × weight ÷ Σ weight over the assessments of the counting reviews
                      (a declared conflict of interest does not count)
    running total   = what this application and every one ranked above it ask for
    fits            = running total ≤ what is left in the pool

Every counting review scores every criterion of the pool (`services.save_review`), so the score
is the mean of the reviews' weighted totals, rounded once to two decimals. Ties go to the
application submitted first; applications not yet assessed come last.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Func,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RowRange
from django.db.models.functions import Coalesce, Round, RowNumber

from core.money import MONEY_FIELD

from .models import Application, Assessment, Pool, Recommendation, Review, State

RANKED_STATES = (State.SUBMITTED, State.POLITICALLY_APPROVED)
SCORE_FIELD = DecimalField(max_digits=4, decimal_places=2)
MONEY = DecimalField(**MONEY_FIELD)
ZERO = Value(Decimal(0), output_field=MONEY)


class Dividend(Func):
    """A sum to divide exactly. PostgreSQL's numeric division is exact as it is; SQLite divides
    integers as integers (18 / 4 = 4, and a weight of 3.00 is stored as 3), so there it is a REAL."""

    template = "(%(expressions)s)"
    output_field = DecimalField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(compiler, connection, template="CAST(%(expressions)s AS REAL)", **extra_context)


def weighted_score() -> Subquery:
    """The application's (OuterRef "pk") weighted score on the 1–5 scale, or NULL."""
    weighted = ExpressionWrapper(F("score") * F("criterion__weight"), output_field=DecimalField())
    score = Dividend(Sum(weighted)) / Sum("criterion__weight")
    counting = (
        Assessment.objects.filter(review__application=OuterRef("pk"), review__conflict_of_interest=False)
        .order_by()
        .values("review__application")
        .annotate(score=Round(score, 2, output_field=SCORE_FIELD))
        .values("score")
    )
    return Subquery(counting, output_field=SCORE_FIELD)


def _counting_reviews() -> QuerySet[Review]:
    return Review.objects.filter(application=OuterRef("pk"), conflict_of_interest=False).order_by()


def _count(condition: Q) -> Coalesce:
    found = _counting_reviews().filter(condition).values("application").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(found), 0)


def _largest_amount() -> Subquery:
    grants = _counting_reviews().filter(recommendation=Recommendation.GRANT)
    return Subquery(grants.values("application").annotate(top=Max("amount")).values("top"), output_field=MONEY)


def ranked(pool: Pool, remaining: Decimal) -> QuerySet[Application]:
    """The pool's applications under review, best first, each with `rank`, `score`,
    `running_total` and `fits` (against `remaining`), and the reviews' recommendations."""
    order = [F("score").desc(nulls_last=True), F("submitted_at").asc(nulls_last=True), F("pk").asc()]
    return (
        Application.objects.filter(pool=pool, state__in=RANKED_STATES)
        .with_requested_total()
        .select_related("lead_municipality")
        .annotate(
            score=weighted_score(),
            asked=Coalesce(F("requested_sum"), ZERO, output_field=MONEY),
            reviews_counting=_count(Q()),
            recommend_grant=_count(Q(recommendation=Recommendation.GRANT)),
            recommend_reject=_count(Q(recommendation=Recommendation.REJECT)),
            recommend_revise=_count(Q(recommendation=Recommendation.REVISE)),
            recommended_amount=_largest_amount(),
        )
        .annotate(
            rank=Window(RowNumber(), order_by=order),
            # ROWS, not the default RANGE: tied scores must not share one running total.
            running_total=Window(Sum("asked"), order_by=order, frame=RowRange(start=None, end=0), output_field=MONEY),
        )
        .annotate(
            fits=Case(
                When(running_total__lte=Value(remaining, output_field=MONEY), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by(*order)
    )


@dataclass
class PoolRound:
    """A pool's round as the page and the API show it."""

    pool: Pool
    granted_total: Decimal
    remaining_budget: Decimal
    rows: list[Any]

    @property
    def fitting(self) -> list[Any]:
        return [row for row in self.rows if row.fits]

    @property
    def fitting_total(self) -> Decimal:
        return self.fitting[-1].running_total if self.fitting else Decimal(0)

    @property
    def asked_total(self) -> Decimal:
        return self.rows[-1].running_total if self.rows else Decimal(0)


def pool_round(pool: Pool) -> PoolRound:
    """The ranked round of `pool`: two queries (the money granted, the ranked rows)."""
    granted = pool.granted_total
    remaining = pool.total_budget - granted
    rows = list(ranked(pool, remaining))
    return PoolRound(pool=pool, granted_total=granted, remaining_budget=remaining, rows=rows)
