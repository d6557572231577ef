"""The end of a grant in the API (contract: "After the award"): the final report, the final
accounts, the repayment and the closing. The services validate (400 naming every problem, 409
for the state); these views only find what the user may see and shape the answers."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from applications.models import Grant
from core.api import require, require_transition
from core.errors import DomainError

from ..models import FinalAccounts, FinalReport, Repayment
from ..services import closing
from . import serializers as s

MONEY = {"max_digits": 14, "decimal_places": 2}


class ResultSerializer(serializers.Serializer):
    goal = serializers.IntegerField(source="goal_id")
    value = serializers.DecimalField(max_digits=12, decimal_places=2)
    comment = serializers.CharField(allow_blank=True)


class FinalReportSerializer(serializers.ModelSerializer):
    results = ResultSerializer(many=True, read_only=True)

    class Meta:
        model = FinalReport
        fields = [
            "id",
            "state",
            "results",
            "what_worked",
            "what_did_not",
            "anchoring",
            "lessons",
            "submitted_at",
            "decided_at",
            "decision_reason",
        ]
        read_only_fields = fields


class AccountLineSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    category = serializers.CharField()
    spent = serializers.DecimalField(**MONEY)
    explanation = serializers.CharField(allow_blank=True)


class FinalAccountsSerializer(serializers.ModelSerializer):
    lines = AccountLineSerializer(many=True, read_only=True)
    variances = serializers.SerializerMethodField()
    auditor_statement = serializers.SerializerMethodField()
    approved_spending = serializers.DecimalField(read_only=True, allow_null=True, **MONEY)
    repayment_amount = serializers.DecimalField(read_only=True, allow_null=True, **MONEY)

    class Meta:
        model = FinalAccounts
        fields = [
            "id",
            "grant",
            "state",
            "lines",
            "variances",
            "statement_by_name",
            "statement_by_title",
            "auditor_name",
            "auditor_kind",
            "performance_audit",
            "auditor_statement",
            "submitted_at",
            "decided_at",
            "decision_reason",
            "approved_spending",
            "repayment_amount",
        ]
        read_only_fields = fields

    def get_variances(self, accounts: FinalAccounts) -> list[dict[str, Any]]:
        grant = Grant.objects.select_related("application__pool").get(pk=accounts.grant_id)
        return [row.as_dict() for row in closing.variances(grant, accounts)]

    def get_auditor_statement(self, accounts: FinalAccounts) -> str | None:
        return accounts.auditor_statement_name or None


class RepaymentSerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(read_only=True, **MONEY)

    class Meta:
        model = Repayment
        fields = ["amount", "due_on", "state", "paid_on"]
        read_only_fields = fields


WRITE_REPORT = inline_serializer(
    "FinalReportWrite",
    {
        "results": ResultSerializer(many=True, required=False),
        "what_worked": serializers.CharField(required=False),
        "what_did_not": serializers.CharField(required=False),
        "anchoring": serializers.CharField(required=False),
        "lessons": serializers.CharField(required=False),
    },
)
WRITE_ACCOUNTS = inline_serializer(
    "FinalAccountsWrite",
    {
        "lines": AccountLineSerializer(many=True, required=False),
        "statement_by_name": serializers.CharField(required=False),
        "statement_by_title": serializers.CharField(required=False),
        "auditor_name": serializers.CharField(required=False),
        "auditor_kind": serializers.CharField(required=False),
        "performance_audit": serializers.BooleanField(required=False),
        "auditor_statement": serializers.FileField(required=False),
    },
)


def _body(request: Request) -> dict[str, Any]:
    """The request's fields as the services take them. A multipart body (with the auditor's
    statement) carries `lines` and `results` as JSON text and the flags as text."""
    if not hasattr(request.data, "getlist"):
        if not isinstance(request.data, dict):
            raise DomainError.invalid({"non_field_errors": ["Send a JSON object."]})
        return dict(request.data)
    data: dict[str, Any] = {key: request.data.get(key) for key in request.data}
    for key in ("lines", "results"):
        if isinstance(data.get(key), str):
            try:
                data[key] = json.loads(data[key])
            except ValueError:
                raise DomainError.invalid({key: ["Give a JSON list."]}) from None
    if isinstance(data.get("performance_audit"), str):
        data["performance_audit"] = data["performance_audit"].lower() in ("true", "1", "on", "yes")
    data.update({key: request.FILES[key] for key in request.FILES})
    return data


class GrantClosingViewSet(viewsets.GenericViewSet):
    """`/grants/{id}/final-report/`, `/final-accounts/`, `/repayment/`, `/close/`."""

    lookup_value_regex = r"\d+"
    filter_backends: list[Any] = []
    pagination_class = None
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    serializer_class = FinalReportSerializer

    def get_queryset(self) -> QuerySet[Grant]:
        return Grant.objects.visible_to(self.request.user).select_related("application__pool")

    @extend_schema(request=WRITE_REPORT, responses=FinalReportSerializer)
    @action(detail=True, methods=["get", "post"], url_path="final-report")
    def final_report(self, request: Request, pk: str | None = None) -> Response:
        """The final report (404 until it is first saved); POST writes it while it is a draft or
        returned: `results` (`[{"goal", "value", "comment"}]`), `what_worked`, `what_did_not`,
        `anchoring`, `lessons`."""
        grant = self.get_object()
        if request.method == "POST":
            require(request, "awards.change_finalreport", grant)
            closing.save_final_report(grant.pk, request.user, _body(request))
            return Response(FinalReportSerializer(closing.final_report_of(grant)).data)
        report = closing.final_report_of(grant)
        if report is None:
            raise Http404
        return Response(FinalReportSerializer(report).data)

    def _report(self, request: Request, name: str) -> FinalReport:
        grant = self.get_object()
        report = get_object_or_404(FinalReport, grant=grant)
        require_transition(request, report, name)
        return report

    @extend_schema(request=None, responses=FinalReportSerializer)
    @action(detail=True, methods=["post"], url_path="final-report/submit")
    def submit_final_report(self, request: Request, pk: str | None = None) -> Response:
        """draft or returned → submitted, by the lead municipality once the period has ended."""
        report = closing.submit_final_report(self._report(request, "submit").pk, request.user)
        return Response(FinalReportSerializer(closing.final_report_of(report.grant)).data)

    @extend_schema(request=s.DecisionSerializer, responses=FinalReportSerializer)
    @action(detail=True, methods=["post"], url_path="final-report/accept")
    def accept_final_report(self, request: Request, pk: str | None = None) -> Response:
        """submitted → accepted, by SIRI."""
        report = self._report(request, "accept")
        body = s.DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        closing.accept_final_report(report.pk, request.user, body.validated_data["reason"])
        return Response(FinalReportSerializer(closing.final_report_of(report.grant)).data)

    @extend_schema(request=s.DecisionSerializer, responses=FinalReportSerializer)
    @action(detail=True, methods=["post"], url_path="final-report/return")
    def return_final_report(self, request: Request, pk: str | None = None) -> Response:
        """submitted → returned, by SIRI, with `{"reason"}`."""
        report = self._report(request, "send_back")
        body = s.DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        closing.return_final_report(report.pk, request.user, body.validated_data["reason"])
        return Response(FinalReportSerializer(closing.final_report_of(report.grant)).data)

    @extend_schema(request=WRITE_ACCOUNTS, responses=FinalAccountsSerializer)
    @action(detail=True, methods=["get", "post"], url_path="final-accounts")
    def final_accounts(self, request: Request, pk: str | None = None) -> Response:
        """The final accounts (404 until first saved); POST makes them (or writes them while a
        draft or returned). `variances` compares each year and category with the budget in force."""
        grant = self.get_object()
        if request.method == "POST":
            require(request, "awards.change_finalaccounts", grant)
            existed = FinalAccounts.objects.filter(grant=grant).exists()
            closing.save_final_accounts(grant.pk, request.user, _body(request))
            code = status.HTTP_200_OK if existed else status.HTTP_201_CREATED
            return Response(FinalAccountsSerializer(closing.final_accounts_of(grant)).data, status=code)
        accounts = closing.final_accounts_of(grant)
        if accounts is None:
            raise Http404
        return Response(FinalAccountsSerializer(accounts).data)

    @extend_schema(responses=RepaymentSerializer)
    @action(detail=True, methods=["get"])
    def repayment(self, request: Request, pk: str | None = None) -> Response:
        """What is owed back after the approved accounts; 404 when nothing is."""
        grant = self.get_object()
        return Response(RepaymentSerializer(get_object_or_404(Repayment, grant=grant)).data)

    @extend_schema(request=s.PaySerializer, responses=RepaymentSerializer)
    @action(detail=True, methods=["post"], url_path="repayment/pay")
    def pay_repayment(self, request: Request, pk: str | None = None) -> Response:
        """open → paid, by a pool admin, with `{"paid_on"}`."""
        grant = self.get_object()
        repayment = get_object_or_404(Repayment, grant=grant)
        require_transition(request, repayment, "pay")
        body = s.PaySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        paid = closing.pay_repayment(grant.pk, request.user, body.validated_data["paid_on"])
        return Response(RepaymentSerializer(paid).data)

    @extend_schema(
        request=s.DecisionSerializer, responses=inline_serializer("Closed", {"state": serializers.CharField()})
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        """accounts_submitted → closed, by SIRI; 409 naming every open item of the checklist."""
        grant = self.get_object()
        require(request, "awards.close_award", grant)
        body = s.DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        award = closing.close(grant.pk, request.user, body.validated_data["reason"])
        return Response({"state": award.state})


class FinalAccountsViewSet(viewsets.GenericViewSet):
    """`/final-accounts/{id}/`: PATCH while not submitted, and the life cycle."""

    serializer_class = FinalAccountsSerializer
    lookup_value_regex = r"\d+"
    filter_backends: list[Any] = []
    pagination_class = None
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[FinalAccounts]:
        return FinalAccounts.objects.visible_to(self.request.user).prefetch_related("lines")

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return Response(FinalAccountsSerializer(self.get_object()).data)

    @extend_schema(request=WRITE_ACCOUNTS, responses=FinalAccountsSerializer)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        accounts = self.get_object()
        require(request, "awards.change_finalaccounts", accounts)
        closing.save_final_accounts(accounts.grant_id, request.user, _body(request))
        return Response(FinalAccountsSerializer(self.get_queryset().get(pk=accounts.pk)).data)

    def _run(self, request: Request, name: str, operation: Any, with_reason: bool) -> Response:
        accounts = self.get_object()
        require_transition(request, accounts, name)
        if with_reason:
            body = s.DecisionSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            operation(accounts.pk, request.user, body.validated_data["reason"])
        else:
            operation(accounts.pk, request.user)
        return Response(FinalAccountsSerializer(self.get_queryset().get(pk=accounts.pk)).data)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="auditor-statement", url_name="auditor-statement")
    def auditor_statement(self, request: Request, pk: str | None = None) -> FileResponse:
        """The auditor's statement (PDF) as the municipality attached it; 404 while none is."""
        accounts = self.get_object()
        require(request, "awards.view_finalaccounts", accounts)
        opened = accounts.open_statement()
        if opened is None:
            raise NotFound
        handle, name = opened
        return FileResponse(handle, content_type="application/pdf", filename=name)

    @extend_schema(request=None, responses=FinalAccountsSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        """draft or returned → submitted; 400 naming every missing explanation and an auditor below the level."""
        return self._run(request, "submit", closing.submit_final_accounts, False)

    @extend_schema(request=s.DecisionSerializer, responses=FinalAccountsSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """submitted → approved, by SIRI: the settlement, and a repayment claim when one is owed."""
        return self._run(request, "approve", closing.approve_final_accounts, True)

    @extend_schema(request=s.DecisionSerializer, responses=FinalAccountsSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_accounts(self, request: Request, pk: str | None = None) -> Response:
        """submitted → returned, by SIRI, with `{"reason"}`."""
        return self._run(request, "send_back", closing.return_final_accounts, True)
