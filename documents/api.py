"""`GET /documents/{id}/`: how far a document is, and where to download it when it is ready."""

from __future__ import annotations

from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request

from .models import Document, DocumentStatus


class DocumentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = ["id", "kind", "status", "progress", "error", "filename", "created_at", "download_url"]
        read_only_fields = fields

    def get_download_url(self, document: Document) -> str | None:
        if document.status != DocumentStatus.DONE:
            return None
        # The API's own download, which a token opens as well as a session.
        url = reverse("document-download", args=[document.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class DocumentViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = DocumentSerializer
    queryset = Document.objects.all()

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="download", url_name="download")
    def download(self, request: Request, pk: str | None = None) -> FileResponse:
        """The PDF, once the document is done: for whoever may see its subject now."""
        document = self.get_object()
        if document.status != DocumentStatus.DONE or not document.file:
            raise NotFound
        return FileResponse(
            document.file.open("rb"), as_attachment=True, filename=document.filename, content_type="application/pdf"
        )

    def get_object(self) -> Document:
        pk = str(self.kwargs["pk"])
        document = Document.objects.filter(pk=pk).visible_to(self.request.user).first() if pk.isdigit() else None
        if document is None:
            raise NotFound
        return document
