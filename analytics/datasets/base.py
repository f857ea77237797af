"""What every dataset module shares: fields with synonyms, header recognition, and the
cell-by-column cleaning that turns a raw sheet into typed columns with Excel row numbers."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

from ..normalize import convert_codes, display_header, is_blank, is_total_label, norm_header
from ..problems import Problem, Problems

HEADER_SCAN_ROWS = 30


@dataclass(frozen=True)
class Field:
    name: str                      # column name in DuckDB
    label: str                     # canonical Chinese header (templates, exports)
    label_en: str
    synonyms: tuple[str, ...]
    parser: Callable
    required: bool = False         # the column must be there …
    not_blank: bool | None = None  # … and (by default) every row must fill it
    sql: str = "VARCHAR"

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(norm_header(s) for s in (self.label, self.label_en, *self.synonyms)))

    @property
    def must_fill(self) -> bool:
        return self.required if self.not_blank is None else self.not_blank


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    title_en: str
    fields: tuple[Field, ...]
    # Each tuple is one way to satisfy the required columns beyond the plain required
    # ones, e.g. (("month",), ("date",), ("year", "month_no")).
    alternatives: tuple[tuple[str, ...], ...]
    key: tuple[str, ...]
    columns: tuple[tuple[str, str], ...]          # stored columns (name, SQL type)
    finish: Callable[["SheetData"], dict[str, pd.DataFrame]]
    extra_tables: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    keeps_extra_numeric: bool = False
    unit_column: str | None = None
    year_expr: str = "year"

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


def match_headers(labels: list[str], dataset: Dataset) -> dict[int, Field]:
    """Column index → field. Exact synonym matches first, then the longest synonym of
    four or more characters that the header contains."""
    taken: dict[str, int] = {}
    out: dict[int, Field] = {}
    for exact in (True, False):
        for col, label in enumerate(labels):
            if not label or col in out:
                continue
            best, best_len = None, 0
            for f in dataset.fields:
                if f.name in taken:
                    continue
                for key in f.keys:
                    if exact and label == key:
                        best, best_len = f, 10_000
                    elif not exact and len(key) >= 4 and key in label and len(key) > best_len:
                        best, best_len = f, len(key)
            if best is not None:
                out[col] = best
                taken[best.name] = col
    return out


@dataclass
class HeaderGuess:
    dataset: Dataset
    header_row: int            # 0-based index of the (last) header row
    labels: list[str]          # raw header text per column, for messages
    columns: dict[int, Field]
    complete: bool


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
                    best = HeaderGuess(ds, r + two_rows, raw, cols, complete)
    return best


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass
class SheetData:
    """A recognised sheet on its way to clean rows: typed columns by field name, the
    Excel row number of each row, and the problems and notices found so far."""

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

    def __len__(self):
        return len(self.rows)

    def has(self, name: str) -> bool:
        return name in self.values

    def get(self, name: str) -> np.ndarray:
        return self.values.get(name, np.full(len(self.rows), None, dtype=object))

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

    def notice(self, code: str, **params):
        self.notices.append((code, {"sheet": self.sheet, **params}))


def _blank_mask(codes: np.ndarray, uniques) -> np.ndarray:
    flags = np.fromiter((is_blank(u) for u in uniques), dtype=bool, count=len(uniques))
    return np.append(flags, True)[codes]


def read_sheet(sheet: str, rows: list[list], guess: HeaderGuess, settings: dict,
               problems: Problems, notices: list) -> SheetData:
    """Cells below the header → typed columns; blank and total rows dropped."""
    start = guess.header_row + 1
    body = rows[start:]
    width = max((len(r) for r in body), default=0)
    frame = pd.DataFrame(body, columns=range(width), dtype=object)
    excel_rows = np.arange(start + 1, start + 1 + len(body))

    factorized = {c: pd.factorize(frame[c]) for c in range(width)}
    blank = np.ones(len(frame), dtype=bool)
    for c in guess.columns:
        if c < width:
            blank &= _blank_mask(*factorized[c])
    total = np.zeros(len(frame), dtype=bool)
    for c in range(width):
        codes, uniques = factorized[c]
        hits = np.fromiter((is_total_label(u) for u in uniques), dtype=bool, count=len(uniques))
        if hits.any():
            total |= np.append(hits, False)[codes]
    keep = ~blank & ~total
    data = SheetData(sheet, guess.dataset, {}, excel_rows[keep], {}, {}, {}, problems, notices, settings)
    if (total & ~blank).any():
        data.notice("notice.total_rows", count=int((total & ~blank).sum()), rows=_few(excel_rows[total & ~blank]))
    for c, f in guess.columns.items():
        if c < width:
            codes, uniques = factorized[c]
            codes = codes[keep]
            raw = frame[c].to_numpy(dtype=object)[keep]
        else:
            codes, uniques = np.full(int(keep.sum()), -1), []
            raw = np.full(len(codes), "", dtype=object)
        data.raw[f.name] = raw
        data.where[f.name] = (column_letter(c), guess.labels[c])
        values, bad = convert_codes(codes, uniques, f.parser)
        data.values[f.name] = values
        if bad is not None:
            for code in {b.code for b in bad if b is not None}:
                data.flag(f.name, np.fromiter((b is not None and b.code == code for b in bad), bool, len(bad)), code)
        if f.must_fill:
            missing = pd.isna(values) & (bad is None or pd.isna(bad))
            if missing.any():
                data.flag(f.name, missing, "bad.blank_required")
    for c in range(width):
        if c in guess.columns or c >= len(guess.labels) or not norm_header(guess.labels[c]):
            continue
        data.extras[guess.labels[c]] = (column_letter(c), frame[c].to_numpy(dtype=object)[keep])
    return data


def _few(rows: np.ndarray, n: int = 5) -> str:
    shown = ", ".join(str(int(r)) for r in rows[:n])
    return shown + ("…" if len(rows) > n else "")


def flag_duplicate_keys(data: SheetData, key: pd.Series, name: str):
    """Two rows of one file with the same natural key would count the same thing twice."""
    later = key.duplicated(keep="first").to_numpy()
    if not later.any():
        return
    first_row = dict(zip(key[~later], data.rows[~later]))
    letter, header = data.where.get(name, (None, name))
    for i in np.flatnonzero(later):
        data.problems.add(Problem("bad.duplicate_key", {"first": int(first_row[key.iat[i]])},
                                  data.sheet, int(data.rows[i]), letter, header))


def make_key(*parts) -> pd.Series:
    """The natural key as one text column: parts joined by a separator no cell holds."""
    out = None
    for part in parts:
        s = pd.Series(part, dtype=object).map(lambda v: "" if v is None else str(v))
        out = s if out is None else out + "\x1f" + s
    return out.astype(str)


def frame(data: SheetData, columns: dict[str, object]) -> pd.DataFrame:
    return pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in columns.items()})
