"""The best-practice catalogue: search and filters for everyone logged in, an entry's page,
proposing an entry (ambassadors and SIRI), and SIRI's publishing behind a confirmation step."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from applications.models import Municipality
from core import exports
from core.errors import DomainError
from core.roles import is_siri
from core.views import get_visible, partial_for, query_string, render_page, require_perm, save_form

from .. import exports as catalogue_export
from .. import services
from ..forms import CatalogueFilter, PracticeAttachmentForm, PracticeForm
from ..models import AmbassadorReport, BestPractice, PracticeAttachment, PracticeState
from ..search import search
from .common import (
    ADD_PRACTICE,
    ADD_PRACTICE_ATTACHMENT,
    PRACTICE_PARTS,
    PUBLISH_PRACTICE,
    VIEW_PRACTICE,
    VIEW_REPORT,
    ambassador_for,
)

PAGE_SIZE = 20


@login_required
@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    # The municipalities and contacts each hit shows, one query each for the page.
    published = BestPractice.objects.published().select_related("municipality").prefetch_related(*PRACTICE_PARTS[:2])
    # Every municipality with a published entry, leading it or sharing it.
    shared = BestPractice.municipalities.through.objects.filter(bestpractice__state=PracticeState.PUBLISHED)
    municipalities = Municipality.objects.filter(
        Q(pk__in=BestPractice.objects.published().values("municipality_id"))
        | Q(pk__in=shared.values("municipality_id"))
    )
    query = request.GET.copy()
    if "q" in query:  # a NUL in the words is dropped, as the search drops it (ambassadors.search)
        query.setlist("q", [value.replace("\x00", "") for value in query.getlist("q")])
    form = CatalogueFilter(query or None, municipalities=municipalities.order_by("name"))
    # An unknown theme or municipality is shown as an error on its filter; the valid ones still apply.
    form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    if cleaned.get("theme"):
        published = published.filter(theme=cleaned["theme"])
    if cleaned.get("municipality"):
        published = published.of_municipality(cleaned["municipality"])
    text = cleaned.get("q") or ""
    hits = search(published.order_by("municipality__name", "title", "pk"), text)
    if fmt := exports.requested_format(request):
        # What the page lists, in its order (best first for a search), every page of it.
        rows = catalogue_export.practices(hits)
        return exports.response(fmt, catalogue_export.CATALOGUE_COLUMNS, rows, catalogue_export.CATALOGUE_FILENAME)
    page = Paginator(hits, PAGE_SIZE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "form": form,
        "text": text,
        "page": page,
        "page_query": query_string(request.GET, page=None),
        "can_propose": request.user.has_perm(ADD_PRACTICE),
        "export_links": exports.export_links(request),
    }
    if partial_for(request, "catalogue-results"):
        return render_page(request, "ambassadors/catalogue/_results.html", context)
    # The proposals awaiting publication the user may see: SIRI every one, an ambassador their own.
    proposed = (
        BestPractice.objects.visible_to(request.user)
        .filter(state=PracticeState.PROPOSED)
        .select_related("municipality", "proposed_by")
    )
    context["proposed"] = proposed.order_by("created_at", "id")
    context["siri"] = is_siri(request.user)
    return render_page(request, "ambassadors/catalogue.html", context)


def _get_practice(request: HttpRequest, pk: int, permission: str | None = None) -> BestPractice:
    """The entry if the user may see it (published, SIRI, or their own proposal; else 404)."""
    practices = BestPractice.objects.select_related("municipality", "proposed_by").prefetch_related(*PRACTICE_PARTS)
    practice: BestPractice = get_visible(request, practices, pk, None)
    # The rule too, not only the queryset: the one place that decides (rules.py).
    if not request.user.has_perm(VIEW_PRACTICE, practice):
        raise Http404
    if permission and not request.user.has_perm(permission, practice):
        raise PermissionDenied
    return practice


@login_required
@require_safe
def practice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    practice = _get_practice(request, pk)
    return _render_detail(request, practice)


def _render_detail(
    request: HttpRequest,
    practice: BestPractice,
    attachment_form: PracticeAttachmentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    # The reports it came from, as far as the reader may see them.
    sources = [
        report
        for report in AmbassadorReport.objects.visible_to(request.user)
        .filter(best_practice_entries=practice)
        .select_related("ambassador__user", "ambassador__municipality")
        .order_by("year", "quarter")
        if request.user.has_perm(VIEW_REPORT, report)
    ]
    can_attach = request.user.has_perm(ADD_PRACTICE_ATTACHMENT, practice)
    context = {
        "practice": practice,
        "sources": sources,
        "can_publish": practice.state == PracticeState.PROPOSED and request.user.has_perm(PUBLISH_PRACTICE, practice),
        "can_attach": can_attach,
        "attachment_form": (attachment_form or PracticeAttachmentForm()) if can_attach else None,
    }
    return render_page(request, "ambassadors/practice_detail.html", context, status=status)


@login_required
@require_POST
def practice_attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    practice = _get_practice(request, pk, ADD_PRACTICE_ATTACHMENT)
    form = PracticeAttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = services.add_practice_attachment(
                practice.pk, request.user, form.cleaned_data["file"], form.cleaned_data["description"]
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("%(name)s is attached.") % {"name": attachment.name})
            return redirect("ambassadors:practice", pk=practice.pk)
    return _render_detail(request, practice, form, status=400)


@login_required
@require_safe
def practice_attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """A PDF of an entry, for whoever may read the entry; never served from MEDIA_URL."""
    practice = _get_practice(request, pk)
    attachment = get_object_or_404(PracticeAttachment, practice=practice, pk=attachment_pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, content_type="application/pdf", filename=attachment.name, as_attachment=False)


@require_perm(ADD_PRACTICE)
def practice_propose(request: HttpRequest) -> HttpResponse:
    ambassador = ambassador_for(request.user)
    # An ambassador may name their own handed-in reports; SIRI enters a practice without them.
    reports = (
        AmbassadorReport.objects.filter(ambassador=ambassador).handed_in().order_by("-year", "-quarter")
        if ambassador is not None
        else None
    )
    status = 200
    if request.method == "POST":
        form = PracticeForm(request.POST, reports=reports)
        if form.is_valid():
            saved = save_form(form, lambda: services.propose_practice(request.user, form.service_data()))
            if saved.ok:
                practice = saved.value
                if is_siri(request.user):
                    messages.success(
                        request, _("The entry is saved as proposed. Publish it to show it in the catalogue.")
                    )
                else:
                    messages.success(
                        request, _("Thank you. SIRI reads your proposal and publishes it in the catalogue.")
                    )
                return redirect("ambassadors:practice", pk=practice.pk)
            status = saved.status
    else:
        # Prefilled by a link from another page (a grant's final report); nothing is saved.
        initial = {"municipality": ambassador.municipality.code} if ambassador is not None else {}
        initial.update(PracticeForm.prefill(request.GET))
        form = PracticeForm(initial=initial, reports=reports)
    return render_page(request, "ambassadors/practice_form.html", {"form": form}, status=status)


@login_required
def practice_publish(request: HttpRequest, pk: int) -> HttpResponse:
    practice = _get_practice(request, pk, PUBLISH_PRACTICE)
    if practice.state == PracticeState.PUBLISHED:
        blocked = _("The entry is published already.")
        return render_page(
            request, "ambassadors/practice_publish.html", {"practice": practice, "blocked": blocked}, 409
        )
    if request.method == "POST" and "confirm" in request.POST:
        try:
            services.publish_practice(practice.pk, request.user)
        except DomainError as error:
            context = {"practice": practice, "blocked": error.message}
            return render_page(request, "ambassadors/practice_publish.html", context, 409)
        messages.success(request, _("“%(title)s” is published in the catalogue.") % {"title": practice.title})
        return redirect("ambassadors:practice", pk=practice.pk)
    return render_page(request, "ambassadors/practice_publish.html", {"practice": practice})
