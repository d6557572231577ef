"""Who reviews what: the pool admin assigns reviewers to applications, as many as the pool asks
for (`Pool.reviewers_per_application`). A reviewer with a declared conflict of interest is never
assigned, and declaring one ends the assignment. Every assignment and its end leave a trace in
the application's change log (`changes.ASSIGNMENT`)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core import changelog
from core.errors import DomainError
from core.roles import SIRI_ROLES, display_name

from .. import changes
from ..models import Application, Assignment, Review, State
from .locks import _lock

# The states in which an application is reviewed, and so can be given reviewers.
REVIEW_STATES = (State.SUBMITTED, State.POLITICALLY_APPROVED)


def siri_reviewers() -> QuerySet[Any]:
    """The people who can be assigned: active SIRI reviewers and pool admins."""
    return get_user_model().objects.filter(is_active=True, profile__role__in=SIRI_ROLES)


def with_load(people: QuerySet[Any]) -> QuerySet[Any]:
    """`people` with their workload (`load`): the applications under review assigned to them."""
    return people.annotate(
        load=Count("review_assignments", filter=Q(review_assignments__application__state__in=REVIEW_STATES))
    )


def reviewer_load() -> QuerySet[Any]:
    """Every SIRI reviewer with their load, by name: one query."""
    return with_load(siri_reviewers()).order_by("first_name", "last_name", "username")


def _trace(application: Application, assignment: Assignment, user: Any, assigned: bool, why: str = "") -> None:
    before = {changes.ASSIGNED: not assigned}
    after: dict[str, Any] = {changes.ASSIGNED: assigned}
    if why:
        after[changes.ENDED_BECAUSE] = why
    reviewer = display_name(assignment.reviewer)
    changelog.record(changes.ASSIGNMENT, application, assignment, user, before, after, part=reviewer)


def assign(application_id: int, user: Any, reviewer: Any) -> Assignment:
    """Assign `reviewer` to the application. 400 naming the problem: not a SIRI reviewer, a
    declared conflict of interest, assigned already, or as many assigned as the pool asks for."""
    with transaction.atomic():
        application = _lock(application_id)
        if not user.has_perm("applications.add_assignment", application):
            raise PermissionDenied
        if application.state not in REVIEW_STATES:
            raise application.conflict("assign")
        name = display_name(reviewer) if reviewer is not None else ""
        problems: list[Any] = []
        if reviewer is None or not siri_reviewers().filter(pk=reviewer.pk).exists():
            problems.append(_("Choose a SIRI reviewer."))
        elif Review.objects.filter(application=application, reviewer=reviewer, conflict_of_interest=True).exists():
            problems.append(
                _("%(name)s has declared a conflict of interest in this application and cannot be assigned.")
                % {"name": name}
            )
        elif Assignment.objects.filter(application=application, reviewer=reviewer).exists():
            problems.append(_("%(name)s is assigned to this application already.") % {"name": name})
        else:
            wanted = application.pool.reviewers_per_application
            if Assignment.objects.filter(application=application).count() >= wanted:
                problems.append(
                    _(
                        "The pool asks for %(count)s reviewer(s) per application and they are assigned; "
                        "unassign one first."
                    )
                    % {"count": wanted}
                )
        if problems:
            raise DomainError.invalid({"reviewer": problems})
        assignment = Assignment.objects.create(application=application, reviewer=reviewer, assigned_by=user)
        _trace(application, assignment, user, assigned=True)
        return assignment


def unassign(application_id: int, user: Any, assignment_id: int) -> None:
    """End an assignment (the pool admin's choice), with its trace in the change log."""
    with transaction.atomic():
        application = _lock(application_id)
        if not user.has_perm("applications.delete_assignment", application):
            raise PermissionDenied
        assignment = Assignment.objects.select_related("reviewer").filter(pk=assignment_id, application=application)
        found = assignment.first()
        if found is None:  # unassigned by someone else a moment ago
            raise DomainError.conflict(_("The reviewer is no longer assigned to the application."))
        if application.state not in REVIEW_STATES:
            raise application.conflict("assign")
        assignment = found
        _trace(application, assignment, user, assigned=False, why=changes.UNASSIGNED)
        assignment.delete()


def end_for_conflict(application: Application, reviewer: Any) -> None:
    """The reviewer declared a conflict of interest: their assignment ends, with its trace. Called
    by `save_review` inside its transaction, with the application locked."""
    assignment = Assignment.objects.filter(application=application, reviewer=reviewer).select_related("reviewer")
    for found in assignment:
        _trace(application, found, reviewer, assigned=False, why=changes.CONFLICT)
        found.delete()
