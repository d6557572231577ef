"""The reviewer's desk: the queue's filters, the scoring form and the three decisions' forms."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import django_filters
from django import forms
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext_lazy as _

from core import forms as core_forms
from core.forms import DesignSystemForm, MoneyField, text_field
from core.roles import display_name
from core.validators import validate_no_cpr

from ..api.filters import ApplicationFilter
from ..models import Assignment, Criterion, Recommendation, Review

SCORE_CHOICES = [(value, str(value)) for value in range(1, 6)]
MINE, UNASSIGNED = "mine", "unassigned"
ASSIGNED_CHOICES = [(MINE, _("Assigned to me")), (UNASSIGNED, _("Lacking reviewers"))]


class QueueFilterForm(DesignSystemForm, forms.Form):
    """The API's filters as a page form: translated labels, and states as checkboxes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pool"].label = _("Pool")
        self.fields["pool"].empty_label = _("All pools")
        self.fields["municipality"].label = _("Municipality (applicant or partner)")
        self.fields["municipality"].empty_label = _("All municipalities")
        self.fields["journal_number"].label = _("Journal number")
        self.fields["q"].label = _("Search by journal number or title")
        assigned = self.fields["assigned"]
        assigned.label = _("Assignment")
        assigned.widget = forms.RadioSelect(choices=[("", _("All")), *ASSIGNED_CHOICES], attrs={"class": "form-radio"})
        state = self.fields["state"]
        state.label = _("State")
        state.help_text = _("Tick none to see every state.")
        # Checkboxes instead of a multiple select: usable by keyboard and screen readers alike.
        state.widget = forms.CheckboxSelectMultiple(choices=state.choices, attrs={"class": "form-checkbox"})


class QueueFilter(ApplicationFilter):
    """The same filters as the API's list, so the queue and the API never disagree, and the
    page's search by journal number or title (part of either, any case)."""

    q = django_filters.CharFilter(method="search")
    assigned = django_filters.ChoiceFilter(choices=ASSIGNED_CHOICES, method="filter_assigned", empty_label=None)

    class Meta(ApplicationFilter.Meta):
        form = QueueFilterForm
        fields = [*ApplicationFilter.Meta.fields, "q", "assigned"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # One table, one row per application: DISTINCT would only complicate the sorted query.
        self.filters["state"].distinct = False

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        words = value.split()
        for word in words:
            queryset = queryset.filter(Q(journal_number__icontains=word) | Q(title__icontains=word))
        return queryset

    def filter_assigned(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        """*Mine*: assigned to the user. *Unassigned*: fewer reviewers than the pool asks for."""
        if value == MINE:
            return queryset.filter(
                Exists(Assignment.objects.filter(application=OuterRef("pk"), reviewer=self.request.user))
            )
        assigned = Assignment.objects.filter(application=OuterRef("pk")).order_by().values("application")
        count = Coalesce(Subquery(assigned.annotate(n=Count("pk")).values("n")), 0)
        return queryset.alias(assigned_count=count).filter(assigned_count__lt=F("pool__reviewers_per_application"))


class ScoreForm(DesignSystemForm, forms.Form):
    """The assessment: per criterion of the pool a 1–5 score and its written reason; then the
    recommendation (with an amount to grant it), a comment and the conflict of interest. The
    service decides what is valid; this form asks for what is missing, so that each missing answer
    is shown at its own question."""

    recommendation = forms.ChoiceField(
        label=_("Your recommendation"),
        choices=Recommendation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Recommend grant, reject or revise.")},
    )
    amount = MoneyField(
        label=_("Amount you recommend granting (kr.)"),
        required=False,
        help_text=_("With a recommendation to grant: at most what was applied for and the pool's maximum grant."),
    )
    comment = text_field(_("Comment"), help_text=_("Seen by SIRI only."), validators=[validate_no_cpr])
    conflict_of_interest = forms.BooleanField(
        label=_("I have a conflict of interest in this application"),
        required=False,
        help_text=_(
            "Your scores and recommendation are then not saved, you cannot decide on the application, "
            "and you are no longer assigned to it."
        ),
    )

    def __init__(self, *args: Any, criteria: Iterable[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[self.field_name(criterion)] = forms.TypedChoiceField(
                label=criterion.name,
                choices=SCORE_CHOICES,
                coerce=int,
                empty_value=None,
                # Added after the mixin styled the declared fields, so styled here.
                widget=forms.RadioSelect(attrs={"class": "form-radio"}),
                help_text=_("Weight: %(weight)s") % {"weight": floatformat(criterion.weight, -2)},
                error_messages={"required": _("Choose a score from 1 to 5.")},
            )
            self.fields[self.reason_name(criterion)] = forms.CharField(
                label=_("Reason for the score of “%(criterion)s”") % {"criterion": criterion.name},
                widget=forms.Textarea(attrs={"rows": 3, "class": "form-input"}),
                validators=[validate_no_cpr],
                help_text=_("A rejection letter quotes it to the applicant."),
                error_messages={"required": _("Give the reason for your score.")},
            )
        self.order_fields([*self.criterion_field_names, "recommendation", "amount", "comment", "conflict_of_interest"])
        if self.is_bound and self._declares_conflict():
            # Nothing to assess then; the page still shows every question as required.
            for name in [*self.criterion_field_names, "recommendation"]:
                self.fields[name].required = False

    def _declares_conflict(self) -> bool:
        name = "conflict_of_interest"
        return bool(self.fields[name].widget.value_from_datadict(self.data, self.files, self.add_prefix(name)))

    @staticmethod
    def field_name(criterion: Criterion) -> str:
        return f"score_{criterion.pk}"

    @staticmethod
    def reason_name(criterion: Criterion) -> str:
        return f"reason_{criterion.pk}"

    @property
    def criterion_field_names(self) -> list[str]:
        names: list[str] = []
        for criterion in self.criteria:
            names += [self.field_name(criterion), self.reason_name(criterion)]
        return names

    @property
    def score_field_names(self) -> list[str]:
        return [self.field_name(criterion) for criterion in self.criteria]

    @property
    def score_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.score_field_names]

    @property
    def criterion_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        """Each criterion's score and reason, to show them together."""
        return [(self[self.field_name(c)], self[self.reason_name(c)]) for c in self.criteria]

    @property
    def other_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("recommendation", "amount", "comment", "conflict_of_interest")]

    @classmethod
    def initial_from(cls, review: Review | None, criteria: Iterable[Criterion]) -> dict[str, Any]:
        if review is None:
            return {}
        initial: dict[str, Any] = {
            "recommendation": review.recommendation,
            "amount": review.amount,
            "comment": review.comment,
            "conflict_of_interest": review.conflict_of_interest,
        }
        reasons = review.reasons
        for criterion in criteria:
            if criterion.name in review.scores:
                initial[cls.field_name(criterion)] = review.scores[criterion.name]
            if criterion.name in reasons:
                initial[cls.reason_name(criterion)] = reasons[criterion.name]
        return initial

    def scores(self) -> dict[str, int]:
        """The scores given so far, by criterion name; a half-filled form gives what it has."""
        data = getattr(self, "cleaned_data", {})
        if data.get("conflict_of_interest"):
            return {}
        return {
            criterion.name: data[self.field_name(criterion)]
            for criterion in self.criteria
            if data.get(self.field_name(criterion)) is not None
        }

    def service_data(self) -> dict[str, Any]:
        """What `services.save_review` takes. A declared conflict sends no assessment: a ticked
        radio button cannot be unticked in a browser, so the reviewer could not clear the scores.
        An amount goes only with a recommendation to grant (one typed before choosing otherwise
        is dropped)."""
        data = self.cleaned_data
        conflict = bool(data.get("conflict_of_interest"))
        recommendation = "" if conflict else data.get("recommendation") or ""
        reasons = {} if conflict else {c.name: data.get(self.reason_name(c)) or "" for c in self.criteria}
        return {
            "scores": self.scores(),
            "reasons": reasons,
            "recommendation": recommendation,
            "amount": data.get("amount") if recommendation == Recommendation.GRANT else None,
            "comment": data.get("comment") or "",
            "conflict_of_interest": conflict,
        }


class AssignForm(DesignSystemForm, forms.Form):
    """The pool admin's choice of a reviewer, each offered with their workload. Who cannot be
    assigned (a declared conflict, assigned already) is the service's to say."""

    reviewer = forms.ModelChoiceField(
        label=_("Reviewer"),
        queryset=None,
        empty_label=_("Choose a reviewer"),
        error_messages={"required": _("Choose a reviewer."), "invalid_choice": _("Choose a SIRI reviewer.")},
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reviewer"]
        field.queryset = people
        field.label_from_instance = lambda person: (
            _("%(name)s (%(load)s under review)")
            % {
                "name": display_name(person),
                "load": person.load,
            }
        )


class GrantForm(DesignSystemForm, forms.Form):
    # The rules on the amount (≤ requested, ≤ left in the pool) are the service's; it reports
    # them on this field.
    amount = MoneyField(
        label=_("Amount to grant (kr.)"),
        help_text=_("For example 2.171.981"),
        error_messages={"required": _("Give the amount to grant in kroner.")},
    )
    conditions = text_field(
        _("Conditions of the grant"),
        help_text=_("The municipality accepts them with the grant."),
        validators=[validate_no_cpr],
    )


class ReasonForm(core_forms.ReasonForm):
    """The applicant will read the reason (the defaults say so)."""
