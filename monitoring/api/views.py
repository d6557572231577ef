"""The monitoring endpoints. Every queryset starts from what the user may see: another
municipality's grant or a report SIRI has not received is a 404; a visible one the user may not
change is a 403, asked before the body is read. The services decide the rest (400/409)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from applications.api.serializers import ReasonSerializer
from applications.models import Application, Grant, Municipality, Pool
from applications.models.choices import GrantState
from core.api import ColumnChoiceFilter, require, require_transition
from core.conditional import ETAG, IF_MATCH, PRECONDITION_FAILED, ConditionalUpdate
from core.errors import DomainError
from core.exports import Column, ExportMixin, chunked_rows

from .. import exports as report_export
from .. import followups, services
from ..extensions import grant_queryset
from ..models import (
    KPI_FIELDS,
    ExpectedValue,
    FipScore,
    FollowUp,
    FollowUpPoint,
    GoalProgress,
    Milestone,
    NationalKpi,
    Outcome,
    QuarterlyReport,
    ReportState,
)
from ..progress import prefetch_flat, read_project
from . import serializers as s

# Ids are numbers: anything else in their place is an unknown URL, a 404, never a lookup.
ID = r"\d+"

QUARTER_FIXED = _("The quarter of a national average cannot change; enter the other quarter as a new one.")


def _milestones() -> Prefetch:
    return Prefetch(
        "milestones",
        queryset=Milestone.objects.order_by("year", "quarter").prefetch_related(
            Prefetch("expected", queryset=ExpectedValue.objects.order_by("goal_id"))
        ),
    )


def _with_contents(reports: QuerySet[QuarterlyReport], *, listed: bool = False) -> QuerySet[QuarterlyReport]:
    """Reports with what the serializer reads, in a fixed number of queries, and what the rules
    read of one (its application and municipalities). A list asks no rule of each report and
    reads a page's figures as plain rows (`ReportLists`): loading 50 applications' texts and
    partners for nothing was a sixth of its time, a model per figure and FIP score a tenth."""
    if listed:
        return reports
    return reports.select_related("grant__application").prefetch_related(
        "grant__application__partner_municipalities",
        Prefetch("progress", queryset=GoalProgress.objects.order_by("goal_id")),
        Prefetch("fip", queryset=FipScore.objects.order_by("dimension", "respondent")),
        Prefetch("outcomes", queryset=Outcome.objects.order_by("point")),
    )


def grants_for(user: Any, *, milestones: bool = True) -> QuerySet[Grant]:
    """The grants `user` may see, with what the grant's serializer reads (its milestones, unless
    the caller reads them itself, and what the apps built on monitoring add to it), newest first."""
    grants = Grant.objects.visible_to(user).order_by("-granted_at", "-pk")
    if milestones:
        grants = grants.prefetch_related(_milestones())
    return grant_queryset(grants)


# Filters ---------------------------------------------------------------------------------------


class _MunicipalityFilter(django_filters.FilterSet):
    """`?municipality=330`: the lead or a partner municipality, by its code."""

    application_path = ""

    municipality = django_filters.ModelChoiceFilter(
        queryset=Municipality.objects.all(),
        to_field_name="code",
        method="filter_municipality",
        label="Lead or partner municipality (code)",
    )

    def filter_municipality(self, queryset: QuerySet, name: str, value: Municipality) -> QuerySet:
        involved = Application.objects.involving([value.pk]).values("pk")
        return queryset.filter(**{f"{self.application_path}__in": involved})


class GrantFilter(_MunicipalityFilter):
    application_path = "application"
    state = ColumnChoiceFilter(choices=GrantState.choices)
    pool = django_filters.ModelChoiceFilter(field_name="application__pool", queryset=Pool.objects.all())

    class Meta:
        model = Grant
        fields = ["state", "pool", "municipality"]


class ReportFilter(_MunicipalityFilter):
    application_path = "grant__application"
    grant = django_filters.NumberFilter(field_name="grant_id")
    state = ColumnChoiceFilter(choices=ReportState.choices)
    year = django_filters.NumberFilter()
    quarter = django_filters.NumberFilter()
    pool = django_filters.ModelChoiceFilter(field_name="grant__application__pool", queryset=Pool.objects.all())

    class Meta:
        model = QuarterlyReport
        fields = ["grant", "state", "year", "quarter", "pool", "municipality"]


class NationalKpiFilter(django_filters.FilterSet):
    class Meta:
        model = NationalKpi
        fields = ["year", "quarter"]


# Grants and milestones ---------------------------------------------------------------------------


class GrantViewSet(viewsets.ReadOnlyModelViewSet):
    """Grants of the applications the user may see, each with its milestones."""

    serializer_class = s.GrantSerializer
    lookup_value_regex = ID
    filterset_class = GrantFilter

    def get_queryset(self) -> QuerySet[Grant]:
        # The list reads a page's milestones as plain rows (`paginate_queryset`).
        return grants_for(self.request.user, milestones=self.action != "list")

    def paginate_queryset(self, queryset: QuerySet[Grant]) -> list[Grant] | None:
        page = super().paginate_queryset(queryset)
        s.attach_milestones(page if page is not None else list(queryset))
        return page

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "as_of",
                type=OpenApiTypes.DATE,
                description="YYYY-MM-DD: read the project as of this day (today by default).",
            )
        ],
        responses=s.ProjectProgressSerializer,
    )
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def progress(self, request: Request, pk: str | None = None) -> Response:
        """Per goal: actual, percent of target, expected by now, status and forecast; the risk
        rating and its three signals. Computed from the reports handed in, never stored."""
        grants = Grant.objects.visible_to(request.user)
        grant = get_object_or_404(grants.select_related("application__lead_municipality", "application__pool"), pk=pk)
        require(request, "monitoring.view_grant", grant)
        query = s.ProgressQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        prefetch_flat([grant], outcomes=True)
        reading = read_project(grant, query.validated_data.get("as_of"))
        return Response(s.ProjectProgressSerializer(reading).data)

    @extend_schema(request=s.RampSerializer, responses=s.GrantSerializer)
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def ramp(self, request: Request, pk: str | None = None) -> Response:
        """Plan a level goal's ramp-up: its expected value in every milestone follows (each change
        logged). The municipality's, while the milestones may change (until the first report)."""
        grant = self.get_object()
        require(request, "monitoring.change_milestone", grant)
        body = s.RampSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.set_ramp(grant.pk, body.validated_data["goal"], request.user, body.validated_data["ramp_quarters"])
        return Response(self.get_serializer(self.get_queryset().get(pk=grant.pk)).data)


@extend_schema_view(
    partial_update=extend_schema(request=s.MilestoneUpdateSerializer, responses=s.MilestoneSerializer),
)
class MilestoneViewSet(mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """A milestone of a visible grant; its planned activities and expected values are the
    municipality's to change while the grant is young (until the first report is handed in)."""

    serializer_class = s.MilestoneSerializer
    lookup_value_regex = ID
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Milestone]:
        return (
            Milestone.objects.visible_to(self.request.user)
            .select_related("grant__application")
            .prefetch_related(Prefetch("expected", queryset=ExpectedValue.objects.order_by("goal_id")))
        )

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        milestone = self.get_object()
        require(request, "monitoring.change_milestone", milestone)
        body = s.MilestoneUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.update_milestone(milestone.pk, request.user, body.service_data())
        return Response(self.get_serializer(self.get_queryset().get(pk=milestone.pk)).data)


# Quarterly reports -----------------------------------------------------------------------------


class ReportResponses:
    """Serializes reports with every national average at hand (one query, however many), a
    list's page with its figures read as plain rows."""

    request: Request

    def paginate_queryset(self, queryset: QuerySet[QuarterlyReport]) -> list[QuarterlyReport] | None:
        page = super().paginate_queryset(queryset)  # type: ignore[misc]
        s.attach_contents(page if page is not None else list(queryset))
        return page

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()  # type: ignore[misc]
        context["national_kpis"] = {(kpi.year, kpi.quarter): kpi for kpi in NationalKpi.objects.all()}
        return context

    def _respond(self, report: QuarterlyReport, code: int = status.HTTP_200_OK) -> Response:
        fresh = _with_contents(QuarterlyReport.objects.all()).get(pk=report.pk)
        return Response(s.ReportSerializer(fresh, context=self.get_serializer_context()).data, status=code)


@extend_schema_view(
    list=extend_schema(summary="The reports of a grant"),
    create=extend_schema(request=s.ReportSerializer, responses={201: s.ReportSerializer}),
)
class GrantReportViewSet(ReportResponses, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """`/grants/{grant_pk}/reports/`: read by whoever may see them, written by the project's municipality."""

    serializer_class = s.ReportSerializer
    filterset_class = None
    lookup_value_regex = ID

    def get_grant(self) -> Grant:
        if not hasattr(self, "_grant"):
            self._grant = get_object_or_404(
                Grant.objects.visible_to(self.request.user).select_related("application"), pk=self.kwargs["grant_pk"]
            )
        return self._grant

    def get_queryset(self) -> QuerySet[QuarterlyReport]:
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI generator has no request
            return QuarterlyReport.objects.none()
        grant = self.get_grant()
        return _with_contents(
            QuarterlyReport.objects.visible_to(self.request.user).filter(grant=grant), listed=self.action == "list"
        ).order_by("year", "quarter")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        grant = self.get_grant()
        require(request, "monitoring.add_report", grant)
        body = s.ReportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report = services.create_report(grant.pk, request.user, body.validated_data)
        return self._respond(report, status.HTTP_201_CREATED)


@extend_schema_view(
    retrieve=extend_schema(parameters=[ETAG]),
    partial_update=extend_schema(
        request=s.ReportUpdateSerializer,
        parameters=[IF_MATCH, ETAG],
        responses={200: s.ReportSerializer, 412: PRECONDITION_FAILED},
    ),
)
class ReportViewSet(
    ConditionalUpdate,
    ExportMixin,
    ReportResponses,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Quarterly reports the user may see, and their life cycle: the municipality submits,
    SIRI accepts or returns with a reason. `?format=csv|xlsx` on the list: one row per report
    and goal."""

    serializer_class = s.ReportSerializer
    filterset_class = ReportFilter
    export_filename = report_export.FILENAME

    def export_columns(self) -> list[Column]:
        return report_export.COLUMNS

    def export_rows(self, queryset: QuerySet[QuarterlyReport]) -> Iterable[Any]:
        return chunked_rows(report_export.figures(queryset))

    lookup_value_regex = ID
    http_method_names = ["get", "patch", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[QuarterlyReport]:
        return _with_contents(
            QuarterlyReport.objects.visible_to(self.request.user), listed=self.action == "list"
        ).order_by("grant_id", "year", "quarter", "pk")

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        report = self.get_object()
        require(request, "monitoring.change_report", report)
        # A stale If-Match is a 412 before the body is read; a submitted report stays a 409.
        precondition = self.if_match(request, report.pk, early=report.state == ReportState.DRAFT)
        body = s.ReportUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        updated = services.update_report(report.pk, request.user, body.validated_data, precondition=precondition)
        return self.with_etag(self._respond(updated))

    def _transition(self, request: Request, name: str, operation: Any) -> Response:
        report = self.get_object()
        require_transition(request, report, name)
        return self._respond(operation(report.pk, request.user))

    @extend_schema(request=None, responses=s.ReportSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def submit(self, request: Request, pk: str | None = None) -> Response:
        """draft → submitted; every goal, the money spent, the people enrolled and a narrative
        must be there."""
        return self._transition(request, "submit", services.submit_report)

    @extend_schema(request=None, responses=s.ReportSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def accept(self, request: Request, pk: str | None = None) -> Response:
        """submitted → accepted, by SIRI."""
        return self._transition(request, "accept", services.accept_report)

    @extend_schema(request=ReasonSerializer, responses=s.ReportSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return", filterset_class=None)
    def return_(self, request: Request, pk: str | None = None) -> Response:
        """submitted → draft, by SIRI, with a reason the municipality reads."""
        report = self.get_object()
        require_transition(request, report, "return_to_draft")
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._respond(services.return_report(report.pk, request.user, body.validated_data["reason"]))


# National KPI averages --------------------------------------------------------------------------


@extend_schema_view(
    create=extend_schema(responses={200: s.NationalKpiSerializer, 201: s.NationalKpiSerializer}),
    update=extend_schema(request=s.NationalKpiSerializer),
    partial_update=extend_schema(request=s.NationalKpiUpdateSerializer),
)
class NationalKpiViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The national averages of the three central KPIs per quarter: read by anyone logged in,
    entered by a pool admin. POSTing a quarter that is there already replaces its values."""

    serializer_class = s.NationalKpiSerializer
    lookup_value_regex = ID
    filterset_class = NationalKpiFilter
    queryset = NationalKpi.objects.order_by("-year", "-quarter")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require(request, "monitoring.add_nationalkpi")
        body = s.NationalKpiSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        existed = NationalKpi.objects.filter(year=data["year"], quarter=data["quarter"]).exists()
        kpi = services.set_national_kpi(request.user, data["year"], data["quarter"], data)
        code = status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        return Response(s.NationalKpiSerializer(kpi).data, status=code)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        kpi = self.get_object()
        require(request, "monitoring.change_nationalkpi", kpi)
        partial = kwargs.get("partial", False)
        body = (s.NationalKpiUpdateSerializer if partial else s.NationalKpiSerializer)(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        errors = {
            name: [QUARTER_FIXED] for name in ("year", "quarter") if name in data and data[name] != getattr(kpi, name)
        }
        if errors:
            raise DomainError.invalid(errors)
        # A PATCH keeps the values it does not name; a PUT sets all three.
        values = {
            name: data[name] if name in data else (getattr(kpi, name) if partial else None) for name in KPI_FIELDS
        }
        kpi = services.set_national_kpi(request.user, kpi.year, kpi.quarter, values)
        return Response(s.NationalKpiSerializer(kpi).data)


# The follow-up after the end ----------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="The follow-ups after the end of a grant"),
    create=extend_schema(request=s.FollowUpSerializer, responses={201: s.FollowUpSerializer}),
)
class GrantFollowUpViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """`/grants/{grant_pk}/follow-ups/`: read by whoever may see the grant, recorded by the
    applicants of its lead municipality from the point's day (end + 3 or 12 months) on, once per
    point. Another municipality's grant is a 404; a reader who may not record is a 403."""

    serializer_class = s.FollowUpSerializer
    filterset_class = None
    lookup_value_regex = ID

    def get_grant(self) -> Grant:
        if not hasattr(self, "_grant"):
            self._grant = get_object_or_404(
                Grant.objects.visible_to(self.request.user).select_related("application__pool"),
                pk=self.kwargs["grant_pk"],
            )
        return self._grant

    def get_queryset(self) -> QuerySet[FollowUp]:
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI generator has no request
            return FollowUp.objects.none()
        grant = self.get_grant()
        require(self.request, "monitoring.view_followup", grant)
        return FollowUp.objects.visible_to(self.request.user).filter(grant=grant).order_by("point", "pk")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # In the order of the points (3 months, then 12), not of their codes.
        follow_ups = sorted(self.get_queryset(), key=lambda f: FollowUpPoint.values.index(f.point))
        for follow_up in follow_ups:
            follow_up.grant = self.get_grant()  # due_on reads the grant's end and pool: no query per row
        page = self.paginate_queryset(follow_ups)
        if page is not None:
            return self.get_paginated_response(self.get_serializer(page, many=True).data)
        return Response(self.get_serializer(follow_ups, many=True).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        grant = self.get_grant()
        require(request, "monitoring.add_followup", grant)
        body = s.FollowUpSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        follow_up = followups.record_follow_up(grant.pk, request.user, body.validated_data)
        follow_up.grant = grant
        return Response(s.FollowUpSerializer(follow_up).data, status=status.HTTP_201_CREATED)
