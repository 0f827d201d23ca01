"""Failed logins (django-axes): a username is locked at one address, and an address as a whole
only after many more failures, so one attacker cannot lock out a whole station behind a NAT.

Two counters over axes' AccessAttempt rows (one row per username, address and user agent):

- a username at an address: ``AXES_FAILURE_LIMIT`` failures (axes' own lockout parameters,
  ``[["username", "ip_address"]]``); the same account from another address is not locked;
- an address, whatever the usernames: ``AXES_ADDRESS_FAILURE_LIMIT`` failures (this handler).

Both last ``AXES_COOLOFF_TIME``. The lockout page says which of the two it is.
"""
from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.conf import settings
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .access import column_text

ACCOUNT = "account"  # this username, from this address
ADDRESS = "address"  # every username, from this address


def client_username(request, credentials: dict | None = None) -> str | None:
    """The username axes counts and stores (``AXES_USERNAME_CALLABLE``): what was typed, cut to
    the longest username an account can have, so that any typed text fits axes' columns."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        username = credentials.get(field)
    else:
        username = getattr(request, "data", request.POST).get(field)
    if username is None:
        return None
    max_length = get_user_model()._meta.get_field(get_user_model().USERNAME_FIELD).max_length
    return column_text(username, max_length)


def _clean_request_text(request) -> None:
    """axes cuts the headers it stores to their columns; NUL would still make PostgreSQL fail."""
    for name in ("axes_user_agent", "axes_path_info", "axes_http_accept"):
        value = getattr(request, name, None)
        if isinstance(value, str) and "\x00" in value:
            setattr(request, name, value.replace("\x00", ""))


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler (``AXES_HANDLER``) with the second, per-address limit."""

    def address_failures(self, request) -> int:
        """Failed logins from the request's address within the cool-off, for any username."""
        attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts.aggregate(failures=Sum("failures_since_start"))["failures"] or 0

    def is_address_locked(self, request) -> bool:
        return (settings.AXES_LOCK_OUT_AT_FAILURE
                and self.address_failures(request) >= settings.AXES_ADDRESS_FAILURE_LIMIT)

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        return super().is_locked(request, credentials) or self.is_address_locked(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        if request is None:
            return super().user_login_failed(sender, credentials, request, **kwargs)
        _clean_request_text(request)
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request.axes_locked_out or self.is_whitelisted(request, credentials):
            return
        if self.is_address_locked(request):  # this failure took the address to its limit
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send("axes", request=request,
                                 username=get_client_username(request, credentials),
                                 ip_address=request.axes_ip_address)
        return None

    def user_logged_in(self, sender, request, user, **kwargs):
        _clean_request_text(request)
        return super().user_logged_in(sender, request, user, **kwargs)

    def user_logged_out(self, sender, request, user, **kwargs):
        _clean_request_text(request)
        return super().user_logged_out(sender, request, user, **kwargs)


def lockout_reason(request) -> str:
    """ADDRESS when the whole address is locked, else ACCOUNT (this username at this address)."""
    from axes.handlers.proxy import AxesProxyHandler

    AxesProxyHandler.update_request(request)
    handler = AxesProxyHandler.get_implementation()
    if isinstance(handler, LockoutHandler) and handler.is_address_locked(request):
        return ADDRESS
    return ACCOUNT


MESSAGES = {
    ACCOUNT: _("Too many failed logins: this account is locked for now from your address "
               "(other addresses, and other accounts at yours, are not)."),
    ADDRESS: _("Too many failed logins from your address: logins from it are blocked for now, "
               "for every account."),
}


def lockout_message(request) -> str:
    """What the API says to a locked-out client, for either reason."""
    return str(MESSAGES[lockout_reason(request)])


def lockout_page(request, username: str = "", status: int | None = None):
    """The lockout page, saying whether the account (at this address) or the address is locked."""
    return render(request, "registration/locked_out.html", {
        "reason": lockout_reason(request), "username": username,
        "cooloff_timedelta": get_cool_off(request),
    }, status=status or settings.AXES_HTTP_RESPONSE_CODE)


def lockout_response(request, original_response=None, credentials: dict | None = None):
    """``AXES_LOCKOUT_CALLABLE``: the page AxesMiddleware answers with once a login is locked."""
    return lockout_page(request, username=get_client_username(request, credentials) or "")
