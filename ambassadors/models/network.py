from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.models import Grant, Municipality
from core.roles import SIRI_ROLES, Role, display_name, municipality_ids, role_of
from core.validators import validate_no_cpr
from core.visibility import VisibleQuerySet

from .choices import FocusArea

# The people of a municipality who see its ambassadors and, once handed in, their reports.
MUNICIPALITY_PEOPLE = frozenset({Role.APPLICANT, Role.COMMITTEE, Role.AMBASSADOR})


class AmbassadorQuerySet(VisibleQuerySet):
    def _visible_to_person(self, user: Any) -> AmbassadorQuerySet:
        """The `ambassadors.view_ambassador` rule: SIRI sees every ambassador, an ambassador
        themself, and a municipality's applicants, committee members and ambassadors its own."""
        role = role_of(user)
        if role in SIRI_ROLES:
            return self.all()
        mine = Q(user_id=user.pk)
        if role in MUNICIPALITY_PEOPLE:
            mine |= Q(municipality_id__in=municipality_ids(user))
        return self.filter(mine)


class NetworkMeetingQuerySet(VisibleQuerySet):
    def _visible_to_person(self, user: Any) -> NetworkMeetingQuerySet:
        """The `ambassadors.view_meeting` rule: the network's meetings are SIRI's and the ambassadors'."""
        return self.all() if role_of(user) in {*SIRI_ROLES, Role.AMBASSADOR} else self.none()


class Ambassador(models.Model):
    """An employment ambassador: a person with the ambassador role, employed by a municipality's
    granted project."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ambassador")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="ambassadors", verbose_name=_("municipality")
    )
    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="ambassadors", verbose_name=_("project"))
    started_on = models.DateField(_("start date"))
    focus_areas = models.JSONField(_("focus areas"), default=list, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    objects = AmbassadorQuerySet.as_manager()

    class Meta:
        ordering = ["municipality__name", "user__first_name", "user__username"]
        verbose_name = _("ambassador")
        verbose_name_plural = _("ambassadors")

    def __str__(self) -> str:
        return display_name(self.user)

    @property
    def name_and_role(self) -> str:
        """How a document names the ambassador: "Hanne Jensen, employment ambassador, Slagelse
        Kommune"; the role and municipality alone when no name is on record, never the login."""
        role = f"{Role.AMBASSADOR.label}, {self.municipality.name}"
        name = self.user.get_full_name().strip()
        return f"{name}, {role[:1].lower()}{role[1:]}" if name else role

    @property
    def focus_labels(self) -> list[str]:
        labels = dict(FocusArea.choices)
        return [str(labels.get(code, code)) for code in self.focus_areas]


class NetworkMeeting(models.Model):
    """A meeting of the ambassador network that SIRI plans, with attendance and minutes."""

    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, validators=[validate_no_cpr])
    agenda = models.TextField(_("agenda"), blank=True, validators=[validate_no_cpr])
    minutes = models.TextField(_("minutes"), blank=True, validators=[validate_no_cpr])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NetworkMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("network meeting")
        verbose_name_plural = _("network meetings")
        indexes = [models.Index(fields=["held_on"], name="meeting_held_on_idx")]

    def __str__(self) -> str:
        return f"{self.held_on:%d.%m.%Y} {self.place}"


class Attendance(models.Model):
    meeting = models.ForeignKey(NetworkMeeting, on_delete=models.CASCADE, related_name="attendance")
    ambassador = models.ForeignKey(Ambassador, on_delete=models.CASCADE, related_name="attendance")
    attended = models.BooleanField(_("attended"), default=True)

    class Meta:
        ordering = ["meeting", "ambassador"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["meeting", "ambassador"], name="attendance_unique")]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.ambassador}"
