"""Planning the next joint initiative (statement paragraph 13) and focal point continuity.

At a planning meeting a country's focal point nominates a network to investigate and the
partner countries to do it with; each partner answers through its focal point; the secretariat
turns a nomination that partners accepted into a joint investigation, through the same member
rows, guardian grants and audit as ``cooperation.services``. Every row is audited.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from countries import access
from countries.models import Country, FocalPoint
from operations.models import JointOperation, Participation

from . import policies
from . import services as cooperation
from .models import JointInvestigation, Network, Nomination, NominationPartner, PlanningMeeting

Answer = NominationPartner.Answer
# Taking part in a joint operation: these countries need a focal point for its period.
TAKING_PART = (Participation.Status.INVITED, Participation.Status.AGREED,
               Participation.Status.TOOK_PART)


# ---------------------------------------------------------------------------------------------
# Planning meetings and nominations
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(*, actor, joint_operation: JointOperation, name: str, held_on: dt.date,
                   place: str = "") -> PlanningMeeting:
    if not policies.can_manage_planning(actor):
        raise PermissionDenied(_("The secretariat sets up planning meetings."))
    meeting = PlanningMeeting(joint_operation=joint_operation, name=name.strip(),
                              held_on=held_on, place=place.strip(), created_by=actor)
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def nomination_create(*, actor, meeting: PlanningMeeting, proposing_country: Country,
                      network: Network, partners, title: str, purpose: str = "",
                      give_network: bool = False) -> Nomination:
    """A focal point nominates a network their country sees, and partner countries.

    With ``give_network`` the registering country's focal point also gives the network to the
    partners (``cooperation.network_give``), so that they can see what they are asked to accept.
    """
    if not access.can_answer_for_country(actor, proposing_country.pk):
        raise PermissionDenied(_("A country's focal point nominates for it."))
    errors: dict[str, str] = {}
    if not policies.sees_network(actor, network.pk, Network):
        errors["network"] = _("Choose a network your country knows.")
    elif Nomination.objects.filter(meeting=meeting, network=network).exists():
        errors["network"] = _("This network is already nominated at this meeting.")
    if not Participation.objects.filter(joint_operation=meeting.joint_operation_id,
                                        country=proposing_country,
                                        status__in=TAKING_PART).exists():
        errors["proposing_country"] = _("%(country)s does not take part in %(operation)s.") % {
            "country": proposing_country.name, "operation": meeting.joint_operation.name}
    partners = list({c.pk: c for c in partners if c.pk != proposing_country.pk}.values())
    if not partners:
        errors["partners"] = _("Name at least one partner country: a joint investigation has "
                               "two or more countries.")
    if not title.strip():
        errors["title"] = _("Say what the countries would investigate.")
    if give_network and not access.can_answer_for_country(actor, network.registered_by_id):
        errors["give_network"] = _("Only the focal point of the country that registered the "
                                   "network gives it to other countries.")
    if errors:
        raise ValidationError(errors)
    nomination = Nomination(meeting=meeting, network=network, proposing_country=proposing_country,
                            title=title.strip(), purpose=purpose.strip(), nominated_by=actor)
    nomination.full_clean()
    try:
        with transaction.atomic():
            nomination.save()
    except IntegrityError as error:  # the same network nominated at the same moment
        raise ValidationError({"network": _(
            "This network is already nominated at this meeting.")}) from error
    for country in partners:
        NominationPartner.objects.create(nomination=nomination, country=country)
        if give_network and country.pk != network.registered_by_id and not \
                network.shared_with.filter(pk=country.pk).exists():
            cooperation.network_give(actor=actor, network=network, country=country)
    return nomination


@transaction.atomic
def nomination_answer(*, actor, partner: NominationPartner, accept: bool) -> NominationPartner:
    """A partner country's focal point accepts or declines; it may change its mind until the
    secretariat has turned the nomination into an investigation."""
    partner = NominationPartner.objects.select_for_update().select_related("nomination").get(
        pk=partner.pk)
    if not access.can_answer_for_country(actor, partner.country_id):
        raise PermissionDenied(_("Only the partner country's focal point answers."))
    if partner.nomination.investigation_id is not None:
        raise ValidationError({"answer": _(
            "This nomination is already a joint investigation; answer its invitations there.")})
    partner.answer = Answer.ACCEPTED if accept else Answer.DECLINED
    partner.answered_at, partner.answered_by = timezone.now(), actor
    partner.full_clean()
    partner.save()
    return partner


def convert_refusal(nomination: Nomination) -> ValidationError | None:
    """Why the nomination cannot become a joint investigation now, or None if it can: it is
    not one already and a partner has accepted (partners prefetched or read here)."""
    if nomination.investigation_id is not None:
        return ValidationError({"nomination": _(
            "This nomination is already a joint investigation.")})
    if not any(p.answer == Answer.ACCEPTED for p in nomination.partners.all()):
        return ValidationError({"partners": _(
            "No partner country has accepted yet: a joint investigation has two or more "
            "countries.")})
    return None


@transaction.atomic
def nomination_convert(*, actor, nomination: Nomination, starts_on: dt.date | None = None,
                       ends_on: dt.date | None = None) -> JointInvestigation:
    """The secretariat turns an accepted nomination into a joint investigation: the nominating
    country leads it, the partners that accepted are its members; over the joint initiative's
    period unless another is given."""
    if not policies.can_manage_planning(actor):
        raise PermissionDenied(_("The secretariat turns nominations into joint investigations."))
    nomination = Nomination.objects.select_for_update().select_related(
        "meeting__joint_operation", "network", "proposing_country").get(pk=nomination.pk)
    refusal = convert_refusal(nomination)
    if refusal:
        raise refusal
    accepted = [p.country for p in nomination.partners.select_related("country")
                if p.answer == Answer.ACCEPTED]
    period = nomination.meeting.joint_operation
    try:
        investigation = cooperation.investigation_open_agreed(
            actor=actor, lead_country=nomination.proposing_country, network=nomination.network,
            title=nomination.title, starts_on=starts_on or period.starts_on,
            ends_on=ends_on or period.ends_on, purpose=nomination.purpose, members=accepted,
            joint_operation=period)
    except ValidationError as error:
        # With no end given, the end is the joint initiative's: the start given is what is wrong.
        if ends_on is None and "ends_on" in getattr(error, "error_dict", {}):
            raise ValidationError({"starts_on": error.error_dict["ends_on"]}) from error
        raise
    nomination.investigation = investigation
    nomination.converted_by, nomination.converted_at = actor, timezone.now()
    nomination.save(update_fields=["investigation", "converted_by", "converted_at"])
    return investigation


# ---------------------------------------------------------------------------------------------
# Reads
# ---------------------------------------------------------------------------------------------


def nominations_for(*, user, queryset=None):
    """Nominations the user sees, with what the pages show joined in."""
    queryset = Nomination.objects.all() if queryset is None else queryset
    return policies.nominations_visible(user, queryset.select_related(
        "meeting__joint_operation", "network__registered_by", "proposing_country", "investigation",
    ).prefetch_related(Prefetch("partners", queryset=NominationPartner.objects.select_related(
        "country").order_by("country__name"))))


def nomination_status(nomination: Nomination) -> str:
    """Where a nomination stands, in words (partners prefetched)."""
    if nomination.investigation_id:
        return _("Turned into a joint investigation")
    answers = [p.answer for p in nomination.partners.all()]
    if Answer.ACCEPTED in answers:
        return _("Accepted by a partner: ready to become a joint investigation")
    if answers and all(a == Answer.DECLINED for a in answers):
        return _("Declined by every partner")
    return _("Awaiting the partners' answers")


def visible_network_ids(user) -> set[int]:
    return set(policies.networks_visible(user, Network.objects.all()).values_list("pk", flat=True))


@dataclass(frozen=True)
class ContinuityCell:
    focal_points: list  # national focal points serving at some time during the period
    covered: bool  # one of them served the whole period
    takes_part: bool


@dataclass(frozen=True)
class ContinuityWarning:
    country: Country
    joint_operation: JointOperation


def is_upcoming(joint_operation: JointOperation, today: dt.date) -> bool:
    return (joint_operation.status == JointOperation.Status.PLANNING
            or joint_operation.starts_on > today)


def _serves(focal_point: FocalPoint, starts_on: dt.date, ends_on: dt.date, *, whole: bool) -> bool:
    until = focal_point.served_until or dt.date.max
    if whole:
        return focal_point.served_from <= starts_on and until >= ends_on
    return focal_point.served_from <= ends_on and until >= starts_on


def focal_point_continuity(*, user, today: dt.date | None = None) -> dict:
    """Who was each country's national focal point in each joint operation, and the warnings:
    a country taking part in an upcoming joint operation with no focal point serving for its
    whole period. Countries are those the user follows (their own, or every one)."""
    today = today or timezone.localdate()
    joint_operations = list(JointOperation.objects.order_by("-starts_on", "-pk").prefetch_related(
        Prefetch("participations", queryset=Participation.objects.filter(
            status__in=TAKING_PART))))
    taking_part = {(p.joint_operation_id, p.country_id)
                   for j in joint_operations for p in j.participations.all()}
    country_ids = {country_id for _joint, country_id in taking_part}
    countries = list(policies.continuity_countries_visible(user, Country.objects.filter(
        Q(pk__in=country_ids) | Q(focal_points__isnull=False)).distinct()).order_by("name"))
    focal_points: dict[int, list[FocalPoint]] = {}
    for focal_point in access.focal_points_visible(user, FocalPoint.objects.filter(
            kind=FocalPoint.Kind.NATIONAL, country__in=countries).order_by("served_from", "pk")):
        focal_points.setdefault(focal_point.country_id, []).append(focal_point)
    rows, warnings = [], []
    for country in countries:
        cells = []
        for joint in joint_operations:
            serving = [f for f in focal_points.get(country.pk, [])
                       if _serves(f, joint.starts_on, joint.ends_on, whole=False)]
            covered = any(_serves(f, joint.starts_on, joint.ends_on, whole=True) for f in serving)
            takes_part = (joint.pk, country.pk) in taking_part
            cells.append(ContinuityCell(serving, covered, takes_part))
            if takes_part and not covered and is_upcoming(joint, today):
                warnings.append(ContinuityWarning(country, joint))
        rows.append((country, cells))
    return {"joint_operations": joint_operations, "rows": rows, "warnings": warnings,
            "current_focal_points": focal_points}
