"""Asking for a document: check who may have it, record it, and build it after the commit.

Builds are handed to the worker through the outbox (`core.outbox`): the message is written with
the document, sent after the commit, and sent again by the periodic sweep if the broker was
down. `requeue_stale` (run by the same sweep) picks up documents a crash left waiting."""

from __future__ import annotations

import datetime
import json
import logging
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from core.models import OutboxMessage
from core.outbox import send_later

from .models import Document, DocumentStatus
from .registry import KINDS, related_subjects

log = logging.getLogger(__name__)

BUILD_TASK = "documents.tasks.build_document"
DEFAULT_STALE_AFTER = datetime.timedelta(minutes=10)


def stale_after() -> datetime.timedelta:
    """How long a document may wait or be made before it counts as stuck (``DOCUMENT_STALE_AFTER``)."""
    return getattr(settings, "DOCUMENT_STALE_AFTER", DEFAULT_STALE_AFTER)


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
    queue(document.pk)
    return document


def queue(document_id: int) -> None:
    """Hand the build to the worker once the current transaction commits (at once outside
    one). A broker that is down must not turn the commit (a grant, a submit) into an error
    page: the outbox keeps the message and its sweep sends it when the broker is back."""
    send_later(BUILD_TASK, document_id)


def requeue_stale(now: datetime.datetime | None = None) -> int:
    """Queue again the documents left waiting or half made (a worker or the web process died
    mid-build, a message was lost) for longer than `stale_after`. Idempotent: a document whose
    build is already waiting in the outbox, or was queued within the bound, is left alone, so
    running this every minute queues each stuck document once per bound. Returns how many."""
    now = now or timezone.now()
    cutoff = now - stale_after()
    stale = Document.objects.filter(
        Q(status=DocumentStatus.PENDING, created_at__lt=cutoff)
        | Q(status=DocumentStatus.RUNNING, started_at__lt=cutoff)
        | Q(status=DocumentStatus.RUNNING, started_at__isnull=True, created_at__lt=cutoff)
    )
    candidates = list(stale.values_list("pk", flat=True)[:500])
    if not candidates:
        return 0
    queued_recently = {
        args[0]
        for args in OutboxMessage.objects.filter(task=BUILD_TASK)
        .filter(Q(sent_at__isnull=True) | Q(created_at__gte=cutoff))
        .values_list("args", flat=True)
        if args
    }
    count = 0
    for document_id in candidates:
        if document_id in queued_recently:
            continue
        with transaction.atomic():
            # Re-checked under the lock: a worker that just finished it or is starting it wins.
            document = stale.select_for_update(skip_locked=True).filter(pk=document_id).first()
            if document is None:
                continue
            was = document.status
            if was == DocumentStatus.RUNNING:
                document.status = DocumentStatus.PENDING
                document.progress = 0
                document.save(update_fields=["status", "progress"])
            log.warning("document %s (%s) was stuck %s; queued again", document_id, document.kind, was)
            queue(document_id)
        count += 1
    return count


def latest(kind: str, subject: models.Model, **params: Any) -> Document | None:
    """The newest document of a kind about a subject (with these params), to show or reuse."""
    documents = Document.objects.filter(
        kind=kind, subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    )
    for name, value in params.items():
        documents = documents.filter(**{f"params__{name}": value})
    return documents.exclude(status=DocumentStatus.FAILED).order_by("-created_at", "-id").first()


def about(
    user: Any, subjects: list[models.Model], kinds: list[str] | None = None, *, related: bool = False
) -> list[Document]:
    """The documents about these subjects that `user` may have now, newest first: what a page's
    "Documents" area lists. Failed builds are left out; one of each kind, subject and params is
    shown (the newest: a letter made again replaces the one before, while each quarter's briefing
    is a document of its own). With `related`, the subjects registered as belonging with these
    (`registry.register_related`: a grant's change requests) are asked about too."""
    if not subjects:
        return []
    about_them = Q(pk__in=[])
    for subject in subjects:
        about_them |= Q(subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk)
    # The related subjects as a subquery: a query of their own was a round trip of every page
    # about a grant or its application (issue 16).
    for more in (more for subject in subjects if related for more in related_subjects(subject)):
        about_them |= Q(subject_type=ContentType.objects.get_for_model(more.model), subject_id__in=more.values("pk"))
    documents = Document.objects.filter(about_them).exclude(status=DocumentStatus.FAILED)
    if kinds is not None:
        documents = documents.filter(kind__in=kinds)
    found = list(documents.order_by("-created_at", "-id"))
    if not found:
        return []
    # The rule is asked of the documents found alone: its query names the subjects of every kind
    # and cost a page more than its other queries together, while most subjects have none.
    allowed = set(Document.objects.filter(pk__in=[d.pk for d in found]).visible_to(user).values_list("pk", flat=True))
    seen: set[tuple[str, int, int, str]] = set()
    shown = []
    for document in (d for d in found if d.pk in allowed):
        key = (
            document.kind,
            document.subject_type_id,
            document.subject_id,
            json.dumps(document.params, sort_keys=True),
        )
        if key not in seen:
            seen.add(key)
            kind = KINDS.get(document.kind)
            if kind is None:
                document.label = document.kind
            else:
                document.label = kind.describe(document) if kind.describe else kind.label
            shown.append(document)
    return shown
