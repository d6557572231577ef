"""Quarterly reports as pages: writing one (one page that saves itself through htmx, and works
as a plain form without JavaScript), submitting it behind a confirmation step, reading it with
its history, and SIRI's accept or return. Every change goes through `services`; these views only
ask, show and confirm."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from applications.models import Grant
from core import autosave as saving
from core.errors import DomainError
from core.forms import ConfirmForm
from core.views import Decision, decision_page, render_page, save_form

from .. import services
from ..checks import measurable
from ..forms import QuarterForm, ReasonForm, ReportForm
from ..models import (
    COUNTING_STATES,
    KPI_FIELDS,
    FipDimension,
    GoalProgress,
    NationalKpi,
    OutcomePoint,
    QuarterlyReport,
    ReportState,
    Respondent,
)
from ..quarters import Quarter
from .common import (
    ADD_REPORT,
    CHANGE_REPORT,
    DECIDE_REPORT,
    SUBMIT_REPORT,
    get_grant,
    get_report,
)
from .handin import return_decision, submit_page
from .projects import open_quarters

# Where on the form each part that `submit_report` may ask for lives.
ANCHORS = {
    "progress": "goals",
    "outcomes": "outcomes",
    "enrolled": "id_enrolled",
    "spent_to_date": "id_spent_to_date",
    "narrative": "id_narrative",
}


def _earlier(report: QuarterlyReport) -> Q:
    """Of the goal figures of the report's project, those handed in for a quarter before the
    report's (the caller asks for the project's: `report__grant_id`)."""
    return Q(report__state__in=COUNTING_STATES, value__isnull=False) & (
        Q(report__year__lt=report.year) | Q(report__year=report.year, report__quarter__lt=report.quarter)
    )


def previous_values(report: QuarterlyReport) -> dict[int, tuple[Quarter, Decimal]]:
    """Each goal's latest value handed in for a quarter before the report's, with its quarter:
    shown beside the field for reference."""
    earlier = (
        GoalProgress.objects.filter(report__grant_id=report.grant_id)
        .filter(_earlier(report))
        .order_by("report__year", "report__quarter")
        .values_list("goal_id", "value", "report__year", "report__quarter")
    )
    return {goal_id: (Quarter(year, quarter), value) for goal_id, value, year, quarter in earlier}


def _figures(report: QuarterlyReport) -> tuple[dict[int, Any], dict[int, tuple[Quarter, Decimal]]]:
    """The report's goal figures (a row per goal: value, comment, numerator, denominator) and
    `previous_values`, read in one query: two before, a query being 0,6-0,9 ms of a report's page."""
    rows = (
        GoalProgress.objects.filter(report__grant_id=report.grant_id)
        .filter(Q(report_id=report.pk) | _earlier(report))
        .order_by("report__year", "report__quarter")
        .values_list(
            "report_id",
            "goal_id",
            "value",
            "comment",
            "numerator",
            "denominator",
            "report__year",
            "report__quarter",
            named=True,
        )
    )
    own: dict[int, Any] = {}
    previous: dict[int, tuple[Quarter, Decimal]] = {}
    for row in rows:
        if row.report_id == report.pk:
            own[row.goal_id] = row
        else:
            previous[row.goal_id] = (Quarter(row.report__year, row.report__quarter), row.value)
    return own, previous


def _national(report: QuarterlyReport) -> NationalKpi | None:
    return NationalKpi.objects.filter(year=report.year, quarter=report.quarter).first()


def _report_form(report: QuarterlyReport, data: Any = None) -> ReportForm:
    return _report_forms(report)(data)


def _report_forms(report: QuarterlyReport) -> Callable[[Any], ReportForm]:
    """The report's form, of the stored values (`None`) or bound to data: what it needs read once,
    as one save builds it several times (core/autosave.py)."""
    goals = list(report.grant.application.goals.select_related("target_group").order_by("id"))
    previous, national = previous_values(report), _national(report)

    def make(data: Any) -> ReportForm:
        initial = ReportForm.initial_from(report) if data is None else None
        return ReportForm(data, initial=initial, report=report, goals=goals, previous=previous, national=national)

    return make


def _reload(report: QuarterlyReport, grant: Grant) -> QuarterlyReport:
    fresh = QuarterlyReport.objects.get(pk=report.pk)
    fresh.grant = grant
    return fresh


# Writing ----------------------------------------------------------------------------------------


@login_required
def report_create(request: HttpRequest, grant_pk: int) -> HttpResponse:
    grant = get_grant(request, grant_pk, ADD_REPORT)
    today = timezone.localdate()
    quarters = open_quarters(grant, (r.period for r in grant.reports.all()), today)
    form = QuarterForm(request.POST if request.method == "POST" else None, quarters=quarters)
    status = 200
    if request.method == "POST" and form.is_valid():
        saved = save_form(
            form, lambda: services.create_report(grant.pk, request.user, form.service_data(), today=today)
        )
        if saved.ok:
            report = saved.value
            messages.success(
                request,
                _("The report for %(quarter)s is a draft now. It saves itself while you type.")
                % {"quarter": report.period},
            )
            return redirect("monitoring:report_edit", grant_pk=grant.pk, report_pk=report.pk)
        status = saved.status
    context = {"grant": grant, "application": grant.application, "form": form, "quarters": quarters}
    return render_page(request, "monitoring/report_create.html", context, status=status)


def _save(request: HttpRequest, report: QuarterlyReport) -> saving.Merge:
    """Save each field the tab sent that is valid and that nobody else has changed since the tab
    loaded it (core/autosave.py, weighed under the report's lock); every problem stays on the
    form. A part written as a whole (the goals, FIP, outcomes) is written with the stored values
    of the fields this tab did not change; a part the service refuses (a count that went down
    without a comment) keeps its saved value, and the rest is saved without it. Raises the
    conflict when the report is no longer a draft."""
    with services.editing_report(report.pk, request.user) as locked:
        merge = saving.merge(request.POST, _report_forms(locked))
        data = merge.saving().changes(merge.accepted)
        while data:
            try:
                services.update_report(report.pk, request.user, data)
            except DomainError as error:
                if error.kind == DomainError.CONFLICT:
                    raise
                merge.typed.add_domain_error(error)
                remaining = {name: value for name, value in data.items() if name not in error.errors}
                if remaining == data:
                    break
                data = remaining
            else:
                break
    return merge


def _edit_context(grant: Grant, report: QuarterlyReport, form: ReportForm) -> dict[str, Any]:
    # The tokens of the stored values, which the page sends back as the values it started from.
    bases = form if not form.is_bound else _report_form(report)
    return {"grant": grant, "application": grant.application, "report": report, "form": form, "bases": bases}


@login_required
def report_edit(request: HttpRequest, grant_pk: int, report_pk: int) -> HttpResponse:
    report = get_report(request, grant_pk, report_pk, CHANGE_REPORT)
    grant = report.grant
    if report.state != ReportState.DRAFT:
        messages.info(request, _("The report has been submitted and cannot be changed."))
        return redirect("monitoring:report", grant_pk=grant.pk, report_pk=report.pk)
    if request.method != "POST":
        return render_page(request, "monitoring/report_edit.html", _edit_context(grant, report, _report_form(report)))
    try:
        merge = _save(request, report)
    except DomainError as conflict:
        messages.error(request, conflict.message)
        return redirect("monitoring:report", grant_pk=grant.pk, report_pk=report.pk)
    form = merge.typed
    if not form.errors and not merge.conflicts:
        if request.POST.get("then") == "submit":
            return redirect("monitoring:report_submit", grant_pk=grant.pk, report_pk=report.pk)
        messages.success(request, _("The draft is saved."))
        return redirect("monitoring:report_edit", grant_pk=grant.pk, report_pk=report.pk)
    # What was typed stays on the page, with every problem at its field.
    if merge.conflicts:
        merge.show_conflicts_on_fields()
        form.add_error(None, _("Save again to keep your own text in the fields someone else has changed."))
    return render_page(request, "monitoring/report_edit.html", _edit_context(grant, _reload(report, grant), form))


@login_required
@require_POST
def report_save(request: HttpRequest, grant_pk: int, report_pk: int) -> HttpResponse:
    """The htmx partial: saves while the user types and answers with the save status, and with
    the new bases of the fields saved in the `HX-Trigger` header (puljeflow.js)."""
    report = get_report(request, grant_pk, report_pk, CHANGE_REPORT)
    grant = report.grant
    merge = None
    conflict = None
    if report.state != ReportState.DRAFT:
        conflict = _("The report has been submitted and cannot be changed.")
    else:
        try:
            merge = _save(request, report)
        except DomainError as error:
            conflict = error.message
    context = {
        "form": merge.typed if merge else None,
        "conflict": conflict,
        "saved_at": timezone.localtime(),
        "conflicts": list(merge.conflicts.values()) if merge else [],
        "form_id": "report-form",
    }
    response = render_page(request, "monitoring/report/_save_status.html", context)
    if merge is not None:
        response["HX-Trigger"] = json.dumps(merge.event(_report_form(_reload(report, grant))))
    return response


# Reading ----------------------------------------------------------------------------------------


@dataclass
class GoalLine:
    title: str
    unit: str
    value: Decimal | None
    comment: str
    previous: tuple[Quarter, Decimal] | None
    group: str = ""  # the target group the goal belongs to
    numerator: int | None = None  # a share's n of N
    denominator: int | None = None
    given: bool = False  # a row exists: an empty cohort (0 of 0) has no value but was given
    measured: bool = True  # False: a cohort goal nobody can be in yet


def _report_context(request: HttpRequest, grant: Grant, report: QuarterlyReport) -> dict[str, Any]:
    goals = list(grant.application.goals.select_related("target_group").order_by("id"))
    progress, previous = _figures(report)
    lines = []
    for goal in goals:
        row = progress.get(goal.pk)
        lines.append(
            GoalLine(
                goal.title,
                "%" if goal.is_share else goal.unit,
                row.value if row else None,
                row.comment if row else "",
                previous.get(goal.pk),
                group=goal.target_group.name if goal.target_group else "",
                numerator=row.numerator if row else None,
                denominator=row.denominator if row else None,
                given=row is not None,
                measured=measurable(goal, grant, report.period),
            )
        )
    fip = {(s.dimension, s.respondent): s for s in report.fip.all()}
    fip_rows = [(d.label, [fip.get((d.value, r.value)) for r in Respondent]) for d in FipDimension]
    outcomes = {o.point: o for o in report.outcomes.all()}
    national = _national(report)
    labels = {name: QuarterlyReport._meta.get_field(name).verbose_name for name in KPI_FIELDS}
    kpis = [(labels[name], getattr(report, name), national.kpis.get(name) if national else None) for name in KPI_FIELDS]
    user = request.user
    draft, submitted = report.state == ReportState.DRAFT, report.state == ReportState.SUBMITTED
    return {
        "grant": grant,
        "application": grant.application,
        "report": report,
        "goal_lines": lines,
        "fip_rows": fip_rows,
        "fip_given": bool(fip),
        "respondents": [r.label for r in Respondent],
        "outcomes": [(point.label, outcomes.get(point.value)) for point in OutcomePoint],
        "kpis": kpis,
        "national": national,
        "entries": report.transitions.select_related("by").order_by("at", "id"),
        "can_edit": draft and user.has_perm(CHANGE_REPORT, report),
        "can_submit": draft and user.has_perm(SUBMIT_REPORT, report),
        "decisions": list(DECISIONS.items()) if submitted and user.has_perm(DECIDE_REPORT, report) else [],
    }


@login_required
@require_safe
def report_detail(request: HttpRequest, grant_pk: int, report_pk: int) -> HttpResponse:
    report = get_report(request, grant_pk, report_pk)
    grant = report.grant
    return render_page(request, "monitoring/report_detail.html", _report_context(request, grant, report))


# Submitting -------------------------------------------------------------------------------------


@login_required
def report_submit(request: HttpRequest, grant_pk: int, report_pk: int) -> HttpResponse:
    report = get_report(request, grant_pk, report_pk, SUBMIT_REPORT)
    grant = report.grant
    application = grant.application
    context = {
        **_report_context(request, grant, report),
        "breadcrumbs": "monitoring/_breadcrumbs.html",
        "summary": "monitoring/report/_summary.html",
        "action": reverse("monitoring:report_submit", args=(grant.pk, report.pk)),
        "lead": f"{report.period} · {application.title} · {application.lead_municipality.name}",
        "confirm_text": _(
            "Submit the report for %(quarter)s to SIRI? SIRI reads it and accepts it or returns it to you; "
            "until then you cannot change it."
        )
        % {"quarter": report.period},
    }
    return submit_page(
        request,
        report,
        services.submit_report,
        context=context,
        edit_url=reverse("monitoring:report_edit", kwargs={"grant_pk": grant.pk, "report_pk": report.pk}),
        done_url=reverse("monitoring:report", kwargs={"grant_pk": grant.pk, "report_pk": report.pk}),
        anchors=ANCHORS,
    )


# SIRI's decisions -------------------------------------------------------------------------------


DECISIONS: dict[str, Decision] = {
    "accept": Decision(
        transition="accept",
        form=ConfirmForm,
        run=lambda report, user, data: services.accept_report(report.pk, user),
        heading=gettext_lazy("Accept the report"),
        link=gettext_lazy("Accept"),
        question=gettext_lazy("Accept the report for %(quarter)s from %(municipality)s on “%(title)s”?"),
        confirm=gettext_lazy("Yes, accept"),
        done=gettext_lazy("The report for %(quarter)s from %(municipality)s is accepted."),
    ),
    "return": return_decision(
        services.return_report,
        ReasonForm,
        question=gettext_lazy(
            "Return the report for %(quarter)s to %(municipality)s on “%(title)s”? It becomes a draft "
            "again, and the municipality will see your reason."
        ),
        done=gettext_lazy("The report for %(quarter)s was returned to %(municipality)s."),
    ),
}


def _facts(report: QuarterlyReport) -> dict[str, Any]:
    application = report.grant.application
    return {"quarter": report.period, "municipality": application.lead_municipality.name, "title": application.title}


@login_required
def report_decide(request: HttpRequest, grant_pk: int, report_pk: int, decision: str) -> HttpResponse:
    spec = DECISIONS.get(decision)
    if spec is None:
        raise Http404
    report = get_report(request, grant_pk, report_pk, DECIDE_REPORT)
    grant = report.grant
    here = reverse("monitoring:report", kwargs={"grant_pk": grant.pk, "report_pk": report.pk})
    context: dict[str, Any] = {
        "grant": grant,
        "application": grant.application,
        "report": report,
        "breadcrumbs": "monitoring/_breadcrumbs.html",
        "facts": "monitoring/report/_decide_facts.html",
        "back_label": _("Back to the report"),
    }
    return decision_page(request, report, spec, context=context, facts=lambda _data: _facts(report), done_url=here)
