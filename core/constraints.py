"""Database checks that speak to people.

A `CheckConstraint` guards the database whoever writes, but when a model form validates it first
(`full_clean` checks the model's constraints) Django's default message names the constraint:
"Constraint “goal_percentage_lte_100” is violated." That is for developers. A `Check` carries the
domain's own message (required: the person reading it corrects a value, not a constraint) and,
where one field is the one to correct, puts it on that field, so the page marks the field.

Migrations see a plain `CheckConstraint` with its message (`deconstruct`): the message is no
part of the database, so changing it never rebuilds the constraint (Django's `AlterConstraint`).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.utils import DEFAULT_DB_ALIAS


class Check(models.CheckConstraint):
    """A named `CheckConstraint` with a person's message (tests/core/test_constraints.py holds
    every check to having one) and the field it belongs to."""

    def __init__(
        self, *, condition: Any, name: str, message: Any = None, field: str | None = None, **kwargs: Any
    ) -> None:
        if message is not None:
            kwargs["violation_error_message"] = message
        super().__init__(condition=condition, name=name, **kwargs)
        self.field = field

    def clone(self) -> Check:
        copy = super().clone()
        copy.field = self.field
        return copy

    def validate(self, model: Any, instance: Any, exclude: Any = None, using: str = DEFAULT_DB_ALIAS) -> None:
        try:
            super().validate(model, instance, exclude=exclude, using=using)
        except ValidationError as error:
            if self.field is None:
                raise
            raise ValidationError({self.field: [error]}) from None

    def get_violation_error_message(self) -> Any:
        # The domain's message as it is: it names no constraint, and may hold a "%" of its own.
        return self.violation_error_message

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        _path, args, kwargs = super().deconstruct()
        return "django.db.models.CheckConstraint", args, kwargs
