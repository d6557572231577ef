"""What is recorded on an application besides its text: political approvals and reviews."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import changelog
from core.errors import DomainError, validator_messages
from core.money import quantize
from core.validators import validate_no_cpr

from .. import changes
from ..models import (
    Application,
    ApprovalStatus,
    Assessment,
    Criterion,
    Municipality,
    PoliticalApproval,
    Recommendation,
    Review,
    State,
)
from ..models.review import weighted_score
from . import assignments, decisions
from .locks import _lock


def record_political_approval(application_id: int, user: Any, data: dict[str, Any]) -> PoliticalApproval:
    """Record (or update) one municipality's political approval; when the last one arrives for
    a submitted application, it becomes politically approved. Recording it again or taking it
    back (approved → sent later) logs what it was, once the application has been submitted."""
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
        replaced = approval.pk is not None and application.journal_number is not None
        if replaced:
            before = changelog.snapshot(approval, changes.APPROVAL_FIELDS)
            provenance = {
                changelog.RECORDED_BY: changelog.person(approval.recorded_by),
                changelog.RECORDED_AT: changelog.json_value(None, approval.recorded_at),
            }
        approval.status = status
        approval.decided_on = decided_on if status == ApprovalStatus.APPROVED else None
        approval.body = data.get("body") or ""
        approval.reference = data.get("reference") or ""
        approval.recorded_by = user
        approval.save()
        if replaced:
            changelog.record(
                changes.APPROVAL,
                application,
                approval,
                user,
                before,
                changelog.snapshot(approval, changes.APPROVAL_FIELDS),
                part=municipality.name,
                provenance=provenance,
            )
        decisions.approve_if_complete(application.pk, user)
    return approval


def save_review(application_id: int, user: Any, data: dict[str, Any]) -> tuple[Review, bool]:
    """Create or replace the user's review: a score (1–5) and a written reason per criterion, and a
    recommendation (grant with an amount, reject or revise). Returns the review and whether it is
    new. A replaced review logs the fields it changed, as they were and became. Declaring a
    conflict of interest ends the reviewer's assignment to the application, with a trace."""
    with transaction.atomic():
        application = _lock(application_id)
        if not user.has_perm("applications.review_application", application):
            raise PermissionDenied
        if application.state not in (State.SUBMITTED, State.POLITICALLY_APPROVED):
            raise application.conflict("review")
        criteria = list(application.pool.criteria.all())
        conflict = bool(data.get("conflict_of_interest"))
        scores = data.get("scores") or {}
        given = data.get("reasons") or {}
        reasons = {name: text.strip() if isinstance(text, str) else "" for name, text in given.items()}
        recommendation = data.get("recommendation") or ""
        amount = data.get("amount")
        if conflict:
            errors = _conflict_problems(scores, reasons, amount)
        else:
            errors = {
                **_assessment_problems(criteria, scores, reasons),
                **_recommendation_problems(application, recommendation, amount),
            }
        if errors:
            raise DomainError.invalid(errors)
        # Under the application's lock, so no other save of this review slips in between.
        previous = Review.objects.filter(application=application, reviewer=user).first()
        before = review_snapshot(previous) if previous is not None else None
        stored = {} if conflict else {c.name: scores[c.name] for c in criteria}
        review, created = Review.objects.update_or_create(
            application=application,
            reviewer=user,
            defaults={
                "scores": stored,
                "total": weighted_score(stored, [(c.name, c.weight) for c in criteria]),
                "recommendation": "" if conflict else recommendation,
                "amount": quantize(amount) if recommendation == Recommendation.GRANT and not conflict else None,
                "comment": data.get("comment") or "",
                "conflict_of_interest": conflict,
            },
        )
        review.assessments.all().delete()
        if not conflict:
            Assessment.objects.bulk_create(
                Assessment(review=review, criterion=c, score=scores[c.name], reason=reasons[c.name]) for c in criteria
            )
        if before is not None:
            after = review_snapshot(review)
            changelog.record(changes.REVIEW, application, review, user, before, after, part=changelog.person(user))
        if conflict:
            assignments.end_for_conflict(application, user)
        return review, created


def review_snapshot(review: Review) -> dict[str, Any]:
    """The review as the change log keeps it: its fields and its reasons by criterion name."""
    snapshot = changelog.snapshot(review, changes.REVIEW_FIELDS)
    rows = review.assessments.select_related("criterion").order_by("criterion__position", "criterion_id")
    snapshot[changes.REASONS] = {row.criterion.name: row.reason for row in rows if row.reason}
    return snapshot


def _conflict_problems(scores: dict[str, Any], reasons: dict[str, str], amount: Any) -> dict[str, list[Any]]:
    errors: dict[str, list[Any]] = {}
    if scores:
        errors["scores"] = [_("Do not score an application you have a conflict of interest in.")]
    if any(reasons.values()):
        errors["reasons"] = [_("Do not assess an application you have a conflict of interest in.")]
    if amount is not None:
        errors["amount"] = [_("Do not recommend an amount for an application you have a conflict of interest in.")]
    return errors


def _names(names: list[str]) -> str:
    return ", ".join(names)


def _assessment_problems(
    criteria: list[Criterion], scores: dict[str, Any], reasons: dict[str, str]
) -> dict[str, list[Any]]:
    """Every criterion scored 1–5 and given its reason; nothing about criteria the pool lacks."""
    names = [c.name for c in criteria]
    errors: dict[str, list[Any]] = {}
    messages: list[Any] = []
    unknown = sorted(set(scores) - set(names))
    missing = [n for n in names if n not in scores]
    if unknown:
        messages.append(_("Not criteria of this pool: %(names)s.") % {"names": _names(unknown)})
    if missing:
        messages.append(_("Score every criterion; missing: %(names)s.") % {"names": _names(missing)})
    bad = [n for n, v in scores.items() if isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= 5]
    if bad:
        messages.append(_("Scores are whole numbers from 1 to 5: %(names)s.") % {"names": _names(sorted(bad))})
    if messages:
        errors["scores"] = messages
    messages = []
    unknown = sorted(set(reasons) - set(names))
    if unknown:
        messages.append(_("Not criteria of this pool: %(names)s.") % {"names": _names(unknown)})
    missing = [n for n in names if not reasons.get(n)]
    if missing:
        messages.append(
            _("Give the reason for the score of every criterion; missing: %(names)s.") % {"names": _names(missing)}
        )
    for name in names:
        for message in validator_messages([validate_no_cpr], reasons.get(name, "")):
            messages.append(f"{name}: {message}")
    if messages:
        errors["reasons"] = messages
    return errors


def _recommendation_problems(application: Application, recommendation: str, amount: Any) -> dict[str, list[Any]]:
    """A recommendation to grant, reject or revise; a grant with its amount, at most what was
    applied for and the pool's maximum grant."""
    errors: dict[str, list[Any]] = {}
    if recommendation not in Recommendation.values:
        errors["recommendation"] = [_("Recommend grant, reject or revise.")]
    if recommendation != Recommendation.GRANT:
        if amount is not None:
            errors["amount"] = [_("Recommend an amount only with a recommendation to grant.")]
        return errors
    if amount is None:
        errors["amount"] = [_("Give the amount you recommend granting, in kroner.")]
        return errors
    messages = decisions.amount_problems(application, quantize(amount))
    if messages:
        errors["amount"] = messages
    return errors
