"""Report where stored free texts hold something that looks like a CPR number.

Every text field that carries `core.validators.validate_no_cpr` is searched, in every installed
app, so a field that gets the validator is searched too. Rows written before the validator, or
past it (``QuerySet.update()``, raw SQL), are found this way. The command names the model, the
field and the primary key, never the number itself, so its output can be shared; it exits with
status 1 when it found anything, so that a scheduled run or a deploy check notices.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import models

from core.validators import contains_cpr, validate_no_cpr

# A cheap first pass in the database (the same on SQLite and PostgreSQL); Python decides.
ROUGH_PATTERN = r"[0-9]{6}[- ]?[0-9]{4}"


def guarded_fields() -> Iterator[tuple[type[models.Model], list[models.Field]]]:
    """Each concrete model with the fields that carry the validator."""
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        fields = [
            field
            for field in model._meta.concrete_fields
            if validate_no_cpr in field.validators
            and isinstance(field, models.CharField | models.TextField | models.JSONField)
        ]
        if fields:
            yield model, fields


def findings() -> Iterator[tuple[str, str, Any]]:
    """(model label, field name, primary key) of every stored value that looks like a CPR number."""
    for model, fields in guarded_fields():
        manager = model._base_manager
        for field in fields:
            rows = manager.exclude(**{f"{field.attname}__isnull": True})
            if not isinstance(field, models.JSONField):
                rows = rows.filter(**{f"{field.attname}__regex": ROUGH_PATTERN})
            for pk, value in rows.order_by("pk").values_list("pk", field.attname).iterator():
                if contains_cpr(value):
                    yield model._meta.label, field.name, pk


class Command(BaseCommand):
    help = (
        "Report the rows whose free texts look like they hold a CPR number (model, field, primary key; "
        "never the number). Exits with status 1 if any are found."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        for label, field, pk in findings():
            count += 1
            self.stdout.write(f"{label}.{field} pk={pk}")
        if count:
            raise CommandError(
                f"{count} stored value(s) look like they hold a CPR number. Replace them with a "
                "pseudonymous code (in the admin, or by the project's own case worker).",
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS("No stored text looks like it holds a CPR number."))
