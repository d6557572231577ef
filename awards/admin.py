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


class FinalReportLogInline(LogInline):
    model = m.FinalReportLog


@admin.register(m.FinalReport)
class FinalReportAdmin(ReadOnlyAdmin):
    application_path = "grant__application"
    list_display = ["grant", "state", "submitted_at", "decided_at"]
    list_filter = ["state", "grant__application__pool"]
    search_fields = ["grant__application__journal_number", "grant__application__title"]
    inlines = [read_only(m.FinalResult), FinalReportLogInline]


class FinalAccountsLogInline(LogInline):
    model = m.FinalAccountsLog


@admin.register(m.FinalAccounts)
class FinalAccountsAdmin(ReadOnlyAdmin):
    application_path = "grant__application"
    list_display = ["grant", "state", "auditor_kind", "approved_spending", "repayment_amount", "submitted_at"]
    list_filter = ["state", "auditor_kind", "grant__application__pool"]
    search_fields = ["grant__application__journal_number", "grant__application__title", "auditor_name"]
    exclude = ["auditor_statement"]  # served only through the permission-checked page
    inlines = [read_only(m.AccountLine), FinalAccountsLogInline]


class RepaymentLogInline(LogInline):
    model = m.RepaymentLog


@admin.register(m.Repayment)
class RepaymentAdmin(ReadOnlyAdmin):
    application_path = "grant__application"
    list_display = ["grant", "amount", "due_on", "state", "paid_on"]
    list_filter = ["state", "grant__application__pool"]
    search_fields = ["grant__application__journal_number", "grant__application__title"]
    date_hierarchy = "due_on"
    inlines = [RepaymentLogInline]
