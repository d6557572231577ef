"""The change log: what a record's own row forgets when it is changed in place.

A transition leaves its row in its life cycle's log (`core.log`); some records are instead
written over: a political approval recorded again or taken back, a review replaced, a pool's
budget or criteria edited. Each such change writes one `core.models.ChangeLogEntry` (append-only,
as the transition logs): who, when, which record, and the changed fields as they were and as
they became.

The domain apps register their kinds of change (`register`): the model whose fields are logged,
how its entries read, and who may see them, as a rule (`may_see`, asked of the subject) and as a
query (`subjects`), the two held together by tests/core/test_visibility_parity.py. An entry
belongs to its *subject*, the record whose history shows it (an application, a pool); which
part changed is `record_id` (a row of the kind's model) and `part` (its name, e.g. the
municipality whose approval it is).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .money import MONEY_FIELD, format_dkk

if TYPE_CHECKING:
    from .models import ChangeLogEntry

# Who recorded the values a change replaces, and when: kept in `before` only, where the
# replaced row no longer says it.
RECORDED_BY, RECORDED_AT = "recorded_by", "recorded_at"
EMPTY = "–"


@dataclass(frozen=True)
class ChangeKind:
    code: str
    # The model of the subjects whose history shows these changes (an application, a pool).
    subject_model: type[models.Model]
    # The model whose fields `before` and `after` hold; `record_id` is a row of it.
    model: type[models.Model]
    # The heading of an entry, with %(part)s: e.g. "Political approval of %(part)s changed".
    title: Any
    # May this user see changes of this kind to this subject? (The `core.view_changelogentry` rule.)
    may_see: Callable[[Any, Any], bool]
    # The same for many entries: user → a queryset of the subjects whose changes of this kind
    # the user may see. It must answer as `may_see` does.
    subjects: Callable[[Any], models.QuerySet]
    # Labels and formats of values that are not fields of `model` (or shown otherwise).
    labels: Mapping[str, Any] = field(default_factory=dict)
    formats: Mapping[str, Callable[[Any], str]] = field(default_factory=dict)


KINDS: dict[str, ChangeKind] = {}


def register(kind: ChangeKind) -> ChangeKind:
    KINDS[kind.code] = kind
    return kind


def kinds_for(subject_model: type[models.Model]) -> list[ChangeKind]:
    """The kinds of change whose entries belong to subjects of `subject_model`."""
    return [kind for kind in KINDS.values() if kind.subject_model is subject_model]


# Values as stored (JSON) ------------------------------------------------------------------------


def json_value(model_field: models.Field | None, value: Any) -> Any:
    """A field's value as the log stores it: comparable, and readable without the model."""
    if value is None:
        return None
    if isinstance(model_field, models.DecimalField):
        return str(Decimal(value).quantize(Decimal(1).scaleb(-model_field.decimal_places)))
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(instance: models.Model, names: Iterable[str]) -> dict[str, Any]:
    """The stored form of `instance`'s fields `names`."""
    meta = instance._meta
    return {name: json_value(meta.get_field(name), getattr(instance, name)) for name in names}


def person(user: Any) -> str:
    """A user as the log names them: the name they had then."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def record(
    kind: str,
    subject: models.Model,
    changed: models.Model,
    user: Any,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    *,
    part: str = "",
    provenance: Mapping[str, Any] | None = None,
) -> ChangeLogEntry | None:
    """Log a change of `changed` (a row of the kind's model) on `subject`'s history: the fields
    whose value differs, as they were and as they became. Nothing changed, nothing logged.
    `provenance` (who recorded the replaced values, and when) goes with `before`."""
    from .models import ChangeLogEntry

    if kind not in KINDS:
        raise LookupError(f"Unregistered kind of change: {kind}")
    names = [name for name in after if before.get(name) != after.get(name)]
    if not names:
        return None
    return ChangeLogEntry.objects.create(
        subject=subject,
        subject_label=str(subject)[:300],
        kind=kind,
        record_id=changed.pk,
        part=part[:300],
        before={**{name: before.get(name) for name in names}, **(provenance or {})},
        after={name: after.get(name) for name in names},
        by=user,
    )


# Values as shown --------------------------------------------------------------------------------


def _model_field(kind: ChangeKind, name: str) -> models.Field | None:
    try:
        return kind.model._meta.get_field(name)
    except FieldDoesNotExist:  # a value that is not a field (e.g. a pool's criteria)
        return None


def label_of(kind: ChangeKind, name: str) -> str:
    if name in kind.labels:
        return str(kind.labels[name])
    model_field = _model_field(kind, name)
    return str(capfirst(model_field.verbose_name)) if model_field is not None else name


def _number(value: Decimal) -> str:
    # 1,5 and 3, not 1,50 and 3,00: a weight or share, not an amount.
    text = f"{value.normalize():f}" if value != value.to_integral_value() else f"{value:.0f}"
    return formats.number_format(Decimal(text), use_l10n=True)


def show(kind: ChangeKind, name: str, value: Any) -> str:
    """A stored value as a person reads it: Danish dates and amounts, choices by their label."""
    if name in kind.formats:
        return (kind.formats[name](value) if value is not None else "") or EMPTY
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    model_field = _model_field(kind, name)
    if model_field is not None and model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.DateTimeField):
        moment = parse_datetime(value)
        return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT") if moment else str(value)
    if isinstance(model_field, models.DateField):
        day = parse_date(value)
        return formats.date_format(day, "SHORT_DATE_FORMAT") if day else str(value)
    if isinstance(model_field, models.DecimalField):
        amount = Decimal(value)
        money = (model_field.max_digits, model_field.decimal_places) == (
            MONEY_FIELD["max_digits"],
            MONEY_FIELD["decimal_places"],
        )
        return format_dkk(amount) if money else _number(amount)
    if isinstance(model_field, models.BooleanField):
        return str(_("yes") if value else _("no"))
    return str(value)


def show_weight(value: Any) -> str:
    return _number(Decimal(str(value)))


def history(subject: models.Model, user: Any, transitions: Iterable[Any]) -> list[Any]:
    """`subject`'s history for `user`: its transitions and the changes of the kinds the user may
    see, oldest first (the entries core/_history.html shows)."""
    from .models import ChangeLogEntry

    codes = [kind.code for kind in kinds_for(subject._meta.concrete_model) if kind.may_see(user, subject)]
    entries = list(ChangeLogEntry.objects.of(subject).filter(kind__in=codes).select_related("by")) if codes else []
    return sorted([*transitions, *entries], key=lambda entry: entry.at)
