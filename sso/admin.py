"""SIRI's list of the people who logged in by single sign-on: whoever has no role yet is found
here (filter "has a role: no"), and gets one on their profile (Profiles, or `manage.py adduser`)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core import admin as core_admin

from .models import SsoIdentity


class HasRole(admin.SimpleListFilter):
    title = _("has a role")
    parameter_name = "has_role"

    def lookups(self, request: Any, model_admin: Any) -> Any:
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request: Any, queryset: Any) -> Any:
        if self.value() in {"yes", "no"}:
            return queryset.filter(user__profile__isnull=self.value() == "no")
        return queryset


@admin.register(SsoIdentity)
class SsoIdentityAdmin(core_admin.ReadOnlyAdmin):
    list_display = ["user", "cvr", "municipality", "first_login", "last_login"]
    list_filter = [HasRole, "municipality"]
    search_fields = ["user__username", "user__email", "cvr", "subject"]
    list_select_related = ["user", "municipality"]
