"""Saving while typing when two people (or two tabs) edit the same draft.

A page form that saves itself used to post the whole form, so the tab saved last put back every
field as it had loaded it: the other person's changes were silently reverted. Now each field is
written only when what is stored is still what the tab started from; otherwise the stored value
stays, and the tab is told so with the stored value beside its own text (neither is lost).

The wire format (what static/puljeflow/puljeflow.js sends, and what a page without JavaScript
posts):

- ``<field>``: the fields that changed since the tab last loaded or saved them, as the form
  posts them (the HTML names, with the form's prefix);
- ``_fields``: once per field the request carries. A field named here but absent from the body
  was sent empty (an unticked checkbox, a multiple select with nothing chosen). A request without
  ``_fields`` is a plain form post: the fields in the body, or every field of the form when it
  carries ``_full_form`` (a page without JavaScript posts the whole form);
- ``_base_<field>``: the token of the value the tab started from (``token``). The page renders one
  hidden input per field (``core/_autosave_bases.html``); each answer of a save sends the new ones
  in the ``HX-Trigger`` header, as the event ``puljeflow:saved`` with ``{"tokens": {field: token},
  "conflicts": [field, ...], "errors": {field: {"id": ..., "messages": [...]}}, "prefix": ...}``:
  the tab marks each field in error where it is typed, and unmarks the others it sent;
- ``_pending_fields`` and ``_pending_<field>``: only on the last save sent as the page is left
  while a save is still under way: the fields and values of that save, whose answer (with the new
  bases) has not come. A stored value equal to them is the tab's own, not a conflict.

For each field sent, with the value ``sent``, the base ``base`` and the stored value ``stored``:
``sent == stored``: nothing to write, the tab is in sync; no base (an old page, a script): it is
written, as before; ``base == stored``: it is written; ``sent == base`` (the tab did not change it;
only a whole-form post sends such a field): it is left alone; otherwise it is a conflict: the
stored value stays and the tab keeps its text, with the stored value shown beside it.

The API has the same guard per object: ``etag`` of the writable fields as the ``ETag`` of a GET,
and ``If-Match`` on PATCH (core/api.py's ``ConditionalUpdate``).
"""

from __future__ import annotations

import copy
import datetime
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Manager, Model, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

FIELDS = "_fields"
FULL_FORM = "_full_form"
BASE = "_base_"
# The values of a save still under way, sent with the last save as a page is left (see `_own_pending`).
PENDING = "_pending_"
PENDING_FIELDS = "_pending_fields"
EVENT = "puljeflow:saved"

CONFLICT = _(
    "Changed by someone else since you opened the page. Saved now: “%(stored)s”. "
    "Your text is still in the field and has not been saved."
)
EMPTY = _("(empty)")


# Tokens -----------------------------------------------------------------------------------------


def canonical(value: Any) -> Any:
    """`value` in one plain form however it was read: a form's cleaned value, a model's field, an
    API representation. A related object is its key, a set of them their sorted keys, a number its
    digits (5, 5.0 and Decimal("5.00") alike), a text with any newline as \\n, empty text none."""
    if isinstance(value, Model):
        return canonical(value.pk)
    if isinstance(value, Manager):
        value = value.all()
    if isinstance(value, Mapping):
        return {str(key): canonical(inner) for key, inner in value.items()}
    if isinstance(value, QuerySet | list | tuple | set | frozenset):
        items = [canonical(inner) for inner in value]
        if all(not isinstance(item, dict | list) for item in items):
            return sorted(items, key=lambda item: (item is None, str(item)))  # a choice of several: no order
        return items
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
        return format(number.normalize(), "f") if number.is_finite() else str(number)
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    if isinstance(value, str):
        text = value.replace("\r\n", "\n").replace("\r", "\n")
        return text or None
    return str(value)


def token(value: Any) -> str:
    """A short fingerprint of `value` (by `canonical`): equal values, equal tokens."""
    text = json.dumps(canonical(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.blake2b(text.encode(), digest_size=10).hexdigest()


def etag(data: Mapping[str, Any]) -> str:
    """An HTTP entity tag (quoted) of an API representation's `data`."""
    return f'"{token(data)}"'


# A form's stored values, as the page renders them and as the browser posts them back ------------


def stored_values(form: forms.BaseForm) -> dict[str, Any]:
    """The values an unbound form shows, by field name."""
    return {name: form[name].initial for name in form.fields}


def bases(form: forms.BaseForm) -> list[tuple[str, str]]:
    """(HTML name, token) of each field of an unbound form: the page's `_base_` inputs."""
    return [(form.add_prefix(name), token(value)) for name, value in stored_values(form).items()]


def _multiple(widget: forms.Widget) -> bool:
    return bool(getattr(widget, "allow_multiple_selected", False))


def posted(form: forms.BaseForm, name: str) -> list[str]:
    """What a browser posts for field `name` of an unbound form left as it is shown."""
    bound = form[name]
    widget = bound.field.widget
    value = bound.value()
    if isinstance(widget, forms.CheckboxInput):
        return ["on"] if widget.check_test(value) else []
    shown = widget.format_value(value)
    if isinstance(shown, list | tuple):
        return [str(item) for item in shown if item not in (None, "")]
    return [] if shown is None else [str(shown)]


def display(form: forms.BaseForm, name: str) -> str:
    """The stored value of field `name` of an unbound form as a person reads it."""
    field_ = form.fields[name]
    values = posted(form, name)
    if isinstance(field_.widget, forms.CheckboxInput):
        return gettext("Yes") if values else gettext("No")
    choices = getattr(field_, "choices", None)
    if choices is not None:
        labels = {str(key): str(label) for key, label in choices}
        values = [labels.get(value, value) for value in values]
    return ", ".join(values) if _multiple(field_.widget) else "\n".join(values)


def sent_fields(post: QueryDict, form: forms.BaseForm) -> list[str]:
    """The names of the fields of `form` the request carries (see the wire format above)."""
    if FIELDS in post:
        listed = set(post.getlist(FIELDS))
        return [name for name in form.fields if form.add_prefix(name) in listed]
    if FULL_FORM in post:
        return list(form.fields)
    return [name for name in form.fields if form.add_prefix(name) in post]


# Merging what a tab sent with what is stored -----------------------------------------------------


@dataclass
class Conflict:
    """A field another writer changed: the stored value stays. `shown` is how the page shows it,
    `posted` what the field holds to show it (for "use the saved text"), `token` its base."""

    label: str
    html_name: str
    field_id: str
    shown: str
    posted: list[str]
    token: str

    @property
    def message(self) -> str:
        return str(CONFLICT % {"stored": self.shown or EMPTY})

    @property
    def posted_json(self) -> str:
        return json.dumps(self.posted, ensure_ascii=False)


@dataclass
class Merge:
    """What one save of a page form comes to.

    `typed` is the form as the tab typed it (the stored values under the fields it did not send):
    it holds every problem and is what the page shows. `accepted` are the fields to write, and
    `saving()` the form of the stored values with only those over them: what the page's service
    call takes, so that a part written as a whole (a report's goals) keeps what this tab did not
    change. `conflicts` are the fields someone else changed meanwhile, by name."""

    typed: forms.BaseForm
    sent: list[str]
    accepted: list[str]
    conflicts: dict[str, Conflict]
    _stored_data: QueryDict
    _post: QueryDict
    _make: Callable[[Any], forms.BaseForm]
    _saving: forms.BaseForm | None = field(default=None, repr=False)

    @property
    def values(self) -> dict[str, Any]:
        """The cleaned values of the accepted fields."""
        return {name: self.typed.cleaned_data[name] for name in self.accepted}

    def saving(self) -> forms.BaseForm:
        if self._saving is None:
            data = self._stored_data.copy()
            _overlay(data, self._post, [self.typed.add_prefix(name) for name in self.accepted])
            self._saving = self._make(data)
            self._saving.is_valid()
        return self._saving

    def tokens(self, stored: forms.BaseForm) -> dict[str, str]:
        """HTML name → token, for each field sent whose stored value (in the unbound form
        `stored`, read after the write) is what the tab holds: the tab's new bases. A field left
        out (a conflict, an error, a rule of the service) keeps its old base, so the tab sends it
        again and is told again."""
        now = stored_values(stored)
        tokens = {}
        for name in self.sent:
            if name in self.conflicts or name in self.typed.errors:
                continue
            mine = token(self.typed.cleaned_data.get(name))
            if mine == token(now.get(name)):
                tokens[self.typed.add_prefix(name)] = mine
        return tokens

    def errors(self) -> dict[str, dict[str, Any]]:
        """HTML name → the field's id and its messages, for each field of the form in error: what
        the tab marks at the field itself (puljeflow.js), as the page does without JavaScript."""
        return {
            self.typed.add_prefix(name): {"id": self.typed[name].auto_id, "messages": [str(m) for m in messages]}
            for name, messages in self.typed.errors.items()
            if name in self.typed.fields
        }

    def event(self, stored: forms.BaseForm) -> dict[str, Any]:
        """The `HX-Trigger` header's value that tells the tab its new bases, and which fields to
        mark in error (the fields it sent that are not named are marked no more)."""
        conflicts = [self.typed.add_prefix(name) for name in self.conflicts]
        return {
            EVENT: {
                "tokens": self.tokens(stored),
                "conflicts": conflicts,
                "errors": self.errors(),
                "prefix": gettext("Error:"),
            }
        }

    def show_conflicts_on_fields(self) -> None:
        """Each conflict as an error of its field, for a page shown again without JavaScript."""
        for name, conflict in self.conflicts.items():
            self.typed.add_error(name, conflict.message)


def _overlay(data: QueryDict, post: QueryDict, names: Iterable[str]) -> None:
    for name in names:
        values = post.getlist(name)
        if values:
            data.setlist(name, values)
        else:  # sent empty: as a browser posts an unticked box, nothing
            data.pop(name, None)


def _own_pending(
    post: QueryDict,
    stored_data: QueryDict,
    stored_form: forms.BaseForm,
    name: str,
    now: str,
    make_form: Callable[[Any], forms.BaseForm],
) -> bool:
    """Whether what is stored is this tab's own save that was still under way when it sent this
    one (the last save as a page is left: its base is the one before that save answered). The
    tab names those fields in ``_pending_fields`` and sends their values as ``_pending_<field>``;
    a field someone else changed since is still a conflict, as its stored value is not the tab's."""
    html_name = stored_form.add_prefix(name)
    if html_name not in post.getlist(PENDING_FIELDS):
        return False
    sent = QueryDict(mutable=True)
    sent.setlist(html_name, post.getlist(PENDING + html_name))
    data = stored_data.copy()
    _overlay(data, sent, [html_name])
    pending = make_form(data)
    pending.is_valid()
    return name not in pending.errors and token(pending.cleaned_data.get(name)) == now


def merge(post: QueryDict, make_form: Callable[[Any], forms.BaseForm]) -> Merge:
    """Weigh what a tab posted against what is stored. `make_form(None)` is the page's form of
    the stored values, unbound; `make_form(data)` the same form bound to `data`. Call it while
    holding the lock of what is written, and write `accepted` before letting go."""
    stored_form = make_form(None)
    stored = stored_values(stored_form)
    stored_data = QueryDict(mutable=True)
    for name in stored_form.fields:
        values = posted(stored_form, name)
        if values:
            stored_data.setlist(stored_form.add_prefix(name), values)
    sent = sent_fields(post, stored_form)
    typed_data = stored_data.copy()
    _overlay(typed_data, post, [stored_form.add_prefix(name) for name in sent])
    typed = make_form(typed_data)
    typed.is_valid()
    accepted: list[str] = []
    conflicts: dict[str, Conflict] = {}
    for name in sent:
        if name in typed.errors:
            continue
        mine, now = token(typed.cleaned_data.get(name)), token(stored.get(name))
        base = post.get(BASE + stored_form.add_prefix(name))
        if mine == now:
            continue
        if base is None or base == now or _own_pending(post, stored_data, stored_form, name, now, make_form):
            accepted.append(name)
        elif base != mine:  # both changed it: theirs is stored, the tab keeps its own
            conflicts[name] = Conflict(
                label=str(stored_form[name].label),
                html_name=stored_form.add_prefix(name),
                field_id=stored_form[name].auto_id,
                shown=display(stored_form, name),
                posted=posted(stored_form, name),
                token=now,
            )
    return Merge(typed, sent, accepted, conflicts, stored_data, post, make_form)


def detached(instance: Model) -> Model:
    """A copy of `instance` for a model form to clean into: a bound model form writes what it
    cleans onto its instance, which must not touch the one read under the lock."""
    return copy.copy(instance)
