from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.models import Municipality
from core.constraints import Check
from core.roles import SIRI_ROLES, role_of
from core.validators import validate_no_cpr
from core.visibility import VisibleQuerySet

from .choices import PracticeState, Theme
from .reports import AmbassadorReport


class BestPracticeQuerySet(VisibleQuerySet):
    def published(self) -> BestPracticeQuerySet:
        return self.filter(state=PracticeState.PUBLISHED)

    def _visible_to_person(self, user: Any) -> BestPracticeQuerySet:
        """The `ambassadors.view_bestpractice` rule: the published entries for everyone, every
        entry for SIRI, and a proposer's own proposals."""
        if role_of(user) in SIRI_ROLES:
            return self.all()
        return self.filter(Q(state=PracticeState.PUBLISHED) | Q(proposed_by_id=user.pk))


class BestPractice(models.Model):
    """An entry of the best-practice catalogue, like those of the Rambøll catalogue (seed 001).
    Ambassadors propose; SIRI publishes."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="best_practices", verbose_name=_("municipality")
    )
    theme = models.CharField(_("theme"), max_length=30, choices=Theme.choices)
    title = models.CharField(_("title"), max_length=300, validators=[validate_no_cpr])
    summary = models.TextField(_("summary"), validators=[validate_no_cpr])
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True, validators=[validate_no_cpr])
    contact_role = models.CharField(_("role"), max_length=200, blank=True, validators=[validate_no_cpr])
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_phone = models.CharField(_("phone"), max_length=30, blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True, validators=[validate_no_cpr])
    source_reports = models.ManyToManyField(
        AmbassadorReport, blank=True, related_name="best_practice_entries", verbose_name=_("from ambassador reports")
    )
    state = models.CharField(_("state"), max_length=20, choices=PracticeState.choices, default=PracticeState.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Filled on PostgreSQL only (search.py), where a GIN index serves Danish full-text search;
    # SQLite stores nothing here and searches with its fallback.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = BestPracticeQuerySet.as_manager()

    class Meta:
        ordering = ["municipality__name", "title"]
        verbose_name = _("best practice")
        verbose_name_plural = _("best practices")
        constraints = [
            Check(
                condition=Q(theme__in=Theme.values),
                name="best_practice_theme_valid",
                field="theme",
                message=_("Choose one of the values offered."),
            ),
            Check(
                condition=Q(state__in=PracticeState.values),
                name="best_practice_state_valid",
                field="state",
                message=_("Choose one of the values offered."),
            ),
        ]
        indexes = [models.Index(fields=["state", "theme"], name="best_practice_state_theme_idx")]

    def __str__(self) -> str:
        return f"{self.municipality.name}: {self.title}"
