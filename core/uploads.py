"""Uploads are refused while they stream, not after they are stored.

Django's own upload handlers spool every file to memory or to a temporary file, however large,
and only then may a form see its size: a 300 MB upload is read and written to disk in full before
it is refused. `UploadLimitHandler`, first in ``FILE_UPLOAD_HANDLERS``, stops reading the request
instead:

- a file that grows past ``UPLOAD_MAX_BYTES`` is refused at that chunk, and the rest of the body
  is never read; what was spooled of it is closed and removed;
- a request whose ``CONTENT_LENGTH`` is already larger than that limit plus
  `FIELDS_MARGIN_BYTES` has its fields read (the CSRF token, a description: Django bounds them by
  ``DATA_UPLOAD_MAX_MEMORY_SIZE``) but its first file refused at the file's header, before a byte
  of it is read. (A smaller body is read no further than its ``CONTENT_LENGTH`` anyway.)

A refused file is not simply missing (the form would say "no file was sent"): in its place the
parser hands on a `RefusedUpload`, which the file validators (`core.files.check_upload`) turn into
"The file is larger than 10 MB." on the field, in the pages as in the API.

Under ASGI, Django reads the whole body into a temporary file before any handler runs: serve
Puljeflow through WSGI, and give the proxy in front a body limit of its own (README).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import QueryDict
from django.http.multipartparser import MultiPartParser
from django.utils.datastructures import MultiValueDict

# Room for the fields sent with a file (the CSRF token, a description, the multipart headers).
FIELDS_MARGIN_BYTES = 1024 * 1024


def upload_limit() -> int:
    return int(settings.UPLOAD_MAX_BYTES)


class RefusedUpload(UploadedFile):
    """Stands where a file refused for its size would have been: its name, and a size just past
    `limit` (how large it really was is unknown, since it was not read). It has no content, so
    that nothing can store it by mistake."""

    refused = True

    def __init__(self, name: str, content_type: str | None, limit: int) -> None:
        super().__init__(file=None, name=name, content_type=content_type, size=limit + 1)
        self.limit = limit

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("A file refused for its size has no content; validate uploads before storing them.")

    read = chunks = seek = open = _refuse  # type: ignore[assignment]

    def close(self) -> None:
        pass


class _Guard(FileUploadHandler):
    """Counts each file's bytes ahead of Django's own handlers and stops the parser at the first
    file past the limit (or, when the body is too large as a whole, at the first file)."""

    def __init__(self, request: Any, limit: int, refuse_files: bool) -> None:
        super().__init__(request)
        self.limit = limit
        self.refuse_files = refuse_files
        self.refused: tuple[str, RefusedUpload] | None = None

    def _refuse(self) -> None:
        self.refused = (self.field_name, RefusedUpload(self.file_name, self.content_type, self.limit))
        # connection_reset: Django's parser stops without reading the rest of the body.
        raise StopUpload(connection_reset=True)

    def new_file(self, field_name: str, file_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        if self.refuse_files:
            self._refuse()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > self.limit:
            self._refuse()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler makes the file


class UploadLimitHandler(FileUploadHandler):
    """First of ``FILE_UPLOAD_HANDLERS``. It takes over the parsing of a multipart body (the hook
    Django offers for that) only to run Django's own parser with a guard in front of the other
    handlers and to put a `RefusedUpload` where the guard stopped."""

    def handle_raw_input(
        self, input_data: Any, META: dict[str, Any], content_length: int, boundary: bytes, encoding: str | None = None
    ) -> tuple[QueryDict, MultiValueDict]:
        limit = upload_limit()
        cap = limit + FIELDS_MARGIN_BYTES
        guard = _Guard(self.request, limit, refuse_files=content_length > cap)
        others = [handler for handler in self.request.upload_handlers if handler is not self]
        post, files = MultiPartParser(META, input_data, [guard, *others], encoding).parse()
        if guard.refused is not None:
            field_name, placeholder = guard.refused
            files.appendlist(field_name, placeholder)
        return post, files
