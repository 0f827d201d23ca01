"""Pages of the countries app: the audit history."""
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from . import selectors


@login_required
def audit_log(request):
    events = selectors.audit_events(user=request.user)
    if events is None:
        raise Http404("No audit history for you.")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    contexts = [(e.pgh_context or {}) for e in page.object_list]
    names = selectors.usernames(c.get("user") for c in contexts)
    rows = [
        {"event": e, "user": names.get(c.get("user"), "—"),
         "where": c.get("url") or c.get("task") or "—", "ip": c.get("ip") or ""}
        for e, c in zip(page.object_list, contexts, strict=True)
    ]
    return render(request, "countries/audit_log.html", {"page": page, "rows": rows})
