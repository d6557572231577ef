"""The append-only audit trail: who moved what from which state to which, when and why.

A log row is written once and never edited or deleted. Each life cycle's log subclasses
`TransitionLogBase` with a foreign key to its subject whose ``related_name`` is
``"transitions"``: that is how the transition runner (`core.lifecycle`) writes it.

Three guards hold that promise, each where the one before cannot reach:

- `AppendOnly` refuses ``save()`` of a stored row and ``delete()``; its queryset
  (`AppendOnlyQuerySet`) refuses ``update()`` and ``delete()`` of many rows.
- On PostgreSQL a trigger refuses any UPDATE or DELETE of a log row, whoever sends the SQL
  (`core.migrations_ops.AppendOnlyTrigger`: one line in the migration that creates a log table).
- A log's foreign keys are ``PROTECT``: its subject cannot be deleted out from under it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    """A log's rows, which are added to and read, never changed or deleted in bulk either."""

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("The log cannot be edited.")

    def delete(self) -> Any:
        raise AppendOnlyError("The log cannot be edited.")


class AppendOnly:
    """A log row: written once, never edited or deleted (the audit trail). A model mixing it
    in declares ``objects = AppendOnlyQuerySet.as_manager()`` (`TransitionLogBase` does) and
    its migration adds `core.migrations_ops.AppendOnlyTrigger`; tests/core/test_audit_trail.py
    checks both of every such model."""

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("The log cannot be edited.")
        super().save(*args, **kwargs)  # type: ignore[misc]

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("The log cannot be edited.")


class TransitionLogBase(AppendOnly, models.Model):
    """One transition of a life cycle. Subclasses add the subject's foreign key."""

    transition = models.CharField(_("transition"), max_length=40)
    source = models.CharField(_("from"), max_length=30)
    target = models.CharField(_("to"), max_length=30)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    # The name of the foreign key to the subject whose life cycle this logs.
    subject_field: ClassVar[str]

    def __str__(self) -> str:
        return f"{self.subject}: {self.source} → {self.target}"

    @property
    def subject(self) -> Any:
        return getattr(self, self.subject_field)

    def _state_label(self, code: str) -> Any:
        # The subject's class, not the subject: a page listing the log reads no subject rows.
        subject_model = self._meta.get_field(self.subject_field).related_model
        return dict(subject_model._meta.get_field("state").flatchoices).get(code, code)

    @property
    def source_label(self) -> Any:
        return self._state_label(self.source)

    @property
    def target_label(self) -> Any:
        return self._state_label(self.target)
