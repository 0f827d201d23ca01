"""Pages for planning the next joint initiative (nominations of networks and partners), the
focal point directory with its continuity warnings, and linking records to networks."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from countries import access
from countries.models import FocalPoint
from operations.forms import add_service_errors
from operations.records import kind_or_404
from operations.services import RecordConflict

from . import planning, policies
from . import services as cooperation
from .forms import ConvertForm, MeetingForm, NetworkLinkForm, NominationForm
from .models import JointInvestigation, Network, Nomination, NominationPartner, PlanningMeeting

# ---------------------------------------------------------------------------------------------
# Forms
# ---------------------------------------------------------------------------------------------










# ---------------------------------------------------------------------------------------------
# Planning meetings and nominations
# ---------------------------------------------------------------------------------------------


def _meeting_or_404(user, pk) -> PlanningMeeting:
    try:
        return policies.planning_meetings_visible(
            user, PlanningMeeting.objects.select_related("joint_operation")).get(pk=pk)
    except (PlanningMeeting.DoesNotExist, ValueError) as missing:
        raise Http404("No such planning meeting.") from missing


def _nomination_or_404(user, pk) -> Nomination:
    try:
        return planning.nominations_for(user=user).get(pk=pk)
    except (Nomination.DoesNotExist, ValueError) as missing:
        raise Http404("No such nomination.") from missing


def _own_warnings(user):
    """Continuity warnings for the countries the user follows (their own, or every one)."""
    return planning.focal_point_continuity(user=user)["warnings"]


def _nomination_rows(user, nominations):
    """What a page shows of each nomination; a network's name only to those who see it."""
    seen = planning.visible_network_ids(user)
    visible_investigations = set(policies.investigations_visible(
        user, JointInvestigation.objects.filter(
            pk__in=[n.investigation_id for n in nominations if n.investigation_id])
    ).values_list("pk", flat=True))
    rows = []
    for nomination in nominations:
        rows.append({
            "nomination": nomination,
            "network_visible": nomination.network_id in seen,
            "status": planning.nomination_status(nomination),
            "partners": [(p, access.can_answer_for_country(user, p.country_id)
                          and not nomination.investigation_id) for p in nomination.partners.all()],
            "investigation_visible": nomination.investigation_id in visible_investigations,
            "can_convert": (policies.can_manage_planning(user)
                            and planning.convert_refusal(nomination) is None),
        })
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def planning_list(request):
    if not policies.can_view_directory(request.user):
        raise Http404
    can_manage = policies.can_manage_planning(request.user)
    form = MeetingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_manage:
            raise Http404
        if form.is_valid():
            try:
                meeting = planning.meeting_create(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Planning meeting set up."))
                return redirect("cooperation:planning_meeting", meeting.pk)
    meetings = policies.planning_meetings_visible(
        request.user, PlanningMeeting.objects.select_related("joint_operation"))
    return render(request, "cooperation/planning_list.html", {
        "meetings": meetings, "form": form if can_manage else None,
        "warnings": _own_warnings(request.user),
    }, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def planning_meeting(request, pk):
    meeting = _meeting_or_404(request.user, pk)
    can_nominate = policies.can_nominate(request.user)
    form = NominationForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST":
        if not can_nominate:
            raise Http404
        if form.is_valid():
            try:
                nomination = planning.nomination_create(actor=request.user, meeting=meeting,
                                                        **form.cleaned_data)
            except PermissionDenied as denied:
                raise Http404 from denied
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Network nominated; the partner countries' focal "
                                            "points are asked to answer."))
                return redirect("cooperation:planning_nomination", nomination.pk)
    nominations = list(planning.nominations_for(
        user=request.user, queryset=Nomination.objects.filter(meeting=meeting)))
    return render(request, "cooperation/planning_meeting.html", {
        "meeting": meeting, "rows": _nomination_rows(request.user, nominations),
        "form": form if can_nominate else None,
        "warnings": [w for w in _own_warnings(request.user)
                     if w.joint_operation.pk == meeting.joint_operation_id],
    }, status=400 if form.errors else 200)


@login_required
@require_safe
def planning_nomination(request, pk):
    nomination = _nomination_or_404(request.user, pk)
    return render(request, "cooperation/planning_nomination.html", {
        "row": _nomination_rows(request.user, [nomination])[0],
        "convert_form": ConvertForm() if policies.can_manage_planning(request.user) else None,
    })


@login_required
@require_POST
def nomination_answer(request, pk):
    try:
        partner = NominationPartner.objects.get(pk=pk)
    except (NominationPartner.DoesNotExist, ValueError) as missing:
        raise Http404 from missing
    _nomination_or_404(request.user, partner.nomination_id)  # 404 unless the user sees it
    accept = request.POST.get("answer") == "accept"
    try:
        planning.nomination_answer(actor=request.user, partner=partner, accept=accept)
    except PermissionDenied as denied:
        raise Http404 from denied
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Your country accepted the nomination.") if accept
                         else _("Your country declined the nomination."))
    return redirect("cooperation:planning_nomination", partner.nomination_id)


@login_required
@require_POST
def nomination_convert(request, pk):
    nomination = _nomination_or_404(request.user, pk)
    if not policies.can_manage_planning(request.user):
        raise Http404
    form = ConvertForm(request.POST)
    if form.is_valid():
        try:
            investigation = planning.nomination_convert(actor=request.user, nomination=nomination,
                                                        **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Joint investigation “%(title)s” opened; the accepting "
                                        "countries are its members.") % {
                                            "title": investigation.title})
            return redirect("cooperation:planning_nomination", nomination.pk)
    nomination = _nomination_or_404(request.user, pk)
    return render(request, "cooperation/planning_nomination.html", {
        "row": _nomination_rows(request.user, [nomination])[0], "convert_form": form,
    }, status=400)


# ---------------------------------------------------------------------------------------------
# The focal point directory
# ---------------------------------------------------------------------------------------------


@login_required
@require_safe
def directory(request):
    if not policies.can_view_directory(request.user):
        raise Http404
    continuity = planning.focal_point_continuity(user=request.user)
    focal_points = access.focal_points_visible(request.user, FocalPoint.objects.select_related(
        "country", "agency")).order_by("country__name", "-served_from", "pk")
    return render(request, "countries/directory.html", {
        **continuity, "focal_points": focal_points,
        "follows_every_country": access.follows_every_country(request.user),
    })


# ---------------------------------------------------------------------------------------------
# Records linked to a network
# ---------------------------------------------------------------------------------------------


def record_network_context(user, record) -> dict | None:
    """For a record's page: its network (named only to those who see it) and the link form."""
    if type(record) not in cooperation.NETWORK_LINKED_MODELS:
        return None
    visible = policies.sees_network(user, record.network_id, Network)
    can_link = access.can_change_record(user, record)
    form = None
    if can_link:
        form = NetworkLinkForm(user=user, initial={
            "network": record.network_id if visible else None, "version": record.version})
    return {"network_link": {
        "network": record.network if visible else None,
        "hidden": record.network_id is not None and not visible,
        "form": form,
    }}


@login_required
@require_POST
def record_network_link(request, kind, pk):
    kind = kind_or_404(kind)
    record = access.get_changeable_or_404(request.user, kind.model.objects.all(), pk=pk)
    form = NetworkLinkForm(request.POST, user=request.user)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for message in errors:
                messages.error(request, f"{form.fields[field].label}: {message}"
                               if field in form.fields else message)
        return redirect("operations:record_detail", kind.slug, record.pk)
    try:
        cooperation.record_network_link(actor=request.user, record=record,
                                        network=form.cleaned_data["network"],
                                        version=form.cleaned_data["version"])
    except RecordConflict:
        messages.error(request, _("The record changed since you opened it; here it is as saved. "
                                  "Choose again."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Linked to the network.") if form.cleaned_data["network"]
                         else _("No longer linked to a network."))
    return redirect("operations:record_detail", kind.slug, record.pk)
