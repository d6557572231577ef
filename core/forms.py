"""What every page form shares: the design system's CSS classes and domain errors as form errors."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.forms.models import ModelChoiceIterator
from django.utils import formats
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceIterator as FilterChoiceIterator

from core.errors import NON_FIELD, DomainError
from core.form_html import field_group
from core.money import format_dkk, parse_dkk
from core.validators import validate_no_cpr

# The design system's class for each kind of widget.
_WIDGET_CLASSES: list[tuple[type[forms.Widget], str]] = [
    (forms.CheckboxSelectMultiple, "form-checkbox"),
    (forms.RadioSelect, "form-radio"),
    (forms.CheckboxInput, "form-checkbox"),
    (forms.Select, "form-select"),
    (forms.Textarea, "form-input"),
    (forms.ClearableFileInput, "form-file-input"),
    (forms.widgets.Input, "form-input"),
]


class ChoicesInOneQuery(ModelChoiceIterator):
    """A model choice field's options read as a list, in one query. Django's own reads them with
    `QuerySet.iterator()`, a server-side cursor on PostgreSQL: declaring, fetching and closing it
    were four round trips for a filter of 96 municipalities, half of the filter's time (issue 16).
    A list of choices is small; exports and rebuilds keep their cursors."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:  # evaluated once, kept with the form's queryset
            yield self.choice(obj)


class FilterChoicesInOneQuery(FilterChoiceIterator, ChoicesInOneQuery):
    """The same for a filter's field (django-filter's iterator adds its "null" option to ours)."""


# Each iterator that reads its options by a cursor, and the one that reads them in one query.
_IN_ONE_QUERY: dict[type[ModelChoiceIterator], type[ModelChoiceIterator]] = {
    ModelChoiceIterator: ChoicesInOneQuery,
    FilterChoiceIterator: FilterChoicesInOneQuery,
}


class DesignSystemBoundField(forms.BoundField):
    """A page form's field, which writes its dkfds markup (`core.form_html`) without a template."""

    def as_field_group(self) -> SafeString:
        return field_group(self)


class DesignSystemForm:
    """Mixin: dkfds classes on widgets, fields written in dkfds markup (`core.form_html`)."""

    template_name_div = "django/forms/div.html"
    bound_field_class = DesignSystemBoundField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def style_widgets(self) -> None:
        """Give every field's widget its dkfds class (again, for fields a form adds itself), and
        every model choice field its options in one query (`ChoicesInOneQuery`)."""
        for field in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(field, forms.ModelChoiceField) and field.iterator in _IN_ONE_QUERY:
                field.iterator = _IN_ONE_QUERY[field.iterator]
                field.widget.choices = field.choices
            for widget_class, css in _WIDGET_CLASSES:
                if isinstance(field.widget, widget_class):
                    existing = field.widget.attrs.get("class", "").split()
                    if css not in existing:
                        field.widget.attrs["class"] = " ".join([css, *existing])
                    break

    def add_domain_error(self, error: DomainError) -> None:
        """Show a service's problems on the fields they name, the rest above the form."""
        for name, messages in error.errors.items():
            target = name if name in self.fields else None  # type: ignore[attr-defined]
            for message in messages:
                self.add_error(target if name != NON_FIELD else None, message)  # type: ignore[attr-defined]


class DateInput(forms.DateInput):
    """A date typed as 31.03.2027, as on Danish self-service sites (DATE_INPUT_FORMATS in
    ``config/formats`` also accept 2027-03-31)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        attrs = {
            "inputmode": "numeric",
            "placeholder": _("dd.mm.yyyy"),
            "class": "input-width-s",
            **(attrs or {}),
        }
        super().__init__(attrs=attrs, format="%d.%m.%Y")


class MoneyField(forms.DecimalField):
    """Kroner typed the Danish way (2.171.981 or 2171981,50), shown back as 2171981."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        if isinstance(value, str):
            parsed = parse_dkk(value)
            if parsed is None:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            return parsed
        return super().to_python(value)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return format_dkk(value).removesuffix(" kr.")
        return value


def text_field(label: Any, *, rows: int = 5, required: bool = False, **kwargs: Any) -> forms.CharField:
    """A free text typed in a text area; optional unless said otherwise. Like every free text it
    refuses CPR numbers."""
    kwargs.setdefault("validators", [validate_no_cpr])
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), required=required, **kwargs)


def show_number(value: Decimal | int | None) -> str:
    """A stored number as a person would type it back: 61 not 61.00, 12,5 in Danish."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    if settings.USE_THOUSAND_SEPARATOR or not (isinstance(value, Decimal) or type(value) is int):
        return formats.number_format(value)
    # What number_format gives without grouping, at a tenth of its cost: a page of goals and KPIs
    # shows hundreds of numbers (issue 16), most of them whole, which need no separator looked up.
    text = format(value, "f" if isinstance(value, Decimal) else "d")
    return text.replace(".", formats.get_format("DECIMAL_SEPARATOR")) if "." in text else text


class NumberField(forms.DecimalField):
    """A decimal typed with a comma or a point (12,5 or 12.5), as people type on either
    language's pages; no thousands separators, as the figures of one project are small."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "class": "form-input input-width-xs"})
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().removesuffix("%").strip().replace("\xa0", "").replace(" ", "")
            if value.count(",") == 1 and "." not in value:
                value = value.replace(",", ".")
        return super().to_python(value)

    def prepare_value(self, value: Any) -> Any:
        return show_number(value) if isinstance(value, Decimal) else value


class ReasonForm(DesignSystemForm, forms.Form):
    """The reason of a decision, which whoever it concerns will read. Subclasses name them."""

    seen_by: Any = _("The applicant will see it.")
    missing: Any = _("Give a reason; the applicant will see it.")
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 6}), validators=[validate_no_cpr])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        field.help_text = self.seen_by
        field.error_messages["required"] = self.missing


class ConfirmForm(DesignSystemForm, forms.Form):
    """A decision with nothing to type: the confirmation step is all there is."""


class SectionedForm(DesignSystemForm):
    """Mixin for a long form in sections: a service's problem on a field goes to the field, a
    problem of a whole section (``sections``) to that section and the summary above the form,
    and one about the quarter (``year``/``quarter``) to ``quarter_field``."""

    sections: ClassVar[tuple[str, ...]] = ()
    section_errors: dict[str, list[Any]]
    quarter_field: str | None = None

    def add_domain_error(self, error: DomainError) -> None:
        self.section_errors = getattr(self, "section_errors", {})
        for name, messages in error.errors.items():
            if name in self.fields and name != NON_FIELD:  # type: ignore[attr-defined]
                for message in messages:
                    self.add_error(name, message)  # type: ignore[attr-defined]
                continue
            if name in self.sections:
                self.section_errors.setdefault(name, []).extend(messages)
            target = self.quarter_field if name in ("year", "quarter") else None
            for message in messages:
                self.add_error(target, message)  # type: ignore[attr-defined]
