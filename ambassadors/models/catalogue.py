from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.models import Municipality
from applications.validators import validate_pdf
from core.constraints import Check
from core.roles import SIRI_ROLES, role_of
from core.validators import validate_no_cpr
from core.visibility import VisibleQuerySet

from .choices import PracticeState, Theme
from .reports import AmbassadorReport


class BestPracticeQuerySet(VisibleQuerySet):
    def published(self) -> BestPracticeQuerySet:
        return self.filter(state=PracticeState.PUBLISHED)

    def of_municipality(self, municipality: Municipality | int) -> BestPracticeQuerySet:
        """The entries of a municipality: those it leads and those it shares (Syddjurs finds the
        entry Randers leads). A subquery, not a join, so that no entry comes twice."""
        shared = BestPractice.municipalities.through.objects.filter(municipality=municipality)
        return self.filter(Q(municipality=municipality) | Q(pk__in=shared.values("bestpractice_id")))

    def _visible_to_person(self, user: Any) -> BestPracticeQuerySet:
        """The `ambassadors.view_bestpractice` rule: the published entries for everyone, every
        entry for SIRI, and a proposer's own proposals."""
        if role_of(user) in SIRI_ROLES:
            return self.all()
        return self.filter(Q(state=PracticeState.PUBLISHED) | Q(proposed_by_id=user.pk))


class BestPractice(models.Model):
    """An entry of the best-practice catalogue, like those of the Rambøll catalogue (seed 001).
    Ambassadors propose; SIRI publishes."""

    # The municipality that leads the entry (Randers for Randers, Syddjurs and Norddjurs): it
    # orders the catalogue and is the API's `municipality`. `municipalities` holds every
    # municipality of the entry, the lead among them, and is what the filters search.
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="best_practices", verbose_name=_("municipality")
    )
    municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="catalogue_entries", verbose_name=_("municipalities")
    )
    theme = models.CharField(_("theme"), max_length=30, choices=Theme.choices)
    title = models.CharField(_("title"), max_length=300, validators=[validate_no_cpr])
    summary = models.TextField(_("summary"), validators=[validate_no_cpr])
    tags = models.JSONField(_("tags"), default=list, blank=True, validators=[validate_no_cpr])
    source_reports = models.ManyToManyField(
        AmbassadorReport, blank=True, related_name="best_practice_entries", verbose_name=_("from ambassador reports")
    )
    # Where the entry comes from, e.g. the Rambøll catalogue of seed 001.
    source = models.CharField(_("source"), max_length=300, blank=True, validators=[validate_no_cpr])
    source_url = models.URLField(_("link to the source"), max_length=500, blank=True)
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

    @property
    def all_municipalities(self) -> list[Municipality]:
        """The lead first, then the others by name; from the prefetched rows if read."""
        others = sorted((m for m in self.municipalities.all() if m.pk != self.municipality_id), key=lambda m: m.name)
        return [self.municipality, *others]

    @property
    def first_contact(self) -> PracticeContact | None:
        """The first contact (the API's `contact_name` etc.); from the prefetched rows if read."""
        contacts = list(self.contacts.all())
        return contacts[0] if contacts else None


class PracticeContact(models.Model):
    """A professional contact of an entry with their role, e.g. Assens's department head and
    project manager. Municipal staff whom the catalogue asks readers to call; still CPR-checked."""

    practice = models.ForeignKey(BestPractice, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200, validators=[validate_no_cpr])
    role = models.CharField(_("role"), max_length=200, blank=True, validators=[validate_no_cpr])
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        # By the parent's id: by the parent itself, Django joined it to sort by its ordering (issue 16).
        ordering = ["practice_id", "order", "id"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self) -> str:
        return f"{self.name}, {self.role}" if self.role else self.name


def _attachment_path(instance: PracticeAttachment, filename: str) -> str:
    # A random name: the path reveals nothing, and the file is served only through the
    # permission-checked download view, never MEDIA_URL.
    return f"catalogue/{instance.practice_id}/{uuid.uuid4().hex}.pdf"


class PracticeAttachment(models.Model):
    """A PDF of an entry: a tool the entry mentions (Holbæk's "10 gode råd", a dialogue tool)."""

    practice = models.ForeignKey(BestPractice, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=_attachment_path, validators=[validate_pdf])
    name = models.CharField(_("file name"), max_length=255, validators=[validate_no_cpr])
    size = models.PositiveIntegerField(_("size in bytes"))
    description = models.CharField(_("description"), max_length=200, blank=True, validators=[validate_no_cpr])
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        # By the parent's id: by the parent itself, Django joined it to sort by its ordering (issue 16).
        ordering = ["practice_id", "uploaded_at", "id"]
        verbose_name = _("attachment of an entry")
        verbose_name_plural = _("attachments of entries")

    def __str__(self) -> str:
        return self.name
