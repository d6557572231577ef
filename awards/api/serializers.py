"""The shapes of the grant administration's API. The serializers parse types only (a number that
is no number is a 400 on its field); the rules live in `awards.services`, whose DomainError the
API's exception handler maps to 400/409, so the pages and the API answer alike."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from applications.models import BudgetCategory
from core.validators import validate_no_cpr

from ..models import AwardLog, ChangeKind, ChangeRequest, GrantVersion, Payment, VersionLine

MONEY = {"max_digits": 14, "decimal_places": 2, "coerce_to_string": True}
VALUE = {"max_digits": 12, "decimal_places": 2}


class AcceptSerializer(serializers.Serializer):
    """The acceptance: the service names what is missing, every problem at once."""

    accepted_by_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    accepted_by_title = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    declaration = serializers.BooleanField(
        required=False, default=False, help_text=_("true: the grant and its conditions are accepted.")
    )


class PaySerializer(serializers.Serializer):
    paid_on = serializers.DateField(required=False, allow_null=True, default=None)


class PaymentSerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(read_only=True, **MONEY)

    class Meta:
        model = Payment
        fields = [
            "id",
            "grant",
            "kind",
            "year",
            "quarter",
            "due_on",
            "amount",
            "state",
            "held_reason",
            "paid_on",
            "cvr",
        ]
        read_only_fields = fields


class ChangeBudgetLineSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    category = serializers.ChoiceField(choices=BudgetCategory.choices)
    amount = serializers.DecimalField(min_value=Decimal(0), **MONEY)
    fte = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=Decimal(0), required=False, default=0)


class GoalTargetSerializer(serializers.Serializer):
    goal = serializers.IntegerField(help_text=_("The id of one of the grant's goals."))
    target_value = serializers.DecimalField(**VALUE)


class ExpectedSerializer(serializers.Serializer):
    goal = serializers.IntegerField(help_text=_("The id of one of the grant's goals."))
    value = serializers.DecimalField(**VALUE)


class MilestonePlanSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    expected = ExpectedSerializer(many=True, required=False, default=list)
    planned_activities = serializers.CharField(
        required=False, allow_blank=True, default="", validators=[validate_no_cpr]
    )


class ChangeRequestSerializer(serializers.ModelSerializer):
    """A change request, read and asked for (`POST /grants/{id}/change-requests/`): the fields of
    its kind are needed, the others are ignored."""

    kind = serializers.ChoiceField(choices=ChangeKind.choices)
    reason = serializers.CharField(allow_blank=True, validators=[validate_no_cpr])
    budget_lines = ChangeBudgetLineSerializer(many=True, required=False, default=list)
    end_date = serializers.DateField(required=False, allow_null=True, default=None)
    goals = GoalTargetSerializer(many=True, required=False, default=list)
    milestones = MilestonePlanSerializer(many=True, required=False, default=list)
    submitted_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    version = serializers.SerializerMethodField(help_text=_("The version of the budget and plan the approval made."))

    class Meta:
        model = ChangeRequest
        fields = [
            "id",
            "grant",
            "kind",
            "state",
            "reason",
            "budget_lines",
            "end_date",
            "goals",
            "milestones",
            "submitted_by",
            "submitted_at",
            "decided_by",
            "decided_at",
            "decision_reason",
            "version",
        ]
        read_only_fields = ["grant", "state", "submitted_at", "decided_at", "decision_reason"]

    def get_version(self, change: ChangeRequest) -> int | None:
        version = getattr(change, "resulting_version", None)
        return version.number if version is not None else None

    def create(self, validated_data: dict[str, Any]) -> Any:
        raise NotImplementedError("The services write: awards.services.file_change.")

    def update(self, instance: Any, validated_data: dict[str, Any]) -> Any:
        raise NotImplementedError("A change request is not edited: withdraw it and ask again.")


class DecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", validators=[validate_no_cpr])


class VersionLineSerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(read_only=True, **MONEY)

    class Meta:
        model = VersionLine
        fields = ["year", "category", "amount", "fte"]


class VersionSerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(read_only=True, **MONEY)
    lines = VersionLineSerializer(many=True, read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = GrantVersion
        fields = [
            "number",
            "amount",
            "start_date",
            "end_date",
            "lines",
            "goals",
            "milestones",
            "change_request",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class HistorySerializer(serializers.ModelSerializer):
    by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = AwardLog
        fields = ["transition", "source", "target", "by", "at", "reason"]


class RepaidTotalField(serializers.DecimalField):
    """What has been paid back after the approved final accounts (the list annotates it)."""

    def get_attribute(self, instance: Any) -> Decimal:
        repaid = getattr(instance, "repaid_sum", None)
        if repaid is None:
            from ..models import Repayment, RepaymentState

            found = Repayment.objects.filter(grant_id=instance.pk, state=RepaymentState.PAID).first()
            repaid = found.amount if found else Decimal(0)
        return repaid


def grant_fields() -> dict[str, Any]:
    """The contract's fields the grant administration adds to a grant in monitoring's API."""
    terms = {"read_only": True, "allow_null": True, "default": None}
    return {
        "accept_by": lambda: serializers.DateField(source="terms.accept_by", **terms),
        "accepted_at": lambda: serializers.DateTimeField(source="terms.accepted_at", **terms),
        "accepted_by_name": lambda: serializers.CharField(source="terms.accepted_by_name", **terms),
        "audit_level": lambda: serializers.CharField(
            source="terms.audit_level", help_text="qualified, registered or performance", **terms
        ),
        "paid_total": lambda: serializers.DecimalField(source="paid_sum", read_only=True, default=Decimal(0), **MONEY),
        "repaid_total": lambda: RepaidTotalField(read_only=True, **MONEY),
    }
