"""The municipality's projects, a project's page with its charts, milestones and reports, the
milestone form, and SIRI's way in to monitoring. The figures all come from
`progress.read_project`; nothing shown here is computed twice."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from applications.models import Goal, Grant, Pool
from core.forms import show_number
from core.tables import Column, columns
from core.views import query_string, render_page, require_perm, save_form

from .. import economics, followups, services, summary
from ..extensions import GoalNote, goal_notes, owed_days_late, project_panels
from ..forms import FollowUpForm, MilestoneForm, RampForm
from ..models import (
    FollowUp,
    FollowUpPoint,
    Milestone,
    MilestoneChange,
    QuarterlyReport,
    ReportState,
    due_date,
    point_date,
    takes_follow_ups,
)
from ..progress import ProjectReading, read_project
from ..quarters import Quarter, quarters_between
from .charts import Chart, goal_chart
from .common import (
    ADD_REPORT,
    CHANGE_MILESTONE,
    CHANGE_REPORT,
    VIEW_DASHBOARD,
    VIEW_REPORT,
    get_grant,
)

ACTIONS = Column(gettext_lazy("Actions"), hidden=True)
PROJECT_COLUMNS = columns(
    gettext_lazy("Project"),
    gettext_lazy("Period"),
    Column(gettext_lazy("Granted"), numeric=True),
    gettext_lazy("Risk"),
    gettext_lazy("Next report due"),
    gettext_lazy("Late reports"),
    ACTIONS,
)
# The milestones' table has a column per goal between these.
MILESTONE_COLUMNS_BEFORE = columns(gettext_lazy("Quarter"), gettext_lazy("Report due"))
MILESTONE_COLUMNS_AFTER = columns(gettext_lazy("Planned activities"), gettext_lazy("Report"))
PROJECTS_PAGE_SIZE = 50
WAITING_PAGE_SIZE = 50
WAITING_COLUMNS = columns(
    gettext_lazy("Project"), gettext_lazy("Municipality"), gettext_lazy("Quarter"), gettext_lazy("Submitted")
)


def open_quarters(grant: Grant, taken: Iterable[Quarter], today: datetime.date) -> list[Quarter]:
    """The quarters a new report can be written for: begun, in the period, without a report
    (`taken`: the quarters that have one)."""
    had = set(taken)
    return [q for q in quarters_between(grant.start_date, grant.end_date) if q.start <= today and q not in had]


# The municipality's projects ------------------------------------------------------------------


@dataclass
class ProjectRow:
    reading: ProjectReading
    next_due: Milestone | None
    late: list[tuple[Milestone, int]]
    can_report: bool


def _next_due_pk(today: datetime.date) -> Subquery:
    """The grant's first milestone, due today or later, whose report has not been handed in."""
    owed = Milestone.objects.owed().filter(grant=OuterRef("pk"), report_due_on__gte=today)
    return Subquery(owed.order_by("year", "quarter").values("pk")[:1])


def _taken_quarters(grants: list[Grant]) -> dict[int, set[Quarter]]:
    """The quarters each grant has a report for (their periods alone, not the reports)."""
    taken: dict[int, set[Quarter]] = {grant.pk: set() for grant in grants}
    if grants:
        rows = QuarterlyReport.objects.filter(grant__in=grants).values_list("grant_id", "year", "quarter")
        for grant_id, year, quarter in rows:
            taken[grant_id].add(Quarter(year, quarter))
    return taken


@require_perm("applications.view_own_applications")
@require_safe
def project_list(request: HttpRequest) -> HttpResponse:
    """The projects a page at a time, each as its progress summary (summary.py) and today's late
    milestones tell it: a municipality with many projects reads no reports, only its page's
    summaries, late and next milestones, in a fixed number of queries."""
    today = timezone.localdate()
    grants = (
        Grant.objects.visible_to(request.user)
        .select_related("application__lead_municipality")
        .only(*summary.GRANT_FIELDS)
        .annotate(
            has_milestones=Exists(Milestone.objects.filter(grant=OuterRef("pk"))),
            next_due_pk=_next_due_pk(today),
        )
        .order_by("start_date", "pk")
    )
    page = Paginator(grants, PROJECTS_PAGE_SIZE).get_page(request.GET.get("page"))
    shown: list[Grant] = list(page.object_list)
    on_page = Grant.objects.filter(pk__in=[grant.pk for grant in shown])
    stored = summary.current(on_page, shown, today)
    late = summary.late_milestones(on_page, today)
    owed_days = owed_days_late(on_page, today)
    due = Milestone.objects.only("year", "quarter", "report_due_on").in_bulk(
        [grant.next_due_pk for grant in shown if grant.next_due_pk is not None]
    )
    writable = [grant for grant in shown if request.user.has_perm(ADD_REPORT, grant)]
    taken = _taken_quarters(writable)
    rows = []
    for grant in shown:
        owed = late.get(grant.pk, [])
        rows.append(
            ProjectRow(
                reading=summary.reading_of(
                    grant, stored[grant.pk], today, owed, grant.has_milestones, owed_days=owed_days.get(grant.pk, 0)
                ),
                next_due=due.get(grant.next_due_pk),
                late=[(m, (today - m.report_due_on).days) for m in owed],
                can_report=grant.pk in taken and bool(open_quarters(grant, taken[grant.pk], today)),
            )
        )
    context = {
        "rows": rows,
        "columns": PROJECT_COLUMNS,
        "today": today,
        "page": page,
        "page_query": query_string(request.GET, page=None),
    }
    return render_page(request, "monitoring/projects.html", context)


# A project's page -------------------------------------------------------------------------------


@dataclass
class MilestoneRow:
    milestone: Milestone
    expected: list[Decimal | None]
    report: QuarterlyReport | None  # only when the user may see it
    status: str  # draft / submitted / accepted / late / awaiting / upcoming
    can_edit: bool


@dataclass
class ChangeRow:
    change: MilestoneChange
    what: str
    old: str
    new: str


def _milestone_status(milestone: Milestone, report: QuarterlyReport | None, today: datetime.date) -> str:
    if report is not None:
        return report.state
    if milestone.report_due_on < today:
        return "late"
    return "awaiting" if milestone.period.start <= today else "upcoming"


def _shown(value: str) -> str:
    try:
        return show_number(Decimal(value)) if value else "–"
    except InvalidOperation:
        return value


def _change_rows(grant: Grant) -> list[ChangeRow]:
    changes = (
        MilestoneChange.objects.filter(milestone__grant=grant)
        .select_related("milestone", "goal", "by")
        .order_by("-at", "-id")
    )
    rows = []
    for change in changes:
        if change.field == "expected":
            title = change.goal.title if change.goal else "–"
            rows.append(
                ChangeRow(
                    change, _("Expected for “%(goal)s”") % {"goal": title}, _shown(change.old), _shown(change.new)
                )
            )
        elif change.field == "ramp_quarters":
            title = change.goal.title if change.goal else "–"
            what = _("Ramp-up of “%(goal)s” (quarters)") % {"goal": title}
            rows.append(ChangeRow(change, what, change.old, change.new))
        else:
            rows.append(ChangeRow(change, _("Planned activities"), change.old or "–", change.new or "–"))
    return rows


def _goal_name(goal: Goal) -> str:
    """A goal's title with its target group, where it belongs to one: "Kvinder i job (kvinderne)"."""
    return f"{goal.title} ({goal.target_group.name})" if goal.target_group else goal.title


@login_required
@require_safe
def project(request: HttpRequest, grant_pk: int) -> HttpResponse:
    grant = get_grant(request, grant_pk, reading=True)
    today = timezone.localdate()
    reading = read_project(grant, today)
    goals: list[Goal] = list(grant.application.goals.all())
    reports = list(grant.reports.all())
    for report in reports:
        report.grant = grant  # the rules read report.grant.application
    visible = {r.period: r for r in reports if request.user.has_perm(VIEW_REPORT, r)}
    editable = request.user.has_perm(CHANGE_MILESTONE, grant) and services.milestones_editable(grant)
    milestones = []
    for milestone in grant.milestones.all():
        expected = {value.goal_id: value.value for value in milestone.expected.all()}
        report = visible.get(milestone.period)
        milestones.append(
            MilestoneRow(
                milestone=milestone,
                expected=[expected.get(goal.pk) for goal in goals],
                report=report,
                status=_milestone_status(milestone, report, today),
                can_edit=editable,
            )
        )
    # The follow-up after the end: one query for both points, whatever else the page shows.
    follow_ups = list(FollowUp.objects.filter(grant=grant))
    notes = goal_notes(grant)
    charts: list[tuple[Any, Chart, list[GoalNote]]] = [
        (goal_reading, goal_chart(goal_reading), notes.get(goal_reading.goal.pk, [])) for goal_reading in reading.goals
    ]
    context = {
        "grant": grant,
        "application": grant.application,
        "reading": reading,
        "charts": charts,
        "goals": goals,
        "milestones": milestones,
        "milestone_columns": [
            *MILESTONE_COLUMNS_BEFORE,
            *(Column(_("Expected: %(goal)s") % {"goal": _goal_name(goal)}, numeric=True) for goal in goals),
            *MILESTONE_COLUMNS_AFTER,
            *([ACTIONS] if editable else []),
        ],
        "reports": sorted(visible.values(), key=lambda r: r.period, reverse=True),
        "can_change_report": request.user.has_perm(CHANGE_REPORT, grant),
        "can_add_report": request.user.has_perm(ADD_REPORT, grant)
        and bool(open_quarters(grant, (r.period for r in reports), today)),
        "milestones_editable": editable,
        "follow_ups": follow_ups,  # for the illustrative notes, asked with the others in one query
        "follow_up_rows": followups.follow_up_rows(grant, follow_ups, today),
        "can_record_follow_up": request.user.has_perm(followups.ADD_FOLLOW_UP, grant) and takes_follow_ups(grant),
        "has_level_goals": any(goal.is_level for goal in goals),
        "changes": _change_rows(grant),
        "today": today,
        # The economics after the Gribskov model (monitoring/economics.py, economics/_section.html).
        "economics": economics.read_economics(grant, reading.outcomes),
        "can_change_economics": economics.may_change(request.user, grant),
        "panels": project_panels(request, grant),
    }
    return render_page(request, "monitoring/project.html", context)


# Editing a milestone ---------------------------------------------------------------------------


@login_required
def milestone_edit(request: HttpRequest, grant_pk: int, milestone_pk: int) -> HttpResponse:
    grant = get_grant(request, grant_pk, CHANGE_MILESTONE)
    milestone = get_object_or_404(Milestone.objects.prefetch_related("expected"), grant=grant, pk=milestone_pk)
    goals = list(grant.application.goals.order_by("id"))
    context: dict[str, Any] = {"grant": grant, "application": grant.application, "milestone": milestone}
    if not services.milestones_editable(grant):
        blocked = _("The milestones cannot change once the first report has been handed in.")
        return render_page(request, "monitoring/milestone_edit.html", {**context, "blocked": blocked}, status=409)
    status = 200
    if request.method == "POST":
        form = MilestoneForm(request.POST, goals=goals)
        if form.is_valid():
            saved = save_form(form, lambda: services.update_milestone(milestone.pk, request.user, form.service_data()))
            if saved.ok:
                messages.success(request, _("The milestone of %(quarter)s is saved.") % {"quarter": milestone.period})
                return redirect("monitoring:project", grant_pk=grant.pk)
            status = saved.status
    else:
        form = MilestoneForm(initial=MilestoneForm.initial_from(milestone), goals=goals)
    return render_page(request, "monitoring/milestone_edit.html", {**context, "form": form}, status=status)


@login_required
def ramp_edit(request: HttpRequest, grant_pk: int) -> HttpResponse:
    """The ramp-up of the level goals: the whole plan of each goal follows it."""
    grant = get_grant(request, grant_pk, CHANGE_MILESTONE)
    goals = list(grant.application.goals.order_by("id"))
    quarters = grant.milestones.count()
    context: dict[str, Any] = {"grant": grant, "application": grant.application}
    if not services.milestones_editable(grant):
        blocked = _("The milestones cannot change once the first report has been handed in.")
        return render_page(request, "monitoring/ramp_edit.html", {**context, "blocked": blocked}, status=409)
    form = RampForm(request.POST if request.method == "POST" else None, goals=goals, quarters=quarters)
    status = 200
    if request.method == "POST" and form.is_valid():

        def save() -> None:
            with transaction.atomic():  # all of the plan or none of it
                for goal_id, ramp in form.service_data().items():
                    services.set_ramp(grant.pk, goal_id, request.user, ramp)

        saved = save_form(form, save)
        if saved.ok:
            messages.success(request, _("The ramp-up is saved, and the expected values follow it."))
            return redirect("monitoring:project", grant_pk=grant.pk)
        status = saved.status
    return render_page(request, "monitoring/ramp_edit.html", {**context, "form": form}, status=status)


# Recording a follow-up after the end ----------------------------------------------------------


@login_required
def follow_up_create(request: HttpRequest, grant_pk: int, point: str) -> HttpResponse:
    """The follow-up at one point (3 or 12 months after the end), recorded by the lead
    municipality's applicant through the same service as the API; its problems on the form."""
    grant = get_grant(request, grant_pk, followups.ADD_FOLLOW_UP)
    if point not in FollowUpPoint.values:
        raise Http404
    context: dict[str, Any] = {
        "grant": grant,
        "application": grant.application,
        "point": point,
        "point_label": FollowUpPoint(point).label,
        "point_on": point_date(grant, point),
        "due_on": due_date(grant, point),
    }
    status = 200
    if request.method == "POST":
        form = FollowUpForm(request.POST)
        if form.is_valid():
            saved = save_form(
                form, lambda: followups.record_follow_up(grant.pk, request.user, form.service_data(point))
            )
            if saved.ok:
                messages.success(
                    request,
                    _("The follow-up %(point)s is recorded.") % {"point": followups.point_label(point).lower()},
                )
                return redirect(reverse("monitoring:project", args=[grant.pk]) + "#follow-ups")
            status = saved.status
    else:
        form = FollowUpForm()
    return render_page(request, "monitoring/follow_up_form.html", {**context, "form": form}, status=status)


# SIRI's way in ---------------------------------------------------------------------------------


@require_perm(VIEW_DASHBOARD)
@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    """The pools with granted projects, each with a link to its dashboard, and the reports that
    wait for SIRI's decision, a page at a time (a national deployment has ~900 waiting at a
    quarter's deadline), with only the columns the table shows."""
    visible = Grant.objects.visible_to(request.user)
    pools = (
        Pool.objects.filter(applications__award__in=visible)
        .annotate(projects=Count("applications__award", distinct=True))
        .order_by("-opens_on", "name", "id")
    )
    waiting = (
        QuarterlyReport.objects.filter(grant__in=visible, state=ReportState.SUBMITTED)
        .select_related("grant__application__lead_municipality", "grant__application__pool")
        .only(
            "grant_id",
            "year",
            "quarter",
            "submitted_at",
            "grant__application__title",
            "grant__application__journal_number",
            "grant__application__lead_municipality__name",
            "grant__application__pool__name",
        )
        .order_by("submitted_at", "id")
    )
    page = Paginator(waiting, WAITING_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "pools": pools,
        "waiting": page.object_list,
        "page": page,
        "page_query": query_string(request.GET, page=None),
        "columns": WAITING_COLUMNS,
    }
    return render_page(request, "monitoring/overview.html", context)
