from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.roles import display_name
from core.validators import validate_no_cpr

from ..models import (
    Application,
    ApprovalStatus,
    Assignment,
    Attachment,
    BudgetLine,
    Criterion,
    FormSection,
    Goal,
    Measure,
    Municipality,
    PoliticalApproval,
    Pool,
    Review,
    TargetGroup,
    TransitionLog,
)
from ..models.pools import POOL_FIELDS
from ..validators import validate_attachment, validate_guidance

# The serializers read and check the format of what is sent, and show what is stored; the rules
# on the values and every write are the services' (`save_pool`, `start_draft`, `update_draft`,
# `save_row`), which the views call with the validated data. None of them saves a model.

MONEY = {"max_digits": 14, "decimal_places": 2, "coerce_to_string": True}


class ParseOnly:
    """A serializer whose data goes to a service: it never saves a model itself."""

    def create(self, validated_data: dict[str, Any]) -> Any:
        raise NotImplementedError("The services write; pass the validated data to one.")

    def update(self, instance: Any, validated_data: dict[str, Any]) -> Any:
        raise NotImplementedError("The services write; pass the validated data to one.")


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


class PoolSerializer(ParseOnly, serializers.ModelSerializer):
    criteria = CriterionSerializer(many=True, required=False)
    guidance = serializers.DictField(
        child=serializers.CharField(allow_blank=True, trim_whitespace=True),
        required=False,
        validators=[validate_guidance],
        help_text="SIRI's guidance to the applicants, shown above each section of the application form: a text "
        f"per section, keyed by the section's code ({', '.join(FormSection.values)}). A section left out or "
        "empty has none; a PATCH replaces the whole guidance.",
    )
    granted_total = serializers.DecimalField(read_only=True, **MONEY)
    remaining_budget = serializers.DecimalField(read_only=True, **MONEY)
    is_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = Pool
        fields = ["id", *POOL_FIELDS, "criteria", "granted_total", "remaining_budget", "is_open"]

    def validate_guidance(self, value: dict[str, str]) -> dict[str, str]:
        return {code: text for code, text in value.items() if text}


class ApplicationSerializer(ParseOnly, serializers.ModelSerializer):
    pool = serializers.PrimaryKeyRelatedField(queryset=Pool.objects.all())
    lead_municipality = MunicipalityCodeField(required=False)
    partner_municipalities = MunicipalityCodeField(many=True, required=False)
    measures = serializers.ListField(child=serializers.ChoiceField(choices=Measure.choices), required=False)
    requested_total = serializers.DecimalField(read_only=True, **MONEY)
    grant = serializers.PrimaryKeyRelatedField(source="award", read_only=True, allow_null=True)

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
            "target_group_total",
            "current_effort",
            "approach",
            "objectives",
            "measures",
            "methods",
            # Organisation og ledelse, as SIRI's form divides it.
            "political_anchoring",
            "management",
            "cross_sector_ownership",
            "continuation",
            "committee_briefing",
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
            "declared_by_name",
            "declared_by_title",
            "declared_at",
        ]
        read_only_fields = [
            "state",
            "journal_number",
            "submitted_at",
            "organisation",
            "declared_by_name",
            "declared_by_title",
            "declared_at",
        ]
        extra_kwargs = {
            "organisation": {
                "help_text": "Read only. The one text of “Organisation og ledelse” of an application written before "
                "the section was divided into political_anchoring, management, cross_sector_ownership, "
                "continuation and committee_briefing; empty for the others."
            },
            "target_group_total": {
                "help_text": "The size of the whole target group (e.g. 340); at least the largest target group."
            },
        }

    def validate_measures(self, value: list[str]) -> list[str]:
        return sorted(set(value), key=Measure.values.index)


class ApplicationChildSerializer(ParseOnly, serializers.ModelSerializer):
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
        fields = [
            "id",
            "title",
            "kind",
            "target_value",
            "baseline",
            "unit",
            "cumulative",
            "ramp_quarters",
            "cohort_months",
            "target_group",
        ]
        extra_kwargs = {
            "cumulative": {
                "help_text": "true: a count added up over the period (linear plan from the baseline); false: a "
                "level held at a point in time. A percentage or an average is always a level; when not given, "
                "a new count is cumulative and a new percentage or average a level."
            },
        }

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if "application" in self.context:  # only this application's groups can be chosen or guessed
            fields["target_group"].queryset = self.application.target_groups.all()
        return fields


class BudgetLineSerializer(ApplicationChildSerializer):
    amount = serializers.DecimalField(min_value=0, **MONEY)
    fte = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0, required=False)

    class Meta:
        model = BudgetLine
        fields = ["id", "year", "category", "amount", "fte"]


class AttachmentSerializer(ParseOnly, serializers.ModelSerializer):
    """Sent as multipart/form-data: `file` (a PDF, or a PNG or JPEG image, which is stored without
    its metadata; the model's `validate_attachment` checks it) and an optional `description`; the
    name and size are those of the file stored."""

    file = serializers.FileField(write_only=True, validators=[validate_attachment])
    uploaded_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id",
            "file",
            "name",
            "size",
            "content_type",
            "description",
            "uploaded_by",
            "uploaded_at",
            "download_url",
        ]
        read_only_fields = ["name", "size", "content_type", "uploaded_at"]

    def validate_file(self, upload: Any) -> Any:
        validate_no_cpr(upload.name)  # the file name is stored and shown too
        return upload

    def get_download_url(self, attachment: Attachment) -> str:
        url = reverse("attachment-download", args=[attachment.application_id, attachment.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class PoliticalApprovalSerializer(ParseOnly, serializers.ModelSerializer):
    municipality = MunicipalityCodeField()
    status = serializers.ChoiceField(choices=ApprovalStatus.choices)
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = PoliticalApproval
        fields = ["id", "municipality", "status", "decided_on", "body", "reference", "recorded_by", "recorded_at"]
        read_only_fields = ["recorded_at"]


class ReviewSerializer(ParseOnly, serializers.ModelSerializer):
    reviewer = serializers.SlugRelatedField(slug_field="username", read_only=True)
    scores = serializers.DictField(child=serializers.JSONField(), required=False)
    reasons = serializers.DictField(
        child=serializers.CharField(allow_blank=True, validators=[validate_no_cpr]),
        required=False,
        help_text="The written reason for the score of each criterion: {criterion name: text}. Required for "
        "every criterion, unless conflict_of_interest.",
    )
    # Checked with the scores in services.save_review, so that one answer names every problem.
    recommendation = serializers.CharField(required=False, allow_blank=True)
    amount = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        required=False,
        allow_null=True,
        coerce_to_string=True,
        help_text="DKK. Required with the recommendation `grant` (at most what was applied for and the pool's "
        "maximum grant), and only with it.",
    )
    weighted_total = serializers.DecimalField(max_digits=4, decimal_places=2, read_only=True, allow_null=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "reviewer",
            "scores",
            "reasons",
            "recommendation",
            "amount",
            "comment",
            "conflict_of_interest",
            "weighted_total",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def validate_scores(self, value: dict[str, Any]) -> dict[str, Any]:
        """A criterion's name is text that can be stored and named in an answer: no lone
        surrogate (JSON's "\\udc80"), which UTF-8 cannot carry, and no NUL, which PostgreSQL
        cannot store."""
        for key in value:
            if not _criterion_name(key):
                raise serializers.ValidationError(_("A score is keyed by the name of a criterion of the pool."))
        return value

    def validate_reasons(self, value: dict[str, Any]) -> dict[str, Any]:
        for key in value:
            if not _criterion_name(key):
                raise serializers.ValidationError(_("A reason is keyed by the name of a criterion of the pool."))
        return value


def _criterion_name(key: Any) -> bool:
    return isinstance(key, str) and "\x00" not in key and _utf8(key)


class AssignmentSerializer(ParseOnly, serializers.ModelSerializer):
    """A reviewer assigned to the application, named by username."""

    reviewer = serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.all(),
        error_messages={"does_not_exist": _("No one has the username {value}.")},
    )
    reviewer_name = serializers.SerializerMethodField()
    assigned_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Assignment
        fields = ["id", "reviewer", "reviewer_name", "assigned_by", "assigned_at"]
        read_only_fields = ["assigned_at"]

    def get_reviewer_name(self, assignment: Assignment) -> str:
        return display_name(assignment.reviewer)


class ReviewerLoadSerializer(serializers.Serializer):
    """A SIRI reviewer and their workload: the applications under review assigned to them."""

    username = serializers.CharField()
    name = serializers.SerializerMethodField()
    role = serializers.CharField(source="profile.role")
    load = serializers.IntegerField(help_text="Applications under review (submitted or politically approved) assigned")

    def get_name(self, user: Any) -> str:
        return display_name(user)


class RankedApplicationSerializer(serializers.Serializer):
    """One application of a pool's round, in rank order."""

    rank = serializers.IntegerField()
    id = serializers.IntegerField()
    journal_number = serializers.CharField()
    title = serializers.CharField()
    lead_municipality = serializers.CharField(source="lead_municipality.code")
    state = serializers.CharField()
    weighted_score = serializers.DecimalField(
        source="score",
        max_digits=4,
        decimal_places=2,
        allow_null=True,
        coerce_to_string=True,
        help_text="The weighted average of the counting reviews' scores (1–5); null when not yet assessed",
    )
    reviews = serializers.IntegerField(
        source="reviews_counting", help_text="Counting reviews (a declared conflict does not count)"
    )
    recommend_grant = serializers.IntegerField()
    recommend_reject = serializers.IntegerField()
    recommend_revise = serializers.IntegerField()
    recommended_amount = serializers.DecimalField(
        allow_null=True, help_text="The largest amount a review recommends granting", **MONEY
    )
    requested_total = serializers.DecimalField(**MONEY)
    running_total = serializers.DecimalField(
        help_text="What this application and every one ranked above it ask for", **MONEY
    )
    fits = serializers.BooleanField(help_text="Whether the running total is within what is left in the pool")


class RankingSerializer(serializers.Serializer):
    """A pool's round ranked by weighted score, against what is left in the pool."""

    pool = serializers.IntegerField(source="pool.pk")
    total_budget = serializers.DecimalField(source="pool.total_budget", **MONEY)
    granted_total = serializers.DecimalField(**MONEY)
    remaining_budget = serializers.DecimalField(**MONEY)
    applications = RankedApplicationSerializer(many=True, source="rows")


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class DeclarationSerializer(serializers.Serializer):
    """The grant-responsible person's declaration, which a submit carries: their name and title
    as the application gives them, and `declaration: true`. `services.submit` checks it."""

    declared_by_name = serializers.CharField(required=False, allow_blank=True, default="")
    declared_by_title = serializers.CharField(required=False, allow_blank=True, default="")
    declaration = serializers.BooleanField(required=False, default=False)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", validators=[validate_no_cpr])


class GrantRequestSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="DKK, a number or a decimal string")
    conditions = serializers.CharField(required=False, allow_blank=True, default="", validators=[validate_no_cpr])


class TransitionLogSerializer(serializers.ModelSerializer):
    by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = TransitionLog
        fields = ["transition", "source", "target", "by", "at", "reason"]
