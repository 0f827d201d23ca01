"""Template filters for showing record fields."""
from django import template
from django.utils.formats import date_format

register = template.Library()


@register.filter
def field_value(record, field):
    """A field's value as people read it: choice labels, related names, formatted dates."""
    if field.choices:
        return getattr(record, f"get_{field.name}_display")()
    value = getattr(record, field.name)
    if value is None or value == "":
        return "—"
    if hasattr(value, "isoformat") and not hasattr(value, "hour"):
        return date_format(value, "DATE_FORMAT")
    return value
