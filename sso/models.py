"""Who a person is at the OpenID provider (NemLog-in / MitID Erhverv): the login's stable subject
and the organisation (CVR) it was issued for. The profile (role, municipalities) stays where it
always is, on `applications.Profile`; a person with an identity but no profile waits for SIRI."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.models import Municipality


class SsoIdentity(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_identity", verbose_name=_("user")
    )
    # The provider's `sub`: one provider is configured at a time, so the subject alone is unique.
    subject = models.CharField(_("subject"), max_length=255, unique=True)
    cvr = models.CharField(_("CVR number"), max_length=8)
    # None for SIRI's own staff (OIDC_SIRI_CVR), who act for no municipality.
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    first_login = models.DateTimeField(_("first login"), auto_now_add=True)
    last_login = models.DateTimeField(_("last login"), auto_now=True)

    class Meta:
        verbose_name = _("single sign-on identity")
        verbose_name_plural = _("single sign-on identities")

    def __str__(self) -> str:
        return f"{self.user} ({self.cvr})"
