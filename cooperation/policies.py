"""Cooperation's access rules: joint investigations, networks, planning, the directory.

They build on ``countries.access`` (the user's scope, country groups, generic record
scoping), which stays the one place that decides access; each rule here exists once.
"""
from __future__ import annotations

from django.db.models import Model, Q, QuerySet

from countries.access import can_answer_for_country, reference_data_visible, scope_for, shared_ids
from countries.models import Role

from .models import InvestigationMember

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
        members__country_id__in=scope.record_country_ids,
        members__state=InvestigationMember.State.INVITED,
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


def can_answer_nomination(user, nomination) -> bool:
    """A partner country's focal point accepts or declines a nomination for that country."""
    return any(can_answer_for_country(user, partner.country_id)
               for partner in nomination.partners.all())


def can_convert_nomination(user, nomination) -> bool:
    """Who turns a nomination into a joint investigation: the secretariat (``nomination`` is
    there for the permission class's signature; whether it can be converted yet is the
    service's precondition, a 400, not an access rule)."""
    return can_manage_planning(user)


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


def can_register_network(user) -> bool:
    """Networks are registered by the officers and focal points of a country."""
    return bool(scope_for(user).record_country_ids)
