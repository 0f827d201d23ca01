"""Pages for outcome records: lists, entry (with htmx or without JS), details, and sharing."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from countries import access

from . import policies, selectors, services
from .filters import record_filter_class
from .forms import RecordShareForm, add_service_errors, nationality_choices, record_form_class
from .models import RecordShare
from .panels import record_panels
from .records import KINDS, KINDS_BY_MODEL, kind_or_404
from .templatetags.records import field_value

PAGE_SIZE = 25


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _row(kind, record, user, locks: selectors.EntryLocks | None = None) -> dict:
    if locks is None:
        locks = selectors.entry_locks(user=user, joint_operation=None)
    return {
        "record": record,
        "fields": [record._meta.get_field(c) for c in kind.columns],
        # A submitted or accepted return offers no Edit or Delete: they would only be refused.
        "can_change": access.can_change_record(user, record) and not locks.locks(record),
    }


def _list_context(request, kind, form=None) -> dict:
    """What the list page and its htmx region show: filters, one page of rows, the add form."""
    joint_operation = selectors.joint_operation_current()
    filterset = record_filter_class(kind)(
        request.GET or None, queryset=selectors.record_list(user=request.user, kind=kind),
        user=request.user,
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    locks = selectors.entry_locks(user=request.user, joint_operation=joint_operation)
    can_enter = (joint_operation is not None and access.can_enter_records(request.user)
                 and not locks.entry_blocked)
    if form is None and can_enter:
        form = record_form_class(kind)(user=request.user, joint_operation=joint_operation)
    return {
        "kind": kind, "kinds": KINDS, "page": page, "filter": filterset,
        "rows": [_row(kind, record, request.user, locks) for record in page.object_list],
        "locked_returns": locks.returns,
        "headers": [kind.model._meta.get_field(c).verbose_name for c in kind.columns],
        # A refused add keeps what was typed on the page, even when the return has just locked.
        "form": form if can_enter or (form is not None and form.is_bound) else None,
        "joint_operation": joint_operation,
        "nationalities": nationality_choices(),
    }


@login_required
@require_safe
def record_list(request, kind):
    kind = kind_or_404(kind)
    return render(request, "operations/record_list.html", _list_context(request, kind))


def _saved_message(request, verb, record) -> None:
    messages.success(request, _("%(verb)s: %(type)s of %(date)s, %(agency)s.") % {
        "verb": verb, "type": record._meta.verbose_name, "date": date_format(record.occurred_on, "DATE_FORMAT"),
        "agency": record.agency.acronym or record.agency.name})


@login_required
@require_http_methods(["GET", "POST"])
def record_create(request, kind):
    kind = kind_or_404(kind)
    joint_operation = selectors.joint_operation_current()
    if joint_operation is None or not access.can_enter_records(request.user):
        raise Http404
    form = record_form_class(kind)(
        request.POST or None, user=request.user, joint_operation=joint_operation
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                record = services.record_create(
                    actor=request.user, model=kind.model, joint_operation=joint_operation,
                    data=form.record_data(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
                status = 409 if isinstance(error, services.ReturnLocked) else 400
            else:
                _saved_message(request, _("Added"), record)
                if not _is_htmx(request):
                    return redirect("operations:record_list", kind=kind.slug)
                # The list with the new row, and a fresh form that keeps the date and agency:
                # an officer usually enters several results of one day in a row.
                fresh = record_form_class(kind)(
                    user=request.user, joint_operation=joint_operation,
                    initial={"occurred_on": record.occurred_on, "agency": record.agency_id},
                )
                fresh.fields[kind.entry_fields[2]].widget.attrs["autofocus"] = True
                return render(request, "operations/_record_region.html",
                              {**_list_context(request, kind, form=fresh), "just_added": record.pk})
    if _is_htmx(request):
        return render(request, "operations/_record_region.html",
                      _list_context(request, kind, form=form), status=status)
    locks = selectors.entry_locks(user=request.user, joint_operation=joint_operation)
    return render(request, "operations/record_form.html", {
        "kind": kind, "form": form, "nationalities": nationality_choices(),
        "action": reverse("operations:record_create", args=[kind.slug]),
        "locked_returns": locks.returns,
        "entry_blocked": locks.entry_blocked and request.method == "GET",
    }, status=status)


def _changeable(request, kind, pk):
    queryset = kind.model.objects.select_related(
        "country", "agency", "operation__joint_operation", "created_by"
    )
    return access.get_changeable_or_404(request.user, queryset, pk=pk)


def _conflict_rows(kind, current, data) -> list[tuple]:
    """Field by field: what is saved now and what the user tried to save."""
    yours = kind.model(**data)
    return [
        (field.verbose_name, field_value(current, field), field_value(yours, field),
         field_value(current, field) != field_value(yours, field))
        for field in (kind.model._meta.get_field(name) for name in kind.entry_fields)
    ]


@login_required
@require_http_methods(["GET", "POST"])
def record_update(request, kind, pk):
    kind = kind_or_404(kind)
    record = _changeable(request, kind, pk)
    access.log_sensitive_read(request, record)
    form_class = record_form_class(kind)
    joint_operation = record.operation.joint_operation
    form = form_class(request.POST or None, instance=record, user=request.user,
                      joint_operation=joint_operation)
    status, conflict = 200, None
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                record = services.record_update(
                    actor=request.user, record=record, data=form.record_data(),
                    version=form.cleaned_data["version"] or 0,
                )
            except services.RecordConflict as error:
                status = 409
                conflict = _conflict_rows(kind, error.current, form.record_data())
                # Keep what the user typed; saving again now means "mine over theirs".
                data = request.POST.copy()
                data["version"] = error.current.version
                record = error.current
                form = form_class(data, instance=record, user=request.user,
                                  joint_operation=joint_operation)
            except ValidationError as error:
                add_service_errors(form, error)
                status = 409 if isinstance(error, services.ReturnLocked) else 400
            else:
                if _is_htmx(request):  # the row itself says it was saved
                    return render(request, "operations/_record_row.html",
                                  {"kind": kind, "row": _row(kind, record, request.user),
                                   "saved": True})
                _saved_message(request, _("Saved"), record)
                return redirect("operations:record_list", kind=kind.slug)
    locked_returns = selectors.entry_locks(user=request.user, joint_operation=None).returns_of(record)
    context = {
        "kind": kind, "form": form, "record": record, "conflict": conflict,
        "nationalities": nationality_choices(),
        "action": reverse("operations:record_update", args=[kind.slug, record.pk]),
        # What was typed stays on the page after a refusal; a locked form is not offered.
        "locked_returns": locked_returns,
        "entry_blocked": bool(locked_returns) and request.method == "GET",
    }
    if _is_htmx(request):
        # In a row of the list, beside the add form: ids of its own.
        form.auto_id = f"edit{record.pk}_%s"
        context["colspan"] = len(kind.columns) + 4
        return render(request, "operations/_record_row_form.html", context, status=status)
    return render(request, "operations/record_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def record_delete(request, kind, pk):
    kind = kind_or_404(kind)
    record = _changeable(request, kind, pk)
    error_message = None
    status = 200
    if request.method == "POST":
        try:
            version = int(request.POST.get("version") or 0)
        except ValueError:
            version = 0
        try:
            services.record_delete(actor=request.user, record=record, version=version)
        except services.RecordConflict as error:
            record, status = error.current, 409
            error_message = _(
                "Someone changed this record after you opened it, so it was not deleted. "
                "Check its current values below before deleting it."
            )
        except ValidationError as error:
            status, error_message = 409, " ".join(error.messages)
        else:
            if _is_htmx(request):
                return HttpResponse("")  # the row disappears
            _saved_message(request, _("Deleted"), record)
            return redirect("operations:record_list", kind=kind.slug)
    if _is_htmx(request):
        return render(request, "operations/_record_row.html", {
            "kind": kind, "row": _row(kind, record, request.user), "row_error": error_message,
        }, status=status)
    locked_returns = selectors.entry_locks(user=request.user, joint_operation=None).returns_of(record)
    return render(request, "operations/record_delete.html", {
        "kind": kind, "record": record, "error_message": error_message,
        # What was typed stays on the page after a refusal; a locked form is not offered.
        "locked_returns": locked_returns,
        "entry_blocked": bool(locked_returns) and request.method == "GET",
        "fields": [(f.verbose_name, record, f) for f in _shown_fields(record)],
    }, status=status)


@login_required
@require_safe
def record_detail(request, kind, pk):
    kind = kind_or_404(kind)
    record = selectors.record_detail(user=request.user, kind=kind, pk=pk)
    access.log_sensitive_read(request, record)
    if _is_htmx(request) and request.GET.get("fragment") == "row":
        # "Cancel" in an inline edit puts the row back as it is saved.
        return render(request, "operations/_record_row.html",
                      {"kind": kind, "row": _row(kind, record, request.user)})
    return _render_detail(request, kind, record, RecordShareForm(record=record))


def _shown_fields(record):
    # The network is shown apart, and named only to those who see it (cooperation's panel).
    return [f for f in record._meta.concrete_fields
            if f.name not in ("id", "operation", "version", "network")]


def _render_detail(request, kind, record, share_form, status=200):
    can_share = policies.can_share_record(request.user, record)
    panels, panel_context = record_panels(request.user, record)  # other apps' (operations.panels)
    locked_returns = selectors.entry_locks(user=request.user, joint_operation=None).returns_of(record)
    return render(request, "operations/record_detail.html", {
        "kind": kind,
        "record": record,
        "fields": [(f.verbose_name, record, f) for f in _shown_fields(record)],
        "can_change": access.can_change_record(request.user, record) and not locked_returns,
        "locked_returns": locked_returns,
        "can_share": can_share,
        "shared_with_us": policies.is_shared_with_user(request.user, record),
        "shares": selectors.record_shares(user=request.user, record=record),
        "share_form": share_form if can_share else None,
        "record_panels": panels,
        **panel_context,
    }, status=status)


@login_required
@require_POST
def record_share(request, kind, pk):
    kind = kind_or_404(kind)
    record = selectors.record_detail(user=request.user, kind=kind, pk=pk)
    form = RecordShareForm(request.POST, record=record)
    if form.is_valid():
        try:
            services.record_share_create(
                actor=request.user, record=record, shared_with=form.cleaned_data["shared_with"],
                reason=form.cleaned_data["reason"],
            )
        except PermissionDenied as error:
            raise Http404 from error  # a record you may only read cannot be shared: not found
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Shared with %(country)s.") % {
                "country": form.cleaned_data["shared_with"]})
            return redirect("operations:record_detail", kind=kind.slug, pk=record.pk)
    return _render_detail(request, kind, record, form, status=400)


@login_required
@require_POST
def share_revoke(request, pk):
    try:
        share = selectors.share_list(user=request.user).get(pk=pk)
    except (RecordShare.DoesNotExist, ValueError) as error:
        raise Http404 from error
    try:
        services.record_share_revoke(actor=request.user, share=share)
    except PermissionDenied as error:
        raise Http404 from error  # only the sharing side may revoke
    messages.success(request, _("Share revoked: %(country)s no longer sees the record.") % {
        "country": share.shared_with})
    kind = KINDS_BY_MODEL[share.content_type.model_class()]
    return redirect("operations:record_detail", kind=kind.slug, pk=share.object_id)


@login_required
@require_safe
def share_list(request):
    scope = access.scope_for(request.user)

    def row(share):
        # A revoked share no longer opens the record on the receiving side.
        readable = share.is_active or share.owner_country_id in scope.record_country_ids
        kind = KINDS_BY_MODEL[share.content_type.model_class()]
        url = reverse("operations:record_detail", args=[kind.slug, share.object_id])
        return share, url if readable or scope.is_superuser else None

    shares = list(selectors.share_list(user=request.user))
    return render(request, "operations/share_list.html", {
        "outgoing": [row(s) for s in shares if s.owner_country_id in scope.record_country_ids],
        "incoming": [row(s) for s in shares if s.shared_with_id in scope.record_country_ids],
        "all_shares": [row(s) for s in shares] if scope.is_superuser else None,
    })
