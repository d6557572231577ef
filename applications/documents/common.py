"""What the letters and the application PDF share: formats, the letterhead, the signature, tables."""

from __future__ import annotations

import datetime
import unicodedata
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from documents import pdf

from ..models import Application, GoalKind

SENDER = "SIRI"
SENDER_NAME = "Styrelsen for International Rekruttering og Integration"
WIDTH = 170 * mm  # A4 less the template's margins
LABEL_WIDTH = 48 * mm
RULE = colors.HexColor("#cccccc")
# The grant letter names the first report deadlines; the whole plan lives in Puljeflow.
FIRST_REPORTS = 4
EMPTY = "–"


# Formats ---------------------------------------------------------------------------------------


def _date(day: datetime.date | None) -> str:
    return f"{day:%d.%m.%Y}" if day else EMPTY


def _moment(at: datetime.datetime | None) -> str:
    if at is None:
        return EMPTY
    local = timezone.localtime(at)
    return _("%(date)s at %(time)s") % {"date": f"{local:%d.%m.%Y}", "time": f"{local:%H:%M}"}


def _period(start: datetime.date | None, end: datetime.date | None) -> str:
    return f"{_date(start)} – {_date(end)}"


def _number(value: Decimal | int | None) -> str:
    """A figure in Danish: 1.234,5 (no decimals when whole)."""
    if value is None:
        return EMPTY
    value = Decimal(value)
    places = 0 if value == value.to_integral_value() else (1 if (value * 10) == (value * 10).to_integral_value() else 2)
    return f"{value:,.{places}f}".replace(",", "X").replace(".", ",").replace("X", ".")


def _plain(text: Any) -> str:
    """User text for the page header and the PDF's metadata (drawn as a string, not markup)."""
    value = unicodedata.normalize("NFC", str(text or ""))
    return "".join(ch for ch in value if unicodedata.category(ch)[0] != "C")


def _file_name(prefix: str, application: Application) -> str:
    return f"{prefix}-{application.journal_number or application.pk}.pdf"


# Building blocks ---------------------------------------------------------------------------------


def _styles() -> dict[str, ParagraphStyle]:
    styles = pdf.styles()
    styles["cell_right"] = ParagraphStyle("cell_right", parent=styles["cell"], alignment=TA_RIGHT)
    styles["cell_right_bold"] = ParagraphStyle("cell_right_bold", parent=styles["cell_bold"], alignment=TA_RIGHT)
    return styles


def _table(
    rows: list[list[Any]], widths: list[float], *, header: bool = True, totals: int = 0, gap_before: int | None = None
) -> Table:
    """A plain table; the header row repeats when it breaks across pages, `totals` rows at the
    bottom are set off by a rule. A row longer than a page (an answer of 10,000 words) flows on
    over the pages: see documents.pdf.table."""
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
    ]
    if header:
        commands.append(("LINEBELOW", (0, 0), (-1, 0), 0.8, pdf.DARK))
    if totals:
        commands.append(("LINEABOVE", (0, -totals), (-1, -totals), 0.8, pdf.DARK))
    if gap_before is not None:  # text after a right-aligned figure needs air
        commands.append(("LEFTPADDING", (gap_before, 0), (gap_before, -1), 12))
    return pdf.table(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT", style=TableStyle(commands))


def _facts(rows: list[tuple[Any, Any]], styles: dict[str, ParagraphStyle]) -> Table:
    """Label–value pairs; the values may be user text or flowables."""
    cells = [
        [
            pdf.para(label, styles["cell_bold"]),
            value if isinstance(value, Flowable) else pdf.para(value, styles["cell"]),
        ]
        for label, value in rows
    ]
    return _table(cells, [LABEL_WIDTH, WIDTH - LABEL_WIDTH], header=False)


def _recipient(application: Application) -> list[str]:
    lines = [application.applicant_unit or application.lead_municipality.name]
    if application.applicant_unit and application.applicant_unit != application.lead_municipality.name:
        lines.append(application.lead_municipality.name)
    lines.extend(line for line in application.applicant_address.splitlines() if line.strip())
    if application.grant_responsible_name:
        lines.append(_("Attn. %(name)s") % {"name": application.grant_responsible_name})
    return lines


def _letterhead(application: Application, day: datetime.date, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """Sender, recipient, date and journal number, as a letter a case system files."""
    left = [pdf.para(f"{SENDER} – {SENDER_NAME}", styles["small"]), Spacer(1, 3 * mm)]
    left += [pdf.para(line, styles["body"]) for line in _recipient(application)]
    right = [
        pdf.para(_("Date: %(date)s") % {"date": _date(day)}, styles["body"]),
        pdf.para(_("Journal number: %(number)s") % {"number": application.journal_number or EMPTY}, styles["body"]),
    ]
    table = pdf.table([[left, right]], colWidths=[WIDTH - 60 * mm, 60 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return [table, Spacer(1, 10 * mm)]


def _signature(styles: dict[str, ParagraphStyle]) -> Flowable:
    return KeepTogether(
        [
            Spacer(1, 8 * mm),
            pdf.para(_("Kind regards"), styles["body"]),
            Spacer(1, 4 * mm),
            pdf.para(SENDER, styles["h2"]),
            pdf.para(SENDER_NAME, styles["small"]),
        ]
    )


def _application(document: Any) -> Application:
    application = (
        Application.objects.select_related("pool", "lead_municipality")
        .prefetch_related("partner_municipalities")
        .filter(pk=document.subject_id)
        .first()
    )
    if application is None:
        raise ValueError(_("The application no longer exists."))
    return application


def _partners(application: Application) -> str:
    return ", ".join(m.name for m in application.partner_municipalities.all())


def _render(story: list[Flowable], title: str, application: Application) -> bytes:
    return pdf.render(story, title=_plain(title), journal_number=application.journal_number or "")


def _goal_target(goal: Any) -> str:
    unit = " %" if goal.kind == GoalKind.PERCENTAGE else (f" {goal.unit}" if goal.unit else "")
    return f"{_number(goal.target_value)}{unit}"


# The building blocks under public names, for the letters and letter sections of the apps built
# on applications (the grant administration's), so that every letter SIRI sends looks alike.
letter_styles = _styles
letter_table = _table
letter_facts = _facts
letterhead = _letterhead
signature = _signature
render_letter = _render
file_name = _file_name
date_text = _date
period_text = _period
