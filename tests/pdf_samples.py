"""PDFs for the tests, made here rather than committed: a clean one by reportlab as a person's
office program would make it, and small hand-built ones, each with one kind of active content
written into its objects the way such files carry it."""

from __future__ import annotations

import io
import zlib

from pypdf import PdfWriter
from reportlab.pdfgen import canvas

JS = b"<< /S /JavaScript /JS (app.alert\\('Hej'\\);) >>"


def reportlab_pdf(pages: int = 2) -> bytes:
    """A letter with text, a link to a web site, a bookmark and a link within the document:
    everything an ordinary PDF holds and that must pass."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=True)  # the same bytes every time
    for number in range(1, pages + 1):
        pdf.bookmarkPage(f"side{number}")
        pdf.addOutlineEntry(f"Side {number}", f"side{number}")
        pdf.drawString(72, 770, f"Byrådets beslutning, side {number}")
        pdf.linkURL("https://www.slagelse.dk/", (72, 700, 300, 720))
        pdf.linkAbsolute("Til side 1", "side1", (72, 650, 300, 670))
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _stream(body: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(body), extra, body)


def raw_pdf(catalog: bytes = b"", page: bytes = b"", extra: tuple[bytes, ...] = (), pad: int = 0) -> bytes:
    """A one-page PDF with a correct cross-reference table. `catalog` and `page` are added to
    those dictionaries; `extra` are objects 6, 7, …; `pad` adds an unreferenced stream of that
    many bytes."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> " + page + b" >>",
        _stream(b"BT /F1 12 Tf 72 770 Td (Bilag) Tj ET"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        *extra,
    ]
    if pad:
        objects.append(_stream(b"0" * pad))
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def pdf_of_size(size: int) -> bytes:
    """A clean PDF of exactly `size` bytes."""
    pad = 0
    for _ in range(5):
        data = raw_pdf(pad=pad)
        if len(data) == size:
            return data
        pad += size - len(data)
    raise AssertionError(f"no PDF of {size} bytes")


def object_stream_pdf(catalog: bytes) -> bytes:
    """A PDF 1.5 file whose catalog, pages and page sit compressed in an object stream, found
    through a cross-reference stream: what a byte search of the file never sees."""
    inner = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    header, body = b"", b""
    for number, obj in enumerate(inner, 1):
        header += b"%d %d " % (number, len(body))
        body += obj + b"\n"
    packed = zlib.compress(header + body)
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    objstm_at = len(out)
    out += b"4 0 obj\n%s\nendobj\n" % _stream(
        packed, b"/Type /ObjStm /N 3 /First %d /Filter /FlateDecode" % len(header)
    )
    xref_at = len(out)
    rows = [b"\x00" + (0).to_bytes(4, "big") + (65535).to_bytes(2, "big")]
    rows += [b"\x02" + (4).to_bytes(4, "big") + index.to_bytes(2, "big") for index in range(3)]
    rows += [b"\x01" + objstm_at.to_bytes(4, "big") + b"\x00\x00"]
    rows += [b"\x01" + xref_at.to_bytes(4, "big") + b"\x00\x00"]
    out += b"5 0 obj\n%s\nendobj\n" % _stream(b"".join(rows), b"/Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R")
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def _link(action: bytes) -> dict[str, object]:
    return {
        "page": b"/Annots [6 0 R]",
        "extra": (b"<< /Type /Annot /Subtype /Link /Rect [72 700 300 720] /A " + action + b" >>",),
    }


def with_embedded_file() -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(reportlab_pdf()))
    writer.add_attachment("deltagerliste.xlsx", b"PK\x03\x04 not really a spreadsheet")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted(user_password: str | None = None) -> bytes:
    """Encrypted with a password to open it, or with `user_password` "" only restricted."""
    if user_password is None:
        user_password = "hemmelig"
    writer = PdfWriter(clone_from=io.BytesIO(reportlab_pdf()))
    writer.encrypt(user_password=user_password, owner_password="ejer", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# Clean PDFs: each must be accepted.
CLEAN = {
    "reportlab": reportlab_pdf,
    "hand-built": raw_pdf,
    # Opening at page 1, fitted: a plain view, not an action.
    "open at a page": lambda: raw_pdf(catalog=b"/OpenAction [3 0 R /Fit]"),
    "open with GoTo": lambda: raw_pdf(catalog=b"/OpenAction << /S /GoTo /D [3 0 R /Fit] >>"),
    "web link": lambda: raw_pdf(**_link(b"<< /S /URI /URI (https://siri.dk/) >>")),  # type: ignore[arg-type]
    "object streams": lambda: object_stream_pdf(b"/PageMode /UseOutlines"),
}

# (what the PDF holds, how it is made, the words of the Danish message that name it)
ACTIVE = [
    ("JavaScript on opening", lambda: raw_pdf(catalog=b"/OpenAction " + JS), "JavaScript"),
    (
        "document JavaScript",
        lambda: raw_pdf(catalog=b"/Names << /JavaScript << /Names [(init) 6 0 R] >> >>", extra=(JS,)),
        "JavaScript",
    ),
    ("JavaScript in a link", lambda: raw_pdf(**_link(JS)), "JavaScript"),  # type: ignore[arg-type]
    # /J#53 is /JS and /Java#53cript is /JavaScript: names written in hex escapes.
    (
        "obfuscated names",
        lambda: raw_pdf(catalog=b"/OpenAction << /S /Java#53cript /J#53 (app.alert\\(1\\)) >>"),
        "JavaScript",
    ),
    ("JavaScript in an object stream", lambda: object_stream_pdf(b"/OpenAction " + JS), "JavaScript"),
    (
        "web page on opening",
        lambda: raw_pdf(catalog=b"/OpenAction << /S /URI /URI (https://example.com/) >>"),
        "handlinger, der kører af sig selv",
    ),
    (
        "GoTo chained to a web page",
        lambda: raw_pdf(
            catalog=b"/OpenAction << /S /GoTo /D [3 0 R /Fit] /Next << /S /URI /URI (https://example.com/) >> >>"
        ),
        "handlinger, der kører af sig selv",
    ),
    (
        "additional actions",
        lambda: raw_pdf(page=b"/AA << /O << /S /URI /URI (https://example.com/) >> >>"),
        "handlinger, der kører af sig selv",
    ),
    (
        "Launch",
        lambda: raw_pdf(**_link(b"<< /S /Launch /Win << /F (cmd.exe) >> >>")),  # type: ignore[arg-type]
        "kommandoer, der starter programmer",
    ),
    ("embedded file", with_embedded_file, "indlejrede filer"),
    (
        "file attachment annotation",
        lambda: raw_pdf(
            page=b"/Annots [6 0 R]",
            extra=(
                b"<< /Type /Annot /Subtype /FileAttachment /Rect [72 700 90 720] "
                b"/FS << /Type /Filespec /F (bilag.exe) >> >>",
            ),
        ),
        "indlejrede filer",
    ),
    (
        "XFA form",
        lambda: raw_pdf(catalog=b"/AcroForm << /Fields [] /XFA 6 0 R >>", extra=(_stream(b"<xdp:xdp/>"),)),
        "XFA-formular",
    ),
    (
        "SubmitForm",
        lambda: raw_pdf(**_link(b"<< /S /SubmitForm /F (https://example.com/) >>")),  # type: ignore[arg-type]
        "sender formulardata",
    ),
]

UNREADABLE = {
    "garbage after the header": lambda: b"%PDF-1.7\n" + bytes(range(256)) * 40,
    "cut off": lambda: reportlab_pdf()[:900],
    "no pages": lambda: raw_pdf().replace(b"/Kids [3 0 R] /Count 1", b"/Kids [     ] /Count 0"),
}
