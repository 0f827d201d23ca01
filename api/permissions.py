"""DRF permission classes made of the apps' access rules (their ``policies.py`` and
``countries.access``), so that an endpoint states who may call it beside its declaration instead
of checking by hand in its methods. An object-level rule (``allows_object``) is asked once the
object is found among those the caller may see: another country's object is 404, never 403."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from rest_framework.permissions import BasePermission


def allows(rule: Callable[..., bool], *, actions: Iterable[str] | None = None,
           message) -> type[BasePermission]:
    """A permission class: for the viewset ``actions`` named (every request when none are),
    ``rule(user)`` must hold, or the caller gets 403 with ``message`` (the reason the pages
    give too); other actions pass."""
    names = None if actions is None else frozenset(actions)

    class Allows(BasePermission):
        def has_permission(self, request, view) -> bool:
            if names is not None and getattr(view, "action", None) not in names:
                return True
            if not hasattr(view, request.method.lower()):
                return True  # a method the view does not answer: 405, as for everyone
            return rule(request.user)

    Allows.message = message
    Allows.__name__ = Allows.__qualname__ = f"Allows_{getattr(rule, '__name__', 'rule')}"
    return Allows


def allows_object(rule: Callable[..., bool], *, actions: Iterable[str],
                  message) -> type[BasePermission]:
    """As ``allows``, for one object: ``rule(user, obj)`` is asked by ``get_object`` (DRF's
    ``check_object_permissions``) after the object was found, so what the caller does not see
    answers 404 first and what they see but may not change answers 403 with ``message``."""
    names = frozenset(actions)

    class AllowsObject(BasePermission):
        def has_object_permission(self, request, view, obj) -> bool:
            return getattr(view, "action", None) not in names or rule(request.user, obj)

    AllowsObject.message = message
    AllowsObject.__name__ = AllowsObject.__qualname__ = (
        f"AllowsObject_{getattr(rule, '__name__', 'rule')}")
    return AllowsObject
