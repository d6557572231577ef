"""Asking for monitoring's PDFs from the pages; the document's own page shows the progress."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from applications.models import Pool
from core.errors import DomainError
from core.views import require_perm

from .. import services
from .common import get_grant


@require_POST
@login_required
def briefing(request: HttpRequest, grant_pk: int) -> HttpResponse:
    grant = get_grant(request, grant_pk)
    try:
        year, quarter = int(request.POST.get("year", "")), int(request.POST.get("quarter", ""))
        document = services.request_briefing(request.user, grant.pk, year, quarter)
    except (ValueError, DomainError) as error:
        problems = error.errors.get("quarter", []) if isinstance(error, DomainError) else []
        for problem in problems or [str(getattr(error, "message", error))]:
            messages.error(request, problem)
        return redirect("monitoring:project", grant_pk=grant.pk)
    return redirect("documents:status", pk=document.pk)


@require_POST
@require_perm("monitoring.view_pool_dashboard")
def portfolio(request: HttpRequest, pool_pk: int) -> HttpResponse:
    pool = get_object_or_404(Pool, pk=pool_pk)
    document = services.request_portfolio(request.user, pool.pk)
    return redirect("documents:status", pk=document.pk)
