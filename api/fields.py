"""Serializer pieces the cross-border endpoints share (cooperation, planning): strict input,
countries by code, the caller's own countries, and choices documented as plain enums."""
from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from countries import access
from countries.models import Country


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def refuse_numbers_as_text(serializer, data) -> None:
    """A JSON number where the schema says string (or a list of strings) is refused: DRF would
    take 0 as "0"."""
    if not isinstance(data, dict):  # a form's values are all text
        return
    wrong = []
    for name, field in serializer.fields.items():
        if field.read_only or name not in data:
            continue
        value = data[name]
        if isinstance(field, serializers.CharField) and _is_number(value):
            wrong.append(name)
        elif (isinstance(field, serializers.ListField)
              and isinstance(field.child, serializers.CharField) and isinstance(value, list)
              and any(_is_number(item) for item in value)):
            wrong.append(name)
    if wrong:
        raise serializers.ValidationError(
            {name: [_("Enter text (a JSON string), not a number.")] for name in wrong})


class QuerySerializer(serializers.Serializer):
    """Query parameters, read strictly: a parameter sent twice or sent empty is refused (DRF
    reads an empty one as left out), as the list filters do (``api.filters``). The schema says
    so: no parameter of these allows an empty value (drf-spectacular reads ``allow_blank``)."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            field.allow_blank = False
        return fields

    def to_internal_value(self, data):
        errors = {}
        for name in self.fields:
            values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
            if len(values) > 1:
                errors[name] = [_("Send this parameter once.")]
            elif values and values[0] == "":
                errors[name] = [_("Enter a value, or leave the parameter out.")]
        if errors:
            raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class StrictSerializerMixin:
    """Read-only fields sent along (say, an object just read) are ignored; unknown refused."""

    ignored_fields: frozenset[str] = frozenset()

    def to_internal_value(self, data):
        refuse_numbers_as_text(self, data)
        if isinstance(data, Mapping):
            unknown = sorted(str(name) for name in data
                             if name not in self.fields and name not in self.ignored_fields)
            if unknown:
                raise serializers.ValidationError(
                    {name: [_("Unknown field: “%(name)s” cannot be set here.") % {"name": name}]
                     for name in unknown})
        return super().to_internal_value(data)


class CountryCodes(serializers.SlugRelatedField):
    """Countries (or organisations) by code, any letter case."""

    default_error_messages = {
        "does_not_exist": gettext_lazy("No country or organisation has the code “{value}”."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Country.objects.all())
        super().__init__(slug_field="code", **kwargs)

    def to_internal_value(self, data):
        return super().to_internal_value(data.strip().upper() if isinstance(data, str) else data)

    @classmethod
    def many_init(cls, *args, **kwargs):
        """A list of codes; DRF's would read an object (``{}``) as its keys, an empty list."""
        field = super().many_init(*args, **kwargs)
        field.__class__ = CountryCodeList
        return field


class CountryCodeList(serializers.ManyRelatedField):
    def to_internal_value(self, data):
        if not isinstance(data, list | tuple) and not hasattr(data, "getlist"):
            self.fail("not_a_list", input_type=type(data).__name__)
        return super().to_internal_value(data)


def own_countries(user, *, focal: bool = False):
    scope = access.scope_for(user)
    return Country.objects.filter(
        pk__in=scope.focal_country_ids if focal else scope.record_country_ids).order_by("name")


def only_one(queryset, field: str, what: str):
    """The caller's one country for ``field`` when they did not name it."""
    countries = list(queryset[:2])
    if len(countries) != 1:
        raise serializers.ValidationError({field: [
            _("Name the country %(what)s (its code).") % {"what": what} if countries else
            _("You have no country that may do this.")]})
    return countries[0]


def value_choices(choices, **kwargs) -> serializers.ChoiceField:
    """A choice whose schema lists the values only: one choice set, one enum in the schema
    (the records' ``crime_type`` and ``sector`` carry the same sets with their labels)."""
    documented = extend_schema_field(
        {"type": "string", "enum": [value for value, _label in choices]})
    return documented(type("ValueChoiceField", (serializers.ChoiceField,), {}))(
        choices=choices, **kwargs)
