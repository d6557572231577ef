from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.roles import municipality_ids

from .. import services
from ..models import (
    Application,
    ApprovalStatus,
    BudgetLine,
    Criterion,
    Goal,
    Measure,
    Municipality,
    PoliticalApproval,
    Pool,
    Review,
    TargetGroup,
    TransitionLog,
)
from ..services import pool_problems

MONEY = {"max_digits": 14, "decimal_places": 2, "coerce_to_string": True}


class MunicipalityCodeField(serializers.SlugRelatedField):
    """A municipality by its 3-digit code, e.g. "330" for Slagelse."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Municipality.objects.all())
        super().__init__(slug_field="code", **kwargs)

    def to_internal_value(self, data: Any) -> Municipality:
        if not isinstance(data, str | int) or not re.fullmatch(r"\d{3}", str(data)):
            raise serializers.ValidationError(_("A municipality is given by its 3-digit code, e.g. 330."))
        return super().to_internal_value(str(data))


class MunicipalitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Municipality
        fields = ["code", "name", "cvr", "region"]


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["name", "weight"]


class PoolSerializer(serializers.ModelSerializer):
    criteria = CriterionSerializer(many=True, required=False)
    granted_total = serializers.DecimalField(read_only=True, **MONEY)
    remaining_budget = serializers.DecimalField(read_only=True, **MONEY)
    is_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = Pool
        fields = [
            "id",
            "name",
            "description",
            "legal_basis",
            "total_budget",
            "max_grant",
            "opens_on",
            "closes_on",
            "project_start_earliest",
            "project_end_latest",
            "requires_political_approval",
            "reporting_delay_days",
            "criteria",
            "granted_total",
            "remaining_budget",
            "is_open",
        ]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors = pool_problems(attrs, self.instance)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    @transaction.atomic
    def create(self, validated_data: dict[str, Any]) -> Pool:
        criteria = validated_data.pop("criteria", [])
        pool = Pool.objects.create(**validated_data)
        self._save_criteria(pool, criteria)
        return pool

    @transaction.atomic
    def update(self, instance: Pool, validated_data: dict[str, Any]) -> Pool:
        criteria = validated_data.pop("criteria", None)
        pool = super().update(instance, validated_data)
        if criteria is not None:
            pool.criteria.all().delete()
            self._save_criteria(pool, criteria)
        return pool

    @staticmethod
    def _save_criteria(pool: Pool, criteria: list[dict[str, Any]]) -> None:
        Criterion.objects.bulk_create(
            Criterion(pool=pool, name=c["name"].strip(), weight=c.get("weight", Decimal(1)), position=i)
            for i, c in enumerate(criteria)
        )


class ApplicationSerializer(serializers.ModelSerializer):
    pool = serializers.PrimaryKeyRelatedField(queryset=Pool.objects.all())
    lead_municipality = MunicipalityCodeField(required=False)
    partner_municipalities = MunicipalityCodeField(many=True, required=False)
    measures = serializers.ListField(child=serializers.ChoiceField(choices=Measure.choices), required=False)
    requested_total = serializers.DecimalField(read_only=True, **MONEY)
    grant = serializers.PrimaryKeyRelatedField(source="award", read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "pool",
            "lead_municipality",
            "partner_municipalities",
            "state",
            "journal_number",
            "requested_total",
            "submitted_at",
            "grant",
            "title",
            "purpose",
            "target_group_description",
            "current_effort",
            "approach",
            "objectives",
            "measures",
            "methods",
            "organisation",
            "anchoring",
            "applicant_unit",
            "applicant_address",
            "cvr",
            "grant_responsible_name",
            "grant_responsible_title",
            "grant_responsible_email",
            "grant_responsible_phone",
            "contact_name",
            "contact_email",
            "contact_phone",
            "start_date",
            "end_date",
        ]
        read_only_fields = ["state", "journal_number", "submitted_at"]

    def validate_measures(self, value: list[str]) -> list[str]:
        return sorted(set(value), key=Measure.values.index)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors: dict[str, list[Any]] = {}
        current = self.instance
        user = self.context["request"].user

        if current is None:
            mine = municipality_ids(user)
            lead = attrs.get("lead_municipality")
            if lead is None:
                if len(mine) == 1:
                    attrs["lead_municipality"] = Municipality.objects.get(pk=next(iter(mine)))
                else:
                    errors["lead_municipality"] = [_("Choose the municipality that applies.")]
            elif lead.pk not in mine:
                errors["lead_municipality"] = [_("You do not act for %(name)s.") % {"name": lead.name}]
            pool = attrs.get("pool")
            if pool is not None and pool.closes_on < timezone.localdate():
                errors["pool"] = [_("The deadline of this pool has passed.")]
        if current is not None and "pool" in attrs and attrs["pool"] != current.pool:
            errors["pool"] = [_("An application cannot move to another pool.")]
        if (
            current is not None
            and "lead_municipality" in attrs
            and attrs["lead_municipality"] != current.lead_municipality
        ):
            errors["lead_municipality"] = [_("The applicant municipality cannot be changed.")]

        lead = attrs.get("lead_municipality") or getattr(current, "lead_municipality", None)
        start = attrs.get("start_date", getattr(current, "start_date", None))
        end = attrs.get("end_date", getattr(current, "end_date", None))
        for name, messages in services.draft_problems(lead, attrs.get("partner_municipalities"), start, end).items():
            errors.setdefault(name, []).extend(messages)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def update(self, instance: Application, validated_data: dict[str, Any]) -> Application:
        # Write only the fields sent: a full save() could put back a state read before the lock.
        partners = validated_data.pop("partner_municipalities", None)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        instance.save(update_fields=[*validated_data, "updated_at"])
        if partners is not None:
            instance.partner_municipalities.set(partners)
        return instance


class ApplicationChildSerializer(serializers.ModelSerializer):
    """A part of an application; the view passes the application in the context."""

    @property
    def application(self) -> Application:
        return self.context["application"]


class TargetGroupSerializer(ApplicationChildSerializer):
    class Meta:
        model = TargetGroup
        fields = ["id", "name", "size", "description"]


class GoalSerializer(ApplicationChildSerializer):
    target_group = serializers.PrimaryKeyRelatedField(
        queryset=TargetGroup.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = Goal
        fields = ["id", "title", "kind", "target_value", "baseline", "unit", "cumulative", "target_group"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if "application" in self.context:  # only this application's groups can be chosen or guessed
            fields["target_group"].queryset = self.application.target_groups.all()
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors: dict[str, list[Any]] = {}
        kind = attrs.get("kind", getattr(self.instance, "kind", None))
        for name in ("target_value", "baseline"):
            number = attrs.get(name, getattr(self.instance, name, None))
            if kind == "percentage" and number is not None and number > 100:
                errors[name] = [_("A percentage is between 0 and 100.")]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class BudgetLineSerializer(ApplicationChildSerializer):
    amount = serializers.DecimalField(min_value=0, **MONEY)
    fte = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0, required=False)

    class Meta:
        model = BudgetLine
        fields = ["id", "year", "category", "amount", "fte"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        year = attrs.get("year", getattr(self.instance, "year", None))
        category = attrs.get("category", getattr(self.instance, "category", None))
        clash = BudgetLine.objects.filter(application=self.application, year=year, category=category)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise serializers.ValidationError(
                {
                    "category": [
                        _("There is already a budget line for %(category)s in %(year)s.")
                        % {"category": category, "year": year}
                    ]
                }
            )
        return attrs


class PoliticalApprovalSerializer(serializers.ModelSerializer):
    municipality = MunicipalityCodeField()
    status = serializers.ChoiceField(choices=ApprovalStatus.choices)
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = PoliticalApproval
        fields = ["id", "municipality", "status", "decided_on", "body", "reference", "recorded_by", "recorded_at"]
        read_only_fields = ["recorded_at"]


class ReviewSerializer(serializers.ModelSerializer):
    reviewer = serializers.SlugRelatedField(slug_field="username", read_only=True)
    scores = serializers.DictField(child=serializers.JSONField(), required=False)
    # Checked with the scores in services.save_review, so that one answer names every problem.
    recommendation = serializers.CharField(required=False, allow_blank=True)
    weighted_total = serializers.DecimalField(max_digits=4, decimal_places=2, read_only=True, allow_null=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "reviewer",
            "scores",
            "recommendation",
            "comment",
            "conflict_of_interest",
            "weighted_total",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class GrantRequestSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="DKK, a number or a decimal string")
    conditions = serializers.CharField(required=False, allow_blank=True, default="")


class TransitionLogSerializer(serializers.ModelSerializer):
    by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = TransitionLog
        fields = ["transition", "source", "target", "by", "at", "reason"]
