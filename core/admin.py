"""What SIRI's back office shares: lists that only read, starting from what the person may see.

The admin is one more entry point to the same rules: its querysets start at the model's
``visible_to(user)`` and every permission is asked of `rules` (``ObjectPermissionsModelAdmin``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from rules.contrib.admin import ObjectPermissionsModelAdmin

from .models import ChangeLogEntry


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


def _changes(entry: ChangeLogEntry) -> Any:
    rows = format_html_join(
        "",
        "<tr><th>{}</th><td>{}</td><td>{}</td></tr>",
        ((line["label"], line["before"], line["after"]) for line in entry.lines),
    )
    replaced = entry.replaced
    note = format_html("<p>{}</p>", _("Replaces what %(by)s recorded %(at)s.") % replaced) if replaced else ""
    return format_html(
        "<table><thead><tr><th></th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>{}",
        _("before"),
        _("after"),
        rows,
        note,
    )


class ChangeLogInline(GenericTabularInline):
    """The change log of a record (`core.changelog`), beside it, never edited here."""

    model = ChangeLogEntry
    ct_field = "subject_type"
    ct_fk_field = "subject_id"
    extra = 0
    can_delete = False
    fields = ["at", "by", "title", "changes"]
    readonly_fields = fields

    def get_queryset(self, request: Any) -> Any:
        return super().get_queryset(request).visible_to(request.user).select_related("by")

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("changes"))
    def changes(self, entry: ChangeLogEntry) -> Any:
        return _changes(entry)


@admin.register(ChangeLogEntry)
class ChangeLogEntryAdmin(ReadOnlyAdmin):
    """Every change the change log holds, listed to SIRI as far as the rules let each see."""

    list_display = ["at", "title", "subject_label", "by"]
    list_filter = ["kind"]
    search_fields = ["subject_label", "part", "by__username"]
    list_select_related = ["by"]
    fields = ["at", "by", "kind", "subject_type", "subject_id", "subject_label", "record_id", "part", "changes"]
    readonly_fields = fields

    def get_queryset(self, request: Any) -> Any:
        return ChangeLogEntry.objects.visible_to(request.user)

    @admin.display(description=_("changes"))
    def changes(self, entry: ChangeLogEntry) -> Any:
        return _changes(entry)
