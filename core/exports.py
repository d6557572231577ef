"""Exports of the lists a user sees, as CSV and Excel, streamed row by row.

A list describes its columns once, as (header, accessor, kind); this module writes them. The
rows come from the caller, already rooted in the user (`visible_to`) and filtered as the page
filters them, so an export never shows what the page would not.

CSV is written for a Danish Excel as much as for a machine: UTF-8 with a byte order mark,
semicolons between fields, a decimal comma and no thousands separator, dates ISO 8601. Excel gets
real numbers and dates with Danish number formats (2.171.981,00 kr., 31.03.2027).

Both stream: CSV line by line (StreamingHttpResponse); Excel through openpyxl's write-only
workbook, which writes each row to a temporary file as it goes, served from that file in blocks.
So memory stays flat however many rows there are, as long as the caller yields its rows lazily
(`chunks` below).
"""

from __future__ import annotations

import csv
import datetime
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, StreamingHttpResponse
from django.utils import timezone

Kind = Literal["text", "int", "decimal", "money", "percent", "date", "datetime"]
FORMATS = ("csv", "xlsx")
CHUNK = 250
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Excel's format codes are written with "," for thousands and "." for decimals whatever the
# reader's locale; the dates' points are literal, so they read 31.03.2027 everywhere.
NUMBER_FORMATS: dict[str, str] = {
    "int": "#,##0",
    "decimal": "#,##0.00",
    "money": '#,##0.00 "kr."',
    "percent": "0.0%",
    "date": "dd.mm.yyyy",
    "datetime": "dd.mm.yyyy hh:mm",
}
WIDTHS: dict[str, int] = {"text": 30, "int": 10, "decimal": 12, "money": 18, "percent": 10, "date": 12, "datetime": 17}


@dataclass(frozen=True)
class Column:
    """One column: its (translatable) header, how a row gives its value, and what kind of value."""

    header: Any
    value: Callable[[Any], Any]
    kind: Kind = "text"


def requested_format(request: HttpRequest) -> str | None:
    """`csv` or `xlsx` when the page's link asks for an export, else None (the page itself)."""
    value = request.GET.get("format")
    return value if value in FORMATS else None


def chunks(items: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    """Lists of at most `size` items, read lazily: a query's rows a chunk at a time."""
    if isinstance(items, QuerySet):
        items = items.iterator(chunk_size=size)
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def response(
    fmt: str, columns: list[Column], rows: Iterable[Any], filename: str
) -> StreamingHttpResponse | FileResponse:
    """The export as a download named `filename` (without extension)."""
    if fmt == "xlsx":
        return FileResponse(
            xlsx_file(columns, rows, sheet=filename),
            as_attachment=True,
            filename=f"{filename}.xlsx",
            content_type=XLSX_TYPE,
        )
    streaming = StreamingHttpResponse(csv_lines(columns, rows), content_type="text/csv; charset=utf-8")
    streaming["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return streaming


def heading(column: Column) -> str:
    """The header in the active language."""
    return str(column.header)


# CSV -----------------------------------------------------------------------------------------


class _Line:
    """A file-like object that hands back what csv.writer writes, one line at a time."""

    def write(self, value: str) -> str:
        return value


def csv_text(value: Any, kind: Kind) -> str:
    if value is None:
        return ""
    if kind in ("decimal", "money", "percent") and isinstance(value, Decimal | float | int):
        text = f"{value:.2f}" if kind == "money" else str(value)
        return text.replace(".", ",")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def csv_lines(columns: list[Column], rows: Iterable[Any]) -> Iterator[str]:
    writer = csv.writer(_Line(), delimiter=";")
    # The byte order mark tells Excel the file is UTF-8 (æ, ø, å).
    yield "\ufeff" + writer.writerow([heading(column) for column in columns])
    for row in rows:
        yield writer.writerow([csv_text(column.value(row), column.kind) for column in columns])


# Excel ---------------------------------------------------------------------------------------


def _cell_value(value: Any, kind: Kind) -> Any:
    if isinstance(value, datetime.datetime):
        # Excel has no time zones: the local time, as the page shows it.
        value = timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
        return value.date() if kind == "date" else value
    if isinstance(value, Decimal):
        # Excel's numbers are doubles; kroner and øre survive that exactly at these sizes.
        return float(value)
    return value


def xlsx_file(columns: list[Column], rows: Iterable[Any], sheet: str = "Data") -> Any:
    """A temporary file holding the workbook, at its start, for FileResponse to stream."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=sheet[:31])
    for index, column in enumerate(columns, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = WIDTHS[column.kind]
    worksheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(worksheet, value=heading(column))
        cell.font = bold
        header.append(cell)
    worksheet.append(header)
    formats = [NUMBER_FORMATS.get(column.kind) for column in columns]
    for row in rows:
        cells = []
        for column, number_format in zip(columns, formats, strict=True):
            cell = WriteOnlyCell(worksheet, value=_cell_value(column.value(row), column.kind))
            if number_format:
                cell.number_format = number_format
            cells.append(cell)
        worksheet.append(cells)
    # Closed by FileResponse once sent; the file is gone when closed.
    output = tempfile.TemporaryFile()  # noqa: SIM115
    workbook.save(output)
    output.seek(0)
    return output


def link_query(request: HttpRequest, fmt: str) -> str:
    """The page's own query string with the format added (its filters, its sort; no page)."""
    query = request.GET.copy()
    for name in ("format", "page"):
        query.pop(name, None)
    query["format"] = fmt
    return query.urlencode()


def localdate(value: datetime.datetime | None) -> datetime.date | None:
    return timezone.localtime(value).date() if value is not None else None


def export_links(request: HttpRequest) -> dict[str, str]:
    """The page's download links ("Hent som CSV", "Hent som Excel"), carrying its filters."""
    return {fmt: f"{request.path}?{link_query(request, fmt)}" for fmt in FORMATS}


class ExportMixin:
    """`?format=csv` / `?format=xlsx` on an API list: the same filtered, visible queryset as
    the JSON list, every row (no pages), as a download. JSON stays the default.

    DRF would read `format` as its own renderer switch and answer 404 for an unknown one; for a
    list asking for an export the negotiation is skipped and `list` answers with the file.
    """

    export_filename = "export"

    def export_columns(self) -> list[Column]:
        raise NotImplementedError

    def export_rows(self, queryset: QuerySet[Any]) -> Iterable[Any]:
        return chunked_rows(queryset)

    def _export_format(self) -> str | None:
        request = self.request  # type: ignore[attr-defined]
        if getattr(self, "action", None) != "list":
            return None
        return request.query_params.get("format") if request.query_params.get("format") in FORMATS else None

    def perform_content_negotiation(self, request: Any, force: bool = False) -> Any:
        if self._export_format():
            from rest_framework.renderers import JSONRenderer

            # Errors before the list (401, 403, a bad filter's 400) are still answered in JSON.
            return (JSONRenderer(), JSONRenderer.media_type)
        return super().perform_content_negotiation(request, force)  # type: ignore[misc]

    def list(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        fmt = self._export_format()
        if fmt is None:
            return super().list(request, *args, **kwargs)  # type: ignore[misc]
        queryset = self.filter_queryset(self.get_queryset())  # type: ignore[attr-defined]
        # The JSON list's order (its pages'), with the id to make it total.
        queryset = queryset.order_by(*(getattr(self, "ordering", None) or []), "pk")
        return response(fmt, self.export_columns(), self.export_rows(queryset), self.export_filename)


def chunked_rows(queryset: QuerySet[Any], size: int = CHUNK) -> Iterator[Any]:
    for chunk in chunks(queryset, size):
        yield from chunk
