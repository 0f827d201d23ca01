"""Pages for outcome records: lists, details, and sharing one record with another country."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from countries import access

from . import selectors, services
from .forms import RecordShareForm
from .models import RecordShare
from .records import KINDS, KINDS_BY_MODEL, kind_or_404


@login_required
@require_safe
def record_list(request, kind):
    kind = kind_or_404(kind)
    page = Paginator(selectors.record_list(user=request.user, kind=kind), 50).get_page(
        request.GET.get("page")
    )
    rows = [
        (record, [record._meta.get_field(c) for c in kind.columns]) for record in page.object_list
    ]
    return render(request, "operations/record_list.html", {
        "kind": kind, "kinds": KINDS, "page": page, "rows": rows,
        "headers": [kind.model._meta.get_field(c).verbose_name for c in kind.columns],
    })


@login_required
@require_safe
def record_detail(request, kind, pk):
    kind = kind_or_404(kind)
    record = selectors.record_detail(user=request.user, kind=kind, pk=pk)
    access.log_sensitive_read(request, record)
    return _render_detail(request, kind, record, RecordShareForm(record=record))


def _render_detail(request, kind, record, share_form, status=200):
    can_share = access.can_share_record(request.user, record)
    return render(request, "operations/record_detail.html", {
        "kind": kind,
        "record": record,
        "fields": [
            (f.verbose_name, record, f) for f in record._meta.concrete_fields
            if f.name not in ("id", "operation", "version")
        ],
        "can_change": access.can_change_record(request.user, record),
        "can_share": can_share,
        "shared_with_us": access.is_shared_with_user(request.user, record),
        "shares": selectors.record_shares(user=request.user, record=record),
        "share_form": share_form if can_share else None,
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
