"""Every CSV the portal hands out, written one way: cells a spreadsheet would run as a formula
are neutralised (OWASP "CSV injection": a text starting with =, +, -, @, a tab or a carriage
return gets a leading apostrophe). Numbers the portal writes itself stay numbers, negative ones
included. See docs/security.md."""

import csv
import re
from collections.abc import Iterable

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def safe_cell(value) -> str:
    """The text of one cell, never a formula."""
    if value is None:
        return ""
    text = str(value)
    if isinstance(value, (int, float)) or _NUMBER.fullmatch(text):
        return text
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable]) -> HttpResponse:
    """An attachment `filename` with `header` and `rows`, every cell through `safe_cell`."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return response
