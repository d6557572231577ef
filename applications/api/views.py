from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from core.api import require, require_transition
from core.conditional import ETAG, IF_MATCH, PRECONDITION_FAILED, ConditionalUpdate
from core.exports import Column, ExportMixin

from .. import services
from ..models import (
    Application,
    Assessment,
    Assignment,
    Attachment,
    Criterion,
    Municipality,
    PoliticalApproval,
    Pool,
    Review,
)
from ..ranking import pool_round
from ..views import exports as application_export
from . import serializers as s
from .filters import ApplicationFilter

# Ids are numbers: anything else in their place is an unknown URL, a 404, never a lookup.
ID = r"\d+"
# A review's reasons by criterion, in the criteria's order, without a query per review.
REVIEW_ASSESSMENTS = Prefetch(
    "assessments", queryset=Assessment.objects.select_related("criterion").order_by("criterion__position", "id")
)


class MunicipalityViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Municipality.objects.all()
    serializer_class = s.MunicipalitySerializer
    lookup_field = "code"
    lookup_value_regex = r"\d{3}"
    filterset_fields = ["region"]


class PoolViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.PoolSerializer
    lookup_value_regex = ID

    def get_queryset(self) -> QuerySet[Pool]:
        return (
            Pool.objects.with_totals()
            .prefetch_related(Prefetch("criteria", queryset=Criterion.objects.order_by("position", "id")))
            .order_by("-opens_on", "name", "id")
        )

    def _respond(self, pool: Pool, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=pool.pk)).data, status=code)

    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        require(request, "applications.add_pool")
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._respond(services.save_pool(request.user, body.validated_data), status.HTTP_201_CREATED)

    def update(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        pool = self.get_object()
        require(request, "applications.change_pool", pool)
        body = self.get_serializer(pool, data=request.data, partial=kwargs.pop("partial", False))
        body.is_valid(raise_exception=True)
        return self._respond(services.save_pool(request.user, body.validated_data, pool_id=pool.pk))

    # The whole round at once: its running total needs every row, so neither filtered nor paginated.
    @extend_schema(responses=s.RankingSerializer, filters=False)
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def ranking(self, request: Any, pk: str | None = None) -> Response:
        """The pool's applications under review ranked by weighted score (computed in the
        database), each with what it asks for, the running total from the top and whether that
        is within what is left in the pool. Reviewers and pool admins."""
        require(request, "applications.view_ranking")
        pool = get_object_or_404(Pool, pk=pk)
        return Response(s.RankingSerializer(pool_round(pool)).data)


_CONDITIONAL = extend_schema(
    parameters=[IF_MATCH, ETAG], responses={200: s.ApplicationSerializer, 412: PRECONDITION_FAILED}
)


@extend_schema_view(retrieve=extend_schema(parameters=[ETAG]), update=_CONDITIONAL, partial_update=_CONDITIONAL)
class ApplicationViewSet(ConditionalUpdate, ExportMixin, viewsets.ModelViewSet):
    """The applications the user may see; `?format=csv` or `?format=xlsx` on the list gives every
    filtered row as a spreadsheet (with the scores for those who may review)."""

    serializer_class = s.ApplicationSerializer
    export_filename = application_export.FILENAME
    filterset_class = ApplicationFilter
    ordering = ["-created_at"]
    lookup_value_regex = ID

    def get_queryset(self) -> QuerySet[Application]:
        return (
            Application.objects.visible_to(self.request.user)
            .with_requested_total()
            .select_related("pool", "lead_municipality", "award")
            .prefetch_related("partner_municipalities")
        )

    def export_columns(self) -> list[Column]:
        return application_export.columns(self.request.user)

    def export_rows(self, queryset: QuerySet[Application]) -> Iterable[Any]:
        return application_export.rows(application_export.ids(queryset), self.request.user)

    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        # The page's way to a draft: pre-filled by the service, then what was posted over it.
        require(request, "applications.add_application")
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        pool, lead = data.pop("pool"), data.pop("lead_municipality", None)
        application = services.start_draft(request.user, pool, lead, data)
        return self._respond(application, status.HTTP_201_CREATED)

    def update(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        application = self.get_object()
        services.ensure_editable(application, request.user)  # 403/409 before the body is read
        precondition = self.if_match(request, application.pk)  # and 412, when If-Match is stale
        body = self.get_serializer(application, data=request.data, partial=kwargs.pop("partial", False))
        body.is_valid(raise_exception=True)
        updated = services.update_draft(application.pk, request.user, body.validated_data, precondition=precondition)
        return self.with_etag(self._respond(updated))

    def destroy(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        services.delete_draft(self.get_object().pk, request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _respond(self, application: Application, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=application.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(request=s.DeclarationSerializer, responses=s.ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Any, pk: str | None = None) -> Response:
        """Submit the draft with the grant-responsible person's declaration: 400 names every
        field the application still lacks and every problem of the declaration at once."""
        application = self.get_object()
        body = s.DeclarationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        declaration = services.Declaration.from_data(body.validated_data)
        return self._respond(services.submit(application.pk, request.user, declaration))

    @extend_schema(request=s.GrantRequestSerializer, responses=s.ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def grant(self, request: Any, pk: str | None = None) -> Response:
        application = self.get_object()
        body = s.GrantRequestSerializer(data=request.data)
        require_transition(request, application, "grant")
        body.is_valid(raise_exception=True)
        granted = services.grant(
            application.pk, request.user, body.validated_data["amount"], body.validated_data["conditions"]
        )
        return self._respond(granted)

    def _with_reason(self, request: Any, operation: Any) -> Response:
        application = self.get_object()
        body = s.ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._respond(operation(application.pk, request.user, body.validated_data["reason"]))

    @extend_schema(request=s.ReasonSerializer, responses=s.ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Any, pk: str | None = None) -> Response:
        return self._with_reason(request, services.reject)

    @extend_schema(request=s.ReasonSerializer, responses=s.ApplicationSerializer)
    @action(detail=True, methods=["post"], url_path="return-for-revision")
    def return_for_revision(self, request: Any, pk: str | None = None) -> Response:
        return self._with_reason(request, services.return_for_revision)

    @extend_schema(request=s.ReasonSerializer, responses=s.ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Any, pk: str | None = None) -> Response:
        return self._with_reason(request, services.withdraw)

    # The whole log, oldest first: a plain list, neither filtered nor paginated.
    @extend_schema(responses=s.TransitionLogSerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def history(self, request: Any, pk: str | None = None) -> Response:
        entries = self.get_object().transitions.select_related("by").order_by("at", "id")
        return Response(s.TransitionLogSerializer(entries, many=True).data)


class ApplicationChildViewSet(viewsets.ModelViewSet):
    """Target groups, goals and budget lines: read by whoever sees the application, written
    by its applicant while it is a draft."""

    related_name = ""
    lookup_value_regex = ID

    def get_application(self) -> Application:
        if not hasattr(self, "_application"):
            self._application = get_object_or_404(
                Application.objects.visible_to(self.request.user).select_related("pool"),
                pk=self.kwargs["application_pk"],
            )
        return self._application

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI generator has no request
            return self.serializer_class.Meta.model.objects.none()
        return getattr(self.get_application(), self.related_name).all()

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if "application_pk" in self.kwargs:
            context["application"] = self.get_application()
        return context

    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        application = self.get_application()
        services.ensure_editable(application, request.user)  # 403/409 before the body is read
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        row = services.save_row(application.pk, request.user, self.related_name, body.validated_data)
        return Response(self.get_serializer(row).data, status=status.HTTP_201_CREATED)

    def update(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        application = self.get_application()
        services.ensure_editable(application, request.user)
        row = self.get_object()
        body = self.get_serializer(row, data=request.data, partial=kwargs.pop("partial", False))
        body.is_valid(raise_exception=True)
        row = services.save_row(application.pk, request.user, self.related_name, body.validated_data, row_id=row.pk)
        return Response(self.get_serializer(row).data)

    def destroy(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        application = self.get_application()
        services.ensure_editable(application, request.user)
        row = self.get_object()
        services.delete_row(application.pk, request.user, self.related_name, row.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TargetGroupViewSet(ApplicationChildViewSet):
    serializer_class = s.TargetGroupSerializer
    related_name = "target_groups"


class GoalViewSet(ApplicationChildViewSet):
    serializer_class = s.GoalSerializer
    related_name = "goals"


class BudgetLineViewSet(ApplicationChildViewSet):
    serializer_class = s.BudgetLineSerializer
    related_name = "budget_lines"


class AttachmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """An application's attachments (PDF, PNG or JPEG): read by whoever sees the application, added and
    deleted by its applicant while it is a draft. A file is sent as multipart/form-data."""

    serializer_class = s.AttachmentSerializer
    parser_classes = [MultiPartParser]
    lookup_value_regex = ID
    get_application = ApplicationChildViewSet.get_application

    def get_queryset(self) -> QuerySet[Attachment]:
        if getattr(self, "swagger_fake_view", False):
            return Attachment.objects.none()
        return self.get_application().attachments.select_related("uploaded_by")

    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        application = self.get_application()
        services.ensure_editable(application, request.user)  # 403/409 before the body is read
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        attachment = services.add_attachment(
            application.pk, request.user, body.validated_data["file"], body.validated_data.get("description", "")
        )
        return Response(self.get_serializer(attachment).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        application = self.get_application()
        services.ensure_editable(application, request.user)
        services.delete_attachment(application.pk, self.get_object().pk, request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, "image/png"): OpenApiTypes.BINARY,
            (200, "image/jpeg"): OpenApiTypes.BINARY,
        }
    )
    @action(detail=True, methods=["get"], url_path="download", url_name="download")
    def download(self, request: Any, *args: Any, **kwargs: Any) -> FileResponse:
        attachment = self.get_object()
        require(request, "applications.view_attachment", attachment)
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError:
            raise NotFound from None
        return FileResponse(handle, content_type=attachment.content_type, filename=attachment.name)


class PoliticalApprovalViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = s.PoliticalApprovalSerializer
    lookup_value_regex = ID
    get_application = ApplicationChildViewSet.get_application

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return PoliticalApproval.objects.none()
        return self.get_application().political_approvals.select_related("municipality", "recorded_by")

    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        application = self.get_application()
        require(request, "applications.add_politicalapproval", application)
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        approval = services.record_political_approval(application.pk, request.user, body.validated_data)
        return Response(self.get_serializer(approval).data, status=status.HTTP_201_CREATED)


class ReviewViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """A reviewer's assessment and recommendation: a score and a reason per criterion, and grant
    (with an amount), reject or revise. Posting again replaces the reviewer's review (logged)."""

    serializer_class = s.ReviewSerializer
    lookup_value_regex = ID
    get_application = ApplicationChildViewSet.get_application

    def get_queryset(self) -> QuerySet[Review]:
        if getattr(self, "swagger_fake_view", False):
            return Review.objects.none()
        application = self.get_application()
        require(self.request, "applications.view_review", application)
        return application.reviews.select_related("reviewer", "application__pool").prefetch_related(
            "application__pool__criteria", REVIEW_ASSESSMENTS
        )

    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        application = self.get_application()
        require(request, "applications.review_application", application)
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        review, created = services.save_review(application.pk, request.user, body.validated_data)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(self.get_serializer(self.get_queryset().get(pk=review.pk)).data, status=code)


class AssignmentViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """The reviewers assigned to an application. SIRI reads them; the pool admin assigns
    (`{"reviewer": username}`, as many as the pool's `reviewers_per_application`; never a reviewer
    who declared a conflict of interest) and unassigns (DELETE). Both are logged in the
    application's history."""

    serializer_class = s.AssignmentSerializer
    lookup_value_regex = ID
    get_application = ApplicationChildViewSet.get_application

    def get_queryset(self) -> QuerySet[Assignment]:
        if getattr(self, "swagger_fake_view", False):
            return Assignment.objects.none()
        application = self.get_application()
        require(self.request, "applications.view_assignment", application)
        return application.assignments.select_related("reviewer", "assigned_by").order_by("assigned_at", "id")

    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        application = self.get_application()
        require(request, "applications.add_assignment", application)
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        assignment = services.assign(application.pk, request.user, body.validated_data["reviewer"])
        return Response(self.get_serializer(assignment).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    def destroy(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        application = self.get_application()
        require(request, "applications.delete_assignment", application)
        services.unassign(application.pk, request.user, self.get_object().pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReviewerViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """SIRI's reviewers and pool admins with their workload (`load`): the applications under
    review assigned to each. For SIRI."""

    serializer_class = s.ReviewerLoadSerializer
    pagination_class = None
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            return services.reviewer_load().none()
        require(self.request, "applications.view_assignment")
        return services.reviewer_load().select_related("profile")
