"""Who may do what in the ambassador network. Builds on the applications' predicates."""

from __future__ import annotations

from typing import Any

import rules

from core.roles import is_ambassador, is_applicant, is_committee, is_siri, municipality_ids


@rules.predicate
def is_own_report(user: Any, report: Any) -> bool:
    return report is not None and report.ambassador.user_id == user.pk


@rules.predicate
def is_self(user: Any, ambassador: Any) -> bool:
    return ambassador is not None and ambassador.user_id == user.pk


@rules.predicate
def of_ambassadors_municipality(user: Any, obj: Any) -> bool:
    """The ambassador's (or the report's ambassador's) municipality is one of the user's."""
    if obj is None:
        return False
    ambassador = getattr(obj, "ambassador", obj)
    return ambassador.municipality_id in municipality_ids(user)


@rules.predicate
def was_handed_in(user: Any, report: Any) -> bool:
    return report is not None and report.is_handed_in


@rules.predicate
def is_published(user: Any, practice: Any) -> bool:
    return practice is not None and practice.state == "published"


@rules.predicate
def proposed_it(user: Any, practice: Any) -> bool:
    # Not an entry whose proposer is gone (None) for someone without an id (anonymous).
    return practice is not None and practice.proposed_by_id is not None and practice.proposed_by_id == user.pk


municipality_people = (is_applicant | is_committee | is_ambassador) & of_ambassadors_municipality

rules.add_perm("ambassadors.view_ambassador", is_siri | is_self | municipality_people)
rules.add_perm("ambassadors.view_network", is_siri)
rules.add_perm("ambassadors.add_ambassador", is_siri)
rules.add_perm("ambassadors.change_ambassador", is_siri)

rules.add_perm("ambassadors.add_report", is_ambassador)
rules.add_perm("ambassadors.view_report", is_own_report | ((is_siri | municipality_people) & was_handed_in))
rules.add_perm("ambassadors.change_report", is_ambassador & is_own_report)
rules.add_perm("ambassadors.submit_report", is_ambassador & is_own_report)
rules.add_perm("ambassadors.acknowledge_report", is_siri & was_handed_in)

rules.add_perm("ambassadors.view_meeting", is_siri | is_ambassador)
rules.add_perm("ambassadors.change_meeting", is_siri)

rules.add_perm("ambassadors.view_bestpractice", is_published | is_siri | proposed_it)
rules.add_perm("ambassadors.add_bestpractice", is_ambassador | is_siri)
rules.add_perm("ambassadors.publish_bestpractice", is_siri)
# Who may add to an entry (its tools as PDF): SIRI, who keeps the catalogue, and the ambassador
# who proposed it. Reading them is reading the entry (`view_bestpractice`).
rules.add_perm("ambassadors.add_practice_attachment", is_siri | (is_ambassador & proposed_it))

# The admin: SIRI's back office.
rules.add_perm("ambassadors", is_siri)
for _model in ("ambassadorreport", "ambassadorreportlog", "networkmeeting", "attendance", "practiceattachment"):
    rules.add_perm(f"ambassadors.view_{_model}", is_siri)
for _model in ("networkmeeting", "attendance", "bestpractice"):
    for _action in ("add", "change"):
        if not rules.perm_exists(f"ambassadors.{_action}_{_model}"):
            rules.add_perm(f"ambassadors.{_action}_{_model}", is_siri)
# An entry's contacts are edited beside it in the admin.
for _action in ("view", "add", "change", "delete"):
    rules.add_perm(f"ambassadors.{_action}_practicecontact", is_siri)
