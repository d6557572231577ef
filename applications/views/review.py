"""SIRI's reviewer desk: the queue, an application's history, the assessment, the three
decisions, the assignment of reviewers and a pool's round ranked.

Every state change goes through `services`; these views only ask, show and confirm.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import BigIntegerField, ExpressionWrapper, F, Prefetch, QuerySet, Value
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_fsm import can_proceed

from core import changelog, exports
from core.errors import DomainError
from core.links import link
from core.money import format_dkk
from core.roles import NAME_FIELDS, display_name
from core.views import Decision, decision_page, query_string, render_page, require_perm, save_form

from .. import services
from ..forms.review import AssignForm, GrantForm, QueueFilter, ReasonForm, ScoreForm
from ..models import QUEUE_STATES, Application, Assessment, Assignment, Pool, Recommendation, Review
from ..ranking import pool_round
from ..services.decisions import NEEDS_ASSESSMENT, NEEDS_RECOMMENDATION
from .common import get_application

REVIEW = "applications.review_application"
DECIDE = "applications.decide_application"
REVIEWABLE_STATES = QUEUE_STATES  # as `services.save_review` checks
PAGE_SIZE = 50

# ?sort= key → the column it orders by; "score" is the reviews' average (`review_average`).
SORTS: dict[str, str] = {
    "submitted": "submitted_at",
    "journal": "journal_number",
    "municipality": "lead_municipality__name",
    "requested": "requested_sum",
    "score": "review_average",
}
DEFAULT_SORT = "submitted"
# What a row of the queue shows of an application (and what `mine` and the assignments need):
# an application's texts are long, and a page reads fifty.
ROW_FIELDS = (
    "pool__name",
    "pool__reviewers_per_application",
    "lead_municipality__name",
    "state",
    "journal_number",
    "title",
    "submitted_at",
    "review_average",
)


def _partial_for(request: HttpRequest, target: str) -> bool:
    """An htmx request swapping `target`; a history restore wants the whole page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request and htmx.target == target


# The queue -----------------------------------------------------------------------------------


@dataclass
class QueueRow:
    application: Application
    review_count: int
    average: Decimal | None
    mine: Review | None
    assigned: list[str]  # the assigned reviewers' names
    assigned_to_me: bool
    links: dict[str, str]  # the row's links by name: "detail", "score", "assign"


# Above any pk: to make one sort key of an average score (at most 500 hundredths) and a pk.
_PK_MARK = 2**50
ROW_LINKS = ("detail", "score", "assign")


def _ordered_ids(applications: QuerySet[Application], key: str, descending: bool) -> QuerySet[Any]:
    """The ids in queue order: a lazy query the paginator counts and slices."""
    if key == "score":
        # By each application's stored average (`Application.review_average`).
        if descending:
            # The ascending order turned round (ties too), but unscored applications stay last
            # and in the order of their ids, whichever the direction: they have nothing to compare.
            # The mark typed as a bigint: bound by the server as an int4, it overflowed to 0.
            mark = Value(_PK_MARK, output_field=BigIntegerField())
            key = ExpressionWrapper(F("review_average") * mark + F("pk"), output_field=BigIntegerField())
            order = [key.desc(nulls_last=True), F("pk").asc()]
        else:
            order = [F("review_average").asc(nulls_last=True), F("pk").asc()]
        return applications.order_by(*order).values_list("pk", flat=True)
    column = SORTS[key]
    expression = F(column).desc(nulls_last=True) if descending else F(column).asc(nulls_last=True)
    return applications.order_by(expression, "pk").values_list("pk", flat=True)


def _parse_sort(raw: str | None) -> tuple[str, bool]:
    raw = raw or DEFAULT_SORT
    descending = raw.startswith("-")
    key = raw.removeprefix("-")
    return (key, descending) if key in SORTS else (DEFAULT_SORT, False)


def _sort_headers(params: QueryDict, key: str, descending: bool) -> dict[str, dict[str, str]]:
    headers = {}
    for column in SORTS:
        current = column == key
        aria = ("descending" if descending else "ascending") if current else ""
        target = f"-{column}" if current and not descending else column
        headers[column] = {"query": query_string(params, sort=target, page=None), "aria": aria}
    return headers


def _page_rows(ids: list[int], user: Any) -> QuerySet[Application]:
    """The page's applications with their reviews (what the rows show of them: whether they
    count, their totals, the user's own recommendation) and the assigned reviewers."""
    reviews = Review.objects.only("application_id", "reviewer_id", "recommendation", "conflict_of_interest", "total")
    reviewers = Assignment.objects.select_related("reviewer").order_by("id")
    reviewers = reviewers.only("application_id", *(f"reviewer__{name}" for name in NAME_FIELDS))
    return (
        Application.objects.filter(pk__in=ids)
        .with_requested_total()
        .select_related("pool", "lead_municipality")
        .only(*ROW_FIELDS)
        .prefetch_related(Prefetch("reviews", queryset=reviews.order_by()), Prefetch("assignments", reviewers))
    )


def _row(application: Application, user: Any) -> QueueRow:
    reviews = application.reviews.all()
    counting = [review for review in reviews if not review.conflict_of_interest]
    assigned = application.assignments.all()
    return QueueRow(
        application=application,
        review_count=len(counting),
        average=application.average_score,
        mine=next((review for review in reviews if review.reviewer_id == user.pk), None),
        assigned=[display_name(a.reviewer) for a in assigned],
        assigned_to_me=any(a.reviewer_id == user.pk for a in assigned),
        links={name: link(f"applications:{name}", application.pk) for name in ROW_LINKS},
    )


@require_perm(REVIEW)
def queue(request: HttpRequest) -> HttpResponse:
    data = request.GET.copy()
    # The filter form sends `filtered`; without it (first visit, a menu link) show what awaits
    # review. A search looks in every state: a journal number is looked up whatever became of it.
    if "filtered" not in data and not data.get("q", "").strip():
        data.setlist("state", list(QUEUE_STATES))
    filterset = QueueFilter(data, queryset=Application.objects.visible_to(request.user), request=request)
    applications = filterset.qs.with_requested_total()
    key, descending = _parse_sort(request.GET.get("sort"))
    if fmt := exports.requested_format(request):
        # The queue's rows in its order, every page of them; imported here, as it imports this.
        from . import exports as queue_export

        ordered = _ordered_ids(applications, key, descending)
        rows = queue_export.rows(ordered, request.user)
        return exports.response(fmt, queue_export.columns(request.user), rows, queue_export.FILENAME)
    page = Paginator(_ordered_ids(applications, key, descending), PAGE_SIZE).get_page(request.GET.get("page"))
    ids = list(page.object_list)
    rows_by_pk = {application.pk: application for application in _page_rows(ids, request.user)}
    # An application deleted between the two queries is left out.
    rows = [_row(rows_by_pk[pk], request.user) for pk in ids if pk in rows_by_pk]
    context = {
        "filter_form": filterset.form,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number),
        "page_query": query_string(request.GET, page=None),
        "rows": rows,
        "queue_url": reverse("applications:queue"),  # for every sorting and paging link
        "sort": (f"-{key}" if descending else key) if request.GET.get("sort") else "",
        "search": data.get("q", "").strip(),
        "headers": _sort_headers(request.GET, key, descending),
        # Each reviewer's load, for the pool admin who assigns (one query; not in the htmx partial).
        "workload": [] if _partial_for(request, "queue-results") else list(services.reviewer_load()),
        "can_assign": request.user.has_perm("applications.add_assignment"),
        "export_links": exports.export_links(request),
    }
    partial = _partial_for(request, "queue-results")
    template = "applications/review/_queue_results.html" if partial else "applications/review/queue.html"
    return render_page(request, template, context)


# History -------------------------------------------------------------------------------------


@login_required
def history(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application(request, pk)
    transitions = application.transitions.select_related("by").order_by("at", "id")
    entries = changelog.history(application, request.user, transitions)
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        return render_page(request, "core/_history.html", {"entries": entries, "empty": NO_HISTORY})
    return render_page(request, "applications/review/history.html", {"application": application, "entries": entries})


# Scoring -------------------------------------------------------------------------------------


def _total_context(application: Application, form: ScoreForm, scores: dict[str, int]) -> dict[str, Any]:
    conflict = bool(getattr(form, "cleaned_data", {}).get("conflict_of_interest")) or (
        not form.is_bound and bool(form.initial.get("conflict_of_interest"))
    )
    # The model's own formula, on an unsaved review: the page shows what will be stored.
    total = Review(application=application, scores=scores).weighted_total() if scores else None
    return {
        "total": total,
        "scored": len(scores),
        "criteria_count": len(form.criteria),
        "conflict": conflict,
    }


def _initial_scores(form: ScoreForm) -> dict[str, int]:
    return {
        criterion.name: form.initial[form.field_name(criterion)]
        for criterion in form.criteria
        if form.initial.get(form.field_name(criterion)) is not None
    }


def _decisions(request: HttpRequest, application: Application) -> list[dict[str, Any]]:
    """The decisions this user may take on the application now, for links on the score page."""
    if not request.user.has_perm(DECIDE, application):
        return []
    return [
        {"decision": code, "label": spec.link}
        for code, spec in DECISIONS.items()
        if can_proceed(getattr(application, spec.transition), check_conditions=False)
    ]


@login_required
def score(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application(request, pk, REVIEW)
    criteria = list(application.pool.criteria.all())
    open_for_review = application.state in REVIEWABLE_STATES
    status = 200
    if request.method == "POST":
        form = ScoreForm(request.POST, criteria=criteria)
        if form.is_valid():
            saved = save_form(form, lambda: services.save_review(application.pk, request.user, form.service_data()))
            if saved.ok:
                messages.success(request, _("Your review has been saved."))
                return redirect("applications:score", pk=application.pk)
            status = saved.status
        scores = form.scores()
    else:
        mine = (
            Review.objects.filter(application=application, reviewer=request.user)
            .prefetch_related(Prefetch("assessments", queryset=Assessment.objects.select_related("criterion")))
            .first()
        )
        form = ScoreForm(initial=ScoreForm.initial_from(mine, criteria), criteria=criteria)
        scores = _initial_scores(form) if mine and not mine.conflict_of_interest else {}
    if not open_for_review and not form.is_bound:  # shown for reference; a refused post keeps its values
        for field in form.fields.values():
            field.disabled = True
    context = {
        "application": application,
        "form": form,
        "open_for_review": open_for_review,
        "assigned": [display_name(a.reviewer) for a in application.assignments.select_related("reviewer")],
        "can_assign": request.user.has_perm("applications.add_assignment", application),
        "requested_total": application.requested_total,
        "decisions": _decisions(request, application),
        **_total_context(application, form, scores),
    }
    return render_page(request, "applications/review/score.html", context, status=status)


@require_POST
@login_required
def score_total(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application(request, pk, REVIEW)
    form = ScoreForm(request.POST, criteria=application.pool.criteria.all())
    form.is_valid()  # a half-filled form is normal here: the total covers what is scored
    return render_page(
        request, "applications/review/_score_total.html", _total_context(application, form, form.scores())
    )


# Decisions -----------------------------------------------------------------------------------


def _facts(application: Application, data: dict[str, Any]) -> dict[str, str]:
    return {
        "title": application.title,
        "municipality": application.lead_municipality.name,
        "amount": format_dkk(data.get("amount")),
    }


DECISIONS: dict[str, Decision] = {
    "grant": Decision(
        transition="grant",
        form=GrantForm,
        run=lambda app, user, data: services.grant(app.pk, user, data["amount"], data["conditions"]),
        heading=_("Grant the application"),
        link=_("Grant"),
        question=_("Grant %(amount)s to %(municipality)s for “%(title)s”? This cannot be undone."),
        confirm=_("Yes, grant"),
        done=_("%(amount)s was granted to %(municipality)s for “%(title)s”."),
    ),
    "reject": Decision(
        transition="reject",
        form=ReasonForm,
        run=lambda app, user, data: services.reject(app.pk, user, data["reason"]),
        heading=_("Reject the application"),
        link=_("Reject"),
        question=_(
            "Reject “%(title)s” from %(municipality)s? The applicant will see your reason. This cannot be undone."
        ),
        confirm=_("Yes, reject"),
        done=_("“%(title)s” was rejected. %(municipality)s can see your reason."),
    ),
    "return": Decision(
        transition="return_for_revision",
        form=ReasonForm,
        run=lambda app, user, data: services.return_for_revision(app.pk, user, data["reason"]),
        heading=_("Return the application for revision"),
        link=_("Return for revision"),
        question=_(
            "Return “%(title)s” to %(municipality)s for revision? It becomes a draft again, "
            "and the applicant will see your reason."
        ),
        confirm=_("Yes, return it"),
        done=_("“%(title)s” was returned to %(municipality)s for revision."),
    ),
}
NO_HISTORY = _("Nothing has happened to the application yet.")


def _blocked(application: Application, spec: Decision) -> Any:
    """Why the decision cannot be taken before any typing, besides the state (the transitions'
    conditions): a grant follows a review recommending it, a rejection needs an assessment."""
    if spec.transition == "grant" and not can_proceed(application.grant):
        return NEEDS_RECOMMENDATION
    if spec.transition == "reject" and not can_proceed(application.reject):
        return NEEDS_ASSESSMENT
    return None


def _recommendations(application: Application) -> list[Review]:
    """The counting reviews, for the decision page: who recommends what, and how much."""
    reviews = application.reviews.filter(conflict_of_interest=False).select_related("reviewer")
    return list(reviews.order_by("created_at", "id"))


@login_required
def decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    spec = DECISIONS.get(decision)
    if spec is None:
        raise Http404
    application = get_application(request, pk, DECIDE)
    here = reverse("applications:detail", kwargs={"pk": application.pk})
    context: dict[str, Any] = {
        "application": application,
        "decision": decision,
        "breadcrumbs": "applications/review/_breadcrumbs.html",
        "facts": "applications/review/_decide_facts.html",
        "back_label": _("Back to the application"),
    }
    initial = {}
    check = None
    if spec.form is GrantForm:
        recommendations = _recommendations(application)
        amounts = [r.amount for r in recommendations if r.recommendation == Recommendation.GRANT and r.amount]
        context["requested_total"] = application.requested_total
        context["remaining_budget"] = application.pool.remaining_budget
        context["recommendations"] = recommendations
        context["concurrence_above"] = application.pool.concurrence_above
        # The decision follows the recommendation: its amount (the largest, with several) to begin with.
        initial = {"amount": max(amounts) if amounts else context["requested_total"]}

        def check(data: dict[str, Any]) -> None:
            services.check_grant(application, data["amount"])

    return decision_page(
        request,
        application,
        spec,
        context=context,
        facts=lambda data: _facts(application, data),
        done_url=here,
        blocked=_blocked(application, spec),
        initial=initial,
        check=check,
    )


# Assignment ----------------------------------------------------------------------------------


@login_required
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Who reviews the application: SIRI sees it, the pool admin assigns (POST) and unassigns."""
    application = get_application(request, pk, "applications.view_assignment")
    can_assign = request.user.has_perm("applications.add_assignment", application)
    if request.method == "POST" and not can_assign:
        raise PermissionDenied
    assigned = list(application.assignments.select_related("reviewer", "assigned_by").order_by("assigned_at", "id"))
    conflicted = set(application.reviews.filter(conflict_of_interest=True).values_list("reviewer_id", flat=True))
    # Offered: the SIRI reviewers not assigned and without a declared conflict, with their load.
    people = services.assignments.with_load(
        services.assignments.siri_reviewers().exclude(pk__in=[a.reviewer_id for a in assigned])
    ).order_by("load", "first_name", "last_name", "username")
    status = 200
    form = AssignForm(request.POST or None, people=people.exclude(pk__in=conflicted))
    if request.method == "POST" and form.is_valid():
        saved = save_form(form, lambda: services.assign(application.pk, request.user, form.cleaned_data["reviewer"]))
        if saved.ok:
            messages.success(
                request,
                _("%(name)s was assigned to “%(title)s”.")
                % {"name": display_name(form.cleaned_data["reviewer"]), "title": application.title},
            )
            return redirect("applications:assign", pk=application.pk)
        status = saved.status
    context = {
        "application": application,
        "assigned": assigned,
        "wanted": application.pool.reviewers_per_application,
        "conflicted": [display_name(p) for p in people.filter(pk__in=conflicted)],
        "form": form,
        "can_assign": can_assign,
        "open_for_review": application.state in REVIEWABLE_STATES,
    }
    return render_page(request, "applications/review/assign.html", context, status=status)


@require_POST
@login_required
def unassign(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    application = get_application(request, pk, "applications.delete_assignment")
    assignment = Assignment.objects.filter(application=application, pk=assignment_pk).select_related("reviewer").first()
    if assignment is None:
        raise Http404
    try:
        services.unassign(application.pk, request.user, assignment.pk)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s is no longer assigned to “%(title)s”.")
            % {"name": display_name(assignment.reviewer), "title": application.title},
        )
    return redirect("applications:assign", pk=application.pk)


# Ranking -------------------------------------------------------------------------------------


@require_perm("applications.view_ranking")
def ranking(request: HttpRequest, pool_pk: int) -> HttpResponse:
    """A pool's round ranked by weighted score against the money left (`applications.ranking`)."""
    pool = get_object_or_404(Pool, pk=pool_pk)
    return render_page(request, "applications/review/ranking.html", {"pool": pool, "round": pool_round(pool)})
