"""Change requests as pages: the municipality asks (a form per kind, prefilled with what is in
force), SIRI's queue, a request with what it asks and its history, SIRI's approval or refusal and
the municipality's withdrawal, each behind a confirmation step."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from core import exports
from core.tables import columns
from core.views import Decision, decision_page, render_page, require_perm, save_form
from documents.services import about as documents_about
from monitoring.models import Milestone, QuarterlyReport
from monitoring.quarters import Quarter

from .. import services
from ..forms import ApproveForm, ChangeForm, RefuseForm, WithdrawForm
from ..models import ChangeKind, ChangeRequest, ChangeState
from ..services.changes import open_problem
from .common import ASK, DECIDE, QUEUE, WITHDRAW, get_award, get_change, project_context

QUEUE_COLUMNS = columns(
    gettext_lazy("Project"),
    gettext_lazy("Municipality"),
    gettext_lazy("Change"),
    gettext_lazy("Asked for"),
    gettext_lazy("State"),
)


def _remaining_quarters(grant: Any) -> list[tuple[Quarter, dict[int, Decimal], str]]:
    """The quarters not yet reported, with their expected values and activities now."""
    handed_in = set(QuarterlyReport.objects.filter(grant=grant).handed_in().values_list("year", "quarter"))
    milestones = Milestone.objects.filter(grant=grant).prefetch_related("expected").order_by("year", "quarter")
    return [
        (m.period, {v.goal_id: v.value for v in m.expected.all()}, m.planned_activities)
        for m in milestones
        if (m.year, m.quarter) not in handed_in
    ]


@login_required
def ask(request: HttpRequest, grant_pk: int, kind: str) -> HttpResponse:
    if kind not in ChangeKind.values:
        raise Http404
    award = get_award(request, grant_pk, ASK)
    context: dict[str, Any] = {**project_context(award), "kind": ChangeKind(kind)}
    problem = open_problem(award, timezone.localdate())
    if problem:
        return render_page(request, "awards/change_form.html", {**context, "blocked": problem}, status=409)
    options = {
        "kind": kind,
        "grant": award,
        "lines": services.current_lines(award),
        "goals": list(award.application.goals.order_by("id")),
        "quarters": _remaining_quarters(award) if kind == ChangeKind.MILESTONES else [],
    }
    status = 200
    form = ChangeForm(request.POST or None, **options)
    if request.method == "POST" and form.is_valid():
        saved = save_form(form, lambda: services.file_change(award.pk, request.user, form.service_data()))
        if saved.ok:
            messages.success(request, _("Your change request is sent to SIRI."))
            return redirect("awards:change", pk=saved.value.pk)
        status = saved.status
    return render_page(request, "awards/change_form.html", {**context, "form": form}, status=status)


@require_perm(QUEUE)
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    changes = ChangeRequest.objects.visible_to(request.user).select_related(
        "grant__application__lead_municipality", "submitted_by"
    )
    if fmt := exports.requested_format(request):
        # Every change request SIRI may see, not only the page's latest decisions.
        rows = exports.chunked_rows(changes.select_related("decided_by").order_by("-submitted_at", "-id"))
        return exports.response(fmt, EXPORT_COLUMNS, rows, "aendringsanmodninger")
    waiting = changes.filter(state=ChangeState.SUBMITTED).order_by("submitted_at", "id")
    decided = changes.exclude(state=ChangeState.SUBMITTED).order_by("-decided_at", "-id")[:20]
    context = {
        "waiting": waiting,
        "decided": decided,
        "columns": QUEUE_COLUMNS,
        "export_links": exports.export_links(request),
    }
    return render_page(request, "awards/changes.html", context)


EXPORT_COLUMNS = [
    exports.Column(gettext_lazy("Journal number"), lambda c: c.grant.application.journal_number),
    exports.Column(gettext_lazy("Project"), lambda c: c.grant.application.title),
    exports.Column(gettext_lazy("Municipality"), lambda c: c.grant.application.lead_municipality.name),
    exports.Column(gettext_lazy("Change asked for"), lambda c: c.get_kind_display()),
    exports.Column(gettext_lazy("Reason"), lambda c: c.reason),
    exports.Column(gettext_lazy("Asked for"), lambda c: exports.localdate(c.submitted_at), "date"),
    exports.Column(gettext_lazy("State"), lambda c: c.get_state_display()),
    exports.Column(gettext_lazy("Decided on"), lambda c: exports.localdate(c.decided_at), "date"),
    exports.Column(gettext_lazy("SIRI's reason"), lambda c: c.decision_reason),
]


@login_required
@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    change = get_change(request, pk)
    grant = change.grant
    goals = {goal.pk: goal for goal in grant.application.goals.all()}
    context = {
        **project_context(grant),
        "change": change,
        "goal_rows": [(goals.get(row["goal"]), Decimal(row["target_value"])) for row in change.goals],
        "milestone_rows": [
            (
                Quarter(row["year"], row["quarter"]),
                [(goals.get(v["goal"]), Decimal(v["value"])) for v in row["expected"]],
                row["planned_activities"],
            )
            for row in change.milestones
        ],
        "lines": [
            {**line, "amount": Decimal(line["amount"]), "fte": Decimal(line["fte"])} for line in change.budget_lines
        ],
        "total": sum((Decimal(line["amount"]) for line in change.budget_lines), Decimal(0)),
        "version": getattr(change, "resulting_version", None),
        "entries": change.transitions.select_related("by"),
        "documents": documents_about(request.user, [change], ["change_decision_letter"]),
        "can_decide": request.user.has_perm(DECIDE, change) and change.state == ChangeState.SUBMITTED,
        "can_withdraw": request.user.has_perm(WITHDRAW, change) and change.state == ChangeState.SUBMITTED,
    }
    return render_page(request, "awards/change_detail.html", context)


DECISIONS = {
    "approve": Decision(
        transition="approve",
        form=ApproveForm,
        run=lambda change, user, data: services.approve_change(change.pk, user, data.get("reason") or ""),
        heading=gettext_lazy("Approve the change request"),
        link=gettext_lazy("Approve"),
        question=gettext_lazy(
            "Approve the change (%(kind)s) for “%(title)s” of %(municipality)s? The budget and plan get a new "
            "version, the remaining milestones and payments are planned again, and the municipality receives "
            "the decision letter."
        ),
        confirm=gettext_lazy("Yes, approve"),
        done=gettext_lazy("The change (%(kind)s) for “%(title)s” is approved."),
    ),
    "refuse": Decision(
        transition="refuse",
        form=RefuseForm,
        run=lambda change, user, data: services.refuse_change(change.pk, user, data["reason"]),
        heading=gettext_lazy("Refuse the change request"),
        link=gettext_lazy("Refuse"),
        question=gettext_lazy(
            "Refuse the change (%(kind)s) for “%(title)s” of %(municipality)s? The municipality receives the "
            "decision letter with your reason."
        ),
        confirm=gettext_lazy("Yes, refuse"),
        done=gettext_lazy("The change (%(kind)s) for “%(title)s” is refused."),
    ),
    "withdraw": Decision(
        transition="withdraw",
        form=WithdrawForm,
        run=lambda change, user, data: services.withdraw_change(change.pk, user, data.get("reason") or ""),
        heading=gettext_lazy("Withdraw the change request"),
        link=gettext_lazy("Withdraw"),
        question=gettext_lazy("Withdraw the change request (%(kind)s) for “%(title)s”? SIRI will not decide on it."),
        confirm=gettext_lazy("Yes, withdraw"),
        done=gettext_lazy("The change request (%(kind)s) is withdrawn."),
    ),
}


@login_required
def decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    spec = DECISIONS.get(decision)
    if spec is None:
        raise Http404
    change = get_change(request, pk, WITHDRAW if decision == "withdraw" else DECIDE)
    grant = change.grant
    here = reverse("awards:change", args=[change.pk])
    context = {
        **project_context(grant),
        "change": change,
        "facts": "awards/_change_facts.html",
        "back_label": _("Back to the change request"),
    }
    values = {
        "kind": change.get_kind_display().lower(),
        "title": grant.application.title,
        "municipality": grant.application.lead_municipality.name,
    }
    return decision_page(request, change, spec, context=context, facts=lambda _data: values, done_url=here)
