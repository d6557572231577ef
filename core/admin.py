"""What SIRI's back office shares: lists that only read, starting from what the person may see.

The admin is one more entry point to the same rules: its querysets start at the model's
``visible_to(user)`` and every permission is asked of `rules` (``ObjectPermissionsModelAdmin``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from rules.contrib.admin import ObjectPermissionsModelAdmin


class ReadOnlyInline(admin.TabularInline):
    """The parts of a record, shown beside it, never edited here."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


def read_only(model: type[Any], base: type[ReadOnlyInline] | None = None) -> type[ReadOnlyInline]:
    """A read-only inline of `model`'s rows beside their record."""
    return type(f"{model.__name__}Inline", (base or ReadOnlyInline,), {"model": model})


class LogInline(ReadOnlyInline):
    """A life cycle's log (`core.log.TransitionLogBase`) beside its subject."""

    fields = ["at", "transition", "source", "target", "by", "reason"]
    readonly_fields = fields


class ReadOnlyAdmin(ObjectPermissionsModelAdmin):
    """A list SIRI reads: what changes goes through the services and their rules, not here."""

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
