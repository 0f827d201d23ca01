"""Template context from the access module: which navigation entries a user gets."""
from . import access


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"show_audit_link": access.audit_country_ids(user) != frozenset()}
