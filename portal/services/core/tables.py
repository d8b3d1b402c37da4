"""CSV as spreadsheets read it: UTF-8 with a byte-order mark (so Excel keeps the accents), and no
text cell that a spreadsheet would run as a formula (CSV injection)."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable

#: A text cell starting with one of these is a formula to a spreadsheet: it gets a leading '.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def cell(value) -> str | int | float:
    """Numbers stay numbers; text that would be read as a formula is neutralised; None is empty."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(header: Iterable[str], rows: Iterable[Iterable]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(list(header))
    for row in rows:
        writer.writerow([cell(value) for value in row])
    return BOM + buffer.getvalue()
