"""SIRI's back office for the ambassador network. Every admin asks the same `rules` permissions."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from rules.contrib.admin import ObjectPermissionsModelAdmin

from core.admin import ReadOnlyAdmin, ReadOnlyInline

from . import models as m
from .search import refresh_vectors


@admin.register(m.Ambassador)
class AmbassadorAdmin(ObjectPermissionsModelAdmin):
    list_display = ["__str__", "municipality", "grant", "started_on", "active"]
    list_filter = ["active", "municipality"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "email"]
    raw_id_fields = ["user", "grant"]


class ContributionInline(ReadOnlyInline):
    model = m.GoalContribution


@admin.register(m.AmbassadorReport)
class AmbassadorReportAdmin(ReadOnlyAdmin):
    list_display = ["ambassador", "year", "quarter", "state", "first_submitted_at"]
    list_filter = ["state", "year", "quarter"]
    search_fields = ["ambassador__user__username", "narrative", "best_practices"]
    inlines = [ContributionInline]

    def get_queryset(self, request: Any) -> Any:
        # SIRI reads what was handed in; a draft is the ambassador's own.
        return super().get_queryset(request).handed_in()


class AttendanceInline(admin.TabularInline):
    model = m.Attendance
    extra = 0


@admin.register(m.NetworkMeeting)
class NetworkMeetingAdmin(ObjectPermissionsModelAdmin):
    list_display = ["held_on", "place"]
    search_fields = ["place", "agenda", "minutes"]
    inlines = [AttendanceInline]


class PracticeContactInline(admin.TabularInline):
    model = m.PracticeContact
    extra = 0


class PracticeAttachmentInline(ReadOnlyInline):
    # Read-only: a file comes in through the entry's page, whose checks the admin would skip.
    model = m.PracticeAttachment
    fields = readonly_fields = ["name", "size", "description", "uploaded_by", "uploaded_at"]


@admin.register(m.BestPractice)
class BestPracticeAdmin(ObjectPermissionsModelAdmin):
    list_display = ["title", "municipality", "theme", "state"]
    list_filter = ["state", "theme", "municipality"]
    search_fields = ["title", "summary", "contacts__name", "source"]
    filter_horizontal = ["municipalities"]
    inlines = [PracticeContactInline, PracticeAttachmentInline]

    def save_model(self, request: Any, obj: m.BestPractice, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        refresh_vectors(m.BestPractice.objects.filter(pk=obj.pk))  # the search must see the edit
