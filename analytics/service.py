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

def preview(path: str | Path, name: str, db=None, lang: str = "zh", on_wait=None) -> dict:
    """What importing this file would do, without writing: per sheet the dataset,
    rows and first cleaned rows; every notice; every problem, rendered. ``on_wait()``
    is called if the file must wait for a parse slot (the page says so)."""
    from . import importer
    from .problems import Refused
    with opened(db) as con:
        existing = store.active_batch_with_hash(con, importer.file_hash(path))
        settings = store.settings(con)
    try:
        parsed = importer.parse_file(path, name, settings, on_wait)
    except Refused as refusal:
        return {"file": name, "ok": False, "sheets": [], "notices": [],
                "problems": [p.render(lang) for p in refusal.problems], "total": refusal.total, "existing": None}
    sheets = [{"sheet": s.name, "dataset": s.dataset, "rows": s.rows,
               "head": s.tables[s.dataset].drop(columns="nkey").head(5)} for s in parsed.sheets]
    return {"file": name, "ok": not parsed.problems, "sheets": sheets, "notices": parsed.notice_texts(lang),
            "problems": [p.render(lang) for p in parsed.problems.items], "total": parsed.problems.total,
            "existing": existing[0] if existing else None}


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
