"""DRF permission classes made of the apps' access rules (their ``policies.py`` and
``countries.access``), so that an endpoint states who may call it beside its declaration instead
of checking by hand in its methods. Object-level refusals (a nomination you see but do not
answer for) stay in the methods: the object must be found, or 404, first."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from rest_framework.permissions import BasePermission


def allows(rule: Callable[..., bool], *, actions: Iterable[str], message) -> type[BasePermission]:
    """A permission class: for the viewset ``actions`` named, ``rule(user)`` must hold, or the
    caller gets 403 with ``message`` (the reason the pages give too); other actions pass."""
    names = frozenset(actions)

    class Allows(BasePermission):
        def has_permission(self, request, view) -> bool:
            return getattr(view, "action", None) not in names or rule(request.user)

    Allows.message = message
    Allows.__name__ = Allows.__qualname__ = f"Allows_{getattr(rule, '__name__', 'rule')}"
    return Allows
