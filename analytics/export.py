"""Tables out as .csv (UTF-8 with BOM, so Excel shows Chinese), .xlsx and .ods, with
exactly the rows given and no cell a spreadsheet would run as a formula, header cells
included (a column can be named by a file: an unknown phone-test item keeps its header).
The .xlsx and .ods carry a second sheet listing the filters in force.

Managers paste these into their own reports, so each opens ready for that in Excel and
LibreOffice: every column as wide as its widest cell, a bold header row that stays in
view while scrolling, and numbers stored as numbers with a format: counts with a
thousands separator, shares as percentages, scores to one decimal, dates as dates. The
CSV writes each value as those formats show it, without the thousands separator so that
it reads back as a number (1188, 44.5%, 2021-07-01, missing as empty)."""
from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from .datasets import DATASETS
from .i18n import t

FORMATS = ("csv", "xlsx", "ods")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
# What a column holds, as pages and the CLI say it: count (whole numbers, thousands
# separated), share (a fraction shown as a percentage), score (one decimal, none when
# all are whole), date, integer (whole numbers without a separator: years, order numbers).
KINDS = ("count", "share", "score", "date", "integer")
MAX_WIDTH = 60          # characters; a CJK character counts two
MIN_WIDTH = 6
WRAP_WIDTH = 48         # a column of long text wraps within this many characters
LINE_HEIGHT = 15        # points per line of text, for the rows Excel does not fit itself
ODS_CM_PER_CHAR = 0.21
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")   # no spreadsheet file can hold these
SQL_KINDS = {"DATE": "date", "BIGINT": "count", "INTEGER": "integer", "SMALLINT": "integer", "TINYINT": "integer"}


def column_labels(dataset: str, lang: str = "zh") -> dict[str, str]:
    """A dataset's columns → their headers, from its spec."""
    return DATASETS[dataset].labels(lang)


def column_kinds(dataset: str, lang: str = "zh") -> dict[str, str]:
    """A dataset's headers → their kinds, from the stored columns' SQL types (DOUBLE
    columns are left to the values: whole amounts become counts, the rest two decimals)."""
    labels = column_labels(dataset, lang)
    return {labels[name]: SQL_KINDS[sql] for name, sql in DATASETS[dataset].columns
            if sql in SQL_KINDS and name in labels}


def looks_like_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


# A ';' or a tab inside a field splits it when the file is opened with that separator:
# LibreOffice honours the quotes only of a field that starts at a separator, and with
# ';' every field after the first starts after a ',', so 線上;=1+41 three columns in
# became a live =1+41 (issue 23). Text right after one, spaces aside, that starts like a
# formula gets its apostrophe there too; a line break likewise, and spaces before a
# field's first sign (LibreOffice can trim them).
_SPLIT_FORMULA = re.compile(r"([;\t\r\n][ \t]*)(?=[=+\-@])")
_SPACED_FORMULA = re.compile(r"^ +(?=[=+\-@])")


def defuse(value):
    """Text a spreadsheet would run as a formula gets a leading apostrophe (CSV), and so
    does every piece of it that a ';', tab or line break could split off."""
    if not isinstance(value, str):
        return value
    value = _SPLIT_FORMULA.sub(r"\1'", value)
    return "'" + value if looks_like_formula(value) or _SPACED_FORMULA.match(value) else value


# ------------------------------------------------------------------ formats

@dataclass(frozen=True)
class Number:
    """How a column's numbers show: decimals, thousands separator, as a percentage, and
    a word after the number (' 個百分點' for a change of a share)."""
    decimals: int = 0
    grouping: bool = True
    percent: bool = False
    suffix: str = ""

    @property
    def excel(self) -> str:
        code = ("#,##0" if self.grouping else "0") + ("." + "0" * self.decimals if self.decimals else "")
        code = code + "%" if self.percent else code
        return code + '"' + self.suffix.replace('"', "") + '"' if self.suffix else code

    @property
    def whole(self) -> bool:
        return self.decimals == 0 and not self.percent

    def text(self, value, grouping: bool | None = None) -> str:
        """``value`` as a spreadsheet shows it in this format."""
        return self.texts(np.array([value], dtype=float), grouping)[0]

    def texts(self, values: np.ndarray, grouping: bool | None = None) -> list[str]:
        """Each number as a spreadsheet shows it in this format ("" for NaN), rounded half
        away from zero on its 15 significant digits as Excel and LibreOffice do (Python's
        own rounding would show 1.005 as 1.00, they show 1.01)."""
        grouping = self.grouping if grouping is None else grouping
        digits = self.decimals + (2 if self.percent else 0)
        scaled = np.abs(values) * 10 ** digits
        missing = np.isnan(scaled)
        # a tie or near one, or too big for float arithmetic: decided on the digits
        exact = ~missing & ((np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6) | (scaled >= 2 ** 52))
        units = np.where(exact | missing, 0, np.floor(scaled + 0.5)).astype(np.int64).tolist()
        for i in np.flatnonzero(exact):
            units[i] = int(Decimal(f"{abs(values[i]):.15g}").scaleb(digits).to_integral_value("ROUND_HALF_UP"))
        scale, end, sep = 10 ** self.decimals, ("%" if self.percent else "") + self.suffix, "," if grouping else ""
        out = []
        for unit, negative, gap in zip(units, (values < 0).tolist(), missing.tolist()):
            if gap:
                out.append("")
                continue
            whole, part = divmod(unit, scale)
            shown = f"{whole:{sep}d}.{part:0{self.decimals}d}" if self.decimals else f"{whole:{sep}d}"
            out.append(("-" if negative and unit else "") + shown + end)
        return out


COUNT = Number(0, grouping=True)
WHOLE = Number(0, grouping=False)
SHARE = Number(1, grouping=False, percent=True)
DATE, DATETIME, DATETIME_S = "yyyy-mm-dd", "yyyy-mm-dd hh:mm", "yyyy-mm-dd hh:mm:ss"
WHEN_TEXT = {DATE: "%Y-%m-%d", DATETIME: "%Y-%m-%d %H:%M", DATETIME_S: "%Y-%m-%d %H:%M:%S"}


@dataclass
class Column:
    """One column ready to write: its header, its cells as plain Python values (None,
    bool, int, float, date, datetime or str), how its numbers and dates show, and the
    width in characters of its widest cell as shown."""
    header: str
    values: list
    number: Number | None = None
    when: str | None = None
    width: int = 0
    array: np.ndarray | None = None     # a column of numbers alone: them as floats, NaN where missing
    formats: list | None = None         # a Number per cell (None: ``number``), where a column mixes kinds
    wrap: bool = False                  # long text: wrapped within WRAP_WIDTH, the row as tall as it needs

    def format_at(self, i: int) -> Number | None:
        return (self.formats[i] or self.number) if self.formats is not None else self.number


@dataclass(frozen=True)
class Lines:
    """Lines of text across a sheet (a title, a caption, a note), each in a row of its
    own, spanning the sheet's table columns and wrapped; not counted in their widths."""
    texts: tuple[str, ...]
    bold: bool = False


def column(header: str, values: list, formats: list | None = None, wrap: bool = False) -> Column:
    """A column made cell by cell: text, or numbers each with its own format (a table
    whose rows hold different kinds of figure). Text is cleaned of what no spreadsheet
    file can hold."""
    cells = [_value(v) for v in values]
    formats = list(formats) if formats is not None else [None] * len(cells)
    shown = []
    for value, fmt in zip(cells, formats):
        if type(value) in (int, float):
            shown.append(len((fmt or COUNT).text(value)))
        elif isinstance(value, str):
            shown.append(min(text_width(value), WRAP_WIDTH) if wrap else text_width(value))
    return Column(_clean(header), cells, number=COUNT, width=max(shown, default=0),
                  formats=[f or COUNT for f in formats], wrap=wrap)


def text_width(text: str) -> int:
    """Characters a text takes on screen: a CJK (wide) character counts two; the
    longest line of several."""
    return max((sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
                for line in text.splitlines() or [""]), default=0)


def _widest(texts) -> int:
    """The widest of many texts, measuring only those that could be widest (a text is
    at most twice as wide as it is long), and none past MAX_WIDTH."""
    best = 0
    for text in sorted(set(texts), key=len, reverse=True):
        if 2 * len(text) <= best or best >= MAX_WIDTH:
            break
        best = max(best, text_width(text))
    return best


def _clean(text: str) -> str:
    return ILLEGAL_XML.sub("", text) if ILLEGAL_XML.search(text) else text


def _number_format(finite: np.ndarray, kind: str | None, header: str) -> Number:
    """The format for a column's numbers: ``kind`` where given, else what the values are."""
    whole = bool(np.all(finite == np.floor(finite)))
    if kind == "share":
        return SHARE
    if kind == "score":
        return WHOLE if whole else Number(1, grouping=False)
    if whole:
        if kind == "integer" or (kind is None and _years(finite, header)):
            return WHOLE
        return COUNT
    # at most two decimals, as few as the values need (a count that is not whole is not a count)
    cents = np.floor(np.round(np.abs(finite) * 100, 6) + 0.5)
    return Number(1 if not np.any(cents % 10) and np.any(cents % 100) else 2)


def _years(finite: np.ndarray, header: str) -> bool:
    """2021 under 年度 is a year, not two thousand and twenty-one of something."""
    return bool(re.search(r"年|year", header, re.IGNORECASE)) and bool(np.all((finite >= 1000) & (finite <= 9999)))


def _when(stamps: pd.Series, kind: str | None) -> str:
    if kind == "date" or stamps.empty or bool((stamps == stamps.dt.normalize()).all()):
        return DATE
    return DATETIME if bool((stamps.dt.second == 0).all() and (stamps.dt.microsecond == 0).all()) else DATETIME_S


def _none_where(values: list, missing: np.ndarray) -> list:
    for i in np.flatnonzero(missing):
        values[i] = None
    return values


def table_columns(frame: pd.DataFrame, kinds: dict[str, str] | None = None) -> list[Column]:
    """Each column of ``frame`` ready to write; ``kinds`` maps headers to KINDS, the rest
    are read from their values."""
    kinds = kinds or {}
    return [_column(str(name), frame.iloc[:, i], kinds.get(name)) for i, name in enumerate(frame.columns)]


def _column(header: str, series: pd.Series, kind: str | None) -> Column:
    kind = kind if kind in KINDS else None          # a misspelt kind must not break a download
    header = _clean(header)
    if pd.api.types.is_bool_dtype(series):
        missing = series.isna().to_numpy()
        return Column(header, _none_where(series.astype(object).tolist(), missing), width=5)
    if pd.api.types.is_datetime64_any_dtype(series):
        stamps = series.dt.tz_localize(None) if series.dt.tz is not None else series
        when = _when(stamps.dropna(), kind)
        missing = stamps.isna().to_numpy()
        values = list(stamps.dt.date if when == DATE else stamps.dt.to_pydatetime())
        return Column(header, _none_where(values, missing), when=when, width=len(when))
    if pd.api.types.is_numeric_dtype(series):
        numbers = series.to_numpy(dtype=float, na_value=np.nan, copy=True)
        finite = np.isfinite(numbers)
        number = _number_format(numbers[finite], kind, header)
        if pd.api.types.is_integer_dtype(series):
            values = series.astype(object).tolist() if number.whole else numbers.tolist()
        elif number.whole and not np.any(np.abs(numbers[finite]) >= 2 ** 53):   # whole floats: integers
            values = np.where(finite, numbers, 0).astype(np.int64).tolist()
        else:
            values = numbers.tolist()
        numbers[~finite] = np.nan
        return Column(header, _none_where(values, ~finite), number=number,
                      width=_numbers_width(numbers[finite], number), array=numbers)
    if isinstance(series.dtype, pd.StringDtype):
        missing = series.isna().to_numpy()
        values = _none_where(series.astype(object).tolist(), missing)
        if series.str.contains(ILLEGAL_XML.pattern, regex=True, na=False).any():
            values = [None if v is None else _clean(v) for v in values]
        return Column(header, values, width=_widest(v for v in values if v is not None))
    return _mixed(header, series, kind)


def _numbers_width(finite: np.ndarray, number: Number) -> int:
    """The widest number as shown is the largest or the most negative one."""
    if not finite.size:
        return 0
    return max(len(number.text(v)) for v in (finite.min(), finite.max()))


def _mixed(header: str, series: pd.Series, kind: str | None) -> Column:
    """A column of Python objects: text, numbers and dates side by side, each cell typed
    by its own value; the numbers share one format, the dates another."""
    values = [_value(v) for v in series]
    numbers = np.array([v for v in values if type(v) in (int, float)], dtype=float)
    number = _number_format(numbers, kind, header) if numbers.size else None
    if number is not None and number.whole:
        values = [int(v) if type(v) is float else v for v in values]
    moments = [v for v in values if isinstance(v, dt.date)]
    when = None
    if moments:
        when = _when(pd.Series(pd.to_datetime(moments)), kind)
        if when == DATE:
            values = [v.date() if isinstance(v, dt.datetime) else v for v in values]
    texts = [v for v in values if isinstance(v, str)]
    width = max(_widest(texts), _numbers_width(numbers, number) if number else 0, len(when) if when else 0,
                5 if any(isinstance(v, bool) for v in values) else 0)
    return Column(header, values, number=number, when=when, width=width)


def _value(value):
    """One cell as a plain Python value: missing → None, numpy scalars unwrapped, a
    Timestamp as a date or datetime, anything else that is no number as its text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating, Decimal)):
        value = float(value)
        return value if math.isfinite(value) else None
    if isinstance(value, pd.Timestamp):
        value = value.tz_localize(None) if value.tzinfo else value
        return value.date() if value == value.normalize() else value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return value
    return _clean(str(value))


def _shown(value, column: Column, grouping: bool | None = None) -> str:
    """A cell's text as its column's formats show it (CSV without thousands separators)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.date):
        if column.when == DATE and not isinstance(value, dt.datetime):
            return value.isoformat()
        return value.strftime(WHEN_TEXT[column.when or (DATETIME_S if isinstance(value, dt.datetime) else DATE)])
    return column.number.text(value, grouping)


def _texts(column: Column, grouping: bool | None = None) -> list[str]:
    """Each cell's text as shown, formula-looking text defused (for the CSV)."""
    if column.array is not None:
        return column.number.texts(column.array, grouping)
    return [defuse(v) if isinstance(v, str) else _shown(v, column, grouping) for v in column.values]


def column_widths(tables: list[list[Column]]) -> list[int]:
    """Characters per column over the tables of one sheet: the widest cell or header
    (bold, so a little wider) plus a margin, at least MIN_WIDTH and at most MAX_WIDTH
    (WRAP_WIDTH for a column of long text, which wraps)."""
    widths: list[int] = []
    for columns in tables:
        for i, column in enumerate(columns):
            if len(widths) <= i:
                widths.append(MIN_WIDTH)
            cap = WRAP_WIDTH + 2 if column.wrap else MAX_WIDTH
            widths[i] = max(widths[i], min(max(column.width, text_width(column.header) + 1) + 2, cap))
    return widths


def _gap_before(blocks: list, n: int) -> bool:
    """A blank row between two blocks of a sheet, but not between two blocks of lines."""
    return n > 0 and not (isinstance(blocks[n], Lines) and isinstance(blocks[n - 1], Lines))


def _lines_needed(text: str, width: int) -> int:
    """How many lines ``text`` takes wrapped in ``width`` characters."""
    return sum(max(1, -(-text_width(line) // max(width - 2, 1))) for line in text.split("\n"))


def _height(texts, widths) -> float | None:
    """A row's height in points where a cell wraps to more than one line, else None."""
    lines = max((_lines_needed(text, width) for text, width in zip(texts, widths) if text), default=1)
    return LINE_HEIGHT * lines + 3 if lines > 1 else None


# ------------------------------------------------------------------ writing

def write_table(frame: pd.DataFrame, fmt: str, filters: list[tuple[str, str]] | None = None,
                lang: str = "zh", kinds: dict[str, str] | None = None) -> bytes:
    """The table as the bytes of a file in ``fmt``; ``kinds`` maps headers to KINDS."""
    filters = list(filters or [])
    filters.append((t("export.exported_at", lang), dt.datetime.now().strftime("%Y-%m-%d %H:%M")))
    filters.append((t("export.rows", lang), str(len(frame))))
    if fmt == "csv":
        return _csv(table_columns(frame, kinds))
    if fmt not in ("xlsx", "ods"):
        raise ValueError(fmt)
    filters_frame = pd.DataFrame(filters, columns=[t("export.filter", lang), t("export.value", lang)], dtype=object)
    return write_sheets([(t("export.data_sheet", lang), [frame]), (t("export.filters_sheet", lang), [filters_frame])],
                        fmt, kinds)


def write_sheets(sheets: list[tuple[str, list]], fmt: str, kinds: dict[str, str] | None = None) -> bytes:
    """The one spreadsheet writer, for downloads, templates and the report's figures:
    several sheets, each a list of blocks one below the other with a blank row between
    (none between two blocks of lines) — a table (a DataFrame, or a list of ``Column``)
    with a bold header row, or ``Lines`` of text across the sheet — as .xlsx or .ods. Text is always a text cell, never a
    formula; numbers are numbers with their format; columns are as wide as their widest
    cell; every sheet prints on A4, as wide as one page. A sheet of one table keeps its
    header row in view."""
    prepared = [(_sheet_name(name, taken), [b if isinstance(b, (Lines, list)) else table_columns(b, kinds)
                                            for b in blocks])
                for taken in [set()] for name, blocks in sheets]
    if fmt == "xlsx":
        return _xlsx(prepared)
    if fmt == "ods":
        return _ods(prepared)
    raise ValueError(fmt)


def _sheet_name(name: str, taken: set[str]) -> str:
    """A name every spreadsheet takes: no []:*?/\\, at most 31 characters, not blank,
    not a name already used in the workbook (in any case)."""
    base = "".join("_" if ch in "[]:*?/\\" else ch for ch in _clean(str(name))).strip().strip("'")[:31] or "Sheet"
    unique, n = base, 2
    while unique.lower() in taken:
        suffix = f" ({n})"
        unique, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(unique.lower())
    return unique


def save_table(frame: pd.DataFrame, path: str | Path, fmt: str, filters=None, lang: str = "zh",
               kinds: dict[str, str] | None = None):
    Path(path).write_bytes(write_table(frame, fmt, filters, lang, kinds))


def _csv(columns: list[Column]) -> bytes:
    """Every field quoted: a field holding ";" or a tab (a case type 線上;=1+41) stays
    one field, and text, in a spreadsheet that splits on either (LibreOffice offers
    both); text that starts like a formula also gets its leading apostrophe."""
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_ALL)    # CRLF: a CR in a field is quoted
    out.writerow([defuse(c.header) for c in columns])   # a header is a cell too
    out.writerows(zip(*(_texts(c, grouping=False) for c in columns)))
    return buf.getvalue().encode("utf-8-sig")


# ------------------------------------------------------------------ .xlsx

def _xlsx(sheets: list[tuple[str, list]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import Cell, WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    class Styled(Cell):
        """A styled cell for the write-only sheet, with a cheap repr: openpyxl first tries
        each appended cell as a value, and builds (then catches) an error naming it."""
        __slots__ = ()

        def __repr__(self):
            return "Styled"

    bold = Font(bold=True)
    wrapped, top = Alignment(wrap_text=True, vertical="top"), Alignment(vertical="top")

    def text(ws, value, header=False, wrap=False):
        # A text cell, never a formula; quotePrefix keeps Excel from reading "=…"
        # typed into it again as one.
        cell = WriteOnlyCell(ws)
        cell.value = value
        cell.data_type = "s"
        if looks_like_formula(value):
            cell.quotePrefix = True
        if header:
            cell.font = bold
        if wrap:
            cell.alignment = wrapped
        return cell

    wb = Workbook(write_only=True)
    for name, blocks in sheets:
        ws = wb.create_sheet(name)
        tables = [b for b in blocks if not isinstance(b, Lines)]
        widths = column_widths(tables)
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        if len(blocks) == 1 and tables:
            ws.freeze_panes = "A2"
        ws.page_setup.paperSize = "9"      # A4
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        row = 0
        for n, block in enumerate(blocks):
            if _gap_before(blocks, n):
                ws.append([])
                row += 1
            if isinstance(block, Lines):
                span = max(len(widths), 1)
                for line in block.texts:
                    row += 1
                    line = _clean(line)
                    ws.row_dimensions[row].height = LINE_HEIGHT * _lines_needed(line, sum(widths) or 60) + 3
                    if span > 1:
                        ws.merged_cells.add(f"A{row}:{get_column_letter(span)}{row}")
                    ws.append([text(ws, line, header=block.bold, wrap=True)])
                continue
            columns = block
            ws.append([text(ws, c.header, header=True) for c in columns])
            row += 1
            if any(c.wrap or c.formats is not None for c in columns):
                row = _xlsx_cell_by_cell(ws, columns, widths, row, text, Styled, wrapped, top)
                continue
            # One styled cell per column and kind, given each row's value in turn: the
            # write-only sheet writes a row out as it is appended, so reusing them is
            # safe, and far quicker than a new styled cell for every number.
            numbers, dates = [], []
            for c in columns:
                numbers.append(Styled(ws))
                dates.append(Styled(ws))
                if c.number:
                    numbers[-1].number_format = c.number.excel
                dates[-1].number_format = c.when or DATE
            for values in zip(*(c.values for c in columns)):
                cells = []
                for i, value in enumerate(values):
                    kind = type(value)
                    if kind is int or kind is float:
                        cell = numbers[i]
                        cell.value = value
                        cells.append(cell)
                    elif kind is str:
                        cells.append(text(ws, value) if value.startswith(FORMULA_START) or value in ERROR_CODES
                                     else value)
                    elif kind is dt.date or kind is dt.datetime:
                        cell = dates[i]
                        cell.value = value
                        cells.append(cell)
                    else:
                        cells.append(value)      # None, bool
                ws.append(cells)
                row += 1
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xlsx_cell_by_cell(ws, columns: list[Column], widths: list[int], row: int, text, styled, wrapped, top) -> int:
    """A small table whose cells differ in format or wrap (the report's figures and
    strategies): each cell styled on its own, each row as tall as its longest text."""
    for i, values in enumerate(zip(*(c.values for c in columns))):
        cells = []
        for c, value in zip(columns, values):
            if isinstance(value, str):
                cells.append(text(ws, value, wrap=c.wrap))
            elif value is None:
                cells.append(None)
            else:
                cell = styled(ws)
                cell.value = value
                fmt = c.format_at(i)
                if fmt is not None and type(value) in (int, float):
                    cell.number_format = fmt.excel
                elif isinstance(value, dt.date):
                    cell.number_format = c.when or DATE
                cell.alignment = top
                cells.append(cell)
        row += 1
        height = _height([v if isinstance(v, str) and c.wrap else "" for c, v in zip(columns, values)], widths)
        if height:
            ws.row_dimensions[row].height = height
        ws.append(cells)
    return row


# ------------------------------------------------------------------ .ods

def _ods(sheets: list[tuple[str, list]]) -> bytes:
    """odfpy builds the document (styles, column widths, the frozen header in the view
    settings, the A4 page); the rows go in as XML text, since an odfpy element per cell
    takes about half a minute for 100,000 rows of six columns."""
    from odf import number as N
    from odf import style as S
    from odf import table as T
    from odf.element import Element
    from odf.namespaces import STYLENS, TABLENS
    from odf.opendocument import OpenDocumentSpreadsheet

    class RawRows(Element):
        """A table's rows, already written as XML text, as one odfpy element."""

        def __init__(self, parts: list[str]):
            super().__init__(qname=(TABLENS, "table-row"), check_grammar=False)
            self.parts = parts

        def toXml(self, level, f):   # odfpy's name
            f.writelines(self.parts)

    doc = OpenDocumentSpreadsheet()
    layout = S.PageLayout(name="Export_A4")
    props = S.PageLayoutProperties(pagewidth="21cm", pageheight="29.7cm", printorientation="portrait",
                                   margintop="1.5cm", marginbottom="1.5cm", marginleft="1.5cm", marginright="1.5cm")
    props.setAttrNS(STYLENS, "scale-to-X", "1")     # every column on one page's width (odfpy has no keyword)
    props.setAttrNS(STYLENS, "scale-to-Y", "0")
    layout.addElement(props)
    doc.automaticstyles.addElement(layout)
    doc.masterstyles.addElement(S.MasterPage(name="Export", pagelayoutname=layout))
    sheet_style = S.Style(name="Export_Sheet", family="table", masterpagename="Export")
    sheet_style.addElement(S.TableProperties(display="true"))
    doc.automaticstyles.addElement(sheet_style)
    for name, bold, wrap in (("Export_Header", True, False), ("Export_Line", False, True),
                             ("Export_LineBold", True, True), ("Export_Wrap", False, True)):
        style = S.Style(name=name, family="table-cell")
        if wrap:
            style.addElement(S.TableCellProperties(wrapoption="wrap", verticalalign="top"))
        if bold:
            style.addElement(S.TextProperties(fontweight="bold", fontweightasian="bold", fontweightcomplex="bold"))
        doc.styles.addElement(style)
    cell_styles: dict[object, str] = {}

    def cell_style(fmt) -> str:
        """A named cell style per format (a Number, or a date format), in styles.xml."""
        if fmt not in cell_styles:
            name = f"Export_{len(cell_styles) + 1}"
            if isinstance(fmt, Number):
                data = N.PercentageStyle(name=name + "D") if fmt.percent else N.NumberStyle(name=name + "D")
                data.addElement(N.Number(decimalplaces=fmt.decimals, minintegerdigits=1,
                                         grouping="true" if fmt.grouping else "false"))
                if fmt.percent:
                    data.addElement(N.Text(text="%"))
                if fmt.suffix:
                    data.addElement(N.Text(text=fmt.suffix))
            else:
                data = N.DateStyle(name=name + "D")
                for part in (N.Year(style="long"), N.Text(text="-"), N.Month(style="long"), N.Text(text="-"),
                             N.Day(style="long")):
                    data.addElement(part)
                if fmt != DATE:
                    for part in (N.Text(text=" "), N.Hours(style="long"), N.Text(text=":"), N.Minutes(style="long")):
                        data.addElement(part)
                    if fmt == DATETIME_S:
                        data.addElement(N.Text(text=":"))
                        data.addElement(N.Seconds(style="long"))
            doc.styles.addElement(data)
            doc.styles.addElement(S.Style(name=name, family="table-cell", datastylename=name + "D"))
            cell_styles[fmt] = name
        return cell_styles[fmt]

    frozen = []
    for s_index, (name, blocks) in enumerate(sheets):
        table = T.Table(name=name, stylename=sheet_style)
        tables = [b for b in blocks if not isinstance(b, Lines)]
        widths = column_widths(tables)
        for c_index, width in enumerate(widths or [MIN_WIDTH]):   # a table has a column
            col = S.Style(name=f"co{s_index}_{c_index}", family="table-column")
            col.addElement(S.TableColumnProperties(columnwidth=f"{width * ODS_CM_PER_CHAR:.2f}cm"))
            doc.automaticstyles.addElement(col)
            table.addElement(T.TableColumn(stylename=col))
        span = max(len(widths), 1)
        rows = []
        for n, block in enumerate(blocks):
            if _gap_before(blocks, n):
                rows.append("<table:table-row><table:table-cell/></table:table-row>")
            if isinstance(block, Lines):
                style = "Export_LineBold" if block.bold else "Export_Line"
                covered = "<table:covered-table-cell/>" * (span - 1)
                rows += ["<table:table-row>" + _ods_text(_clean(line), style, span) + covered + "</table:table-row>"
                         for line in block.texts]
                continue
            columns = block
            rows.append("<table:table-row>" + "".join(_ods_text(c.header, "Export_Header") for c in columns)
                        + "</table:table-row>")
            cells = [_ods_column(c, cell_style) for c in columns]
            rows += ["<table:table-row>" + "".join(row) + "</table:table-row>" for row in zip(*cells)]
            if not columns:
                rows[-1] = "<table:table-row><table:table-cell/></table:table-row>"   # a row has a cell
        table.addElement(RawRows(rows))
        doc.spreadsheet.addElement(table)
        if len(blocks) == 1 and tables:
            frozen.append(name)
    _freeze_header_rows(doc, frozen, sheets[0][0] if sheets else "")
    buf = io.BytesIO()
    doc.write(buf)
    return buf.getvalue()


_ATTR = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;",
                       "\r": "&#13;"})
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_LINES = re.compile(r"\r\n|\r|\n")
_SPACES = re.compile(r"  +")


def _paragraph(line: str) -> str:
    """One line as a text:p, its tabs and runs of spaces kept (ODF collapses white space)."""
    text = line.translate(_TEXT)
    if "\t" in text:
        text = text.replace("\t", "<text:tab/>")
    if "  " in text:
        text = _SPACES.sub(lambda m: f' <text:s text:c="{len(m.group()) - 1}"/>', text)
    if text.startswith(" "):
        text = "<text:s/>" + text[1:]
    if text.endswith(" "):
        text = text[:-1] + "<text:s/>"
    return f"<text:p>{text}</text:p>"


def _ods_text(value: str, style: str | None = None, span: int = 1) -> str:
    """A string cell: its exact text in office:string-value, its lines as paragraphs."""
    styled = f' table:style-name="{style}"' if style else ""
    spanned = f' table:number-columns-spanned="{span}"' if span > 1 else ""
    return (f'<table:table-cell{styled}{spanned} office:value-type="string" '
            f'office:string-value="{value.translate(_ATTR)}">'
            + "".join(_paragraph(line) for line in _LINES.split(value)) + "</table:table-cell>")


def _ods_number(value, fmt: Number, style: str) -> str:
    value_type = "percentage" if fmt.percent else "float"
    return (f'<table:table-cell table:style-name="{style}" office:value-type="{value_type}" '
            f'office:value="{value!r}"><text:p>{fmt.text(value)}</text:p></table:table-cell>')


def _ods_column(column: Column, cell_style) -> list[str]:
    """Each cell of a column as table:table-cell XML: a number or date cell holds its
    value and the text its style shows (for readers that do not apply styles)."""
    if column.array is not None:
        number_style = cell_style(column.number)
        value_type = "percentage" if column.number.percent else "float"
        return ["<table:table-cell/>" if value is None else
                f'<table:table-cell table:style-name="{number_style}" office:value-type="{value_type}" '
                f'office:value="{value!r}"><text:p>{shown}</text:p></table:table-cell>'
                for value, shown in zip(column.values, column.number.texts(column.array))]
    out = []
    for i, value in enumerate(column.values):
        kind = type(value)
        if value is None:
            out.append("<table:table-cell/>")
        elif kind is str:
            out.append(_ods_text(value, "Export_Wrap" if column.wrap else None))
        elif kind is bool:
            out.append(f'<table:table-cell office:value-type="boolean" office:boolean-value="{str(value).lower()}">'
                       f'<text:p>{_shown(value, column)}</text:p></table:table-cell>')
        elif kind is int or kind is float:
            fmt = column.format_at(i)
            out.append(_ods_number(value, fmt, cell_style(fmt)))
        else:
            out.append(f'<table:table-cell table:style-name="{cell_style(column.when)}" office:value-type="date" '
                       f'office:date-value="{value.isoformat()}"><text:p>{_shown(value, column)}</text:p>'
                       "</table:table-cell>")
    return out


SPLIT_SETTINGS = (("HorizontalSplitMode", "short", "0"), ("VerticalSplitMode", "short", "2"),
                  ("HorizontalSplitPosition", "int", "0"), ("VerticalSplitPosition", "int", "1"),
                  ("ActiveSplitRange", "short", "2"), ("PositionLeft", "int", "0"), ("PositionRight", "int", "0"),
                  ("PositionTop", "int", "0"), ("PositionBottom", "int", "1"))


def _freeze_header_rows(doc, names: list[str], active: str):
    """The first row of each named sheet frozen, as LibreOffice keeps it: a split after
    row 1 in the view settings, the lower pane active and scrolled from row 2."""
    from odf import config as C

    if not names:
        return
    views = C.ConfigItemSet(name="ooo:view-settings")
    indexed = C.ConfigItemMapIndexed(name="Views")
    view = C.ConfigItemMapEntry()
    view.addElement(C.ConfigItem(name="ViewId", type="string", text="view1"))
    tables = C.ConfigItemMapNamed(name="Tables")
    for name in names:
        entry = C.ConfigItemMapEntry(name=name)
        for key, kind, value in SPLIT_SETTINGS:
            entry.addElement(C.ConfigItem(name=key, type=kind, text=value))
        tables.addElement(entry)
    view.addElement(tables)
    view.addElement(C.ConfigItem(name="ActiveTable", type="string", text=active))
    indexed.addElement(view)
    views.addElement(indexed)
    doc.settings.addElement(views)
