"""The application form: a page per step (`forms/steps.py`) of SIRI's sections that saves
itself as the user types (htmx, debounced), with the step indicator over them, the pool's
guidance above each section, rows for target groups, goals and budget lines, political approvals
and attachments; "Tjek dine svar" and submit are the last step (`applicant.submit`). Every
request re-checks permission and state under the row lock
(`services.editing`, which every write of `services` goes through), so nothing is written to an
application that has left draft. The forms here only read what was typed; the services write."""

from __future__ import annotations

import json
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import autosave as saving
from core.errors import DomainError

from .. import services
from ..completeness import completeness_problems
from ..forms import steps
from ..forms.application import ROW_FORMS, SECTIONS, ApplicationForm, AttachmentForm, PoliticalApprovalForm, RowForm
from ..models import Application, FormSection, Municipality, PoliticalApproval, State
from .common import get_application

ROW_KINDS = ("target-groups", "goals", "budget-lines")
_RELATED = {"target-groups": "target_groups", "goals": "goals", "budget-lines": "budget_lines"}
_CHANGE = "applications.change_application"


def _row_forms(application: Application, kind: str) -> list[RowForm]:
    form_class = ROW_FORMS[kind]
    rows = getattr(application, _RELATED[kind]).all()
    extra: dict[str, Any] = {"target_groups": list(application.target_groups.all())} if kind == "goals" else {}
    return [form_class(instance=row, prefix=f"{kind}-{row.pk}", application=application, **extra) for row in rows]


def _new_row_form(application: Application, kind: str, data: Any = None) -> RowForm:
    return ROW_FORMS[kind](data, prefix=f"new-{kind}", application=application)


@login_required
def checklist(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application(request, pk, _CHANGE)
    return render(request, "applications/edit/_checklist.html", _checklist_context(application))


def _checklist_context(application: Application) -> dict[str, Any]:
    """What is still missing before submit, each a link to where it is corrected (its step)."""
    labels = {f.name: f.verbose_name for f in Application._meta.get_fields() if hasattr(f, "verbose_name")}
    labels.update(
        {
            "target_groups": _("Target groups"),
            "goals": _("Goals"),
            "budget_lines": _("Budget"),
            "pool": _("Pool"),
        }
    )
    items = [
        {
            "name": name,
            "label": labels.get(name, name),
            "href": steps.problem_link(application.pk, name),
            "messages": problems,
            "message": " ".join(str(problem) for problem in problems),
        }
        for name, problems in completeness_problems(application).items()
    ]
    return {"application": application, "checklist": items}


def steps_context(application: Application, current: str, checklist: list[dict[str, Any]]) -> dict[str, Any]:
    """The step indicator: every step, the current one and how much each still lacks."""
    problems = {item["name"]: item["messages"] for item in checklist}
    states = steps.step_states(application.pk, current, problems)
    number = next(state.number for state in states if state.current)
    return {"step_nav": states, "step_number": number, "step_count": len(states)}


def _budget_context(application: Application) -> dict[str, Any]:
    per_year: dict[int, dict[str, Decimal]] = defaultdict(lambda: {"amount": Decimal(0), "fte": Decimal(0)})
    for line in application.budget_lines.all():
        per_year[line.year]["amount"] += line.amount
        per_year[line.year]["fte"] += line.fte
    total = sum((year["amount"] for year in per_year.values()), Decimal(0))
    return {
        "budget_years": sorted(per_year.items()),
        "budget_total": total,
        "budget_fte": sum((year["fte"] for year in per_year.values()), Decimal(0)),
        "budget_over_max": total > application.pool.max_grant,
        "application": application,
    }


def approvals_context(request: HttpRequest, application: Application) -> list[dict[str, Any]]:
    """One card per participating municipality: what is on record, and a form for those who act for it."""
    on_record = {a.municipality_id: a for a in application.political_approvals.all()}
    open_for_approval = application.state in (State.DRAFT, State.SUBMITTED)
    cards = []
    for municipality in application.participating_municipalities():
        approval = on_record.get(municipality.pk)
        probe = approval or PoliticalApproval(application=application, municipality=municipality)
        can_record = open_for_approval and request.user.has_perm("applications.record_political_approval", probe)
        form = None
        if can_record:
            initial = (
                {
                    "status": approval.status,
                    "decided_on": approval.decided_on,
                    "body": approval.body,
                    "reference": approval.reference,
                }
                if approval
                else {}
            )
            form = PoliticalApprovalForm(initial=initial, prefix=f"approval-{municipality.pk}")
        cards.append({"municipality": municipality, "approval": approval, "form": form})
    return cards


def _edit_context(
    request: HttpRequest, application: Application, step: steps.Step, form: ApplicationForm | None = None
) -> dict[str, Any]:
    """The page of one step. `form` is the step's form as typed when a plain post (without
    JavaScript) is shown again with its problems; else the stored values."""
    stored = ApplicationForm(instance=application, only=step.fields)
    form = form if form is not None else stored
    guidance = application.pool.guidance or {}
    sections = [
        {
            "code": code,
            "heading": FormSection(code).label,
            "guidance": guidance.get(code, ""),
            "fields": [form[name] for name in names if name in form.fields],
        }
        for code in step.sections
        for names in [next((names for anchor, _h, names in SECTIONS if anchor == code), [])]
    ]
    checklist = _checklist_context(application)["checklist"]
    index = steps.STEPS.index(step)
    context: dict[str, Any] = {
        "application": application,
        "step": step,
        "form": form,
        "bases": stored,  # the form of the stored values, whose tokens the page sends back
        "sections": sections,
        "has_fields": bool(step.fields),
        "previous_url": steps.step_url(application.pk, steps.STEPS[index - 1]) if index else None,
        "next_url": steps.step_url(
            application.pk, steps.STEPS[index + 1] if index + 1 < len(steps.STEPS) else steps.CHECK
        ),
        "checklist": checklist,
        **steps_context(application, step.code, checklist),
    }
    parts = set(step.sections)
    if FormSection.TARGET_GROUP in parts or FormSection.GOALS in parts or FormSection.BUDGET in parts:
        context["rows"] = {kind.replace("-", "_"): _row_forms(application, kind) for kind in ROW_KINDS}
        context["new"] = {kind.replace("-", "_"): _new_row_form(application, kind) for kind in ROW_KINDS}
        context.update(_budget_context(application))
    if FormSection.APPROVAL in parts:
        context["approvals"] = approvals_context(request, application)
    if FormSection.ATTACHMENTS in parts:
        context["attachments"] = application.attachments.all()
        context["attachment_form"] = AttachmentForm()
    if application.organisation and FormSection.ORGANISATION in parts:
        context["organisation_before"] = application.organisation
    return context


def _step(code: str | None) -> steps.Step:
    if code is None:
        return steps.STEPS[0]
    if code not in steps.BY_CODE:
        raise Http404
    return steps.BY_CODE[code]


def _render_step(request: HttpRequest, application: Application, step: steps.Step, **kwargs: Any) -> HttpResponse:
    status = kwargs.pop("status", 200)
    context = _edit_context(request, application, step, kwargs.pop("form", None))
    context.update(kwargs)
    return render(request, "applications/edit/page.html", context, status=status)


@login_required
def edit(request: HttpRequest, pk: int, step: str | None = None) -> HttpResponse:
    application = get_application(request, pk, _CHANGE)
    if application.state != State.DRAFT:
        messages.info(request, _("The application is no longer a draft and cannot be changed."))
        return redirect("applications:detail", pk=pk)
    return _render_step(request, application, _step(step))


def _save_valid_fields(request: HttpRequest, pk: int, only: list[str] | None) -> saving.Merge:
    """Save each field the tab sent that is valid and that nobody else has changed since the tab
    loaded it (core/autosave.py, weighed under the application's lock); an invalid field keeps
    its saved value and shows an error, a field changed by someone else keeps theirs. `only`:
    the fields of the step that posted (a plain post sends all of them, and only them)."""
    post = request.POST
    if only is None and saving.FULL_FORM in post:
        # A whole form that does not say its step: only the fields it holds count as sent, so
        # that a field of another step is never taken as emptied.
        post = post.copy()
        post.pop(saving.FULL_FORM)
    with services.editing(pk, request.user) as locked:
        merge = saving.merge(
            post,
            lambda data: ApplicationForm(data, instance=locked if data is None else saving.detached(locked), only=only),
        )
        problems = services.save_valid_draft_fields(pk, request.user, merge.values)
    form = merge.typed
    for name, errors in problems.items():
        for error in errors:
            form.add_error(name if name in form.fields else None, error)
    return merge


def _saved_event(response: HttpResponse, merge: saving.Merge, stored: Any) -> HttpResponse:
    """Tell the tab which fields are saved now and the new base of each (puljeflow.js)."""
    response["HX-Trigger"] = json.dumps(merge.event(stored))
    return response


@login_required
@require_POST
def autosave(request: HttpRequest, pk: int) -> HttpResponse:
    get_application(request, pk, _CHANGE)
    step = steps.BY_CODE.get(request.GET.get("step", ""))
    try:
        merge = _save_valid_fields(request, pk, step.fields if step else None)
    except DomainError as error:  # no longer a draft: say so, keep what is on screen
        return render(request, "applications/edit/_status.html", {"conflict": error.message}, status=200)
    application = Application.objects.select_related("pool", "lead_municipality").get(pk=pk)
    form = merge.typed
    if not request.htmx:
        step = step or steps.STEPS[0]
        if form.errors or merge.conflicts:
            merge.show_conflicts_on_fields()
            if merge.conflicts:
                form.add_error(None, _("Save again to keep your own text in the fields someone else has changed."))
            return _render_step(request, application, step, form=form, status=400)
        messages.success(request, _("The draft is saved."))
        if request.POST.get("then") == "next":
            return redirect(steps.step_url(pk, steps.following(step)))
        return redirect(steps.step_url(pk, step))
    checklist = _checklist_context(application)["checklist"]
    context = {
        "saved_at": timezone.localtime(),
        "form": form,
        "conflicts": list(merge.conflicts.values()),
        "form_id": "application-form",
        "application": application,
        **steps_context(application, step.code if step else steps.STEPS[0].code, checklist),
    }
    response = render(request, "applications/edit/_status.html", context)
    return _saved_event(response, merge, ApplicationForm(instance=application))


def _row_response(
    request: HttpRequest, application: Application, template: str, context: dict[str, Any]
) -> HttpResponse:
    application = Application.objects.select_related("pool", "lead_municipality").get(pk=application.pk)
    checklist = _checklist_context(application)["checklist"]
    step = steps.step_of(_RELATED[context["kind"]]) or steps.STEPS[0]
    context = {
        **context,
        **_budget_context(application),
        **steps_context(application, step.code, checklist),
        "application": application,
        "saved_at": timezone.localtime(),
    }
    return render(request, template, context)


@login_required
@require_POST
def row_create(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    application = get_application(request, pk, _CHANGE)
    form = _new_row_form(application, kind, request.POST)
    created = None
    if form.is_valid():
        try:
            created = services.save_row(pk, request.user, _RELATED[kind], form.cleaned_data)
        except DomainError as error:
            if error.kind == DomainError.CONFLICT:
                return render(request, "applications/edit/_status.html", {"conflict": error.message})
            form.add_domain_error(error)
        else:
            form = _new_row_form(application, kind)
    if not request.htmx:
        step = steps.step_of(_RELATED[kind]) or steps.STEPS[0]
        if created is None:  # without JavaScript: the step's page, with what was typed and why it failed
            context = _edit_context(request, application, step)
            context["new"][kind.replace("-", "_")] = form
            return render(request, "applications/edit/page.html", context, status=400)
        return redirect(f"{steps.step_url(pk, step)}#{kind}")
    # htmx focuses an [autofocus] element of swapped-in content, so keyboard users stay in place:
    # on the first field in error, or on the empty form ready for the next row.
    first = next((name for name in form.fields if name in form.errors), next(iter(form.fields)))
    form.fields[first].widget.attrs["autofocus"] = True
    row_form = (
        ROW_FORMS[kind](instance=created, prefix=f"{kind}-{created.pk}", application=application) if created else None
    )
    return _row_response(
        request,
        application,
        "applications/edit/_row_created.html",
        {"kind": kind, "new_form": form, "row_form": row_form},
    )


def application_edit_url(pk: int, kind: str | None = None) -> str:
    """The page of the step that holds the rows of `kind` (the first step without one)."""
    step = steps.step_of(_RELATED[kind]) if kind else None
    return steps.step_url(pk, step or steps.STEPS[0])


@login_required
@require_POST
def row_update(request: HttpRequest, pk: int, kind: str, row_pk: int) -> HttpResponse:
    """Save a row's fields as `autosave` saves the form's: each only if nobody else has
    changed it since the tab loaded it."""
    application = get_application(request, pk, _CHANGE)
    get_object_or_404(getattr(application, _RELATED[kind]), pk=row_pk)
    form_class, prefix = ROW_FORMS[kind], f"{kind}-{row_pk}"
    merge = None
    try:
        with services.editing(pk, request.user) as locked:
            row = get_object_or_404(getattr(locked, _RELATED[kind]), pk=row_pk)
            merge = saving.merge(
                request.POST,
                lambda data: form_class(
                    data,
                    instance=row if data is None else saving.detached(row),
                    prefix=prefix,
                    application=locked,
                ),
            )
            if merge.accepted:
                services.save_row(pk, request.user, _RELATED[kind], merge.values, row_id=row_pk)
    except DomainError as error:
        if error.kind == DomainError.CONFLICT or merge is None:
            return render(request, "applications/edit/_status.html", {"conflict": error.message})
        merge.typed.add_domain_error(error)
    if not request.htmx:
        return redirect(f"{application_edit_url(pk, kind)}#{kind}")
    row = getattr(application, _RELATED[kind]).get(pk=row_pk)
    response = _row_response(
        request,
        application,
        "applications/edit/_row_saved.html",
        {"kind": kind, "row_form": merge.typed, "conflicts": list(merge.conflicts.values())},
    )
    return _saved_event(response, merge, form_class(instance=row, prefix=prefix, application=application))


@login_required
@require_POST
def row_delete(request: HttpRequest, pk: int, kind: str, row_pk: int) -> HttpResponse:
    application = get_application(request, pk, _CHANGE)
    try:
        services.delete_row(pk, request.user, _RELATED[kind], row_pk)
    except DomainError as error:
        return render(request, "applications/edit/_status.html", {"conflict": error.message})
    if not request.htmx:
        return redirect(f"{application_edit_url(pk, kind)}#{kind}")
    return _row_response(request, application, "applications/edit/_row_deleted.html", {"kind": kind})


@login_required
@require_POST
def approval(request: HttpRequest, pk: int, municipality_pk: int) -> HttpResponse:
    application = get_application(request, pk)
    municipality = get_object_or_404(Municipality, pk=municipality_pk)
    if not request.user.has_perm("applications.add_politicalapproval", application):
        raise PermissionDenied
    if municipality not in application.participating_municipalities():
        raise Http404  # no card to record it on: only a participating municipality approves
    form = PoliticalApprovalForm(request.POST, prefix=f"approval-{municipality.pk}")
    state_before = application.state
    if form.is_valid():
        try:
            services.record_political_approval(pk, request.user, {"municipality": municipality, **form.cleaned_data})
        except DomainError as error:
            form.add_domain_error(error)
    application = Application.objects.select_related("pool", "lead_municipality").get(pk=pk)
    if not form.errors:
        messages.success(request, _("The political approval of %(name)s is recorded.") % {"name": municipality.name})
    if not request.htmx or (application.state != state_before and not form.errors):
        if application.state == State.DRAFT:
            response = redirect(f"{steps.step_url(pk, steps.step_of('approvals') or steps.STEPS[0])}#approvals")
        else:
            response = redirect("applications:detail", pk=pk)
        if request.htmx:
            response = HttpResponse(headers={"HX-Redirect": response.url})
        return response
    cards = approvals_context(request, application)
    card = next(c for c in cards if c["municipality"].pk == municipality.pk)
    if form.errors:
        card["form"] = form
    return render(request, "applications/edit/_approval.html", {"application": application, "card": card})
