"""Reads for the countries app: the audit history a user may see."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from pghistory.models import Events

from . import access


def audit_events(*, user):
    """Audit events (every tracked model's inserts, updates, deletes) the user may see.

    Focal points see events of rows that belong to their countries; administrators see all.
    Returns None when the user may not see the audit history at all.
    """
    country_ids = access.audit_country_ids(user)
    events = Events.objects.order_by("-pgh_created_at", "-pgh_id")
    if country_ids is None:
        return events
    if not country_ids:
        return None
    return events.filter(pgh_data__country__in=list(country_ids))


def usernames(user_ids) -> dict[int, str]:
    ids = {i for i in user_ids if isinstance(i, int)}
    return dict(get_user_model().objects.filter(pk__in=ids).values_list("pk", "username"))
