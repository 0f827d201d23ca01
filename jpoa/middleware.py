"""Request middleware of the project: audit context and the user's time zone."""
import zoneinfo

from django.utils import timezone
from pghistory.middleware import HistoryMiddleware

from jpoa.audit import client_ip


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
