"""The grant administration's endpoints (contract: "After the award"). Every queryset starts from
what the user may see: another municipality's grant is a 404; a visible one the user may not act
on is a 403, asked before the body is read (by the permission the transition declares). The
services decide the rest: 400 naming every problem, 409 when the state forbids it."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from applications.models import Grant, Pool
from core.api import ColumnChoiceFilter, require, require_transition
from monitoring.api.serializers import GrantSerializer
from monitoring.api.views import grants_for

from .. import services
from ..models import Award, ChangeKind, ChangeRequest, ChangeState, Payment, PaymentState
from . import serializers as s

ID = r"\d+"
IN_PLAN_STATES = [(code, label) for code, label in PaymentState.choices if code != PaymentState.CANCELLED]


def _grant_response(request: Request, grant_id: int, code: int = status.HTTP_200_OK) -> Response:
    """The grant as `GET /grants/{id}/` shows it (monitoring's serializer, with this app's fields)."""
    grant = grants_for(request.user).get(pk=grant_id)
    return Response(GrantSerializer(grant, context={"request": request}).data, status=code)


class AwardViewSet(viewsets.GenericViewSet):
    """A grant's life after the decision: accept, revoke, its payments, versions and history.
    `GET /grants/{id}/` itself is monitoring's, with the fields this app adds."""

    serializer_class = GrantSerializer
    lookup_value_regex = ID
    filter_backends: list[Any] = []
    pagination_class = None

    def get_queryset(self) -> QuerySet[Award]:
        return Award.objects.visible_to(self.request.user).select_related("application")

    @extend_schema(request=s.AcceptSerializer, responses=GrantSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        """awaiting_acceptance → active, by the lead municipality's grant-responsible person, by
        the deadline (`accept_by`), with name, title and `"declaration": true`. Makes the payment plan."""
        award = self.get_object()
        require_transition(request, award, "accept")
        body = s.AcceptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.accept(award.pk, request.user, body.validated_data)
        return _grant_response(request, award.pk)

    @extend_schema(request=s.DecisionSerializer, responses=GrantSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        """→ revoked, by SIRI, with a reason the municipality reads in the revocation letter."""
        award = self.get_object()
        require_transition(request, award, "revoke")
        body = s.DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.revoke(award.pk, request.user, body.validated_data["reason"])
        return _grant_response(request, award.pk)

    @extend_schema(responses=s.PaymentSerializer(many=True))
    @action(detail=True, methods=["get"])
    def payments(self, request: Request, pk: str | None = None) -> Response:
        """The payment plan: quarterly instalments in advance and the retained share, as it stands.
        A payment cancelled (the grant revoked, the plan spread again) is no longer part of it and
        is left out: the contract's states are planned, held, paid and retained. It stays in the
        audit trail (the admin's payment log)."""
        award = self.get_object()
        rows = Payment.objects.filter(grant=award).in_plan().order_by("due_on", "kind", "id")
        return Response(s.PaymentSerializer(rows, many=True).data)

    @extend_schema(responses=s.VersionSerializer(many=True))
    @action(detail=True, methods=["get"])
    def versions(self, request: Request, pk: str | None = None) -> Response:
        """Every version of the budget and plan, oldest first: as granted, then each approved change."""
        award = self.get_object()
        versions = award.versions.prefetch_related("lines").select_related("created_by").order_by("number")
        return Response(s.VersionSerializer(versions, many=True).data)

    @extend_schema(responses=s.HistorySerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request: Request, pk: str | None = None) -> Response:
        """The grant's transitions after the decision, oldest first."""
        award = self.get_object()
        return Response(s.HistorySerializer(award.transitions.select_related("by"), many=True).data)


class PaymentFilter(django_filters.FilterSet):
    grant = django_filters.NumberFilter(field_name="grant_id")
    state = ColumnChoiceFilter(choices=IN_PLAN_STATES)
    pool = django_filters.ModelChoiceFilter(field_name="grant__application__pool", queryset=Pool.objects.all())
    due_after = django_filters.DateFilter(field_name="due_on", lookup_expr="gte", label="Due on or after (YYYY-MM-DD)")
    due_before = django_filters.DateFilter(
        field_name="due_on", lookup_expr="lte", label="Due on or before (YYYY-MM-DD)"
    )

    class Meta:
        model = Payment
        fields = ["grant", "state", "pool", "due_after", "due_before"]


class PaymentViewSet(viewsets.ReadOnlyModelViewSet):
    """The payments of the grants the user may see (`?due_after=&due_before=` for a period), and
    the pool admin's record that one was paid."""

    serializer_class = s.PaymentSerializer
    lookup_value_regex = ID
    filterset_class = PaymentFilter

    def get_queryset(self) -> QuerySet[Payment]:
        payments = Payment.objects.visible_to(self.request.user)
        if self.action == "list":  # the plans as they stand; a cancelled one is still found by its id
            payments = payments.in_plan()
        return payments.select_related("grant__application").order_by("due_on", "grant_id", "id")

    @extend_schema(request=s.PaySerializer, responses=s.PaymentSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def pay(self, request: Request, pk: str | None = None) -> Response:
        """planned → paid, by a pool admin, with the date it was paid; 409 when held or retained."""
        payment = self.get_object()
        require_transition(request, payment, "pay")
        body = s.PaySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        paid = services.pay(payment.pk, request.user, body.validated_data["paid_on"])
        return Response(s.PaymentSerializer(paid).data)


class ChangeRequestFilter(django_filters.FilterSet):
    grant = django_filters.NumberFilter(field_name="grant_id")
    state = ColumnChoiceFilter(choices=ChangeState.choices)
    kind = ColumnChoiceFilter(choices=ChangeKind.choices)

    class Meta:
        model = ChangeRequest
        fields = ["grant", "state", "kind"]


def _changes() -> QuerySet[ChangeRequest]:
    return ChangeRequest.objects.select_related(
        "grant__application", "submitted_by", "decided_by", "resulting_version"
    ).order_by("-submitted_at", "-id")


@extend_schema_view(create=extend_schema(request=s.ChangeRequestSerializer, responses={201: s.ChangeRequestSerializer}))
class GrantChangeRequestViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """`/grants/{grant_pk}/change-requests/`: read by whoever may see the grant, asked for by the
    lead municipality while the grant is active and its period has not ended."""

    serializer_class = s.ChangeRequestSerializer
    filterset_class = None
    pagination_class = None

    def get_grant(self) -> Grant:
        if not hasattr(self, "_grant"):
            self._grant = get_object_or_404(
                Grant.objects.visible_to(self.request.user).select_related("application"), pk=self.kwargs["grant_pk"]
            )
        return self._grant

    def get_queryset(self) -> QuerySet[ChangeRequest]:
        if getattr(self, "swagger_fake_view", False):
            return ChangeRequest.objects.none()
        return _changes().filter(grant=self.get_grant())

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        grant = self.get_grant()
        require(request, "awards.add_changerequest", grant)
        body = s.ChangeRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        change = services.file_change(grant.pk, request.user, body.validated_data)
        return Response(s.ChangeRequestSerializer(_changes().get(pk=change.pk)).data, status=status.HTTP_201_CREATED)


class ChangeRequestViewSet(viewsets.ReadOnlyModelViewSet):
    """Change requests the user may see (SIRI: every one, `?state=submitted` is the queue), and
    their life cycle: SIRI approves or refuses (with a reason), the municipality may withdraw."""

    serializer_class = s.ChangeRequestSerializer
    lookup_value_regex = ID
    filterset_class = ChangeRequestFilter

    def get_queryset(self) -> QuerySet[ChangeRequest]:
        return _changes().visible_to(self.request.user)

    def _decide(self, request: Request, name: str, operation: Any) -> Response:
        change = self.get_object()
        require_transition(request, change, name)
        body = s.DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        decided = operation(change.pk, request.user, body.validated_data["reason"])
        return Response(s.ChangeRequestSerializer(_changes().get(pk=decided.pk)).data)

    @extend_schema(request=s.DecisionSerializer, responses=s.ChangeRequestSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """submitted → approved, by SIRI (a reason is optional): a new version of the budget and plan."""
        return self._decide(request, "approve", services.approve_change)

    @extend_schema(request=s.DecisionSerializer, responses=s.ChangeRequestSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def refuse(self, request: Request, pk: str | None = None) -> Response:
        """submitted → refused, by SIRI, with `{"reason"}` the municipality reads."""
        return self._decide(request, "refuse", services.refuse_change)

    @extend_schema(request=s.DecisionSerializer, responses=s.ChangeRequestSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        """submitted → withdrawn, by the lead municipality."""
        return self._decide(request, "withdraw", services.withdraw_change)
