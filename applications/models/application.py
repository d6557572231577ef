from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from core.constraints import Check
from core.lifecycle import Lifecycle, allowed
from core.money import MONEY_FIELD, format_dkk, quantize
from core.roles import SIRI_ROLES, Role, municipality_ids, role_of
from core.validators import validate_no_cpr
from core.visibility import VisibleQuerySet

from ..validators import (
    COHORT_ONLY_SHARE,
    MAX_COHORT_MONTHS,
    MAX_RAMP_QUARTERS,
    MAX_TARGET_GROUP,
    NOT_CUMULATIVE,
    PERCENT_RANGE,
    RAMP_ONLY_LEVEL,
    goal_problems,
    validate_cvr,
    validate_measures,
)
from .choices import QUEUE_STATES, ApprovalStatus, BudgetCategory, GoalKind, State
from .people import Municipality
from .pools import Pool

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def _is_complete(application: Application) -> bool:
    from ..completeness import completeness_problems

    return not completeness_problems(application)


def _all_approvals_on_record(application: Application) -> bool:
    return application.missing_political_approvals() == []


def _has_review(application: Application) -> bool:
    """An assessment to decide on: a review counts unless its reviewer declared a conflict of
    interest. A rejection's grounds come from it as a grant's do (forvaltningsloven § 24)."""
    return application.reviews.filter(conflict_of_interest=False).exists()


def _recommends_grant(application: Application) -> bool:
    """The decision follows a recommendation (indstilling): a counting review recommends a grant."""
    return application.reviews.filter(conflict_of_interest=False, recommendation="grant").exists()


class ApplicationQuerySet(VisibleQuerySet):
    def _visible_to_person(self, user: AbstractBaseUser) -> ApplicationQuerySet:
        """Everything a person may see; every view and viewset starts from here.

        Mirrors the `view_application` rule: people of the lead or a partner municipality see
        their applications, SIRI sees every application that has been submitted at least once.
        """
        role = role_of(user)
        if role in SIRI_ROLES:
            return self.filter(journal_number__isnull=False)
        if role in (Role.APPLICANT, Role.COMMITTEE):
            # The ids themselves (read once a request), not a subquery of the profile: a nested subquery
            # in every query of a page was much of the time spent compiling them (issue 16).
            return self.involving(sorted(municipality_ids(user)))
        return self.none()

    def involving(self, municipalities: list[int]) -> ApplicationQuerySet:
        """Applications led by or partnered with these municipalities. A subquery, not a join,
        so that no row is repeated and aggregates stay right; one subquery of the union of both
        (each read by its index), not `lead OR id IN (partnered)`, which PostgreSQL can answer
        only by reading every application (3 ms of each list's query among 3.000 of them).

        Written as SQL, not as two querysets: Django compiled their union anew inside every query
        of a page, 2 ms each, a quarter of a municipality's inbox (issue 16)."""
        ids = [int(pk) for pk in municipalities]
        if not ids:
            return self.none()
        marks = ", ".join(["%s"] * len(ids))
        partners = Application.partner_municipalities.through._meta.db_table
        # Only our tables' names and placeholders are written into the SQL; the ids are parameters.
        union = (
            f"SELECT id FROM {Application._meta.db_table} WHERE lead_municipality_id IN ({marks}) "  # noqa: S608
            f"UNION SELECT application_id FROM {partners} WHERE municipality_id IN ({marks})"
        )
        return self.filter(pk__in=RawSQL(union, [*ids, *ids]))  # noqa: S611

    def with_requested_total(self) -> ApplicationQuerySet:
        lines = (
            BudgetLine.objects.filter(application=models.OuterRef("pk"))
            .order_by()
            .values("application")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        return self.annotate(requested_sum=models.Subquery(lines))


class Application(Lifecycle, models.Model):
    """A municipality's application to a pool, following SIRI's application form."""

    not_from_state = _("The application cannot be %(action)s while it is %(state)s.")
    action_labels = {
        "approve_politically": _("politically approved"),
        "grant": _("granted"),
        "reject": _("rejected"),
        "return_for_revision": _("returned for revision"),
        "withdraw": _("withdrawn"),
        "review": _("reviewed"),
        "approve": _("given political approvals"),
        "assign": _("given reviewers"),
    }

    pool = models.ForeignKey(Pool, on_delete=models.PROTECT, related_name="applications", verbose_name=_("pool"))
    lead_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="led_applications",
        verbose_name=_("applicant municipality"),
    )
    partner_municipalities = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="partner_applications",
        verbose_name=_("partner municipalities"),
    )
    state = FSMField(_("state"), default=State.DRAFT, choices=State.choices, db_index=True)
    journal_number = models.CharField(
        _("journal number"), max_length=20, unique=True, null=True, blank=True, editable=False
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    receipt_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The declaration of the grant-responsible person at the latest submit: "the person with the
    # full financial and legal responsibility" confirms the application (seed 003's signature).
    declared_by_name = models.CharField(
        _("declared by"), max_length=200, blank=True, editable=False, validators=[validate_no_cpr]
    )
    declared_by_title = models.CharField(
        _("title of the declarant"), max_length=200, blank=True, editable=False, validators=[validate_no_cpr]
    )
    declared_at = models.DateTimeField(_("declared at"), null=True, blank=True, editable=False)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )

    # Applicant (SIRI's form, first section)
    applicant_unit = models.CharField(_("applying unit"), max_length=300, blank=True, validators=[validate_no_cpr])
    applicant_address = models.TextField(_("address"), blank=True, validators=[validate_no_cpr])
    cvr = models.CharField(_("CVR number"), max_length=8, blank=True, validators=[validate_cvr])
    grant_responsible_name = models.CharField(
        _("grant-responsible person"), max_length=200, blank=True, validators=[validate_no_cpr]
    )
    grant_responsible_title = models.CharField(_("title"), max_length=200, blank=True, validators=[validate_no_cpr])
    grant_responsible_email = models.EmailField(_("e-mail"), blank=True)
    grant_responsible_phone = models.CharField(_("phone"), max_length=30, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True, validators=[validate_no_cpr])
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)

    # Project
    title = models.CharField(_("project title"), max_length=300, validators=[validate_no_cpr])
    purpose = models.TextField(_("purpose"), blank=True, validators=[validate_no_cpr])
    target_group_description = models.TextField(_("primary target group"), blank=True, validators=[validate_no_cpr])
    # The seed's "den samlede målgruppes størrelse": the whole target group, of which the target
    # groups (35 women, 15 youths) are the parts the project focuses on; not their sum.
    target_group_total = models.PositiveIntegerField(
        _("size of the whole target group"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_TARGET_GROUP)],
        help_text=_("How many people the whole target group counts, e.g. 340; at least the largest target group."),
    )
    current_effort = models.TextField(_("current effort"), blank=True, validators=[validate_no_cpr])
    approach = models.TextField(_("how the goals will be reached"), blank=True, validators=[validate_no_cpr])
    objectives = models.TextField(_("concrete objectives"), blank=True, validators=[validate_no_cpr])
    measures = models.JSONField(_("measures"), default=list, blank=True, validators=[validate_measures])
    methods = models.TextField(_("methods"), blank=True, validators=[validate_no_cpr])
    # Organisation og ledelse, as SIRI's form asks for it: how each of these is ensured.
    political_anchoring = models.TextField(_("clear political anchoring"), blank=True, validators=[validate_no_cpr])
    management = models.TextField(_("strong management and organisation"), blank=True, validators=[validate_no_cpr])
    cross_sector_ownership = models.TextField(
        _("ownership across management, sectors and administrations"), blank=True, validators=[validate_no_cpr]
    )
    continuation = models.TextField(
        _("continuation of the activities and results after the project"), blank=True, validators=[validate_no_cpr]
    )
    committee_briefing = models.TextField(
        _("how the political committee is briefed every quarter"), blank=True, validators=[validate_no_cpr]
    )
    # The one free text of "Organisation og ledelse" before the section was divided into the five
    # fields above. Kept as it was written and shown where it holds text: an application submitted
    # with it keeps it; a draft's text moved to `management` (migration 0012) for its author to divide.
    organisation = models.TextField(
        _("organisation and leadership (one text, as written before the section was divided)"),
        blank=True,
        editable=False,
        validators=[validate_no_cpr],
    )
    anchoring = models.TextField(_("anchoring after the project"), blank=True, validators=[validate_no_cpr])
    start_date = models.DateField(_("project start"), null=True, blank=True)
    end_date = models.DateField(_("project end"), null=True, blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The average of its counting reviews' totals in hundredths (`review.average_hundredths`), or
    # None: the review queue sorts by it. Kept by the applications' signals when a review is saved
    # or deleted (`review.recount_averages`), so the queue does not average every queued
    # application's reviews to sort a page.
    review_average = models.IntegerField(_("average score (hundredths)"), null=True, blank=True, editable=False)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        permissions = [
            ("submit_application", "Can submit an application"),
            ("withdraw_application", "Can withdraw an application"),
            ("review_application", "Can review an application"),
            ("decide_application", "Can grant, reject or return an application"),
        ]
        constraints = [
            Check(
                condition=Q(state__in=State.values),
                name="application_state_valid",
                field="state",
                message=_("Choose one of the values offered."),
            ),
            Check(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="application_period_ordered",
                field="end_date",
                message=_("The project cannot end before it starts."),
            ),
        ]
        indexes = [
            models.Index(fields=["pool", "state"], name="application_pool_state_idx"),
            # SIRI's queues read the applications of a state oldest first (the inbox, the review queue):
            # without it PostgreSQL read every application to find the few hundred queued.
            # Only what SIRI sees (a journal number): the queue's count of what is ready for a decision
            # then reads the index alone, not 2.800 rows of the table (issue 16).
            models.Index(
                fields=["state", "submitted_at", "id"],
                name="application_queue_idx",
                condition=Q(journal_number__isnull=False),
            ),
            # The same oldest first for both states at once (what awaits review): one state's index
            # cannot give two states in order, so PostgreSQL read and sorted all 3.000 for the
            # reviewer's inbox, and counted them from the table; from this it counts from the index.
            models.Index(
                fields=["submitted_at", "id"],
                name="application_awaiting_idx",
                condition=Q(state__in=QUEUE_STATES, journal_number__isnull=False),
            ),
            # The queue by score: the average and the id of what awaits review, read from the index
            # alone instead of the applications' wide rows (238 pages of them for 950 queued).
            models.Index(
                fields=["review_average", "id"],
                name="application_score_idx",
                condition=Q(state__in=QUEUE_STATES, journal_number__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.journal_number or self.title

    def get_absolute_url(self) -> str:
        return reverse("applications:detail", kwargs={"pk": self.pk})

    def get_edit_url(self) -> str:
        return reverse("applications:edit", kwargs={"pk": self.pk})

    @property
    def average_score(self) -> Decimal | None:
        """The average of its counting reviews' totals (`review_average`), as the queue shows it: 3.34."""
        return None if self.review_average is None else Decimal(self.review_average).scaleb(-2)

    @property
    def requested_total(self) -> Decimal:
        if hasattr(self, "requested_sum"):  # annotated by with_requested_total() for lists
            return quantize(self.requested_sum)
        return quantize(self.budget_lines.aggregate(total=Sum("amount"))["total"])

    def participating_municipalities(self) -> list[Municipality]:
        return [self.lead_municipality, *self.partner_municipalities.all()]

    def missing_political_approvals(self) -> list[Municipality]:
        """Participating municipalities without an approval on record (none if not required)."""
        if not self.pool.requires_political_approval:
            return []
        approved = set(
            self.political_approvals.filter(status=ApprovalStatus.APPROVED).values_list("municipality_id", flat=True)
        )
        return [m for m in self.participating_municipalities() if m.pk not in approved]

    # Transitions. Each is only the state change; the services lock the row, check and log.

    @transition(
        field=state,
        source=State.DRAFT,
        target=State.SUBMITTED,
        permission=allowed("applications.submit_application"),
        conditions=[_is_complete],
    )
    def submit(self) -> None:
        pass

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.POLITICALLY_APPROVED,
        conditions=[_all_approvals_on_record],
    )
    def approve_politically(self) -> None:
        pass

    @transition(
        field=state,
        source=State.POLITICALLY_APPROVED,
        target=State.GRANTED,
        permission=allowed("applications.decide_application"),
        conditions=[_recommends_grant],
    )
    def grant(self) -> None:
        pass

    @transition(
        field=state,
        source=[State.SUBMITTED, State.POLITICALLY_APPROVED],
        target=State.REJECTED,
        permission=allowed("applications.decide_application"),
        conditions=[_has_review],
    )
    def reject(self) -> None:
        pass

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.DRAFT,
        permission=allowed("applications.decide_application"),
    )
    def return_for_revision(self) -> None:
        pass

    @transition(
        field=state,
        source=[State.DRAFT, State.SUBMITTED, State.POLITICALLY_APPROVED],
        target=State.WITHDRAWN,
        permission=allowed("applications.withdraw_application"),
    )
    def withdraw(self) -> None:
        pass


class TargetGroup(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="target_groups")
    name = models.CharField(_("name"), max_length=200, validators=[validate_no_cpr])
    size = models.PositiveIntegerField(_("number of people"))
    description = models.TextField(_("characteristics"), blank=True, validators=[validate_no_cpr])

    class Meta:
        # By the parent's id: by the parent itself, Django joined it to sort by its ordering (issue 16).
        ordering = ["application_id", "id"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")

    def __str__(self) -> str:
        return f"{self.size} {self.name}"


class Goal(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="goals")
    target_group = models.ForeignKey(
        TargetGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="goals",
        verbose_name=_("target group"),  # the goal form's label, in Danish on Danish pages
    )
    title = models.CharField(_("title"), max_length=300, validators=[validate_no_cpr])
    kind = models.CharField(_("kind"), max_length=20, choices=GoalKind.choices)
    target_value = models.DecimalField(
        _("target value"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    baseline = models.DecimalField(
        _("baseline"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    unit = models.CharField(_("unit"), max_length=50, blank=True, validators=[validate_no_cpr])
    # True: a count added up over the period, expected on a straight line from the baseline.
    # False: a level (a share, an average, people at a time) held at a point in time.
    cumulative = models.BooleanField(_("cumulative"), default=True)
    ramp_quarters = models.PositiveSmallIntegerField(
        _("ramp-up (quarters)"),
        default=0,
        validators=[MaxValueValidator(MAX_RAMP_QUARTERS)],
        help_text=_(
            "A level goal only: the quarters over which it rises from its baseline to the target. "
            "0: the target holds from the first quarter."
        ),
    )
    cohort_months = models.PositiveSmallIntegerField(
        _("cohort: months after enrolment"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_COHORT_MONTHS)],
        help_text=_(
            "A share measured on those enrolled at least this many months before, e.g. 12 for "
            "“40 % self-supporting 12 months after enrolment”. Empty: not a cohort goal."
        ),
    )

    class Meta:
        # By the parent's id: by the parent itself, Django joined it to sort by its ordering (issue 16).
        ordering = ["application_id", "id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            Check(
                condition=Q(kind__in=GoalKind.values),
                name="goal_kind_valid",
                field="kind",
                message=_("Choose one of the values offered."),
            ),
            Check(
                condition=Q(target_value__gte=0),
                name="goal_target_gte_0",
                field="target_value",
                message=_("The target cannot be negative."),
            ),
            Check(
                condition=~Q(kind=GoalKind.PERCENTAGE) | Q(target_value__lte=100),
                name="goal_percentage_lte_100",
                field="target_value",
                message=PERCENT_RANGE,
            ),
            Check(
                condition=Q(kind=GoalKind.COUNT) | Q(cumulative=False),
                name="goal_share_or_average_is_level",
                field="cumulative",
                message=NOT_CUMULATIVE,
            ),
            Check(
                condition=Q(ramp_quarters=0) | Q(cumulative=False),
                name="goal_ramp_only_level",
                field="ramp_quarters",
                message=RAMP_ONLY_LEVEL,
            ),
            Check(
                condition=Q(cohort_months__isnull=True)
                | Q(kind=GoalKind.PERCENTAGE, cumulative=False, cohort_months__gte=1),
                name="goal_cohort_only_share",
                field="cohort_months",
                message=COHORT_ONLY_SHARE,
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = goal_problems(
            self.kind, self.cumulative, self.ramp_quarters, self.cohort_months, self.target_value, self.baseline
        )
        if errors:
            raise ValidationError(errors)

    @property
    def is_level(self) -> bool:
        return not self.cumulative

    @property
    def is_share(self) -> bool:
        """Reported as n of N, the share computed: every percentage goal."""
        return self.kind == GoalKind.PERCENTAGE

    @property
    def is_cohort(self) -> bool:
        return self.cohort_months is not None

    @property
    def measure(self) -> str:
        """How it accumulates, as the progress API names it: ``cumulative`` or ``level``."""
        return "level" if self.is_level else "cumulative"

    @property
    def measure_text(self) -> str:
        """How the goal is measured, in a few words for tables and letters."""
        if self.cumulative:
            return str(_("Added up over the period"))
        parts = [str(_("Level held at a point in time"))]
        if self.ramp_quarters:
            parts.append(str(_("reached after a ramp-up of %(quarters)s quarters")) % {"quarters": self.ramp_quarters})
        if self.cohort_months is not None:
            parts.append(str(_("on those enrolled %(months)s months before")) % {"months": self.cohort_months})
        return ", ".join(parts)

    @property
    def takes_contributions(self) -> bool:
        """Whether an ambassador's contribution (people brought towards it) adds to it: only a
        count added up over the period; people cannot be added to a share or an average."""
        return self.kind == GoalKind.COUNT and self.cumulative


class BudgetLine(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="budget_lines")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    category = models.CharField(_("category"), max_length=20, choices=BudgetCategory.choices)
    amount = models.DecimalField(_("amount (DKK)"), **MONEY_FIELD, validators=[MinValueValidator(0)])
    fte = models.DecimalField(
        _("FTE (årsværk)"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(0)],
    )

    class Meta:
        # By the parent's id: by the parent itself, Django joined it to sort by its ordering (issue 16).
        ordering = ["application_id", "year", "category"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "year", "category"], name="budget_line_unique_year_category"
            ),
            Check(
                condition=Q(amount__gte=0),
                name="budget_line_amount_gte_0",
                field="amount",
                message=_("An amount cannot be negative."),
            ),
            Check(
                condition=Q(fte__gte=0),
                name="budget_line_fte_gte_0",
                field="fte",
                message=_("The full-time equivalents cannot be negative."),
            ),
            Check(
                condition=Q(category__in=BudgetCategory.values),
                name="budget_line_category_valid",
                field="category",
                message=_("Choose one of the values offered."),
            ),
        ]

    def __str__(self) -> str:
        # Read out by screen readers beside the row's buttons: "2027 Løn: 600.000 kr."
        return f"{self.year} {self.get_category_display()}: {format_dkk(self.amount)}"
