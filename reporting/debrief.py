"""The debrief workshop's pages and the draft co-chairs' statement.

The workshop, lessons and recommendations are written through ``reporting.services``; this
module adds what needs the roll-up: each country's outcomes pre-filled from its totals, and the draft statement combining attendance, paragraph 8 and the
recommendations.
"""
from __future__ import annotations

import copy

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from countries import access
from countries.models import Country
from operations.forms import add_service_errors
from operations.models import JointOperation, Participation

from . import exports, policies, services
from .models import DebriefWorkshop, Lesson, Recommendation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WorkshopForm(forms.ModelForm):
    class Meta:
        model = DebriefWorkshop
        fields = ["held_on", "place", "co_chairs"]
        widgets = {"held_on": DATE, "co_chairs": forms.Textarea(attrs={"rows": 3})}


class LessonForm(forms.ModelForm):
    class Meta:
        model = Lesson
        fields = list(services.LESSON_FIELDS)
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in services.LESSON_FIELDS}


class RecommendationForm(forms.ModelForm):
    class Meta:
        model = Recommendation
        fields = ["text", "owner", "due_on"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2}), "due_on": DATE}


class TrackForm(forms.ModelForm):
    class Meta:
        model = Recommendation
        fields = ["status", "owner", "due_on", "progress_note"]
        widgets = {"due_on": DATE, "progress_note": forms.Textarea(attrs={"rows": 2})}


def _joint_operation_or_404(slug) -> JointOperation:
    try:
        return JointOperation.objects.get(slug=slug)
    except JointOperation.DoesNotExist as missing:
        raise Http404 from missing


def _members_only(request):
    if not access.can_view_regional_totals(request.user):
        raise Http404


def attendance(joint_operation: JointOperation) -> tuple[list[str], list[str]]:
    """(countries, organisations) that attended the debrief, by name."""
    attended = Participation.objects.filter(
        joint_operation=joint_operation, attended_debrief=True).select_related("country")
    states = sorted(p.country.name for p in attended if p.country.kind == Country.Kind.STATE)
    organisations = sorted(p.country.name for p in attended if p.country.kind != Country.Kind.STATE)
    return states, organisations


def country_outcomes(joint_operation: JointOperation, country: Country) -> str:
    """A country's outcomes in the statement's words, from its totals (the lesson's first box)."""
    data = exports.debrief(joint_operation, country=country)
    return data.statement.text


@login_required
@require_http_methods(["GET", "POST"])
def workshop_detail(request, slug):
    _members_only(request)
    joint_operation = _joint_operation_or_404(slug)
    workshop = DebriefWorkshop.objects.filter(joint_operation=joint_operation).first()
    form = None
    if policies.can_manage_workshop(request.user):
        form = WorkshopForm(request.POST if request.method == "POST" else None, instance=workshop)
        if request.method == "POST" and form.is_valid():
            services.workshop_save(actor=request.user, joint_operation=joint_operation,
                                      **form.cleaned_data)
            messages.success(request, _("Workshop saved."))
            return redirect("reporting:workshop_detail", slug)
    elif request.method == "POST":
        raise Http404
    states, organisations = attendance(joint_operation)
    scope = access.scope_for(request.user)
    return render(request, "reporting/workshop_detail.html", {
        "joint_operation": joint_operation, "workshop": workshop, "form": form,
        "states": states, "organisations": organisations,
        "lessons": workshop.lessons.select_related("country") if workshop else [],
        "recommendations": workshop.recommendations.all() if workshop else [],
        "own_countries": Country.objects.filter(pk__in=scope.focal_country_ids).order_by("name"),
        "can_manage": policies.can_manage_workshop(request.user),
        "can_draft": policies.can_draft_statement(request.user),
        "recommendation_form": RecommendationForm() if workshop and policies.can_manage_workshop(
            request.user) else None,
    }, status=400 if form is not None and form.errors else 200)


def _workshop_or_404(slug) -> DebriefWorkshop:
    try:
        return DebriefWorkshop.objects.select_related("joint_operation").get(
            joint_operation__slug=slug)
    except DebriefWorkshop.DoesNotExist as missing:
        raise Http404 from missing


@login_required
@require_http_methods(["GET", "POST"])
def lessons_edit(request, slug, code):
    workshop = _workshop_or_404(slug)
    country = Country.objects.filter(code=code).first()
    if country is None or not access.can_answer_for_country(request.user, country.pk):
        raise Http404
    lesson = Lesson.objects.filter(workshop=workshop, country=country).first()
    initial = {} if lesson else {"outcomes": country_outcomes(workshop.joint_operation, country)}
    form = LessonForm(request.POST if request.method == "POST" else None, instance=lesson,
                      initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.lessons_save(actor=request.user, workshop=workshop, country=country,
                                     data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Lessons saved."))
            return redirect("reporting:workshop_detail", slug)
    return render(request, "reporting/lessons_form.html", {
        "workshop": workshop, "country": country, "form": form,
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def recommendation_add(request, slug):
    workshop = _workshop_or_404(slug)
    if not policies.can_manage_workshop(request.user):
        raise Http404
    form = RecommendationForm(request.POST)
    if form.is_valid():
        services.recommendation_add(actor=request.user, workshop=workshop, **form.cleaned_data)
        messages.success(request, _("Recommendation added."))
    else:
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[field].label}: {error}")
    return redirect("reporting:workshop_detail", slug)


@login_required
@require_POST
def recommendation_track(request, pk):
    if not policies.can_manage_workshop(request.user):
        raise Http404
    try:
        recommendation = Recommendation.objects.select_related("workshop__joint_operation").get(
            pk=pk)
    except (Recommendation.DoesNotExist, ValueError) as missing:
        raise Http404 from missing
    # The form validates on a copy: the service, not the form, changes the recommendation.
    form = TrackForm(request.POST, instance=copy.copy(recommendation))
    if form.is_valid():
        try:
            services.recommendation_track(actor=request.user, recommendation=recommendation,
                                             **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("Recommendation %(number)s updated.")
                             % {"number": recommendation.number})
    else:
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[field].label}: {error}")
    return redirect("reporting:workshop_detail", recommendation.workshop.joint_operation.slug)


# ---------------------------------------------------------------------------------------------
# The draft co-chairs' statement
# ---------------------------------------------------------------------------------------------


def draft_statement(workshop: DebriefWorkshop) -> str:
    """Attendance, the co-chairs, paragraph 8 from the roll-up, the lessons, and the
    recommendations with their owners and status: the secretariat's starting point."""
    joint_operation = workshop.joint_operation
    states, organisations = attendance(joint_operation)
    paragraph_8 = exports.debrief(joint_operation).statement
    lines = [
        _("CO-CHAIRS' STATEMENT (DRAFT)"), "",
        _("%(name)s: debrief workshop, %(place)s, %(date)s") % {
            "name": joint_operation.name, "place": workshop.place,
            "date": date_format(workshop.held_on, "j F Y")},  # prose: the month in full
        "",
        _("In attendance were law enforcement and immigration officials from %(countries)s.")
        % {"countries": get_text_list(states, _("and"))},
    ]
    if organisations:
        lines.append(_("%(organisations)s also participated.")
                     % {"organisations": get_text_list(organisations, _("and"))})
    if workshop.co_chairs:
        lines += ["", _("Co-chairs:"), *workshop.co_chairs.splitlines()]
    lines += ["", _("Outcomes"), "", paragraph_8.text.rstrip()]
    lessons = list(workshop.lessons.select_related("country"))
    if lessons:
        lines += ["", _("Lessons")]
        for lesson in lessons:
            lines += ["", lesson.country.name]
            for field in services.LESSON_FIELDS[1:]:
                text = getattr(lesson, field)
                if text:
                    label = str(Lesson._meta.get_field(field).verbose_name)
                    lines.append(f"- {label[:1].upper()}{label[1:]}: {text}")
    lines += ["", _("Recommendations"), "",
              _("The recommendations that emerged from the debrief workshop included:")]
    for recommendation in workshop.recommendations.all():
        details = [d for d in (recommendation.owner,
                               recommendation.due_on and _("due %(date)s") % {
                                   "date": date_format(recommendation.due_on, "DATE_FORMAT")},
                               str(recommendation.get_status_display())) if d]
        lines.append(f"{recommendation.number}. {recommendation.text} ({'; '.join(details)})")
    return "\n".join(str(line) for line in lines) + "\n"


@login_required
@require_safe
def statement_download(request, slug):
    if not policies.can_draft_statement(request.user):
        raise Http404
    workshop = _workshop_or_404(slug)
    access.log_access(request, "export", workshop)
    response = HttpResponse(draft_statement(workshop), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{slug}-co-chairs-statement-draft.txt"')
    return response


