"""SIRI's back office. Every admin asks the same `rules` permissions as the API and pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from rules.contrib.admin import ObjectPermissionsModelAdmin

from core import admin as core_admin
from core.admin import LogInline, read_only

from . import models as m
from . import services
from .forms.pools import PoolForm


class CriterionInline(admin.TabularInline):
    """Criteria are fixed once reviewers have scored against them."""

    model = m.Criterion
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
    inlines = [CriterionInline]

    def save_model(self, request: Any, obj: m.Pool, form: PoolForm, change: bool) -> None:
        # Written by the service, as the pages and the API write it; the criteria inline then
        # saves its rows against `obj`, which becomes the saved pool.
        saved = services.save_pool(request.user, form.pool_values(), pool_id=obj.pk if change else None)
        obj.pk = saved.pk
        obj._state.adding = False
        obj._state.db = saved._state.db


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
    list_display = ["application", "reviewer", "recommendation", "conflict_of_interest", "created_at"]
    list_filter = ["recommendation", "conflict_of_interest", "application__pool"]
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
