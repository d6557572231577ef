"""The grant administration's letters: the sections it adds to the grant letter (budget per
year, acceptance, payment plan and retention, audit level, changes) and its own letters: the
decision on a change request, the lapse and the revocation. Built in the background by the
documents app, always in Danish, filed by the municipality in its own case system."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from applications.documents.letters import GRANT_LETTER_SECTIONS
from applications.models import Grant
from documents.registry import Kind, register, register_related

from ..models import Award, ChangeRequest
from .closing import render_accounts_letter, render_closing_letter
from .decisions import render_change_decision, render_lapse_letter, render_revocation_letter
from .grant_letter import SECTIONS


def _may_have_grant_letter(user: Any, grant: Any) -> bool:
    # The subject comes back as the concrete Grant: a proxy's documents are filed under its model.
    return isinstance(grant, Grant) and user.has_perm("awards.view_award", grant)


def _grants_of(user: Any) -> Any:
    """`_may_have_grant_letter` for many documents at once; one function for every grant letter,
    so that the documents' visibility asks it once for all of them."""
    return Award.objects.visible_to(user)


def _may_have_change_letter(user: Any, change: Any) -> bool:
    return isinstance(change, ChangeRequest) and user.has_perm("awards.view_changerequest", change)


KINDS = [
    Kind(
        "change_decision_letter",
        gettext_lazy("Decision on a change request"),
        render_change_decision,
        _may_have_change_letter,
        lambda user: ChangeRequest.objects.visible_to(user),
    ),
    Kind(
        "lapse_letter",
        gettext_lazy("Lapse letter"),
        render_lapse_letter,
        _may_have_grant_letter,
        _grants_of,
    ),
    Kind(
        "revocation_letter",
        gettext_lazy("Revocation letter"),
        render_revocation_letter,
        _may_have_grant_letter,
        _grants_of,
    ),
    Kind(
        "repayment_letter",
        gettext_lazy("Approval of the final accounts and claim for repayment"),
        render_accounts_letter,
        _may_have_grant_letter,
        _grants_of,
    ),
    Kind(
        "accounts_approval_letter",
        gettext_lazy("Approval of the final accounts"),
        render_accounts_letter,
        _may_have_grant_letter,
        _grants_of,
    ),
    Kind(
        "closing_letter",
        gettext_lazy("Closing letter"),
        render_closing_letter,
        _may_have_grant_letter,
        _grants_of,
    ),
]


def register_letters() -> None:
    for kind in KINDS:
        register(kind)
    # A grant's change requests carry letters of their own; a page about the grant (or its
    # application) lists them with the grant's.
    register_related(Grant, lambda grant: ChangeRequest.objects.filter(grant_id=grant.pk))
    for section in SECTIONS:
        if section not in GRANT_LETTER_SECTIONS:
            GRANT_LETTER_SECTIONS.append(section)
