from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Cast, Round
from django.utils.translation import gettext_lazy as _

from core.constraints import Check
from core.money import MONEY_FIELD
from core.validators import validate_no_cpr

from .application import Application
from .choices import Recommendation
from .pools import Criterion


class Review(models.Model):
    """A SIRI reviewer's assessment and recommendation (indstilling): a 1–5 score with a written
    reason per pool criterion (`Assessment`), a recommendation to grant (with an amount), reject
    or return for revision. `scores` repeats the assessments' scores by criterion name, as the API
    and the change log show them; the assessments are what queries add up and letters quote."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews")
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    recommendation = models.CharField(_("recommendation"), max_length=10, choices=Recommendation.choices, blank=True)
    amount = models.DecimalField(
        _("recommended amount"),
        **MONEY_FIELD,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("With a recommendation to grant: the amount to grant."),
    )
    comment = models.TextField(_("comment"), blank=True, validators=[validate_no_cpr])
    conflict_of_interest = models.BooleanField(_("conflict of interest"), default=False)
    # `weighted_total()` as saved (`services.save_review`): the queue sorts and pages by the
    # average of these in the database. A pool's weights are fixed once it has reviews
    # (`services.pool_problems`), so a stored total cannot go stale.
    total = models.DecimalField(
        _("weighted total"), max_digits=4, decimal_places=2, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # By the parent's id: by the parent itself, Django joined it to sort by its ordering (issue 16).
        ordering = ["application_id", "created_at"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="review_one_per_reviewer"),
            Check(
                condition=Q(recommendation__in=[*Recommendation.values, ""]),
                name="review_recommendation_valid",
                field="recommendation",
                message=_("Recommend grant, reject or revise."),
            ),
            # An amount goes with a recommendation to grant, and only with it.
            Check(
                condition=Q(amount__isnull=True) | Q(recommendation=Recommendation.GRANT, amount__gt=0),
                name="review_amount_only_grant",
                field="amount",
                message=_("Recommend an amount only with a recommendation to grant."),
            ),
        ]
        indexes = [
            # The reviews that count (no conflict of interest), read from the index alone: whether an
            # application is ready for a decision, for 600 approved ones in SIRI's inbox (issue 16).
            models.Index(fields=["application"], condition=Q(conflict_of_interest=False), name="review_counting_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.application} / {self.reviewer}"

    @property
    def reasons(self) -> dict[str, str]:
        """The written reason per criterion, by criterion name (prefetch `assessments__criterion`)."""
        return {row.criterion.name: row.reason for row in self.assessments.all()}

    def weighted_total(self) -> Decimal | None:
        """The weighted average score on the 1–5 scale, rounded to two decimals."""
        if self.conflict_of_interest or not self.scores:
            return None
        return weighted_score(self.scores, [(c.name, c.weight) for c in self.application.pool.criteria.all()])


def weighted_score(scores: dict[str, Any], criteria: Iterable[tuple[str, Decimal]]) -> Decimal | None:
    """Scores (criterion name → 1–5) weighted by the pool's (name, weight) criteria, rounded to
    two decimals; None when no criterion is scored. `Review.weighted_total` and the review
    queue's sort by score (which reads the scores without making a Review of each) share it."""
    scored = [(weight, scores[name]) for name, weight in criteria if name in scores]
    weight_sum = sum((weight for weight, _ in scored), Decimal(0))
    if not weight_sum:
        return None
    total = sum((weight * score for weight, score in scored), Decimal(0))
    return (total / weight_sum).quantize(Decimal("0.01"))


class HalfEvenMean(Func):
    """The mean of a sum of whole numbers over their count (both positive), rounded half to
    even as `Decimal.quantize` rounds: in whole numbers, so that PostgreSQL (whose round() takes
    a half up) and SQLite (whose decimals are floats) agree. Written out as SQL, as the same
    made of expressions took Django longer to compile than the database to run."""

    arity = 2
    output_field = IntegerField()

    # q = S / N (whole numbers: the division truncates); q + 1 when the remainder is more than a
    # half, or exactly a half and q is odd. {S} and {N} stand for the sum and the count; %% is
    # the modulo as a backend's SQL with parameters writes it.
    TEMPLATE = (
        "(({S} / {N}) + CASE WHEN 2 * ({S} %% {N}) > {N}"
        " OR (2 * ({S} %% {N}) = {N} AND ({S} / {N}) %% 2 = 1) THEN 1 ELSE 0 END)"
    )

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        compiled = dict(zip(("{S}", "{N}"), (compiler.compile(arg) for arg in self.source_expressions), strict=True))
        sql, params = [], []
        for token in re.split(r"(\{[SN]\})", self.TEMPLATE):
            if token in compiled:
                sql.append(f"({compiled[token][0]})")
                params.extend(compiled[token][1])
            else:
                sql.append(token)
        return "".join(sql), params


def average_hundredths(reviews: type[models.Model] | None = None) -> Subquery:
    """The application's (OuterRef "pk") average score in hundredths, or NULL when no counting
    review is scored: the mean of the counting reviews' stored totals, as the queue shows it.
    `reviews` is the review model (a migration's historical one; this app's by default)."""
    hundredths = Cast(Round(F("total") * 100), IntegerField())
    reviews = reviews or Review
    scored = reviews.objects.filter(application=OuterRef("pk"), conflict_of_interest=False, total__isnull=False)
    mean = HalfEvenMean(Sum(hundredths), Count("pk"))
    return Subquery(scored.order_by().values("application").annotate(average=mean).values("average"))


class Assessment(models.Model):
    """A reviewer's assessment of one criterion: the score (1–5) and why. A rejection letter
    quotes the reasons (forvaltningsloven § 24); the ranking adds the weighted scores up in the
    database."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="assessments")
    # PROTECT: a pool's criteria cannot change once reviews are given (`services.pool_problems`).
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="assessments")
    score = models.PositiveSmallIntegerField(_("score"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    reason = models.TextField(_("reason"), blank=True, validators=[validate_no_cpr])

    class Meta:
        # By the parent's id: by the parent itself, Django joined it to sort by its ordering (issue 16).
        ordering = ["review_id", "criterion__position", "criterion_id"]
        verbose_name = _("assessment of a criterion")
        verbose_name_plural = _("assessments of criteria")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="assessment_one_per_criterion"),
            Check(
                condition=Q(score__gte=1, score__lte=5),
                name="assessment_score_1_5",
                field="score",
                message=_("Choose a score from 1 to 5."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.name}: {self.score}"


class Assignment(models.Model):
    """A reviewer assigned to an application by a pool admin. Ending one (unassigning, or the
    reviewer declaring a conflict of interest) deletes the row and leaves its trace in the change
    log (`changes.ASSIGNMENT`)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="review_assignments",
        verbose_name=_("reviewer"),
    )
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # By the parent's id: by the parent itself, Django joined it to sort by its ordering (issue 16).
        ordering = ["application_id", "assigned_at", "id"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="assignment_one_per_reviewer"),
        ]
        indexes = [models.Index(fields=["reviewer", "application"], name="assignment_reviewer_idx")]

    def __str__(self) -> str:
        return f"{self.application} / {self.reviewer}"


def recount_averages(applications: models.QuerySet[Application]) -> int:
    """Write `Application.review_average` of `applications` from their reviews, in one statement:
    the applications' signals call it for a review saved or deleted, a writer that bypasses them
    (bulk seeding, `update`) after."""
    return applications.update(review_average=average_hundredths())
