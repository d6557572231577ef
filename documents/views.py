"""A document's page (a progress bar that htmx refreshes until the PDF is ready, or until a bound:
``DOCUMENT_POLL_LIMIT`` refreshes or a document older than ``DOCUMENT_STALE_AFTER``, when it says
so and stops) and its download.
Both find it as the API does, among the documents the user may see (`documents.view_document`:
whoever asked for it, or may have its subject)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from .models import Document, DocumentStatus
from .registry import KINDS
from .services import stale_after

DEFAULT_POLL_LIMIT = 300  # refreshes, one a second: five minutes


def _get(request: HttpRequest, pk: int) -> Document:
    document = Document.objects.filter(pk=pk).visible_to(request.user).first()
    if document is None:
        raise Http404
    return document


@require_safe
@login_required
def status(request: HttpRequest, pk: int) -> HttpResponse:
    document = _get(request, pk)
    kind = KINDS.get(document.kind)
    try:
        polls = max(0, int(request.GET.get("poll", 0)))
    except ValueError:
        polls = 0
    working = document.status in (DocumentStatus.PENDING, DocumentStatus.RUNNING)
    # Not forever: a build that a crash left behind is re-queued by the sweep, so the page says it
    # takes longer and stops asking; a reload later shows the PDF.
    late = working and (
        polls >= getattr(settings, "DOCUMENT_POLL_LIMIT", DEFAULT_POLL_LIMIT)
        or timezone.now() - document.created_at > stale_after()
    )
    context = {
        "document": document,
        "label": kind.label if kind else document.kind,
        "working": working and not late,
        "late": late,
        "next_poll": polls + 1,
    }
    htmx = getattr(request, "htmx", None)
    partial = bool(htmx) and not htmx.history_restore_request
    response = render(request, "documents/_status.html" if partial else "documents/status.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_safe
@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    document = _get(request, pk)
    if document.status != DocumentStatus.DONE or not document.file:
        raise Http404
    return FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.filename, content_type="application/pdf"
    )
