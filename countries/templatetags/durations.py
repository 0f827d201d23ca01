"""Template filters for durations."""
from django import template

register = template.Library()


@register.filter
def minutes(delta) -> int:
    """Whole minutes in a timedelta, rounded up (0 when empty)."""
    if not delta:
        return 0
    return -(-int(delta.total_seconds()) // 60)
