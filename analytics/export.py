"""Tables out as .csv (UTF-8 with BOM, so Excel shows Chinese), .xlsx and .ods, with
exactly the rows given and no cell a spreadsheet would run as a formula. The .xlsx and
.ods carry a second sheet listing the filters in force."""
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
EXTRA_LABELS = {"partner": ("互測分局", "Partner branch"), "dim_order": ("構面序號", "Dimension no.")}


def column_labels(dataset: str, lang: str = "zh") -> dict[str, str]:
    labels = {f.name: (f.label if lang == "zh" else f.label_en) for f in DATASETS[dataset].fields}
    labels.update({k: (zh if lang == "zh" else en) for k, (zh, en) in EXTRA_LABELS.items()})
    return labels


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
                lang: str = "zh") -> bytes:
    """The table as the bytes of a file in ``fmt``."""
    filters = list(filters or [])
    filters.append((t("export.exported_at", lang), dt.datetime.now().strftime("%Y-%m-%d %H:%M")))
    filters.append((t("export.rows", lang), str(len(frame))))
    if fmt == "csv":
        safe = frame.map(defuse) if len(frame) else frame
        return safe.to_csv(index=False).encode("utf-8-sig")
    if fmt == "xlsx":
        return _xlsx(frame, filters, lang)
    if fmt == "ods":
        return _ods(frame, filters, lang)
    raise ValueError(fmt)


def _xlsx(frame: pd.DataFrame, filters, lang) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(t("export.data_sheet", lang))

    def row_cells(values):
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

    ws.append(row_cells([str(c) for c in frame.columns]))
    for values in frame.itertuples(index=False, name=None):
        ws.append(row_cells(values))
    fs = wb.create_sheet(t("export.filters_sheet", lang))
    fs.append(row_cells([t("export.filter", lang), t("export.value", lang)]))
    for key, value in filters:
        fs.append(row_cells([key, value]))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _ods(frame: pd.DataFrame, filters, lang) -> bytes:
    # pandas' odf writer types every str as a string cell (no table:formula), so
    # nothing is run; dates go in as dates.
    clean = frame.copy()
    for col in clean.columns:
        if pd.api.types.is_datetime64_any_dtype(clean[col]):
            clean[col] = clean[col].dt.date
    clean = clean.astype(object).where(clean.notna(), None)
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="odf") as writer:
        clean.to_excel(writer, sheet_name=t("export.data_sheet", lang), index=False)
        pd.DataFrame(filters, columns=[t("export.filter", lang), t("export.value", lang)]).to_excel(
            writer, sheet_name=t("export.filters_sheet", lang), index=False)
    return buf.getvalue()


def save_table(frame: pd.DataFrame, path: str | Path, fmt: str, filters=None, lang: str = "zh"):
    Path(path).write_bytes(write_table(frame, fmt, filters, lang))
