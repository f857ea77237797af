"""What every dataset module shares: fields with synonyms, header recognition, and the
cell-by-column cleaning that turns a raw sheet into typed columns with Excel row numbers.

Cleaning works on each column's distinct values (Arrow dictionary-encodes the column;
each distinct value is parsed once) and hands Arrow columns to the store: pandas is
not used on the way from a workbook to the database (it would cost a third of a
100,000-row import just to load)."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..normalize import (INVISIBLE_RE2, Bad, display_header, factorize, has_invisible, is_blank, is_total_label,
                         norm_header, parse_text)
from ..problems import Problem, Problems

if TYPE_CHECKING:
    from ..reader import RawSheet    # not at run time: the app's start, which reads no workbook, need not load it

HEADER_SCAN_ROWS = 30


@cache
def _header_keys(label: str, label_en: str, synonyms: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(norm_header(s) for s in (label, label_en, *synonyms)))


@dataclass(frozen=True)
class Field:
    name: str                      # column name in DuckDB
    label: str                     # canonical Chinese header (templates, exports)
    label_en: str
    synonyms: tuple[str, ...]
    parser: Callable
    required: bool = False         # the column must be there …
    not_blank: bool | None = None  # … and (by default) every row must fill it
    sql: str = "VARCHAR"           # its type in DuckDB
    stored: bool = True            # False: read only to make another column (年度 + 月份 → 年月)

    @property
    def keys(self) -> tuple[str, ...]:
        return _header_keys(self.label, self.label_en, self.synonyms)

    @property
    def must_fill(self) -> bool:
        return self.required if self.not_blank is None else self.not_blank


@dataclass(frozen=True)
class Derived:
    """A stored column the dataset computes rather than reads (構面序號, 互測分局)."""
    name: str
    sql: str
    label: str
    label_en: str


@dataclass(frozen=True)
class Dataset:
    """Everything about one sheet type. The importer, store, exports, templates, the
    freshness grid, the filters and the README's table all read it from here."""

    name: str
    title: str
    title_en: str
    fields: tuple[Field, ...]
    # Each tuple is one way to satisfy the required columns beyond the plain required
    # ones, e.g. (("month",), ("date",), ("year", "month_no")).
    alternatives: tuple[tuple[str, ...], ...]
    key: tuple[str, ...]           # the natural key: a row with a stored key replaces it
    # The sheet's clean rows per table, as Arrow tables (a pandas DataFrame is taken too).
    finish: Callable[["SheetData"], dict[str, "pa.Table"]]
    when: str                      # the column that places a row in time
    annual: bool = False           # ``when`` is a year (問卷發放, 構面評分 …), not a date
    # Where the key's last part may be blank in a whole sheet (no 問卷編號, no 受測人員):
    # the key is then these columns and the row's place among their equals.
    key_fallback: tuple[str, ...] = ()
    derived: tuple[Derived, ...] = ()
    extra_tables: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    filters: dict[str, str] = field(default_factory=dict)   # sidebar filter → column
    order: tuple[str, ...] = ()    # how an export sorts its rows
    example: tuple = ()            # a template's example row, one value per template column
    template_skip: tuple[str, ...] = ()   # alternative columns a blank template leaves out
    template_notes: Callable[[str], list[str]] | None = None   # extra lines for the template's 說明
    in_year_range: bool = True     # its years extend the sidebar's range (not so: targets, strategies)

    @property
    def columns(self) -> tuple[tuple[str, str], ...]:
        """The stored columns (name, SQL type), in the order exports show them."""
        return (*((f.name, f.sql) for f in self.fields if f.stored), *((d.name, d.sql) for d in self.derived))

    @property
    def year_expr(self) -> str:
        return f'"{self.when}"' if self.annual else f'year("{self.when}")'

    @property
    def unit_column(self) -> str | None:
        return self.filters.get("units") or self.filters.get("offices")

    def labels(self, lang: str = "zh") -> dict[str, str]:
        """Column → its header as exports and templates write it."""
        pairs = [(f.name, f.label, f.label_en) for f in self.fields] + [(d.name, d.label, d.label_en) for d in self.derived]
        return {name: (zh if lang == "zh" else en) for name, zh, en in pairs}

    def template_fields(self) -> list[Field]:
        return [f for f in self.fields if f.name not in self.template_skip]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def satisfied(self, names: set[str]) -> bool:
        if not all(f.name in names for f in self.fields if f.required):
            return False
        return not self.alternatives or any(set(alt) <= names for alt in self.alternatives)

    def missing(self, names: set[str]) -> list[str]:
        out = [f.label for f in self.fields if f.required and f.name not in names]
        if self.alternatives and not any(set(alt) <= names for alt in self.alternatives):
            out.append(" / ".join("+".join(self.field(n).label for n in alt) for alt in self.alternatives))
        return out


@cache
def _header_index(fields: tuple[Field, ...]):
    """For one dataset's fields: exact key → the fields it names (in field order); every
    (field, key) whose key has four or more characters, in field and key order; and the
    first four characters of each such key, so that a header holding none of them is
    passed over with a few set look-ups (a compiled alternation of every key cost more
    to build, once per dataset and process, than the searches it saved)."""
    exact: dict[str, list[Field]] = {}
    long_keys = []
    for f in fields:
        for key in f.keys:
            if f not in exact.setdefault(key, []):
                exact[key].append(f)
            if len(key) >= 4:
                long_keys.append((f, key))
    starts = frozenset(key[:4] for _, key in long_keys)
    return {k: tuple(v) for k, v in exact.items()}, tuple(long_keys), starts


def _may_hold_a_key(label: str, starts: frozenset) -> bool:
    return any(label[i:i + 4] in starts for i in range(len(label) - 3))


def match_headers(labels: list[str], dataset: Dataset) -> dict[int, Field]:
    """Column index → field. Exact synonym matches first (the last free field that
    has the header as a synonym), then the longest synonym of four or more characters
    that the header contains (the first of equal length). A header costs one look-up,
    and a few more unless it matched exactly, so a wide sheet costs time in proportion
    to its width."""
    exact, long_keys, starts = _header_index(dataset.fields)
    taken: set[str] = set()
    out: dict[int, Field] = {}
    for col, label in enumerate(labels):
        if not label:
            continue
        free = [f for f in exact.get(label, ()) if f.name not in taken]
        if free:
            out[col] = free[-1]
            taken.add(free[-1].name)
    for col, label in enumerate(labels):
        if not label or col in out or not _may_hold_a_key(label, starts):
            continue
        best, best_len = None, 0
        for f, key in long_keys:
            if len(key) > best_len and f.name not in taken and key in label:
                best, best_len = f, len(key)
        if best is not None:
            out[col] = best
            taken.add(best.name)
    return out


@dataclass
class HeaderGuess:
    dataset: Dataset
    header_row: int            # 0-based index of the (last) header row
    labels: list[str]          # raw header text per column, for messages
    columns: dict[int, Field]
    complete: bool
    top_row: int | None = None  # 0-based index of the first header row (one above header_row for two rows)


def _labels(rows: list[list], r: int, two_rows: bool) -> tuple[list[str], list[str]]:
    width = max(len(rows[r]), len(rows[r + 1]) if two_rows else 0)
    top = list(rows[r]) + [""] * (width - len(rows[r]))
    if not two_rows:
        return [norm_header(c) for c in top], [display_header(c) for c in top]
    below = list(rows[r + 1]) + [""] * (width - len(rows[r + 1]))
    normed, raw = [], []
    for a, b in zip(top, below):
        use = b if not is_blank(b) else a
        normed.append(norm_header(use))
        raw.append(display_header(use))
    return normed, raw


def guess_header(rows: list[list], datasets: list[Dataset]) -> HeaderGuess | None:
    """The dataset and header row that explain the most columns of this sheet; a
    two-row header (a group cell above its items) counts too."""
    best: HeaderGuess | None = None
    best_score = (False, 0, 0)
    limit = min(len(rows), HEADER_SCAN_ROWS)
    for r in range(limit):
        if not any(not is_blank(c) for c in rows[r]):
            continue
        for two_rows in (False, True):
            if two_rows and r + 1 >= len(rows):
                continue
            normed, raw = _labels(rows, r, two_rows)
            for ds in datasets:
                cols = match_headers(normed, ds)
                if len(cols) < 2:
                    continue
                names = {f.name for f in cols.values()}
                complete = ds.satisfied(names)
                required_hits = sum(1 for f in cols.values() if f.required)
                if not complete and required_hits == 0:
                    continue
                score = (complete, len(cols), -two_rows)
                if score > best_score:
                    best_score = score
                    best = HeaderGuess(ds, r + two_rows, raw, cols, complete, r)
    return best


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass
class Column:
    """One field's clean values, parsed once per distinct raw value: ``codes`` gives
    each kept row its index into ``parsed``, whose last entry (None) is the empty cell
    (code -1, as NumPy indexes from the end). ``arrow`` is ``parsed`` as Arrow where
    cleaning made it so (text), so that the rows need no Python object each."""

    codes: np.ndarray
    parsed: np.ndarray | None = None
    arrow: pa.Array | None = None
    unique: bool = False        # ``arrow``'s values are known to differ from one another

    def distinct(self) -> np.ndarray:
        if self.parsed is None:
            values = self.arrow.to_pylist()
            self.parsed = np.empty(len(values), dtype=object)
            self.parsed[:] = values
        return self.parsed

    def values(self) -> np.ndarray:
        """One Python value per row (None where blank)."""
        return self.distinct()[self.codes]

    def to_arrow(self, kind: pa.DataType) -> pa.Array:
        """One value per row as an Arrow array of type ``kind``, nulls where blank."""
        uniques = self.arrow if self.arrow is not None else pa.array(self.parsed.tolist(), kind, from_pandas=True)
        if uniques.type != kind:
            uniques = uniques.cast(kind)
        indices = self.codes.copy()
        indices[indices < 0] = len(uniques) - 1
        return uniques.take(int_array(indices, pa.int32()))


class LazyColumns(dict):
    """Field → one value per row, made when first asked for from the field's
    ``(Encoded, codes)``: most sheets never need their raw cells in Python."""

    def __init__(self):
        super().__init__()
        self._pending: dict = {}

    def defer(self, name: str, encoded: "Encoded", codes: np.ndarray):
        self._pending[name] = (encoded, codes)

    def _make(self, name):
        encoded, codes = self._pending.pop(name)
        value = np.array([*encoded.uniques, None], dtype=object)[codes]
        super().__setitem__(name, value)
        return value

    def __getitem__(self, name):
        if name in self._pending:
            return self._make(name)
        return super().__getitem__(name)

    def get(self, name, default=None):
        return self[name] if name in self else default

    def __contains__(self, name):
        return name in self._pending or super().__contains__(name)


@dataclass
class SheetData:
    """A recognised sheet on its way to clean rows: typed columns by field name, the
    Excel row number of each row, and the problems and notices found so far.
    ``columns`` holds each read field parsed per distinct value (``Column``);
    ``get`` gives one Python value per row, ``arrow`` one Arrow array."""

    sheet: str
    dataset: Dataset
    values: dict[str, np.ndarray]
    rows: np.ndarray
    where: dict[str, tuple[str, str]]      # field → (column letter, header as written)
    raw: dict[str, np.ndarray]             # field → raw cell values, for messages
    extras: dict[str, tuple[str, np.ndarray]]  # unmatched header → (letter, raw values)
    problems: Problems
    notices: list[tuple[str, dict]]
    settings: dict
    columns: dict[str, Column] = field(default_factory=dict)
    _made: dict = field(default_factory=dict)     # id of an array ``arrow`` made → (array, its Column)

    def __len__(self):
        return len(self.rows)

    def has(self, name: str) -> bool:
        return name in self.values or name in self.columns

    def get(self, name: str) -> np.ndarray:
        if name not in self.values and name in self.columns:
            self.values[name] = self.columns[name].values()
        return self.values.get(name, np.full(len(self.rows), None, dtype=object))

    def arrow(self, name: str, kind: pa.DataType) -> pa.Array:
        """The field as an Arrow array of type ``kind`` (all null where the sheet lacks it)."""
        if name in self.columns:
            made = self.columns[name].to_arrow(kind)
            self._made[id(made)] = (made, self.columns[name])
            return made
        if name in self.values:
            return to_arrow(self.values[name], kind)
        return pa.nulls(len(self.rows), kind)

    def column_behind(self, values) -> Column | None:
        """The Column an array came from, if ``arrow`` made it (and so it is unchanged)."""
        made = self._made.get(id(values))
        return made[1] if made is not None and made[0] is values else None

    def flag(self, name: str, mask: np.ndarray, code: str, **params):
        """A problem on each row where ``mask`` holds, in field ``name``'s column."""
        letter, header = self.where.get(name, (None, name))
        raw = self.raw.get(name)
        for i in np.flatnonzero(mask):
            if self.problems.total >= 1_000_000:
                break
            value = raw[i] if raw is not None else None
            self.problems.add(Problem(code, params, self.sheet, int(self.rows[i]), letter, header,
                                      None if is_blank(value) else value))

    def flagged_rows(self) -> np.ndarray:
        """Which rows already have a problem in this sheet (so a later check need not
        report them again)."""
        rows = {p.row for p in self.problems.items if p.sheet == self.sheet}
        return np.isin(self.rows, list(rows))

    def notice(self, code: str, **params):
        self.notices.append((code, {"sheet": self.sheet, **params}))


def isna(values) -> np.ndarray:
    """Which of an object array's values are missing: None or NaN."""
    values = np.asarray(values, dtype=object)
    try:
        return np.asarray((values == None) | (values != values), dtype=bool)  # noqa: E711 (elementwise)
    except TypeError:      # a value that will not say whether it equals itself (pandas' NA)
        return np.fromiter(map(_missing, values), dtype=bool, count=len(values))


def _missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)
    except TypeError:
        return True


def to_arrow(values, kind: pa.DataType) -> pa.Array:
    """An object array (Python values, None or NaN where missing) as Arrow of ``kind``."""
    return pa.array(np.asarray(values, dtype=object).tolist(), kind, from_pandas=True)


def int_array(values: np.ndarray, kind: pa.DataType = pa.int64()) -> pa.Array:
    """A NumPy integer array as Arrow, sharing its memory. (``pa.array`` of a NumPy array
    loads numpy.ma on its first use, 10 ms of an import.)"""
    data = np.ascontiguousarray(values, dtype=kind.to_pandas_dtype())
    return pa.Array.from_buffers(kind, len(data), [None, pa.py_buffer(data)])


def table(columns: dict[str, pa.Array]) -> pa.Table:
    """A finish()'s rows as one Arrow table."""
    return pa.table(columns)


@dataclass
class Encoded:
    """A column dictionary-encoded: ``codes`` (-1 for an empty cell), the distinct
    values as the Arrow array they came from (and as Python objects, made when first
    asked for), which of them are total labels (False at the end, for code -1), and
    which are plain (``_PLAIN_TEXT``: nothing any cleaning would change)."""

    codes: np.ndarray
    dictionary: pa.Array
    totals: np.ndarray
    plain: pa.Array
    _uniques: list | None = None
    _unusual: tuple | None = None

    @property
    def uniques(self) -> list:
        if self._uniques is None:
            self._uniques = self.dictionary.to_pylist()
        return self._uniques

    def __iter__(self):   # codes, uniques, totals = encoded
        return iter((self.codes, self.uniques, self.totals))

    def unusual(self) -> tuple[np.ndarray, pa.Array]:
        """The distinct values that are not plain: where they are, and they."""
        if self._unusual is None:
            where = np.flatnonzero(~self.plain.to_numpy(zero_copy_only=False))
            self._unusual = (where, self.dictionary.filter(pc.invert(self.plain)))
        return self._unusual


def encode(column: pa.Array) -> Encoded:
    """The column dictionary-encoded by Arrow, so a 100,000-row column costs milliseconds."""
    encoded = pc.dictionary_encode(column)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)     # int32: a million rows, 4 MB
    dictionary = encoded.dictionary.cast(pa.string())
    hint = pc.match_substring_regex(dictionary, _TOTAL_HINT, ignore_case=True)
    totals = np.zeros(len(dictionary) + 1, dtype=bool)
    found = np.flatnonzero(hint.to_numpy(zero_copy_only=False))
    if len(found):
        values = dictionary.take(int_array(found)).to_pylist()
        for i, value in zip(found, values):
            totals[i] = is_total_label(value)
    return Encoded(codes, dictionary, totals, pc.match_substring_regex(dictionary, _PLAIN_TEXT))


_TOTAL_HINT = "計|total|和"
# A value holding one of these is not blank, whatever else it holds: Arrow finds them,
# so only the rest (a column of 100,000 questionnaire numbers has none left) is
# stripped in Python.
_SURELY_FILLED = r"[0-9A-Za-z]|[\x{3400}-\x{9fff}]"
# What parse_text hands back unchanged: printable ASCII words, each space between two
# of them single, none at either end. The empty text is among them (parse_text makes
# it None). Such a value is blank only if empty, and holds no invisible character.
_PLAIN_TEXT = r"^(?:[!-~]+(?: [!-~]+)*)?$"


def _dictionary_flags(column: Encoded, regex: str) -> np.ndarray:
    """Which distinct values hold ``regex`` (False for every plain one: call this only
    for what plain text cannot hold)."""
    flags = np.zeros(len(column.dictionary), dtype=bool)
    where, values = column.unusual()
    if len(where):
        flags[where] = pc.match_substring_regex(values, regex).to_numpy(zero_copy_only=False)
    return flags


def _python_values(column: Encoded, where: np.ndarray) -> list:
    """The distinct values at positions ``where`` as Python objects (only those)."""
    if column._uniques is not None:
        return [column._uniques[i] for i in where]
    return column.dictionary.take(int_array(where)).to_pylist() if len(where) else []


def _blank_flags(column: Encoded) -> np.ndarray:
    """Which distinct values are blank, False for the empty-cell code (-1) at the end.
    A plain value is blank only if empty; the others unless Arrow finds a letter,
    digit or CJK character in them, by ``is_blank``."""
    flags = np.zeros(len(column.dictionary) + 1, dtype=bool)
    if not len(column.dictionary):
        return flags
    flags[:-1] = pc.equal(column.dictionary, "").to_numpy(zero_copy_only=False)
    where, values = column.unusual()
    if len(where):
        unsure = where[~pc.match_substring_regex(values, _SURELY_FILLED).to_numpy(zero_copy_only=False)]
        for i, value in zip(unsure, _python_values(column, unsure)):
            flags[i] = _is_blank_text(value)
    return flags


def _is_blank_text(value) -> bool:
    return is_blank(value)


def _text_column(column: Encoded, codes: np.ndarray) -> Column:
    """``parse_text`` of every distinct value, as Arrow: the values parse_text would
    hand back unchanged are found by Arrow (``plain``), so a column of 100,000 distinct
    questionnaire numbers costs no Python call per value. parse_text never finds a
    value bad."""
    dictionary = column.dictionary
    size = len(dictionary)
    if size:
        redo = pc.or_(pc.invert(column.plain), pc.equal(dictionary, ""))   # "" is plain, and parse_text's None
        if redo.true_count:
            again = dictionary.filter(redo).to_pylist()
            dictionary = pc.replace_with_mask(dictionary, redo, pa.array([parse_text(v) for v in again], pa.string()))
    unique = not size or not redo.true_count       # a dictionary's values, none changed: all different
    uniques = pa.concat_arrays([dictionary, pa.nulls(1, pa.string())])
    return Column(codes, arrow=uniques, unique=unique)


def _convert_text(column: Encoded, codes: np.ndarray) -> tuple[np.ndarray, None]:
    """``convert_codes(codes, uniques, parse_text)``, by way of ``_text_column``."""
    return _text_column(column, codes).values(), None


def _parsed_column(column: Encoded, codes: np.ndarray, parser) -> tuple[Column, dict[str, np.ndarray], np.ndarray]:
    """``parser`` over every distinct value once: the column (a value found bad made
    None), the rows found bad per message code, and the rows left blank."""
    uniques = column.uniques
    parsed = np.empty(len(uniques) + 1, dtype=object)
    for i, raw in enumerate(uniques):
        parsed[i] = parser(raw)
    parsed[-1] = None
    bad_at: dict[str, list[int]] = {}
    missing = np.zeros(len(parsed), dtype=bool)
    for i, value in enumerate(parsed):
        if isinstance(value, Bad):
            bad_at.setdefault(value.code, []).append(i)
            parsed[i] = None
        elif value is None or (isinstance(value, float) and value != value):
            missing[i] = True
    bad = {}
    for code, at in bad_at.items():
        which = np.zeros(len(parsed), dtype=bool)
        which[at] = True
        bad[code] = which[codes]
    return Column(codes, parsed), bad, missing[codes]


def read_sheet(sheet: RawSheet, guess: HeaderGuess, settings: dict, problems: Problems,
               notices: list) -> SheetData:
    """Cells below the header → typed columns; blank and total rows dropped."""
    start = guess.header_row + 1
    height = max(sheet.height - start, 0)
    excel_rows = np.arange(start + 1, start + 1 + height)
    encoded = {pos: encode(sheet.column(pos, start)) for pos in sorted(set(sheet.positions) | set(guess.columns))}

    blank = np.ones(height, dtype=bool)
    total = np.zeros(height, dtype=bool)
    for pos, column in encoded.items():
        if pos in guess.columns:
            blank &= np.append(_blank_flags(column)[:-1], True)[column.codes]
        if column.totals.any():
            total |= column.totals[column.codes]
    keep = ~blank & ~total
    every = bool(keep.all())
    raw = LazyColumns()
    data = SheetData(sheet.name, guess.dataset, {}, excel_rows[keep], {}, raw, {}, problems, notices, settings)
    dropped = total & ~blank
    if dropped.any():
        data.notice("notice.total_rows", count=int(dropped.sum()), rows=_few(excel_rows[dropped]))
    for pos, f in guess.columns.items():
        column = encoded[pos]
        codes = column.codes if every else column.codes[keep]
        raw.defer(f.name, column, codes)
        data.where[f.name] = (column_letter(pos), guess.labels[pos])
        if f.parser is parse_text:
            data.columns[f.name] = col = _text_column(column, codes)
            missing = pc.is_null(col.arrow).to_numpy(zero_copy_only=False)[col.codes] if f.must_fill else None
        else:
            data.columns[f.name], bad, missing = _parsed_column(column, codes, f.parser)
            for code, rows in bad.items():
                data.flag(f.name, rows, code)
        if f.must_fill and missing.any():
            data.flag(f.name, missing, "bad.blank_required")
    for pos, column in encoded.items():
        if pos in guess.columns or pos >= len(guess.labels) or not norm_header(guess.labels[pos]):
            continue
        codes = column.codes if every else column.codes[keep]
        data.extras[guess.labels[pos]] = (column_letter(pos), np.array([*column.uniques, None], dtype=object)[codes])
    _count_invisible(sheet, guess, encoded, keep, data)
    return data


def _count_invisible(sheet: RawSheet, guess: HeaderGuess, encoded: dict[int, "Encoded"], keep: np.ndarray,
                     data: SheetData):
    """Say, per column that is read, how many cells held control, bidi or zero-width
    characters (the parsers drop them: ``normalize.nfkc``), its header cells included.
    Arrow looks at each distinct value once."""
    first_header = guess.header_row if guess.top_row is None else guess.top_row
    for pos, column in encoded.items():
        if pos not in guess.columns and (pos >= len(guess.labels) or not norm_header(guess.labels[pos])):
            continue
        count = 0
        if len(column.dictionary):
            flags = np.append(_dictionary_flags(column, INVISIBLE_RE2), False)
            count = int(flags[column.codes[keep]].sum())
        header_cells = sheet.column(pos, first_header).slice(0, guess.header_row + 1 - first_header).to_pylist()
        count += sum(1 for cell in header_cells if has_invisible(cell))
        if count:
            data.notice("notice.invisible_removed", column=column_letter(pos), header=guess.labels[pos],
                        count=f"{count:,}")



def _few(rows: np.ndarray, n: int = 5) -> str:
    shown = ", ".join(str(int(r)) for r in rows[:n])
    return shown + ("…" if len(rows) > n else "")


def flag_duplicate_keys(data: SheetData, key: pa.Array, name: str):
    """Two rows of one file with the same natural key would count the same thing twice."""
    encoded = pc.dictionary_encode(key)
    if len(encoded.dictionary) == len(key):   # every key distinct, the usual case
        return
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    distinct, first_at = np.unique(codes, return_index=True)
    later = np.ones(len(codes), dtype=bool)
    later[first_at] = False
    if not later.any():
        return
    first_of = np.empty(int(distinct.max()) + 1, dtype=np.int64)
    first_of[distinct] = first_at
    letter, header = data.where.get(name, (None, name))
    for i in np.flatnonzero(later):
        data.problems.add(Problem("bad.duplicate_key", {"first": int(data.rows[first_of[codes[i]]])},
                                  data.sheet, int(data.rows[i]), letter, header))


def make_key(*parts) -> pa.Array:
    """The natural key as one text column: parts joined by a separator no cell holds.
    Each part is turned to text once per distinct value; Arrow joins them."""
    arrays = [_text_part(part) for part in parts]
    joined = arrays[0] if len(arrays) == 1 else pc.binary_join_element_wise(*arrays, "\x1f")
    return joined.cast(pa.string())


# Arrow types whose text (``cast`` to string) is what ``str()`` makes of the Python value.
_TEXT_LIKE = (pa.types.is_string, pa.types.is_large_string, pa.types.is_date32, pa.types.is_integer)


def _text_part(part) -> pa.Array:
    """One part of a key as text, "" where blank. An Arrow column of text, dates or
    whole numbers, or an object column of text and blanks only (the questionnaire
    numbers), goes to Arrow as it is; any other, distinct value by value."""
    if isinstance(part, pa.ChunkedArray):
        part = part.combine_chunks()
    if isinstance(part, pa.Array):
        if any(test(part.type) for test in _TEXT_LIKE):
            return part.cast(pa.string()).fill_null("")
        part = np.array(part.to_pylist() + [None], dtype=object)[:len(part)]
    part = np.asarray(part, dtype=object)
    try:
        return pa.array(part.tolist(), type=pa.string()).fill_null("")
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        pass   # not text only: dates, numbers, NaN
    codes, uniques = factorize(part)
    text = pa.array([str(u) for u in uniques] + [""], type=pa.string())
    return text.take(int_array(np.where(codes < 0, len(uniques), codes)))


def _nth_of_equals(key: pa.Array) -> np.ndarray:
    """Each row's place (1, 2, …) among the rows with the same key, in row order."""
    codes = pc.dictionary_encode(key).indices.to_numpy(zero_copy_only=False)
    order = np.argsort(codes, kind="stable")
    ordered = codes[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    run_start = np.repeat(starts, np.diff(np.r_[starts, len(codes)]))
    place = np.empty(len(codes), dtype=np.int64)
    place[order] = np.arange(len(codes)) - run_start + 1
    return place


def _all_blank(values) -> bool:
    if values is None:
        return True
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        return values.null_count == len(values)
    return bool(isna(values).all())


def natural_key(data: SheetData, values: dict[str, object]) -> pa.Array:
    """The dataset's declared key over a sheet's clean ``values`` (column → an object
    array or an Arrow array), with two rows of one file on the same key refused. Where
    the key's last column is blank throughout the sheet and the dataset declares a
    fallback, the key is the fallback columns plus each row's place among its equals
    (the n-th questionnaire of a day at an office), so a corrected sheet replaces
    rather than adds."""
    ds = data.dataset
    last = values.get(ds.key[-1])
    if ds.key_fallback and _all_blank(last):
        base = make_key(*(values[c] for c in ds.key_fallback))
        if not len(base):
            return base
        place = int_array(_nth_of_equals(base)).cast(pa.string())
        return pc.binary_join_element_wise(base, place, "\x1f#")
    key = make_key(*(values[c] for c in ds.key))
    shown = next((c for c in reversed(ds.key) if c in data.where), ds.key[-1])   # a column the sheet has
    if not _surely_distinct(data, [values[c] for c in ds.key]):
        flag_duplicate_keys(data, key, shown)
    return key


def _surely_distinct(data: SheetData, parts: list) -> bool:
    """A key of one text column whose distinct values cleaning left as they were (the
    questionnaire numbers) repeats only where a row's code does: counted without
    encoding the key again."""
    column = data.column_behind(parts[0]) if len(parts) == 1 else None
    if column is None or not column.unique or not len(column.codes):
        return False
    return int(np.bincount(column.codes + 1).max()) <= 1      # the blank cell's code (-1) counted too
