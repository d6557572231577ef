"""What SIRI's back office shares: lists that only read, starting from what the person may see.

The admin is one more entry point to the same rules: its querysets start at the model's
``visible_to(user)`` and every permission is asked of `rules` (``ObjectPermissionsModelAdmin``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from rules.contrib.admin import ObjectPermissionsModelAdmin

from . import tokens
from .errors import DomainError
from .models import ApiToken, ChangeLogEntry
from .validators import validate_no_cpr


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


class NewApiTokenForm(forms.Form):
    user = forms.ModelChoiceField(label=_("User"), queryset=get_user_model()._default_manager.filter(is_active=True))
    name = forms.CharField(label=_("Name"), max_length=100, validators=[validate_no_cpr])


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Everyone's API tokens, for SIRI's superusers: see them, revoke them (delete), and make one
    for a person (an integration's account), whose key is shown once on the page that follows."""

    list_display = ["user", "name", "begins_with", "created", "expiry", "last_used"]
    list_select_related = ["user"]
    search_fields = ["user__username", "name"]
    fields = ["user", "name", "begins_with", "created", "expiry", "last_used"]
    readonly_fields = fields

    @admin.display(description=_("Begins with"))
    def begins_with(self, token: ApiToken) -> str:
        return f"{token.prefix}…"

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: Any = None) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = NewApiTokenForm(request.POST or None)
        key = None
        if request.method == "POST" and form.is_valid():
            try:
                token, key = tokens.issue(form.cleaned_data["user"], form.cleaned_data["name"])
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                self.log_addition(request, token, [{"added": {}}])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("New API token"),
            "form": form,
            "key": key,
        }
        return TemplateResponse(request, "admin/core/apitoken/add.html", context)


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
