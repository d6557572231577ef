"""Business operations on applications. Each runs in one transaction, locks the rows it
changes, re-checks the state under the lock, and writes the transition log.

Views, API and tasks call these; none of them changes an application's state by itself.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import can_proceed

from core import lifecycle
from core.errors import DomainError
from core.money import format_dkk, quantize
from core.outbox import send_later
from core.roles import municipality_ids as _municipality_ids
from documents.services import request_document

from .completeness import completeness_problems
from .models import (
    Application,
    ApprovalStatus,
    Attachment,
    BudgetLine,
    Criterion,
    Goal,
    GoalKind,
    Grant,
    JournalCounter,
    Municipality,
    PoliticalApproval,
    Pool,
    Recommendation,
    Review,
    State,
    TargetGroup,
)


def _lock(application_id: int) -> Application:
    # of=("self",): lock only the application row, not the joined pool, so that submits to the
    # same pool do not queue behind each other.
    return _locking().select_for_update(of=("self",)).get(pk=application_id)


def _locking() -> Any:
    return Application.objects.select_related("pool", "lead_municipality")


def _transition(
    application_id: int,
    user: Any,
    name: str,
    *,
    reason: str = "",
    prepare: Callable[[Application], None] | None = None,
    letters: tuple[str, ...] = (),
) -> Application:
    with transaction.atomic():
        application = lifecycle.run(_locking(), application_id, user, name, reason=reason, prepare=prepare)
        for kind in letters:
            # In the transition's transaction: a rollback takes the letter with it, and the build
            # is queued on commit. A letter that fails to render only marks its Document failed.
            request_document(user, kind, application, check=False)
        return application


def next_journal_number(day: datetime.date) -> str:
    """The next number of the year, e.g. 2027-0042. Call inside the submitting transaction:
    the counter row stays locked until commit, and a rollback gives the number back."""
    JournalCounter.objects.bulk_create([JournalCounter(year=day.year)], ignore_conflicts=True)
    counter = JournalCounter.objects.select_for_update().get(year=day.year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{day.year}-{counter.last:04d}"


def submit(application_id: int, user: Any) -> Application:
    def prepare(application: Application) -> None:
        problems = completeness_problems(application)
        if problems:
            raise DomainError.invalid(problems)
        now = timezone.now()
        if application.journal_number is None:  # a returned application keeps its number
            application.journal_number = next_journal_number(timezone.localdate(now))
        application.submitted_at = now

    # One transaction: the submit, its letters, the automatic political approval (when every
    # approval is on record already) and the receipt's outbox message. A crash anywhere in it
    # leaves the draft as it was, never a submitted application that missed its approval.
    with transaction.atomic():
        application = _transition(
            application_id, user, "submit", prepare=prepare, letters=("receipt", "application_pdf")
        )
        _approve_if_complete(application.pk, user)
        # Sent after the commit; a broker that is down leaves it to the outbox sweep.
        send_later("applications.tasks.send_submission_receipt", application.pk)
    application.refresh_from_db()
    return application


def _approve_if_complete(application_id: int, user: Any) -> None:
    """Politically approve a submitted application whose approvals are all on record. Called
    inside the caller's transaction (submit, record_political_approval), so the change that
    completed the approvals and the approval itself commit together."""
    with transaction.atomic():
        application = _lock(application_id)
        if application.state == State.SUBMITTED and can_proceed(application.approve_politically):
            lifecycle.apply(application, "approve_politically", user, str(_("Every political approval is on record.")))


def withdraw(application_id: int, user: Any, reason: str = "") -> Application:
    return _transition(application_id, user, "withdraw", reason=reason)


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError.invalid({"reason": [_("Give a reason; the applicant will see it.")]})
    return reason


def reject(application_id: int, user: Any, reason: str) -> Application:
    return _transition(
        application_id,
        user,
        "reject",
        reason=reason,
        prepare=lambda _app: _require_reason(reason),
        letters=("rejection_letter",),
    )


def return_for_revision(application_id: int, user: Any, reason: str) -> Application:
    return _transition(
        application_id, user, "return_for_revision", reason=reason, prepare=lambda _app: _require_reason(reason)
    )


def _parse_amount(raw: Any) -> Decimal | None:
    if raw is None or isinstance(raw, bool) or str(raw).strip() == "":
        return None
    try:
        amount = Decimal(str(raw).strip())
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def grant(application_id: int, user: Any, amount: Any, conditions: str = "") -> Application:
    """Grant an application. The pool row is locked and the money left re-counted inside the
    transaction, so two reviewers granting at the same moment cannot over-spend the pool."""

    def prepare(application: Application) -> None:
        value = _parse_amount(amount)
        if value is None:
            raise DomainError.invalid({"amount": [_("Give the amount to grant in kroner.")]})
        value = quantize(value)
        errors: list[Any] = []
        if value <= 0:
            errors.append(_("The amount must be more than 0 kr."))
        requested = application.requested_total
        if value > requested:
            errors.append(
                _("The amount cannot exceed the %(requested)s applied for.") % {"requested": format_dkk(requested)}
            )
        if not can_proceed(application.grant):  # the transition's own condition: a counting review
            raise DomainError.conflict(_("The application needs at least one review before it can be granted."))
        pool = Pool.objects.select_for_update().get(pk=application.pool_id)
        granted = quantize(Grant.objects.filter(application__pool=pool).aggregate(total=Sum("amount"))["total"])
        remaining = pool.total_budget - granted
        if value > remaining:
            errors.append(_("Only %(remaining)s is left in the pool.") % {"remaining": format_dkk(remaining)})
        if errors:
            raise DomainError.invalid({"amount": errors})
        Grant.objects.create(
            application=application,
            amount=value,
            start_date=application.start_date,
            end_date=application.end_date,
            conditions=conditions or "",
            granted_by=user,
        )

    return _transition(application_id, user, "grant", prepare=prepare, letters=("grant_letter",))


# Pools ---------------------------------------------------------------------------------------


def pool_problems(values: dict[str, Any], current: Pool | None) -> dict[str, list[Any]]:
    """What is wrong with a pool's new values; the API and the admin both ask this.

    Call it with the pool row locked (see `locked_pool`) when ``current`` exists: a grant in
    flight must not be able to slip under a lowered budget.
    """

    def value(name: str) -> Any:
        return values.get(name, getattr(current, name, None))

    errors: dict[str, list[Any]] = {}
    if value("opens_on") and value("closes_on") and value("closes_on") < value("opens_on"):
        errors["closes_on"] = [_("The deadline cannot be before the pool opens.")]
    start, end = value("project_start_earliest"), value("project_end_latest")
    if start and end and end < start:
        errors["project_end_latest"] = [_("The project period cannot end before it starts.")]
    budget, maximum = value("total_budget"), value("max_grant")
    if budget is not None and maximum is not None and maximum > budget:
        errors["max_grant"] = [_("The maximum grant cannot exceed the pool's total budget.")]
    if current is not None and budget is not None:
        granted = quantize(Grant.objects.filter(application__pool=current).aggregate(total=Sum("amount"))["total"])
        if budget < granted:
            errors["total_budget"] = [
                _("The budget cannot go below the %(granted)s already granted.") % {"granted": format_dkk(granted)}
            ]
    criteria = values.get("criteria")
    if criteria is not None:
        names = [c["name"].strip() for c in criteria]
        if len(set(names)) != len(names):
            errors["criteria"] = [_("Each criterion needs its own name.")]
        elif (
            current is not None
            and Review.objects.filter(application__pool=current).exists()
            # Weights too: a new weight would change the weighted totals of reviews already given.
            and [(name, Decimal(str(c["weight"]))) for name, c in zip(names, criteria, strict=True)]
            != [(c.name, c.weight) for c in current.criteria.all()]
        ):
            errors["criteria"] = [_("The criteria cannot change once reviews have been given.")]
    return errors


@contextmanager
def locked_pool(pool_id: int) -> Iterator[Pool]:
    """Hold the pool row as `grant` does, so budget changes and grants take turns."""
    with transaction.atomic():
        yield Pool.objects.select_for_update().get(pk=pool_id)


_POOL_FIELDS = frozenset(f.name for f in Pool._meta.concrete_fields if f.editable) - {"id"}


def save_pool(user: Any, data: dict[str, Any], pool_id: int | None = None) -> Pool:
    """Create a pool (no `pool_id`) or change one: the pages, the API and the admin all save
    here. `data` holds the fields to write and, when given, ``criteria`` (a list of
    ``{"name", "weight"}``) replaces the pool's criteria. The row is locked as `grant` locks
    it, and `pool_problems` asked under that lock."""
    values = dict(data)
    unknown = set(values) - _POOL_FIELDS - {"criteria"}
    if unknown:
        raise ValueError(f"Not fields of a pool: {', '.join(sorted(unknown))}")
    criteria = values.pop("criteria", None)
    if criteria is not None:
        criteria = [{"name": c["name"].strip(), "weight": Decimal(str(c.get("weight", Decimal(1))))} for c in criteria]
    with transaction.atomic():
        if pool_id is None:
            if not user.has_perm("applications.add_pool"):
                raise PermissionDenied
            current, pool = None, Pool()
        else:
            pool = Pool.objects.select_for_update().get(pk=pool_id)
            if not user.has_perm("applications.change_pool", pool):
                raise PermissionDenied
            current = pool
        asked = {**values, "criteria": criteria} if criteria is not None else values
        errors = pool_problems(asked, current)
        if errors:
            raise DomainError.invalid(errors)
        for name, value in values.items():
            setattr(pool, name, value)
        pool.save()
        if criteria is not None:
            _replace_criteria(pool, criteria)
    return pool


def _replace_criteria(pool: Pool, criteria: list[dict[str, Any]]) -> None:
    # Scores are stored by criterion name, so rows can be replaced wholesale; an unchanged list
    # is left as it is so that saving the pool alone writes no criteria.
    wanted = [(c["name"], c["weight"]) for c in criteria]
    if wanted == [(c.name, c.weight) for c in pool.criteria.order_by("position", "id")]:
        return
    pool.criteria.all().delete()
    Criterion.objects.bulk_create(
        Criterion(pool=pool, name=name, weight=weight, position=position)
        for position, (name, weight) in enumerate(wanted)
    )


# Edits of a draft ---------------------------------------------------------------------------


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


def record_political_approval(application_id: int, user: Any, data: dict[str, Any]) -> PoliticalApproval:
    """Record (or update) one municipality's political approval; when the last one arrives for
    a submitted application, it becomes politically approved."""
    with transaction.atomic():
        application = _lock(application_id)
        municipality: Municipality = data["municipality"]
        approval = PoliticalApproval.objects.filter(application=application, municipality=municipality).first()
        approval = approval or PoliticalApproval(application=application, municipality=municipality)
        if not user.has_perm("applications.record_political_approval", approval):
            raise PermissionDenied
        if application.state not in (State.DRAFT, State.SUBMITTED):
            raise application.conflict("approve")
        errors: dict[str, list[Any]] = {}
        if municipality not in application.participating_municipalities():
            errors["municipality"] = [
                _("%(name)s does not take part in this application.") % {"name": municipality.name}
            ]
        status = data["status"]
        decided_on = data.get("decided_on")
        if status == ApprovalStatus.APPROVED:
            if decided_on is None:
                errors["decided_on"] = [_("Give the date of the political decision.")]
            elif decided_on > timezone.localdate():
                errors["decided_on"] = [_("The decision date cannot be in the future.")]
            if not (data.get("body") or "").strip():
                errors["body"] = [_("Name the political body that approved the project.")]
        if errors:
            raise DomainError.invalid(errors)
        approval.status = status
        approval.decided_on = decided_on if status == ApprovalStatus.APPROVED else None
        approval.body = data.get("body") or ""
        approval.reference = data.get("reference") or ""
        approval.recorded_by = user
        approval.save()
        _approve_if_complete(application.pk, user)
    return approval


def save_review(application_id: int, user: Any, data: dict[str, Any]) -> tuple[Review, bool]:
    """Create or replace the user's review. Returns the review and whether it is new."""
    with transaction.atomic():
        application = _lock(application_id)
        if not user.has_perm("applications.review_application", application):
            raise PermissionDenied
        if application.state not in (State.SUBMITTED, State.POLITICALLY_APPROVED):
            raise application.conflict("review")
        conflict = bool(data.get("conflict_of_interest"))
        scores = data.get("scores") or {}
        recommendation = data.get("recommendation") or ""
        errors: dict[str, list[Any]] = {}
        names = [c.name for c in application.pool.criteria.all()]
        if conflict:
            if scores:
                errors["scores"] = [_("Do not score an application you have a conflict of interest in.")]
        else:
            unknown = sorted(set(scores) - set(names))
            missing = [n for n in names if n not in scores]
            messages: list[Any] = []
            if unknown:
                messages.append(_("Not criteria of this pool: %(names)s.") % {"names": ", ".join(unknown)})
            if missing:
                messages.append(_("Score every criterion; missing: %(names)s.") % {"names": ", ".join(missing)})
            bad = [n for n, v in scores.items() if isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= 5]
            if bad:
                messages.append(
                    _("Scores are whole numbers from 1 to 5: %(names)s.") % {"names": ", ".join(sorted(bad))}
                )
            if messages:
                errors["scores"] = messages
            if recommendation not in Recommendation.values:
                errors["recommendation"] = [_("Recommend grant, reject or revise.")]
        if errors:
            raise DomainError.invalid(errors)
        review, created = Review.objects.update_or_create(
            application=application,
            reviewer=user,
            defaults={
                "scores": {} if conflict else scores,
                "recommendation": "" if conflict else recommendation,
                "comment": data.get("comment") or "",
                "conflict_of_interest": conflict,
            },
        )
        return review, created


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


def update_draft(application_id: int, user: Any, data: dict[str, Any]) -> Application:
    """Write `data` (fields of the draft) to a draft, all or nothing: any problem refuses it all."""
    _check_draft_fields(data)
    with editing(application_id, user) as application:
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
        if value("kind") == GoalKind.PERCENTAGE:
            for name in ("target_value", "baseline"):
                number = value(name)
                if number is not None and number > 100:
                    errors[name] = [_("A percentage is between 0 and 100.")]
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
    with editing(application_id, user) as application:
        return Attachment.objects.create(
            application=application,
            file=upload,
            name=upload.name[:255],
            size=upload.size,
            description=description,
            uploaded_by=user,
        )


def delete_attachment(application_id: int, attachment_id: int, user: Any) -> None:
    with editing(application_id, user) as application:
        attachment = application.attachments.get(pk=attachment_id)
        attachment.file.delete(save=False)
        attachment.delete()
