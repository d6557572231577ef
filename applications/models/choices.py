"""Code values of the domain. Logic keys on these codes, never on their translated labels."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    POLITICALLY_APPROVED = "politically_approved", _("Politically approved")
    GRANTED = "granted", _("Granted")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The states of an application that awaits SIRI: the review queue's and the inbox's.
QUEUE_STATES = (State.SUBMITTED, State.POLITICALLY_APPROVED)


class FormSection(models.TextChoices):
    """The sections of SIRI's application form, in its order: the headings of the form, of the
    read view and of the PDF, and the keys of a pool's guidance per section (`Pool.guidance`)."""

    APPLICANT = "applicant", _("Applicant")
    RESPONSIBLE = "responsible", _("Grant-responsible person")
    PROJECT = "project", _("Project and purpose")
    TARGET_GROUP = "target_group", _("Primary target group")
    EFFORT = "effort", _("Current effort and approach")
    MEASURES = "measures", _("Measures and methods")
    GOALS = "goals", _("Goals")
    ORGANISATION = "organisation", _("Organisation and leadership")
    ANCHORING = "anchoring", _("Anchoring")
    PERIOD = "period", _("Project period and partners")
    BUDGET = "budget", _("Budget")
    APPROVAL = "approval", _("Political approval")
    ATTACHMENTS = "attachments", _("Attachments")


class Measure(models.TextChoices):
    INTERNSHIP = "internship", _("Company internship (virksomhedspraktik)")
    WAGE_SUBSIDY = "wage_subsidy", _("Wage subsidy (løntilskud)")
    IGU = "igu", _("IGU (integrationsgrunduddannelse)")
    MENTOR = "mentor", _("Mentor")
    LANGUAGE_BUDDY = "language_buddy", _("Language buddy (sprogmakker)")
    FAMILY = "family", _("Family-oriented effort")
    VOLUNTEER = "volunteer", _("Voluntary organisations")
    INSPIRATION = "inspiration", _("Inspiration courses")
    OTHER = "other", _("Other")


class BudgetCategory(models.TextChoices):
    SALARIES = "salaries", _("Salaries")
    ACTIVITIES = "activities", _("Activities")
    ADMINISTRATION = "administration", _("Administration")
    AUDIT = "audit", _("Audit")
    OTHER = "other", _("Other")


class GoalKind(models.TextChoices):
    COUNT = "count", _("Count of people")
    PERCENTAGE = "percentage", _("Percentage")
    AVERAGE = "average", _("Average")


class ApprovalStatus(models.TextChoices):
    APPROVED = "approved", _("Approved")
    PENDING = "pending", _("Sent later")


class Recommendation(models.TextChoices):
    GRANT = "grant", _("Grant")
    REJECT = "reject", _("Reject")
    REVISE = "revise", _("Return for revision")


class GrantState(models.TextChoices):
    """A grant's life after the decision; its transitions are the grant administration's (awards)."""

    AWAITING_ACCEPTANCE = "awaiting_acceptance", _("Awaiting acceptance")
    ACTIVE = "active", _("Active")
    ACCOUNTS_SUBMITTED = "accounts_submitted", _("Final accounts submitted")
    CLOSED = "closed", _("Closed")
    LAPSED = "lapsed", _("Lapsed")
    REVOKED = "revoked", _("Revoked")


# The grants whose money is spoken for. A lapsed or revoked grant gives its amount back to the
# pool's remaining budget (what a revoked grant had paid out is claimed back, see awards).
HOLDING_STATES = (
    GrantState.AWAITING_ACCEPTANCE,
    GrantState.ACTIVE,
    GrantState.ACCOUNTS_SUBMITTED,
    GrantState.CLOSED,
)
# The grants that report every quarter: accepted, and neither closed, lapsed nor revoked. A grant
# awaiting acceptance is not in force yet; the reports owed are reminded once it is accepted.
REPORTING_STATES = (GrantState.ACTIVE, GrantState.ACCOUNTS_SUBMITTED)
# The grants that owe nothing more: no report of theirs is late any more.
ENDED_STATES = (GrantState.CLOSED, GrantState.LAPSED, GrantState.REVOKED)
