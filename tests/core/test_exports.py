"""The shared export writer: CSV for a Danish Excel, XLSX with real numbers and dates, both
written row by row so memory does not grow with the rows."""

from __future__ import annotations

import datetime
import io
import tracemalloc
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.http import StreamingHttpResponse
from django.test import RequestFactory

from core.exports import Column, export_links, response, xlsx_file

COLUMNS = [
    Column("Navn", lambda row: row["name"]),
    Column("Antal", lambda row: row["count"], "int"),
    Column("Beløb", lambda row: row["amount"], "money"),
    Column("Andel", lambda row: row["share"], "percent"),
    Column("Dato", lambda row: row["day"], "date"),
    Column("Tidspunkt", lambda row: row["at"], "datetime"),
]


def make_rows(n: int) -> Iterator[dict[str, Any]]:
    for i in range(n):
        yield {
            "name": f"Projekt {i} æøå",
            "count": i,
            "amount": Decimal("2171981.50") + i,
            "share": Decimal("0.625"),
            "day": datetime.date(2027, 3, 31),
            # 23:30 UTC is the next day in Copenhagen: the export shows local time.
            "at": datetime.datetime(2027, 3, 30, 22, 30, tzinfo=datetime.UTC),
        }


def csv_text(rows: Any) -> str:
    streamed = response("csv", COLUMNS, rows, "liste")
    assert isinstance(streamed, StreamingHttpResponse)
    return b"".join(streamed.streaming_content).decode("utf-8")


def test_csv_is_for_a_danish_excel() -> None:
    text = csv_text(make_rows(2))
    lines = text.splitlines()
    assert text.startswith("\ufeff")  # Excel reads it as UTF-8 only with the mark
    assert lines[0] == "\ufeffNavn;Antal;Beløb;Andel;Dato;Tidspunkt"
    assert lines[1] == "Projekt 0 æøå;0;2171981,50;0,625;2027-03-31;2027-03-31 00:30"
    assert lines[2].startswith("Projekt 1 æøå;1;2171982,50;")


def test_csv_quotes_semicolons_and_leaves_missing_values_empty() -> None:
    row = {"name": "A; B", "count": None, "amount": None, "share": None, "day": None, "at": None}
    assert csv_text([row]).splitlines()[1] == '"A; B";;;;;'


def test_csv_download_is_named() -> None:
    streamed = response("csv", COLUMNS, [], "liste")
    assert streamed["Content-Type"] == "text/csv; charset=utf-8"
    assert streamed["Content-Disposition"] == 'attachment; filename="liste.csv"'


def test_xlsx_has_real_numbers_and_dates_with_danish_formats() -> None:
    file = xlsx_file(COLUMNS, make_rows(2), sheet="Liste")
    sheet = openpyxl.load_workbook(io.BytesIO(file.read()))["Liste"]
    header, first = list(sheet.iter_rows(min_row=1, max_row=2))
    assert [cell.value for cell in header] == ["Navn", "Antal", "Beløb", "Andel", "Dato", "Tidspunkt"]
    assert header[0].font.bold
    name, count, amount, share, day, at = first
    assert count.value == 0 and count.number_format == "#,##0"
    assert amount.value == pytest.approx(2171981.5) and isinstance(amount.value, float)
    assert amount.number_format == '#,##0.00 "kr."'
    assert share.value == pytest.approx(0.625) and share.number_format == "0.0%"
    assert day.value == datetime.datetime(2027, 3, 31) and day.number_format == "dd.mm.yyyy"
    assert at.value == datetime.datetime(2027, 3, 31, 0, 30) and at.number_format == "dd.mm.yyyy hh:mm"
    assert name.value == "Projekt 0 æøå"
    assert sheet.freeze_panes == "A2"


def test_xlsx_download_is_named() -> None:
    download = response("xlsx", COLUMNS, make_rows(1), "liste")
    assert download["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="liste.xlsx"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"PK")  # a zip, as every .xlsx


def test_links_carry_the_filters_but_not_the_page() -> None:
    request = RequestFactory().get("/review/", {"pool": "3", "state": ["submitted", "granted"], "page": "4"})
    links = export_links(request)
    assert links["csv"] == "/review/?pool=3&state=submitted&state=granted&format=csv"
    assert links["xlsx"].endswith("&format=xlsx")


def peak(fmt: str, n: int) -> int:
    """The peak memory traced while the export of n generated rows is written and read out."""
    tracemalloc.start()
    try:
        for _chunk in response(fmt, COLUMNS, make_rows(n), "liste").streaming_content:
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_memory_is_flat_in_the_number_of_rows(fmt: str) -> None:
    peak(fmt, 10)  # imports and first-use caches out of the way
    small, large = peak(fmt, 300), peak(fmt, 3000)
    assert large < 2 * small, (small, large)
