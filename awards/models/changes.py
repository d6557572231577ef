"""Change requests (ændringsanmodninger) and the versions of a grant's budget and plan that the
approved ones make. A version is written once and kept: the first is the plan as granted, each
approved change adds the next."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from applications.models import BudgetCategory, Grant
from core.constraints import Check
from core.lifecycle import Lifecycle, allowed
from core.log import AppendOnly, AppendOnlyQuerySet, TransitionLogBase
from core.money import MONEY_FIELD
from core.validators import validate_no_cpr
from core.visibility import VisibleQuerySet

from .choices import ChangeKind, ChangeState


class OfVisibleGrant(VisibleQuerySet):
    """The rows of the grants the person may see (each model's ``view_*`` rule says the same)."""

    def _visible_to_person(self, user: Any) -> OfVisibleGrant:
        return self.filter(grant__in=Grant.objects.visible_to(user))


class VersionQuerySet(AppendOnlyQuerySet, OfVisibleGrant):
    """A grant's versions: added to and read, never changed or deleted in bulk either."""


class GrantVersion(AppendOnly, models.Model):
    """The budget and plan of a grant as they stood from `created_at`: the amount, the period,
    the budget lines, each goal's target and each quarter's expected values."""

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    change_request = models.OneToOneField(
        "ChangeRequest", on_delete=models.PROTECT, null=True, blank=True, related_name="resulting_version"
    )
    amount = models.DecimalField(_("amount (DKK)"), **MONEY_FIELD)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    # [{"goal", "title", "target_value"}] and [{"year", "quarter", "report_due_on", "expected": {goal: value}}]
    goals = models.JSONField(_("goals"), default=list)
    milestones = models.JSONField(_("milestones"), default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VersionQuerySet.as_manager()

    class Meta:
        # By the parent's id: by the parent itself, Django joined it to sort by its ordering (issue 16).
        ordering = ["grant_id", "number"]
        verbose_name = _("version of the budget and plan")
        verbose_name_plural = _("versions of the budget and plan")
        constraints = [
            models.UniqueConstraint(fields=["grant", "number"], name="version_unique_number"),
            Check(
                condition=Q(amount__gt=0),
                name="version_amount_gt_0",
                field="amount",
                message=_("The budget must be more than 0 kr."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grant_id} v{self.number}"


class VersionLine(AppendOnly, models.Model):
    """A budget line of a version: the year, the category, the amount and the FTE (årsværk).
    Written with its version and kept as it is: the version is the record of what was approved."""

    version = models.ForeignKey(GrantVersion, on_delete=models.PROTECT, related_name="lines")
    year = models.PositiveSmallIntegerField(_("year"))
    category = models.CharField(_("category"), max_length=20, choices=BudgetCategory.choices)
    amount = models.DecimalField(_("amount (DKK)"), **MONEY_FIELD, validators=[MinValueValidator(Decimal(0))])
    fte = models.DecimalField(_("FTE (årsværk)"), max_digits=6, decimal_places=2, default=Decimal(0))

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        # By the parent's id: by the parent itself, Django joined it to sort by its ordering (issue 16).
        ordering = ["version_id", "year", "category"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(fields=["version", "year", "category"], name="version_line_unique"),
            Check(
                condition=Q(amount__gte=0),
                name="version_line_amount_gte_0",
                field="amount",
                message=_("An amount cannot be negative."),
            ),
            Check(
                condition=Q(category__in=BudgetCategory.values),
                name="version_line_category",
                field="category",
                message=_("Choose one of the values offered."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version}: {self.year} {self.category} {self.amount}"


class ChangeRequest(Lifecycle, models.Model):
    """The municipality asks SIRI to change the budget, the period, the goals or the remaining
    milestones of a running grant, with a reason; SIRI approves or refuses with a reason."""

    not_from_state = _("The change request cannot be %(action)s while it is %(state)s.")
    action_labels = {"approve": _("approved"), "refuse": _("refused"), "withdraw": _("withdrawn")}

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="change_requests")
    kind = models.CharField(_("kind"), max_length=20, choices=ChangeKind.choices)
    reason = models.TextField(_("reason"), validators=[validate_no_cpr])
    state = FSMField(_("state"), choices=ChangeState.choices, default=ChangeState.SUBMITTED, protected=False)
    # What is asked, by kind: the whole new budget ([{"year", "category", "amount", "fte"}]), the
    # new end date, new goal targets ([{"goal", "target_value"}]) or the remaining milestones
    # ([{"year", "quarter", "expected": [{"goal", "value"}], "planned_activities"}]).
    budget_lines = models.JSONField(_("budget lines"), default=list, blank=True)
    end_date = models.DateField(_("new end date"), null=True, blank=True)
    goals = models.JSONField(_("goals"), default=list, blank=True)
    milestones = models.JSONField(_("milestones"), default=list, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True, validators=[validate_no_cpr])

    objects = OfVisibleGrant.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        constraints = [
            Check(
                condition=Q(kind__in=ChangeKind.values),
                name="change_kind_valid",
                field="kind",
                message=_("Choose one of the values offered."),
            ),
            Check(
                condition=Q(state__in=ChangeState.values),
                name="change_state_valid",
                field="state",
                message=_("Choose one of the values offered."),
            ),
            Check(
                condition=~Q(kind=ChangeKind.PERIOD) | Q(end_date__isnull=False),
                name="change_period_has_end",
                field="end_date",
                message=_("Give the new end date of the project."),
            ),
            # One open request of a kind per grant: the next one builds on SIRI's answer to it.
            models.UniqueConstraint(
                fields=["grant", "kind"], condition=Q(state=ChangeState.SUBMITTED), name="change_one_open_per_kind"
            ),
        ]
        indexes = [models.Index(fields=["state", "submitted_at"], name="change_state_submitted_idx")]

    def __str__(self) -> str:
        return f"{self.grant_id}: {self.kind} ({self.state})"

    @transition(
        field=state,
        source=ChangeState.SUBMITTED,
        target=ChangeState.APPROVED,
        permission=allowed("awards.decide_changerequest"),
    )
    def approve(self) -> None:
        pass

    @transition(
        field=state,
        source=ChangeState.SUBMITTED,
        target=ChangeState.REFUSED,
        permission=allowed("awards.decide_changerequest"),
    )
    def refuse(self) -> None:
        pass

    @transition(
        field=state,
        source=ChangeState.SUBMITTED,
        target=ChangeState.WITHDRAWN,
        permission=allowed("awards.withdraw_changerequest"),
    )
    def withdraw(self) -> None:
        pass


class ChangeRequestLog(TransitionLogBase):
    """Who moved a change request from which state to which, when and why. Never edited."""

    change_request = models.ForeignKey(ChangeRequest, on_delete=models.PROTECT, related_name="transitions")
    subject_field = "change_request"
    reason = models.TextField(_("reason"), blank=True, validators=[validate_no_cpr])

    class Meta(TransitionLogBase.Meta):
        verbose_name = _("change request log entry")
        verbose_name_plural = _("change request log")
        indexes = [models.Index(fields=["change_request", "at"], name="change_log_request_at_idx")]
