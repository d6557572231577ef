"""The monitoring PDFs' tables (monitoring/pdf/common.py): a text that fills many cells is written
once per document and then repeated, and must still read, cell by cell, as it was written."""

from __future__ import annotations

import io

from pypdf import PdfReader

from documents import pdf
from monitoring.pdf.common import FRAME_WIDTH, table


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_a_text_in_many_cells_is_in_every_cell_over_the_pages() -> None:
    rows = [("Kvartal", "Status", "Bemærkning")]
    rows += [(f"Række {n}", "Til tiden" if n % 3 else "Forsinket", "Æblegrød og øl") for n in range(1, 151)]
    text = text_of(pdf.render([table(rows, [FRAME_WIDTH / 3] * 3)], title="Tabel"))
    cells = [line for line in text.splitlines() if line.startswith("Række ") or line in {"Til tiden", "Forsinket"}]
    # Each row in its place, in order, with its own status: nothing dropped, doubled or moved.
    assert cells == [cell for n in range(1, 151) for cell in (f"Række {n}", "Til tiden" if n % 3 else "Forsinket")]
    assert text.count("Æblegrød og øl") == 150
    assert text.count("Kvartal\nStatus\nBemærkning") > 1  # the heading repeated on every page


def test_a_text_is_written_with_its_own_documents_fonts() -> None:
    # The first document meets these letters first; the second meets others first, so their codes
    # in its fonts differ: text written for the first would read wrong in the second.
    first = pdf.render([table([("Øre og æbler", "Ål")], [FRAME_WIDTH / 2] * 2, header=False)], title="Første")
    second = pdf.render(
        [
            table([("Quiz whisky jab", "Vexed fog")], [FRAME_WIDTH / 2] * 2, header=False),
            table([("Øre og æbler", "Ål")], [FRAME_WIDTH / 2] * 2, header=False),
        ],
        title="Anden",
    )
    assert "Øre og æbler\nÅl" in text_of(first)
    assert "Øre og æbler\nÅl" in text_of(second)
