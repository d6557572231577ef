"""The ambassador reports as a spreadsheet: one row per report, its quarter and state and the
counts the ambassador reports (contacts, partnerships, matches by kind, meetings, sharing)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.exports import Column, localdate
from core.roles import display_name

from .models import AmbassadorReport

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
    return Column(AmbassadorReport._meta.get_field(name).verbose_name, lambda report: getattr(report, name), "int")


COLUMNS = [
    Column(_("Ambassador"), lambda report: display_name(report.ambassador.user)),
    Column(_("Municipality"), lambda report: report.ambassador.municipality.name),
    Column(_("Year"), lambda report: report.year, "int"),
    Column(_("Quarter"), lambda report: report.quarter, "int"),
    Column(_("State"), lambda report: report.get_state_display()),
    Column(_("Submitted"), lambda report: localdate(report.submitted_at), "date"),
    *(_count(name) for name in COUNTS),
]
