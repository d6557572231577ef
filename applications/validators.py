"""Validators written once and used by the models, the forms and the API serializers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.dk import cvr as stdnum_cvr
from stdnum.exceptions import ValidationError as StdnumError

from core.files import JPEG, PDF, PNG, FileKind, check_upload
from core.validators import validate_no_cpr

from .models.choices import FormSection, GoalKind, Measure


def validate_cvr(value: str) -> None:
    """A Danish CVR number: 8 digits with a valid modulus-11 check digit."""
    try:
        stdnum_cvr.validate(value)
    except StdnumError:
        raise ValidationError(
            _("%(value)s is not a valid CVR number (8 digits with a valid check digit)."),
            code="invalid_cvr",
            params={"value": value},
        ) from None


def normalize_cvr(value: str) -> str:
    return stdnum_cvr.compact(value or "")


def validate_measures(value: Iterable[str]) -> None:
    if not isinstance(value, list | tuple):
        raise ValidationError(_("Measures must be a list of codes."), code="invalid_measures")
    unknown = sorted({str(code) for code in value} - set(Measure.values))
    if unknown:
        raise ValidationError(
            _("Unknown measure codes: %(codes)s. Allowed: %(allowed)s."),
            code="invalid_measures",
            params={"codes": ", ".join(unknown), "allowed": ", ".join(Measure.values)},
        )


def validate_score(value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise ValidationError(
            _("A score is a whole number from 1 to 5, not %(value)s."),
            code="invalid_score",
            params={"value": value},
        )


# The kinds of file an application's attachment may be: documents as PDF, and images (an
# organisation chart) as PNG or JPEG, stored without their metadata (`core.files`).
ATTACHMENT_KINDS: tuple[FileKind, ...] = (PDF, PNG, JPEG)


def attachment_kind(upload: Any) -> FileKind:
    """The kind of an attachment (by its content, not only its name) within the size limit:
    a PDF readable, unencrypted and without active content, or a PNG or JPEG image that reads
    through (`core.files`); else a ValidationError."""
    return check_upload(upload, ATTACHMENT_KINDS, settings.ATTACHMENT_MAX_BYTES)


def validate_attachment(upload: Any) -> None:
    attachment_kind(upload)


def validate_pdf(upload: Any) -> None:
    """A PDF only (migration 0003 names it: the attachments before images were accepted)."""
    check_upload(upload, (PDF,), settings.ATTACHMENT_MAX_BYTES)


# Goals: how kind and accumulation combine ----------------------------------------------------------

MAX_GUIDANCE_CHARS = 5000


def validate_guidance(value: Any) -> None:
    """A pool's guidance: a text (at most `MAX_GUIDANCE_CHARS`, no CPR number) per section of
    the application form, keyed by the section's code (`FormSection`)."""
    if not isinstance(value, dict):
        raise ValidationError(_('The guidance is given per section, e.g. {"project": "…"}.'), code="invalid_guidance")
    unknown = sorted(str(key) for key in value if key not in FormSection.values)
    if unknown:
        raise ValidationError(
            _("Not sections of the application form: %(keys)s. The sections are: %(allowed)s."),
            code="invalid_guidance",
            params={"keys": ", ".join(unknown), "allowed": ", ".join(FormSection.values)},
        )
    for key, text in value.items():
        if not isinstance(text, str):
            raise ValidationError(
                _("The guidance of %(section)s is a text."), code="invalid_guidance", params={"section": key}
            )
        if len(text) > MAX_GUIDANCE_CHARS:
            raise ValidationError(
                _("The guidance of %(section)s is longer than %(max)s characters."),
                code="invalid_guidance",
                params={"section": key, "max": MAX_GUIDANCE_CHARS},
            )
        validate_no_cpr(text)


# More people than live in Denmark is a typing error, not a target group.
MAX_TARGET_GROUP = 10_000_000


# The rules of a goal's kind, said once: `goal_problems` (forms, API) and the model's checks.
NOT_CUMULATIVE = _(
    "A percentage or an average is held at a point in time and is never added up: it cannot be cumulative."
)
RAMP_ONLY_LEVEL = _(
    "Only a level goal ramps up; a cumulative goal already rises from its baseline over the whole period."
)
COHORT_ONLY_SHARE = _(
    "Only a share (a percentage held at a point in time) is measured on a cohort, "
    "e.g. 40 % self-supporting 12 months after enrolment."
)
PERCENT_RANGE = _("A percentage is between 0 and 100.")

MAX_RAMP_QUARTERS = 40  # ten years of quarters: longer than any pool's period
MAX_COHORT_MONTHS = 120


def goal_problems(
    kind: str | None,
    cumulative: bool | None,
    ramp_quarters: int | None,
    cohort_months: int | None,
    target_value: Any = None,
    baseline: Any = None,
) -> dict[str, list[Any]]:
    """What is wrong with a goal's combination of kind, accumulation, ramp-up and cohort, each
    problem on its field. A *cumulative* goal is a count added up over the period (35 women into
    work); a *level* is held at a point in time (70 % attendance, an average, or a number of
    people at a time). Percentages and averages never add up, so they are levels; only a level
    ramps up; only a share (a percentage level) is measured on a cohort."""
    errors: dict[str, list[Any]] = {}
    if kind in (GoalKind.PERCENTAGE, GoalKind.AVERAGE) and cumulative:
        errors["cumulative"] = [NOT_CUMULATIVE]
    if ramp_quarters and cumulative:
        errors.setdefault("ramp_quarters", []).append(RAMP_ONLY_LEVEL)
    if ramp_quarters is not None and not 0 <= ramp_quarters <= MAX_RAMP_QUARTERS:
        errors.setdefault("ramp_quarters", []).append(
            _("The ramp-up is from 0 to %(max)s quarters.") % {"max": MAX_RAMP_QUARTERS}
        )
    if cohort_months is not None:
        if kind != GoalKind.PERCENTAGE or cumulative:
            errors.setdefault("cohort_months", []).append(COHORT_ONLY_SHARE)
        if not 1 <= cohort_months <= MAX_COHORT_MONTHS:
            errors.setdefault("cohort_months", []).append(
                _("The cohort is counted from 1 to %(max)s months after enrolment.") % {"max": MAX_COHORT_MONTHS}
            )
    if kind == GoalKind.PERCENTAGE:
        for name, value in (("target_value", target_value), ("baseline", baseline)):
            if value is not None and value > 100:
                errors.setdefault(name, []).append(PERCENT_RANGE)
    return errors
