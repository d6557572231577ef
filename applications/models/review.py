from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.validators import validate_no_cpr

from .application import Application
from .choices import Recommendation


class Review(models.Model):
    """A SIRI reviewer's assessment: a 1–5 score per pool criterion and a recommendation."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews")
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    recommendation = models.CharField(_("recommendation"), max_length=10, choices=Recommendation.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True, validators=[validate_no_cpr])
    conflict_of_interest = models.BooleanField(_("conflict of interest"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["application", "created_at"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="review_one_per_reviewer"),
            models.CheckConstraint(
                condition=Q(recommendation__in=[*Recommendation.values, ""]),
                name="review_recommendation_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} / {self.reviewer}"

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
