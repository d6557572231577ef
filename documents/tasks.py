from __future__ import annotations

import logging

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from .models import Document, DocumentStatus
from .registry import KINDS

log = logging.getLogger(__name__)
# Storage and network hiccups are worth another try; anything else is a bug or bad data, and
# trying again would fail the same way.
TRANSIENT = (ConnectionError, TimeoutError)


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def build_document(document_id: int) -> str:
    """Render and store one document. Idempotent: a document that is done is left as it is."""
    with transaction.atomic():
        document = Document.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.status == DocumentStatus.DONE:
            return "skipped"
        document.status = DocumentStatus.RUNNING
        document.progress = 0
        document.error = ""
        document.started_at = timezone.now()
        document.save(update_fields=["status", "progress", "error", "started_at"])

    def progress(percent: int) -> None:
        Document.objects.filter(pk=document_id).update(progress=max(0, min(99, int(percent))))

    try:
        pdf, filename = KINDS[document.kind].render(document, progress)
        document.file.save(filename, ContentFile(pdf), save=False)
    except TRANSIENT:
        raise
    except Exception as error:
        log.exception("document %s (%s) failed", document_id, document.kind)
        Document.objects.filter(pk=document_id).update(
            status=DocumentStatus.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        return "failed"
    Document.objects.filter(pk=document_id).update(
        status=DocumentStatus.DONE,
        progress=100,
        file=document.file.name,
        filename=filename,
        finished_at=timezone.now(),
    )
    return "done"
