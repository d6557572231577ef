"""What the services of a grant's end share: the grant locked for whoever may write, the
states in which its final report and accounts can still change, and the parsing of what a page
or a client sent (every problem named, nothing written until all is well)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.models import Grant, GrantState
from core.errors import DomainError, validator_messages
from core.validators import validate_no_cpr

from ..models import (
    Award,
)

END_TASK = "awards.tasks.notify_end_decided"

REASON_MISSING = gettext_lazy("Give a reason; the municipality will see it.")


def due_on(grant: Grant) -> datetime.date:
    """The day the final report and the final accounts are due: the pool's days after the end."""
    return due_after(grant.end_date, grant.application.pool.final_report_days)


def due_after(end_date: datetime.date, final_report_days: int) -> datetime.date:
    return end_date + datetime.timedelta(days=final_report_days)


def locked_grant(grant_id: int, user: Any, permission: str) -> Award:
    award = (
        Award.objects.select_related("application__pool", "application__lead_municipality")
        .select_for_update(of=("self",))
        .get(pk=grant_id)
    )
    if not user.has_perm(permission, award):
        raise PermissionDenied
    return award


WRITABLE_STATES = (GrantState.ACTIVE, GrantState.ACCOUNTS_SUBMITTED)


def writable(grant: Grant, subject: Any = None) -> bool:
    """Whether the grant's final report or accounts (`subject`, None before its first save) can
    still be written: the grant is not closed (nor lapsed or revoked), and they are a draft or
    returned. The pages ask this to offer the form; the services refuse the same."""
    return grant.state in WRITABLE_STATES and (subject is None or subject.editable)


def refuse_unless_writable(award: Award) -> None:
    if award.state not in WRITABLE_STATES:
        raise DomainError.conflict(
            _("The grant is %(state)s: its final report and accounts can no longer be changed.")
            % {"state": award.get_state_display().lower()}
        )


def open_for_writing(grant_id: int, user: Any, permission: str, model: Any) -> tuple[Award, Any]:
    """The locked grant and its final report or accounts (`model`, made on the first save), once
    the user may write them and they can still be written; to be called inside a transaction."""
    award = locked_grant(grant_id, user, permission)
    refuse_unless_writable(award)
    subject, _created = model.objects.get_or_create(grant=award)
    if not subject.editable:
        raise subject.conflict("edit")
    return award, subject


def read_texts(instance: Any, data: dict[str, Any], names: tuple[str, ...], errors: dict[str, list[Any]]) -> None:
    for name in names:
        if name not in data:
            continue
        value = data[name]
        if value is not None and not isinstance(value, str):
            errors[name] = [_("Give a text.")]
            continue
        text = (value or "").strip()
        problems = validator_messages([validate_no_cpr], text)
        if problems:
            errors[name] = problems
        else:
            setattr(instance, name, text)


def parse_decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip().replace(" ", ""))
    except Exception:
        return None
    return number if number.is_finite() else None
