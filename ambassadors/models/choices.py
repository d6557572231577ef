"""Code values of the ambassador network; logic keys on these, never on their labels."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FocusArea(models.TextChoices):
    WOMEN = "women", _("Women")
    YOUTH = "youth", _("Youth")
    COMPANIES = "companies", _("Companies")
    IGU = "igu", _("IGU")
    LANGUAGE = "language", _("Language")
    HEALTH = "health", _("Health")
    OTHER = "other", _("Other")


class AmbassadorReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")


class MatchKind(models.TextChoices):
    INTERNSHIP = "internship", _("Company internship")
    WAGE_SUBSIDY = "wage_subsidy", _("Wage subsidy")
    IGU = "igu", _("IGU")
    ORDINARY_JOB = "ordinary_job", _("Ordinary job")


class Theme(models.TextChoices):
    """The themes of the Rambøll catalogue (seed 001) and a few more."""

    CROSS_DISCIPLINARY = "cross_disciplinary", _("Cross-disciplinary organisation")
    EMPOWERMENT = "empowerment", _("Empowerment")
    VISUAL_TOOLS = "visual_tools", _("Visual tools")
    COMPANY_COOPERATION = "company_cooperation", _("Company cooperation")
    PROFESSIONAL_BELIEFS = "professional_beliefs", _("Professionals' beliefs")
    INTERNSHIP_AND_HOURS = "internship_and_hours", _("Internship combined with ordinary hours")
    VULNERABLE_WOMEN = "vulnerable_women", _("Vulnerable women")
    UPSKILLING = "upskilling", _("Employment-oriented upskilling")
    ASYLUM_CENTRES = "asylum_centres", _("Cooperation with asylum centres")
    EDUCATION = "education", _("Education")
    IGU = "igu", _("Integration basic education (IGU)")
    SUPPORTED_JOBS = "supported_jobs", _("Supported jobs")
    OTHER = "other", _("Other")


class PracticeState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    PUBLISHED = "published", _("Published")
