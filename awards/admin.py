"""SIRI's back office for the grant administration: it reads grants' terms, payments, change
requests, versions and their logs. Every change goes through the services (the pages and the
API), so these lists only read; they start from what the user may see."""

from __future__ import annotations

from django.contrib import admin

from applications.admin import ReadOnlyAdmin
from core.admin import LogInline, read_only

from . import models as m


@admin.register(m.GrantTerms)
class GrantTermsAdmin(ReadOnlyAdmin):
    application_path = "grant__application"
    list_display = ["grant", "accept_by", "accepted_at", "accepted_by_name", "audit_level", "retention_percent"]
    list_filter = ["audit_level", "grant__state", "grant__application__pool"]
    search_fields = ["grant__application__journal_number", "grant__application__title", "accepted_by_name"]


class PaymentLogInline(LogInline):
    model = m.PaymentLog


@admin.register(m.Payment)
class PaymentAdmin(ReadOnlyAdmin):
    application_path = "grant__application"
    list_display = ["grant", "kind", "year", "quarter", "due_on", "amount", "state", "paid_on"]
    list_filter = ["state", "kind", "grant__application__pool"]
    search_fields = ["grant__application__journal_number", "grant__application__title", "cvr", "held_reason"]
    date_hierarchy = "due_on"
    inlines = [PaymentLogInline]


class ChangeRequestLogInline(LogInline):
    model = m.ChangeRequestLog


@admin.register(m.ChangeRequest)
class ChangeRequestAdmin(ReadOnlyAdmin):
    application_path = "grant__application"
    list_display = ["grant", "kind", "state", "submitted_at", "decided_at"]
    list_filter = ["state", "kind", "grant__application__pool"]
    search_fields = ["grant__application__journal_number", "grant__application__title", "reason"]
    inlines = [ChangeRequestLogInline]


@admin.register(m.GrantVersion)
class GrantVersionAdmin(ReadOnlyAdmin):
    application_path = "grant__application"
    list_display = ["grant", "number", "amount", "start_date", "end_date", "created_at"]
    list_filter = ["grant__application__pool"]
    search_fields = ["grant__application__journal_number", "grant__application__title"]
    inlines = [read_only(m.VersionLine)]


@admin.register(m.AwardLog)
class AwardLogAdmin(ReadOnlyAdmin):
    application_path = "award__application"
    list_display = ["at", "award", "transition", "source", "target", "by"]
    list_filter = ["transition", "target"]
    search_fields = ["award__application__journal_number", "by__username", "reason"]
