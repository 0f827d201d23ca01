"""The one place that decides who may see and change what.

Every queryset that reaches a user — pages, API, exports, dashboard drill-downs, the admin for
non-superusers — is scoped here. The module knows no record model: it scopes any queryset whose
model has a ``country`` foreign key, and finds shared objects through django-guardian's direct
group-permission table for that model. It fails closed: a user without an active membership
sees no records. An object outside a user's scope raises Http404, exactly like a missing one.

Layers (issue 19): this module holds the scope, country groups and the generic scoping of
records, agencies, countries and reference data; each app states its own feature rules beside
its models on this base (``operations/policies.py``, ``cooperation/policies.py``,
``reporting/policies.py``, ``api/policies.py``). A model declares itself ``sensitive``.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import FieldDoesNotExist
from django.db.models import BooleanField, F, Func, Model, Q, QuerySet
from django.http import Http404
from guardian.utils import get_group_obj_perms_model

from .models import AccessEvent, Country, Membership, Role

RECORD_ROLES = frozenset({Role.OFFICER, Role.FOCAL_POINT})
AGGREGATE_ROLES = frozenset({Role.CO_CHAIR, Role.SECRETARIAT})


@dataclass(frozen=True)
class Scope:
    """What one user may reach, computed once per request from their active memberships."""

    is_superuser: bool
    roles: frozenset[str]
    record_country_ids: frozenset[int]  # countries whose records the user reads
    focal_country_ids: frozenset[int]  # countries whose records the user changes and shares
    officer_agency_ids: frozenset[int]  # agencies whose records the user changes
    time_zone: str = ""  # the user's (first) country's time zone; "" means the site default

    @property
    def has_membership(self) -> bool:
        return bool(self.roles)

    @property
    def follows_every_country(self) -> bool:
        """Co-chairs, the secretariat and administrators work with every country."""
        return self.is_superuser or bool(self.roles & AGGREGATE_ROLES)


NO_SCOPE = Scope(False, frozenset(), frozenset(), frozenset(), frozenset())


def scope_for(user) -> Scope:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_SCOPE
    cached = getattr(user, "_jpoa_scope", None)
    if cached is not None:
        return cached
    memberships = list(
        Membership.objects.filter(user=user, is_active=True).order_by("pk").values_list(
            "role", "agency_id", "agency__country_id", "agency__country__time_zone"
        )
    )
    scope = Scope(
        is_superuser=user.is_superuser,
        roles=frozenset(role for role, *_ in memberships),
        record_country_ids=frozenset(c for role, _, c, _ in memberships if role in RECORD_ROLES),
        focal_country_ids=frozenset(c for role, _, c, _ in memberships if role == Role.FOCAL_POINT),
        officer_agency_ids=frozenset(a for role, a, *_ in memberships if role == Role.OFFICER),
        time_zone=memberships[0][3] if memberships else "",
    )
    user._jpoa_scope = scope
    return scope


def forget_scope(user) -> None:
    """Drop the cached scope (after the user's memberships change)."""
    user.__dict__.pop("_jpoa_scope", None)


# ---------------------------------------------------------------------------------------------
# Country groups: the unit guardian shares are granted to
# ---------------------------------------------------------------------------------------------


def country_group_name(country_code: str) -> str:
    return f"country:{country_code}"


def country_group(country: Country) -> Group:
    group, _ = Group.objects.get_or_create(name=country_group_name(country.code))
    return group


def sync_country_groups(user) -> None:
    """Make the user's country groups match their active record-role memberships."""
    wanted = set(
        Country.objects.filter(
            agencies__memberships__user=user,
            agencies__memberships__is_active=True,
            agencies__memberships__role__in=RECORD_ROLES,
        ).values_list("code", flat=True)
    )
    current = {g.name: g for g in user.groups.filter(name__startswith="country:")}
    for name, group in current.items():
        if name.removeprefix("country:") not in wanted:
            user.groups.remove(group)
    for code in wanted:
        if country_group_name(code) not in current:
            user.groups.add(Group.objects.get_or_create(name=country_group_name(code))[0])
    forget_scope(user)


# ---------------------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------------------


def _view_codename(model: type[Model]) -> str:
    return f"view_{model._meta.model_name}"


def shared_ids(user, model: type[Model]) -> QuerySet:
    """Ids of ``model`` objects shared (view-only) with a country group the user belongs to."""
    permission_model = get_group_obj_perms_model(model)
    return permission_model.objects.filter(
        group__user=user,
        permission__codename=_view_codename(model),
        permission__content_type__app_label=model._meta.app_label,
    ).values("content_object_id")


class _AnyOf(Func):
    """``field = ANY(ARRAY(ids))``: the same rows as ``field__in=ids``, but PostgreSQL reads the
    few ids first and ORs index scans (a country's records, plus the ones shared); ``IN
    (subquery)`` beside an OR made it scan the whole table (docs/benchmarks.md)."""

    output_field = BooleanField()

    def __init__(self, field: str, ids: QuerySet):
        super().__init__(F(field), ArraySubquery(ids))

    def as_sql(self, compiler, connection, **extra):
        field_sql, field_params = compiler.compile(self.source_expressions[0])
        ids_sql, ids_params = compiler.compile(self.source_expressions[1])
        return f"{field_sql} = ANY({ids_sql})", (*field_params, *ids_params)


def _any_of(field: str, ids: QuerySet) -> Q:
    return Q(_AnyOf(field, ids))


def records_visible(user, queryset: QuerySet) -> QuerySet:
    """The records of ``queryset`` the user may read: their countries' own, plus shared ones."""
    scope = scope_for(user)
    if scope.is_superuser:
        return queryset
    if not scope.has_membership:
        return queryset.none()
    visible = Q(country_id__in=scope.record_country_ids)
    if scope.record_country_ids:
        visible |= _any_of("pk", shared_ids(user, queryset.model))
        investigation = _investigation_model(queryset.model)
        if investigation is not None:  # attributed to a joint investigation of theirs
            visible |= _any_of("joint_investigation_id", shared_ids(user, investigation))
        addressee = getattr(queryset.model, "addressee_field", None)
        if addressee:  # addressed to their country (an enquiry): they read it to answer it
            visible |= Q(**{f"{addressee}_id__in": scope.record_country_ids})
    return queryset.filter(visible)


def is_addressee(user, record) -> bool:
    """The record is addressed to one of the user's countries (they may answer it)."""
    field = getattr(type(record), "addressee_field", None)
    return bool(field) and getattr(record, f"{field}_id") in scope_for(user).record_country_ids


def _investigation_model(model: type[Model]) -> type[Model] | None:
    try:
        return model._meta.get_field("joint_investigation").related_model
    except FieldDoesNotExist:
        return None


def records_changeable(user, queryset: QuerySet) -> QuerySet:
    """Records the user may change: focal points their countries', officers their agency's."""
    scope = scope_for(user)
    if scope.is_superuser:
        return queryset
    return queryset.filter(
        Q(country_id__in=scope.focal_country_ids) | Q(agency_id__in=scope.officer_agency_ids)
    )


def get_visible_or_404(user, queryset: QuerySet, **lookup) -> Model:
    """One visible record, or Http404 — the same answer whether it is missing or not yours."""
    try:
        return records_visible(user, queryset).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as error:
        raise Http404("No such record.") from error


def can_change_record(user, record) -> bool:
    scope = scope_for(user)
    return (
        scope.is_superuser
        or record.country_id in scope.focal_country_ids
        or record.agency_id in scope.officer_agency_ids
    )


def get_changeable_or_404(user, queryset: QuerySet, **lookup) -> Model:
    """One record the user may change, or Http404 (readable-only records are not offered)."""
    try:
        return records_changeable(user, records_visible(user, queryset)).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as error:
        raise Http404("No such record.") from error


# ---------------------------------------------------------------------------------------------
# Speaking for a country, agencies and countries
# ---------------------------------------------------------------------------------------------


def can_answer_for_country(user, country_id: int) -> bool:
    """Accept, decline, leave, invite: a country's focal point speaks for it."""
    return country_id in scope_for(user).focal_country_ids


def agencies_visible(user, queryset: QuerySet) -> QuerySet:
    """Agencies whose records the user reads (for list filters): their countries' agencies."""
    scope = scope_for(user)
    if scope.is_superuser:
        return queryset
    return queryset.filter(country_id__in=scope.record_country_ids)


def countries_visible(user, queryset: QuerySet) -> QuerySet:
    """Countries whose records the user reads (for the record list's country filter)."""
    scope = scope_for(user)
    if scope.is_superuser:
        return queryset
    return queryset.filter(pk__in=scope.record_country_ids)


def agencies_for_entry(user, queryset: QuerySet) -> QuerySet:
    """Agencies the user may enter records for: an officer's own, a focal point's country's."""
    scope = scope_for(user)
    if scope.is_superuser:
        return queryset
    return queryset.filter(
        Q(pk__in=scope.officer_agency_ids) | Q(country_id__in=scope.focal_country_ids)
    )


def can_enter_for_agency(user, agency) -> bool:
    scope = scope_for(user)
    return (
        scope.is_superuser
        or agency.pk in scope.officer_agency_ids
        or agency.country_id in scope.focal_country_ids
    )


def can_enter_records(user) -> bool:
    scope = scope_for(user)
    return scope.is_superuser or bool(scope.officer_agency_ids or scope.focal_country_ids)


# ---------------------------------------------------------------------------------------------
# Aggregates and other pages
# ---------------------------------------------------------------------------------------------


def can_view_regional_totals(user) -> bool:
    """Totals cross borders: anyone with a membership (or an administrator) sees them."""
    scope = scope_for(user)
    return scope.is_superuser or scope.has_membership


def follows_every_country(user) -> bool:
    """Co-chairs, the secretariat and administrators follow every country's returns and
    figures."""
    return scope_for(user).follows_every_country


def is_own_country(user, country_id: int) -> bool:
    """The user works for the country (an officer or focal point there)."""
    return country_id in scope_for(user).record_country_ids


def can_read_country_records(user, country_id: int | None) -> bool:
    """The user reads the country's records (None: every country's), for drill-down links."""
    return scope_for(user).is_superuser or is_own_country(user, country_id)


def can_view_country_breakdown(user, country_id: int) -> bool:
    """One country's own figures and charts: for its own people and for those who follow
    every country (co-chairs, the secretariat, administrators). Totals per country are not
    a breakdown: everyone with a membership sees them."""
    return scope_for(user).follows_every_country or is_own_country(user, country_id)


@dataclass(frozen=True)
class CountriesView:
    """What a user may open about each of a set of countries, worked out from their scope
    once (the dashboard asks it for every country of a joint operation on every request).
    The same rules as the predicates above and ``returns_visible``."""

    reads_every_country: bool  # can_read_country_records(user, None)
    readable_ids: frozenset[int]  # can_read_country_records: their records
    breakdown_ids: frozenset[int]  # can_view_country_breakdown: their own figures and charts
    return_ids: frozenset[int]  # returns_visible: their return page
    own_ids: frozenset[int]  # is_own_country

    def key(self) -> tuple:
        return (self.reads_every_country, *(tuple(sorted(ids)) for ids in (
            self.readable_ids, self.breakdown_ids, self.return_ids, self.own_ids)))


def countries_view(user, country_ids) -> CountriesView:
    scope = scope_for(user)
    ids = frozenset(country_ids)
    own = ids & scope.record_country_ids
    return CountriesView(
        reads_every_country=scope.is_superuser,
        readable_ids=ids if scope.is_superuser else own,
        breakdown_ids=ids if scope.follows_every_country else own,
        return_ids=ids if scope.follows_every_country else own,
        own_ids=own,
    )


def audit_country_ids(user) -> frozenset[int] | None:
    """Countries whose audit history the user sees; None means all (administrators)."""
    scope = scope_for(user)
    if scope.is_superuser:
        return None
    return scope.focal_country_ids


# ---------------------------------------------------------------------------------------------
# The access log
# ---------------------------------------------------------------------------------------------

def is_sensitive(model: type[Model]) -> bool:
    """A model declares itself sensitive (``sensitive = True``): every read of one is logged."""
    return getattr(model, "sensitive", False)


def column_text(value, max_length: int | None) -> str:
    """Text from a request as a column takes it: without NUL (PostgreSQL refuses it), cut to
    the column's length."""
    text = str(value).replace("\x00", "")
    return text[:max_length] if max_length else text


def log_access(request, kind: str, obj: Model | None = None, *, username: str = "") -> AccessEvent:
    """Append to the access log. Text from the request (a typed username of any length, the
    path) is cut to its column and stripped of NUL: a failed login is logged, never a 500."""
    from core.audit import client_ip

    def fit(name: str, value) -> str:
        return column_text(value or "", AccessEvent._meta.get_field(name).max_length)

    user = getattr(request, "user", None) if request is not None else None
    authenticated = bool(user and user.is_authenticated)
    return AccessEvent.objects.create(
        kind=kind,
        user=user if authenticated else None,
        username=fit("username", username or (user.get_username() if authenticated else "")),
        ip_address=client_ip(request) if request is not None else None,
        path=fit("path", request.path if request is not None else ""),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        country_id=getattr(obj, "country_id", None),
    )


def log_sensitive_read(request, record: Model) -> None:
    if is_sensitive(type(record)):
        log_access(request, AccessEvent.Kind.READ, record)


# ---------------------------------------------------------------------------------------------
# The directory and the API
# ---------------------------------------------------------------------------------------------


def reference_data_visible(user, queryset: QuerySet) -> QuerySet:
    """Countries, agencies, joint operations and country operations: the directory every member
    works with (names, codes, periods; no results). Fail closed: nothing without a membership."""
    scope = scope_for(user)
    if scope.is_superuser or scope.has_membership:
        return queryset
    return queryset.none()


def focal_points_visible(user, queryset: QuerySet) -> QuerySet:
    """Focal points (names and contact details) of the user's own countries; co-chairs, the
    secretariat and administrators, who work with every country, see every country's."""
    scope = scope_for(user)
    if scope.follows_every_country:
        return queryset
    return queryset.filter(country_id__in=scope.record_country_ids)
