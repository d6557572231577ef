"""Running one django-fsm-2 transition of a quarterly report, the way every report type does it:
lock the row, ask `rules`, re-check the source state under the lock, apply, write the log row.
Monitoring's project reports and the ambassadors' reports share it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from django_fsm import can_proceed

from applications.errors import DomainError

NOT_FROM_STATE = _("The report cannot be %(action)s while it is %(state)s.")
ACTION_LABELS = {
    "edit": _("changed"),
    "submit": _("submitted"),
    "accept": _("accepted"),
    "acknowledge": _("acknowledged"),
    "return_to_draft": _("returned"),
}

Report = TypeVar("Report", bound=models.Model)


def conflict(action: str, report: Any) -> DomainError:
    return DomainError.conflict(NOT_FROM_STATE % {"action": ACTION_LABELS[action], "state": report.get_state_display()})


def run(
    queryset: models.QuerySet[Report],
    log_model: type[models.Model],
    report_id: int,
    user: Any,
    name: str,
    permission: str,
    *,
    reason: str = "",
    prepare: Callable[[Report], None] | None = None,
) -> Report:
    with transaction.atomic():
        report = queryset.select_for_update(of=("self",)).get(pk=report_id)
        if not user.has_perm(permission, report):
            raise PermissionDenied
        if not can_proceed(getattr(report, name), check_conditions=False):
            raise conflict(name, report)
        if prepare is not None:
            prepare(report)
        source = report.state
        getattr(report, name)()
        report.save()
        log_model.objects.create(
            report=report, transition=name, source=source, target=report.state, by=user, reason=reason
        )
        return report
