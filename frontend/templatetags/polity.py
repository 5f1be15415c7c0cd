"""Template filters every page shares: one way to write a date, names for document parts."""

from django import template
from django.utils import formats, timezone

from constitutions.models import Part
from constitutions.renderers.canonical import PART_KEYS

register = template.Library()
PART_LABELS = {key: Part(part).label for part, key in PART_KEYS.items()}


@register.filter
def when(value):
    """A moment, in the locale's one date-and-time format (DATETIME_FORMAT), local time."""
    if not value:
        return ""
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


@register.filter
def day(value):
    """A day, in the locale's one date format (DATE_FORMAT)."""
    if not value:
        return ""
    if hasattr(value, "tzinfo") and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATE_FORMAT")


@register.filter
def part_label(key: str) -> str:
    """`consensus_principles` -> "Consensus principle", as the draft page names the parts."""
    return str(PART_LABELS.get(key, key))
