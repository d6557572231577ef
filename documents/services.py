"""Asking for a document: check who may have it, record it, and build it after the commit."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from .models import Document, DocumentStatus
from .registry import KINDS

log = logging.getLogger(__name__)


def request_document(
    user: Any, kind: str, subject: models.Model, params: dict[str, Any] | None = None, *, check: bool = True
) -> Document:
    """A pending document about `subject`, queued on commit. `check=False` is for letters the
    system makes on a transition, on behalf of the person who made it."""
    spec = KINDS[kind]
    if check and not spec.may_have(user, subject):
        raise PermissionDenied
    document = Document.objects.create(
        kind=kind,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        params=params or {},
        requested_by=user if getattr(user, "is_authenticated", False) else None,
    )
    transaction.on_commit(lambda: queue(document.pk))
    return document


def queue(document_id: int) -> None:
    """Hand the build to the worker. It runs after a commit (a grant, a submit): a broker that is
    down must not turn that success into an error page, so the document stays pending and its
    page offers to make it again."""
    from .tasks import build_document

    try:
        build_document.delay(document_id)
    except Exception:
        log.exception("could not queue document %s", document_id)


def latest(kind: str, subject: models.Model, **params: Any) -> Document | None:
    """The newest document of a kind about a subject (with these params), to show or reuse."""
    documents = Document.objects.filter(
        kind=kind, subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    )
    for name, value in params.items():
        documents = documents.filter(**{f"params__{name}": value})
    return documents.exclude(status=DocumentStatus.FAILED).order_by("-created_at", "-id").first()
