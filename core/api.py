"""The API's kernel: errors mapped to the contract once, and asking `rules` for a permission.

Every 400 has one shape, `{field: [messages]}`, a flat list of strings per field: a problem in
a nested row is named in its message ("Row 2, value: …") rather than nested as DRF would
(`{"expected": {"1": {"value": [...]}}}`), so a client reads every error the same way. A
conflict with the object's state is a 409 `{"detail": "..."}`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models.manager import BaseManager
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as DrfValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from . import lifecycle
from .errors import DomainError
from .files import megabytes
from .parsers import MAX_INT, MIN_INT


def _messages(values: list[Any]) -> list[str]:
    return [str(v) for v in values]


def flat_errors(errors: Any) -> dict[str, list[str]]:
    """DRF's errors in the contract's `{field: [messages]}`: a nested row's problem becomes
    "Row 2, value: …" under its field instead of a list or dictionary of dictionaries."""
    if not isinstance(errors, dict):
        return {api_settings.NON_FIELD_ERRORS_KEY: flat_messages(errors, [])}
    return {str(field): flat_messages(inner, []) for field, inner in errors.items()}


def flat_messages(errors: Any, where: list[str]) -> list[str]:
    """Every message in DRF's nested `errors`, each prefixed with where it stands (`where`)."""
    if isinstance(errors, dict):
        found: list[str] = []
        for key, inner in errors.items():
            if isinstance(key, int) or (isinstance(key, str) and key.isdigit()):
                label = [str(_("Row %(number)s") % {"number": int(key) + 1})]  # DRF keys rows by index
            elif key == api_settings.NON_FIELD_ERRORS_KEY:
                label = []
            else:
                label = [str(key)]
            found.extend(flat_messages(inner, where + label))
        return found
    if isinstance(errors, list) and any(isinstance(row, dict) for row in errors):
        found = []
        for number, row in enumerate(errors, 1):
            found.extend(flat_messages(row, [*where, str(_("Row %(number)s") % {"number": number})]))
        return found
    prefix = ", ".join(where) + ": " if where else ""
    items = errors if isinstance(errors, list) else [errors]
    return [prefix + str(item) for item in items]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        if exc.kind == DomainError.CONFLICT:
            return Response({"detail": str(exc.message)}, status=status.HTTP_409_CONFLICT)
        body = {field: _messages(messages) for field, messages in exc.errors.items()}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        # A model-level validator that a serializer did not run: still the client's input.
        if hasattr(exc, "error_dict"):
            body = {field: _messages(errors) for field, errors in exc.message_dict.items()}
        else:
            body = {"non_field_errors": exc.messages}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, RequestDataTooBig):
        # A body without files past DATA_UPLOAD_MAX_MEMORY_SIZE, refused by Django before it is
        # read (files have their own bound, core.uploads): the client's, so a 400.
        limit = megabytes(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        return Response(
            {"detail": _("The request body is larger than %(limit)s MB.") % {"limit": limit}},
            status=status.HTTP_400_BAD_REQUEST,
        )
    response = drf_exception_handler(exc, context)
    if isinstance(exc, DrfValidationError) and response is not None:
        response.data = flat_errors(response.data)
    return response


def require(request: Any, permission: str, obj: Any = None) -> None:
    """403 unless the user holds `permission` (on `obj`): the API's one way to ask `rules`."""
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


def require_transition(request: Any, subject: Any, name: str) -> None:
    """403 unless the user may run transition `name` on `subject`, by the permission the
    ``@transition`` itself declares: asked before the body is read, so a stranger learns nothing
    from the 400s. The service asks the same again under its lock."""
    if not lifecycle.may(request.user, subject, name):
        raise PermissionDenied


NUL = "\x00"


def refuse_nul(params: Any) -> None:
    """400 naming each query parameter with a NUL character in its name or a value: PostgreSQL
    stores no NUL, so one would otherwise fail in the database as a 500."""
    bad = sorted({str(key) for key in params if NUL in str(key) or any(NUL in str(v) for v in params.getlist(key))})
    if bad:
        message = str(_("Null characters are not allowed."))
        raise DrfValidationError({key.replace(NUL, ""): [message] for key in bad})


class ColumnChoiceFilter(django_filters.MultipleChoiceFilter):
    """`?state=a&state=b`: one or more values of a column of the listed model itself. No join,
    so no row can come twice: django-filter's default DISTINCT for a multiple choice (meant for
    to-many relations) made PostgreSQL compute and sort every matching row in full, annotations
    and texts included, before the page was cut."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend (every list's `?field=` filters), refusing a NUL anywhere in the
    query first, for the parameters a view reads itself too, e.g. `?search=`; and a number
    filter's value beyond what a database integer holds (`?grant=1e304`), a 400 too."""

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        refuse_nul(request.query_params)
        return super().filter_queryset(request, queryset, view)

    def get_filterset(self, request: Any, queryset: Any, view: Any) -> Any:
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            for field in filterset.form.fields.values():
                if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
                    field.validators += [MinValueValidator(MIN_INT), MaxValueValidator(MAX_INT)]
        return filterset


# The errors in the OpenAPI schema -----------------------------------------------------------

ERROR_SCHEMAS = {
    "ValidationErrors": {
        "type": "object",
        "description": "Every problem at once: `{field: [messages]}`, a flat list of strings per field.",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    },
    "Detail": {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
}
ERROR_DESCRIPTIONS = {
    "400": ("ValidationErrors", 'The input is invalid (or the JSON is malformed: `{"detail": ...}`).'),
    "401": ("Detail", "Not logged in."),
    "403": ("Detail", "Not allowed to you."),
    "404": ("Detail", "Unknown, or not visible to you."),
    "409": ("Detail", "Not allowed from the object's current state."),
}
WRITES = {"post", "put", "patch", "delete"}


def _errors_of(path: str, method: str, operation: dict[str, Any]) -> list[str]:
    parameters = operation.get("parameters", [])
    codes = []
    if method in WRITES or any(p.get("in") == "query" for p in parameters):
        codes.append("400")
    if operation.get("security") and {} not in operation["security"]:
        codes += ["401", "403"]
    if "{" in path:
        codes.append("404")
    if method in WRITES and operation.get("security"):
        codes.append("409")
    return codes


def document_errors(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: every operation lists the 4xx answers it can give,
    in the contract's two shapes, beside what its `extend_schema` already documents."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in ERROR_SCHEMAS.items():
        schemas.setdefault(name, schema)
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for code in _errors_of(path, method, operation):
                name, description = ERROR_DESCRIPTIONS[code]
                operation["responses"].setdefault(
                    code,
                    {
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
                        "description": description,
                    },
                )
    return result


class PlainRows(serializers.ListSerializer):
    """A nested list whose rows its child writes out itself (`RowSerializer.row`)."""

    def to_representation(self, data: Any) -> list[dict[str, Any]]:
        rows = data.all() if isinstance(data, BaseManager) else data
        return [self.child.row(item) for item in rows]  # type: ignore[union-attr]


class RowSerializer(serializers.Serializer):
    """A nested row (a report's figures, FIP scores, outcomes) written by its fields directly,
    attribute by attribute, not through DRF's per-field machinery for every row: a page of 50
    reports has a thousand of them, and that machinery was a third of the list's time (issue 16).
    The same fields' `to_representation`, hence the same output; a mapping (the written form)
    goes the usual way."""

    # Field name → the attribute read where they differ (a foreign key by its id).
    attributes: ClassVar[dict[str, str]] = {}

    class Meta:
        list_serializer_class = PlainRows

    def row(self, instance: Any) -> dict[str, Any]:
        if isinstance(instance, Mapping):
            return self.to_representation(instance)
        fields = self.__dict__.get("_row_fields")
        if fields is None:
            fields = self._row_fields = [
                (field.field_name, self.attributes.get(field.field_name, field.source), field.to_representation)
                for field in self.fields.values()
                if not field.write_only
            ]
        data = {}
        for name, attribute, represent in fields:
            value = getattr(instance, attribute)
            data[name] = None if value is None else represent(value)
        return data
