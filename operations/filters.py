"""List filters and sort orders for the record pages (django-filter)."""
from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from countries import access
from countries.models import Agency, Country

from .models import Sector
from .records import RecordKind

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StableOrderingFilter(django_filters.OrderingFilter):
    """Sorts by the chosen column, then by id, so pages never repeat or skip a row."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        return qs.order_by(*qs.query.order_by, "-pk") if value else qs


class RecordFilter(django_filters.FilterSet):
    occurred_from = django_filters.DateFilter(
        field_name="occurred_on", lookup_expr="gte", label=_("From"), widget=DATE_WIDGET
    )
    occurred_to = django_filters.DateFilter(
        field_name="occurred_on", lookup_expr="lte", label=_("To"), widget=DATE_WIDGET
    )
    country = django_filters.ModelChoiceFilter(
        queryset=Country.objects.none(), to_field_name="code", label=_("Country"),
        empty_label=_("All countries"),
    )
    agency = django_filters.ModelChoiceFilter(
        queryset=Agency.objects.none(), label=_("Agency"), empty_label=_("All agencies")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["country"].queryset = access.countries_visible(
            user, Country.objects.all()
        ).order_by("name")
        self.filters["agency"].queryset = access.agencies_visible(
            user, Agency.objects.select_related("country")
        ).order_by("country__name", "name")
        self.form.auto_id = "filter_%s"  # unique ids beside the add form on the same page


def record_filter_class(kind: RecordKind) -> type[RecordFilter]:
    """The list filter of one record type: date range, agency, sector (when it has one), sort."""
    sortable = [("occurred_on", "date"), ("agency__name", "agency")]
    sortable += [(name, name) for name in kind.columns if name in ("count", "topic", "title")]
    attrs = {
        "sort": StableOrderingFilter(
            fields=sortable, label=_("Sort by"), empty_label=_("Newest first"),
        ),
        "Meta": type("Meta", (), {"model": kind.model, "fields": []}),
    }
    if kind.has_sector:
        attrs["sector"] = django_filters.ChoiceFilter(
            choices=Sector.choices, label=_("Sector"), empty_label=_("All sectors")
        )
    return type(f"{kind.model.__name__}Filter", (RecordFilter,), attrs)
