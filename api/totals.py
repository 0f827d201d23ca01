"""Totals: the roll-up's figures (``reporting.CountryTotal``), named by the metric registry.

Aggregates cross borders, records do not: everyone with a membership reads the regional
figures, each country's totals, and the regional breakdowns (by sector, week...). A single
country's breakdown is for its own people and for those who follow every country (co-chairs,
the secretariat, administrators), as on the dashboard.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import exceptions, permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from countries import access
from countries.models import Country
from operations.models import CountryReturn, JointOperation
from operations.selectors import joint_operation_current
from reporting import policies as reporting_policies
from reporting import totals as figures
from reporting.metrics import DIMENSIONS, METRICS, METRICS_BY_KEY, Dimension, Metric

from .base import ApiViewMixin
from .fields import CountryCodes, QuerySerializer
from .permissions import allows


class TotalsQuerySerializer(QuerySerializer):
    joint_operation = serializers.SlugRelatedField(
        slug_field="slug", queryset=JointOperation.objects.all(), required=False,
        help_text="Slug of the joint operation; the current one when left out.")
    country = CountryCodes(
        required=False, error_messages={
            "does_not_exist": gettext_lazy("No country or organisation has this code.")},
        help_text="One country's figures (its code, e.g. THA); the whole region when left out.")
    metric = serializers.ChoiceField(
        choices=[(m.key, str(m.label)) for m in METRICS], required=False,
        help_text="One figure; every figure of the registry when left out.")
    dimension = serializers.ChoiceField(
        choices=[(d.key, str(d.label)) for d in DIMENSIONS.values()], required=False,
        help_text="Break the figures down (by sector, week...); totals when left out. Only "
                  "figures recorded with that dimension are listed.")
    by_country = serializers.BooleanField(
        required=False, default=False,
        help_text="One row per country (and member) instead of the region's sum.")

    def validate(self, attrs):
        metric, dimension = attrs.get("metric"), attrs.get("dimension")
        if metric and dimension and DIMENSIONS[dimension] not in METRICS_BY_KEY[metric].dimensions:
            by = ", ".join(d.key for d in METRICS_BY_KEY[metric].dimensions if d.key in DIMENSIONS)
            raise serializers.ValidationError({"dimension": [_(
                "%(metric)s is not broken down by %(dimension)s; it is by: %(by)s.") % {
                "metric": metric, "dimension": dimension, "by": by}]})
        return attrs


class TotalRowSerializer(serializers.Serializer):
    country = serializers.CharField(allow_null=True, help_text="Null: the region's sum.")
    metric = serializers.CharField()
    metric_label = serializers.CharField()
    dimension = serializers.CharField(help_text="Empty for the figure's total.")
    member = serializers.CharField(
        help_text="The dimension's member (a sector, the Monday of a week...); empty for the "
                  "total, and for records that did not record the dimension.")
    member_label = serializers.CharField()
    value = serializers.IntegerField(help_text="Everything entered (provisional).")
    accepted_value = serializers.IntegerField(
        help_text="Only countries whose return the secretariat accepted.")


class TotalsCountrySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    return_state = serializers.ChoiceField(choices=CountryReturn.State.choices)


class TotalsSerializer(serializers.Serializer):
    joint_operation = serializers.CharField()
    country = serializers.CharField(allow_null=True)
    dimension = serializers.CharField()
    by_country = serializers.BooleanField()
    last_updated = serializers.DateTimeField(
        allow_null=True, help_text="When the roll-up last finished; null if it never ran.")
    pending_countries = serializers.ListField(
        child=serializers.CharField(),
        help_text="Countries whose records changed and whose totals are being redone.")
    countries = TotalsCountrySerializer(many=True, help_text="The countries summed up.")
    results = TotalRowSerializer(many=True)


# ---------------------------------------------------------------------------------------------
# Shaping the roll-up's rows
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TotalsRequest:
    joint_operation: JointOperation
    country: Country | None
    metrics: list[Metric]
    dimension: Dimension | None
    by_country: bool


def _members(dimension: Dimension | None, found: set[str]) -> list[tuple[str, str]]:
    """(member, label): the dimension's fixed members, then any other member in the totals."""
    if dimension is None:
        return [("", _("Total"))]
    fixed = [(member, str(label)) for member, label in dimension.choices]
    known = {member for member, _label in fixed}
    others = sorted(found - known)
    return fixed + [(member, member or _("Not recorded")) for member in others]


def _check_breakdown(user, asked: TotalsRequest, country_ids: list[int]) -> None:
    """A rule on the query's parameters (who sees the region's figures at all is the view's
    permission class): a breakdown by a dimension only of the countries the user may break down."""
    if asked.dimension is None:
        return  # totals per country are not a breakdown: open to every member
    breakdowns = [asked.country.pk] if asked.country else (country_ids if asked.by_country else [])
    if not reporting_policies.can_break_down(user, breakdowns):
        raise exceptions.PermissionDenied(_(
            "You may break down only your own country's figures. Ask for the region's "
            "breakdown (leave out country and by_country), or for totals without a dimension."))


def totals(*, user, asked: TotalsRequest) -> dict:
    """The figures asked for, as rows; a constant number of queries whatever the data."""
    joint_operation = asked.joint_operation
    read = figures.joint_operation_totals(joint_operation)
    countries = read.countries
    _check_breakdown(user, asked, [c.pk for c in countries])
    if asked.country is not None:
        countries = [c for c in countries if c.pk == asked.country.pk]
    accepted = read.accepted_ids
    key = asked.dimension.key if asked.dimension else ""
    metrics = [m for m in asked.metrics if asked.dimension is None or asked.dimension in m.dimensions]
    found = {member for (_country, _metric, dimension, member) in read.rows if dimension == key}
    units = [[c] for c in countries] if asked.by_country else [countries]
    rows = []
    for unit in units:
        for metric in metrics:
            for member, label in _members(asked.dimension, found):
                rows.append({
                    "country": (unit[0].code if asked.by_country
                                else asked.country.code if asked.country else None),
                    "metric": metric.key, "metric_label": str(metric.label),
                    "dimension": key, "member": member, "member_label": label,
                    "value": read.total(metric, [c.pk for c in unit], key, member),
                    "accepted_value": read.total(
                        metric, [c.pk for c in unit if c.pk in accepted], key, member),
                })
    state = read.rollup
    codes = {c.pk: c.code for c in countries}
    return {
        "joint_operation": joint_operation.slug,
        "country": asked.country.code if asked.country else None,
        "dimension": key,
        "by_country": asked.by_country,
        "last_updated": state.last_updated,
        "pending_countries": sorted(codes[pk] for pk in state.pending_country_ids if pk in codes),
        "countries": [{"code": c.code, "name": c.name,
                       "return_state": read.return_state(c.pk)}
                      for c in countries],
        "results": rows,
    }


EXAMPLE = {
    "joint_operation": "jpoa-2015", "country": None, "dimension": "", "by_country": False,
    "last_updated": "2015-11-25T01:30:12Z", "pending_countries": [],
    "countries": [{"code": "THA", "name": "Thailand", "return_state": "open"}],
    "results": [{"country": None, "metric": "arrests", "metric_label": "Arrests",
                 "dimension": "", "member": "", "member_label": "Total", "value": 32,
                 "accepted_value": 18}],
}


class TotalsView(ApiViewMixin, APIView):
    """The paragraph-8 figures and the registry's others, for the region or a country."""
    permission_classes = [permissions.IsAuthenticated, allows(
        access.can_view_regional_totals,
        message=gettext_lazy("You have no role in the portal yet, so no figures."))]

    @extend_schema(
        summary="Totals by joint operation, country and dimension",
        parameters=[TotalsQuerySerializer], responses={200: TotalsSerializer},
        examples=[OpenApiExample("Regional arrests", value=EXAMPLE, response_only=True)],
        tags=["totals"],
        description=(
            "From the roll-up (`CountryTotal`), never the records: `last_updated` says when it "
            "last ran and `pending_countries` which countries are being redone. Metrics and "
            "dimensions are the metric registry's; `value` counts everything entered, "
            "`accepted_value` only accepted returns."),
    )
    def get(self, request, *args, **kwargs):
        query = TotalsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        joint_operation = data.get("joint_operation") or joint_operation_current()
        if joint_operation is None:
            raise exceptions.NotFound(_("There is no joint operation yet."))
        asked = TotalsRequest(
            joint_operation=joint_operation,
            country=data.get("country"),
            metrics=[METRICS_BY_KEY[data["metric"]]] if data.get("metric") else list(METRICS),
            dimension=DIMENSIONS[data["dimension"]] if data.get("dimension") else None,
            by_country=data["by_country"],
        )
        return Response(TotalsSerializer(totals(user=request.user, asked=asked)).data)
