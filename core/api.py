"""The API's kernel: errors mapped to the contract once, and asking `rules` for a permission.

Every 400 has one shape, `{field: [messages]}`, a flat list of strings per field: a problem in
a nested row is named in its message ("Row 2, value: …") rather than nested as DRF would
(`{"expected": {"1": {"value": [...]}}}`), so a client reads every error the same way. A
conflict with the object's state is a 409 `{"detail": "..."}`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as DrfValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from . import lifecycle
from .errors import DomainError


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
