"""The one transition runner. Every life cycle (applications, quarterly reports, ambassador
reports, and whatever comes after the award) runs its django-fsm-2 transitions through `run`:

1. lock the row (``select_for_update``; the decorator alone does not lock),
2. ask `rules` through the permission the ``@transition`` declares (403),
3. re-check the source state under the lock (409),
4. let the caller check and prepare what the transition needs (400 naming every problem),
5. apply, save, and write the log row (who, when, from, to, why).

A model takes part by mixing in `Lifecycle`, declaring its transitions with
``permission=allowed("app.perm")`` and keeping a `core.log.TransitionLogBase` log whose
foreign key has ``related_name="transitions"``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from django_fsm import can_proceed

from core.errors import DomainError

Subject = TypeVar("Subject", bound=models.Model)

ACTION_LABELS: dict[str, Any] = {
    "edit": _("changed"),
    "delete": _("deleted"),
    "submit": _("submitted"),
    "accept": _("accepted"),
    "acknowledge": _("acknowledged"),
    "return_to_draft": _("returned"),
}


def allowed(permission: str) -> Callable[[Any, Any], bool]:
    """A django-fsm permission that asks `rules` about this very object.

    (A bare permission string would let django-fsm fall back to asking without the object,
    which some rules answer more generously.)"""

    def check(instance: Any, user: Any) -> bool:
        return user.has_perm(permission, instance)

    return check


class Lifecycle:
    """Mixin for a model with a django-fsm life cycle: how it says "not from this state"."""

    not_from_state: ClassVar[Any] = _("This cannot be %(action)s while it is %(state)s.")
    action_labels: ClassVar[dict[str, Any]] = ACTION_LABELS

    def conflict(self, action: str) -> DomainError:
        labels = {**ACTION_LABELS, **self.action_labels}
        return DomainError.conflict(
            self.not_from_state % {"action": labels[action], "state": self.get_state_display()}  # type: ignore[attr-defined]
        )


def _transitions(subject: Any, name: str) -> list[Any]:
    return list(getattr(type(subject), name)._django_fsm.transitions.values())


def may(user: Any, subject: Any, name: str) -> bool:
    """Whether `user` may run transition `name` on `subject`, whatever state it is in."""
    return all(declared.has_perm(subject, user) for declared in _transitions(subject, name))


def apply(subject: Any, name: str, user: Any, reason: str = "") -> None:
    """Run one transition on a locked row, save it and log it; the caller holds the lock."""
    source = subject.state
    getattr(subject, name)()
    subject.save()
    subject.transitions.create(transition=name, source=source, target=subject.state, by=user, reason=reason)


def run(
    queryset: models.QuerySet[Subject],
    pk: int,
    user: Any,
    name: str,
    *,
    reason: str = "",
    prepare: Callable[[Subject], None] | None = None,
) -> Subject:
    """Run transition `name` on the row `pk` of `queryset` for `user` in one transaction."""
    with transaction.atomic():
        # of=("self",): lock only this row, not the rows joined for reading.
        subject = queryset.select_for_update(of=("self",)).get(pk=pk)
        if not may(user, subject, name):
            raise PermissionDenied
        if not can_proceed(getattr(subject, name), check_conditions=False):
            raise subject.conflict(name)
        if prepare is not None:
            prepare(subject)
        apply(subject, name, user, reason.strip())
        return subject
