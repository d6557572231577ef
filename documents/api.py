"""`GET /documents/{id}/`: how far a document is, and where to download it when it is ready."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import NotFound

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
        url = reverse("documents:download", args=[document.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class DocumentViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = DocumentSerializer
    queryset = Document.objects.all()

    def get_object(self) -> Document:
        pk = str(self.kwargs["pk"])
        document = Document.objects.filter(pk=pk).visible_to(self.request.user).first() if pk.isdigit() else None
        if document is None:
            raise NotFound
        return document
