"""The grant as the grant administration sees it: its life cycle after the decision, the terms
the grant letter states, the acceptance, and the log of every transition.

`Award` is a proxy of the applications' `Grant`: the transitions are declared here on the
grant's own `state`, so the state is stored once, and the apps below (monitoring, ambassadors)
filter on it without knowing this app. What only this app keeps (the acceptance deadline, who
accepted, the retention and audit level the letter stated) is `GrantTerms`, one row per grant.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import transition

from applications.models import Grant, GrantState
from core.constraints import Check
from core.lifecycle import Lifecycle, allowed
from core.log import TransitionLogBase
from core.validators import validate_no_cpr
from core.visibility import VisibleQuerySet

from .choices import AuditLevel


class Award(Lifecycle, Grant):
    """A grant's life after the decision: accepted by the municipality, or lapsed when it is not
    accepted in time, or revoked by SIRI; at the end its final accounts are submitted (and
    returned to it, while SIRI asks for changes), and SIRI closes it. A closed grant is read-only."""

    not_from_state = _("The grant cannot be %(action)s while it is %(state)s.")
    action_labels = {
        # Not the reports' "accepted" (godkendes): a grant is accepted by the municipality (accepteres).
        "accept": pgettext_lazy("grant", "accepted"),
        "lapse": _("lapsed"),
        "revoke": _("revoked"),
        "change": _("changed"),
        "pay": _("paid"),
        "submit_accounts": _("given final accounts"),
        "reopen_accounts": _("given its accounts back"),
        "close": _("closed"),
    }

    class Meta:
        proxy = True
        verbose_name = _("grant")
        verbose_name_plural = _("grants")

    @transition(
        field="state",
        source=GrantState.AWAITING_ACCEPTANCE,
        target=GrantState.ACTIVE,
        permission=allowed("awards.accept_award"),
    )
    def accept(self) -> None:
        pass

    # The daily job's, when the acceptance deadline has passed: nobody's permission.
    @transition(field="state", source=GrantState.AWAITING_ACCEPTANCE, target=GrantState.LAPSED)
    def lapse(self) -> None:
        pass

    @transition(
        field="state",
        source=[GrantState.AWAITING_ACCEPTANCE, GrantState.ACTIVE],
        target=GrantState.REVOKED,
        permission=allowed("awards.revoke_award"),
    )
    def revoke(self) -> None:
        pass

    # The final accounts' own transitions move the grant with them (services.closing): no own click.
    @transition(field="state", source=GrantState.ACTIVE, target=GrantState.ACCOUNTS_SUBMITTED)
    def submit_accounts(self) -> None:
        pass

    @transition(field="state", source=GrantState.ACCOUNTS_SUBMITTED, target=GrantState.ACTIVE)
    def reopen_accounts(self) -> None:
        pass

    @transition(
        field="state",
        source=GrantState.ACCOUNTS_SUBMITTED,
        target=GrantState.CLOSED,
        permission=allowed("awards.close_award"),
    )
    def close(self) -> None:
        pass


class TermsQuerySet(VisibleQuerySet):
    def _visible_to_person(self, user: Any) -> TermsQuerySet:
        return self.filter(grant__in=Grant.objects.visible_to(user))


class GrantTerms(models.Model):
    """What the grant letter promised and what became of it: the acceptance deadline, the share
    retained and the audit level (fixed when granted, so a later change of the pool's settings
    does not change a letter already sent), and the acceptance itself."""

    grant = models.OneToOneField(Grant, on_delete=models.CASCADE, related_name="terms")
    # Null for a grant accepted before the grant administration: it was never asked to accept.
    accept_by = models.DateField(_("accept by"), null=True, blank=True)
    retention_percent = models.DecimalField(_("share retained (%)"), max_digits=5, decimal_places=2)
    audit_level = models.CharField(_("audit level"), max_length=20, choices=AuditLevel.choices)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    accepted_by_name = models.CharField(_("accepted by"), max_length=200, blank=True, validators=[validate_no_cpr])
    accepted_by_title = models.CharField(_("title"), max_length=200, blank=True, validators=[validate_no_cpr])
    # The declaration as it was worded when the municipality ticked it.
    declaration = models.TextField(_("declaration"), blank=True)

    objects = TermsQuerySet.as_manager()

    class Meta:
        verbose_name = _("grant terms")
        verbose_name_plural = _("grant terms")
        constraints = [
            Check(
                condition=Q(audit_level__in=AuditLevel.values),
                name="terms_audit_level_valid",
                field="audit_level",
                message=_("Choose one of the values offered."),
            ),
            Check(
                condition=Q(retention_percent__gte=0, retention_percent__lte=100),
                name="terms_retention_0_100",
                field="retention_percent",
                message=_("The retained share is between 0 and 100 %."),
            ),
            Check(
                condition=Q(accepted_at__isnull=True) | ~Q(accepted_by_name=""),
                name="terms_acceptance_named",
                field="accepted_by_name",
                message=_("Give your name."),
            ),
        ]
        indexes = [models.Index(fields=["accept_by"], name="terms_accept_by_idx")]

    def __str__(self) -> str:
        return f"{self.grant_id}: {self.get_audit_level_display()}"


class AwardLog(TransitionLogBase):
    """Who moved a grant from which state to which, when and why. Never edited."""

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="transitions")
    subject_field = "award"
    reason = models.TextField(_("reason"), blank=True, validators=[validate_no_cpr])

    class Meta(TransitionLogBase.Meta):
        verbose_name = _("grant log entry")
        verbose_name_plural = _("grant log")
        indexes = [models.Index(fields=["award", "at"], name="award_log_award_at_idx")]
