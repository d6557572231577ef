"""Asking for monitoring's PDFs: `POST /grants/{id}/committee-report/` and
`POST /pools/{id}/portfolio-report/`, each answering 202 with the pending document."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from applications.models import Grant, Pool
from documents.api import DocumentSerializer

from .. import services


class QuarterSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    quarter = serializers.IntegerField(min_value=1, max_value=4)


class CommitteeReportView(APIView):
    @extend_schema(request=QuarterSerializer, responses={202: DocumentSerializer})
    def post(self, request: Request, pk: int) -> Response:
        grant = get_object_or_404(Grant.objects.visible_to(request.user), pk=pk)
        body = QuarterSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        document = services.request_briefing(
            request.user, grant.pk, body.validated_data["year"], body.validated_data["quarter"]
        )
        return Response(
            DocumentSerializer(document, context={"request": request}).data, status=status.HTTP_202_ACCEPTED
        )


class PortfolioReportView(APIView):
    @extend_schema(request=None, responses={202: DocumentSerializer})
    def post(self, request: Request, pk: int, **kwargs: Any) -> Response:
        pool = get_object_or_404(Pool, pk=pk)
        document = services.request_portfolio(request.user, pool.pk)
        return Response(
            DocumentSerializer(document, context={"request": request}).data, status=status.HTTP_202_ACCEPTED
        )
