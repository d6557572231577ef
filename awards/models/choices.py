"""Code values of the grant administration. Logic keys on these codes, never on their labels."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    PAID = "paid", _("Paid")
    RETAINED = "retained", _("Retained")
    # No longer to be paid (the grant revoked, or the plan spread again): kept for the audit trail.
    CANCELLED = "cancelled", _("Cancelled")


class PaymentKind(models.TextChoices):
    INSTALMENT = "instalment", _("Quarterly instalment")
    RETENTION = "retention", _("Retained until the final accounts")


class ChangeKind(models.TextChoices):
    BUDGET = "budget", _("Budget")
    PERIOD = "period", _("Project period")
    GOALS = "goals", _("Goals")
    MILESTONES = "milestones", _("Milestones")


class ChangeState(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting SIRI's decision")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class AuditLevel(models.TextChoices):
    """Who must audit the final accounts, by the amount (the pool's limits; state practice)."""

    QUALIFIED = "qualified", _("An independent qualified accountant")
    REGISTERED = "registered", _("A registered or state-authorised auditor")
    PERFORMANCE = "performance", _("A registered or state-authorised auditor, with a performance audit")


class FinalReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting SIRI")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned for changes")


class AccountsState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting SIRI")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for changes")


class AuditorKind(models.TextChoices):
    """Who audited the final accounts; the audit level says which are enough."""

    QUALIFIED = "qualified", _("An independent qualified accountant")
    REGISTERED = "registered", _("A registered auditor")
    STATE_AUTHORISED = "state_authorised", _("A state-authorised auditor")


class RepaymentState(models.TextChoices):
    OPEN = "open", _("Open")
    PAID = "paid", _("Paid")
