"""The API's kernel: domain errors mapped to the contract once (invalid → 400 {field: [...]},
conflict → 409), and asking `rules` for a permission."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import DomainError


def _messages(values: list[Any]) -> list[str]:
    return [str(v) for v in values]


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
    return drf_exception_handler(exc, context)


def require(request: Any, permission: str, obj: Any = None) -> None:
    """403 unless the user holds `permission` (on `obj`): the API's one way to ask `rules`."""
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied
