"""Reads of joint operations and their participants, shaped for pages."""
from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, QuerySet

from countries import access
from countries.models import Agency

from . import policies
from .models import (
    CountryReturn,
    EnquiryRecord,
    JointOperation,
    OutcomeRecord,
    Participation,
    RecordShare,
)
from .records import RecordKind


def joint_operation_current() -> JointOperation | None:
    """The joint operation a user lands on: the most recent one that is not still being planned."""
    queryset = JointOperation.objects.prefetch_related(
        "co_chairs",
        Prefetch(
            "participations",
            queryset=Participation.objects.select_related("country").order_by("country__name"),
        ),
    )
    return (
        queryset.exclude(status=JointOperation.Status.PLANNING).first()
        or queryset.first()
    )


@dataclass(frozen=True)
class EntryLocks:
    """The returns that stop the user's entry: submitted or accepted returns of the countries
    the user enters records for (their records cannot be added, changed or deleted)."""

    returns: tuple[CountryReturn, ...]  # of the joint operation the pages enter into
    locked: tuple[CountryReturn, ...]  # of any joint operation
    entry_blocked: bool  # every country the user enters for is locked in that joint operation

    def returns_of(self, record: OutcomeRecord) -> tuple[CountryReturn, ...]:
        """The locked return that holds ``record`` (none, or one)."""
        return tuple(r for r in self.locked if r.country_id == record.country_id
                     and r.joint_operation_id == record.operation.joint_operation_id)

    def locks(self, record: OutcomeRecord) -> bool:
        return bool(self.returns_of(record))


def entry_locks(*, user, joint_operation: JointOperation | None) -> EntryLocks:
    entry_agencies = access.agencies_for_entry(user, Agency.objects.all())
    locked = [
        country_return for country_return in CountryReturn.objects.filter(
            country_id__in=entry_agencies.values("country_id")).select_related(
            "country", "joint_operation", "submitted_by", "accepted_by")
        if country_return.locks_records
    ]
    current = tuple(r for r in locked if joint_operation and r.joint_operation_id == joint_operation.pk)
    # Only when something is locked: are all the user's countries? (an open return costs nothing)
    blocked = bool(current) and set(entry_agencies.values_list("country_id", flat=True)) <= {
        r.country_id for r in current}
    return EntryLocks(returns=current, locked=tuple(locked), entry_blocked=blocked)


def record_list(*, user, kind: RecordKind, filters: dict | None = None) -> QuerySet:
    """A record type's rows the user may read, with what the list shows joined in."""
    related = ["country", "agency", "operation"]
    if kind.model is EnquiryRecord:
        related.append("counterpart")
    queryset = kind.model.objects.select_related(*related).filter(**(filters or {}))
    return access.records_visible(user, queryset).order_by("-occurred_on", "-id")


def record_detail(*, user, kind: RecordKind, pk) -> OutcomeRecord:
    queryset = kind.model.objects.select_related(
        "country", "agency", "operation__joint_operation", "created_by"
    )
    return access.get_visible_or_404(user, queryset, pk=pk)


def record_shares(*, user, record: OutcomeRecord) -> QuerySet:
    return policies.shares_visible(
        user,
        RecordShare.objects.filter(
            content_type=ContentType.objects.get_for_model(record), object_id=record.pk
        ).select_related("shared_with", "owner_country", "shared_by", "revoked_by"),
    )


def share_list(*, user) -> QuerySet:
    return policies.shares_visible(
        user,
        RecordShare.objects.select_related(
            "content_type", "shared_with", "owner_country", "shared_by", "revoked_by"
        ),
    )
