"""A document's page (a progress bar that htmx refreshes until the PDF is ready) and its download.
Both find it as the API does, among the documents the user may see (`documents.view_document`:
whoever asked for it, or may have its subject)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from .models import Document, DocumentStatus
from .registry import KINDS


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
    context = {
        "document": document,
        "label": kind.label if kind else document.kind,
        "working": document.status in (DocumentStatus.PENDING, DocumentStatus.RUNNING),
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
