"""The one place that decides who may see and change what.

Every queryset that reaches a user — pages, API, exports, dashboard drill-downs, the admin for
non-superusers — is scoped here. The module knows no record model: it scopes any queryset whose
model has a ``country`` foreign key, and finds shared objects through django-guardian's direct
group-permission table for that model. It fails closed: a user without an active membership
sees no records. An object outside a user's scope raises Http404, exactly like a missing one.
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
# Joint investigations and networks (cross-border cooperation)
# ---------------------------------------------------------------------------------------------
# A member country's group holds guardian's view permission on the investigation; that one
# grant shares the investigation's notes and the records attributed to it. Leaving removes it.


def investigations_visible(user, queryset: QuerySet) -> QuerySet:
    """Investigations the user's countries are members of, or invited to (to answer)."""
    scope = scope_for(user)
    if scope.is_superuser:
        return queryset
    if not scope.record_country_ids:
        return queryset.none()
    invited = queryset.model.objects.filter(
        members__country_id__in=scope.record_country_ids, members__state="invited"
    ).values("pk")
    return queryset.filter(Q(pk__in=shared_ids(user, queryset.model)) | Q(pk__in=invited))


def is_investigation_member(user, investigation) -> bool:
    """The user's country is a member now: it reads the notes and the attributed records."""
    scope = scope_for(user)
    return scope.is_superuser or shared_ids(user, type(investigation)).filter(
        content_object_id=investigation.pk).exists()


def member_country_ids(user, investigation) -> set[int]:
    """The user's countries among the investigation's current members."""
    return {m.country_id for m in investigation.members.all()
            if m.state == "accepted" and m.country_id in scope_for(user).record_country_ids}


def can_answer_for_country(user, country_id: int) -> bool:
    """Accept, decline, leave, invite: a country's focal point speaks for it."""
    return country_id in scope_for(user).focal_country_ids


def can_propose_investigation(user) -> bool:
    return bool(scope_for(user).focal_country_ids)


def networks_visible(user, queryset: QuerySet) -> QuerySet:
    """Networks the user's countries registered or were given, and those under a joint
    investigation their country is a member of."""
    scope = scope_for(user)
    if scope.is_superuser:
        return queryset
    if not scope.record_country_ids:
        return queryset.none()
    investigation = queryset.model._meta.get_field("investigations").related_model
    ids = scope.record_country_ids
    given = queryset.model.objects.filter(shared_with__in=ids).values("pk")
    investigated = investigation.objects.filter(
        pk__in=shared_ids(user, investigation)).values("network_id")
    return queryset.filter(
        Q(registered_by_id__in=ids) | Q(pk__in=given) | Q(pk__in=investigated))


def can_change_network(user, network) -> bool:
    """The registering country's people keep it up to date; its focal point gives it away."""
    scope = scope_for(user)
    return scope.is_superuser or network.registered_by_id in scope.record_country_ids


def can_manage_workshop(user) -> bool:
    """The secretariat sets up the debrief workshop and tracks its recommendations."""
    scope = scope_for(user)
    return scope.is_superuser or Role.SECRETARIAT in scope.roles


def can_draft_statement(user) -> bool:
    """The co-chairs' statement is drafted by the secretariat and read by the co-chairs."""
    return can_manage_workshop(user) or Role.CO_CHAIR in scope_for(user).roles


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


def audit_country_ids(user) -> frozenset[int] | None:
    """Countries whose audit history the user sees; None means all (administrators)."""
    scope = scope_for(user)
    if scope.is_superuser:
        return None
    return scope.focal_country_ids


# ---------------------------------------------------------------------------------------------
# The access log
# ---------------------------------------------------------------------------------------------

SENSITIVE_MODELS = {"operations.intelligencereport", "operations.suspectrecord",
                    "operations.victimassistancerecord"}


def is_sensitive(model: type[Model]) -> bool:
    return model._meta.label_lower in SENSITIVE_MODELS


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


def shares_visible(user, queryset: QuerySet) -> QuerySet:
    """Shares the user's countries made or received: a share is visible to both sides."""
    scope = scope_for(user)
    if scope.is_superuser:
        return queryset
    ids = scope.record_country_ids
    return queryset.filter(Q(owner_country_id__in=ids) | Q(shared_with_id__in=ids))


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


def tokens_visible(user, queryset: QuerySet) -> QuerySet:
    """A user's own API tokens, and nobody else's: a token is a credential, so administrators
    see only theirs too."""
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    return queryset.filter(user=user)


# ---------------------------------------------------------------------------------------------
# Planning the next joint initiative, focal point continuity, records linked to networks
# ---------------------------------------------------------------------------------------------


def can_manage_planning(user) -> bool:
    """The secretariat sets up planning meetings and turns accepted nominations into joint
    investigations."""
    scope = scope_for(user)
    return scope.is_superuser or Role.SECRETARIAT in scope.roles


def planning_meetings_visible(user, queryset: QuerySet) -> QuerySet:
    """Planning meetings (name, date, place) are known to every member; fail closed."""
    return reference_data_visible(user, queryset)


def nominations_visible(user, queryset: QuerySet) -> QuerySet:
    """A nomination is seen by the nominating country, the partner countries it names, and those
    who follow every country (co-chairs, the secretariat, administrators). Its network's details
    are shown only to those who also see the network (``networks_visible``)."""
    scope = scope_for(user)
    if scope.follows_every_country:
        return queryset
    ids = scope.record_country_ids
    if not ids:
        return queryset.none()
    as_partner = queryset.model.objects.filter(partners__country_id__in=ids).values("pk")
    return queryset.filter(Q(proposing_country_id__in=ids) | Q(pk__in=as_partner))


def can_nominate(user) -> bool:
    """A country's focal point nominates networks and partners for it."""
    return bool(scope_for(user).focal_country_ids)


def sees_network(user, network_id: int | None, network_model: type[Model]) -> bool:
    """Whether the user may see that network (its name included)."""
    return network_id is not None and networks_visible(
        user, network_model.objects.filter(pk=network_id)).exists()


def continuity_countries_visible(user, queryset: QuerySet) -> QuerySet:
    """Countries whose focal point continuity (and its warnings) the user follows: their own;
    every country for the co-chairs, the secretariat and administrators."""
    scope = scope_for(user)
    if scope.follows_every_country:
        return queryset
    return queryset.filter(pk__in=scope.record_country_ids)


def can_view_directory(user) -> bool:
    scope = scope_for(user)
    return scope.is_superuser or scope.has_membership
