"""Reporting's access rules: the debrief workshop, the statement, exports.

They build on ``countries.access`` (the user's scope, country groups, generic record
scoping), which stays the one place that decides access; each rule here exists once.
"""
from __future__ import annotations

from django.db.models import QuerySet

from countries.access import can_view_country_breakdown, can_view_regional_totals, scope_for
from countries.models import Role


def can_break_down(user, country_ids) -> bool:
    """Figures by a dimension (sex, nationality, crime type...) for these countries: only for
    the countries whose breakdown the user sees (``can_view_country_breakdown``). The region's
    breakdown, with no country named, is open to every member."""
    return all(can_view_country_breakdown(user, pk) for pk in country_ids)


def can_manage_workshop(user) -> bool:
    """The secretariat sets up the debrief workshop and tracks its recommendations."""
    scope = scope_for(user)
    return scope.is_superuser or Role.SECRETARIAT in scope.roles


def can_draft_statement(user) -> bool:
    """The co-chairs' statement is drafted by the secretariat and read by the co-chairs."""
    return can_manage_workshop(user) or Role.CO_CHAIR in scope_for(user).roles


def can_export(user, *, profile: str, country_id: int | None) -> bool:
    """Debrief exports: a region's (``country_id`` None) for those who follow every country;
    one country's for its own people too. The public profile (a media release) is for the
    co-chairs, the secretariat, administrators and a country's focal point — not officers."""
    scope = scope_for(user)
    follows_every_country = scope.follows_every_country
    if country_id is None:
        return follows_every_country
    if profile == "public":
        return follows_every_country or country_id in scope.focal_country_ids
    return follows_every_country or country_id in scope.record_country_ids


def exports_visible(user, queryset: QuerySet) -> QuerySet:
    """Export jobs a user sees and downloads: only their own (administrators included)."""
    if not can_view_regional_totals(user):
        return queryset.none()
    return queryset.filter(requested_by=user)


def can_check_outlier(user, flag) -> bool:
    """The country's focal point marks its outlier flags checked (as it submits its return)."""
    scope = scope_for(user)
    return scope.is_superuser or flag.country_id in scope.focal_country_ids
