"""The ambassador network's page forms. They parse what is typed and check each value with the
validators the models use; the rules that need the database (one report per quarter, a goal of
the ambassador's own project) stay in `services`, whose problems come back onto these forms
through `add_domain_error`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from applications.forms.filters import MunicipalityFilter
from applications.models import Goal, GoalKind, Municipality
from applications.validators import validate_pdf
from core import forms as core_forms
from core.files import megabytes
from core.forms import DateInput, DesignSystemForm, SectionedForm, show_number, text_field
from core.validators import validate_no_cpr
from monitoring.forms import GoalRow, count_field
from monitoring.quarters import Quarter

from .models import COUNT_FIELDS, Ambassador, AmbassadorReport, Theme
from .services import TEXT_FIELDS

# The parts of a report the services check as a whole; shown in their own section of the form.
SECTIONS = ("contributions",)
# The counts of a report, grouped as the form asks for them.
COUNT_GROUPS: tuple[tuple[Any, tuple[str, ...]], ...] = (
    (_("Companies"), ("company_contacts", "new_partnerships")),
    (
        _("Matches between citizens and companies"),
        ("matches_internship", "matches_wage_subsidy", "matches_igu", "matches_ordinary_job"),
    ),
    (_("The network"), ("meetings_attended", "knowledge_sharing")),
)


def _count_field(label: Any) -> forms.IntegerField:
    # Blank means none: an ambassador who had no IGU matches leaves the field empty.
    return count_field(label, error_messages={"invalid": _("Give a whole number, 0 or more.")})


class NetworkForm(SectionedForm):
    """A service's problems on the fields they name; a problem of the contributions as a whole is
    shown in that section and above the form; one about the quarter at the quarter."""

    sections = SECTIONS


# Ambassador reports -----------------------------------------------------------------------------


class ReportForm(NetworkForm, forms.Form):
    """An ambassador's quarter: the eight counts, the contribution to each goal of the project,
    and three texts. With `quarters` (a new report) it also asks which quarter it is for."""

    best_practices = text_field(
        _("Best practices found"),
        rows=4,
        help_text=_("What worked, here or in another municipality, that others could use."),
    )
    obstacles = text_field(_("Obstacles"), rows=4)
    narrative = text_field(
        _("Narrative"),
        rows=8,
        help_text=_("What you did in the quarter. Needed before you submit. Never a citizen's name or CPR number."),
    )

    def __init__(
        self, *args: Any, goals: Iterable[Goal], quarters: Iterable[Quarter] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # A draft saves without it, but submit needs it: not "(optional)" (field.html).
        self.fields["narrative"].needed_to_submit = True
        # A contribution is people brought towards a goal: only a count added up takes them.
        self.goals = [goal for goal in goals if goal.takes_contributions]
        self.creating = quarters is not None
        if quarters is not None:
            self.quarter_field = "period"
            self.fields["period"] = forms.ChoiceField(
                label=_("Quarter"),
                widget=forms.Select(attrs={"class": "form-select"}),
                choices=[("", _("Choose the quarter")), *((self.period_code(q), str(q)) for q in quarters)],
                error_messages={
                    "required": _("Choose the quarter the report is for."),
                    "invalid_choice": _("Choose one of the quarters that have begun and have no report."),
                },
            )
        labels = {name: AmbassadorReport._meta.get_field(name).verbose_name for name in COUNT_FIELDS}
        for name in COUNT_FIELDS:
            self.fields[name] = _count_field(capfirst(labels[name]))
        for goal in self.goals:
            unit = self.unit_of(goal)
            self.fields[f"contribution_{goal.pk}"] = forms.IntegerField(
                min_value=0,
                required=False,
                label=_("People you brought towards it"),
                help_text=_("Whole people, this quarter. The project's target: %(target)s%(unit)s.")
                % {"target": show_number(goal.target_value), "unit": f" {unit}" if unit else ""},
                error_messages={
                    "min_value": _("A contribution is 0 or more."),
                    "invalid": _("A contribution is a whole number of people."),
                },
                widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "form-input input-width-xs"}),
            )
            self.fields[f"comment_{goal.pk}"] = forms.CharField(
                label=_("Comment"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-input"}),
                validators=[validate_no_cpr],
            )
        # The order of the page: quarter, counts, goals, texts.
        order = ["period"] if self.creating else []
        order += list(COUNT_FIELDS)
        for goal in self.goals:
            order += [f"contribution_{goal.pk}", f"comment_{goal.pk}"]
        self.order_fields([*order, *TEXT_FIELDS])

    @staticmethod
    def unit_of(goal: Goal) -> str:
        return "%" if goal.kind == GoalKind.PERCENTAGE else (goal.unit or "")

    @staticmethod
    def period_code(quarter: Quarter) -> str:
        return f"{quarter.year}-{quarter.quarter}"

    @staticmethod
    def parse_period(code: str) -> Quarter | None:
        try:
            year, quarter = (int(part) for part in code.split("-"))
            return Quarter(year, quarter)
        except (TypeError, ValueError):
            return None

    @property
    def count_groups(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(heading, [self[name] for name in names]) for heading, names in COUNT_GROUPS]

    @property
    def goal_rows(self) -> list[GoalRow]:
        return [
            GoalRow(
                goal=goal,
                unit=self.unit_of(goal),
                value=self[f"contribution_{goal.pk}"],
                comment=self[f"comment_{goal.pk}"],
            )
            for goal in self.goals
        ]

    @property
    def text_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in TEXT_FIELDS]

    @classmethod
    def initial_from(cls, report: AmbassadorReport) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(report, name) for name in (*COUNT_FIELDS, *TEXT_FIELDS)}
        for contribution in report.contributions.all():
            value = contribution.value  # people: shown as the whole number it is (2, not 2,00)
            initial[f"contribution_{contribution.goal_id}"] = int(value) if value == int(value) else value
            initial[f"comment_{contribution.goal_id}"] = contribution.comment
        return initial

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for goal in self.goals:
            value_name = f"contribution_{goal.pk}"
            if cleaned.get(f"comment_{goal.pk}", "").strip() and value_name in cleaned and cleaned[value_name] is None:
                self.add_error(value_name, _("Give the number your comment is about; 0 if none."))
        return cleaned

    def service_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {name: self.cleaned_data.get(name) or 0 for name in COUNT_FIELDS}
        data.update({name: self.cleaned_data.get(name, "") for name in TEXT_FIELDS})
        data["contributions"] = [
            {
                "goal": goal.pk,
                "value": self.cleaned_data[f"contribution_{goal.pk}"],
                "comment": self.cleaned_data.get(f"comment_{goal.pk}", "").strip(),
            }
            for goal in self.goals
            if self.cleaned_data.get(f"contribution_{goal.pk}") is not None
        ]
        if self.creating:
            quarter = self.parse_period(self.cleaned_data["period"])
            if quarter is not None:
                data["year"], data["quarter"] = quarter.year, quarter.quarter
        return data


class ReasonForm(core_forms.ReasonForm):
    seen_by = _("The ambassador will see it.")
    missing = _("Give a reason; the ambassador will see it.")


# The network overview ---------------------------------------------------------------------------


# Network meetings -------------------------------------------------------------------------------


class AmbassadorChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Ambassador) -> str:
        return f"{obj} ({obj.municipality.name})"


class MeetingForm(DesignSystemForm, forms.Form):
    held_on = forms.DateField(
        label=_("Date"), widget=DateInput(), error_messages={"required": _("Give the date of the meeting.")}
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        error_messages={"required": _("Give the place of the meeting.")},
        validators=[validate_no_cpr],
    )
    agenda = forms.CharField(
        label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 6}), validators=[validate_no_cpr]
    )
    attended = AmbassadorChoices(
        label=_("Who attended"),
        queryset=Ambassador.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick the ambassadors who came, once the meeting has been held."),
    )
    minutes = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 10}), validators=[validate_no_cpr]
    )

    def __init__(self, *args: Any, ambassadors: QuerySet[Ambassador], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attended"].queryset = ambassadors

    def service_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in ("held_on", "place", "agenda", "minutes")}
        data["attended"] = [ambassador.pk for ambassador in self.cleaned_data["attended"]]
        return data


# The best-practice catalogue --------------------------------------------------------------------


class CatalogueFilter(MunicipalityFilter):
    field_order = ["q", "theme", "municipality"]

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Words from the title, summary or tags, e.g. virksomhed or mentor."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    theme = forms.ChoiceField(
        label=_("Theme"),
        required=False,
        choices=[("", _("All themes")), *Theme.choices],
        error_messages={"invalid_choice": _("Choose one of the themes in the list.")},
    )


class ReportChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: AmbassadorReport) -> str:
        return str(obj.period)


# How many contacts the page form asks for; the API takes any number.
CONTACT_ROWS = 2
# The GET parameters another page may prefill the proposal with ("Propose to the catalogue" on
# a grant's final report): initial values only, each checked as if it were typed.
PREFILL = ("title", "summary", "municipality", "source")


class PracticeForm(DesignSystemForm, forms.Form):
    """A proposed entry of the catalogue; an ambassador may name the reports it came from."""

    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.order_by("name"),
        to_field_name="code",
        help_text=_("Where the practice is used; the municipality that leads it when several share it."),
        error_messages={"required": _("Choose the municipality.")},
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Other municipalities"),
        queryset=Municipality.objects.order_by("name"),
        to_field_name="code",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Only when municipalities share the practice. Hold Ctrl (Cmd on a Mac) to choose several."),
    )
    theme = forms.ChoiceField(
        label=_("Theme"),
        choices=[("", _("Choose a theme")), *Theme.choices],
        error_messages={"required": _("Choose a theme.")},
    )
    title = forms.CharField(label=_("Title"), max_length=300, validators=[validate_no_cpr])
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What is done, for whom, and what it achieved."),
        validators=[validate_no_cpr],
    )
    contact_name = forms.CharField(
        label=_("Contact person"), max_length=200, required=False, validators=[validate_no_cpr]
    )
    contact_role = forms.CharField(label=_("Role"), max_length=200, required=False, validators=[validate_no_cpr])
    contact_email = forms.EmailField(label=_("E-mail"), required=False)
    contact_phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    contact2_name = forms.CharField(
        label=_("Second contact person"), max_length=200, required=False, validators=[validate_no_cpr]
    )
    contact2_role = forms.CharField(
        label=_("Role of the second contact"), max_length=200, required=False, validators=[validate_no_cpr]
    )
    contact2_email = forms.EmailField(label=_("E-mail of the second contact"), required=False)
    contact2_phone = forms.CharField(label=_("Phone of the second contact"), max_length=30, required=False)
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Words separated by commas, e.g. mentor, kvinder, rengøring."),
        validators=[validate_no_cpr],
    )
    source = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=300,
        help_text=_("Where the practice is described, e.g. a report or a project's final report."),
        validators=[validate_no_cpr],
    )
    source_url = forms.URLField(label=_("Link to the source"), required=False, max_length=500, assume_scheme="https")

    def __init__(self, *args: Any, reports: QuerySet[AmbassadorReport] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if reports is not None:
            self.fields["source_reports"] = ReportChoices(
                label=_("From your reports"),
                queryset=reports,
                required=False,
                widget=forms.CheckboxSelectMultiple(attrs={"class": "form-checkbox"}),
                help_text=_("The handed-in reports in which you described the practice."),
            )

    @classmethod
    def prefill(cls, params: Any) -> dict[str, Any]:
        """The initial values another page links with (`?title=…&municipality=330`): each one
        cleaned by its field as typed input would be; one that is not valid is left out."""
        initial: dict[str, Any] = {}
        fields = cls.base_fields
        for name in PREFILL:
            value = params.get(name)
            if not isinstance(value, str) or not value.strip():
                continue
            try:
                cleaned = fields[name].clean(value.replace("\x00", "").strip())
            except forms.ValidationError:
                continue
            initial[name] = cleaned.code if name == "municipality" else cleaned
        return initial

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for number, prefix in enumerate(self._contact_prefixes(), 1):
            values = [cleaned.get(f"{prefix}_{part}") for part in ("role", "email", "phone")]
            if any(values) and not cleaned.get(f"{prefix}_name") and f"{prefix}_name" not in self.errors:
                self.add_error(f"{prefix}_name", _("Give the name of contact %(number)s.") % {"number": number})
        return cleaned

    @staticmethod
    def _contact_prefixes() -> list[str]:
        return ["contact", *(f"contact{number}" for number in range(2, CONTACT_ROWS + 1))]

    def service_data(self) -> dict[str, Any]:
        contact_fields = {f"{prefix}_{part}" for prefix in self._contact_prefixes() for part in CONTACT_PARTS}
        skip = {"tags", "source_reports", "municipalities", *contact_fields}
        data = {name: self.cleaned_data[name] for name in self.fields if name not in skip}
        data["tags"] = [tag.strip() for tag in self.cleaned_data["tags"].split(",") if tag.strip()]
        data["municipalities"] = list(self.cleaned_data.get("municipalities") or [])
        data["contacts"] = [
            {part: self.cleaned_data.get(f"{prefix}_{part}") or "" for part in CONTACT_PARTS}
            for prefix in self._contact_prefixes()
        ]
        if "source_reports" in self.cleaned_data:
            data["source_reports"] = list(self.cleaned_data["source_reports"])
        return data


CONTACT_PARTS = ("name", "role", "email", "phone")


class PracticeAttachmentForm(DesignSystemForm, forms.Form):
    """A PDF of an entry: a tool it mentions. The service checks the file again."""

    file = forms.FileField(
        label=_("PDF file"),
        help_text=_("A tool or material the entry mentions, as PDF; at most %(limit)s MB.")
        % {"limit": megabytes(settings.ATTACHMENT_MAX_BYTES)},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    description = forms.CharField(label=_("Description"), required=False, max_length=200, validators=[validate_no_cpr])

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        validate_pdf(upload)
        validate_no_cpr(upload.name)  # the file name is stored and shown too
        return upload
