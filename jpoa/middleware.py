"""Request middleware of the project: no caching of answers, the portal's error pages, audit
context, the user's time zone, two-factor enforcement, row-level security."""
import time
import zoneinfo
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, get_resolver, resolve, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject
from django.utils.log import log_response
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware
from pghistory.middleware import HistoryMiddleware

from core.audit import client_ip


class NoStoreMiddleware:
    """``Cache-Control: private, no-store`` on every answer of the portal's views: pages, htmx
    fragments, API answers, downloads, errors, in every mode.

    ``no-store`` rather than ``private, no-cache``: a restricted page must not be written to
    the disk cache of a shared computer's browser (``no-cache`` only makes it revalidate), nor
    kept by any proxy. Static files never get here: WhiteNoise, listed before this middleware,
    answers them with its own long cache (hashed names, cached for ever)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, private=True, no_store=True)
        return response


class PortalErrorPagesMiddleware:
    """The portal's own 404, 403 and 500 pages (templates/404.html...) with DEBUG on too.

    With DEBUG on (as under ``make run``) Django answers with its technical pages, which have
    no way back into the portal; with DEBUG off its handlers already render ours. A 500's
    traceback still goes to the log. ``DEBUG_TECHNICAL_ERRORS=true`` gives a developer
    Django's pages back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def _active() -> bool:
        return settings.DEBUG and not settings.DEBUG_TECHNICAL_ERRORS

    @staticmethod
    def _handler(request, status: int):
        return get_resolver(getattr(request, "urlconf", None)).resolve_error_handler(status)

    def __call__(self, request):
        if self._active():
            try:
                resolve(request.path_info, getattr(request, "urlconf", None))
            except Resolver404 as missing:
                # CommonMiddleware (outside this one) still redirects to the address with a slash.
                return self._handler(request, 404)(request, missing)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not self._active():
            return None
        if isinstance(exception, Http404):
            return self._handler(request, 404)(request, exception)
        if isinstance(exception, PermissionDenied):
            return self._handler(request, 403)(request, exception)
        if isinstance(exception, (BadRequest, SuspiciousOperation)):
            return self._handler(request, 400)(request, exception)
        response = self._handler(request, 500)(request)
        log_response("%s: %s", "Internal Server Error", request.path, response=response,
                     request=request, exception=exception)
        return response


class AuditContextMiddleware(HistoryMiddleware):
    """Attach user, client IP, method and path to every audit event a request causes."""

    def get_context(self, request):
        return {**super().get_context(request), "ip": client_ip(request), "method": request.method}


class UserTimeZoneMiddleware:
    """Show times in the user's country's time zone (stored in UTC; UTC+5 to UTC+13 in 2015)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from countries.access import scope_for

        user = getattr(request, "user", None)
        name = scope_for(user).time_zone if user is not None else ""
        if name:
            timezone.activate(zoneinfo.ZoneInfo(name))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class OTPSessionMiddleware(OTPMiddleware):
    """django-otp's OTPMiddleware, reading the verifying device at most every
    ``OTP_RECHECK_SECONDS`` instead of on every request.

    Between reads the session's device id is trusted (``user.otp_device`` is then loaded only
    when something uses it), so a verified page costs no extra query; a device removed
    elsewhere stops verifying that session within the interval (at once in the session that
    removed it).
    """

    def _verify_user_sync(self, request, user):
        from countries.two_factor import CHECKED_AT_SESSION_KEY

        self._init_user_fields(user)
        if not user.is_authenticated:
            return user
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
        if not persistent_id:
            return user
        now = time.time()
        checked_at = request.session.get(CHECKED_AT_SESSION_KEY) or 0
        if 0 <= now - checked_at < settings.OTP_RECHECK_SECONDS:
            user.otp_device = SimpleLazyObject(
                lambda: self._finalize_device(request, user, self._device_from_persistent_id(persistent_id)))
            return user
        device = self._finalize_device(request, user, self._device_from_persistent_id(persistent_id))
        user.otp_device = device
        if device is not None:
            request.session[CHECKED_AT_SESSION_KEY] = now
        return user


# Reachable before the second factor: logging in and out, the two-factor steps themselves,
# the language switch and the health check. The API answers for itself (api.authentication).
TWO_FACTOR_OPEN_ROUTES = frozenset({
    "login", "logout", "two_factor_verify", "two_factor_setup", "set_language", "healthz",
    "admin:logout",
})


class TwoFactorMiddleware:
    """Send a user who must verify a second factor to the verify page (or to enrolment when
    they have no device yet) until they have: every page, the admin included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from countries import two_factor

        if request.path_info.startswith("/api/") or request.path_info.startswith(f"/{settings.STATIC_URL.strip('/')}/"):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in TWO_FACTOR_OPEN_ROUTES:
            return None
        if not two_factor.session_needs_verification(request):
            return None
        step = "two_factor_verify" if two_factor.has_any_device(request.user) else "two_factor_setup"
        target = f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}"
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)



class RowLevelSecurityMiddleware:
    """Tell PostgreSQL whose request this is (``jpoa.user_id``), so that the row-level security
    policies of the outcome records (core/rls.py) show the user only what
    ``countries.access.records_visible`` would. Active only when the portal serves as a
    restricted role (DATABASE_APP_ROLE); the tables' owner is not subject to the policies."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.DATABASE_APP_ROLE:
            return self.get_response(request)
        from django.db import DatabaseError, connection

        from core import rls

        user = rls.RequestUser(request)
        try:
            user.apply()  # at the start, outside any transaction: it lasts the whole request
        except DatabaseError:
            pass  # the database is away: nobody is set (fail closed); the view reports it
        try:
            with connection.execute_wrapper(user):
                response = self.get_response(request)
        except BaseException:
            rls.forget_user_or_close()
            raise
        if response.streaming:  # its rows are read while it is sent, after this returns
            response._resource_closers.append(rls.forget_user_or_close)
        else:
            rls.forget_user_or_close()
        return response
