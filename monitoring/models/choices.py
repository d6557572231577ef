"""Code values of monitoring. Logic keys on these codes, never on their translated labels."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportState(models.TextChoices):
    """A quarterly report's states: the hand-in's (`handin.HandInState`), decided by accepting."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")


# The reports whose figures count: what the municipality has handed in.
COUNTING_STATES = (ReportState.SUBMITTED, ReportState.ACCEPTED)


class FipDimension(models.TextChoices):
    """The FIP tool's dimensions (VIVE's progression questionnaire, seed 002)."""

    COOPERATION = "cooperation", _("Cooperation (social)")
    ATTENDANCE = "attendance", _("Attendance (personal)")
    UNDERSTANDS_DANISH = "understands_danish", _("Understands Danish")
    SPEAKS_DANISH = "speaks_danish", _("Speaks Danish")
    QUALIFICATIONS = "qualifications", _("Professional qualifications")
    CONFIDENCE = "confidence", _("Self-confidence and goal orientation")
    HEALTH = "health", _("Health")
    JOB_SEARCH = "job_search", _("Job search and engagement")


class Respondent(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    CASEWORKER = "caseworker", _("Caseworker")


class OutcomePoint(models.TextChoices):
    """When outcomes are counted, as in the Gribskov model (seed 000)."""

    END = "end", _("At project end")
    AFTER_3_MONTHS = "after_3_months", _("3 months after")
    AFTER_12_MONTHS = "after_12_months", _("12 months after")


class FollowUpPoint(models.TextChoices):
    """When a project reports its follow-up after the end: 3 and 12 months after its end date
    (the Gribskov model's "12 mdr. efter projektafslutning", seed 000). Codes of the API."""

    AFTER_3_MONTHS = "after_3_months", _("3 months after the end")
    AFTER_12_MONTHS = "after_12_months", _("12 months after the end")


# How many months after the grant's end each follow-up point falls.
FOLLOW_UP_MONTHS = {FollowUpPoint.AFTER_3_MONTHS: 3, FollowUpPoint.AFTER_12_MONTHS: 12}


class GoalStatus(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")


class Trend(models.TextChoices):
    """Where a level goal (70 % attendance) is heading over its last reports."""

    RISING = "rising", _("Rising")
    FALLING = "falling", _("Falling")
    FLAT = "flat", _("Flat")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class NotificationKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Report due in 14 days")
    DUE_TODAY = "due_today", _("Report due today")
    LATE = "late", _("Report late")
    SUBMITTED = "submitted", _("Report submitted")
    # What the apps built on monitoring send through its daily job (the grant administration's
    # acceptance reminders, lapses, payments held or released, change requests decided).
    NOTICE = "notice", _("Notice about a grant")
