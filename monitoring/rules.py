"""Who may do what in monitoring. It builds on the application's rules: whoever may see an
application may see its grant's milestones, progress and handed-in reports."""

from __future__ import annotations

from typing import Any

import rules

from core.roles import is_applicant, is_committee, is_pool_admin, is_siri, municipality_ids


def _application(obj: Any) -> Any:
    """The application behind a grant, a milestone or a report."""
    if obj is None:
        return None
    grant = getattr(obj, "grant", obj)
    return grant.application


@rules.predicate
def can_see_application(user: Any, obj: Any) -> bool:
    application = _application(obj)
    return application is not None and user.has_perm("applications.view_application", application)


@rules.predicate
def of_lead_municipality(user: Any, obj: Any) -> bool:
    application = _application(obj)
    return application is not None and application.lead_municipality_id in municipality_ids(user)


@rules.predicate
def of_participating_municipality(user: Any, obj: Any) -> bool:
    application = _application(obj)
    if application is None:
        return False
    ids = municipality_ids(user)
    return application.lead_municipality_id in ids or any(m.pk in ids for m in application.partner_municipalities.all())


@rules.predicate
def was_handed_in(user: Any, report: Any) -> bool:
    # SIRI sees a report once it has been submitted, and keeps seeing one it returned.
    return report is not None and report.is_handed_in


writes_for_project = is_applicant & of_lead_municipality

rules.add_perm("monitoring.view_grant", can_see_application)
rules.add_perm("monitoring.change_milestone", writes_for_project)
rules.add_perm("monitoring.add_report", writes_for_project)
rules.add_perm(
    "monitoring.view_report",
    ((is_applicant | is_committee) & of_participating_municipality) | (is_siri & was_handed_in),
)
rules.add_perm("monitoring.change_report", writes_for_project)
rules.add_perm("monitoring.submit_report", writes_for_project)
rules.add_perm("monitoring.decide_report", is_siri & was_handed_in)
# The follow-up after the end: read with its grant, recorded by the lead municipality's applicants
# (whether the grant takes one, and when, is the service's to say: a 400/409 naming it, not a 403).
# SIRI sees every grant's, and with no object it is the back office's list of them.
rules.add_perm("monitoring.view_followup", can_see_application | is_siri)
rules.add_perm("monitoring.add_followup", writes_for_project)
rules.add_perm("monitoring.view_pool_dashboard", is_siri)
# Changing a running grant's plan (period, targets, milestones) is SIRI's decision on a change request.
rules.add_perm("monitoring.replan_grant", is_siri)
rules.add_perm("monitoring.view_nationalkpi", rules.is_authenticated)
rules.add_perm("monitoring.change_nationalkpi", is_pool_admin)
rules.add_perm("monitoring.add_nationalkpi", is_pool_admin)

# The admin: SIRI's back office reads monitoring; national KPIs are the pool admin's to enter.
rules.add_perm("monitoring", is_siri)
for _model in ("milestone", "expectedvalue", "milestonechange", "quarterlyreport", "reportlog", "notification"):
    rules.add_perm(f"monitoring.view_{_model}", is_siri)

# A project's economics (the Gribskov model): its inputs are the municipality's or SIRI's to enter.
rules.add_perm("monitoring.change_economics", writes_for_project | is_pool_admin)
