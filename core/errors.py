"""The one domain error. Services raise it; the API maps it to 400/409, views to form errors."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NON_FIELD = "non_field_errors"


class DomainError(Exception):
    """A business rule said no.

    ``invalid`` means the input is wrong or incomplete (400, with every problem per field);
    ``conflict`` means the action is not allowed from the object's current state (409).
    """

    INVALID = "invalid"
    CONFLICT = "conflict"

    def __init__(self, message: Any = None, *, kind: str = INVALID, errors: dict[str, list[Any]] | None = None):
        self.kind = kind
        self.errors: dict[str, list[Any]] = dict(errors or {})
        if message is not None and not self.errors:
            self.errors[NON_FIELD] = [message]
        self.message = message if message is not None else _("The input has errors.")
        super().__init__(str(self.message))

    @classmethod
    def conflict(cls, message: Any) -> DomainError:
        return cls(message, kind=cls.CONFLICT)

    @classmethod
    def invalid(cls, errors: dict[str, list[Any]]) -> DomainError:
        return cls(kind=cls.INVALID, errors=errors)


def validator_messages(validators: Iterable[Callable[[Any], None]], value: Any) -> list[Any]:
    """The messages of the shared validators (the ones models and forms use) for one value, to
    name in a DomainError; empty when it is fine."""
    messages: list[Any] = []
    for validator in validators:
        try:
            validator(value)
        except ValidationError as error:
            messages.extend(error.messages)
    return messages
