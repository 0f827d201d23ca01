"""Request rates per user and per token (DRF throttles), set in settings from the environment.

Rates are read at each request (not when the class is defined), so a changed setting applies
at once. Counters live in the default cache: share it (CACHE_URL) across web processes.
"""
from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


class _SettingsRateThrottle(SimpleRateThrottle):
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class UserThrottle(_SettingsRateThrottle):
    """Every request of one user, whatever token or session it comes with."""

    scope = "user"

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None  # refused before throttling anyway: the API needs a login
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class TokenThrottle(_SettingsRateThrottle):
    """Every request made with one token: a runaway script stops without locking its user out."""

    scope = "token"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class CredentialsThrottle(_SettingsRateThrottle):
    """Token requests with a username and password, per client address (guessing passwords)."""

    scope = "credentials"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
