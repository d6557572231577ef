"""What an uploaded file may be: one of the kinds a field accepts (by its content, not only its
name), within the field's size limit, and for a PDF, one without active content.

A PDF can carry more than pages: JavaScript, actions that run when it is opened or a page is
shown, commands that start programs or open other files, files embedded in it, XFA forms. A
reviewer opening an attachment must see only the document, so a PDF with any of them is refused,
naming what was found. The check reads every object of the file through pypdf (names decoded,
object streams unpacked), not the raw bytes, which an obfuscated name (``/J#53``) or a compressed
object stream would slip past.

Each kind is a `FileKind`; a field lists the kinds it takes (`check_upload(upload, kinds, limit)`).
An image (PNG, JPEG: an organisation chart) is read through by Pillow, refused past
`MAX_IMAGE_PIXELS`, and stored as Pillow writes it again: its pixels only, without the metadata
a camera or an editor puts in (EXIF with place and device, XMP, comments, text chunks).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

MEGABYTE = 1024 * 1024


def megabytes(size: int) -> str:
    """A size in MB as the active language writes it: "10", "2,5" in Danish."""
    value = size / MEGABYTE
    return formats.number_format(value, decimal_pos=0 if value == int(value) else 1)


@dataclass(frozen=True)
class FileKind:
    name: str  # what the user is told the field takes, e.g. "PDF"
    extensions: tuple[str, ...]
    signatures: tuple[bytes, ...]  # what the content starts with
    content_type: str
    inspect: Callable[[Any], None]  # raises ValidationError; given the file at position 0
    # What is stored instead of the upload, when the kind keeps less than it was sent (an image
    # without its metadata); given the file at position 0. None: stored as it came.
    clean: Callable[[Any], bytes] | None = None

    @property
    def suffix(self) -> str:
        return self.extensions[0]


def kinds_text(kinds: Sequence[FileKind]) -> str:
    """The kinds a field takes, as a sentence names them: "PDF, PNG and JPEG"."""
    return get_text_list([kind.name for kind in kinds], str(_("and")))


def check_upload(upload: Any, kinds: Sequence[FileKind], limit: int) -> FileKind:
    """The kind of `upload`, or a ValidationError: too large (also when the upload handler
    refused it while it streamed, `core.uploads.RefusedUpload`), not one of `kinds` by name and
    content, or refused by that kind's inspection."""
    if getattr(upload, "refused", False) or upload.size > limit:
        raise ValidationError(
            _("The file is larger than %(limit)s MB."), code="too_large", params={"limit": megabytes(limit)}
        )
    name = str(getattr(upload, "name", "") or "").lower()
    longest = max(len(signature) for kind in kinds for signature in kind.signatures)
    upload.seek(0)
    head = upload.read(longest)
    upload.seek(0)
    for kind in kinds:
        if name.endswith(kind.extensions) and head.startswith(kind.signatures):
            try:
                kind.inspect(upload)
            finally:
                upload.seek(0)
            return kind
    if len(kinds) == 1 and kinds[0].name == "PDF":
        raise ValidationError(_("Only PDF files can be attached."), code="not_pdf")
    raise ValidationError(
        _("Only %(kinds)s files can be attached."), code="not_accepted", params={"kinds": kinds_text(kinds)}
    )


# PDF ------------------------------------------------------------------------------------------

JAVASCRIPT = "javascript"
AUTOMATIC = "automatic"
LAUNCH = "launch"
EMBEDDED = "embedded"
XFA = "xfa"
MEDIA = "media"

ACTIVE_CONTENT = {
    JAVASCRIPT: _("JavaScript"),
    AUTOMATIC: _("actions that run by themselves, e.g. when the file is opened"),
    LAUNCH: _("commands that start programs or open other files"),
    EMBEDDED: _("embedded files"),
    XFA: _("an XFA form"),
    MEDIA: _("actions that send form data or play media"),
}

# Action types (/S) by what they do. A link to a web address (/URI), to a place in the document
# (/GoTo) or a viewer command (/Named: next page, print) is what ordinary documents hold.
ACTIONS = {
    "/JavaScript": JAVASCRIPT,
    "/Launch": LAUNCH,
    "/GoToR": LAUNCH,
    "/ImportData": LAUNCH,
    "/GoToE": EMBEDDED,
    "/SubmitForm": MEDIA,
    "/Rendition": MEDIA,
    "/RichMediaExecute": MEDIA,
    "/Movie": MEDIA,
    "/Sound": MEDIA,
}


def _is_plain_view(action: Any) -> bool:
    """An /OpenAction that only shows a place of the document: a destination, or a /GoTo action
    with nothing chained after it."""
    if isinstance(action, ArrayObject):
        return True
    return isinstance(action, DictionaryObject) and action.get("/S") == "/GoTo" and "/Next" not in action


def _resolved(value: Any) -> Any:
    return value.get_object() if isinstance(value, IndirectObject) else value


def _active(dictionary: DictionaryObject) -> Iterator[str]:
    if "/JS" in dictionary or "/JavaScript" in dictionary:  # an action's script, the names tree
        yield JAVASCRIPT
    kind = ACTIONS.get(str(_resolved(dictionary.get("/S", ""))))
    if kind:
        yield kind
    if "/AA" in dictionary:  # additional actions: on opening a page, focusing a field, closing
        yield AUTOMATIC
    if "/OpenAction" in dictionary and not _is_plain_view(_resolved(dictionary["/OpenAction"])):
        yield AUTOMATIC
    if (
        "/EmbeddedFiles" in dictionary
        or "/EF" in dictionary
        or dictionary.get("/Type") == "/EmbeddedFile"
        or dictionary.get("/Subtype") == "/FileAttachment"
    ):
        yield EMBEDDED
    if "/XFA" in dictionary:
        yield XFA
    if dictionary.get("/Subtype") in ("/RichMedia", "/Movie", "/Sound", "/Screen"):
        yield MEDIA


def _objects(reader: PdfReader) -> Iterator[Any]:
    """Every object the file's cross-reference tables name, those in object streams too, and
    the trailer."""
    yield reader.trailer
    numbers = {(idnum, generation) for generation, table in reader.xref.items() for idnum in table}
    numbers |= {(idnum, 0) for idnum in reader.xref_objStm}
    for idnum, generation in sorted(numbers):
        yield reader.get_object(IndirectObject(idnum, generation, reader))


def active_content(reader: PdfReader) -> set[str]:
    """The kinds of active content (`ACTIVE_CONTENT` keys) anywhere in the document."""
    found: set[str] = set()
    for obj in _objects(reader):
        # Walk what each object holds directly; what it refers to is an object of its own.
        stack = [obj]
        while stack:
            value = stack.pop()
            if isinstance(value, DictionaryObject):  # a stream's dictionary too
                found.update(_active(value))
                stack.extend(value.values())
            elif isinstance(value, ArrayObject):
                stack.extend(value)
    return found


def inspect_pdf(upload: Any) -> None:
    """Refuse a PDF that cannot be read (or has no page), is encrypted, or holds active content."""
    try:
        reader = PdfReader(upload, strict=False)
        encrypted = reader.is_encrypted
        found = set() if encrypted else active_content(reader)
        if not encrypted and len(reader.pages) < 1:
            raise ValueError("no pages")
    except Exception:
        # pypdf answers a damaged file with any of a dozen exceptions (and RecursionError for
        # absurd nesting); whatever it is, the file is one we cannot vouch for.
        logging.getLogger(__name__).info("An uploaded PDF could not be read", exc_info=True)
        raise ValidationError(
            _("The file could not be read as a PDF; it may be damaged. Save it as PDF again and upload it anew."),
            code="pdf_unreadable",
        ) from None
    if encrypted:
        raise ValidationError(
            _(
                "The PDF is protected by a password or restrictions, so its content cannot be checked. "
                "Save it without protection and upload it again."
            ),
            code="pdf_encrypted",
        )
    if found:
        what = get_text_list([str(ACTIVE_CONTENT[kind]) for kind in ACTIVE_CONTENT if kind in found], str(_("and")))
        raise ValidationError(
            _(
                "The PDF contains active content, which is not accepted: %(what)s. Save it as a plain PDF "
                "(e.g. print it to PDF) and upload it again."
            ),
            code="pdf_active_content",
            params={"what": what},
        )


PDF = FileKind(
    name="PDF", extensions=(".pdf",), signatures=(b"%PDF-",), content_type="application/pdf", inspect=inspect_pdf
)


# Images -----------------------------------------------------------------------------------------

# A chart or a photo of one needs far fewer; a "decompression bomb" (a small file that unpacks to
# billions of pixels) is refused before it is unpacked.
MAX_IMAGE_PIXELS = 40_000_000


def _open_image(upload: Any, expected: str) -> Any:
    """The upload as a Pillow image of format `expected`, fully read, or a ValidationError."""
    from PIL import Image, UnidentifiedImageError

    unreadable = ValidationError(
        _("The file could not be read as an image; it may be damaged. Save it again and upload it anew."),
        code="image_unreadable",
    )
    # Pillow is given a copy: closing an image closes the file it was opened from, and the
    # upload must stay open for the checks after this one and for storing it.
    upload.seek(0)
    data = io.BytesIO(upload.read())
    upload.seek(0)
    try:
        with Image.open(data) as probe:
            if probe.format != expected:
                raise unreadable
            width, height = probe.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ValidationError(
                    _("The image is %(width)s × %(height)s pixels; at most %(max)s million pixels are accepted."),
                    code="image_too_large",
                    params={"width": width, "height": height, "max": MAX_IMAGE_PIXELS // 1_000_000},
                )
            probe.verify()  # the whole file, its checksums too
        data.seek(0)
        image = Image.open(data)
        image.load()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        logging.getLogger(__name__).info("An uploaded image could not be read", exc_info=True)
        raise unreadable from None
    return image


def _stripped(upload: Any, expected: str) -> bytes:
    """The image again with its pixels only: turned as the camera meant (EXIF orientation), then
    written without EXIF, XMP, comments or text chunks. The colour profile stays, as it is how
    the colours are meant and says nothing about anyone."""
    from PIL import ImageOps

    image = ImageOps.exif_transpose(_open_image(upload, expected))
    profile = image.info.get("icc_profile")
    # Pillow writes back some of what it read (a JPEG's comment, a PNG's gamma and text): nothing
    # of it is kept but the colour profile, given again below.
    image.info = {}
    out = io.BytesIO()
    options: dict[str, Any] = {"icc_profile": profile} if profile else {}
    if expected == "JPEG":
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        image.save(out, format="JPEG", quality=90, optimize=True, **options)
    else:
        image.save(out, format="PNG", optimize=True, **options)
    return out.getvalue()


PNG = FileKind(
    name="PNG",
    extensions=(".png",),
    signatures=(b"\x89PNG\r\n\x1a\n",),
    content_type="image/png",
    inspect=lambda upload: _open_image(upload, "PNG").close(),
    clean=lambda upload: _stripped(upload, "PNG"),
)
JPEG = FileKind(
    name="JPEG",
    extensions=(".jpg", ".jpeg"),
    signatures=(b"\xff\xd8\xff",),
    content_type="image/jpeg",
    inspect=lambda upload: _open_image(upload, "JPEG").close(),
    clean=lambda upload: _stripped(upload, "JPEG"),
)
