"""Operations' access rules: sharing records, import batches, shares, country returns.

They build on ``countries.access`` (the user's scope, country groups, generic record
scoping), which stays the one place that decides access; each rule here exists once.
"""
from __future__ import annotations

from django.db.models import Q, QuerySet

from countries.access import can_change_record, can_enter_records, scope_for
from countries.models import Role


def can_share_record(user, record) -> bool:
    """Focal points share their country's records; officers share their own agency's."""
    return can_change_record(user, record)


def is_shared_with_user(user, record) -> bool:
    """Whether the user reads ``record`` only because it was shared with their country."""
    scope = scope_for(user)
    return record.country_id not in scope.record_country_ids and not scope.is_superuser


def imports_visible(user, queryset: QuerySet) -> QuerySet:
    """Import batches the user may open: only their own uploads, while they may enter records.

    A batch holds the raw cells of a file (intelligence text included): nobody else sees it,
    administrators neither.
    """
    if not can_enter_records(user):
        return queryset.none()
    return queryset.filter(uploaded_by=user)


def returns_visible(user, queryset: QuerySet) -> QuerySet:
    """Country returns (state and totals) a user follows: their own country's; the
    co-chairs, the secretariat and administrators follow every country's."""
    scope = scope_for(user)
    if scope.follows_every_country:
        return queryset
    return queryset.filter(country_id__in=scope.record_country_ids)


def can_submit_return(user, country_return) -> bool:
    """The country's focal point submits its return."""
    scope = scope_for(user)
    return scope.is_superuser or country_return.country_id in scope.focal_country_ids


def can_decide_return(user) -> bool:
    """The secretariat accepts or reopens returns."""
    scope = scope_for(user)
    return scope.is_superuser or Role.SECRETARIAT in scope.roles


def shares_visible(user, queryset: QuerySet) -> QuerySet:
    """Shares the user's countries made or received: a share is visible to both sides."""
    scope = scope_for(user)
    if scope.is_superuser:
        return queryset
    ids = scope.record_country_ids
    return queryset.filter(Q(owner_country_id__in=ids) | Q(shared_with_id__in=ids))
