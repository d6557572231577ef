"""The application form in steps, as virk.dk's forms go: each step a page of SIRI's sections, a
step indicator over them, and last "Tjek dine svar" (the submit page), which shows every answer
with a link back to its step. Every step saves itself while the user types; a step is done when
nothing it asks for is missing before submit (`completeness_problems`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..models import FormSection
from .application import SECTIONS

CHECK = "check"  # the last step: "Tjek dine svar" and submit


@dataclass(frozen=True)
class Step:
    code: str
    title: Any
    sections: tuple[str, ...]  # `FormSection` codes, in the order the page shows them

    @property
    def fields(self) -> list[str]:
        """The fields of the application form on this step's page."""
        return [name for anchor, _heading, names in SECTIONS if anchor in self.sections for name in names]


STEPS: tuple[Step, ...] = (
    Step("applicant", _("Applicant"), (FormSection.APPLICANT, FormSection.RESPONSIBLE)),
    Step("project", _("Project and target group"), (FormSection.PROJECT, FormSection.TARGET_GROUP)),
    Step("effort", _("Effort and goals"), (FormSection.EFFORT, FormSection.MEASURES, FormSection.GOALS)),
    Step("organisation", _("Organisation and anchoring"), (FormSection.ORGANISATION, FormSection.ANCHORING)),
    Step("budget", _("Period and budget"), (FormSection.PERIOD, FormSection.BUDGET)),
    Step("approval", _("Political approval and attachments"), (FormSection.APPROVAL, FormSection.ATTACHMENTS)),
)
BY_CODE = {step.code: step for step in STEPS}

# Where each of the rows and the other parts lives, and where a completeness problem that is
# no field of the form is corrected (`completeness_problems`' keys).
PART_SECTIONS = {
    "target_groups": FormSection.TARGET_GROUP,
    "goals": FormSection.GOALS,
    "budget_lines": FormSection.BUDGET,
    "pool": FormSection.PERIOD,
    "approvals": FormSection.APPROVAL,
    "attachments": FormSection.ATTACHMENTS,
}
# The HTML id of each part on its step's page.
PART_ANCHORS = {
    "target_groups": "target-groups",
    "goals": "goals",
    "budget_lines": "budget-lines",
    "pool": "period",
    "approvals": "approvals",
    "attachments": "attachments",
}


def following(step: Step) -> Step | str:
    """The step after `step`: the next one, or "Check your answers" after the last."""
    index = STEPS.index(step)
    return STEPS[index + 1] if index + 1 < len(STEPS) else CHECK


def section_of(name: str) -> str | None:
    """The section a field of the form or a part of the application belongs to."""
    if name in PART_SECTIONS:
        return PART_SECTIONS[name]
    return next((anchor for anchor, _heading, names in SECTIONS if name in names), None)


def step_of(name: str) -> Step | None:
    section = section_of(name)
    return next((step for step in STEPS if section in step.sections), None)


def step_url(application_pk: int, step: Step | str) -> str:
    code = step if isinstance(step, str) else step.code
    if code == CHECK:
        return reverse("applications:submit", args=[application_pk])
    return reverse("applications:edit_step", args=[application_pk, code])


def problem_link(application_pk: int, name: str) -> str:
    """Where the field or part `name` is corrected: its step's page, at the field."""
    step = step_of(name)
    if step is None:
        return step_url(application_pk, CHECK)
    anchor = PART_ANCHORS.get(name, f"id_{name}")
    if name == "measures":
        anchor = "id_measures_0"  # the first box of the choice: a link that focuses a field
    return f"{step_url(application_pk, step)}#{anchor}"


@dataclass
class StepState:
    step: Step | None  # None: the last step, "Check your answers"
    number: int
    title: Any
    url: str
    current: bool
    missing: int  # how many things it still lacks before submit

    @property
    def done(self) -> bool:
        return self.step is not None and self.missing == 0


def step_states(application_pk: int, current: str, problems: dict[str, list[Any]]) -> list[StepState]:
    """Every step with whether it is the current one and how much it still lacks."""
    missing = {step.code: 0 for step in STEPS}
    for name, messages in problems.items():
        step = step_of(name)
        if step is not None:
            missing[step.code] += len(messages) if name in PART_SECTIONS else 1
    states = [
        StepState(step, number, step.title, step_url(application_pk, step), step.code == current, missing[step.code])
        for number, step in enumerate(STEPS, start=1)
    ]
    states.append(
        StepState(
            None,
            len(STEPS) + 1,
            _("Check your answers"),
            step_url(application_pk, CHECK),
            current == CHECK,
            0,
        )
    )
    return states
