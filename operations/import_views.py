"""Pages of the bulk import: upload with templates, preview with per-row errors, confirm."""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from countries import access

from . import imports, policies, selectors
from .models import ImportBatch
from .records import kind_or_404

RECENT_BATCHES = 10


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet file"),
        help_text=gettext_lazy("A .csv (UTF-8) or .xlsx file of at most 5 MB and 5,000 records."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


def _joint_operation_for_entry(request):
    """The joint operation records are entered in, or 404 for users who cannot enter records."""
    joint_operation = selectors.joint_operation_current()
    if joint_operation is None or not access.can_enter_records(request.user):
        raise Http404
    return joint_operation


def _upload_page(request, kind, joint_operation, form, status=200):
    batches = policies.imports_visible(
        request.user, ImportBatch.objects.filter(kind=kind.slug, joint_operation=joint_operation)
    ).defer("rows", "errors").order_by("-created_at")[:RECENT_BATCHES]
    return render(request, "operations/import_upload.html", {
        "kind": kind, "form": form, "joint_operation": joint_operation,
        "columns": imports.import_columns(kind=kind, user=request.user,
                                          joint_operation=joint_operation),
        "batches": batches, "max_rows": f"{imports.MAX_ROWS:,}",
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def record_import(request, kind):
    kind = kind_or_404(kind)
    joint_operation = _joint_operation_for_entry(request)
    if request.method == "GET":
        return _upload_page(request, kind, joint_operation, ImportUploadForm())
    form = ImportUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            imports.refuse_if_too_large(upload.size)  # before it is read into memory
            batch = imports.record_import_preview(
                actor=request.user, kind=kind, joint_operation=joint_operation,
                file_name=upload.name, content=upload.read(),
            )
        except imports.ImportRefused as error:
            form.add_error("file", error)
        else:
            return redirect("operations:import_detail", pk=batch.pk)
    return _upload_page(request, kind, joint_operation, form, status=400)


def _template_response(content: bytes, content_type: str, file_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


@login_required
@require_safe
def import_template_csv(request, kind):
    kind = kind_or_404(kind)
    _joint_operation_for_entry(request)
    return _template_response(imports.import_template_csv(kind=kind), "text/csv; charset=utf-8",
                              f"jpoa-{kind.slug}-template.csv")


@login_required
@require_safe
def import_template_xlsx(request, kind):
    kind = kind_or_404(kind)
    joint_operation = _joint_operation_for_entry(request)
    content = imports.import_template_xlsx(kind=kind, user=request.user,
                                           joint_operation=joint_operation)
    return _template_response(
        content, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"jpoa-{kind.slug}-template.xlsx")


def _visible_batch(request, pk) -> ImportBatch:
    try:
        return policies.imports_visible(
            request.user, ImportBatch.objects.select_related("joint_operation", "uploaded_by")
        ).get(pk=pk)
    except ImportBatch.DoesNotExist as error:
        raise Http404("No such import.") from error


def _preview_page(request, batch, status=200, error_message=None):
    return render(request, "operations/import_detail.html", {
        "batch": batch, "error_message": error_message,
        "can_confirm": batch.state == ImportBatch.State.PREVIEW and not batch.errors,
        **imports.import_preview(batch=batch),
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def import_detail(request, pk):
    """The preview (GET); POST discards the file."""
    batch = _visible_batch(request, pk)
    if request.method == "GET":
        return _preview_page(request, batch)
    try:
        imports.record_import_discard(actor=request.user, batch=batch)
    except PermissionDenied as error:
        raise Http404 from error
    except imports.ImportRefused as error:
        return _preview_page(request, batch, status=409, error_message=" ".join(error.messages))
    messages.success(request, _("Discarded “%(name)s”: nothing was imported.") % {
        "name": batch.file_name})
    return redirect("operations:record_import", kind=batch.kind)


@login_required
@require_POST
def import_confirm(request, pk):
    batch = _visible_batch(request, pk)
    try:
        created = imports.record_import_confirm(actor=request.user, batch=batch)
    except PermissionDenied as error:
        raise Http404 from error
    except imports.ImportFailed as error:
        return _preview_page(request, batch, status=400, error_message=" ".join(error.messages))
    except imports.ImportRefused as error:
        return _preview_page(request, batch, status=409, error_message=" ".join(error.messages))
    messages.success(request, ngettext("Imported %(n)s record.", "Imported %(n)s records.", created)
                     % {"n": created})
    return redirect("operations:record_list", kind=batch.kind)
