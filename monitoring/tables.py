"""The columns of the tables in a quarterly report's summary (`monitoring/report/_summary.html`),
which the template asks for by name with `{% report_columns %}`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.tables import Column, columns

REPORT_COLUMNS: dict[str, list[Column]] = {
    "goals": columns(
        _("Goal"), Column(_("Value"), numeric=True), Column(_("Earlier quarter"), numeric=True), _("Comment")
    ),
    "kpis": columns(_("KPI"), Column(_("Project"), numeric=True), Column(_("National average"), numeric=True)),
    # Then a column per respondent.
    "fip": columns(_("Dimension")),
    "outcomes": columns(
        _("When"), Column(_("Participants"), numeric=True), Column(_("In ordinary work"), numeric=True)
    ),
}
