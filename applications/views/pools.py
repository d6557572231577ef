"""Pool administration: the list every logged-in user sees, and the pool admin's create and edit
pages. A pool's rules are checked by `services.pool_problems` through `PoolForm`, under the
same row lock grants take (`services.locked_pool`), and the pool is written by
`services.save_pool`, as the API and the admin do. The edit page lists the pool's earlier
changes (the change log)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from core import changelog
from core.errors import DomainError
from core.tables import Column, columns
from core.views import require_perm

from .. import services
from ..forms.pools import (
    CRITERIA_PREFIX,
    GUIDANCE,
    MAX_CRITERIA,
    POOL_FIELDS,
    BaseCriterionFormSet,
    PoolForm,
    criterion_formset,
)
from ..models import Criterion, Pool, Review

# The window's status, keyed on dates; label and dkfds badge per status.
STATUS = {
    "upcoming": (gettext_lazy("Not open yet"), "badge badge-info"),
    "open": (gettext_lazy("Open"), "badge badge-success"),
    "closed": (gettext_lazy("Closed"), "badge"),
}
# The list's table; the criteria and the actions column only for those who see them. The actions
# follow the pool's name, so that they are on screen at every width (the criteria make it wide).
POOL_COLUMN = Column(gettext_lazy("Pool"))
POOL_COLUMNS = columns(
    gettext_lazy("Application window"),
    Column(gettext_lazy("Maximum grant"), numeric=True),
    Column(gettext_lazy("Total budget"), numeric=True),
    Column(gettext_lazy("Granted so far"), numeric=True),
    Column(gettext_lazy("Remaining"), numeric=True),
)
CRITERIA_COLUMN = Column(gettext_lazy("Criteria (weight)"))
ACTIONS_COLUMN = Column(gettext_lazy("Actions"))
EXTRA_ROWS_NEW = 3
EXTRA_ROWS_EDIT = 2


def _status(pool: Pool, today: datetime.date) -> str:
    if today < pool.opens_on:
        return "upcoming"
    return "open" if pool.is_open_on(today) else "closed"


@require_perm("applications.view_pool")
@require_safe
def pool_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    show_criteria = user.has_perm("applications.view_criterion")
    pools = Pool.objects.with_totals().order_by("-opens_on", "name", "id")
    if show_criteria:
        pools = pools.prefetch_related(Prefetch("criteria", queryset=Criterion.objects.order_by("position", "id")))
    today = timezone.localdate()
    rows = []
    for pool in pools:
        status = _status(pool, today)
        label, badge = STATUS[status]
        rows.append({"pool": pool, "is_open": status == "open", "status_label": label, "badge": badge})
    can_change = user.has_perm("applications.change_pool")
    can_apply = user.has_perm("applications.add_application")
    # Asked only when there is a table to show it in, as the page did before.
    show_actions = bool(rows) and (
        can_change
        or can_apply
        or user.has_perm("monitoring.view_pool_dashboard")
        or user.has_perm("applications.view_ranking")
    )
    context = {
        "rows": rows,
        "pools": [row["pool"] for row in rows],
        "columns": [
            POOL_COLUMN,
            *([ACTIONS_COLUMN] if show_actions else []),
            *POOL_COLUMNS,
            *([CRITERIA_COLUMN] if show_criteria else []),
        ],
        "show_criteria": show_criteria,
        "show_actions": show_actions,
        "can_add": user.has_perm("applications.add_pool"),
        "can_change": can_change,
        "can_apply": can_apply,
    }
    return render(request, "applications/pools/list.html", context)


@require_perm("applications.add_pool")
def pool_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and "add_row" in request.POST:
        form, formset = _with_another_row(request.POST, Pool())
    elif request.method == "POST":
        formset = criterion_formset(request.POST)
        form = PoolForm(request.POST, criteria_formset=formset)
        if _valid(form, formset):
            try:
                pool = services.save_pool(request.user, form.pool_values())
            except DomainError as error:
                form.add_pool_problems(error)
            else:
                messages.success(request, _("The pool “%(name)s” was created.") % {"name": pool.name})
                return redirect("applications:pools")
    else:
        formset = criterion_formset(extra=EXTRA_ROWS_NEW)
        form = PoolForm(criteria_formset=formset)
    return _render_form(request, form, formset, pool=None, scored=False)


@require_perm("applications.change_pool")
def pool_edit(request: HttpRequest, pool_pk: int) -> HttpResponse:
    # Read with its totals for the budget summary; the form works on the locked row below, so
    # the summary keeps showing what is stored when the new values are refused.
    pool = get_object_or_404(Pool.objects.with_totals(), pk=pool_pk)
    scored = Review.objects.filter(application__pool=pool).exists()
    if request.method == "POST" and "add_row" in request.POST:
        form, formset = _with_another_row(request.POST, pool)
    elif request.method == "POST":
        formset = criterion_formset(request.POST)
        with services.locked_pool(pool.pk) as locked:
            form = PoolForm(request.POST, instance=locked, criteria_formset=formset)
            if _valid(form, formset):
                try:
                    saved = services.save_pool(request.user, form.pool_values(), pool_id=pool.pk)
                except DomainError as error:
                    form.add_pool_problems(error)
                else:
                    messages.success(request, _("The pool “%(name)s” was saved.") % {"name": saved.name})
                    return redirect("applications:pools")
    else:
        formset = criterion_formset(pool=pool, extra=0 if scored else EXTRA_ROWS_EDIT)
        form = PoolForm(instance=pool, criteria_formset=formset)
    return _render_form(request, form, formset, pool=pool, scored=scored)


def _valid(form: PoolForm, formset: BaseCriterionFormSet) -> bool:
    # The form validates the formset too and hands it the problems `pool_problems` finds in
    # the criteria list, so both must be asked, form first.
    form_valid = form.is_valid()
    return form_valid and formset.is_valid()


def _with_another_row(data: QueryDict, pool: Pool) -> tuple[PoolForm, BaseCriterionFormSet]:
    """The page again as typed, with one more blank criterion row and nothing validated: a
    keyboard- and script-free way to add a criterion, as the formset cannot grow by itself."""
    initial: dict[str, Any] = {name: data.get(name, "") for name in POOL_FIELDS if name != "guidance"}
    initial.update({name: value for name, value in data.items() if name.startswith(GUIDANCE)})
    initial["requires_political_approval"] = "requires_political_approval" in data
    rows, blanks = [], 0
    try:
        total = min(int(data.get(f"{CRITERIA_PREFIX}-TOTAL_FORMS", 0)), MAX_CRITERIA)
    except ValueError:
        total = 0
    for index in range(total):
        prefix = f"{CRITERIA_PREFIX}-{index}"
        if f"{prefix}-DELETE" in data:
            continue
        name, weight = data.get(f"{prefix}-name", "").strip(), data.get(f"{prefix}-weight", "").strip()
        if name:
            rows.append({"name": name, "weight": weight})
        else:
            blanks += 1
    formset = criterion_formset(initial=rows, extra=min(blanks + 1, max(MAX_CRITERIA - len(rows), 0)))
    new_row = len(rows) + blanks
    if new_row < len(formset.forms):
        formset.forms[new_row].fields["name"].widget.attrs["autofocus"] = True
    form = PoolForm(instance=pool, initial=initial, criteria_formset=formset)
    return form, formset


def _error_summary(form: PoolForm, formset: BaseCriterionFormSet) -> list[Any]:
    """Every problem once, above the form, each naming its field (WCAG 3.3.1)."""
    if not form.is_bound or (form.is_valid() and formset.is_valid()):
        return []
    summary: list[Any] = list(form.non_field_errors())
    for field in form:
        summary.extend(f"{field.label}: {error}" for error in field.errors)
    criteria = _("Criteria")
    summary.extend(f"{criteria}: {error}" for error in formset.non_form_errors())
    for number, row in enumerate(formset.forms, start=1):
        for field in row:
            summary.extend(
                _("Criterion %(number)s, %(field)s: %(error)s")
                % {"number": number, "field": field.label.lower(), "error": error}
                for error in field.errors
            )
    return summary


def _render_form(
    request: HttpRequest, form: PoolForm, formset: BaseCriterionFormSet, pool: Pool | None, scored: bool
) -> HttpResponse:
    context = {
        "form": form,
        "formset": formset,
        "pool": pool,
        "scored": scored,
        "errors": _error_summary(form, formset),
        # What was changed before, by whom (budget, criteria, dates), for those who may see it.
        "changes": changelog.history(pool, request.user, []) if pool is not None else [],
        "fieldsets": [
            (_("The pool"), [form["name"], form["description"], form["legal_basis"]]),
            (_("Money"), [form["total_budget"], form["max_grant"]]),
            (_("Application window"), [form["opens_on"], form["closes_on"]]),
            (_("Project period"), [form["project_start_earliest"], form["project_end_latest"]]),
            (
                _("Approval and reporting"),
                [form["requires_political_approval"], form["reporting_delay_days"]],
            ),
            (_("Review"), [form["reviewers_per_application"], form["concurrence_above"]]),
            (
                _("The terms of the grants"),
                [
                    form[name]
                    for name in (
                        "finance_act_account",
                        "standard_conditions",
                        "appeal_guidance",
                        "acceptance_days",
                        "retention_percent",
                        "payment_grace_days",
                        "variance_explain_percent",
                        "repayment_minimum",
                        "final_report_days",
                        "repayment_days",
                        "audit_registered_above",
                        "audit_performance_above",
                    )
                ],
            ),
            (_("Guidance to the applicants, per section of the application form"), form.guidance_fields()),
        ],
    }
    if scored and not formset.is_bound:
        # Shown as they are, not offered for editing: `pool_problems` refuses any change now.
        for row in formset.forms:
            for name in ("name", "weight"):
                row.fields[name].widget.attrs["readonly"] = True
    return render(request, "applications/pools/form.html", context)
