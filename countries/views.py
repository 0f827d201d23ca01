"""Pages of the countries app: the audit history."""
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import selectors


@login_required
@require_safe
def audit_log(request):
    page = selectors.audit_page(user=request.user, number=request.GET.get("page"))
    if page is None:
        raise Http404("No audit history for you.")
    return render(request, "countries/audit_log.html", {"page": page})
