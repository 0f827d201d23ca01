"""Template context from the access module: which navigation entries a user gets."""
from . import access


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = access.scope_for(user)
    return {
        "show_audit_link": access.audit_country_ids(user) != frozenset(),
        # Co-chairs and the secretariat work with totals; record pages would be empty for them.
        "show_records_links": scope.is_superuser or bool(scope.record_country_ids),
    }
