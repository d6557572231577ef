"""What is recorded on an application besides its text: political approvals and reviews."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import changelog
from core.errors import DomainError

from .. import changes
from ..models import ApprovalStatus, Municipality, PoliticalApproval, Recommendation, Review, State
from . import decisions
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
    """Create or replace the user's review. Returns the review and whether it is new. A
    replaced review logs the fields it changed, as they were and became."""
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
        # Under the application's lock, so no other save of this review slips in between.
        previous = Review.objects.filter(application=application, reviewer=user).first()
        before = changelog.snapshot(previous, changes.REVIEW_FIELDS) if previous is not None else None
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
        if before is not None:
            after = changelog.snapshot(review, changes.REVIEW_FIELDS)
            changelog.record(changes.REVIEW, application, review, user, before, after, part=changelog.person(user))
        return review, created
