"""Conditional writes in the API, so that two clients editing one object do not silently undo
each other: a GET of one object answers its `ETag`, and a PATCH (or PUT) that sends it back in
`If-Match` is written only while the object is still as the client read it; otherwise the answer
is 412 Precondition Failed with `{"detail": "..."}` and nothing is written.

Why 412 and not the contract's 409: 409 says the action is not allowed from the object's state (a
submitted application), which waiting or re-reading does not change; 412 is HTTP's own answer to a
failed `If-Match` (RFC 9110 §13.1.1), which HTTP libraries know, and it tells the client to read
the object again and send its change on top. The body has the contract's `{"detail"}` shape.

The tag covers the fields a client can write (the serializer's writable fields, as GET shows
them), so that it changes when someone else writes, not when a figure SIRI computes does. A PATCH
without `If-Match` works as before (outside clients rely on it) and writes only the fields it
sends. The tag is compared again under the object's lock, in the service (`precondition`), so
that a write in between cannot slip through.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from .autosave import etag


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _(
        "Someone has changed it since you read it, so your change was not saved. Read it again "
        "(GET), and send your change with its new ETag in If-Match."
    )
    default_code = "precondition_failed"


def matches(header: str, current: str) -> bool:
    """Whether an `If-Match` header value holds the current entity tag: `*`, or a list of tags
    compared strongly (a weak tag `W/"…"` never matches, as RFC 9110 says)."""
    tags = [tag.strip() for tag in header.split(",")]
    return "*" in tags or current in tags


# The OpenAPI schema -------------------------------------------------------------------------------

IF_MATCH = OpenApiParameter(
    "If-Match",
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "The ETag of a GET of this object. When given, the change is written only if nobody has "
        "changed the object since; otherwise 412 and nothing is written. Without it, the fields "
        "sent are written whatever happened meanwhile."
    ),
)
ETAG = OpenApiParameter(
    "ETag",
    location=OpenApiParameter.HEADER,
    response=[200],
    description="The version of the fields a client can write; send it back in If-Match to change them.",
)
PRECONDITION_FAILED = OpenApiResponse(
    inline_serializer("PreconditionFailed", {"detail": serializers.CharField()}),
    description="Changed by someone else since the If-Match's ETag was read: nothing was written.",
)


class ConditionalUpdate:
    """Mixin for a viewset whose objects are changed by PATCH: `retrieve` and `with_etag` answer
    the ETag, `if_match` gives the service its `precondition`.

    `representation(pk)` is what GET shows of the object, read again; by default through
    `get_queryset()` and `get_serializer()`, as `retrieve` reads it."""

    request: Any
    get_queryset: Callable[[], Any]  # the viewset's
    get_serializer: Callable[..., Any]

    def representation(self, pk: Any) -> Mapping[str, Any]:
        return self.get_serializer(self.get_queryset().get(pk=pk)).data

    def entity_tag(self, data: Mapping[str, Any]) -> str:
        writable = {name for name, field in self.get_serializer().fields.items() if not field.read_only}
        return etag({name: value for name, value in data.items() if name in writable})

    def with_etag(self, response: Response) -> Response:
        if response.status_code == status.HTTP_200_OK and isinstance(response.data, Mapping):
            response["ETag"] = self.entity_tag(response.data)
        return response

    def retrieve(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        return self.with_etag(super().retrieve(request, *args, **kwargs))  # type: ignore[misc]

    def if_match(self, request: Any, pk: Any, *, early: bool = True) -> Callable[[Any], None] | None:
        """None without `If-Match`; else the check to run under the object's lock, run once
        already (unless not `early`) so that a stale tag is refused before the body is read."""
        header = request.headers.get("If-Match")
        if header is None:
            return None

        def check(_locked: Any = None) -> None:
            if not matches(header, self.entity_tag(self.representation(pk))):
                raise PreconditionFailed

        if early:
            check()
        return check
