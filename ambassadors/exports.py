"""The ambassador reports and the catalogue as spreadsheets: a report per row with its quarter,
state and counts (contacts, partnerships, matches by kind, meetings, sharing); an entry of the
catalogue per row, in the order the page lists them."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.exports import CHUNK, Column, localdate
from core.roles import display_name

from .models import AmbassadorReport, BestPractice
from .search import Results

FILENAME = "ambassadoerrapporter"
COUNTS = (
    "company_contacts",
    "new_partnerships",
    "matches_internship",
    "matches_wage_subsidy",
    "matches_igu",
    "matches_ordinary_job",
    "meetings_attended",
    "knowledge_sharing",
)


def _count(name: str) -> Column:
    # The model field's name, capitalised lazily: translated when the file is written.
    header = capfirst(AmbassadorReport._meta.get_field(name).verbose_name)
    return Column(header, lambda report: getattr(report, name), "int")


COLUMNS = [
    Column(_("Ambassador"), lambda report: display_name(report.ambassador.user)),
    Column(_("Municipality"), lambda report: report.ambassador.municipality.name),
    Column(_("Year"), lambda report: report.year, "int"),
    Column(_("Quarter"), lambda report: report.quarter, "int"),
    Column(_("State"), lambda report: report.get_state_display()),
    Column(_("Submitted"), lambda report: localdate(report.submitted_at), "date"),
    *(_count(name) for name in COUNTS),
]


# The catalogue of best practice ------------------------------------------------------------------

CATALOGUE_FILENAME = "katalog-god-praksis"


def _contacts(part: str) -> Callable[[BestPractice], str]:
    # Every contact of the entry in one cell, in order ("; " between them), part by part.
    return lambda practice: "; ".join(getattr(contact, part) for contact in practice.contacts.all())


CATALOGUE_COLUMNS = [
    Column(_("Title"), lambda practice: practice.title),
    # Every municipality of the entry, the lead first.
    Column(_("Municipality"), lambda practice: ", ".join(m.name for m in practice.all_municipalities)),
    Column(_("Theme"), lambda practice: practice.get_theme_display()),
    Column(_("State"), lambda practice: practice.get_state_display()),
    Column(_("Summary"), lambda practice: practice.summary),
    Column(_("Contact person"), _contacts("name")),
    Column(_("Role"), _contacts("role")),
    Column(_("E-mail"), _contacts("email")),
    Column(_("Phone"), _contacts("phone")),
    Column(_("Tags"), lambda practice: ", ".join(practice.tags or [])),
    Column(_("Source"), lambda practice: practice.source),
]


def practices(hits: Results) -> Iterator[BestPractice]:
    """The entries of a search's hits, best first, read a page of hits at a time."""
    for start in range(0, len(hits), CHUNK):
        for hit in hits[start : start + CHUNK]:
            yield hit.practice
