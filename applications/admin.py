"""SIRI's back office. Every admin asks the same `rules` permissions as the API and pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from rules.contrib.admin import ObjectPermissionsModelAdmin

from core import admin as core_admin
from core.admin import ChangeLogInline, LogInline, read_only

from . import models as m
from . import services
from .forms.pools import PoolForm


class CriterionFormSet(BaseInlineFormSet):
    """The criteria as the pool will have them, asked of `services.pool_problems` as the pages
    ask it, so that the service's save cannot refuse what the admin let through."""

    def kept(self) -> list[dict[str, Any]]:
        """The rows kept, in the order of their position (call when the rows are valid)."""
        rows = [
            (form.cleaned_data.get("position") or 0, index, form.cleaned_data)
            for index, form in enumerate(self.forms)
            if form.cleaned_data and not self._should_delete_form(form)
        ]
        return [{"name": data["name"], "weight": data["weight"]} for _p, _i, data in sorted(rows, key=lambda r: r[:2])]

    def clean(self) -> None:
        super().clean()
        if not self.has_changed() or any(form.errors for form in self.forms):
            return
        current = self.instance if self.instance.pk else None
        problems = services.pool_problems({"criteria": self.kept()}, current).get("criteria")
        if problems:
            raise ValidationError(problems)


class CriterionInline(admin.TabularInline):
    """Criteria are fixed once reviewers have scored against them."""

    model = m.Criterion
    formset = CriterionFormSet
    extra = 0

    def _scored(self, obj: Any) -> bool:
        return obj is not None and m.Review.objects.filter(application__pool=obj).exists()

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return not self._scored(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return not self._scored(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return not self._scored(obj) and super().has_delete_permission(request, obj)


@admin.register(m.Pool)
class PoolAdmin(ObjectPermissionsModelAdmin):
    form = PoolForm  # the pool pages' form: one set of checks (services.pool_problems) for both

    list_display = ["name", "opens_on", "closes_on", "total_budget", "max_grant", "requires_political_approval"]
    list_filter = ["requires_political_approval", "opens_on"]
    search_fields = ["name", "description", "legal_basis"]
    inlines = [CriterionInline, ChangeLogInline]

    def save_model(self, request: Any, obj: m.Pool, form: PoolForm, change: bool) -> None:
        """Nothing yet: `save_related` writes the pool with its criteria, in one call."""

    def save_related(self, request: Any, form: PoolForm, formsets: list[Any], change: bool) -> None:
        # Written by the service, as the pages and the API write it, fields and criteria in one
        # call: one edit is one change in the pool's log. The criteria inline only parses.
        values = form.pool_values()
        others = []
        for formset in formsets:
            if formset.model is m.Criterion:
                formset.save(commit=False)  # lists what changed for the admin's history; writes nothing
                if formset.has_changed():
                    values["criteria"] = formset.kept()
            else:
                others.append(formset)
        obj = form.instance
        saved = services.save_pool(request.user, values, pool_id=obj.pk if change else None)
        obj.pk = saved.pk
        obj._state.adding = False
        obj._state.db = saved._state.db
        for formset in others:  # the read-only change log: nothing to write
            self.save_formset(request, form, formset, change)


@admin.register(m.Municipality)
class MunicipalityAdmin(ObjectPermissionsModelAdmin):
    list_display = ["code", "name", "region", "cvr"]
    list_filter = ["region"]
    search_fields = ["code", "name", "cvr"]


@admin.register(m.Profile)
class ProfileAdmin(ObjectPermissionsModelAdmin):
    list_display = ["user", "role"]
    list_filter = ["role", "municipalities"]
    search_fields = ["user__username", "user__email"]
    filter_horizontal = ["municipalities"]


@admin.register(m.Application)
class ApplicationAdmin(core_admin.ReadOnlyAdmin):
    """Read-only for SIRI: states change only through the services, and a reviewer never edits
    an applicant's text."""

    list_display = ["journal_number", "title", "lead_municipality", "pool", "state", "submitted_at"]
    list_filter = ["state", "pool", "lead_municipality__region", "lead_municipality"]
    search_fields = ["journal_number", "title", "lead_municipality__name", "cvr"]
    list_select_related = ["lead_municipality", "pool"]
    inlines = [
        *(read_only(model) for model in (m.TargetGroup, m.Goal, m.BudgetLine, m.PoliticalApproval)),
        read_only(m.TransitionLog, LogInline),
        ChangeLogInline,
    ]

    def get_queryset(self, request: Any) -> Any:
        return m.Application.objects.visible_to(request.user)

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        return [f.name for f in self.model._meta.fields] + ["partner_municipalities"]


class ReadOnlyAdmin(core_admin.ReadOnlyAdmin):
    """Lists of what belongs to applications, limited to the applications the user may see."""

    application_path = "application"

    def get_queryset(self, request: Any) -> Any:
        visible = m.Application.objects.visible_to(request.user).values("pk")
        return super().get_queryset(request).filter(**{f"{self.application_path}__in": visible})


@admin.register(m.Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["application", "reviewer", "recommendation", "amount", "conflict_of_interest", "created_at"]
    list_filter = ["recommendation", "conflict_of_interest", "application__pool"]
    search_fields = ["application__journal_number", "application__title", "reviewer__username"]


@admin.register(m.Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    application_path = "review__application"
    list_display = ["review", "criterion", "score"]
    search_fields = ["review__application__journal_number", "review__application__title", "criterion__name"]


@admin.register(m.Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    # Read-only: assigning goes through services.assign (the pool admin's page and the API), which
    # checks conflicts and the pool's number of reviewers and logs it.
    list_display = ["application", "reviewer", "assigned_by", "assigned_at"]
    list_filter = ["application__pool"]
    search_fields = ["application__journal_number", "application__title", "reviewer__username"]


@admin.register(m.Grant)
class GrantAdmin(ReadOnlyAdmin):
    list_display = ["application", "amount", "start_date", "end_date", "state", "granted_at"]
    list_filter = ["state", "application__pool"]
    search_fields = ["application__journal_number", "application__title"]


@admin.register(m.TransitionLog)
class TransitionLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "application", "transition", "source", "target", "by"]
    list_filter = ["transition", "target"]
    search_fields = ["application__journal_number", "application__title", "by__username", "reason"]


@admin.register(m.PoliticalApproval)
class PoliticalApprovalAdmin(ReadOnlyAdmin):
    list_display = ["application", "municipality", "status", "decided_on", "body"]
    list_filter = ["status"]
    search_fields = ["application__journal_number", "municipality__name", "reference"]


@admin.register(m.TargetGroup)
class TargetGroupAdmin(ReadOnlyAdmin):
    list_display = ["name", "size", "application"]
    search_fields = ["name", "application__title"]


@admin.register(m.Goal)
class GoalAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "target_value", "cumulative", "ramp_quarters", "cohort_months", "application"]
    list_filter = ["kind", "cumulative"]
    search_fields = ["title", "application__title"]


@admin.register(m.BudgetLine)
class BudgetLineAdmin(ReadOnlyAdmin):
    list_display = ["application", "year", "category", "amount", "fte"]
    list_filter = ["category", "year"]
    search_fields = ["application__title", "application__journal_number"]
