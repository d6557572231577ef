"""The application form in the sections of SIRI's form, and its rows.

Every field is optional here: a draft may be incomplete while it is being written, and
`completeness_problems` says what is missing before submit. What is typed is checked field by
field so that one bad value never stops the others from being saved. The forms only read and
check the values; `services` writes them (`save_valid_draft_fields`, `save_row`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.files import megabytes
from core.forms import DateInput, DesignSystemForm, MoneyField
from core.validators import validate_no_cpr

from ..completeness import NEEDED_TO_SUBMIT, ORGANISATION_FIELDS
from ..models import (
    Application,
    ApprovalStatus,
    BudgetLine,
    FormSection,
    Goal,
    Measure,
    Municipality,
    TargetGroup,
)
from ..validators import ATTACHMENT_KINDS, validate_attachment

# The sections of SIRI's application form, in its order: (anchor, heading, fields). The anchor is
# the section's code (`FormSection`), which also keys the pool's guidance for it.
SECTIONS: list[tuple[str, Any, list[str]]] = [
    (code.value, code.label, names)
    for code, names in (
        (
            FormSection.APPLICANT,
            ["applicant_unit", "applicant_address", "cvr", "contact_name", "contact_email", "contact_phone"],
        ),
        (
            FormSection.RESPONSIBLE,
            ["grant_responsible_name", "grant_responsible_title", "grant_responsible_email", "grant_responsible_phone"],
        ),
        (FormSection.PROJECT, ["title", "purpose"]),
        (FormSection.TARGET_GROUP, ["target_group_description", "target_group_total"]),
        (FormSection.EFFORT, ["current_effort", "approach", "objectives"]),
        (FormSection.MEASURES, ["measures", "methods"]),
        (FormSection.ORGANISATION, list(ORGANISATION_FIELDS)),
        (FormSection.ANCHORING, ["anchoring"]),
        (FormSection.PERIOD, ["start_date", "end_date", "partner_municipalities"]),
    )
]

TEXTAREA = forms.Textarea(attrs={"rows": 5})


class ApplicationForm(DesignSystemForm, forms.ModelForm):
    measures = forms.MultipleChoiceField(
        label=_("Measures"),
        choices=Measure.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    partner_municipalities = forms.ModelMultipleChoiceField(
        label=_("Partner municipalities"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Only when municipalities apply together. Hold Ctrl (Cmd on a Mac) to choose several."),
    )

    class Meta:
        model = Application
        fields = [name for _anchor, _heading, names in SECTIONS for name in names]
        widgets = {
            "applicant_address": forms.Textarea(attrs={"rows": 3}),
            "purpose": TEXTAREA,
            "target_group_description": TEXTAREA,
            "current_effort": TEXTAREA,
            "approach": TEXTAREA,
            "objectives": TEXTAREA,
            "methods": TEXTAREA,
            **{name: forms.Textarea(attrs={"rows": 3}) for name in ORGANISATION_FIELDS},
            "anchoring": TEXTAREA,
            "start_date": DateInput(),
            "end_date": DateInput(),
        }
        help_texts = {
            "cvr": _("8 digits, e.g. 29188505."),
            "purpose": _("What the project should achieve, and for whom."),
            "objectives": _("Concrete, measurable objectives, e.g. 35 women in employment."),
            "target_group_total": _(
                "How many people the whole target group counts, e.g. 340; at least the largest of the target "
                "groups below, which are the parts the project focuses on."
            ),
            "committee_briefing": _("E.g. a quarterly orientation of the political committee (fagligt udvalg)."),
            "start_date": _("Written as 31.03.2027."),
            "end_date": _("Written as 31.03.2027."),
        }

    def __init__(self, *args: Any, only: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if only is not None:  # one step of the form: the others are not on the page
            for name in [name for name in self.fields if name not in only]:
                del self.fields[name]
        for name, field in self.fields.items():
            # A draft is saved however empty; what submit needs is said, not enforced here.
            field.required = False
            field.needed_to_submit = name in NEEDED_TO_SUBMIT
        lead_id = self.instance.lead_municipality_id
        if "partner_municipalities" in self.fields:
            self.fields["partner_municipalities"].queryset = Municipality.objects.exclude(pk=lead_id).order_by("name")
        if "cvr" in self.fields:
            self.fields["cvr"].widget.attrs.update({"inputmode": "numeric", "class": "form-input input-width-s"})
        if "target_group_total" in self.fields:
            self.fields["target_group_total"].widget.attrs.update(
                {"inputmode": "numeric", "class": "form-input input-width-xs"}
            )
        for name in ("grant_responsible_email", "contact_email"):
            if name in self.fields:
                self.fields[name].widget.attrs["autocomplete"] = "email"

    def clean_measures(self) -> list[str]:
        chosen = set(self.cleaned_data.get("measures") or [])
        return [code for code in Measure.values if code in chosen]

    def sections(self) -> list[tuple[str, Any, list[forms.BoundField]]]:
        """The sections with a field on this form (all of them, or one step's)."""
        return [
            (anchor, heading, [self[name] for name in names if name in self.fields])
            for anchor, heading, names in SECTIONS
            if any(name in self.fields for name in names)
        ]


class RowForm(DesignSystemForm, forms.ModelForm):
    """One row of a part of the application (a target group, a goal, a budget line). It reads
    what was typed; `services.save_row` checks the row's rules (one budget line per year and
    category, a percentage at most 100) under the application's lock and writes it."""

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        self.application = application
        super().__init__(*args, **kwargs)


class TargetGroupForm(RowForm):
    class Meta:
        model = TargetGroup
        fields = ["name", "size", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"name": _("E.g. activity-ready women"), "size": _("How many people, e.g. 35.")}


class GoalForm(RowForm):
    class Meta:
        model = Goal
        fields = [
            "title",
            "kind",
            "target_value",
            "baseline",
            "unit",
            "target_group",
            "cumulative",
            "ramp_quarters",
            "cohort_months",
        ]
        help_texts = {
            "target_value": _("A number; a percentage is at most 100."),
            "cumulative": _(
                "Ticked: a count added up over the project period (35 women into work). Not ticked: a level held "
                "at a point in time (70 % attendance); a percentage or an average is always a level."
            ),
            "ramp_quarters": _(
                "A level only: the first quarters in which it rises from the baseline to the target. 0 or empty: "
                "the target holds from the first quarter."
            ),
            "cohort_months": _(
                "A percentage only, measured on those enrolled at least this many months before: 12 for "
                "“40 % self-supporting 12 months after enrolment”. Empty: everyone taking part."
            ),
        }

    def __init__(self, *args: Any, target_groups: list[TargetGroup] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["target_group"]
        field.queryset = self.application.target_groups.all()
        field.required = False
        if target_groups is not None:
            # The page renders one goal form per goal: give them the groups read once, not a query each.
            field.choices = [("", "---------"), *((group.pk, str(group)) for group in target_groups)]
        for name in ("target_value", "baseline"):
            self.fields[name].localize = True
            self.fields[name].widget = forms.TextInput(attrs={"inputmode": "decimal", "class": "form-input"})
        for name in ("ramp_quarters", "cohort_months"):
            self.fields[name].required = False
            self.fields[name].widget = forms.TextInput(attrs={"inputmode": "numeric", "class": "form-input"})

    def clean_ramp_quarters(self) -> int:
        return self.cleaned_data.get("ramp_quarters") or 0


class BudgetLineForm(RowForm):
    amount = MoneyField(label=_("Amount (DKK)"))

    class Meta:
        model = BudgetLine
        fields = ["year", "category", "amount", "fte"]
        help_texts = {"fte": _("Full-time equivalents (årsværk) paid from this line.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fte"].localize = True
        self.fields["fte"].widget = forms.TextInput(attrs={"inputmode": "decimal", "class": "form-input"})


class PoliticalApprovalForm(DesignSystemForm, forms.Form):
    status = forms.ChoiceField(
        label=_("Political approval"), choices=ApprovalStatus.choices, widget=forms.RadioSelect, initial="pending"
    )
    decided_on = forms.DateField(label=_("Date of the decision"), required=False, widget=DateInput())
    body = forms.CharField(
        label=_("Political body"), required=False, help_text=_("E.g. the city council."), validators=[validate_no_cpr]
    )
    reference = forms.CharField(
        label=_("Reference"),
        required=False,
        help_text=_("E.g. a case or agenda number."),
        validators=[validate_no_cpr],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Needed when the project is approved (services.record_political_approval), so never
        # "(optional)"; the hint says when.
        for name in ("decided_on", "body"):
            self.fields[name].needed_to_submit = True
        self.fields["decided_on"].help_text = _("Needed when the project is approved. Written as 31.03.2027.")
        self.fields["body"].help_text = _("Needed when the project is approved, e.g. the city council.")


class AttachmentForm(DesignSystemForm, forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("A PDF, or an image as PNG or JPEG (e.g. an organisation chart); at most %(limit)s MB.")
        % {"limit": megabytes(settings.ATTACHMENT_MAX_BYTES)},
    )
    description = forms.CharField(label=_("Description"), required=False, max_length=200, validators=[validate_no_cpr])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        accepted = [kind.content_type for kind in ATTACHMENT_KINDS]
        accepted += [suffix for kind in ATTACHMENT_KINDS for suffix in kind.extensions]
        self.fields["file"].widget.attrs["accept"] = ",".join(accepted)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        validate_attachment(upload)
        validate_no_cpr(upload.name)  # the file name is stored and shown too
        return upload


class DeclarationForm(DesignSystemForm, forms.Form):
    """The grant-responsible person's declaration at submit (services/declaration.py checks it)."""

    declared_by_name = forms.CharField(
        label=_("Name of the grant-responsible person"), required=False, max_length=200, validators=[validate_no_cpr]
    )
    declared_by_title = forms.CharField(label=_("Title"), required=False, max_length=200, validators=[validate_no_cpr])
    declaration = forms.BooleanField(label=_("Yes, I confirm the declaration"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.needed_to_submit = True
        self.fields["declared_by_name"].widget.attrs["autocomplete"] = "name"
        self.fields["declared_by_title"].widget.attrs["autocomplete"] = "organization-title"


class WithdrawForm(DesignSystemForm, forms.Form):
    """Withdrawing asks for no reason, but may give one."""

    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}), validators=[validate_no_cpr]
    )


ROW_FORMS: dict[str, type[RowForm]] = {
    "target-groups": TargetGroupForm,
    "goals": GoalForm,
    "budget-lines": BudgetLineForm,
}
