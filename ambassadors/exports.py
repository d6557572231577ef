"""The ambassador reports and the catalogue as spreadsheets: a report per row with its quarter,
state and counts (contacts, partnerships, matches by kind, meetings, sharing); an entry of the
catalogue per row, in the order the page lists them."""

from __future__ import annotations

from collections.abc import Iterator

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
CATALOGUE_COLUMNS = [
    Column(_("Title"), lambda practice: practice.title),
    Column(_("Municipality"), lambda practice: practice.municipality.name),
    Column(_("Theme"), lambda practice: practice.get_theme_display()),
    Column(_("State"), lambda practice: practice.get_state_display()),
    Column(_("Summary"), lambda practice: practice.summary),
    Column(_("Contact person"), lambda practice: practice.contact_name),
    Column(_("Role"), lambda practice: practice.contact_role),
    Column(_("E-mail"), lambda practice: practice.contact_email),
    Column(_("Phone"), lambda practice: practice.contact_phone),
    Column(_("Tags"), lambda practice: ", ".join(practice.tags or [])),
]


def practices(hits: Results) -> Iterator[BestPractice]:
    """The entries of a search's hits, best first, read a page of hits at a time."""
    for start in range(0, len(hits), CHUNK):
        for hit in hits[start : start + CHUNK]:
            yield hit.practice
