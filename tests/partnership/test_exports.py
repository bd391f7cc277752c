"""One CSV helper for every export (partnership/exports.py): no cell a spreadsheet would run."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

from partnership.exports import csv_response, safe_cell

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "value", ["=1+1", "+1+cmd|' /C calc'!A0", "-1+1", "@SUM(A1)", "\tvalue", "\rvalue", "-x"]
)
def test_a_text_a_spreadsheet_would_run_as_a_formula_gets_an_apostrophe(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize(
    ("value", "text"),
    [(-12, "-12"), (Decimal("-12.50"), "-12.50"), ("-12.50", "-12.50"), (3.5, "3.5"), (None, ""), ("Sales", "Sales"),
     ("2026-12", "2026-12")],
)
def test_numbers_dates_and_plain_text_are_written_as_they_are(value, text):
    assert safe_cell(value) == text


def test_the_response_is_an_attachment_with_every_cell_neutralised():
    response = csv_response("x.csv", ["name", "amount"], [["=cmd", -5], ["Sales", "10.00"]])
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert list(csv.reader(io.StringIO(response.content.decode()))) == [
        ["name", "amount"], ["'=cmd", "-5"], ["Sales", "10.00"]
    ]


def test_no_module_writes_a_csv_without_the_helper():
    writers = [
        str(path.relative_to(ROOT))
        for app in ("listening", "initiatives", "revenue", "steering", "partnership")
        for path in (ROOT / app).rglob("*.py")
        if "csv.writer" in path.read_text() or "csv.DictWriter" in path.read_text()
    ]
    assert writers == ["partnership/exports.py"]
