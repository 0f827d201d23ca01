"""The API's access rules: personal tokens.

They build on ``countries.access`` (the user's scope, country groups, generic record
scoping), which stays the one place that decides access; each rule here exists once.
"""
from __future__ import annotations

from django.db.models import QuerySet


def tokens_visible(user, queryset: QuerySet) -> QuerySet:
    """A user's own API tokens, and nobody else's: a token is a credential, so administrators
    see only theirs too."""
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    return queryset.filter(user=user)
