"""`/grants/{id}/economics/`: a project's economics after the Gribskov model (monitoring.economics).

GET by whoever may see the grant: the inputs (their defaults until entered), the required ones
still missing, and the computed figures once they are all there. PUT sets every input (one left
out returns to its default), PATCH only those given; both by the project's municipality or a
SIRI pool admin. Every bad field is named at once in the 400.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from applications.models import Grant
from core.api import require

from .. import economics as e
from ..models import OutcomePoint
from ..progress import monitoring_queryset, read_project
from .serializers import COMPUTED, MONEY, TWO_PLACES

SOURCES = ", ".join([*OutcomePoint.values, e.ENTERED])


def _money(help_text: Any, **extra: Any) -> serializers.DecimalField:
    return serializers.DecimalField(
        **MONEY, required=False, allow_null=True, validators=e.INPUT_VALIDATORS["net_support_cost"],
        help_text=help_text, **extra,
    )  # fmt: skip


def _rate(help_text: Any, validators: list[Any], *, allow_null: bool) -> serializers.DecimalField:
    return serializers.DecimalField(
        **TWO_PLACES, required=False, allow_null=allow_null, validators=validators, help_text=help_text
    )


class EconomicsInputSerializer(serializers.Serializer):
    """The inputs, per person and month in kroner; rates in percent (0–100)."""

    effect = _rate(
        _("The self-sufficiency effect in percent, used beside the effects the outcomes give."),
        e.INPUT_VALIDATORS["effect"],
        allow_null=True,
    )
    net_support_cost = _money(_("Net support cost (nettoudgifter til forsørgelse), e.g. 8054."))
    activation_cost = _money(_("Activation cost (udgift til aktivering), e.g. 5417."))
    activation_months = serializers.IntegerField(
        required=False,
        validators=e.INPUT_VALIDATORS["activation_months"],
        help_text=_("Months of activation the activation cost is paid for (1–120; 12 by default)."),
    )
    refund_without = _rate(
        _("State refund without activation, percent (35 by default)."),
        e.INPUT_VALIDATORS["refund_without"],
        allow_null=False,
    )
    refund_with = _rate(
        _("State refund with activation, percent (65 by default)."),
        e.INPUT_VALIDATORS["refund_with"],
        allow_null=False,
    )
    tax_income = _money(_("Tax income from a person in work (skatteindtægter ved arbejde), e.g. 5130."))
    stated_net_gain = _money(
        _(
            "The municipality's net gain from a person in work, when stated; empty: computed as the "
            "municipal support cost with activation plus the tax income."
        )
    )


class EconomicsSituationSerializer(serializers.Serializer):
    refund_rate = serializers.DecimalField(**COMPUTED)
    activation_cost = serializers.DecimalField(**MONEY, read_only=True)
    state_refund = serializers.DecimalField(**MONEY, read_only=True)
    municipal_support_cost = serializers.DecimalField(**MONEY, read_only=True)
    net_gain = serializers.DecimalField(**MONEY, read_only=True)


class EconomicsEffectSerializer(serializers.Serializer):
    source = serializers.CharField(read_only=True, help_text=_("One of: %(codes)s.") % {"codes": SOURCES})
    participants = serializers.IntegerField(read_only=True, allow_null=True)
    employed = serializers.IntegerField(read_only=True, allow_null=True)
    effect = serializers.DecimalField(source="percent", **COMPUTED, help_text=_("Percent, to one decimal."))
    months = serializers.DecimalField(
        **COMPUTED, help_text=_("Months until the municipality's activation cost is neutralised; null: never.")
    )


class EconomicsComputedSerializer(serializers.Serializer):
    without_activation = EconomicsSituationSerializer(read_only=True)
    with_activation = EconomicsSituationSerializer(read_only=True)
    computed_net_gain = serializers.DecimalField(**MONEY, read_only=True)
    net_gain_stated = serializers.BooleanField(read_only=True)
    effects = EconomicsEffectSerializer(many=True, read_only=True)
    shown = serializers.SerializerMethodField(help_text=_("The source of the effect a summary names."))

    def get_shown(self, economics: e.Economics) -> str | None:
        return economics.shown.source if economics.shown else None


class EconomicsSerializer(EconomicsInputSerializer):
    grant = serializers.IntegerField(read_only=True)
    missing = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=_("The inputs still needed before anything is computed."),
    )
    computed = EconomicsComputedSerializer(read_only=True, allow_null=True)


class EconomicsView(APIView):
    """A project's economics: the months until the activation cost is neutralised."""

    def _grant(self, request: Request, pk: int) -> Grant:
        return get_object_or_404(Grant.objects.visible_to(request.user), pk=pk)

    def _respond(self, request: Request, grant: Grant) -> Response:
        reading = read_project(monitoring_queryset(Grant.objects.filter(pk=grant.pk)).get())
        economics = e.read_economics(grant, reading.outcomes)
        body = {**economics.values, "grant": grant.pk, "missing": economics.missing, "computed": economics.economics}
        return Response(EconomicsSerializer(body).data)

    @extend_schema(responses=EconomicsSerializer)
    def get(self, request: Request, pk: int) -> Response:
        grant = self._grant(request, pk)
        require(request, "monitoring.view_grant", grant)
        return self._respond(request, grant)

    def _write(self, request: Request, pk: int, *, partial: bool) -> Response:
        grant = self._grant(request, pk)
        require(request, e.CHANGE_ECONOMICS, grant)
        body = EconomicsInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data) if partial else {**e.DEFAULTS, **body.validated_data}
        e.save_economics(grant.pk, request.user, values)
        return self._respond(request, grant)

    @extend_schema(request=EconomicsInputSerializer, responses=EconomicsSerializer)
    def put(self, request: Request, pk: int) -> Response:
        """Set every input; one left out returns to its default (empty, or 35 %, 65 %, 12 months)."""
        return self._write(request, pk, partial=False)

    @extend_schema(request=EconomicsInputSerializer, responses=EconomicsSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        """Set the inputs given; the others keep their values."""
        return self._write(request, pk, partial=True)
