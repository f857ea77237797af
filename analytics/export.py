"""Tables out as .csv (UTF-8 with BOM, so Excel shows Chinese), .xlsx and .ods, with
exactly the rows given and no cell a spreadsheet would run as a formula, header cells
included (a column can be named by a file: an unknown phone-test item keeps its header).
The .xlsx and .ods carry a second sheet listing the filters in force."""
from __future__ import annotations

import datetime as dt
import io
import math
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from .datasets import DATASETS
from .i18n import t

FORMATS = ("csv", "xlsx", "ods")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
def column_labels(dataset: str, lang: str = "zh") -> dict[str, str]:
    """A dataset's columns → their headers, from its spec."""
    return DATASETS[dataset].labels(lang)


def looks_like_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def defuse(value):
    """Text a spreadsheet would run as a formula gets a leading apostrophe (CSV)."""
    return "'" + value if looks_like_formula(value) else value


def _cell(value):
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date() if value == value.normalize() else value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()  # numpy scalars
    return value


def write_table(frame: pd.DataFrame, fmt: str, filters: list[tuple[str, str]] | None = None,
                lang: str = "zh", kinds: dict[str, str] | None = None) -> bytes:
    """The table as the bytes of a file in ``fmt``."""
    filters = list(filters or [])
    filters.append((t("export.exported_at", lang), dt.datetime.now().strftime("%Y-%m-%d %H:%M")))
    filters.append((t("export.rows", lang), str(len(frame))))
    if fmt == "csv":
        safe = frame.map(defuse) if len(frame) else frame.copy()
        safe.columns = [defuse(str(c)) for c in frame.columns]   # a header is a cell too
        return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")  # CRLF: a CR in a field is quoted
    if fmt not in ("xlsx", "ods"):
        raise ValueError(fmt)
    filters_frame = pd.DataFrame(filters, columns=[t("export.filter", lang), t("export.value", lang)])
    return write_sheets([(t("export.data_sheet", lang), [frame]), (t("export.filters_sheet", lang), [filters_frame])],
                        fmt)


def write_sheets(sheets: list[tuple[str, list[pd.DataFrame]]], fmt: str) -> bytes:
    """Several sheets, each holding one or more tables one below the other (a blank
    row between), as .xlsx or .ods; text is always a text cell, never a formula."""
    if fmt == "ods":
        # pandas' odf writer types every str as a string cell (no table:formula).
        buf = io.BytesIO()
        with pd.ExcelWriter(buf, engine="odf") as writer:
            for name, frames in sheets:
                row = 0
                for frame in frames:
                    _ods_ready(frame).to_excel(writer, sheet_name=name, index=False, startrow=row)
                    row += len(frame) + 2
        return buf.getvalue()
    wb = Workbook(write_only=True)
    for name, frames in sheets:
        ws = wb.create_sheet(name)
        for i, frame in enumerate(frames):
            if i:
                ws.append([])
            ws.append(_row_cells(ws, [str(c) for c in frame.columns]))
            for values in frame.itertuples(index=False, name=None):
                ws.append(_row_cells(ws, values))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _row_cells(ws, values) -> list:
    cells = []
    for value in values:
        cell = WriteOnlyCell(ws, value=None)
        value = _cell(value)
        if isinstance(value, str):
            # A text cell, never a formula; quotePrefix keeps Excel from reading
            # "=…" typed into it again as one.
            cell.value = value
            cell.data_type = "s"
            if looks_like_formula(value):
                cell.quotePrefix = True
        else:
            cell.value = value
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
        cells.append(cell)
    return cells


def _ods_ready(frame: pd.DataFrame) -> pd.DataFrame:
    clean = frame.copy()
    for col in clean.columns:
        if pd.api.types.is_datetime64_any_dtype(clean[col]):
            clean[col] = clean[col].dt.date
    return clean.astype(object).where(clean.notna(), None)


def save_table(frame: pd.DataFrame, path: str | Path, fmt: str, filters=None, lang: str = "zh"):
    Path(path).write_bytes(write_table(frame, fmt, filters, lang))
