from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.constraints import Check
from core.visibility import VisibleQuerySet

from .registry import KINDS


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Being made")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class DocumentQuerySet(VisibleQuerySet):
    def _visible_to_person(self, user: Any) -> DocumentQuerySet:
        """The `documents.view_document` rule: the documents whose subject the person may have
        now, as each kind of document registers it (asking once is not enough). A kind that
        registers no `subjects` query is asked document by document (`may_have`), within this
        queryset: filter first (``.filter(pk=pk).visible_to(user)``) to ask it of one."""
        visible = Q(pk__in=[])
        # Kinds that register the same `subjects` share one subquery: a page's query names each
        # set of subjects once, not once per kind (the letters of a grant are six kinds).
        kinds_of: dict[Callable[[Any], Any], list[str]] = {}
        for kind in KINDS.values():
            if kind.subjects is not None:
                kinds_of.setdefault(kind.subjects, []).append(kind.code)
        for subjects_of, codes in kinds_of.items():
            subjects = subjects_of(user)
            visible |= Q(
                kind__in=codes,
                subject_type=ContentType.objects.get_for_model(subjects.model),
                subject_id__in=subjects.values("pk"),
            )
        for kind in KINDS.values():
            of_kind = Q(kind=kind.code)
            if kind.subjects is None:
                documents = self.filter(of_kind).prefetch_related("subject")
                allowed = [d.pk for d in documents if d.subject is not None and kind.may_have(user, d.subject)]
                visible |= Q(pk__in=allowed)
        return self.filter(visible)


class Document(models.Model):
    """A PDF built in the background: what it is about (`subject`), who asked, how far it is."""

    kind = models.CharField(_("kind"), max_length=40)
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to="documents/%Y/%m/", blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            Check(
                condition=Q(status__in=DocumentStatus.values),
                name="document_status_valid",
                field="status",
                message=_("Choose one of the values offered."),
            ),
            Check(
                condition=Q(progress__lte=100),
                name="document_progress_lte_100",
                field="progress",
                message=_("Progress is from 0 to 100 %."),
            ),
        ]
        indexes = [models.Index(fields=["subject_type", "subject_id", "kind"], name="document_subject_idx")]

    def __str__(self) -> str:
        return self.filename or f"{self.kind} #{self.pk}"
