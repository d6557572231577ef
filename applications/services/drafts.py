"""A draft and its parts: starting it, its fields, its rows and attachments, deleting it.
Every edit holds the application's lock and happens only while it is a draft."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Model
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.roles import municipality_ids as _municipality_ids

from ..completeness import target_group_total_problems
from ..models import Application, Attachment, BudgetLine, Goal, GoalKind, Municipality, Pool, State, TargetGroup
from ..validators import attachment_kind, goal_problems
from .locks import _lock


def ensure_editable(application: Application, user: Any, action: str = "edit") -> None:
    """The applicant of the lead municipality may change an application only while in draft."""
    permission = "applications.delete_application" if action == "delete" else "applications.change_application"
    if not user.has_perm(permission, application):
        raise PermissionDenied
    if application.state != State.DRAFT:
        raise application.conflict(action)


@contextmanager
def editing(application_id: int, user: Any) -> Iterator[Application]:
    """Hold the application's lock while a draft or one of its parts is changed, so that an
    edit cannot slip in after a concurrent submit."""
    with transaction.atomic():
        application = _lock(application_id)
        ensure_editable(application, user)
        yield application


def delete_draft(application_id: int, user: Any) -> None:
    with transaction.atomic():
        application = _lock(application_id)
        ensure_editable(application, user, "delete")
        if application.journal_number is not None:
            # Deleting it would leave a hole in the year's journal numbers.
            raise DomainError.conflict(
                _("An application that has been submitted keeps its journal number; withdraw it instead.")
            )
        application.delete()


# Starting a draft and its parts ---------------------------------------------------------------


def draft_problems(
    lead: Municipality | None, partners: Any, start: datetime.date | None, end: datetime.date | None
) -> dict[str, list[Any]]:
    """Rules on a draft's values that hold at every save (completeness is checked at submit)."""
    errors: dict[str, list[Any]] = {}
    if lead is not None and partners is not None and lead in list(partners):
        errors["partner_municipalities"] = [_("The applicant municipality cannot also be a partner.")]
    if start and end and end < start:
        errors["end_date"] = [_("The project cannot end before it starts.")]
    return errors


# The fields of a draft its applicant writes; the pool and the lead municipality are set when
# the draft is started, and the state and its dates only by the transitions.
DRAFT_FIELDS = frozenset(
    f.name
    for f in Application._meta.get_fields()
    if (f.concrete or f.many_to_many) and getattr(f, "editable", False) and not f.auto_created
) - {"id", "pool", "lead_municipality", "state", "created_by"}


def _check_draft_fields(data: dict[str, Any]) -> None:
    unknown = set(data) - DRAFT_FIELDS - {"pool", "lead_municipality"}
    if unknown:
        raise ValueError(f"Not fields of a draft: {', '.join(sorted(unknown))}")


def _merge(errors: dict[str, list[Any]], more: dict[str, list[Any]]) -> dict[str, list[Any]]:
    for name, messages in more.items():
        errors.setdefault(name, []).extend(messages)
    return errors


def start_draft(user: Any, pool: Pool, lead: Municipality | None, data: dict[str, Any] | None = None) -> Application:
    """A new draft to `pool` for `lead`, pre-filled with what is known of the municipality and
    the user (unit, CVR, contact), then `data` written over the pre-fill. The page passes no
    data; the API passes what was posted. Without `lead`, the user's only municipality."""
    if not user.has_perm("applications.add_application"):
        raise PermissionDenied
    values = dict(data or {})
    _check_draft_fields(values)
    values.pop("pool", None)
    values.pop("lead_municipality", None)
    mine = _municipality_ids(user)
    errors: dict[str, list[Any]] = {}
    if lead is None:
        if len(mine) == 1:
            lead = Municipality.objects.get(pk=next(iter(mine)))
        else:
            errors["lead_municipality"] = [_("Choose the municipality that applies.")]
    elif lead.pk not in mine:
        errors["lead_municipality"] = [_("You do not act for %(name)s.") % {"name": lead.name}]
    if pool.closes_on < timezone.localdate():
        errors["pool"] = [_("The deadline of this pool has passed.")]
    partners = values.pop("partner_municipalities", None)
    _merge(errors, draft_problems(lead, partners, values.get("start_date"), values.get("end_date")))
    if errors:
        raise DomainError.invalid(errors)
    assert lead is not None
    prefill = {
        "title": "",
        "applicant_unit": lead.name,
        "cvr": lead.cvr or "",
        "contact_name": user.get_full_name(),
        "contact_email": user.email,
    }
    with transaction.atomic():
        application = Application.objects.create(
            pool=pool, lead_municipality=lead, created_by=user, **{**prefill, **values}
        )
        if partners:
            application.partner_municipalities.set(partners)
    return application


def _draft_change_problems(application: Application, data: dict[str, Any]) -> dict[str, list[Any]]:
    errors: dict[str, list[Any]] = {}
    if "pool" in data and data["pool"] != application.pool:
        errors["pool"] = [_("An application cannot move to another pool.")]
    if "lead_municipality" in data and data["lead_municipality"] != application.lead_municipality:
        errors["lead_municipality"] = [_("The applicant municipality cannot be changed.")]
    start = data.get("start_date", application.start_date)
    end = data.get("end_date", application.end_date)
    if data.get("target_group_total") is not None:
        sizes = list(application.target_groups.values_list("size", flat=True))
        if too_small := target_group_total_problems(data["target_group_total"], sizes):
            errors["target_group_total"] = too_small
    return _merge(errors, draft_problems(application.lead_municipality, data.get("partner_municipalities"), start, end))


def _write_draft(application: Application, data: dict[str, Any]) -> None:
    # Write only the fields given: a full save() could put back a state read before the lock.
    values = {name: value for name, value in data.items() if name not in ("pool", "lead_municipality")}
    partners = values.pop("partner_municipalities", None)
    for name, value in values.items():
        setattr(application, name, value)
    application.save(update_fields=[*values, "updated_at"])
    if partners is not None:
        application.partner_municipalities.set(partners)


def update_draft(
    application_id: int, user: Any, data: dict[str, Any], *, precondition: Callable[[Application], None] | None = None
) -> Application:
    """Write `data` (fields of the draft) to a draft, all or nothing: any problem refuses it all.
    `precondition` runs under the lock before anything is checked or written (the API's If-Match)."""
    _check_draft_fields(data)
    with editing(application_id, user) as application:
        if precondition is not None:
            precondition(application)
        errors = _draft_change_problems(application, data)
        if errors:
            raise DomainError.invalid(errors)
        _write_draft(application, data)
        return application


def save_valid_draft_fields(application_id: int, user: Any, data: dict[str, Any]) -> dict[str, list[Any]]:
    """The page's autosave: write every field of `data` that breaks no rule, and return the
    problems of those left out (they keep their saved value). A project period that is refused
    keeps both of its saved dates, so the saved period stays ordered."""
    _check_draft_fields(data)
    with editing(application_id, user) as application:
        problems = _draft_change_problems(application, data)
        values = dict(data)
        for name in problems:
            if name == "end_date":
                values.pop("start_date", None)
            values.pop(name, None)
        _write_draft(application, values)
        return problems


# The rows of a draft, by the application's related name.
ROW_MODELS: dict[str, type[Model]] = {"target_groups": TargetGroup, "goals": Goal, "budget_lines": BudgetLine}


def row_problems(application: Application, kind: str, row: Any, data: dict[str, Any]) -> dict[str, list[Any]]:
    """What is wrong with a row's new values (`row` holds the stored ones, or none when new)."""

    def value(name: str) -> Any:
        return data[name] if name in data else getattr(row, name, None)

    errors: dict[str, list[Any]] = {}
    if kind == "goals":
        errors = goal_problems(
            value("kind"),
            value("cumulative"),
            value("ramp_quarters"),
            value("cohort_months"),
            value("target_value"),
            value("baseline"),
        )
        group = value("target_group")
        if group is not None and group.application_id != application.pk:
            errors["target_group"] = [_("Choose one of this application's target groups.")]
    elif kind == "budget_lines":
        year, category = value("year"), value("category")
        taken = application.budget_lines.filter(year=year, category=category).exclude(pk=row.pk)
        if year and category and taken.exists():
            errors["category"] = [
                _("There is already a line for %(category)s in %(year)s; change that one instead.")
                % {"category": BudgetLine(category=category).get_category_display(), "year": year}
            ]
    return errors


def save_row(application_id: int, user: Any, kind: str, data: dict[str, Any], row_id: int | None = None) -> Any:
    """Add a row (target group, goal, budget line: `kind` is the related name) to a draft, or
    change the row `row_id`; `data` holds the fields to write."""
    model = ROW_MODELS[kind]
    fields = {f.name for f in model._meta.concrete_fields} - {"id", "application"}
    unknown = set(data) - fields
    if unknown:
        raise ValueError(f"Not fields of a {model.__name__}: {', '.join(sorted(unknown))}")
    with editing(application_id, user) as application:
        if row_id is None:
            row = model(application=application)
            if kind == "goals" and "cumulative" not in data:
                # Not said: a count adds up, a percentage or an average is a level.
                row.cumulative = data.get("kind") == GoalKind.COUNT
        else:
            row = get_object_or_404(getattr(application, kind), pk=row_id)
        errors = row_problems(application, kind, row, data)
        if errors:
            raise DomainError.invalid(errors)
        for name, value in data.items():
            setattr(row, name, value)
        row.save()
        return row


def delete_row(application_id: int, user: Any, kind: str, row_id: int) -> None:
    if kind not in ROW_MODELS:
        raise KeyError(kind)
    with editing(application_id, user) as application:
        get_object_or_404(getattr(application, kind), pk=row_id).delete()


def add_attachment(application_id: int, user: Any, upload: Any, description: str = "") -> Attachment:
    """Attach `upload` (checked again here, whoever called: a PDF, PNG or JPEG within the limit).
    An image is stored as `core.files` writes it again, without its metadata."""
    try:
        kind = attachment_kind(upload)
    except ValidationError as error:
        raise DomainError.invalid({"file": error.messages}) from None
    stored: Any = upload
    if kind.clean is not None:
        stored = ContentFile(kind.clean(upload), name=upload.name)
    with editing(application_id, user) as application:
        return Attachment.objects.create(
            application=application,
            file=stored,
            name=upload.name[:255],
            size=stored.size,
            content_type=kind.content_type,
            description=description,
            uploaded_by=user,
        )


def delete_attachment(application_id: int, attachment_id: int, user: Any) -> None:
    with editing(application_id, user) as application:
        attachment = application.attachments.get(pk=attachment_id)
        attachment.file.delete(save=False)
        attachment.delete()
