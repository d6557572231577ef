"""The ambassador's own page and quarterly reports: writing one, submitting it behind a
confirmation step, reading it with its history, and SIRI's acknowledge or return."""

from __future__ import annotations

from dataclasses import dataclass
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

from applications.models import Grant
from core.forms import ConfirmForm
from core.tables import columns
from core.views import Decision, decision_page, render_page, require_perm, save_form
from monitoring.quarters import Quarter
from monitoring.summary import current, goal_readings
from monitoring.views.handin import return_decision, submit_page

from .. import services
from ..contributions import people
from ..forms import ReasonForm, ReportForm
from ..models import (
    COUNT_FIELDS,
    Ambassador,
    AmbassadorReport,
    AmbassadorReportState,
    NetworkMeeting,
)
from .common import (
    ACKNOWLEDGE_REPORT,
    ADD_PRACTICE,
    ADD_REPORT,
    CHANGE_REPORT,
    STATE_BADGES,
    STATE_LABELS,
    SUBMIT_REPORT,
    ambassador_for,
    begun_quarters,
    due_date,
    get_report,
    open_quarters,
)

# Where on the form each part that `submit_report` may ask for lives.
ANCHORS = {"narrative": "id_narrative", "contributions": "goals"}


def _not_registered(request: HttpRequest) -> HttpResponse:
    """A person with the ambassador role whom SIRI has not linked to a project yet."""
    return render_page(request, "ambassadors/not_registered.html", {})


# The ambassador's page --------------------------------------------------------------------------


@dataclass
class QuarterRow:
    quarter: Quarter
    due: Any
    report: AmbassadorReport | None
    late: bool


@dataclass
class GoalLine:
    reading: Any  # monitoring.progress.GoalReading
    unit: str
    mine: Decimal | None

    @property
    def mine_text(self) -> str:
        return people(self.mine) if self.mine is not None else ""


QUARTER_ROW_FIELDS = ("ambassador_id", "year", "quarter", "state", "first_submitted_at", "returned_reason")
QUARTER_COLUMNS = columns(gettext_lazy("Quarter"), gettext_lazy("Due"), gettext_lazy("State"), gettext_lazy("Action"))


def _quarter_rows(ambassador: Ambassador, reports: list[AmbassadorReport], today: Any) -> list[QuarterRow]:
    """Every quarter of the project that has begun, newest first, with its report if any."""
    by_quarter = {report.period: report for report in reports}
    rows = []
    for quarter in begun_quarters(ambassador, today):
        report = by_quarter.get(quarter)
        due = due_date(ambassador, quarter)
        handed_in = report is not None and report.is_handed_in
        rows.append(QuarterRow(quarter, due, report, late=not handed_in and due < today))
    return rows


@require_perm(ADD_REPORT)
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    ambassador = ambassador_for(request.user)
    if ambassador is None:
        return _not_registered(request)
    today = timezone.localdate()
    grant = ambassador.grant  # read with the ambassador, its application, pool and municipality
    # The project's figures as SIRI's dashboard reads them, from its stored progress summary: every
    # report, milestone and expected value of the project read and computed was a fifth of the page.
    progress = current(Grant.objects.filter(pk=grant.pk), [grant], today)[grant.pk]
    readings = goal_readings(progress, list(grant.application.goals.select_related("target_group")))
    # The ambassador's own counting contributions, added up as SIRI adds up the project's.
    mine = services.contributions_of(AmbassadorReport.objects.counting().filter(ambassador=ambassador))
    # Only a count goal takes contributions (in people); a level shows none.
    goals = [
        GoalLine(r, ReportForm.unit_of(r.goal), mine.get(r.goal.pk) if r.goal.takes_contributions else None)
        for r in readings
    ]
    # What a quarter's row shows of its report: not its texts and counts.
    reports = list(ambassador.reports.only(*QUARTER_ROW_FIELDS).order_by("year", "quarter"))
    attended = (
        NetworkMeeting.objects.filter(attendance__ambassador=ambassador, attendance__attended=True, held_on__lte=today)
        .order_by("-held_on", "-id")
        .distinct()
    )
    upcoming = NetworkMeeting.objects.filter(held_on__gte=today).order_by("held_on", "id")
    context = {
        "report_columns": QUARTER_COLUMNS,
        "ambassador": ambassador,
        "grant": grant,
        "application": grant.application,
        "reference": progress.reference,
        "goals": goals,
        "rows": _quarter_rows(ambassador, reports, today),
        "badges": STATE_BADGES,
        "attended": attended,
        "upcoming": upcoming,
        "can_propose": request.user.has_perm(ADD_PRACTICE),
    }
    return render_page(request, "ambassadors/home.html", context)


# Writing ----------------------------------------------------------------------------------------


def _goals(ambassador: Ambassador) -> Any:
    return ambassador.grant.application.goals.select_related("target_group").order_by("id")


def _after_save(request: HttpRequest, report: AmbassadorReport) -> HttpResponse:
    if request.POST.get("then") == "submit":
        return redirect("ambassadors:report_submit", pk=report.pk)
    messages.success(request, _("The draft for %(quarter)s is saved.") % {"quarter": report.period})
    return redirect("ambassadors:report_edit", pk=report.pk)


@require_perm(ADD_REPORT)
def report_create(request: HttpRequest) -> HttpResponse:
    ambassador = ambassador_for(request.user)
    if ambassador is None:
        return _not_registered(request)
    today = timezone.localdate()
    reports = list(ambassador.reports.all())
    quarters = open_quarters(ambassador, reports, today)
    status = 200
    if request.method == "POST":
        form = ReportForm(request.POST, goals=_goals(ambassador), quarters=quarters)
        if form.is_valid():
            saved = save_form(form, lambda: services.create_report(request.user, form.service_data(), today=today))
            if saved.ok:
                report = saved.value
                return _after_save(request, report)
            status = saved.status
    else:
        wanted = ReportForm.parse_period(f"{request.GET.get('year', '')}-{request.GET.get('quarter', '')}")
        existing = next((r for r in reports if r.period == wanted), None)
        if existing is not None:  # a link to a quarter already written leads to its report
            return redirect(
                "ambassadors:report_edit" if existing.state == "draft" else "ambassadors:report", pk=existing.pk
            )
        initial: dict[str, Any] = dict.fromkeys(COUNT_FIELDS, 0)
        if wanted in quarters:
            initial["period"] = ReportForm.period_code(wanted)
        form = ReportForm(initial=initial, goals=_goals(ambassador), quarters=quarters)
    context = {"ambassador": ambassador, "form": form, "quarters": quarters, "report": None}
    return render_page(request, "ambassadors/report_form.html", context, status=status)


@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report(request, pk, CHANGE_REPORT)
    if report.state != AmbassadorReportState.DRAFT:
        messages.info(request, _("The report has been submitted and cannot be changed."))
        return redirect("ambassadors:report", pk=report.pk)
    goals = _goals(report.ambassador)
    status = 200
    if request.method == "POST":
        form = ReportForm(request.POST, goals=goals)
        if form.is_valid():
            saved = save_form(form, lambda: services.update_report(report.pk, request.user, form.service_data()))
            if saved.ok:
                return _after_save(request, report)
            status = saved.status
    else:
        form = ReportForm(initial=ReportForm.initial_from(report), goals=goals)
    context = {"ambassador": report.ambassador, "form": form, "report": report}
    return render_page(request, "ambassadors/report_form.html", context, status=status)


# Reading ----------------------------------------------------------------------------------------


def people_of(contribution: Any) -> str:
    return people(contribution.value) if contribution is not None else ""


def _report_context(request: HttpRequest, report: AmbassadorReport) -> dict[str, Any]:
    labels = {name: AmbassadorReport._meta.get_field(name).verbose_name for name in COUNT_FIELDS}
    contributions = {c.goal_id: c for c in report.contributions.all()}
    goals = list(_goals(report.ambassador))
    user = request.user
    draft = report.state == AmbassadorReportState.DRAFT
    submitted = report.state == AmbassadorReportState.SUBMITTED
    return {
        "report": report,
        "ambassador": report.ambassador,
        "application": report.ambassador.grant.application,
        "counts": [(labels[name], getattr(report, name)) for name in COUNT_FIELDS],
        "contributions": [
            (goal, ReportForm.unit_of(goal), contributions.get(goal.pk), people_of(contributions.get(goal.pk)))
            for goal in goals
            if goal.takes_contributions
        ],
        "entries": report.transitions.select_related("by").order_by("at", "id"),
        "state_labels": STATE_LABELS,
        "badges": STATE_BADGES,
        "can_edit": draft and user.has_perm(CHANGE_REPORT, report),
        "can_submit": draft and user.has_perm(SUBMIT_REPORT, report),
        "decisions": list(DECISIONS.items()) if submitted and user.has_perm(ACKNOWLEDGE_REPORT, report) else [],
    }


@login_required
@require_safe
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report(request, pk)
    return render_page(request, "ambassadors/report_detail.html", _report_context(request, report))


# Submitting -------------------------------------------------------------------------------------


@login_required
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report(request, pk, SUBMIT_REPORT)
    context = {
        **_report_context(request, report),
        "breadcrumbs": "ambassadors/_breadcrumbs.html",
        "summary": "ambassadors/report/_summary.html",
        "action": reverse("ambassadors:report_submit", args=(report.pk,)),
        "lead": f"{report.period} · {report.ambassador.grant.application.title} · "
        f"{report.ambassador.municipality.name}",
        "confirm_text": _(
            "Submit the report for %(quarter)s to SIRI? SIRI reads it and acknowledges it or returns it to "
            "you; until then you cannot change it."
        )
        % {"quarter": report.period},
    }
    return submit_page(
        request,
        report,
        services.submit_report,
        context=context,
        edit_url=reverse("ambassadors:report_edit", kwargs={"pk": report.pk}),
        done_url=reverse("ambassadors:report", kwargs={"pk": report.pk}),
        anchors=ANCHORS,
    )


# SIRI's decisions -------------------------------------------------------------------------------


DECISIONS: dict[str, Decision] = {
    "acknowledge": Decision(
        transition="acknowledge",
        form=ConfirmForm,
        run=lambda report, user, data: services.acknowledge_report(report.pk, user),
        heading=gettext_lazy("Acknowledge the report"),
        link=gettext_lazy("Acknowledge"),
        question=gettext_lazy("Acknowledge the report for %(quarter)s from %(ambassador)s, %(municipality)s?"),
        confirm=gettext_lazy("Yes, acknowledge"),
        done=gettext_lazy("The report for %(quarter)s from %(ambassador)s is acknowledged."),
    ),
    "return": return_decision(
        services.return_report,
        ReasonForm,
        question=gettext_lazy(
            "Return the report for %(quarter)s to %(ambassador)s, %(municipality)s? It becomes a draft "
            "again, and the ambassador will see your reason."
        ),
        done=gettext_lazy("The report for %(quarter)s was returned to %(ambassador)s."),
    ),
}


def _facts(report: AmbassadorReport) -> dict[str, Any]:
    return {
        "quarter": report.period,
        "ambassador": report.ambassador,
        "municipality": report.ambassador.municipality.name,
    }


@login_required
def report_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    spec = DECISIONS.get(decision)
    if spec is None:
        raise Http404
    report = get_report(request, pk, ACKNOWLEDGE_REPORT)
    here = reverse("ambassadors:report", kwargs={"pk": report.pk})
    context: dict[str, Any] = {
        "report": report,
        "ambassador": report.ambassador,
        "badges": STATE_BADGES,
        "breadcrumbs": "ambassadors/report/_breadcrumbs_report.html",
        "facts": "ambassadors/report/_decide_facts.html",
        "back_label": _("Back to the report"),
    }
    return decision_page(request, report, spec, context=context, facts=lambda _data: _facts(report), done_url=here)
