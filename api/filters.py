"""Filters and sort orders of the API's lists (django-filter), always ending on the id."""
from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, filters

from countries.models import Agency, Country, FocalPoint
from operations import models as om
from operations.records import RecordKind

BOOLEAN_SPELLINGS = {"true", "false", "True", "False", "1", "0"}


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter, refusing what it would otherwise quietly ignore: a parameter sent twice,
    an empty value for a date, number, boolean or choice, and a boolean that is neither true
    nor false. The answer is 400 naming the parameter, as for any other invalid value."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            errors = {}
            for name, filter_ in filterset.filters.items():
                values = request.query_params.getlist(name)
                if len(values) > 1:
                    errors[name] = [_("Send this parameter once.")]
                elif not values:
                    continue
                elif isinstance(filter_, django_filters.BooleanFilter):
                    if values[0] not in BOOLEAN_SPELLINGS:
                        errors[name] = [_("Enter true or false.")]
                elif values[0] == "" and (isinstance(filter_, django_filters.ChoiceFilter)
                                          or not isinstance(filter_, django_filters.CharFilter)):
                    errors[name] = [_("Enter a value, or leave the parameter out.")]
            if errors:
                raise exceptions.ValidationError(errors)
        return filterset


class StableOrderingFilter(filters.OrderingFilter):
    """``?ordering=field,-other`` among the view's ``ordering_fields``, then by id, so that
    rows that tie never swap places between two pages."""

    def get_ordering(self, request, queryset, view):
        ordering = list(super().get_ordering(request, queryset, view) or [])
        if not any(term.lstrip("-") in ("pk", "id") for term in ordering):
            ordering.append("-pk" if ordering and ordering[0].startswith("-") else "pk")
        return ordering


@extend_schema_field(OpenApiTypes.INT)
class IntegerFilter(django_filters.NumberFilter):
    """An id: a whole number (NumberFilter would take 1.5 and match id 1)."""

    field_class = forms.IntegerField


class UtcDateTimeField(IsoDateTimeField):
    """An ISO 8601 time, turned into UTC here: PostgreSQL refuses offsets beyond ±15:59."""

    def clean(self, value):
        value = super().clean(value)
        if value is None:
            return None
        try:
            return value.astimezone(dt.UTC)
        except OverflowError as error:
            raise forms.ValidationError(_("Enter a time between the years 1 and 9999."),
                                        code="invalid") from error


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


class CodeFilter(django_filters.CharFilter):
    """A country code, in any letter case."""

    def filter(self, qs, value):
        return super().filter(qs, value.upper() if value else value)


# ---------------------------------------------------------------------------------------------
# The directory
# ---------------------------------------------------------------------------------------------


class CountryFilter(django_filters.FilterSet):
    class Meta:
        model = Country
        fields = ["kind"]


class AgencyFilter(django_filters.FilterSet):
    country = CodeFilter(field_name="country__code", help_text="Country code, e.g. THA.")

    class Meta:
        model = Agency
        fields = ["country", "kind"]


class FocalPointFilter(django_filters.FilterSet):
    country = CodeFilter(field_name="country__code", help_text="Country code, e.g. THA.")
    agency = IntegerFilter(field_name="agency_id", help_text="Agency id.")
    active = django_filters.BooleanFilter(
        method="filter_active", help_text="Serving today (true) or no longer serving (false).")

    class Meta:
        model = FocalPoint
        fields = ["country", "agency", "kind", "active"]

    def filter_active(self, queryset, name, value):
        today = timezone.localdate()
        serving = Q(served_from__lte=today) & (Q(served_until__isnull=True)
                                               | Q(served_until__gte=today))
        return queryset.filter(serving) if value else queryset.exclude(serving)


class JointOperationFilter(django_filters.FilterSet):
    class Meta:
        model = om.JointOperation
        fields = ["status"]


class OperationFilter(django_filters.FilterSet):
    joint_operation = django_filters.CharFilter(field_name="joint_operation__slug",
                                                help_text="Joint operation slug, e.g. jpoa-2015.")
    country = CodeFilter(field_name="country__code", help_text="Country code, e.g. THA.")

    class Meta:
        model = om.Operation
        fields = ["joint_operation", "country"]


# ---------------------------------------------------------------------------------------------
# Outcome records: dates, joint operation, country, agency, and each choice the type has
# ---------------------------------------------------------------------------------------------


class RecordFilter(django_filters.FilterSet):
    occurred_from = django_filters.DateFilter(
        field_name="occurred_on", lookup_expr="gte", help_text="On or after this date (YYYY-MM-DD).")
    occurred_to = django_filters.DateFilter(
        field_name="occurred_on", lookup_expr="lte", help_text="On or before this date (YYYY-MM-DD).")
    updated_since = UtcDateTimeFilter(
        field_name="updated_at", lookup_expr="gte",
        help_text="Entered or changed at or after this time (ISO 8601), to fetch only changes.")
    joint_operation = django_filters.CharFilter(
        field_name="operation__joint_operation__slug", help_text="Joint operation slug.")
    country = CodeFilter(field_name="country__code", help_text="Country code, e.g. THA.")
    agency = IntegerFilter(field_name="agency_id", help_text="Agency id.")


def record_filter_class(kind: RecordKind) -> type[RecordFilter]:
    """The list filters of one record type: the common ones, then every choice it records."""
    attrs: dict = {}
    for name in kind.entry_fields:
        field = kind.model._meta.get_field(name)
        if field.choices:
            attrs[name] = django_filters.ChoiceFilter(
                choices=field.choices, help_text=f"Only records of this {field.verbose_name}.")
    if kind.model is om.EnquiryRecord:
        attrs["counterpart"] = CodeFilter(field_name="counterpart__code",
                                          help_text="Code of the country the enquiry went to.")
        attrs["answered"] = django_filters.BooleanFilter(
            field_name="answered_on", lookup_expr="isnull", exclude=True,
            help_text="Answered (true) or still unanswered (false).")
    if kind.model is om.VictimAssistanceRecord:
        attrs["nationality"] = CodeFilter(field_name="nationality",
                                          help_text="ISO 3166-1 alpha-3 code, e.g. MMR.")
    attrs["Meta"] = type("Meta", (), {"model": kind.model, "fields": []})
    return type(f"{kind.model.__name__}ApiFilter", (RecordFilter,), attrs)
