"""The changes to applications and pools that their own rows do not keep, as the change log
(`core.changelog`) records them: a political approval recorded again or taken back, a review
replaced, a reviewer assigned or unassigned, a pool edited. The services write them
(`services.assessment`, `services.assignments`, `services.pools`); the application's history and
the pool's page show them to whoever the rules let see them.

A never-submitted draft logs no change: until it is submitted it is the municipality's working
copy, whose edits leave no trace either and which it may delete outright (`delete_draft`). From
the submit on (a journal number), every change is logged, also after a return for revision.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.changelog import ChangeKind, register, show_weight

from .models import Application, Assignment, PoliticalApproval, Pool, Review
from .models.pools import POOL_FIELDS

APPROVAL = "applications.political_approval"
REVIEW = "applications.review"
ASSIGNMENT = "applications.assignment"
POOL = "applications.pool"

APPROVAL_FIELDS = ("status", "decided_on", "body", "reference")
# The review's own fields; its reasons per criterion (its assessments' rows) are logged beside
# them under REASONS, by criterion name as the scores are.
REVIEW_FIELDS = ("scores", "recommendation", "amount", "comment", "conflict_of_interest")
REASONS = "reasons"
# An assignment's trace: assigned or not, and why it ended (ASSIGNMENT_ENDS).
ASSIGNED, ENDED_BECAUSE = "assigned", "ended_because"
UNASSIGNED, CONFLICT = "unassigned", "conflict"
ASSIGNMENT_ENDS = {
    UNASSIGNED: _("Unassigned by the pool admin"),
    CONFLICT: _("The reviewer declared a conflict of interest"),
}
POOL_CHANGE_FIELDS = (*POOL_FIELDS, "criteria")


def _show_scores(scores: Any) -> str:
    return ", ".join(f"{name}: {score}" for name, score in scores.items())


def _show_reasons(reasons: Any) -> str:
    return " · ".join(f"{name}: {reason}" for name, reason in reasons.items() if reason)


def _show_yes_no(value: Any) -> str:
    return str(_("yes") if value else _("no"))


def _show_end(value: Any) -> str:
    return str(ASSIGNMENT_ENDS.get(value, value))


def _show_criteria(criteria: Any) -> str:
    return ", ".join(f"{c['name']} ({show_weight(c['weight'])})" for c in criteria)


def _reviews_visible(user: Any) -> Any:
    if not user.has_perm("applications.view_review"):
        return Application.objects.none()
    return Application.objects.visible_to(user)


def _pool_changes_visible(user: Any) -> Any:
    return Pool.objects.all() if user.has_perm("applications.view_pool_changes") else Pool.objects.none()


def register_kinds() -> None:
    register(
        ChangeKind(
            code=APPROVAL,
            subject_model=Application,
            model=PoliticalApproval,
            title=_("Political approval of %(part)s changed"),
            # The municipalities' own record: whoever may read the application reads its changes.
            may_see=lambda user, application: user.has_perm("applications.view_application", application),
            subjects=lambda user: Application.objects.visible_to(user),
        )
    )
    register(
        ChangeKind(
            code=REVIEW,
            subject_model=Application,
            model=Review,
            title=_("Review by %(part)s replaced"),
            # Reviews are SIRI's: so are their earlier versions.
            may_see=lambda user, application: user.has_perm("applications.view_review_changes", application),
            subjects=_reviews_visible,
            labels={REASONS: _("Reasons per criterion")},
            formats={"scores": _show_scores, REASONS: _show_reasons},
        )
    )
    register(
        ChangeKind(
            code=ASSIGNMENT,
            subject_model=Application,
            model=Assignment,
            title=_("Assignment of %(part)s"),
            # Who reviews what is SIRI's internal distribution of work, as the reviews are.
            may_see=lambda user, application: user.has_perm("applications.view_review_changes", application),
            subjects=_reviews_visible,
            labels={ASSIGNED: _("Assigned"), ENDED_BECAUSE: _("Why it ended")},
            formats={ASSIGNED: _show_yes_no, ENDED_BECAUSE: _show_end},
        )
    )
    register(
        ChangeKind(
            code=POOL,
            subject_model=Pool,
            model=Pool,
            title=_("The pool was changed"),
            may_see=lambda user, pool: user.has_perm("applications.view_pool_changes", pool),
            subjects=_pool_changes_visible,
            labels={"criteria": _("Assessment criteria")},
            formats={"criteria": _show_criteria},
        )
    )
