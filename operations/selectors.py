"""Reads of joint operations and their participants, shaped for pages."""
from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, QuerySet

from countries import access

from . import policies
from .models import EnquiryRecord, JointOperation, OutcomeRecord, Participation, RecordShare
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


def record_list(*, user, kind: RecordKind, filters: dict | None = None) -> QuerySet:
    """A record type's rows the user may read, with what the list shows joined in."""
    related = ["country", "agency"]
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
