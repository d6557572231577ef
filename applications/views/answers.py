"""Every answer of an application by the sections of SIRI's form: the read view shows them, and
"Tjek dine svar" before submit shows them with a "Ret" link to each section's step."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import formats
from django.utils.text import capfirst

from ..forms import steps
from ..forms.application import SECTIONS
from ..models import Application, FormSection, Measure


@dataclass
class AnswerSection:
    code: str
    heading: Any
    answers: list[tuple[Any, str]] = field(default_factory=list)
    edit_url: str = ""


def shown(application: Application, name: str) -> str:
    """A field's answer as a person reads it; empty when not answered."""
    if name == "measures":
        return ", ".join(str(Measure(code).label) for code in application.measures if code in Measure.values)
    if name == "partner_municipalities":
        return ", ".join(m.name for m in application.partner_municipalities.all())
    value = getattr(application, name)
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, int):
        return formats.number_format(value, force_grouping=True)
    return str(value)


def answer_sections(application: Application, *, edit: bool = False) -> list[AnswerSection]:
    """Each section of the form with its answers; with `edit`, the link to the step to change it."""
    fields = dict((anchor, names) for anchor, _heading, names in SECTIONS)
    sections = []
    for code in FormSection.values:
        section = AnswerSection(code, FormSection(code).label)
        for name in fields.get(code, []):
            label = capfirst(Application._meta.get_field(name).verbose_name)
            section.answers.append((label, shown(application, name)))
        if code == FormSection.ORGANISATION and application.organisation:
            label = capfirst(Application._meta.get_field("organisation").verbose_name)
            section.answers.append((label, application.organisation))
        step = next((step for step in steps.STEPS if code in step.sections), None)
        if edit and step is not None:
            section.edit_url = f"{steps.step_url(application.pk, step)}#{_anchor(code)}"
        sections.append(section)
    return sections


def _anchor(code: str) -> str:
    """The id of the section on its step's page."""
    return {
        FormSection.GOALS: "goals",
        FormSection.BUDGET: "budget-lines",
        FormSection.APPROVAL: "approvals",
        FormSection.ATTACHMENTS: "attachments",
    }.get(code, code)
