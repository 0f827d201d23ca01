"""Request middleware of the project: audit context for every request."""
from pghistory.middleware import HistoryMiddleware

from jpoa.audit import client_ip


class AuditContextMiddleware(HistoryMiddleware):
    """Attach user, client IP, method and path to every audit event a request causes."""

    def get_context(self, request):
        return {**super().get_context(request), "ip": client_ip(request), "method": request.method}
