"""The write path of cross-border cooperation: networks, joint investigations, their members,
notes, records attributed to an investigation or linked to a network, and enquiries' answers.

Membership is a guardian grant to the member country's group on the investigation: accepting
assigns it, leaving removes it, in the same transaction as the state change, so access follows
the state from the next request on. Every row here is audited (pghistory triggers).
"""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from countries import access
from countries.models import Country
from operations.models import IntelligenceReport, InvestigationRecord, SuspectRecord
from operations.services import RecordConflict

from . import policies
from .models import InvestigationMember, InvestigationNote, JointInvestigation, Network

# The permission's app label is the model's content type's: cooperation since the move.
VIEW = "cooperation.view_jointinvestigation"
Member = InvestigationMember.State


def _grant(investigation: JointInvestigation, country: Country) -> None:
    assign_perm(VIEW, access.country_group(country), investigation)


def _revoke(investigation: JointInvestigation, country: Country) -> None:
    remove_perm(VIEW, access.country_group(country), investigation)


# ---------------------------------------------------------------------------------------------
# Networks
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def network_create(*, actor, registered_by: Country, data: dict, countries_active) -> Network:
    if registered_by.pk not in access.scope_for(actor).record_country_ids:
        raise PermissionDenied(_("You can register networks only for your own country."))
    network = Network(registered_by=registered_by, created_by=actor, **data)
    network.full_clean()
    network.save()
    network.countries_active.set(countries_active)
    return network


@transaction.atomic
def network_update(*, actor, network: Network, data: dict, countries_active=None) -> Network:
    """Change a network's description: the registering country's people keep it up to date."""
    if not policies.can_change_network(actor, network):
        raise PermissionDenied(_(
            "Only the people of the country that registered the network change it."))
    network = Network.objects.select_for_update().get(pk=network.pk)
    for name, value in data.items():
        setattr(network, name, value)
    network.full_clean()
    network.save()
    if countries_active is not None:
        network.countries_active.set(countries_active)
    return network


@transaction.atomic
def network_give(*, actor, network: Network, country: Country) -> None:
    """Give the network to another country: it sees the network from now on."""
    if not access.can_answer_for_country(actor, network.registered_by_id):
        raise PermissionDenied(_("Only the registering country's focal point gives a network."))
    if country.pk == network.registered_by_id:
        raise ValidationError({"country": _("The network is already this country's.")})
    network.shared_with.add(country)


# ---------------------------------------------------------------------------------------------
# Joint investigations and their members
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def investigation_propose(*, actor, lead_country: Country, network: Network, title: str,
                          starts_on: dt.date, ends_on: dt.date, purpose: str,
                          invited) -> JointInvestigation:
    """The lead country proposes and invites; it is a member from the start."""
    if not access.can_answer_for_country(actor, lead_country.pk):
        raise PermissionDenied(_("Only a focal point proposes a joint investigation."))
    if not policies.networks_visible(actor, Network.objects.filter(pk=network.pk)).exists():
        raise ValidationError({"network": _("Choose a network your country knows.")})
    invited = [c for c in invited if c.pk != lead_country.pk]
    if not invited:
        raise ValidationError({"invited": _(
            "Invite at least one other country: a joint investigation has two or more.")})
    investigation = _investigation_create(
        actor=actor, lead_country=lead_country, network=network, title=title,
        starts_on=starts_on, ends_on=ends_on, purpose=purpose)
    for country in invited:
        InvestigationMember.objects.create(investigation=investigation, country=country,
                                           changed_by=actor)
    return investigation


def _investigation_create(*, actor, lead_country: Country, network: Network, title: str,
                          starts_on: dt.date, ends_on: dt.date, purpose: str,
                          joint_operation=None) -> JointInvestigation:
    """The investigation and its lead member (with the lead's grant); callers check access."""
    investigation = JointInvestigation(
        title=title.strip(), network=network, lead_country=lead_country, starts_on=starts_on,
        ends_on=ends_on, purpose=purpose.strip(), proposed_by=actor,
        joint_operation=joint_operation)
    investigation.full_clean()
    investigation.save()
    _member_join(investigation, lead_country, actor)
    return investigation


def _member_join(investigation: JointInvestigation, country: Country, actor
                 ) -> InvestigationMember:
    """A country becomes a member: the accepted row and its grant, in one transaction."""
    member = InvestigationMember.objects.create(investigation=investigation, country=country,
                                                state=Member.ACCEPTED, changed_by=actor)
    _grant(investigation, country)
    return member


@transaction.atomic
def investigation_open_agreed(*, actor, lead_country: Country, network: Network, title: str,
                              starts_on: dt.date, ends_on: dt.date, purpose: str, members,
                              joint_operation=None) -> JointInvestigation:
    """The secretariat opens an investigation the countries already agreed to (an accepted
    nomination of a planning meeting): the lead and every agreeing country are members at once,
    with the same member rows, grants and audit as accepting an invitation."""
    if not policies.can_manage_planning(actor):
        raise PermissionDenied(_("The secretariat opens agreed joint investigations."))
    members = [c for c in members if c.pk != lead_country.pk]
    if not members:
        raise ValidationError({"partners": _(
            "No partner country has agreed: a joint investigation has two or more countries.")})
    investigation = _investigation_create(
        actor=actor, lead_country=lead_country, network=network, title=title,
        starts_on=starts_on, ends_on=ends_on, purpose=purpose, joint_operation=joint_operation)
    for country in members:
        _member_join(investigation, country, actor)
    investigation.status = JointInvestigation.Status.ACTIVE
    investigation.save(update_fields=["status"])
    return investigation


def _locked_member(member: InvestigationMember) -> InvestigationMember:
    return InvestigationMember.objects.select_for_update().select_related(
        "investigation", "country").get(pk=member.pk)


@transaction.atomic
def member_invite(*, actor, investigation: JointInvestigation, country: Country
                  ) -> InvestigationMember:
    """Invite a country, or invite again one that declined or left (rejoining)."""
    if not access.can_answer_for_country(actor, investigation.lead_country_id):
        raise PermissionDenied(_("Only the lead country's focal point invites countries."))
    if investigation.status == JointInvestigation.Status.CLOSED:
        raise ValidationError({"country": _("The investigation is closed.")})
    member, created = InvestigationMember.objects.select_for_update().get_or_create(
        investigation=investigation, country=country, defaults={"changed_by": actor})
    if not created:
        if member.state in (Member.INVITED, Member.ACCEPTED):
            raise ValidationError({"country": _("%(country)s is already invited or a member.")
                                   % {"country": country.name}})
        member.state, member.changed_by = Member.INVITED, actor
        member.save()
    return member


@transaction.atomic
def member_respond(*, actor, member: InvestigationMember, accept: bool) -> InvestigationMember:
    """The invited country's focal point accepts (access from now on) or declines."""
    member = _locked_member(member)
    if not access.can_answer_for_country(actor, member.country_id):
        raise PermissionDenied(_("Only the invited country's focal point answers."))
    if member.state != Member.INVITED:
        raise ValidationError({"state": _("This invitation has already been answered.")})
    member.state, member.changed_by = (Member.ACCEPTED if accept else Member.DECLINED), actor
    member.save()
    if accept:
        _grant(member.investigation, member.country)
        JointInvestigation.objects.filter(
            pk=member.investigation_id, status=JointInvestigation.Status.PROPOSED
        ).update(status=JointInvestigation.Status.ACTIVE)
    return member


@transaction.atomic
def member_leave(*, actor, member: InvestigationMember) -> InvestigationMember:
    """A member country leaves: it loses access to the notes and shared records at once."""
    member = _locked_member(member)
    if not access.can_answer_for_country(actor, member.country_id):
        raise PermissionDenied(_("Only the country's focal point takes it out."))
    if member.state != Member.ACCEPTED:
        raise ValidationError({"state": _("Only a member can leave.")})
    if member.country_id == member.investigation.lead_country_id:
        raise ValidationError({"state": _("The lead country cannot leave; close the "
                                          "investigation instead.")})
    member.state, member.changed_by = Member.LEFT, actor
    member.save()
    _revoke(member.investigation, member.country)
    return member


@transaction.atomic
def investigation_close(*, actor, investigation: JointInvestigation) -> JointInvestigation:
    """Close it: members keep reading what was shared (the record of the work) but add nothing."""
    if not access.can_answer_for_country(actor, investigation.lead_country_id):
        raise PermissionDenied(_("Only the lead country's focal point closes it."))
    investigation.status = JointInvestigation.Status.CLOSED
    investigation.save(update_fields=["status"])
    InvestigationMember.objects.filter(investigation=investigation, state=Member.INVITED).update(
        state=Member.DECLINED)
    return investigation


# ---------------------------------------------------------------------------------------------
# What members share
# ---------------------------------------------------------------------------------------------


def _writing_country(actor, investigation: JointInvestigation) -> int:
    if investigation.status == JointInvestigation.Status.CLOSED:
        raise ValidationError({"text": _("The investigation is closed.")})
    countries = policies.member_country_ids(actor, investigation)
    if not countries:
        raise PermissionDenied(_("Only member countries add to the investigation."))
    return min(countries)


@transaction.atomic
def note_add(*, actor, investigation: JointInvestigation, text: str) -> InvestigationNote:
    country_id = _writing_country(actor, investigation)
    if not text.strip():
        raise ValidationError({"text": _("Write the note.")})
    note = InvestigationNote(investigation=investigation, country_id=country_id, author=actor,
                             text=text.strip())
    note.full_clean()
    note.save()
    return note


@transaction.atomic
def record_attribute(*, actor, record, investigation: JointInvestigation | None, version: int):
    """Attribute one of the actor's records to an investigation of their country (every member
    then reads it), or take it back out (``investigation`` None)."""
    model = type(record)
    locked = access.get_changeable_or_404(actor, model.objects.select_for_update(), pk=record.pk)
    if locked.version != version:
        raise RecordConflict(locked)
    if investigation is not None:
        _writing_country(actor, investigation)
        if locked.country_id not in policies.member_country_ids(actor, investigation):
            raise ValidationError({"joint_investigation": _(
                "The record's country is not a member of this investigation.")})
    locked.joint_investigation = investigation
    locked.version += 1
    locked.save(update_fields=["joint_investigation", "version", "updated_at"])
    return locked


NETWORK_LINKED_MODELS = (SuspectRecord, IntelligenceReport, InvestigationRecord)


@transaction.atomic
def record_network_link(*, actor, record, network: Network | None, version: int):
    """Link one of the actor's suspect, intelligence or investigation records to a network their
    country sees (or unlink it, ``network`` None); the network's page lists it to those who may
    read the record."""
    model = type(record)
    if model not in NETWORK_LINKED_MODELS:
        raise ValidationError({"network": _("This type of record is not linked to networks.")})
    locked = access.get_changeable_or_404(actor, model.objects.select_for_update(), pk=record.pk)
    if locked.version != version:
        raise RecordConflict(locked)
    if network is not None and not policies.sees_network(actor, network.pk, Network):
        raise ValidationError({"network": _("Choose a network your country knows.")})
    locked.network = network
    locked.version += 1
    locked.save(update_fields=["network", "version", "updated_at"])
    return locked


# ---------------------------------------------------------------------------------------------
# Enquiries: the addressee answers
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def enquiry_answer(*, actor, record, answered_on: dt.date | None, version: int):
    """The addressee country records the date it answered (or clears a date set by mistake)."""
    locked = type(record).objects.select_for_update().get(pk=record.pk)
    if not access.is_addressee(actor, locked):
        raise PermissionDenied(_("Only the country the enquiry was sent to answers it."))
    if locked.version != version:
        raise RecordConflict(locked)
    if answered_on is not None and answered_on < locked.occurred_on:
        raise ValidationError({"answered_on": _(
            "An enquiry cannot be answered before it was sent (%(sent)s).")
            % {"sent": locked.occurred_on.isoformat()}})
    if answered_on is not None and answered_on > dt.date.today():
        raise ValidationError({"answered_on": _("The answer date cannot be in the future.")})
    locked.answered_on = answered_on
    locked.version += 1
    locked.save(update_fields=["answered_on", "version", "updated_at"])
    return locked
