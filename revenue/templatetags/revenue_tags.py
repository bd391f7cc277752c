"""Template filters of the revenue app: money and ratios in the locale's format.

They never raise: a value that is no number is shown as it is, so one odd row cannot make a page
fail (the bounds of partnership/bounds.py keep stored values sane; this covers everything else).
"""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

from partnership.templatetags.portal_numbers import money

register = template.Library()


# Money is formatted alike on every page (partnership/templatetags/portal_numbers.py).
register.filter("money", money)


@register.filter
def signed_money(value):
    """Money with an explicit sign: `+1,200.00 EUR` is better than plan."""
    if value is None or value == "":
        return "—"
    try:
        sign = "+" if Decimal(value) > 0 else ""
    except (InvalidOperation, TypeError, ValueError):
        sign = ""
    return f"{sign}{money(value)}"


@register.filter
def percent(value):
    if value is None or value == "":
        return "n/a"
    try:
        return f"{number_format(Decimal(value), 1, use_l10n=True, force_grouping=True)} %"
    except (InvalidOperation, TypeError, ValueError):
        return f"{value} %"


@register.filter
def status_class(status):
    return {"met": "success", "on_track": "primary", "at_risk": "warning", "missed": "danger"}.get(status, "secondary")
