"""Pages of the municipalities: the landing page by role, "Mine ansøgninger" with the open pools,
starting a draft, the read view of an application, submit with its receipt, withdraw, delete."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core import changelog, exports
from core.errors import DomainError
from core.menu import landing_for
from core.roles import municipality_ids
from core.tables import Column, columns
from core.views import query_string, require_perm
from documents.services import about as documents_about

from .. import services
from ..forms.application import DeclarationForm, WithdrawForm
from ..forms.steps import CHECK
from ..models import (
    ENDED_STATES,
    Application,
    ApprovalStatus,
    GrantState,
    Municipality,
    PoliticalApproval,
    Pool,
    State,
)
from .answers import answer_sections
from .common import get_application
from .editor import _budget_context, _checklist_context, approvals_context, steps_context

NEXT_ACTIONS = {
    "complete": gettext_lazy("Complete and submit the application"),
    "revise": gettext_lazy("Returned for revision: revise and submit again"),
    "approval": gettext_lazy("Record the political approval"),
    "review": gettext_lazy("Awaiting SIRI's review"),
    "decision": gettext_lazy("Awaiting SIRI's decision"),
    "report": gettext_lazy("Report on the project every quarter"),
    "accept": gettext_lazy("Accept the grant on the project page by the deadline"),
    "none": gettext_lazy("Nothing; the case is closed"),
}

# Applications a page of "Mine ansøgninger" shows, the latest changed first: as many as the
# projects' list, where a municipality with decades of applications paged through none (issue 16).
MINE_PAGE_SIZE = 50
# What a row shows and its next action reads (`next_action`), not the application's texts.
MINE_SHOWN = (
    "title",
    "state",
    "journal_number",
    "updated_at",
    "lead_municipality_id",
    "lead_municipality__name",
    "pool__name",
    "pool__closes_on",
    "pool__requires_political_approval",
    "award__state",
)

# The table of "Mine ansøgninger".
MINE_COLUMNS = columns(
    gettext_lazy("Application"),
    gettext_lazy("Journal number"),
    gettext_lazy("Pool"),
    gettext_lazy("State"),
    gettext_lazy("Deadline"),
    Column(gettext_lazy("Applied for"), numeric=True),
    gettext_lazy("Next action"),
)


def next_action(application: Application) -> str:
    """What the municipality should do next, as a code of NEXT_ACTIONS. Uses prefetched approvals."""
    if application.state == State.DRAFT:
        return "revise" if application.journal_number else "complete"
    if application.state == State.SUBMITTED:
        if application.pool.requires_political_approval:
            approved = {
                a.municipality_id for a in application.political_approvals.all() if a.status == ApprovalStatus.APPROVED
            }
            participants = {application.lead_municipality_id, *(m.pk for m in application.partner_municipalities.all())}
            if participants - approved:
                return "approval"
        return "review"
    if application.state == State.POLITICALLY_APPROVED:
        return "decision"
    if application.state == State.GRANTED:
        award = getattr(application, "award", None)
        if award is not None and award.state == GrantState.AWAITING_ACCEPTANCE:
            return "accept"
        return "report" if award is None or award.state not in ENDED_STATES else "none"
    return "none"


def dashboard(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("login")
    profile = getattr(request.user, "profile", None)
    if profile is None:
        return redirect("admin:index" if request.user.is_staff else "applications:pools")
    # Where each role lands is registered by the app of the page (see `core.menu`).
    return redirect(landing_for(request.user, "applications:pools"))


@require_perm("applications.view_own_applications")
def mine(request: HttpRequest) -> HttpResponse:
    if fmt := exports.requested_format(request):
        from . import exports as application_export  # it imports the review views, which import this package

        ordered = Application.objects.visible_to(request.user).order_by("-updated_at", "-id")
        rows = application_export.rows(application_export.ids(ordered), request.user)
        return exports.response(fmt, application_export.columns(request.user), rows, application_export.FILENAME)
    every = (
        Application.objects.visible_to(request.user)
        .with_requested_total()
        .select_related("pool", "lead_municipality", "award")
        .only(*MINE_SHOWN)
        .prefetch_related(
            Prefetch("partner_municipalities", queryset=Municipality.objects.only("pk")),
            Prefetch(
                "political_approvals",
                queryset=PoliticalApproval.objects.only("application_id", "municipality_id", "status"),
            ),
        )
        .order_by("-updated_at", "-id")
    )
    page = Paginator(every, MINE_PAGE_SIZE).get_page(request.GET.get("page"))
    applications = list(page.object_list)
    for application in applications:
        application.next_action = NEXT_ACTIONS[next_action(application)]
    today = timezone.localdate()
    open_pools = Pool.objects.filter(opens_on__lte=today, closes_on__gte=today).order_by("closes_on", "name")
    return render(
        request,
        "applications/mine.html",
        {
            "applications": applications,
            "page": page,
            "page_query": query_string(request.GET, page=None),
            "columns": MINE_COLUMNS,
            "open_pools": open_pools,
            "can_apply": request.user.has_perm("applications.add_application"),
            "export_links": exports.export_links(request),
            "own_ids": municipality_ids(request.user),
            "municipalities": Municipality.objects.filter(pk__in=municipality_ids(request.user)).order_by("name"),
        },
    )


@login_required
@require_POST
def create(request: HttpRequest, pool_pk: int) -> HttpResponse:
    if not request.user.has_perm("applications.add_application"):
        raise PermissionDenied
    pool = get_object_or_404(Pool, pk=pool_pk)
    mine_ids = municipality_ids(request.user)
    chosen = request.POST.get("municipality") or (next(iter(mine_ids)) if len(mine_ids) == 1 else None)
    lead = (
        Municipality.objects.filter(pk=chosen).first()
        if str(chosen or "").isdigit() or isinstance(chosen, int)
        else None
    )
    if lead is None:
        messages.error(request, _("Choose the municipality that applies."))
        return redirect("applications:mine")
    try:
        application = services.start_draft(request.user, pool, lead)
    except DomainError as error:
        for problems in error.errors.values():
            for problem in problems:
                messages.error(request, problem)
        return redirect("applications:mine")
    return redirect("applications:edit", pk=application.pk)


def _detail_context(request: HttpRequest, application: Application) -> dict[str, Any]:
    user = request.user
    can_change = user.has_perm("applications.change_application", application)
    award = getattr(application, "award", None)
    return {
        **_answers_context(request, application, edit=False),
        "entries": changelog.history(application, user, application.transitions.select_related("by")),
        # Every letter and PDF about the application and its grant, for whoever may have each.
        "documents": documents_about(user, [application, *([award] if award else [])], related=True),
        "can_edit": can_change and application.state == State.DRAFT,
        "can_submit": can_change and application.state == State.DRAFT,
        "can_withdraw": user.has_perm("applications.withdraw_application", application)
        and application.state in (State.DRAFT, State.SUBMITTED, State.POLITICALLY_APPROVED),
        "can_delete": user.has_perm("applications.delete_application", application)
        and application.state == State.DRAFT
        and application.journal_number is None,
        "can_review": user.has_perm("applications.review_application", application)
        and application.state in (State.SUBMITTED, State.POLITICALLY_APPROVED),
        "can_decide": user.has_perm("applications.decide_application", application)
        and application.state in (State.SUBMITTED, State.POLITICALLY_APPROVED),
        "grant_open": application.state == State.POLITICALLY_APPROVED,
        "return_open": application.state == State.SUBMITTED,
        "award": award,
        "next_action": NEXT_ACTIONS[next_action(application)]
        if not user.has_perm("applications.view_review")
        else None,
    }


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    # Its grant, if any, in the same query: the page shows it and lists its documents.
    application = get_application(request, pk, related=("award",))
    return render(request, "applications/detail.html", _detail_context(request, application))


@login_required
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """The last step, "Tjek dine svar": every answer with a link back to its step, what is still
    missing, and the grant-responsible person's declaration with the submit button."""
    application = get_application(request, pk, "applications.submit_application")
    if application.state != State.DRAFT:
        messages.info(request, _("The application has already been submitted."))
        return redirect("applications:detail", pk=pk)
    initial = {
        "declared_by_name": application.grant_responsible_name,
        "declared_by_title": application.grant_responsible_title,
    }
    form = DeclarationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit(pk, request.user, services.Declaration.from_data(form.cleaned_data))
        except DomainError as error:
            # The checklist's items already name each missing answer with a link to its step:
            # only what they do not name goes on the form, or every problem shows twice.
            listed = {item["name"] for item in _checklist_context(application)["checklist"]}
            rest = {name: messages for name, messages in error.errors.items() if name not in listed}
            if rest:
                form.add_domain_error(DomainError.invalid(rest))
        else:
            return redirect("applications:receipt", pk=pk)
    failed = request.method == "POST"
    application.refresh_from_db()
    checklist = _checklist_context(application)["checklist"]
    context = {
        **_answers_context(request, application),
        **steps_context(application, CHECK, checklist),
        "checklist": checklist,
        "form": form,
        "declaration_text": services.DECLARATION_TEXT,
    }
    return render(request, "applications/submit.html", context, status=400 if failed else 200)


def _answers_context(request: HttpRequest, application: Application, *, edit: bool = True) -> dict[str, Any]:
    # Read once, for the answers, the approval cards, the budget table and its sums alike.
    prefetch_related_objects([application], "partner_municipalities", "budget_lines")
    return {
        "application": application,
        "answer_sections": answer_sections(application, edit=edit),
        "target_groups": application.target_groups.all(),
        "goals": application.goals.select_related("target_group"),
        "budget_lines": application.budget_lines.all(),
        "attachments": application.attachments.all(),
        "approvals": approvals_context(request, application),
        **_budget_context(application),
    }


@login_required
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application(request, pk)
    if application.journal_number is None:
        return redirect("applications:detail", pk=pk)
    return render(request, "applications/receipt.html", {"application": application})


@login_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application(request, pk, "applications.withdraw_application")
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw(pk, request.user, form.cleaned_data["reason"])
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("The application is withdrawn."))
            return redirect("applications:detail", pk=pk)
    return render(request, "applications/withdraw.html", {"application": application, "form": form})


@login_required
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application(request, pk, "applications.delete_application")
    error = None
    if request.method == "POST":
        try:
            services.delete_draft(pk, request.user)
        except DomainError as problem:
            error = problem.message
        else:
            messages.success(request, _("The draft is deleted."))
            return redirect("applications:mine")
    return render(request, "applications/delete.html", {"application": application, "error": error})
