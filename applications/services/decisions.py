"""The application's life cycle: submit, political approval, withdraw, reject, return and grant.
Each runs in one transaction through the kernel's runner (lock, permission, state, log)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import can_proceed

from core import lifecycle
from core.errors import DomainError
from core.money import format_dkk, quantize
from core.outbox import send_later
from core.roles import display_name
from documents.services import request_document

from ..completeness import completeness_problems
from ..models import Application, Grant, JournalCounter, Pool, Recommendation, State
from .declaration import Declaration, declaration_problems
from .declaration import log_text as declaration_log_text
from .declaration import record as declare
from .locks import _lock, _locking
from .pools import committed_total


def _transition(
    application_id: int,
    user: Any,
    name: str,
    *,
    reason: str = "",
    prepare: Callable[[Application], None] | None = None,
    letters: tuple[str, ...] = (),
    notify: bool = False,
) -> Application:
    with transaction.atomic():
        application = lifecycle.run(_locking(), application_id, user, name, reason=reason, prepare=prepare)
        for kind in letters:
            # In the transition's transaction: a rollback takes the letter with it, and the build
            # is queued on commit. A letter that fails to render only marks its Document failed.
            request_document(user, kind, application, check=False)
        if notify:
            # SIRI's decision by e-mail to the applicant's people, after the commit (the outbox);
            # keyed on the decision's log entry, so it goes out once.
            entry = application.transitions.order_by("-id").values_list("pk", flat=True).first()
            send_later("applications.tasks.send_decision_notice", entry)
        return application


def next_journal_number(day: datetime.date) -> str:
    """The next number of the year, e.g. 2027-0042. Call inside the submitting transaction:
    the counter row stays locked until commit, and a rollback gives the number back."""
    JournalCounter.objects.bulk_create([JournalCounter(year=day.year)], ignore_conflicts=True)
    counter = JournalCounter.objects.select_for_update().get(year=day.year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{day.year}-{counter.last:04d}"


def submit(application_id: int, user: Any, declaration: Declaration | None = None) -> Application:
    """Submit a draft. The page and the API pass the grant-responsible person's `declaration`,
    checked with what the application lacks and recorded with the submit (services/declaration.py);
    the demo loaders and older callers may leave it out."""

    def prepare(application: Application) -> None:
        problems = completeness_problems(application)
        if declaration is not None:
            problems = {**problems, **declaration_problems(application, declaration)}
        if problems:
            raise DomainError.invalid(problems)
        if declaration is not None:
            declare(application, user, declaration)
        now = timezone.now()
        if application.journal_number is None:  # a returned application keeps its number
            application.journal_number = next_journal_number(timezone.localdate(now))
        application.submitted_at = now

    # One transaction: the submit, its letters, the automatic political approval (when every
    # approval is on record already) and the receipt's outbox message. A crash anywhere in it
    # leaves the draft as it was, never a submitted application that missed its approval.
    with transaction.atomic():
        application = _transition(
            application_id,
            user,
            "submit",
            reason=declaration_log_text(declaration.name, declaration.title) if declaration else "",
            prepare=prepare,
            letters=("receipt", "application_pdf"),
        )
        approve_if_complete(application.pk, user)
        # Sent after the commit; a broker that is down leaves it to the outbox sweep.
        send_later("applications.tasks.send_submission_receipt", application.pk)
    application.refresh_from_db()
    return application


def approve_if_complete(application_id: int, user: Any) -> None:
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


def _assessed(application: Application) -> None:
    if not can_proceed(application.reject):  # the transition's own condition: a counting review
        raise DomainError.conflict(NEEDS_ASSESSMENT)


def reject(application_id: int, user: Any, reason: str) -> Application:
    """Reject an assessed application; the rejection letter quotes the assessments' reasons."""

    def prepare(application: Application) -> None:
        _assessed(application)
        _require_reason(reason)

    return _transition(
        application_id,
        user,
        "reject",
        reason=reason,
        prepare=prepare,
        letters=("rejection_letter",),
        notify=True,
    )


def return_for_revision(application_id: int, user: Any, reason: str) -> Application:
    return _transition(
        application_id,
        user,
        "return_for_revision",
        reason=reason,
        prepare=lambda _app: _require_reason(reason),
        notify=True,
    )


def _parse_amount(raw: Any) -> Decimal | None:
    if raw is None or isinstance(raw, bool) or str(raw).strip() == "":
        return None
    try:
        amount = Decimal(str(raw).strip())
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def amount_problems(application: Application, amount: Decimal) -> list[Any]:
    """What is wrong with an amount to recommend or grant, whatever the reviews and the money
    left say: more than 0, at most what was applied for and at most the pool's maximum grant."""
    messages: list[Any] = []
    if amount <= 0:
        messages.append(_("The amount must be more than 0 kr."))
    requested = application.requested_total
    if amount > requested:
        messages.append(
            _("The amount cannot exceed the %(requested)s applied for.") % {"requested": format_dkk(requested)}
        )
    maximum = application.pool.max_grant
    if amount > maximum:
        messages.append(
            _("The amount cannot exceed %(maximum)s, the pool's maximum grant.") % {"maximum": format_dkk(maximum)}
        )
    return messages


NEEDS_ASSESSMENT = _(
    "The application needs an assessment before it can be rejected: a review that scores and gives "
    "reasons for every criterion, which the rejection's grounds quote."
)
NEEDS_RECOMMENDATION = _("The application needs a review recommending a grant before it can be granted.")


def _grant_recommendations(application: Application) -> list[tuple[str, Decimal]]:
    """(reviewer's name, amount) of each counting review that recommends a grant, largest first.
    A review from before amounts were asked for recommends what was applied for."""
    requested = application.requested_total
    reviews = application.reviews.filter(conflict_of_interest=False, recommendation=Recommendation.GRANT)
    found = [(display_name(r.reviewer), r.amount if r.amount is not None else requested) for r in reviews]
    return sorted(found, key=lambda item: item[1], reverse=True)


def check_grant(application: Application, amount: Any, remaining: Decimal | None = None) -> Decimal:
    """The amount to grant in kroner and øre, or a DomainError naming every problem: 400 for the
    amount (more than 0, at most what was applied for, the pool's maximum, the largest amount a
    review recommends and what is left in the pool), 409 for what the reviews lack (a
    recommendation to grant; above the pool's `concurrence_above`, a second reviewer recommending
    at least as much). The decision page asks it before its confirmation step, `grant` again under
    the pool's lock with the money left counted there (`remaining`)."""
    value = _parse_amount(amount)
    if value is None:
        raise DomainError.invalid({"amount": [_("Give the amount to grant in kroner.")]})
    value = quantize(value)
    if not can_proceed(application.grant):  # the transition's own condition
        raise DomainError.conflict(NEEDS_RECOMMENDATION)
    errors = amount_problems(application, value)
    recommended = _grant_recommendations(application)
    largest = recommended[0][1]
    if value > largest:
        errors.append(
            _("The amount cannot exceed the %(recommended)s recommended, the largest amount a review recommends.")
            % {"recommended": format_dkk(largest)}
        )
    if remaining is None:
        remaining = application.pool.total_budget - committed_total(application.pool)
    if value > remaining:
        errors.append(_("Only %(remaining)s is left in the pool.") % {"remaining": format_dkk(remaining)})
    if errors:
        raise DomainError.invalid({"amount": errors})
    threshold = application.pool.concurrence_above
    concurring = [name for name, recommended_amount in recommended if recommended_amount >= value]
    if threshold is not None and value > threshold and len(concurring) < 2:
        raise DomainError.conflict(
            _(
                "A grant above %(threshold)s needs a second reviewer to concur: only %(names)s recommends "
                "granting %(amount)s or more. Another reviewer must recommend granting at least %(amount)s first."
            )
            % {"threshold": format_dkk(threshold), "names": ", ".join(concurring), "amount": format_dkk(value)}
        )
    return value


def grant(application_id: int, user: Any, amount: Any, conditions: str = "") -> Application:
    """Grant an application as its reviews recommend (`check_grant`). The pool row is locked and
    the money left re-counted inside the transaction, so two reviewers granting at the same moment
    cannot over-spend the pool."""

    def prepare(application: Application) -> None:
        pool = Pool.objects.select_for_update().get(pk=application.pool_id)
        value = check_grant(application, amount, remaining=pool.total_budget - committed_total(pool))
        Grant.objects.create(
            application=application,
            amount=value,
            start_date=application.start_date,
            end_date=application.end_date,
            conditions=conditions or "",
            granted_by=user,
        )

    return _transition(application_id, user, "grant", prepare=prepare, letters=("grant_letter",), notify=True)
