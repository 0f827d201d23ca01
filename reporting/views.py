"""Pages that show what the records add up to: the workspace and overview, and country returns."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from countries import access
from operations import policies as operations_policies
from operations import review, services
from operations.forms import add_service_errors
from operations.selectors import joint_operation_current

from . import completeness, selectors, totals
from . import dashboard as dashboards
from . import services as reporting_services
from .forms import ReturnReopenForm, ReturnSubmitForm
from .models import OutlierFlag


@login_required
@require_safe
def home(request):
    if not access.can_view_regional_totals(request.user):
        # Fail closed: an account nobody has given a role yet sees no figures at all.
        return render(request, "reporting/no_membership.html")
    joint_operation = joint_operation_current()
    figures, rollup, pending_names = [], None, []
    participations, workspaces, return_states = [], [], []
    follows_every_return = access.follows_every_country(request.user)
    if joint_operation is not None:
        read = totals.joint_operation_totals(joint_operation, user=request.user, cached=True)
        figures, rollup = read.figures(), read.rollup
        pending_names = sorted(c.name for c in read.countries if read.is_pending(c.pk))
        participations = list(joint_operation.participations.all())
        workspaces = selectors.country_workspaces(
            user=request.user, joint_operation=joint_operation, totals=read
        )
        if follows_every_return:
            return_states = selectors.return_state_counts(
                selectors.return_list(user=request.user, joint_operation=joint_operation)
            )
    return render(
        request,
        "reporting/home.html",
        {
            "joint_operation": joint_operation,
            "figures": figures,
            "rollup": rollup,
            "pending_names": pending_names,
            "operating": [p for p in participations if p.status == p.Status.TOOK_PART],
            "participations": participations,
            "co_chairs": list(joint_operation.co_chairs.all()) if joint_operation else [],
            "workspaces": workspaces,
            "can_enter_records": access.can_enter_records(request.user),
            "follows_every_return": follows_every_return,
            "return_states": return_states,
        },
    )


@login_required
@require_safe
def dashboard(request):
    """Regional totals for everyone with a role; drill-down only to records the user reads."""
    if not access.can_view_regional_totals(request.user):
        return render(request, "reporting/no_membership.html")
    dashboard = dashboards.build(user=request.user, params=request.GET)
    completeness_html = ""
    if dashboard.joint_operation is not None:  # cached like the body: no query on a hit
        completeness_html = dashboards.completeness_html(dashboard, lambda: render_to_string(
            "reporting/_completeness.html",
            _completeness(request.user, dashboard.joint_operation), request=request))
    return render(request, "reporting/dashboard.html", {
        "dashboard": dashboard, "completeness_html": completeness_html})


def _completeness(user, joint_operation, returns=None) -> dict:
    """The completeness and timeliness report, and whether the user gets the late-or-silent
    list (those who follow every country: the secretariat, the co-chairs)."""
    if joint_operation is None:
        return {}
    return {"completeness": completeness.build(user=user, joint_operation=joint_operation,
                                               returns=returns),
            "show_late_or_silent": access.follows_every_country(user)}


# ---------------------------------------------------------------------------------------------
# Country returns
# ---------------------------------------------------------------------------------------------


@login_required
@require_safe
def return_list(request):
    if not access.can_view_regional_totals(request.user):
        return render(request, "reporting/no_membership.html")
    joint_operation = joint_operation_current()
    returns = (
        selectors.return_list(user=request.user, joint_operation=joint_operation)
        if joint_operation else []
    )
    return render(request, "reporting/return_list.html", {
        "joint_operation": joint_operation,
        "returns": returns,
        "states": selectors.return_state_counts(returns),
        **_completeness(request.user, joint_operation, returns),
    })


def _render_detail(request, country_return, *, status=200, submit_form=None, reopen_form=None,
                   action_errors=(), resolve_error=None):
    """The return page; ``resolve_error``: {"url", "message", "comment"} of a finding whose
    check was refused (the comment as typed), shown beside it and in the summary."""
    user = request.user
    joint_operation = country_return.joint_operation
    is_focal_point = operations_policies.can_submit_return(user, country_return)
    can_decide = operations_policies.can_decide_return(user)
    can_submit = is_focal_point and country_return.allows("submit")
    figures = selectors.return_figures(user=user, country_return=country_return)
    findings = review.findings(country_return)
    field_errors = []  # (field id, message): summarised at the top, linked to the field
    for form in (submit_form, reopen_form):
        if form is not None:
            action_errors = [*action_errors, *form.non_field_errors()]
            field_errors += [(field.auto_id, error) for field in form if field.errors
                             for error in field.errors]
    if resolve_error:
        for finding in findings:
            if finding.resolve_url == resolve_error["url"]:
                field_errors.append((f"comment_{finding.key}", resolve_error["message"]))
    return render(request, "reporting/return_detail.html", {
        "country_return": country_return,
        "joint_operation": joint_operation,
        "figures": figures.figures,
        "agencies": figures.agencies,
        "breakdown": figures.breakdown,
        "rollup": figures.rollup,
        "pending_names": [country_return.country.name] if figures.pending else [],
        "timeline": selectors.return_timeline(country_return=country_return),
        "findings": findings,
        "warned": any(f.severity == review.WARNING for f in findings),
        # Findings marked checked one by one (outlier flags): by the focal point while open.
        "can_resolve": is_focal_point and country_return.allows("submit"),
        "resolve_error": resolve_error or {},
        "submit_form": (submit_form or ReturnSubmitForm()) if can_submit else None,
        "can_accept": can_decide and country_return.allows("accept"),
        "reopen_form": ((reopen_form or ReturnReopenForm())
                        if can_decide and country_return.allows("reopen") else None),
        "may_submit_later": is_focal_point and not country_return.allows("submit"),
        "action_errors": action_errors,
        "field_errors": field_errors,
    }, status=status)


def _return_or_404(request, joint_operation, country):
    return selectors.return_for(
        user=request.user, joint_operation_slug=joint_operation, country_code=country
    )


@login_required
@require_safe
def return_detail(request, joint_operation, country):
    return _render_detail(request, _return_or_404(request, joint_operation, country))


def _refused(request, country_return, action: str):
    """The page with the service's refusal (403), before any form is read; None if allowed."""
    try:
        services.country_return_check(actor=request.user, country_return=country_return,
                                      action=action)
    except PermissionDenied as error:
        return _render_detail(request, country_return, status=403, action_errors=[str(error)])
    return None


def _act(request, country_return, action, success_message, *, form_name=None, form=None):
    """Run a return service; re-render the page with its errors, or redirect with a message."""
    try:
        if country_return.pk is None:  # listed as open, but no row yet: create it now
            country_return = services.country_return_open(
                joint_operation_id=country_return.joint_operation_id,
                country_id=country_return.country_id,
            )
        updated = action(country_return)
    except PermissionDenied as error:
        return _render_detail(request, country_return, status=403, action_errors=[str(error)])
    except ValidationError as error:
        # A field error (a blank reason) is the user's to fix; any other means someone acted
        # first, so the page shows the return as it is now.
        current = _return_or_404(request, country_return.joint_operation.slug,
                                 country_return.country.code)
        if form is not None and hasattr(error, "error_dict"):
            add_service_errors(form, error)
            return _render_detail(request, current, status=400, **{form_name: form})
        return _render_detail(request, current, status=409, action_errors=error.messages)
    messages.success(request, success_message % {"country": updated.country.name})
    return redirect("reporting:return_detail", joint_operation=updated.joint_operation.slug,
                    country=updated.country.code)


@login_required
@require_POST
def return_submit(request, joint_operation, country):
    country_return = _return_or_404(request, joint_operation, country)
    refused = _refused(request, country_return, "submit")
    if refused:
        return refused
    form = ReturnSubmitForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, country_return, status=400, submit_form=form)
    return _act(
        request, country_return,
        lambda r: services.country_return_submit(
            actor=request.user, country_return=r,
            warnings_reason=form.cleaned_data["warnings_reason"]),
        _("The return of %(country)s is submitted. Its records are locked until the "
          "secretariat reopens it."),
        form_name="submit_form", form=form,
    )


@login_required
@require_POST
def return_accept(request, joint_operation, country):
    country_return = _return_or_404(request, joint_operation, country)
    refused = _refused(request, country_return, "accept")
    if refused:
        return refused
    return _act(
        request, country_return,
        lambda r: services.country_return_accept(actor=request.user, country_return=r),
        _("The return of %(country)s is accepted: its figures are final."),
    )


@login_required
@require_POST
def return_reopen(request, joint_operation, country):
    country_return = _return_or_404(request, joint_operation, country)
    refused = _refused(request, country_return, "reopen")
    if refused:
        return refused
    form = ReturnReopenForm(request.POST)
    form.is_valid()  # no rules of its own; cleans the reason
    return _act(
        request, country_return,
        lambda r: services.country_return_reopen(
            actor=request.user, country_return=r, reason=form.cleaned_data.get("reason", ""),
        ),
        _("The return of %(country)s is reopened: its records can be changed again."),
        form_name="reopen_form", form=form,
    )


@login_required
@require_POST
def outlier_check(request, joint_operation, country, pk):
    """The focal point marks an outlier flag of the return "checked, correct", with a comment."""
    country_return = _return_or_404(request, joint_operation, country)
    flag = get_object_or_404(OutlierFlag, pk=pk, joint_operation_id=country_return.joint_operation_id,
                             country_id=country_return.country_id)
    comment = request.POST.get("comment", "")
    try:
        reporting_services.outlier_flag_check(actor=request.user, flag=flag, comment=comment)
    except PermissionDenied as error:
        return _render_detail(request, country_return, status=403, action_errors=[str(error)])
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            return _render_detail(request, country_return, status=400, resolve_error={
                "url": request.path, "message": " ".join(error.messages), "comment": comment})
        return _render_detail(request, country_return, status=409, action_errors=error.messages)
    messages.success(request, _("The flag is marked checked, correct, with your comment."))
    return redirect("reporting:return_detail", joint_operation=joint_operation,
                    country=country_return.country.code)
