"""What the app asks of the data, one short-lived connection per call, so that the
command line can import while the app runs (DuckDB lets one process write at a time).

``importer`` and ``sample`` (the workbook reader and writer: fastexcel, openpyxl) are
imported where an import or the sample needs them, not here: every start of the app
imports this module, and a start on a database that holds data needs only DuckDB."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path

from . import store
from .store import Busy, UndoRefused, db_path  # noqa: F401  (what the app needs of the store)


# One writer at a time in this process: imports and undos queue here for a while,
# then give up with WriterBusy rather than racing inside DuckDB.
_WRITER = threading.Lock()
WRITER_WAIT_SECONDS = 30.0


class WriterBusy(Exception):
    """Another import or undo in this process held the writer for too long."""


@contextmanager
def opened(db: str | Path | None = None, *, write: bool = False):
    """A connection for one operation. Every connection of this process opens the file
    the same way (read-write), so they share one DuckDB instance and see each other's
    committed transactions; the file is free for other processes between operations."""
    con = store.connect(store.db_path(db))
    try:
        if write:
            if not _WRITER.acquire(timeout=WRITER_WAIT_SECONDS):
                raise WriterBusy()
            try:
                yield con
            finally:
                _WRITER.release()
        else:
            yield con
    finally:
        con.close()


def connection(db: str | Path | None = None):
    """An open connection for the caller to close. The app keeps one open while it is
    busy (ui/data.py), so that its short operations share one DuckDB instance."""
    return store.connect(store.db_path(db))


def load_sample_if_new(db: str | Path | None = None) -> int | None:
    """On the very first start (no batch ever recorded), load the bundled sample.
    Returns its batch id, or None when nothing was loaded."""
    with opened(db, write=True) as con:
        if store.ever_imported(con):
            return None
        from . import importer, sample
        path = sample.sample_path()
        if not path.exists():
            sample.build(path)
        return importer.import_file(con, path, user="system", is_sample=True).batch_id


def data_version(db=None) -> int:
    with opened(db) as con:
        return store.data_version(con)


def data_state(db=None) -> tuple[int, bool]:
    """(data version, whether the bundled sample is in force), read through one
    connection: the app needs both at the start of every run."""
    with opened(db) as con:
        return store.data_version(con), store.sample_shown(con)


def sample_shown(db=None) -> bool:
    with opened(db) as con:
        return store.sample_shown(con)


def is_empty(db=None) -> bool:
    with opened(db) as con:
        return store.is_empty(con)


def load_sample(user: str | None = None, db=None, lang: str = "zh"):
    """Load the bundled sample again, into a database with nothing in force (the import
    page offers it there); refused where real data is in force."""
    with opened(db, write=True) as con:
        if not store.is_empty(con):
            raise store.UndoRefused("sample.not_empty")
        from . import importer, sample
        path = sample.sample_path()
        if not path.exists():
            sample.build(path)
        return importer.import_file(con, path, user=user, is_sample=True, lang=lang)


def batch_details(batch_id: int, db=None) -> dict:
    with opened(db) as con:
        return store.batch_details(con, batch_id)


def history(db=None) -> list[dict]:
    with opened(db) as con:
        return store.history(con)


# ------------------------------------------------------------------ the import page

def preview(path: str | Path, name: str, db=None, lang: str = "zh", on_wait=None, gregorian: bool = False) -> dict:
    """What importing this file would do, without writing: per sheet the dataset, rows
    and first rows as the reader will see them (``shown_rows``); every notice; every
    problem, rendered, and the refused cells each with what the file holds there.
    ``on_wait()`` is called if the file must wait for a parse slot (the page says so)."""
    from . import importer
    from .problems import Refused
    with opened(db) as con:
        existing = store.active_batch_with_hash(con, importer.file_hash(path))
        settings = store.settings(con)
    try:
        parsed = importer.parse_file(path, name, settings, on_wait)
    except Refused as refusal:
        return {"file": name, "ok": False, "sheets": [], "notices": [], "cells": refused_cells(refusal.problems, lang),
                "problems": [p.render(lang) for p in refusal.problems], "total": refusal.total, "existing": None}
    refused_sheets = {p.sheet for p in parsed.problems.items}
    sheets = [{"sheet": s.name, "dataset": s.dataset, "rows": s.rows, "refused": s.name in refused_sheets,
               "head": shown_rows(importer.first_rows(s, 5), s.dataset, lang, gregorian)} for s in parsed.sheets]
    return {"file": name, "ok": not parsed.problems, "sheets": sheets, "notices": parsed.notice_texts(lang),
            "problems": [p.render(lang) for p in parsed.problems.items], "total": parsed.problems.total,
            "cells": refused_cells(parsed.problems.items, lang), "existing": existing[0] if existing else None}


# Columns the importer keeps for its own use, not shown in a preview.
_INTERNAL = {"nkey", "dim_order", "position"}


def shown_rows(frame, dataset: str, lang: str = "zh", gregorian: bool = False):
    """Cleaned rows as a clerk reads them: the spec's headers in ``lang``, every cell as
    text — years and months ROC (or Gregorian), dates 110/07/17, a blank blank (never
    None or NaT), a pass 合格, a target's side 以上 and its period 全年, a rate's
    target 95.0%."""
    import pandas as pd

    from . import kpis, labels
    from .datasets import DATASETS
    from .i18n import t

    def text(column: str, value, row) -> str:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return ""
        if column == "year":
            return labels.year_label(int(value), lang, gregorian)
        if column == "month" and hasattr(value, "month"):
            return labels.month_label(value, gregorian)
        if hasattr(value, "month") and hasattr(value, "day"):
            return labels.date_label(value, gregorian)
        if column == "passed":
            return t("phone.passed" if bool(value) else "phone.failed", lang)
        if column == "half":
            return t("report.period.half" if int(value) == 1 else "report.period.year", lang)
        if column == "direction":
            return t("target.at_least" if int(value) > 0 else "target.at_most", lang)
        if column == "metric" and value in kpis.BY_KEY:        # stored as the KPI's key: said by its name
            return kpis.BY_KEY[value].name(lang)
        if column == "metric" and value == "all":               # 流程變更 for every chart
            return t("filter.all", lang)
        if column == "target" and row.get("metric") in kpis.BY_KEY and kpis.BY_KEY[row["metric"]].kind == "share":
            return f"{float(value):.1%}"
        if isinstance(value, float) and value.is_integer():
            return f"{int(value):,}" if column not in ("questionnaire_id",) else str(int(value))
        if isinstance(value, (int, float)):
            return f"{value:,}" if not isinstance(value, bool) else str(value)
        return str(value)

    heads = DATASETS[dataset].labels(lang)
    columns = [c for c in frame.columns if c not in _INTERNAL]
    rows = frame.to_dict("records")
    return pd.DataFrame({heads.get(c, c): [text(c, r[c], r) for r in rows] for c in columns}, dtype=object)


def refused_cells(problems, lang: str = "zh") -> list[dict]:
    """Each problem that points at a cell: where it is, what the file holds there
    (115/13, as typed; blank where it is blank) and what is wrong, in ``lang``."""
    from .i18n import t
    from .normalize import show_invisible
    out = []
    for p in problems:
        if p.row is None or p.column is None:
            continue
        value = "" if p.value is None else show_invisible(str(int(p.value) if isinstance(p.value, float)
                                                                and p.value.is_integer() else p.value))
        out.append({"sheet": show_invisible(p.sheet or ""), "row": p.row,
                    "column": t("where.column", lang, column=p.column, header=show_invisible(p.header or "")),
                    "value": value, "problem": t(p.code, lang, **p.params)})
    return out


def import_path(path: str | Path, name: str, user: str | None = None, db=None, lang: str = "zh", on_wait=None):
    """Import one file as one batch; raises ``Refused`` having written nothing. The
    file is parsed before the writer is taken, so other sessions' imports and undos,
    and other processes, wait only for the write."""
    from . import importer
    return importer.parse_then_import(lambda: opened(db), lambda: opened(db, write=True), path, name,
                                      user=user, lang=lang, on_wait=on_wait)


def remove_stale_scratch() -> list:
    """At a start: the upload and parse folders that processes now gone left in the
    temporary folder (``analytics.scratch``)."""
    from . import scratch
    return scratch.remove_stale()


def undo(batch_id: int, user: str | None = None, db=None) -> store.UndoResult:
    with opened(db, write=True) as con:
        return store.undo_batch(con, batch_id, user)
