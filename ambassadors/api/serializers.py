"""The ambassador network's API bodies. Field-level checks that need the domain (the project's
goals, the ambassador role, the municipality's grants) run in `validate_<field>` so that one 400
names every problem; the services then check what needs the lock (the quarter, the state)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from applications.api.serializers import MunicipalityCodeField
from applications.models import Grant, Municipality
from core.api import flat_messages
from core.roles import Role
from core.validators import validate_no_cpr

from .. import services
from ..models import (
    COUNT_FIELDS,
    Ambassador,
    AmbassadorReport,
    BestPractice,
    FocusArea,
    NetworkMeeting,
    PracticeAttachment,
    Theme,
)
from ..views.common import late_quarter

# The database columns of the counts are 32-bit; a larger number is the client's mistake, not a 500.
MAX_COUNT = 2_147_483_647


def check(serializer: serializers.Serializer) -> dict[str, Any]:
    """The validated data, or a 400 naming every problem (in the contract's shape: core.api)."""
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# Ambassadors -------------------------------------------------------------------------------------


class ReportPeriodSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    quarter = serializers.IntegerField()
    state = serializers.CharField()


class AmbassadorSerializer(serializers.ModelSerializer):
    """An ambassador; `last_report` and `late` read the handed-in reports the view prefetches.
    It reads and checks a body; `services.register_ambassador`/`update_ambassador` write it."""

    user = serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.select_related("profile"),
        help_text="The username of an existing user with the ambassador role.",
    )
    name = serializers.SerializerMethodField()
    municipality = MunicipalityCodeField()
    grant = serializers.PrimaryKeyRelatedField(
        queryset=Grant.objects.select_related("application"),
        help_text="The id of a grant (the granted project) of that municipality.",
    )
    focus_areas = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="Codes: " + ", ".join(FocusArea.values),
    )
    last_report = serializers.SerializerMethodField()
    late = serializers.SerializerMethodField()

    class Meta:
        model = Ambassador
        fields = [
            "id",
            "user",
            "name",
            "municipality",
            "grant",
            "started_on",
            "focus_areas",
            "phone",
            "email",
            "active",
            "last_report",
            "late",
        ]

    def get_name(self, ambassador: Ambassador) -> str:
        return str(ambassador)

    def _handed_in(self, ambassador: Ambassador) -> list[AmbassadorReport]:
        reports = getattr(ambassador, "handed_in", None)
        if reports is None:  # not prefetched: a single object outside the list
            reports = list(ambassador.reports.handed_in().order_by("year", "quarter", "id"))
        return reports

    @extend_schema_field(ReportPeriodSerializer(allow_null=True))
    def get_last_report(self, ambassador: Ambassador) -> dict[str, Any] | None:
        # Only what was handed in: a draft never handed in is the ambassador's own business.
        reports = self._handed_in(ambassador)
        if not reports:
            return None
        last = reports[-1]
        return {"year": last.year, "quarter": last.quarter, "state": last.state}

    def get_late(self, ambassador: Ambassador) -> bool:
        return late_quarter(ambassador, self._handed_in(ambassador), timezone.localdate()) is not None

    def validate_user(self, user: Any) -> Any:
        profile = getattr(user, "profile", None)
        problems = []
        if profile is None or profile.role != Role.AMBASSADOR:
            problems.append(_("%(user)s does not have the ambassador role.") % {"user": user.get_username()})
        others = Ambassador.objects.filter(user=user)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            problems.append(_("%(user)s is an ambassador already.") % {"user": user.get_username()})
        if problems:
            raise serializers.ValidationError(problems)
        return user

    def validate_focus_areas(self, codes: list[str]) -> list[str]:
        unknown = [code for code in codes if code not in FocusArea.values]
        if unknown:
            raise serializers.ValidationError(
                _("Unknown focus areas: %(unknown)s. Choose from: %(codes)s.")
                % {"unknown": ", ".join(unknown), "codes": ", ".join(FocusArea.values)}
            )
        return sorted(set(codes), key=FocusArea.values.index)

    @staticmethod
    def _grant_problem(grant: Grant, municipality: Municipality | None) -> str | None:
        if municipality is None:
            return None
        application = grant.application
        ours = application.lead_municipality_id == municipality.pk or (
            application.partner_municipalities.filter(pk=municipality.pk).exists()
        )
        if ours:
            return None
        return _("Grant %(grant)s is not a project of %(municipality)s.") % {
            "grant": grant.pk,
            "municipality": municipality.name,
        }

    def validate_grant(self, grant: Grant) -> Grant:
        # Checked here rather than in validate(), which only runs once every field is right:
        # the answer names a wrong grant together with the other problems.
        problem = self._grant_problem(grant, self._municipality_asked())
        if problem:
            raise serializers.ValidationError(problem)
        return grant

    def _municipality_asked(self) -> Municipality | None:
        """The municipality the ambassador will have: the one sent if it is valid, else the
        current one (None when the one sent is invalid: that is its own problem)."""
        data = getattr(self, "initial_data", {})
        if isinstance(data, dict) and "municipality" in data:
            try:
                return self.fields["municipality"].to_internal_value(data["municipality"])
            except serializers.ValidationError:
                return None
        return getattr(self.instance, "municipality", None)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # A new municipality without a new grant: the current grant must be of it too.
        if self.instance is not None and "municipality" in attrs and "grant" not in attrs:
            problem = self._grant_problem(self.instance.grant, attrs["municipality"])
            if problem:
                raise serializers.ValidationError({"grant": [problem]})
        return attrs


# Ambassador reports ------------------------------------------------------------------------------


class ContributionSerializer(serializers.Serializer):
    goal = serializers.IntegerField(source="goal_id", help_text="The id of a goal of the ambassador's project.")
    value = serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=True)
    comment = serializers.CharField(required=False, allow_blank=True, default="", validators=[validate_no_cpr])


class ContributionsField(serializers.ListField):
    """`[{"goal", "value", "comment"}]`, read and written nested. Every row is parsed and then
    checked against the project's goals, so that all the rows' problems come in one answer."""

    child = ContributionSerializer()

    def to_representation(self, data: Any) -> list[dict[str, Any]]:
        rows = data.all() if hasattr(data, "all") else data
        return [ContributionSerializer(row).data for row in rows]

    def to_internal_value(self, data: Any) -> list[dict[str, Any]]:
        if not isinstance(data, list):
            raise serializers.ValidationError(_("Give the contributions as a list of {goal, value, comment}."))
        rows: list[dict[str, Any]] = []
        problems: list[str] = []
        for number, raw in enumerate(data, 1):
            row = ContributionSerializer(data=raw)
            if row.is_valid():
                values = dict(row.validated_data)
                rows.append({"goal": values.pop("goal_id"), **values})
            else:
                problems.extend(flat_messages(row.errors, [str(_("Row %(number)s") % {"number": number})]))
        ambassador = self.parent.context.get("ambassador") if self.parent is not None else None
        if ambassador is not None:
            found = services.report_problems(ambassador, {"contributions": rows}).get("contributions", [])
            problems.extend(str(message) for message in found)
        if problems:
            raise serializers.ValidationError(problems)
        return rows


def _count_field() -> serializers.IntegerField:
    return serializers.IntegerField(min_value=0, max_value=MAX_COUNT, required=False)


class AmbassadorReportSerializer(serializers.ModelSerializer):
    """A quarterly ambassador report. Written through ambassadors.services; the view passes the
    ambassador in the context for the check of the contributions."""

    year = serializers.IntegerField(min_value=2000, max_value=2100)
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    company_contacts = _count_field()
    new_partnerships = _count_field()
    matches_internship = _count_field()
    matches_wage_subsidy = _count_field()
    matches_igu = _count_field()
    matches_ordinary_job = _count_field()
    meetings_attended = _count_field()
    knowledge_sharing = _count_field()
    matches = serializers.IntegerField(read_only=True, help_text="The four kinds of matches together.")
    contributions = ContributionsField(required=False)

    class Meta:
        model = AmbassadorReport
        fields = [
            "id",
            "ambassador",
            "year",
            "quarter",
            "state",
            *COUNT_FIELDS,
            "matches",
            "best_practices",
            "obstacles",
            "narrative",
            "contributions",
            "returned_reason",
            "submitted_at",
            "first_submitted_at",
        ]
        read_only_fields = ["ambassador", "state", "returned_reason", "submitted_at", "first_submitted_at"]

    def service_data(self) -> dict[str, Any]:
        return dict(self.validated_data)


class ReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Required: the ambassador sees it.",
        validators=[validate_no_cpr],
    )


# The best-practice catalogue ---------------------------------------------------------------------


class PracticeMunicipalitySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class PracticeContactSerializer(serializers.Serializer):
    """A professional contact of an entry (municipal staff the catalogue asks readers to call)."""

    name = serializers.CharField(max_length=200, validators=[validate_no_cpr])
    role = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", validators=[validate_no_cpr]
    )
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")


class PracticeAttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    size = serializers.IntegerField(help_text="In bytes.")
    description = serializers.CharField()
    url = serializers.SerializerMethodField(help_text="The permission-checked download of the PDF.")

    def get_url(self, attachment: PracticeAttachment) -> str:
        path = reverse("ambassadors:practice_attachment", args=[attachment.practice_id, attachment.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class ChoiceLabelField(serializers.CharField):
    """The label of a choice (`get_<field>_display()`), called directly: as a `source`, DRF
    inspects the method's signature for every row (some 3 ms of a list of 50)."""

    def __init__(self, choice: str, **kwargs: Any) -> None:
        self.choice = choice
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance: Any) -> Any:
        return getattr(instance, f"get_{self.choice}_display")()


def _first_contact(name: str) -> Any:
    @extend_schema_field(serializers.CharField())
    def get(self: Any, practice: BestPractice) -> str:
        contact = practice.first_contact
        return getattr(contact, name) if contact is not None else ""

    return get


class BestPracticeSerializer(serializers.ModelSerializer):
    """An entry as it is read. `municipality` is the municipality leading the entry,
    `municipalities` every municipality of it (the lead first); `contact_name` etc. are the first
    of `contacts`. `rank`, `title_highlighted` and `snippet` come only with ?search= (the view
    sets them from the search's hits); they are optional in the schema."""

    municipality = serializers.CharField(source="municipality.code", read_only=True)
    municipality_name = serializers.CharField(source="municipality.name", read_only=True)
    municipalities = serializers.SerializerMethodField()
    theme_label = ChoiceLabelField("theme")
    contact_name = serializers.SerializerMethodField()
    contact_role = serializers.SerializerMethodField()
    contact_email = serializers.SerializerMethodField()
    contact_phone = serializers.SerializerMethodField()
    contacts = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    source_reports = serializers.SerializerMethodField()
    # Not read-only, so that the schema marks them optional; this serializer never reads a body.
    rank = serializers.FloatField(required=False, help_text="Only with ?search=: the higher, the better the match.")
    title_highlighted = serializers.CharField(
        required=False, help_text="Only with ?search=: the title as escaped HTML with <mark> around the matches."
    )
    snippet = serializers.CharField(
        required=False, help_text="Only with ?search=: a piece of the summary as escaped HTML with <mark>."
    )

    class Meta:
        model = BestPractice
        fields = [
            "id",
            "title",
            "municipality",
            "municipality_name",
            "municipalities",
            "theme",
            "theme_label",
            "summary",
            "contact_name",
            "contact_role",
            "contact_email",
            "contact_phone",
            "contacts",
            "tags",
            "source",
            "source_url",
            "attachments",
            "state",
            "source_reports",
            "rank",
            "title_highlighted",
            "snippet",
        ]
        read_only_fields = [name for name in fields if name not in ("rank", "title_highlighted", "snippet")]

    get_contact_name = _first_contact("name")
    get_contact_role = _first_contact("role")
    get_contact_email = _first_contact("email")
    get_contact_phone = _first_contact("phone")

    @extend_schema_field(PracticeMunicipalitySerializer(many=True))
    def get_municipalities(self, practice: BestPractice) -> list[dict[str, str]]:
        return [{"code": m.code, "name": m.name} for m in practice.all_municipalities]

    @extend_schema_field(PracticeContactSerializer(many=True))
    def get_contacts(self, practice: BestPractice) -> list[dict[str, str]]:
        return [{"name": c.name, "role": c.role, "email": c.email, "phone": c.phone} for c in practice.contacts.all()]

    @extend_schema_field(PracticeAttachmentSerializer(many=True))
    def get_attachments(self, practice: BestPractice) -> list[dict[str, Any]]:
        # One serializer for every entry of a list, not one made (its fields copied) per entry.
        attachment = self.__dict__.get("_attachment")
        if attachment is None:
            attachment = self._attachment = PracticeAttachmentSerializer(context=self.context)
        return [attachment.to_representation(row) for row in practice.attachments.all()]

    def get_source_reports(self, practice: BestPractice) -> list[int]:
        # The view prefetches the sources the reader may see; ids of the others are not theirs.
        sources = getattr(practice, "visible_sources", None)
        if sources is None:
            return []
        return [report.pk for report in sources]


class BestPracticeProposalSerializer(serializers.Serializer):
    municipality = MunicipalityCodeField(help_text="The code of the municipality that leads the entry.")
    municipalities = serializers.ListField(
        child=MunicipalityCodeField(),
        required=False,
        default=list,
        help_text="Codes of every municipality of the entry (e.g. 730, 706 and 707 for one they share); "
        "the lead is added if missing.",
    )
    theme = serializers.ChoiceField(
        choices=Theme.choices,
        error_messages={
            "invalid_choice": _("Choose one of the themes: %(themes)s.") % {"themes": ", ".join(Theme.values)}
        },
    )
    title = serializers.CharField(max_length=300, validators=[validate_no_cpr])
    summary = serializers.CharField(validators=[validate_no_cpr])
    contact_name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", validators=[validate_no_cpr]
    )
    contact_role = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", validators=[validate_no_cpr]
    )
    contact_email = serializers.EmailField(required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    contacts = PracticeContactSerializer(
        many=True,
        required=False,
        help_text="Every contact with their role, in order; when given, the single contact_* fields are ignored.",
    )
    tags = serializers.ListField(
        child=serializers.CharField(max_length=100, validators=[validate_no_cpr]), required=False, default=list
    )
    source = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default="", validators=[validate_no_cpr]
    )
    source_url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    source_reports = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=AmbassadorReport.objects.none(),
        required=False,
        help_text="Ids of handed-in ambassador reports you may see that the practice comes from.",
    )

    def __init__(self, *args: Any, reports: QuerySet[AmbassadorReport] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if reports is not None:
            self.fields["source_reports"].child_relation.queryset = reports


class PracticeAttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A PDF: a tool the entry mentions.")
    description = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", validators=[validate_no_cpr]
    )


# Network meetings --------------------------------------------------------------------------------


class NetworkMeetingSerializer(serializers.ModelSerializer):
    """A meeting as it is read; `i_attended` only for an ambassador."""

    attended = serializers.SerializerMethodField()
    # Not read-only, so that the schema marks it optional; this serializer never reads a body.
    i_attended = serializers.BooleanField(required=False, help_text="Only for an ambassador: whether you came.")

    class Meta:
        model = NetworkMeeting
        fields = ["id", "held_on", "place", "agenda", "minutes", "attended", "i_attended"]
        read_only_fields = ["id", "held_on", "place", "agenda", "minutes"]

    def get_attended(self, meeting: NetworkMeeting) -> list[int]:
        return [row.ambassador_id for row in meeting.present]

    def to_representation(self, meeting: NetworkMeeting) -> dict[str, Any]:
        data = super().to_representation(meeting)
        ambassador_id = self.context.get("ambassador_id")
        if ambassador_id is not None:
            data["i_attended"] = ambassador_id in data["attended"]
        return data


class NetworkMeetingWriteSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    place = serializers.CharField(max_length=200, validators=[validate_no_cpr])
    agenda = serializers.CharField(required=False, allow_blank=True, validators=[validate_no_cpr])
    minutes = serializers.CharField(required=False, allow_blank=True, validators=[validate_no_cpr])
    attended = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        help_text="Ids of the ambassadors who came; replaces the list.",
    )

    def validate_attended(self, ids: list[int]) -> list[int]:
        ids = list(dict.fromkeys(ids))
        known = set(Ambassador.objects.filter(pk__in=ids).values_list("pk", flat=True))
        unknown = [str(pk) for pk in ids if pk not in known]
        if unknown:
            raise serializers.ValidationError(_("Not ambassadors: %(ids)s.") % {"ids": ", ".join(unknown)})
        return ids
