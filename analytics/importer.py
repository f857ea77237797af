"""File → recognised sheets → clean rows → one batch in the store.

``parse_file`` does everything short of writing (the import page previews it);
``import_file`` writes the result as one all-or-nothing batch; ``parse_then_import``
parses with no connection or lock held and opens the store only to write. The rows
travel as Arrow tables from the parser to DuckDB; pandas is not imported on the way.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import store
from .datasets import DATASETS
from .datasets.base import HEADER_SCAN_ROWS, guess_header, read_sheet
from .i18n import t
from .normalize import norm_header, show_invisible
from .problems import Problem, Problems, Refused
from .reader import read_workbook

NOT_DATA_SHEETS = frozenset({"說明", "填表說明", "封面", "目錄", "備註", "注意事項", "readme", "instructions", "notes"})


@dataclass
class ParsedSheet:
    name: str
    dataset: str
    rows: int
    arrow: dict[str, object]        # table → its clean rows: an Arrow table (a DataFrame, if finish() made one)

    @property
    def tables(self) -> dict:
        """Table → its clean rows as pandas DataFrames (the import page's preview)."""
        return {name: _frame(rows) for name, rows in self.arrow.items()}


def first_rows(sheet: ParsedSheet, n: int) -> object:
    """The first ``n`` clean rows of a sheet's own table as a DataFrame (the preview),
    without converting the rest."""
    rows = sheet.arrow[sheet.dataset]
    return _frame(rows.slice(0, n) if isinstance(rows, pa.Table) else rows.head(n))


def _frame(rows):
    """An Arrow table as a DataFrame with nullable integers, as the preview shows them."""
    if not isinstance(rows, pa.Table):
        return rows
    import pandas as pd
    kinds = {pa.int8(): pd.Int8Dtype(), pa.int16(): pd.Int16Dtype(), pa.int32(): pd.Int32Dtype(),
             pa.int64(): pd.Int64Dtype(), pa.float64(): pd.Float64Dtype(), pa.bool_(): pd.BooleanDtype()}
    return rows.to_pandas(types_mapper=kinds.get, date_as_object=False)


@dataclass
class Parsed:
    file: str
    sha256: str
    sheets: list[ParsedSheet] = field(default_factory=list)
    notices: list[tuple[str, dict]] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)

    @property
    def ok(self) -> bool:
        return not self.problems and any(s.rows for s in self.sheets)

    def frames(self) -> dict[str, dict[str, object]]:
        """Dataset → table → rows (an Arrow table), with several sheets of one dataset joined."""
        out: dict[str, dict[str, list]] = {}
        for sheet in self.sheets:
            for table, frame in sheet.arrow.items():
                out.setdefault(sheet.dataset, {}).setdefault(table, []).append(frame)
        return {ds: {tb: fs[0] if len(fs) == 1 else _joined(fs) for tb, fs in parts.items()}
                for ds, parts in out.items()}

    def rows_by_dataset(self) -> dict[str, int]:
        return {ds: len(parts[ds]) for ds, parts in self.frames().items()}

    def notice_texts(self, lang: str = "zh") -> list[str]:
        """The notices in ``lang``; a sheet or header name's invisible characters as codes."""
        return [t(code, lang, **{k: show_invisible(v) if isinstance(v, str) else v for k, v in params.items()})
                for code, params in self.notices]

    def refusal(self) -> Refused:
        return Refused(self.file, self.problems.items, self.problems.total)


def _joined(parts: list):
    """Several sheets' rows of one table as one."""
    if all(isinstance(p, pa.Table) for p in parts):
        return pa.concat_tables(parts, promote_options="permissive")
    import pandas as pd
    return pd.concat([p.to_pandas() if isinstance(p, pa.Table) else p for p in parts], ignore_index=True)


def file_hash(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def parse_file(path: str | Path, name: str | None = None, settings: dict | None = None, on_wait=None,
               sha256: str | None = None) -> Parsed:
    """Read, recognise and clean every sheet; write nothing. A file that cannot be
    opened at all raises ``Refused``; problems in its cells are collected in the result.
    ``on_wait()`` is called if the file must wait for one of the process's parse slots;
    ``sha256``, the file's hash where the caller has it already."""
    path = Path(path)
    name = name or path.name
    parsed = Parsed(name, sha256 or file_hash(path))
    settings = settings or {}
    datasets = list(DATASETS.values())
    sheets = read_workbook(path, name, on_wait)[::-1]
    while sheets:
        raw = sheets.pop()      # let go of each sheet's cells once read (a million rows: 120 MB)
        if raw.height == 0:
            parsed.notices.append(("notice.empty_sheet", {"sheet": raw.name}))
            continue
        guess = None if norm_header(raw.name) in NOT_DATA_SHEETS else guess_header(raw.head(HEADER_SCAN_ROWS), datasets)
        if guess is None:
            parsed.notices.append(("notice.skipped_sheet", {"sheet": raw.name}))
            continue
        if not guess.complete:
            names = {f.name for f in guess.columns.values()}
            for label in guess.dataset.missing(names):
                parsed.problems.add(Problem("bad.missing_column", {"column": label, "dataset": guess.dataset.name},
                                            raw.name, guess.header_row + 1))
            continue
        data = read_sheet(raw, guess, settings, parsed.problems, parsed.notices)
        del raw
        if len(data) == 0:
            parsed.notices.append(("notice.no_rows", {"sheet": data.sheet, "dataset": guess.dataset.name}))
            continue
        tables = guess.dataset.finish(data)
        parsed.notices.append(("notice.recognised", {"sheet": data.sheet, "dataset": guess.dataset.name,
                                                     "rows": len(data), "header_row": guess.header_row + 1}))
        parsed.sheets.append(ParsedSheet(data.sheet, guess.dataset.name, len(data), tables))
    _check_across_sheets(parsed)
    if not parsed.problems and not parsed.sheets:
        parsed.problems.add(Problem("file.no_data", {}))
    return parsed


def _check_across_sheets(parsed: Parsed):
    """Two sheets of one file that hold the same natural key would double a count."""
    by_dataset: dict[str, list[ParsedSheet]] = {}
    for sheet in parsed.sheets:
        by_dataset.setdefault(sheet.dataset, []).append(sheet)
    for dataset, sheets in by_dataset.items():
        if len(sheets) < 2:
            continue
        parts = [_keys(s.arrow[dataset]) for s in sheets]
        keys = pa.chunked_array(parts, pa.string()).combine_chunks()
        sheet_of = np.repeat(np.arange(len(sheets)), [len(p) for p in parts])
        codes = pc.dictionary_encode(keys).indices.to_numpy(zero_copy_only=False)
        distinct, first_at = np.unique(codes, return_index=True)
        if len(distinct) == len(codes):       # no key in two places, the usual case
            continue
        first_sheet = np.empty(int(distinct.max()) + 1, dtype=np.intp)
        first_sheet[distinct] = sheet_of[first_at]
        again = np.ones(len(codes), dtype=bool)
        again[first_at] = False
        for i in np.flatnonzero(again):
            first = first_sheet[codes[i]]
            if first != sheet_of[i]:
                key = keys[int(i)].as_py()
                parsed.problems.add(Problem("bad.key_in_two_sheets", {"other": sheets[first].name,
                                                                      "key": key.replace("\x1f", " / ")},
                                            sheets[sheet_of[i]].name))


def _keys(rows) -> pa.Array:
    """The ``nkey`` column of a finish()'s rows (Arrow or pandas) as Arrow text."""
    if isinstance(rows, pa.Table):
        return rows.column("nkey").combine_chunks().cast(pa.string())
    return pa.array(rows["nkey"].astype(object).tolist(), pa.string())


@dataclass
class ImportResult:
    file: str
    batch_id: int | None        # None: identical file already in force, nothing written
    rows_by_dataset: dict[str, int]
    notices: list[str]
    existing_batch: int | None = None
    withdrawn: list[store.UndoResult] = field(default_factory=list)   # the sample, taken out by this import

    def messages(self, lang: str = "zh") -> list[str]:
        """What the import did, in the user's language: the batch and its rows, and the
        sample it withdrew (the notices about sheets come separately)."""
        if self.batch_id is None:
            return list(self.notices[:1])
        rows = t("sum.list_join", lang).join(t("rows.of", lang, dataset=d, n=f"{n:,}") for d, n in self.rows_by_dataset.items())
        out = [t("import.done", lang, file=self.file, batch=self.batch_id, rows=rows)]
        for undo in self.withdrawn:
            out.append(t("import.sample_withdrawn", lang, batch=undo.batch, rows=f"{sum(undo.removed.values()):,}"))
        return out


def is_bundled_sample(sha256: str) -> bool:
    """The bundled sample workbook, however it arrives (the first start, the import
    page's button, or the command line), counts as sample data."""
    from .sample_file import sample_path
    path = sample_path()
    return path.exists() and file_hash(path) == sha256


def import_file(con, path: str | Path, name: str | None = None, *, user: str | None = None,
                is_sample: bool = False, lang: str = "zh", parsed: Parsed | None = None) -> ImportResult:
    """Import one file as one batch, or raise ``Refused`` having written nothing.
    ``parsed``: the file already parsed (``parse_then_import``), so that only the
    check for an identical batch and the write happen here."""
    path = Path(path)
    name = name or path.name
    sha = parsed.sha256 if parsed is not None else file_hash(path)
    existing = store.active_batch_with_hash(con, sha)
    if existing is not None:
        return ImportResult(name, None, {}, [t("import.unchanged", lang, batch=existing[0], file=existing[1])],
                            existing_batch=existing[0])
    if parsed is None:
        parsed = parse_file(path, name, store.settings(con))
    if parsed.problems:
        raise parsed.refusal()
    frames = parsed.frames()
    is_sample = is_sample or is_bundled_sample(sha)
    # Real data withdraws the sample in the same transaction: made-up numbers never
    # stand beside real ones, and the history shows the withdrawal as an undo.
    sample = () if is_sample else tuple(store.active_sample_batches(con))
    details = [store.batch_details(con, b) for b in sample]
    batch_id = store.write_batch(con, file=name, sha256=parsed.sha256, frames=frames, user=user, is_sample=is_sample,
                                 withdraw=sample)
    rows = {dataset: len(parts[dataset]) for dataset, parts in frames.items()}
    withdrawn = [store.UndoResult(d["id"], d["removes"], d["restores"]) for d in details]
    return ImportResult(name, batch_id, rows, parsed.notice_texts(lang), withdrawn=withdrawn)


def parse_then_import(open_for_reading, open_for_writing, path: str | Path, name: str | None = None, *,
                      user: str | None = None, lang: str = "zh", on_wait=None) -> ImportResult:
    """``import_file`` with the parse outside every lock: a moment's connection reads
    the settings the parser needs and whether the file is in already; the parse runs
    holding nothing, so a slow or hostile file never keeps other sessions or processes
    from the database; then ``open_for_writing()`` (a context manager giving a
    connection, with whatever lock the caller needs) checks for an identical batch
    again and writes. Settings changed in between are caught: the file is parsed again."""
    path = Path(path)
    name = name or path.name
    sha = file_hash(path)
    for _ in range(3):
        with open_for_reading() as con:
            settings = store.settings(con)
            already = store.active_batch_with_hash(con, sha) is not None
        parsed = None if already else parse_file(path, name, settings, on_wait, sha256=sha)
        if parsed is not None and parsed.problems:
            raise parsed.refusal()
        with open_for_writing() as con:
            if parsed is None and store.active_batch_with_hash(con, sha) is not None:
                return import_file(con, path, name, user=user, lang=lang)        # unchanged: no parse, no write
            if parsed is not None and store.settings(con) == settings:
                return import_file(con, path, name, user=user, lang=lang, parsed=parsed)
    with open_for_writing() as con:   # the store kept changing under us: parse under the lock after all
        return import_file(con, path, name, user=user, lang=lang)
