"""Pages of cross-border cooperation: networks, joint investigations, invitations and notes."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from countries import access
from operations.forms import add_service_errors
from operations.models import CrimeType, EnquiryRecord, Sector
from operations.records import KINDS, KINDS_BY_MODEL, kind_or_404
from operations.services import RecordConflict

from . import policies
from . import services as cooperation
from .forms import (
    AnswerForm,
    GiveForm,
    InviteForm,
    NetworkForm,
    NoteForm,
    ProposeForm,
)
from .models import InvestigationMember, InvestigationNote, JointInvestigation, Network


def _investigation_or_404(user, pk) -> JointInvestigation:
    try:
        return policies.investigations_visible(
            user, JointInvestigation.objects.select_related("network", "lead_country")
        ).get(pk=pk)
    except (JointInvestigation.DoesNotExist, ValueError) as missing:
        raise Http404("No such investigation.") from missing


def _network_or_404(user, pk) -> Network:
    try:
        return policies.networks_visible(user, Network.objects.select_related("registered_by")
                                       ).get(pk=pk)
    except (Network.DoesNotExist, ValueError) as missing:
        raise Http404("No such network.") from missing


def _member_or_404(user, pk) -> InvestigationMember:
    try:
        member = InvestigationMember.objects.select_related("investigation").get(pk=pk)
    except (InvestigationMember.DoesNotExist, ValueError) as missing:
        raise Http404 from missing
    _investigation_or_404(user, member.investigation_id)  # 404 unless the user sees it
    return member


@login_required
@require_safe
def investigation_list(request):
    scope = access.scope_for(request.user)
    investigations = list(policies.investigations_visible(
        request.user, JointInvestigation.objects.select_related("network", "lead_country")
    ).prefetch_related("members__country"))
    invitations = [(i, m) for i in investigations for m in i.members.all()
                   if m.state == InvestigationMember.State.INVITED
                   and m.country_id in scope.record_country_ids]
    return render(request, "cooperation/investigation_list.html", {
        "investigations": [i for i in investigations if policies.member_country_ids(request.user, i)
                           or scope.is_superuser],
        "invitations": invitations,
        "networks": policies.networks_visible(request.user, Network.objects.select_related(
            "registered_by")),
        "can_propose": policies.can_propose_investigation(request.user),
        "can_register": bool(scope.record_country_ids),
    })


@login_required
@require_http_methods(["GET", "POST"])
def network_create(request):
    if not access.scope_for(request.user).record_country_ids:
        raise Http404
    form = NetworkForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items()
                if k not in ("registered_by", "countries_active")}
        try:
            network = cooperation.network_create(
                actor=request.user, registered_by=form.cleaned_data["registered_by"], data=data,
                countries_active=form.cleaned_data["countries_active"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Network registered."))
            return redirect("cooperation:network_detail", network.pk)
    return render(request, "cooperation/network_form.html", {"form": form},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def network_detail(request, pk):
    network = _network_or_404(request.user, pk)
    form = GiveForm(request.POST if request.method == "POST" else None)
    can_give = access.can_answer_for_country(request.user, network.registered_by_id)
    if request.method == "POST":
        if not can_give:
            raise PermissionDenied
        if form.is_valid():
            try:
                cooperation.network_give(actor=request.user, network=network,
                                         country=form.cleaned_data["country"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("%(country)s now sees this network.")
                                 % {"country": form.cleaned_data["country"].name})
                return redirect("cooperation:network_detail", network.pk)
    investigations = policies.investigations_visible(
        request.user, network.investigations.select_related("lead_country"))
    return render(request, "cooperation/network_detail.html", {
        "network": network, "give_form": form if can_give else None,
        "crime_types": [str(CrimeType(v).label) for v in network.crime_types],
        "sectors": [str(Sector(v).label) for v in network.sectors],
        "investigations": investigations,
        "linked_records": _linked_records(request.user, network),
    }, status=400 if form.errors else 200)


def _linked_records(user, network):
    """Suspect, intelligence and investigation records linked to the network that the user
    reads (their country's, or shared with it)."""
    found = []
    for model in cooperation.NETWORK_LINKED_MODELS:
        kind = KINDS_BY_MODEL[model]
        records = access.records_visible(user, model.objects.filter(network=network)
                                         .select_related("country", "agency"))
        found += [(kind, record) for record in records]
    return sorted(found, key=lambda pair: (pair[1].occurred_on, pair[0].slug), reverse=True)


@login_required
@require_http_methods(["GET", "POST"])
def investigation_create(request):
    if not policies.can_propose_investigation(request.user):
        raise Http404
    form = ProposeForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            investigation = cooperation.investigation_propose(actor=request.user,
                                                              **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Joint investigation proposed; the invited countries' "
                                        "focal points are asked to accept."))
            return redirect("cooperation:investigation_detail", investigation.pk)
    return render(request, "cooperation/investigation_form.html", {"form": form},
                  status=400 if form.errors else 200)


def _attributed_records(user, investigation):
    found = []
    for kind in KINDS:
        records = access.records_visible(user, kind.model.objects.filter(
            joint_investigation=investigation).select_related("country", "agency"))
        found += [(kind, record) for record in records]
    return sorted(found, key=lambda pair: (pair[1].occurred_on, pair[0].slug), reverse=True)


@login_required
@require_http_methods(["GET", "POST"])
def investigation_detail(request, pk):
    investigation = _investigation_or_404(request.user, pk)
    member = policies.is_investigation_member(request.user, investigation)
    note_form = NoteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":  # a new note
        if not member:
            raise Http404
        if note_form.is_valid():
            try:
                cooperation.note_add(actor=request.user, investigation=investigation,
                                     text=note_form.cleaned_data["text"])
            except (ValidationError, PermissionDenied) as error:
                if isinstance(error, PermissionDenied):
                    raise Http404 from error
                add_service_errors(note_form, error)
            else:
                return redirect("cooperation:investigation_detail", investigation.pk)
    members = list(investigation.members.select_related("country").order_by("country__name"))
    lead_speaker = access.can_answer_for_country(request.user, investigation.lead_country_id)
    return render(request, "cooperation/investigation_detail.html", {
        "investigation": investigation,
        "is_member": member,
        "members": [(m, access.can_answer_for_country(request.user, m.country_id))
                    for m in members],
        "notes": (InvestigationNote.objects.filter(investigation=investigation)
                  .select_related("country", "author") if member else []),
        "records": _attributed_records(request.user, investigation) if member else [],
        "note_form": note_form if member and investigation.status != "closed" else None,
        "invite_form": InviteForm() if lead_speaker and investigation.status != "closed" else None,
        "can_close": lead_speaker and investigation.status != "closed",
    }, status=400 if note_form.errors else 200)


def _service(request, call, investigation_id, success: str):
    """Run a membership service; its refusal is a message on the investigation's page."""
    try:
        call()
    except PermissionDenied as denied:
        raise Http404 from denied
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    if policies.investigations_visible(request.user, JointInvestigation.objects.filter(
            pk=investigation_id)).exists():
        return redirect("cooperation:investigation_detail", investigation_id)
    return redirect("cooperation:investigation_list")


@login_required
@require_POST
def member_respond(request, pk):
    member = _member_or_404(request.user, pk)
    accept = request.POST.get("answer") == "accept"
    return _service(request, lambda: cooperation.member_respond(
        actor=request.user, member=member, accept=accept), member.investigation_id,
        _("You joined the investigation.") if accept else _("You declined the invitation."))


@login_required
@require_POST
def member_leave(request, pk):
    member = _member_or_404(request.user, pk)
    return _service(request, lambda: cooperation.member_leave(actor=request.user, member=member),
                    member.investigation_id,
                    _("%(country)s left the investigation.") % {"country": member.country.name})


@login_required
@require_POST
def member_invite(request, pk):
    investigation = _investigation_or_404(request.user, pk)
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a country to invite."))
        return redirect("cooperation:investigation_detail", investigation.pk)
    return _service(request, lambda: cooperation.member_invite(
        actor=request.user, investigation=investigation, country=form.cleaned_data["country"]),
        investigation.pk, _("%(country)s is invited.") % {
            "country": form.cleaned_data["country"].name})


@login_required
@require_POST
def investigation_close(request, pk):
    investigation = _investigation_or_404(request.user, pk)
    return _service(request, lambda: cooperation.investigation_close(
        actor=request.user, investigation=investigation), investigation.pk,
        _("The investigation is closed."))


@login_required
@require_POST
def record_attribute(request, kind, pk):
    """Attribute a record to one of the user's country's investigations, or take it out."""
    kind = kind_or_404(kind)
    record = access.get_changeable_or_404(request.user, kind.model.objects.all(), pk=pk)
    investigation = None
    if request.POST.get("joint_investigation"):
        investigation = _investigation_or_404(request.user, request.POST["joint_investigation"])
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        cooperation.record_attribute(actor=request.user, record=record,
                                     investigation=investigation, version=version)
    except RecordConflict:
        messages.error(request, _("The record changed since you opened it; here it is as saved. "
                                  "Choose again."))
    except PermissionDenied as denied:
        raise Http404 from denied
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Shared with the investigation's members.") if investigation
                         else _("No longer attributed to a joint investigation."))
    return redirect("operations:record_detail", kind.slug, record.pk)


@login_required
@require_safe
def enquiries_incoming(request):
    """Enquiries other countries sent to the user's countries, unanswered first."""
    countries = access.scope_for(request.user).record_country_ids
    if not countries:
        raise Http404
    enquiries = access.records_visible(request.user, EnquiryRecord.objects.filter(
        counterpart_id__in=countries)).select_related("country", "counterpart", "agency").order_by(
        F("answered_on").asc(nulls_first=True), "-occurred_on", "-pk")
    return render(request, "cooperation/enquiries_incoming.html", {"enquiries": enquiries})


@login_required
@require_POST
def enquiry_answer(request, pk):
    try:
        record = access.records_visible(request.user, EnquiryRecord.objects.all()).get(pk=pk)
    except (EnquiryRecord.DoesNotExist, ValueError) as missing:
        raise Http404 from missing
    form = AnswerForm(request.POST)
    if not form.is_valid():
        for name, errors in form.errors.items():
            for message in errors:  # the page redirects: the message names its field
                messages.error(request, f"{form[name].label}: {message}")
        return redirect("operations:record_detail", "enquiries", record.pk)
    try:
        cooperation.enquiry_answer(actor=request.user, record=record,
                                   answered_on=form.cleaned_data["answered_on"],
                                   version=form.cleaned_data["version"])
    except PermissionDenied as denied:
        raise Http404 from denied
    except RecordConflict:
        messages.error(request, _("The enquiry changed since you opened it; here it is as saved."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Answer date saved."))
    return redirect("operations:record_detail", "enquiries", record.pk)


