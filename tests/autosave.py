"""A browser tab with a form that saves itself, without a browser: `Tab` reads a form as the page
renders it and sends what static/puljeflow/puljeflow.js sends (the wire format is in
core/autosave.py): only the fields changed since the tab loaded or last saved them, each named
in `_fields`, with its `_base_` token; the answer's `puljeflow:saved` event gives the new tokens.
`whole()` is the form as a page without JavaScript posts it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

BASE = "_base_"
META = {"csrfmiddlewaretoken", "_fields", "_full_form"}


class _FormReader(HTMLParser):
    """The controls of one form (the first whose opening tag contains `marker`), as posted."""

    def __init__(self, marker: str) -> None:
        super().__init__(convert_charrefs=True)
        self.marker = marker
        self.depth = 0  # inside the form when > 0
        self.values: dict[str, list[str]] = {}
        self.order: list[str] = []
        self._select: tuple[str, bool] | None = None  # (name, multiple)
        self._select_first: str | None = None
        self._select_chosen = False
        self._option: dict[str, Any] | None = None
        self._textarea: str | None = None
        self._text: list[str] = []
        self.found = False

    def _add(self, name: str, value: str | None) -> None:
        if name not in self.values:
            self.values[name] = []
            self.order.append(name)
        if value is not None:
            self.values[name].append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form":
            if self.depth == 0 and not self.found and self.marker in self.get_starttag_text():
                self.depth, self.found = 1, True
            elif self.depth:
                self.depth += 1
            return
        if not self.depth or tag == "button":
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = (attributes.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                self._add(name, (attributes.get("value") or "on") if "checked" in attributes else None)
            elif kind not in ("submit", "button", "file", "reset"):
                self._add(name, attributes.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select = (name, "multiple" in attributes)
            self._select_first, self._select_chosen = None, False
            self._add(name, None)
        elif tag == "option" and self._select:
            self._option = {"value": attributes.get("value"), "selected": "selected" in attributes, "text": []}

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)
        elif self._option is not None:
            self._option["text"].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.depth:
            self.depth -= 1
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self._add(self._textarea, text[1:] if text.startswith("\n") else text)  # as HTML drops it
            self._textarea = None
        elif tag == "option" and self._option is not None and self._select:
            option = self._option
            value = option["value"] if option["value"] is not None else "".join(option["text"]).strip()
            if self._select_first is None:
                self._select_first = value
            if option["selected"]:
                self._add(self._select[0], value)
                self._select_chosen = True
            self._option = None
        elif tag == "select" and self._select:
            name, multiple = self._select
            if not multiple and not self._select_chosen and self._select_first is not None:
                self._add(name, self._select_first)  # a browser shows the first option
            self._select = None


def read_form(html: str, marker: str) -> dict[str, list[str]]:
    """The values each control of the form posts as rendered (by HTML name, in order)."""
    reader = _FormReader(marker)
    reader.feed(html)
    assert reader.found, f"no form with {marker!r} on the page"
    return {name: reader.values[name] for name in reader.order}


@dataclass
class Tab:
    """One tab with the form open: what it loaded, what it has saved since, what is typed now."""

    url: str
    loaded: dict[str, list[str]]
    bases: dict[str, str] = field(default_factory=dict)
    saved: dict[str, list[str]] = field(default_factory=dict)
    now: dict[str, list[str]] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, client: Any, page_url: str, marker: str, url: str | None = None) -> Tab:
        html = client.get(page_url).content.decode()
        values = read_form(html, marker)
        bases = {name[len(BASE) :]: v[0] for name, v in values.items() if name.startswith(BASE)}
        fields = {name: v for name, v in values.items() if not name.startswith(BASE) and name not in META}
        return cls(url or page_url, values, bases, dict(fields), {k: list(v) for k, v in fields.items()})

    def type(self, **values: str | list[str]) -> Tab:
        for name, value in values.items():
            assert name in self.now, f"{name} is not a field of the form"
            self.now[name] = value if isinstance(value, list) else [value]
        return self

    def changed(self) -> list[str]:
        return [name for name, value in self.now.items() if value != self.saved.get(name)]

    def body(self) -> dict[str, list[str]]:
        """What the page's script sends: the changed fields, `_fields` naming them, their bases."""
        names = self.changed()
        data: dict[str, list[str]] = {"_fields": names}
        for name in names:
            data[name] = self.now[name]
            if name in self.bases:
                data[BASE + name] = [self.bases[name]]
        return data

    def save(self, client: Any, **headers: Any) -> Any:
        """Send the changes as the script does (an htmx request), and take in the answer."""
        sending = {name: list(self.now[name]) for name in self.changed()}
        response = client.post(self.url, self.body(), HTTP_HX_REQUEST="true", **headers)
        event = json.loads(response.headers.get("HX-Trigger") or "{}").get("puljeflow:saved")
        if event:
            for name, value in event["tokens"].items():
                self.bases[name] = value
                if name in sending:
                    self.saved[name] = sending[name]
            self.conflicts = event["conflicts"]
        return response

    def whole(self) -> dict[str, list[str]]:
        """The whole form with what is typed, as a page without JavaScript posts it."""
        data = {name: list(value) for name, value in self.loaded.items()}
        data.update({name: list(value) for name, value in self.now.items()})
        return data


def conditional_round_trip(anne: Any, bo: Any, url: str, field_name: str, values: tuple[Any, Any], read: Any) -> None:
    """Two API clients read one object; Anne changes `field_name` with the ETag she read, Bo then
    tries with the same (now stale) ETag: 412, nothing of his written; with the new one he may.
    `read()` gives the stored value of the field."""
    first = anne.get(url)
    tag = first.headers.get("ETag")
    assert first.status_code == 200 and tag and tag.startswith('"') and tag.endswith('"')
    assert bo.get(url).headers["ETag"] == tag  # the same object, the same tag, whoever reads it

    mine = anne.patch(url, {field_name: values[0]}, format="json", HTTP_IF_MATCH=tag)
    assert mine.status_code == 200, mine.content
    assert read() == values[0]
    new_tag = mine.headers["ETag"]
    assert new_tag != tag and anne.get(url).headers["ETag"] == new_tag

    stale = bo.patch(url, {field_name: values[1]}, format="json", HTTP_IF_MATCH=tag)
    assert stale.status_code == 412 and set(stale.json()) == {"detail"}
    assert read() == values[0]  # nothing of Bo's written
    weak = bo.patch(url, {field_name: values[1]}, format="json", HTTP_IF_MATCH=f"W/{new_tag}")
    assert weak.status_code == 412  # If-Match compares strongly

    listed = bo.patch(url, {field_name: values[1]}, format="json", HTTP_IF_MATCH=f'"0", {new_tag}')
    assert listed.status_code == 200 and read() == values[1]
    assert bo.patch(url, {field_name: values[0]}, format="json", HTTP_IF_MATCH="*").status_code == 200
    assert read() == values[0]
