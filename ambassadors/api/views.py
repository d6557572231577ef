"""The ambassador network's endpoints. Every queryset starts from what the user may see (another
municipality's ambassador or report is a 404); a visible object the user may not change is a 403,
asked before the body is read; the services decide the rest (400/409)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from applications.models import Municipality
from core.api import ColumnChoiceFilter, require, require_transition
from core.conditional import ETAG, IF_MATCH, PRECONDITION_FAILED, ConditionalUpdate
from core.exports import Column, ExportMixin, chunked_rows
from core.exports import response as export_response
from core.roles import is_ambassador

from .. import exports as report_export
from .. import services
from ..models import (
    Ambassador,
    AmbassadorReport,
    AmbassadorReportState,
    Attendance,
    BestPractice,
    GoalContribution,
    NetworkMeeting,
    PracticeState,
    Theme,
)
from ..search import search
from ..views.common import (
    ADD_PRACTICE,
    ADD_PRACTICE_ATTACHMENT,
    ADD_REPORT,
    CHANGE_MEETING,
    CHANGE_REPORT,
    PRACTICE_PARTS,
    PUBLISH_PRACTICE,
    VIEW_AMBASSADOR,
    VIEW_MEETING,
    VIEW_PRACTICE,
    VIEW_REPORT,
)
from . import serializers as s

ADD_AMBASSADOR = "ambassadors.add_ambassador"
CHANGE_AMBASSADOR = "ambassadors.change_ambassador"
ID = r"\d+"


def _municipality_filter(path: str) -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        field_name=path, queryset=Municipality.objects.all(), to_field_name="code", label="Municipality (code)"
    )


# Ambassadors -------------------------------------------------------------------------------------


class AmbassadorFilter(django_filters.FilterSet):
    municipality = _municipality_filter("municipality")
    grant = django_filters.NumberFilter(field_name="grant_id")
    active = django_filters.BooleanFilter()

    class Meta:
        model = Ambassador
        fields = ["municipality", "grant", "active"]


@extend_schema_view(
    list=extend_schema(description="The ambassadors you may see: SIRI all, others their municipality's."),
    create=extend_schema(description="SIRI registers a user with the ambassador role as an ambassador."),
)
class AmbassadorViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.AmbassadorSerializer
    filterset_class = AmbassadorFilter
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = ID

    def get_queryset(self) -> QuerySet[Ambassador]:
        # The handed-in reports, oldest first, give `last_report` and `late` without a query per row.
        handed_in = AmbassadorReport.objects.handed_in().order_by("year", "quarter", "id")
        return (
            Ambassador.objects.visible_to(self.request.user)
            .select_related("user", "municipality", "grant__application__pool")
            .prefetch_related(Prefetch("reports", queryset=handed_in, to_attr="handed_in"))
            .order_by("municipality__name", "user__first_name", "user__username", "id")
        )

    def get_object(self) -> Ambassador:
        ambassador = super().get_object()
        if not self.request.user.has_perm(VIEW_AMBASSADOR, ambassador):
            raise Http404
        return ambassador

    def _respond(self, ambassador: Ambassador, code: int) -> Response:
        fresh = self.get_queryset().get(pk=ambassador.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require(request, ADD_AMBASSADOR)
        data = s.check(self.get_serializer(data=request.data))
        ambassador = services.register_ambassador(request.user, dict(data))
        return self._respond(ambassador, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ambassador = self.get_object()
        require(request, CHANGE_AMBASSADOR, ambassador)
        data = s.check(self.get_serializer(ambassador, data=request.data, partial=True))
        return self._respond(services.update_ambassador(ambassador.pk, request.user, dict(data)), status.HTTP_200_OK)


# Ambassador reports ------------------------------------------------------------------------------


class AmbassadorReportFilter(django_filters.FilterSet):
    ambassador = django_filters.NumberFilter(field_name="ambassador_id")
    state = ColumnChoiceFilter(choices=AmbassadorReportState.choices)
    year = django_filters.NumberFilter()
    quarter = django_filters.NumberFilter()
    municipality = _municipality_filter("ambassador__municipality")

    class Meta:
        model = AmbassadorReport
        fields = ["ambassador", "state", "year", "quarter", "municipality"]


@extend_schema_view(
    list=extend_schema(description="Your own reports, and once handed in, your municipality's (SIRI: every one)."),
    retrieve=extend_schema(parameters=[ETAG]),
    partial_update=extend_schema(
        parameters=[IF_MATCH, ETAG], responses={200: s.AmbassadorReportSerializer, 412: PRECONDITION_FAILED}
    ),
)
class AmbassadorReportViewSet(
    ConditionalUpdate,
    ExportMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.AmbassadorReportSerializer
    filterset_class = AmbassadorReportFilter
    # `?format=csv|xlsx` on the list: one row per report (ambassadors/exports.py).
    export_filename = report_export.FILENAME
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = ID

    def get_queryset(self) -> QuerySet[AmbassadorReport]:
        return (
            AmbassadorReport.objects.visible_to(self.request.user)
            .select_related("ambassador")
            .prefetch_related(Prefetch("contributions", queryset=GoalContribution.objects.order_by("goal_id")))
            .order_by("ambassador_id", "year", "quarter", "id")
        )

    def export_columns(self) -> list[Column]:
        return report_export.COLUMNS

    def export_rows(self, queryset: QuerySet[AmbassadorReport]) -> Iterable[Any]:
        # Joined, not prefetched: a prefetch's reference cycles would hold every chunk.
        return chunked_rows(
            queryset.prefetch_related(None).select_related("ambassador__user", "ambassador__municipality")
        )

    def get_object(self) -> AmbassadorReport:
        report = super().get_object()
        if not self.request.user.has_perm(VIEW_REPORT, report):
            raise Http404
        return report

    def _respond(self, report: AmbassadorReport, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=report.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require(request, ADD_REPORT)
        ambassador = services.ambassador_of(request.user)  # 409 for an ambassador SIRI has not registered
        body = s.AmbassadorReportSerializer(data=request.data, context={"ambassador": ambassador})
        s.check(body)
        report = services.create_report(request.user, body.service_data())
        return self._respond(report, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        report = self.get_object()
        require(request, CHANGE_REPORT, report)
        # The state before the body: a handed-in report is a 409 whatever was sent. The service
        # asks again under the lock.
        if report.state != AmbassadorReportState.DRAFT:
            raise report.conflict("edit")
        precondition = self.if_match(request, report.pk)  # a stale If-Match: 412, nothing written
        body = s.AmbassadorReportSerializer(
            report, data=request.data, partial=True, context={"ambassador": report.ambassador}
        )
        s.check(body)
        updated = services.update_report(report.pk, request.user, body.service_data(), precondition=precondition)
        return self.with_etag(self._respond(updated))

    @extend_schema(request=None, responses=s.AmbassadorReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        """The ambassador hands the draft in to SIRI; it needs a narrative."""
        report = self.get_object()
        require_transition(request, report, "submit")
        return self._respond(services.submit_report(report.pk, request.user))

    @extend_schema(request=None, responses=s.AmbassadorReportSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str | None = None) -> Response:
        """SIRI acknowledges a submitted report."""
        report = self.get_object()
        require_transition(request, report, "acknowledge")
        return self._respond(services.acknowledge_report(report.pk, request.user))

    @extend_schema(request=s.ReturnSerializer, responses=s.AmbassadorReportSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_to_draft(self, request: Request, pk: str | None = None) -> Response:
        """SIRI returns a submitted report to the ambassador with a reason."""
        report = self.get_object()
        require_transition(request, report, "return_to_draft")
        body = s.check(s.ReturnSerializer(data=request.data))
        return self._respond(services.return_report(report.pk, request.user, body["reason"]))


# The best-practice catalogue ---------------------------------------------------------------------


class BestPracticeFilter(django_filters.FilterSet):
    theme = django_filters.ChoiceFilter(choices=Theme.choices)
    # Each municipality of an entry finds it: 706 (Syddjurs) finds the entry Randers leads.
    municipality = django_filters.ModelChoiceFilter(
        queryset=Municipality.objects.all(),
        to_field_name="code",
        label="Municipality (code): the entries it leads or shares",
        method="of_municipality",
    )
    state = django_filters.ChoiceFilter(choices=PracticeState.choices)

    class Meta:
        model = BestPractice
        fields = ["theme", "municipality", "state"]

    def of_municipality(
        self, queryset: QuerySet[BestPractice], name: str, value: Municipality | None
    ) -> QuerySet[BestPractice]:
        return queryset.of_municipality(value) if value is not None else queryset  # type: ignore[attr-defined]


SEARCH = OpenApiParameter(
    "search",
    type=OpenApiTypes.STR,
    description="Words to search for (Danish stemming); results come best first with `rank`, "
    "`title_highlighted` and `snippet`.",
)


@extend_schema_view(
    list=extend_schema(parameters=[SEARCH]),
    create=extend_schema(request=s.BestPracticeProposalSerializer, responses={201: s.BestPracticeSerializer}),
)
class BestPracticeViewSet(
    ExportMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """The catalogue: published entries for everyone logged in; SIRI sees every entry, a proposer
    their own proposals. Ambassadors and SIRI propose; SIRI publishes."""

    serializer_class = s.BestPracticeSerializer
    filterset_class = BestPracticeFilter
    export_filename = report_export.CATALOGUE_FILENAME
    lookup_value_regex = ID

    def get_queryset(self) -> QuerySet[BestPractice]:
        user = self.request.user
        # Only the source reports the reader may see, in one query for the whole page.
        sources = AmbassadorReport.objects.visible_to(user).only("id").order_by("year", "quarter", "id")
        return (
            BestPractice.objects.visible_to(user)
            .select_related("municipality")
            .prefetch_related(
                Prefetch("source_reports", queryset=sources, to_attr="visible_sources"),
                *PRACTICE_PARTS,
            )
            .order_by("municipality__name", "title", "pk")
        )

    def get_object(self) -> BestPractice:
        practice = super().get_object()
        if not self.request.user.has_perm(VIEW_PRACTICE, practice):
            raise Http404
        return practice

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        text = str(request.query_params.get("search", "")).strip()
        if fmt := self._export_format():
            # Every entry the list would page through, in its order (best first for a search).
            # The municipalities and contacts the columns show, a query each per chunk of rows.
            hits = search(queryset.prefetch_related(None).prefetch_related(*PRACTICE_PARTS[:2]), text)
            rows = report_export.practices(hits)
            return export_response(fmt, report_export.CATALOGUE_COLUMNS, rows, self.export_filename)
        if not text:
            return super().list(request, *args, **kwargs)
        # Ranked, counted and cut in the database; only the page is highlighted (ambassadors.search).
        page = self.paginate_queryset(search(queryset, text)) or []
        for hit in page:
            # The highlights are escaped text with <mark> only (ambassadors.search), safe as HTML.
            hit.practice.rank = hit.rank
            hit.practice.title_highlighted = str(hit.title)
            hit.practice.snippet = str(hit.snippet)
        practices = [hit.practice for hit in page]
        return self.get_paginated_response(self.get_serializer(practices, many=True).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require(request, ADD_PRACTICE)
        # Sources: handed-in reports the proposer may see (an ambassador's own, SIRI's any).
        reports = AmbassadorReport.objects.visible_to(request.user).handed_in()
        data = s.check(s.BestPracticeProposalSerializer(data=request.data, reports=reports))
        practice = services.propose_practice(request.user, dict(data))
        return Response(
            self.get_serializer(self.get_queryset().get(pk=practice.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=None, responses=s.BestPracticeSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        """SIRI publishes a proposed entry in the catalogue."""
        practice = self.get_object()
        require(request, PUBLISH_PRACTICE, practice)
        services.publish_practice(practice.pk, request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=practice.pk)).data)

    @extend_schema(
        request={"multipart/form-data": s.PracticeAttachmentUploadSerializer},
        responses={201: s.PracticeAttachmentSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def attachments(self, request: Request, pk: str | None = None) -> Response:
        """Attach a PDF (a tool the entry mentions): SIRI, or the ambassador who proposed it."""
        practice = self.get_object()
        require(request, ADD_PRACTICE_ATTACHMENT, practice)
        body = s.check(s.PracticeAttachmentUploadSerializer(data=request.data))
        attachment = services.add_practice_attachment(practice.pk, request.user, body["file"], body["description"])
        data = s.PracticeAttachmentSerializer(attachment, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)


# Network meetings --------------------------------------------------------------------------------


class MayViewMeetings(permissions.BasePermission):
    """Meetings are the network's: ambassadors and SIRI; anyone else logged in gets a 403."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.has_perm(VIEW_MEETING))


@extend_schema_view(
    create=extend_schema(request=s.NetworkMeetingWriteSerializer, responses={201: s.NetworkMeetingSerializer}),
    partial_update=extend_schema(request=s.NetworkMeetingWriteSerializer, responses=s.NetworkMeetingSerializer),
)
class NetworkMeetingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.NetworkMeetingSerializer
    permission_classes = [permissions.IsAuthenticated, MayViewMeetings]
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = ID

    def get_queryset(self) -> QuerySet[NetworkMeeting]:
        present = Attendance.objects.filter(attended=True).order_by("ambassador_id")
        return (
            NetworkMeeting.objects.visible_to(self.request.user)
            .prefetch_related(Prefetch("attendance", queryset=present, to_attr="present"))
            .order_by("-held_on", "-id")
        )

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        user = getattr(self.request, "user", None)
        if user is not None and user.is_authenticated and is_ambassador(user):
            context["ambassador_id"] = Ambassador.objects.filter(user_id=user.pk).values_list("pk", flat=True).first()
        return context

    def _respond(self, meeting: NetworkMeeting, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=meeting.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require(request, CHANGE_MEETING)
        data = s.check(s.NetworkMeetingWriteSerializer(data=request.data))
        return self._respond(services.save_meeting(request.user, dict(data)), status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        meeting = self.get_object()
        require(request, CHANGE_MEETING, meeting)
        data = s.check(s.NetworkMeetingWriteSerializer(data=request.data, partial=True))
        return self._respond(services.save_meeting(request.user, dict(data), meeting.pk))
