"""The grant's life cycle after the decision: the municipality accepts it (and the payment plan is
made), a grant not accepted in time lapses, SIRI revokes one with a reason. Each runs through the
kernel's runner: lock, permission, state, log."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.models import Grant, GrantState
from core import lifecycle
from core.errors import DomainError, validator_messages
from core.money import format_dkk
from core.outbox import send_later
from core.validators import validate_no_cpr
from documents.services import request_document

from ..models import Award, Payment, PaymentState
from . import payments
from .terms import terms_of

DECLARATION = gettext_lazy(
    "On behalf of %(municipality)s I accept the grant of %(amount)s for the project “%(title)s” on the "
    "conditions stated in the grant letter, and I am authorised to do so."
)
# What is missing from an acceptance: the service, the page's form and the API say the same.
NAME_MISSING = gettext_lazy("Give your name.")
TITLE_MISSING = gettext_lazy("Give your title.")
DECLARATION_MISSING = gettext_lazy("Tick the declaration to accept the grant and its conditions.")
LAPSE_LETTER = "lapse_letter"
REVOCATION_LETTER = "revocation_letter"
DECISION_TASK = "awards.tasks.notify_award_decided"


def awards() -> Any:
    return Award.objects.select_related("application__pool", "application__lead_municipality")


def declaration(grant: Grant) -> str:
    """The declaration the grant-responsible person makes, in the site's language (it is kept)."""
    application = grant.application
    with translation.override(settings.LANGUAGE_CODE):
        return str(DECLARATION) % {
            "municipality": application.lead_municipality.name,
            "amount": format_dkk(grant.amount),
            "title": application.title,
        }


def _text_problems(value: Any, missing: Any) -> list[Any]:
    text = (value or "").strip() if isinstance(value, str) else ""
    if not text:
        return [missing]
    return validator_messages([validate_no_cpr], text)


def accept(grant_id: int, user: Any, data: dict[str, Any], today: datetime.date | None = None) -> Award:
    """The lead municipality's grant-responsible person accepts the grant and its conditions, by
    name and title and an explicit declaration, by the deadline; the payment plan is made and the
    holds are applied at once (a report may be late already)."""
    today = today or timezone.localdate()

    def prepare(award: Award) -> None:
        terms = terms_of(award)
        errors: dict[str, list[Any]] = {}
        name_problems = _text_problems(data.get("accepted_by_name"), NAME_MISSING)
        title_problems = _text_problems(data.get("accepted_by_title"), TITLE_MISSING)
        if name_problems:
            errors["accepted_by_name"] = name_problems
        if title_problems:
            errors["accepted_by_title"] = title_problems
        if data.get("declaration") is not True:
            errors["declaration"] = [DECLARATION_MISSING]
        if terms.accept_by is not None and today > terms.accept_by:
            errors.setdefault("non_field_errors", []).append(
                _("The deadline to accept the grant was %(date)s; it can no longer be accepted.")
                % {"date": f"{terms.accept_by:%d.%m.%Y}"}
            )
        if errors:
            raise DomainError.invalid(errors)
        terms.accepted_at = timezone.now()
        terms.accepted_by = user
        terms.accepted_by_name = data["accepted_by_name"].strip()
        terms.accepted_by_title = data["accepted_by_title"].strip()
        terms.declaration = declaration(award)
        terms.save()

    with transaction.atomic():
        award = lifecycle.run(awards(), grant_id, user, "accept", prepare=prepare)
        payments.make_plan(award, today)
        payments.refresh_holds(award.pk, today)
    return award


def overdue_acceptances(today: datetime.date) -> list[int]:
    """The grants still awaiting acceptance whose deadline has passed."""
    return list(
        Grant.objects.filter(state=GrantState.AWAITING_ACCEPTANCE, terms__accept_by__lt=today)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def lapse(grant_id: int, today: datetime.date) -> Award | None:
    """A grant not accepted by its deadline lapses (the daily job): its money is back in the pool,
    and the lapse letter is made. None when it was accepted or lapsed in the meantime."""
    with transaction.atomic():
        award = awards().select_for_update(of=("self",)).get(pk=grant_id)
        terms = terms_of(award)
        if award.state != GrantState.AWAITING_ACCEPTANCE or terms.accept_by is None or terms.accept_by >= today:
            return None
        with translation.override(settings.LANGUAGE_CODE):
            reason = _("Not accepted by the deadline %(date)s.") % {"date": f"{terms.accept_by:%d.%m.%Y}"}
        lifecycle.apply(award, "lapse", None, reason)
        request_document(None, LAPSE_LETTER, award, check=False)
    return award


def revoke(grant_id: int, user: Any, reason: str) -> Award:
    """SIRI revokes a grant, with a reason the municipality reads in the revocation letter. What
    was not paid will not be: the unpaid payments are cancelled (kept, with the reason, for the
    audit trail), and the money is back in the pool."""
    reason = (reason or "").strip()

    def prepare(award: Award) -> None:
        if not reason:
            raise DomainError.invalid({"reason": [_("Give a reason; the municipality will see it.")]})
        unpaid = Payment.objects.select_for_update().filter(grant=award).in_plan().exclude(state=PaymentState.PAID)
        for payment in unpaid.order_by("due_on", "id"):
            payments.cancel(payment, user, reason)

    with transaction.atomic():
        award = lifecycle.run(awards(), grant_id, user, "revoke", reason=reason, prepare=prepare)
        request_document(user, REVOCATION_LETTER, award, check=False)
        # SIRI's decision by e-mail after the commit, once: keyed on the decision's log entry.
        send_later(DECISION_TASK, award.transitions.latest("at", "id").pk)
    return award
