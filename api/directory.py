"""The directory, read-only: countries, agencies, focal points, joint operations, operations.

Scoped by ``countries.access``: the reference data (everything but focal points) for anyone
with a membership; focal points, who are people with contact details, for their own countries
(and for co-chairs, the secretariat and administrators). Changes stay in the administration.
"""
from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import serializers, viewsets

from countries import access
from countries.models import Agency, Country, FocalPoint
from operations.models import JointOperation, Operation, Participation

from . import filters
from .base import ApiViewMixin

# ---------------------------------------------------------------------------------------------
# Serializers
# ---------------------------------------------------------------------------------------------


class CountryCode(serializers.SlugRelatedField):
    """A country as its code (ISO 3166-1 alpha-3 for a state), read-only."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", read_only=True, **kwargs)


@extend_schema_serializer(examples=[OpenApiExample(
    "Thailand", response_only=True,
    value={"code": "THA", "name": "Thailand", "kind": "state", "time_zone": "Asia/Bangkok"})])
class CountrySerializer(serializers.ModelSerializer):
    class Meta:
        model = Country
        fields = ["code", "name", "kind", "time_zone"]


@extend_schema_serializer(examples=[OpenApiExample(
    "Royal Thai Police", response_only=True,
    value={"id": 27, "country": "THA", "name": "Royal Thai Police", "acronym": "RTP",
           "kind": "police"})])
class AgencySerializer(serializers.ModelSerializer):
    country = CountryCode()

    class Meta:
        model = Agency
        fields = ["id", "country", "name", "acronym", "kind"]


@extend_schema_serializer(examples=[OpenApiExample(
    "National focal point", response_only=True,
    value={"id": 3, "country": "THA", "agency": 27, "full_name": "National focal point, Thailand",
           "title": "Focal point, RTP", "email": "focal.tha@example.org", "phone": "",
           "kind": "national", "served_from": "2015-09-01", "served_until": None})])
class FocalPointSerializer(serializers.ModelSerializer):
    country = CountryCode()

    class Meta:
        model = FocalPoint
        fields = ["id", "country", "agency", "full_name", "title", "email", "phone", "kind",
                  "served_from", "served_until"]


class ParticipationSerializer(serializers.ModelSerializer):
    country = CountryCode()
    country_name = serializers.CharField(source="country.name", read_only=True)

    class Meta:
        model = Participation
        fields = ["country", "country_name", "status", "attended_debrief"]


@extend_schema_serializer(examples=[OpenApiExample(
    "JPoA 2015", response_only=True,
    value={"slug": "jpoa-2015", "name": "Joint Period of Action 2015",
           "starts_on": "2015-09-28", "ends_on": "2015-10-28", "returns_due_on": "2015-11-18",
           "status": "debrief",
           "description": "", "co_chairs": ["NZL", "LKA"],
           "participants": [{"country": "THA", "country_name": "Thailand", "status": "took_part",
                             "attended_debrief": True}]})])
class JointOperationSerializer(serializers.ModelSerializer):
    participants = ParticipationSerializer(source="participations", many=True, read_only=True)
    co_chairs = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = JointOperation
        fields = ["slug", "name", "starts_on", "ends_on", "returns_due_on", "status",
                  "description", "co_chairs", "participants"]


@extend_schema_serializer(examples=[OpenApiExample(
    "Thailand's operation", response_only=True,
    value={"id": 8, "joint_operation": "jpoa-2015", "country": "THA", "name": "Operation in Thailand",
           "lead_agency": 27, "agencies": [28, 29], "crime_types": ["trafficking", "smuggling"],
           "sectors": ["fishing", "domestic_work"]})])
class OperationSerializer(serializers.ModelSerializer):
    joint_operation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    country = CountryCode()
    agencies = serializers.PrimaryKeyRelatedField(many=True, read_only=True,
                                                  help_text="Ids of the other agencies.")
    crime_types = serializers.ListField(child=serializers.CharField(), read_only=True)
    sectors = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Operation
        fields = ["id", "joint_operation", "country", "name", "lead_agency", "agencies",
                  "crime_types", "sectors"]


# ---------------------------------------------------------------------------------------------
# Views
# ---------------------------------------------------------------------------------------------


class _DirectoryViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    visible = staticmethod(access.reference_data_visible)
    base_queryset = None

    def get_queryset(self):
        return self.visible(self.request.user, self.base_queryset.all())


@extend_schema_view(
    list=extend_schema(summary="Countries and organisations"),
    retrieve=extend_schema(summary="One country or organisation, by code"),
)
class CountryViewSet(_DirectoryViewSet):
    """The countries and international organisations (INTERPOL) the portal knows."""

    base_queryset = Country.objects.all()
    serializer_class = CountrySerializer
    lookup_field = "code"
    filterset_class = filters.CountryFilter
    ordering_fields = ["name", "code"]
    ordering = ["name"]


@extend_schema_view(
    list=extend_schema(summary="Agencies"),
    retrieve=extend_schema(summary="One agency"),
)
class AgencyViewSet(_DirectoryViewSet):
    """Every participating agency, with its country: the ids record entry takes."""

    base_queryset = Agency.objects.select_related("country")
    serializer_class = AgencySerializer
    filterset_class = filters.AgencyFilter
    ordering_fields = ["name", "acronym"]
    ordering = ["country__name", "name"]


@extend_schema_view(
    list=extend_schema(summary="Focal points"),
    retrieve=extend_schema(summary="One focal point"),
)
class FocalPointViewSet(_DirectoryViewSet):
    """Named contacts of a country or agency, with the dates they served."""

    visible = staticmethod(access.focal_points_visible)
    base_queryset = FocalPoint.objects.select_related("country")
    serializer_class = FocalPointSerializer
    filterset_class = filters.FocalPointFilter
    ordering_fields = ["full_name", "served_from"]
    ordering = ["country__name", "-served_from"]


@extend_schema_view(
    list=extend_schema(summary="Joint operations, with their participants"),
    retrieve=extend_schema(summary="One joint operation, by slug"),
)
class JointOperationViewSet(_DirectoryViewSet):
    """Joint Periods of Action: period, status, co-chairs and how each country took part."""

    base_queryset = JointOperation.objects.prefetch_related(
        "co_chairs",
        Prefetch("participations",
                 queryset=Participation.objects.select_related("country").order_by("country__name")),
    )
    serializer_class = JointOperationSerializer
    lookup_field = "slug"
    filterset_class = filters.JointOperationFilter
    ordering_fields = ["starts_on", "name"]
    ordering = ["-starts_on"]


@extend_schema_view(
    list=extend_schema(summary="Country operations"),
    retrieve=extend_schema(summary="One country operation"),
)
class OperationViewSet(_DirectoryViewSet):
    """Each country's operation inside a joint operation: lead agency, agencies, sectors."""

    base_queryset = Operation.objects.select_related("joint_operation", "country").prefetch_related(
        "agencies")
    serializer_class = OperationSerializer
    filterset_class = filters.OperationFilter
    ordering_fields = ["name"]
    ordering = ["joint_operation__starts_on", "country__name"]
