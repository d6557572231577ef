"""SIRI's back office sees which documents were made, for whom, and why one failed."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from rules.contrib.admin import ObjectPermissionsModelAdmin

from .models import Document


@admin.register(Document)
class DocumentAdmin(ObjectPermissionsModelAdmin):
    list_display = ["created_at", "kind", "filename", "status", "progress", "requested_by"]
    list_filter = ["kind", "status"]
    search_fields = ["filename", "error", "requested_by__username"]
    readonly_fields = [f.name for f in Document._meta.fields]

    def get_queryset(self, request: Any) -> Any:
        # A document is listed only for who may have its subject (documents.view_document).
        return Document.objects.visible_to(request.user).select_related("requested_by", "subject_type")

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_module_permission(self, request: Any) -> bool:
        return request.user.is_active and request.user.is_staff
