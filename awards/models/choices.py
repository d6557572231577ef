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
