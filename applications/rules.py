"""Who may do what: the one place. The API, the pages, the admin, tasks and the django-fsm
transitions all ask these permissions through ``user.has_perm(name, obj)``.

The state an object is in is deliberately *not* part of these rules: "not allowed in this state"
is a 409 from the services, "not allowed for you" is a 403 from here.
"""

from __future__ import annotations

from typing import Any

import rules

from core.roles import is_applicant, is_committee, is_pool_admin, is_siri, municipality_ids


@rules.predicate
def of_lead_municipality(user: Any, application: Any) -> bool:
    return application is not None and application.lead_municipality_id in municipality_ids(user)


@rules.predicate
def of_participating_municipality(user: Any, application: Any) -> bool:
    if application is None:
        return False
    ids = municipality_ids(user)
    if application.lead_municipality_id in ids:
        return True
    return any(m.pk in ids for m in application.partner_municipalities.all())


@rules.predicate
def was_submitted(user: Any, application: Any) -> bool:
    # Without an object this asks "may SIRI look at applications at all" (the admin's list).
    # The journal number is kept when an application is returned for revision, so a reviewer
    # keeps seeing what they sent back.
    return application is None or application.journal_number is not None


@rules.predicate
def declared_conflict(user: Any, application: Any) -> bool:
    return application is not None and application.reviews.filter(reviewer=user, conflict_of_interest=True).exists()


@rules.predicate
def acts_for_approval_municipality(user: Any, approval: Any) -> bool:
    return approval is not None and approval.municipality_id in municipality_ids(user)


@rules.predicate
def can_see_grant_application(user: Any, grant: Any) -> bool:
    return grant is not None and user.has_perm("applications.view_application", grant.application)


can_view_application = ((is_applicant | is_committee) & of_participating_municipality) | (is_siri & was_submitted)

rules.add_perm("applications.view_municipality", rules.is_authenticated)
rules.add_perm("applications.view_pool", rules.is_authenticated)
rules.add_perm("applications.add_pool", is_pool_admin)
rules.add_perm("applications.change_pool", is_pool_admin)
rules.add_perm("applications.view_criterion", is_siri)
rules.add_perm("applications.change_criterion", is_pool_admin)
rules.add_perm("applications.add_criterion", is_pool_admin)
rules.add_perm("applications.delete_criterion", is_pool_admin)

rules.add_perm("applications.view_application", can_view_application)
rules.add_perm("applications.add_application", is_applicant)
rules.add_perm("applications.change_application", is_applicant & of_lead_municipality)
rules.add_perm("applications.delete_application", is_applicant & of_lead_municipality)
rules.add_perm("applications.submit_application", is_applicant & of_lead_municipality)
rules.add_perm("applications.withdraw_application", is_applicant & of_lead_municipality)
rules.add_perm("applications.review_application", is_siri & was_submitted)
rules.add_perm("applications.decide_application", is_siri & was_submitted & ~declared_conflict)
rules.add_perm("applications.record_political_approval", is_applicant & acts_for_approval_municipality)
# Asked before the body is read: may this person record approvals on this application at all?
rules.add_perm("applications.add_politicalapproval", is_applicant & of_participating_municipality)

# The municipality's own list of applications ("Mine ansøgninger").
rules.add_perm("applications.view_own_applications", is_applicant | is_committee)


@rules.predicate
def can_view_attachment_application(user: Any, attachment: Any) -> bool:
    return attachment is not None and user.has_perm("applications.view_application", attachment.application)


rules.add_perm("applications.view_attachment", can_view_attachment_application)

rules.add_perm("applications.view_review", is_siri)
rules.add_perm("applications.view_assessment", is_siri)
# Assignment and workload: the pool admin assigns reviewers; every SIRI person sees who has what.
rules.add_perm("applications.view_assignment", is_siri)
rules.add_perm("applications.add_assignment", is_pool_admin & was_submitted)
rules.add_perm("applications.delete_assignment", is_pool_admin & was_submitted)
# A pool's round ranked by weighted score, against the money left (reviewers and pool admins).
rules.add_perm("applications.view_ranking", is_siri)
rules.add_perm("applications.view_grant", is_siri | can_see_grant_application)
rules.add_perm("applications.view_transitionlog", is_siri)
# The change log (`applications.changes`): a replaced review is SIRI's, as the review is; a pool's
# edits are SIRI's back office. (A political approval's changes go with the application.)
rules.add_perm("applications.view_review_changes", is_siri & was_submitted)
rules.add_perm("applications.view_pool_changes", is_siri)
rules.add_perm("applications.view_profile", is_siri)

# The admin is SIRI's back office: module access and the read-only lists of an application's parts.
rules.add_perm("applications", is_siri)
for _model in ("targetgroup", "goal", "budgetline", "politicalapproval"):
    rules.add_perm(f"applications.view_{_model}", is_siri)
