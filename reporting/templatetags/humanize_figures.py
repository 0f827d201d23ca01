"""Template filters for showing headline figures."""
from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def figure(value: int) -> str:
    """A figure with locale thousands separators (485, 1,204)."""
    return number_format(value, force_grouping=True)
