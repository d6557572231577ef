from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

from core.constraints import Check
from core.money import MONEY_FIELD, format_dkk
from core.roles import SIRI_ROLES, role_of, sees_everything
from core.validators import validate_no_cpr
from core.visibility import VisibleQuerySet

from .application import Application
from .choices import HOLDING_STATES, GrantState


class GrantQuerySet(VisibleQuerySet):
    def holding_money(self) -> GrantQuerySet:
        """The grants whose amount the pool has spent or promised (not lapsed, not revoked)."""
        return self.filter(state__in=HOLDING_STATES)

    def _visible_to_person(self, user: Any) -> GrantQuerySet:
        """The `monitoring.view_grant` rule: the grants of the applications the person may see
        (`applications.view_grant` says the same, as every grant's application was submitted).

        SIRI sees every submitted application, so every grant, and is asked no condition: the
        subquery that said so was compiled and planned in each of SIRI's queries of grants and of
        their reports, payments, change requests and closing, several a page (issue 16)."""
        if self.visible_in_full_to(user):
            return self.all()
        return self.filter(application__in=Application.objects.visible_to(user))

    @staticmethod
    def visible_in_full_to(user: Any) -> bool:
        """Whether `visible_to(user)` is every grant (SIRI, and superusers): what is computed of
        every grant for one such person may be shown to another (the pool dashboard's figures)."""
        return user is not None and user.is_authenticated and (sees_everything(user) or role_of(user) in SIRI_ROLES)


class Grant(models.Model):
    """The grant (tilsagn) SIRI gives a granted application: amount, period and conditions.

    Reached from its application as ``application.award``: ``application.grant`` is the transition.
    Its life after the decision (acceptance, lapse, revocation, the final accounts) is the grant
    administration's (`awards.Award`, a proxy of this model that declares the transitions on
    this very `state`), so the state is stored once and the apps below can filter on it.
    """

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="award")
    amount = models.DecimalField(_("amount (DKK)"), **MONEY_FIELD)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    conditions = models.TextField(_("conditions"), blank=True, validators=[validate_no_cpr])
    state = FSMField(
        _("state"), max_length=20, choices=GrantState.choices, default=GrantState.AWAITING_ACCEPTANCE, protected=False
    )
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    objects = GrantQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at"]
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        constraints = [
            Check(
                condition=Q(amount__gt=0),
                name="grant_amount_gt_0",
                field="amount",
                message=_("The amount must be more than 0 kr."),
            ),
            Check(
                condition=Q(end_date__gte=models.F("start_date")),
                name="grant_period_ordered",
                field="end_date",
                message=_("The project cannot end before it starts."),
            ),
            Check(
                condition=Q(state__in=GrantState.values),
                name="grant_state_valid",
                field="state",
                message=_("Choose one of the values offered."),
            ),
        ]
        indexes = [models.Index(fields=["state"], name="grant_state_idx")]

    def __str__(self) -> str:
        return f"{self.application} ({format_dkk(self.amount)})"
