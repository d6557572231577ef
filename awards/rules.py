"""Who may do what in the grant administration. It builds on monitoring's rule for a grant:
whoever may see the grant may see its payments, change requests, versions and letters.

The state is not part of these rules: "not from this state" is a 409 from the services."""

from __future__ import annotations

from typing import Any

import rules

from core.roles import is_applicant, is_pool_admin, is_siri, municipality_ids


def _grant(obj: Any) -> Any:
    """The grant behind a grant, a payment, a change request or a version."""
    if obj is None:
        return None
    return getattr(obj, "grant", obj)


@rules.predicate
def can_see_grant(user: Any, obj: Any) -> bool:
    grant = _grant(obj)
    return grant is not None and user.has_perm("monitoring.view_grant", grant)


@rules.predicate
def of_lead_municipality(user: Any, obj: Any) -> bool:
    grant = _grant(obj)
    return grant is not None and grant.application.lead_municipality_id in municipality_ids(user)


# The lead municipality's grant-responsible side answers for the grant: accepts it, asks for changes.
lead_applicant = is_applicant & of_lead_municipality
# Without an object, `is_siri` answers "may SIRI look at these at all" (the admin's lists); with
# one, SIRI sees every grant (every grant's application was submitted), so both say the same.
sees = is_siri | can_see_grant

rules.add_perm("awards.view_award", sees)
rules.add_perm("awards.accept_award", lead_applicant)
rules.add_perm("awards.revoke_award", is_siri)

rules.add_perm("awards.view_payment", sees)
rules.add_perm("awards.pay_payment", is_pool_admin)
# SIRI's payments overview and its CSV export for the finance system.
rules.add_perm("awards.view_payment_overview", is_siri)

rules.add_perm("awards.view_changerequest", sees)
rules.add_perm("awards.add_changerequest", lead_applicant)
rules.add_perm("awards.withdraw_changerequest", lead_applicant)
rules.add_perm("awards.decide_changerequest", is_siri)
rules.add_perm("awards.view_change_queue", is_siri)

# The end of the grant: the lead municipality writes the final report and accounts, SIRI decides
# on them, closes the grant; the pool admin records the repayment as paid.
rules.add_perm("awards.view_finalreport", sees)
rules.add_perm("awards.change_finalreport", lead_applicant)
rules.add_perm("awards.decide_finalreport", is_siri)
rules.add_perm("awards.view_finalaccounts", sees)
rules.add_perm("awards.change_finalaccounts", lead_applicant)
rules.add_perm("awards.decide_finalaccounts", is_siri)
rules.add_perm("awards.view_repayment", sees)
rules.add_perm("awards.pay_repayment", is_pool_admin)
rules.add_perm("awards.close_award", is_siri)

rules.add_perm("awards.view_grantversion", sees)
rules.add_perm("awards.view_grantterms", sees)

# The admin: SIRI's back office reads the grant administration.
rules.add_perm("awards", is_siri)
for _model in (
    "awardlog",
    "paymentlog",
    "changerequestlog",
    "versionline",
    "finalreportlog",
    "finalaccountslog",
    "repaymentlog",
    "finalresult",
    "accountline",
):
    rules.add_perm(f"awards.view_{_model}", is_siri)
