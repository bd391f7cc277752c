"""`score_format`: floatformat's text for the dashboard's numbers, without its cost per call.

The unit comparison prints some 400 numbers; Django's floatformat localises each one (looking
up the active language and its formats), which took a third of the page's time. The portal
prints numbers in one format (en-us: a point, no grouping), so this filter rounds half up like
floatformat and skips the localisation. tests/score/test_dashboard.py checks both agree.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.conf import settings
from django.utils.formats import number_format

register = template.Library()

_STEPS = {places: Decimal(1).scaleb(-places) for places in range(0, 7)}


@register.filter(is_safe=True)
def score_format(value, places=0):
    """`value` rounded half up to `places` decimals (0 to 6), as floatformat:places prints it."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))
        rounded = number.quantize(_STEPS[int(places)], rounding=ROUND_HALF_UP)
    except (InvalidOperation, KeyError, TypeError, ValueError):
        return ""
    if rounded.is_zero():
        rounded = abs(rounded)  # never "-0"
    return f"{rounded:f}"


@register.filter
def money(value, decimals=2):
    """`1234.5` -> `1,234.50 EUR` (grouping and separators from the active locale)."""
    if value is None or value == "":
        return "—"
    try:
        shown = number_format(Decimal(value), int(decimals), use_l10n=True, force_grouping=True)
    except (InvalidOperation, TypeError, ValueError):
        shown = str(value)
    return f"{shown} {settings.PORTAL_CURRENCY}"
