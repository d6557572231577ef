"""What every PDF of Puljeflow shares: an embedded TrueType family (æ, ø and å render in any
viewer), the styles, a page template with "Side x af y" and the journal number in the footer,
and the one way user text gets into a paragraph (escaped, NFC-normalised, no markup, no images).

Page totals come from a PDF form drawn on every page and defined once at the end, so a document
of 300 pages never holds its pages in memory to number them.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import reportlab
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Table

FONT = "PuljeflowSans"
FONT_BOLD = "PuljeflowSans-Bold"
FONT_ITALIC = "PuljeflowSans-Italic"
# Bitstream Vera ships inside reportlab itself: embedded, no system font needed on any machine.
_FONT_FILES = {
    FONT: "Vera.ttf",
    FONT_BOLD: "VeraBd.ttf",
    FONT_ITALIC: "VeraIt.ttf",
    "PuljeflowSans-BoldItalic": "VeraBI.ttf",
}
_TOTAL_FORM = "puljeflow_page_total"
MARGIN = 20 * mm
DARK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#545454")
ACCENT = colors.HexColor("#004993")  # dkfds primary blue
# A table row taller than what is left of the page (a long answer in a form's cell) is split
# inside the row and flows on over the pages; a part of a row is never shorter than this (about
# three lines of table text), so a short row moves to the next page whole, as before.
SPLIT_IN_ROW = 36


def register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = Path(reportlab.__file__).parent / "fonts"
    for name, filename in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / filename)))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic="PuljeflowSans-BoldItalic"
    )


def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=14, textColor=DARK, alignment=TA_LEFT)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11, textColor=MUTED),
        "title": ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=20, leading=25, spaceAfter=6),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=12, leading=16, textColor=MUTED, spaceAfter=12),
        "h1": ParagraphStyle(
            "h1", parent=base, fontName=FONT_BOLD, fontSize=14, leading=18, spaceBefore=12, spaceAfter=6
        ),
        "h2": ParagraphStyle(
            "h2", parent=base, fontName=FONT_BOLD, fontSize=11, leading=15, spaceBefore=8, spaceAfter=4
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=12),
        "cell_bold": ParagraphStyle("cell_bold", parent=base, fontName=FONT_BOLD, fontSize=9, leading=12),
    }


def clean(text: Any) -> str:
    """User text as reportlab paragraph markup: NFC-normalised (combining characters joined),
    control characters dropped, markup escaped so that no tag (an <img src=…> included) is read."""
    value = unicodedata.normalize("NFC", "" if text is None else str(text))
    value = "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    return escape(value).replace("\n", "<br/>")


def para(text: Any, style: ParagraphStyle) -> Paragraph:
    """A paragraph of user text (never markup of ours)."""
    return Paragraph(clean(text), style)


def table(rows: list[list[Any]], **options: Any) -> Table:
    """A reportlab table that breaks between its rows and, when one row is taller than a page,
    inside that row (reportlab's `splitInRow`), so that no length of text fails the layout."""
    return Table(rows, splitByRow=1, splitInRow=SPLIT_IN_ROW, **options)


def paras(text: Any, style: ParagraphStyle) -> list[Paragraph]:
    """Long user text as one paragraph per blank-line block, so it can break across pages."""
    blocks = [block for block in unicodedata.normalize("NFC", str(text or "")).split("\n\n") if block.strip()]
    return [para(block, style) for block in blocks]


class NumberedCanvas(pdfcanvas.Canvas):
    """Defines the page-total form once, when the document is saved."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages_shown = 0

    def showPage(self) -> None:
        self._pages_shown += 1
        super().showPage()

    def save(self) -> None:
        self.beginForm(_TOTAL_FORM)
        self.setFont(FONT, 8)
        self.setFillColor(MUTED)
        self.drawString(0, 0, str(self._pages_shown))
        self.endForm()
        super().save()


class Template(BaseDocTemplate):
    """A4 with a header line (the document's title) and a footer: "Side x af y" and the journal number."""

    def __init__(self, buffer: io.BytesIO, *, title: str, journal_number: str = "", author: str = "Puljeflow") -> None:
        super().__init__(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN + 6 * mm,
            bottomMargin=MARGIN,
            title=title,
            author=author,
            creator="Puljeflow",
            lang="da-DK",
        )
        self.header = title
        self.journal_number = journal_number
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._decorate)])

    def _decorate(self, canvas: pdfcanvas.Canvas, doc: BaseDocTemplate) -> None:
        width, height = A4
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, height - MARGIN + 2 * mm, self.header[:110])
        canvas.setStrokeColor(colors.HexColor("#cccccc"))
        canvas.line(MARGIN, height - MARGIN, width - MARGIN, height - MARGIN)
        canvas.line(MARGIN, MARGIN - 4 * mm, width - MARGIN, MARGIN - 4 * mm)
        if self.journal_number:
            canvas.drawString(MARGIN, MARGIN - 9 * mm, _("Journal number %(number)s") % {"number": self.journal_number})
        label = _("Page %(page)s of ") % {"page": canvas.getPageNumber()}
        right = width - MARGIN - 12
        canvas.drawRightString(right, MARGIN - 9 * mm, label)
        canvas.translate(right, MARGIN - 9 * mm)
        canvas.doForm(_TOTAL_FORM)
        canvas.restoreState()


def render(story: Iterable[Flowable], *, title: str, journal_number: str = "") -> bytes:
    buffer = io.BytesIO()
    register_fonts()
    Template(buffer, title=title, journal_number=journal_number).build(list(story), canvasmaker=NumberedCanvas)
    return buffer.getvalue()
