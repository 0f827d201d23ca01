"""Serializers of outcome records: per record type, one to read and separate ones to write.

Reading shows where a record belongs and who entered it. Writing takes only what an officer
enters on the page (date, agency and the type's own fields); the country and operation follow
from the agency, the author is the caller, the version is the services' to bump. Those fields
are read-only: sent back (say, in a record just read) they are ignored, never honoured; a
field the type does not have at all is refused, so that a typo does not pass unnoticed.
The serializers only parse: ``operations.services`` validates the record as a whole.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import pycountry
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from countries import access
from countries.models import Agency, Country
from operations import models as om
from operations import plausibility
from operations import policies as operations_policies
from operations.records import KINDS, RecordKind

from .directory import CountryCode
from .fields import refuse_numbers_as_text

MAX_COUNT = 2_147_483_647  # PostgreSQL integer
# Free text shown only on a record's own page (and logged there), not in lists.
DETAIL_ONLY_FIELDS = {om.IntelligenceReport: ("network_summary", "modus_operandi")}
READ_ONLY_FIELDS = ("id", "joint_operation", "operation", "country", "agency_name", "created_by",
                    "created_at", "updated_at", "version", "from_another_country")

# Plausible values of every entered field, for the documentation's examples.
EXAMPLE_VALUES = {
    "occurred_on": "2015-10-05", "agency": 27, "count": 2, "crime_type": "trafficking",
    "sector": "fishing", "role": "recruiter", "sex": "female", "age_band": "18-24",
    "nationality": "MMR", "exploitation_type": "labour", "counterpart": "MMR",
    "channel": "interpol_ncb", "answered_on": "2015-10-12", "audience": "employers",
    "people_reached": 120, "topic": "Victim identification at sea ports", "police_trained": 24,
    "airport_trained": 0, "immigration_trained": 12, "compliance_trained": 4,
    "title": "Recruitment through a fishing-crew agency", "grading": "probable",
    "network_summary": "Recruiters in two ports, one broker abroad.",
    "modus_operandi": "Crew recruited with false contracts, documents held by the broker.",
    "unusual_reason": "",
}


def example_record(kind: RecordKind, record_id: int = 41) -> dict:
    """A read representation of ``kind`` with the example values."""
    return {
        "id": record_id, "joint_operation": "jpoa-2015", "operation": 8, "country": "THA",
        "agency": 27, "agency_name": "Royal Thai Police",
        **{name: EXAMPLE_VALUES[name] for name in kind.entry_fields if name != "agency"},
        "created_by": "officer.tha", "created_at": "2015-10-05T09:12:30Z",
        "updated_at": "2015-10-05T09:12:30Z", "version": 1, "from_another_country": False,
    }


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


class RecordSerializer(serializers.ModelSerializer):
    """A record as the API shows it: where it belongs, who entered it, and its version."""

    joint_operation = serializers.SlugRelatedField(
        source="operation.joint_operation", slug_field="slug", read_only=True)
    country = CountryCode()
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    created_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True,
        help_text="Who entered it (null once their account is deleted).")
    from_another_country = serializers.SerializerMethodField(
        help_text="Another country's record, which you read because it was shared with your "
                  "country (view-only) or, for an enquiry, because it is addressed to it.")

    def get_from_another_country(self, record) -> bool:
        request = self.context.get("request")
        return request is not None and operations_policies.is_shared_with_user(request.user, record)


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


def entry_joint_operations(agencies):
    """The joint operations in which one of ``agencies``' countries has an operation."""
    return om.JointOperation.objects.filter(
        operations__country__in=agencies.values("country")).distinct()


class RecordWriteSerializer(serializers.ModelSerializer):
    """The fields an officer enters. Read-only fields sent along are ignored; unknown refused."""

    ignored_fields = frozenset(READ_ONLY_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = request.user if request is not None else None
        # Only agencies the caller enters records for: another country's is "does not exist".
        agencies = access.agencies_for_entry(user, Agency.objects.select_related("country"))
        self.fields["agency"].queryset = agencies
        self.joint_operations = entry_joint_operations(agencies)
        if "joint_operation" in self.fields:
            self.fields["joint_operation"].queryset = self.joint_operations

    def schema_enums(self) -> dict[str, list]:
        """For the schema served to the caller (``api.schema``): the days a record of theirs
        may have happened on, those of the joint operations they enter records in (the
        services refuse a date outside its joint operation's period), and the countries an
        enquiry of theirs may go to."""
        days: set[dt.date] = set()
        for joint_operation in self.joint_operations:
            length = (joint_operation.ends_on - joint_operation.starts_on).days
            days |= {joint_operation.starts_on + dt.timedelta(days=n) for n in range(length + 1)}
        enums = {"occurred_on": sorted(day.isoformat() for day in days)}
        # An enquiry goes to another country than the one that sends it (the model's rule):
        # when every agency of the caller's is of one country, that country is not offered.
        own = set(self.fields["agency"].queryset.values_list("country_id", flat=True))
        if "counterpart" in self.fields and len(own) == 1:
            enums["counterpart"] = sorted(
                Country.objects.exclude(pk__in=own).values_list("code", flat=True))
        return enums

    def to_internal_value(self, data):
        refuse_numbers_as_text(self, data)
        if isinstance(data, Mapping):
            unknown = sorted(str(name) for name in data
                             if name not in self.fields and name not in self.ignored_fields)
            if unknown:
                raise serializers.ValidationError({name: [self._unknown(name)] for name in unknown})
            if isinstance(data.get("nationality"), str):  # any letter case, as on the page
                data = {**data, "nationality": data["nationality"].strip().upper()}
        return super().to_internal_value(data)

    @staticmethod
    def _unknown(name: str) -> str:
        if name == "joint_operation":
            return _("A batch has one joint operation: give it once, as the query parameter "
                     "“joint_operation”.")
        return _("Unknown field: this record type has no “%(name)s”.") % {"name": name}


@dataclass(frozen=True)
class _HardLimit:
    """The figure's hard limit, the services' rule, checked with the other fields' errors."""

    limit: plausibility.Limit

    def __call__(self, value) -> None:
        error = plausibility.hard_error(self.limit, value)
        if error is not None:
            raise error


def _write_extra_kwargs(kind: RecordKind) -> dict:
    extra = {"agency": {"help_text": "Agency id (see /agencies/): the country follows from it."}}
    # Figures are parsed as whole numbers only: their limits are the services' (one message).
    for name, limit in kind.figure_limits.items():
        extra[name] = {"min_value": None, "max_value": MAX_COUNT,
                       "validators": [_HardLimit(limit)], "help_text": (
            f"{limit.minimum} to {limit.hard:,} (a larger figure is refused, code "
            f"`too_large`). Above {limit.soft:,} (or the country's usual range, once it has "
            "enough records) it is saved only with `unusual_reason` (code `unusual`).")}
    if kind.figure_limits:
        extra[plausibility.REASON_FIELD] = {"help_text": (
            "Why an unusually large figure is right; needed only when a figure is refused "
            "with code `unusual`.")}
    return extra


# What ``operations.models.validate_nationality`` takes: a real ISO 3166-1 alpha-3 code.
NATIONALITIES = sorted(country.alpha_3 for country in pycountry.countries)


@extend_schema_field({"type": "string", "enum": NATIONALITIES})
class NationalityField(serializers.CharField):
    """A nationality by its ISO 3166-1 alpha-3 code (any letter case is taken)."""


def _declared_write_fields(kind: RecordKind) -> dict:
    fields: dict = {}
    if "counterpart" in kind.entry_fields:
        fields["counterpart"] = serializers.SlugRelatedField(
            slug_field="code", queryset=Country.objects.all(),
            help_text="Code of the country or organisation the enquiry went to, e.g. MMR.")
    if "nationality" in kind.entry_fields:
        fields["nationality"] = NationalityField(
            max_length=3, help_text="ISO 3166-1 alpha-3 code, e.g. MMR for Myanmar.")
    return fields


class VersionField(serializers.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(min_value=0, max_value=MAX_COUNT, help_text=(
            "The version you read. If the record changed since, nothing is saved: 409 with "
            "the current record."), **kwargs)


# ---------------------------------------------------------------------------------------------
# One set per record type
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordSerializers:
    read: type[RecordSerializer]  # one record
    list: type[RecordSerializer]  # a row of a list (no detail-only free text)
    row: type[RecordWriteSerializer]  # a record to create, as a row of a bulk batch
    create: type[RecordWriteSerializer]  # a record to create, with its joint operation
    update: type[RecordWriteSerializer]  # changes, with the version they were made on


def _read_fields(kind: RecordKind, omit=()) -> list[str]:
    own = [name for name in kind.entry_fields if name not in ("occurred_on", "agency", *omit)]
    return ["id", "joint_operation", "operation", "country", "agency", "agency_name",
            "occurred_on", *own, "created_by", "created_at", "updated_at", "version",
            "from_another_country"]


def _serializer(name: str, base, kind: RecordKind, fields, declared=None, extra=None):
    meta = type("Meta", (), {"model": kind.model, "fields": fields, "extra_kwargs": extra or {}})
    return type(name, (base,), {**(declared or {}), "Meta": meta,
                                "__doc__": f"{kind.title} ({kind.model._meta.verbose_name_plural})."})


def _build(kind: RecordKind) -> RecordSerializers:
    name = kind.model.__name__
    counterpart = {"counterpart": CountryCode()} if "counterpart" in kind.entry_fields else {}
    read = _serializer(f"{name}Serializer", RecordSerializer, kind, _read_fields(kind), counterpart)
    omitted = DETAIL_ONLY_FIELDS.get(kind.model, ())
    listed = read if not omitted else _serializer(
        f"{name}SummarySerializer", RecordSerializer, kind, _read_fields(kind, omitted), counterpart)
    declared, extra = _declared_write_fields(kind), _write_extra_kwargs(kind)
    entry = list(kind.entry_fields)
    row = _serializer(f"{name}RowSerializer", RecordWriteSerializer, kind, entry, {
        **declared, "ignored_fields": frozenset(READ_ONLY_FIELDS) - {"joint_operation"},
    }, extra)
    create = _serializer(f"{name}CreateSerializer", row, kind, [*entry, "joint_operation"], {
        "joint_operation": serializers.SlugRelatedField(
            slug_field="slug", queryset=om.JointOperation.objects.all(), required=False,
            error_messages={"does_not_exist": _(
                "No joint operation “{value}” in which your agencies' country has an "
                "operation.")},
            help_text="Slug of the joint operation (one your agencies' country has an "
                      "operation in); the current one when left out."),
        "ignored_fields": frozenset(READ_ONLY_FIELDS),
    }, extra)
    update = _serializer(f"{name}UpdateSerializer", row, kind, [*entry, "version"], {
        "version": VersionField(), "ignored_fields": frozenset(READ_ONLY_FIELDS),
    }, extra)
    return RecordSerializers(read=read, list=listed, row=row, create=create, update=update)


SERIALIZERS: dict[str, RecordSerializers] = {kind.slug: _build(kind) for kind in KINDS}
