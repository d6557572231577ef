"""SIRI's back office for monitoring: reads what the municipalities handed in (the follow-ups after
the end too); the pool admin
enters the national KPI averages. Every admin asks the same `rules` permissions as the API."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from rules.contrib.admin import ObjectPermissionsModelAdmin

from applications.admin import ReadOnlyAdmin
from core.admin import ReadOnlyInline, read_only

from . import models as m
from . import services


class ExpectedInline(ReadOnlyInline):
    model = m.ExpectedValue


@admin.register(m.Milestone)
class MilestoneAdmin(ReadOnlyAdmin):
    application_path = "grant__application"
    list_display = ["grant", "year", "quarter", "report_due_on"]
    list_filter = ["year", "quarter", "grant__application__pool"]
    search_fields = ["grant__application__journal_number", "grant__application__title"]
    inlines = [ExpectedInline]


@admin.register(m.MilestoneChange)
class MilestoneChangeAdmin(ReadOnlyAdmin):
    application_path = "milestone__grant__application"
    list_display = ["at", "milestone", "goal", "field", "old", "new", "by"]
    search_fields = ["milestone__grant__application__journal_number", "by__username"]


@admin.register(m.QuarterlyReport)
class QuarterlyReportAdmin(ReadOnlyAdmin):
    application_path = "grant__application"
    list_display = ["grant", "year", "quarter", "state", "first_submitted_at"]
    list_filter = ["state", "year", "quarter", "grant__application__pool"]
    search_fields = ["grant__application__journal_number", "grant__application__title", "narrative"]
    inlines = [read_only(model) for model in (m.GoalProgress, m.FipScore, m.Outcome)]

    def get_queryset(self, request: Any) -> Any:
        # SIRI reads what was handed in; a municipality's draft is its own.
        return super().get_queryset(request).handed_in()


@admin.register(m.ReportLog)
class ReportLogAdmin(ReadOnlyAdmin):
    application_path = "report__grant__application"
    list_display = ["at", "report", "transition", "source", "target", "by"]
    list_filter = ["transition", "target"]
    search_fields = ["report__grant__application__journal_number", "by__username", "reason"]


@admin.register(m.Notification)
class NotificationAdmin(ReadOnlyAdmin):
    application_path = "milestone__grant__application"
    list_display = ["sent_at", "kind", "subject", "recipients"]
    list_filter = ["kind"]
    search_fields = ["subject", "recipients", "key"]


@admin.register(m.FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    # Recorded by the municipality through its page or the API (monitoring.followups), read here.
    application_path = "grant__application"
    list_display = ["grant", "point", "completed", "in_work_or_education", "submitted_at", "submitted_by"]
    list_filter = ["point", "grant__application__pool"]
    list_select_related = ["grant__application", "submitted_by"]
    search_fields = ["grant__application__journal_number", "grant__application__title"]


@admin.register(m.NationalKpi)
class NationalKpiAdmin(ObjectPermissionsModelAdmin):
    list_display = ["year", "quarter", "self_supporting_share", "job_ready_share", "company_activation_share"]
    list_filter = ["year"]
    fields = ["year", "quarter", *m.KPI_FIELDS]

    def save_model(self, request: Any, obj: m.NationalKpi, form: Any, change: bool) -> None:
        # Through the service, as the API does: one set of checks, and who entered it.
        saved = services.set_national_kpi(
            request.user, obj.year, obj.quarter, {n: getattr(obj, n) for n in m.KPI_FIELDS}
        )
        obj.pk = saved.pk
