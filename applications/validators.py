"""Validators written once and used by the models, the forms and the API serializers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.dk import cvr as stdnum_cvr
from stdnum.exceptions import ValidationError as StdnumError

from core.files import PDF, FileKind, check_upload

from .models.choices import Measure


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


# The kinds of file an application's attachment may be (issue 18 adds PNG and JPEG here).
ATTACHMENT_KINDS: tuple[FileKind, ...] = (PDF,)


def validate_pdf(upload: Any) -> None:
    """An attachment must be a PDF (by its content, not only its name) within the size limit,
    readable, unencrypted and without active content (`core.files`)."""
    check_upload(upload, ATTACHMENT_KINDS, settings.ATTACHMENT_MAX_BYTES)
