"""Pages of the debrief exports: ask for one, watch it being made, download it, try again."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from countries import access

from . import export_jobs, exports, policies, selectors
from .forms import ExportForm
from .models import ExportJob

RECENT_JOBS = 20


def _form(request, data=None) -> ExportForm:
    joint_operations = selectors.dashboard_joint_operations()
    current = selectors.current_joint_operation(joint_operations)
    return ExportForm(data, user=request.user, joint_operations=joint_operations,
                      countries=selectors.taking_part_countries(), auto_id="export_%s",
                      initial={"joint_operation": current.slug if current else ""})


def _jobs(request):
    return policies.exports_visible(
        request.user, ExportJob.objects.select_related("joint_operation", "country")
    )


@login_required
@require_http_methods(["GET", "POST"])
def export_list(request):
    """The export form and the user's recent exports. A CSV is streamed at once; the other
    formats are made by a worker while the job's page shows their progress."""
    if not access.can_view_regional_totals(request.user):
        return render(request, "reporting/no_membership.html")
    form = _form(request, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        choice = form.cleaned_data
        if choice["joint_operation"] is None:
            raise Http404
        common = {"user": request.user, "joint_operation": choice["joint_operation"],
                  "country": choice["country"], "fmt": choice["format"],
                  "profile": choice["profile"], "rounded": choice["rounded"]}
        if choice["format"] == ExportJob.Format.CSV:
            return _stream_csv(request, common)
        try:
            job = export_jobs.request_export(**common)
        except PermissionDenied as denied:
            raise Http404 from denied
        access.log_access(request, "export", job)
        return redirect("reporting:export_detail", job.pk)
    return render(request, "reporting/export_list.html", {
        "form": form, "jobs": _jobs(request)[:RECENT_JOBS],
    }, status=400 if form.is_bound else 200)


def _stream_csv(request, choice):
    if not policies.can_export(request.user, profile=choice["profile"],
                             country_id=choice["country"].pk if choice["country"] else None):
        raise Http404
    data = exports.debrief(choice["joint_operation"], country=choice["country"],
                           profile=choice["profile"], rounded=choice["rounded"])
    job = export_jobs.log_export(**choice, source=ExportJob.Source.PAGE)
    access.log_access(request, "export", job)
    response = StreamingHttpResponse(exports.csv_lines(data),
                                     content_type=exports.CONTENT_TYPES["csv"])
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(data, "csv")}"'
    return response


@login_required
@require_safe
def export_detail(request, pk):
    """One export: its progress (polled by htmx while it is being made), then its download."""
    job = access_job_or_404(request, pk)
    htmx = request.headers.get("HX-Request") == "true"
    template = "reporting/_export_job.html" if htmx else "reporting/export_detail.html"
    return render(request, template, {"job": job})


@login_required
@require_safe
def export_download(request, pk):
    job = access_job_or_404(request, pk)
    if job.status != ExportJob.Status.SUCCEEDED or not job.file:
        raise Http404("This export has no file (not ready yet, failed or expired).")
    access.log_access(request, "export", job)
    response = FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename,
                            content_type=exports.CONTENT_TYPES[job.format])
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def export_retry(request, pk):
    job = access_job_or_404(request, pk)
    if job.status not in (ExportJob.Status.FAILED, ExportJob.Status.EXPIRED):
        return redirect("reporting:export_detail", job.pk)
    try:
        again = export_jobs.retry_export(user=request.user, job=job)
    except PermissionDenied as denied:  # the user's role changed since
        raise Http404 from denied
    access.log_access(request, "export", again)
    return redirect("reporting:export_detail", again.pk)


def access_job_or_404(request, pk) -> ExportJob:
    try:
        return _jobs(request).get(pk=pk)
    except (ExportJob.DoesNotExist, ValueError) as missing:
        raise Http404("No such export.") from missing
