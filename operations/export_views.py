"""Download of a record type's list as CSV: the rows the user may read, with the list's filters."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from countries import access
from countries.models import AccessEvent

from . import record_csv, selectors
from .filters import record_filter_class
from .records import kind_or_404


@login_required
@require_safe
def record_export_csv(request, kind):
    """Every record of the type the user may read (theirs and shared with them), filtered and
    sorted as the list page is, streamed: the size of the export does not matter."""
    kind = kind_or_404(kind)
    filterset = record_filter_class(kind)(
        request.GET or None, queryset=selectors.record_list(user=request.user, kind=kind),
        user=request.user,
    )
    if filterset.is_bound and not filterset.is_valid():
        # The list page ignores a filter it cannot read; an export must not silently widen.
        problems = "; ".join(f"{name}: {' '.join(errors)}"
                             for name, errors in filterset.errors.items())
        return HttpResponseBadRequest(_("The filters are not valid: %(problems)s")
                                      % {"problems": problems}, content_type="text/plain")
    access.log_access(request, AccessEvent.Kind.EXPORT)
    response = StreamingHttpResponse(record_csv.csv_chunks(kind, filterset.qs),
                                     content_type="text/csv; charset=utf-8")
    filename = f"{kind.slug}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
