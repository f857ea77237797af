"""The DuckDB file: schema, batches, replace-by-key, undo.

Every dataset table carries ``batch_id`` and ``nkey`` (its natural key as one text
value). A row that a later import replaces moves to ``<table>_replaced`` with the
batch that replaced it, so undoing that batch can bring it back.
"""
from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import shutil
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from .datasets import DATASETS
from .datasets.dimension_scores import DEFAULT_DIMENSIONS
from .definitions import pass_mark
from .i18n import t
from .problems import Problem, Refusal, Refused

DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "dashboard.duckdb"
LOCK_WAIT_SECONDS = 10.0


class Busy(Exception):
    """Another process holds the database."""


class UndoRefused(Refusal):
    """An undo (or a reload of the sample) that cannot be done as asked."""


def db_path(path: str | Path | None = None) -> Path:
    return Path(path or os.environ.get("DASHBOARD_DB") or DEFAULT_DB)


def spec_tables(name: str) -> dict[str, tuple[tuple[str, str], ...]]:
    """Table → its (column, SQL type) pairs, as today's spec of a dataset writes them."""
    ds = DATASETS[name]
    return {name: ds.columns, **ds.extra_tables}


def column_types(con, catalog: str | None = None) -> dict[str, dict[str, str]]:
    """Table → column → SQL type, in the table's order, as the database holds them: one
    look at DuckDB's catalog (``duckdb_columns()``, half the cost of
    information_schema), which an import or an undo takes once and passes on."""
    out: dict[str, dict[str, str]] = {}
    for table, column, kind in con.execute("""SELECT table_name, column_name, data_type FROM duckdb_columns()
                                              WHERE schema_name = 'main'
                                                AND database_name = coalesce(?, current_database())
                                              ORDER BY table_name, column_index""", [catalog]).fetchall():
        out.setdefault(table, {})[column] = kind
    return out


def schema_problems(con, name: str, frames: dict | None = None, held: dict | None = None) -> list[Problem]:
    """Where the database's tables for a dataset, or the rows an import made for them,
    differ from the dataset's spec: a column missing or of another type in the table
    (its migration is missing or wrong), or a column the rows have and the spec does
    not name, or lack (the dataset's finish() and its fields disagree). Each would
    drop or mistype data without a word, so an import with any is refused. ``held``:
    ``column_types(con)`` where the caller has it."""
    held = column_types(con) if held is None else held
    problems = []
    for table, columns in spec_tables(name).items():
        stored = held.get(table)
        if stored is None:
            problems.append(Problem("store.no_table", {"table": table, "dataset": name}))
            continue
        for column, kind in columns:
            if column not in stored:
                problems.append(Problem("store.no_column", {"table": table, "column": column, "type": kind}))
            elif stored[column] != kind:
                problems.append(Problem("store.column_type", {"table": table, "column": column, "type": kind,
                                                              "stored": stored[column]}))
        frame = (frames or {}).get(table)
        if frame is not None:
            made, meant = set(_column_names(frame)) - {"nkey"}, {c for c, _ in columns}
            for column in sorted(made ^ meant):
                problems.append(Problem("store.rows_column", {"table": table, "column": column}))
    return problems


def _column_names(rows) -> list[str]:
    """The columns of an import's rows: an Arrow table, or a pandas DataFrame."""
    names = getattr(rows, "column_names", None)
    return list(names) if names is not None else [str(c) for c in rows.columns]


def stored_tables(con, catalog: str | None = None, held: dict | None = None) -> dict[str, list[str]]:
    """Every data table the database itself holds → its data columns (without batch_id
    and nkey): those with a ``<table>_replaced`` twin. Undo, backup and restore read
    these rather than today's specs, so they work on a database of any version.
    ``held``: ``column_types(con, catalog)`` where the caller has it."""
    columns = column_types(con, catalog) if held is None else held
    return {table: [c for c in cols if c not in ("batch_id", "nkey")] for table, cols in columns.items()
            if f"{table}_replaced" in columns and {"batch_id", "nkey"} <= set(cols)}


MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def migrations() -> list[tuple[int, list[str]]]:
    """The numbered migrations, each literal DDL text in ``migrations/NNNN_name.sql``.
    A released migration is frozen: the schema never follows today's dataset modules,
    so a database or backup written by any earlier version opens and migrates."""
    out = []
    for path in sorted(MIGRATIONS_DIR.glob("[0-9][0-9][0-9][0-9]_*.sql")):
        text = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines()
                         if not line.lstrip().startswith("--"))
        out.append((int(path.name[:4]), [stmt.strip() for stmt in text.split(";\n") if stmt.strip()]))
    return out


SCHEMA_VERSION = migrations()[-1][0]


_MIGRATING = threading.Lock()
# Database files this process has brought up to SCHEMA_VERSION, each as the file was
# on disk (device, inode, size, modification time) once migrated. The app opens a
# connection for every query; checking the schema each time was a write transaction
# per query. A file restored over, deleted and made again, or written since (by an
# import, whose checkpoint moves its time) is checked again; reads leave it unchanged.
_MIGRATED: set[tuple] = set()


def _identity(target: Path) -> tuple | None:
    try:
        st = os.stat(target)
    except OSError:
        return None
    return (str(target), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def migrate(con: duckdb.DuckDBPyConnection):
    """Bring the schema up to date. Threads of one process share a DuckDB instance and
    would collide creating the same tables, so they take turns."""
    with _MIGRATING:
        _migrate(con)


def _migrate_once(con: duckdb.DuckDBPyConnection, target: Path):
    """``migrate``, unless this process already did for this very file."""
    identity = _identity(target) if str(target) != ":memory:" else None
    if identity is not None and identity in _MIGRATED:
        return
    with _MIGRATING:
        _migrate(con)
        if identity is not None:
            _MIGRATED.add(_identity(target) or identity)


def _migrate(con: duckdb.DuckDBPyConnection):
    con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    row = con.execute("SELECT max(version) FROM schema_version").fetchone()
    current = row[0] or 0
    for version, statements in migrations():
        if version <= current:
            continue
        with transaction(con):
            for stmt in statements:
                con.execute(stmt.rstrip(";"))
            con.execute("INSERT INTO schema_version VALUES (?)", [version])


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection):
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


# ------------------------------------------------------------------ files on disk
#
# The database holds staff names (unmasked) and every backup is a copy of it: both are
# the owner's alone (issue 23). DuckDB creates the database file, and its WAL at the
# first write after every checkpoint, with the process's umask; so a process that opens
# a database file keeps a umask of at least 077 from then on (the command line's -o
# files and the app's temporary files are made owner-only too), folders made for the
# database are 0700, and a database or WAL an earlier version left readable to others
# is made 0600 when opened.


def private_files():
    """From now on, files and folders this process creates are its owner's alone."""
    os.umask(os.umask(0o077) | 0o077)


def make_private(path: Path):
    """``path`` (a file this process's user owns) readable and writable by the owner only."""
    try:
        st = os.stat(path)
    except OSError:
        return
    if st.st_uid == getattr(os, "getuid", lambda: st.st_uid)() and st.st_mode & 0o077:
        os.chmod(path, st.st_mode & 0o700)


def _private_folder(folder: Path):
    """Create the missing folders of ``folder``, each 0700; folders that exist are left
    as they are (they may be shared on purpose)."""
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for part in reversed(missing):
        part.mkdir(mode=0o700, exist_ok=True)


def _private_database(target: Path):
    for path in (target, Path(f"{target}.wal")):
        make_private(path)


def connect(path: str | Path | None = None, *, read_only: bool = False,
            wait: float | None = None) -> duckdb.DuckDBPyConnection:
    """Open the database, creating and migrating it on first use. While another
    process holds it, retry for ``wait`` seconds, then raise ``Busy``. The file, its
    WAL and the folders made for it are the owner's alone (``private_files``)."""
    target = db_path(path)
    if str(target) != ":memory:":
        private_files()
        _private_folder(target.parent)
    wait = float(os.environ.get("DASHBOARD_LOCK_WAIT", LOCK_WAIT_SECONDS)) if wait is None else wait
    deadline = time.monotonic() + wait
    delay = 0.05
    while True:
        try:
            if read_only and str(target) != ":memory:" and target.exists():
                con = duckdb.connect(str(target), read_only=True)
                _private_database(target)
                return con
            con = duckdb.connect(str(target))
            try:
                _migrate_once(con, target)
            except BaseException:
                con.close()
                raise
            if str(target) != ":memory:":
                _private_database(target)
            return con
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            if time.monotonic() >= deadline:
                raise Busy(str(target)) from None
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"


# ------------------------------------------------------------------ settings

def settings(con) -> dict:
    dims = con.execute("SELECT name, points FROM dimensions ORDER BY position").fetchall()
    return {"pass_mark": pass_mark(con), "dimensions": tuple(dims) or DEFAULT_DIMENSIONS}


def data_version(con) -> int:
    row = con.execute("SELECT value FROM settings WHERE key = 'data_version'").fetchone()
    return int(row[0]) if row else 0


def _bump_version(con):
    con.execute("UPDATE settings SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) WHERE key = 'data_version'")


# ------------------------------------------------------------------ batches

def active_batch_with_hash(con, sha256: str):
    return con.execute("SELECT id, file, imported_at FROM batches WHERE sha256 = ? AND undone_at IS NULL "
                       "ORDER BY id LIMIT 1", [sha256]).fetchone()


def write_batch(con, *, file: str, sha256: str, frames: dict[str, dict[str, object]],
                user: str | None = None, is_sample: bool = False, withdraw: tuple[int, ...] = ()) -> int:
    """Store one import as one transaction: rows with a stored natural key replace
    the stored ones (which are kept aside for undo). Batches in ``withdraw`` (the
    sample, when real data first arrives) are undone in the same transaction, before
    the new rows go in, so the two never mix. Returns the batch id. ``frames``:
    dataset → table → its rows, an Arrow table (or a pandas DataFrame), each with
    ``nkey`` and the table's columns; DuckDB reads either as it is."""
    rows_by = {name: len(parts[name]) for name, parts in frames.items()}
    held = column_types(con)
    problems = [p for name, parts in frames.items() for p in schema_problems(con, name, parts, held)]
    if problems:
        raise Refused(file, problems)
    stored = stored_tables(con, held=held)
    with _written_at_commit(con), transaction(con):
        for old in withdraw:
            _undo_rows(con, old, user or current_user(), stored)
        batch_id = con.execute("SELECT nextval('batch_ids')").fetchone()[0]
        con.execute("INSERT INTO batches (id, file, sha256, imported_at, \"user\", rows, rows_by_dataset, is_sample) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [batch_id, file, sha256, dt.datetime.now().replace(microsecond=0), user or current_user(),
                     sum(rows_by.values()), json.dumps(rows_by, ensure_ascii=False), is_sample])
        for name, parts in frames.items():
            con.register("incoming_keys", parts[name])   # its nkey: unique, duplicates were refused
            for table, columns in spec_tables(name).items():
                cols = ", ".join(f'"{c}"' for c in stored[table])
                if _holds_rows(con, table):    # a new database's first import has nothing to replace
                    con.execute(f'INSERT INTO "{table}_replaced" SELECT ?, batch_id, nkey, {cols} FROM "{table}" '
                                "WHERE nkey IN (SELECT nkey FROM incoming_keys)", [batch_id])
                    con.execute(f'DELETE FROM "{table}" WHERE nkey IN (SELECT nkey FROM incoming_keys)')
                frame = parts.get(table)
                if frame is not None and len(frame):
                    written = ", ".join(f'"{c}"' for c, _ in columns)
                    con.register("incoming", frame)
                    con.execute(f'INSERT INTO "{table}" (batch_id, nkey, {written}) '
                                f"SELECT {batch_id}, nkey, {written} FROM incoming")
                    con.unregister("incoming")
            con.unregister("incoming_keys")
        _bump_version(con)
    return batch_id


@contextmanager
def _written_at_commit(con):
    """The batch's rows written to the database file as the transaction commits, not to
    the write-ahead log first and the file again when the connection closes: DuckDB
    checkpoints at a commit whose log would pass ``checkpoint_threshold``, and one
    whose log would be large (auto_checkpoint_skip_wal_threshold) skips the log. For a
    100,000-row import, one write instead of two: 0.16 s instead of 0.21 (insert,
    commit and close). As durable either way; the setting is the instance's, so it is
    put back at once."""
    con.execute("SET checkpoint_threshold = '1KB'")
    try:
        yield
    finally:
        con.execute("RESET checkpoint_threshold")


def _holds_rows(con, table: str) -> bool:
    return con.execute(f'SELECT EXISTS (SELECT 1 FROM "{table}")').fetchall()[0][0]


@dataclass(frozen=True)
class UndoResult:
    """What an undo took out (the batch's rows) and put back (rows it had replaced),
    per dataset."""

    batch: int
    removed: dict[str, int]
    restored: dict[str, int]

    def message(self, lang: str = "zh") -> str:
        """'已復原批次 3：移除 案件量 12 筆；並還原被它取代的 案件量 4 筆'."""
        def rows(counts):
            return t("sum.list_join", lang).join(t("rows.of", lang, dataset=d, n=f"{n:,}") for d, n in counts.items()) or t("undo.none", lang)
        text = t("undo.done", lang, batch=self.batch, removed=rows(self.removed))
        return text + (t("undo.restored", lang, restored=rows(self.restored)) if self.restored else "")


def _blocking(con, batch_id: int, stored: dict[str, list[str]]) -> list[int]:
    """Later batches that replaced rows of this one: they must be undone first."""
    later = set()
    for table in stored:
        later |= {r[0] for r in con.execute(
            f'SELECT DISTINCT replaced_by FROM "{table}_replaced" WHERE batch_id = ?', [batch_id]).fetchall()}
    return sorted(later)


def _check_undoable(con, batch_id: int, stored: dict[str, list[str]]):
    row = con.execute("SELECT undone_at FROM batches WHERE id = ?", [batch_id]).fetchone()
    if row is None:
        raise UndoRefused("undo.no_such_batch", batch=batch_id)
    if row[0] is not None:
        raise UndoRefused("undo.already_undone", batch=batch_id)
    later = _blocking(con, batch_id, stored)
    if later:
        raise UndoRefused("undo.superseded", batch=batch_id, later=", ".join(str(b) for b in later))


def _counts(con, where: str, batch_id: int, stored: dict[str, list[str]]) -> dict[str, int]:
    """Rows per dataset (its main table) matching ``where`` for one batch."""
    out = {}
    for name in (t for t in stored if t in DATASETS):
        n = con.execute(f'SELECT count(*) FROM "{name}{where}', [batch_id]).fetchone()[0]
        if n:
            out[name] = int(n)
    return out


def _undo_rows(con, batch_id: int, user: str, stored: dict[str, list[str]] | None = None) -> UndoResult:
    """The undo itself, inside the caller's transaction; ``stored``: ``stored_tables``
    where the caller has it."""
    stored = stored_tables(con) if stored is None else stored
    _check_undoable(con, batch_id, stored)
    removed = _counts(con, '" WHERE batch_id = ?', batch_id, stored)
    restored = _counts(con, '_replaced" WHERE replaced_by = ?', batch_id, stored)
    for table, columns in stored.items():
        cols = ", ".join(f'"{c}"' for c in columns)
        con.execute(f'DELETE FROM "{table}" WHERE batch_id = ?', [batch_id])
        con.execute(f'INSERT INTO "{table}" (batch_id, nkey, {cols}) '
                    f'SELECT batch_id, nkey, {cols} FROM "{table}_replaced" WHERE replaced_by = ?', [batch_id])
        con.execute(f'DELETE FROM "{table}_replaced" WHERE replaced_by = ?', [batch_id])
    con.execute("UPDATE batches SET undone_at = ?, undone_by = ? WHERE id = ?",
                [dt.datetime.now().replace(microsecond=0), user, batch_id])
    return UndoResult(batch_id, removed, restored)


def undo_batch(con, batch_id: int, user: str | None = None) -> UndoResult:
    """Remove a batch's rows and bring back the rows it replaced. A batch whose rows a
    later batch has replaced in turn must wait until that one is undone."""
    with transaction(con):
        result = _undo_rows(con, batch_id, user or current_user())
        _bump_version(con)
    return result


def batch_details(con, batch_id: int) -> dict:
    """What undoing a batch would do, for the question asked before it is done:
    its file, when it came, its rows per dataset, the rows it would bring back, and
    whether a later batch stands in the way."""
    row = con.execute('SELECT file, imported_at, "user", is_sample, undone_at FROM batches WHERE id = ?',
                      [batch_id]).fetchone()
    if row is None:
        raise UndoRefused("undo.no_such_batch", batch=batch_id)
    file, at, user, sample, undone = row
    stored = stored_tables(con)
    return {"id": batch_id, "file": file, "imported_at": at.isoformat(sep=" "), "user": user, "is_sample": sample,
            "undone": undone is not None, "removes": _counts(con, '" WHERE batch_id = ?', batch_id, stored),
            "restores": _counts(con, '_replaced" WHERE replaced_by = ?', batch_id, stored),
            "blocked_by": _blocking(con, batch_id, stored)}


def history(con) -> list[dict]:
    """Every batch, oldest first, with its status: ``active``, ``sample`` (the bundled
    sample, in force) or ``undone`` (with the time)."""
    cur = con.execute("SELECT id, file, sha256, imported_at, \"user\", rows, rows_by_dataset, is_sample, undone_at "
                      "FROM batches ORDER BY id")
    out = []
    for id_, file, sha, at, user, rows, by, sample, undone in cur.fetchall():
        status = "undone" if undone is not None else ("sample" if sample else "active")
        out.append({"id": id_, "file": file, "sha256": sha, "imported_at": at.isoformat(sep=" "),
                    "rows": rows, "user": user, "rows_by_dataset": json.loads(by), "is_sample": sample,
                    "undone_at": undone.isoformat(sep=" ") if undone is not None else None, "status": status})
    return out


def ever_imported(con) -> bool:
    return con.execute("SELECT count(*) FROM batches").fetchone()[0] > 0


def active_sample_batches(con) -> list[int]:
    """The bundled sample's batches still in force."""
    return [r[0] for r in con.execute("SELECT id FROM batches WHERE is_sample AND undone_at IS NULL ORDER BY id").fetchall()]


def sample_shown(con) -> bool:
    """True while any row on screen comes from the bundled sample (the 示範資料 mark)."""
    return bool(active_sample_batches(con))


def is_empty(con) -> bool:
    """No batch in force: nothing to show (the import page offers the sample again)."""
    return con.execute("SELECT count(*) FROM batches WHERE undone_at IS NULL").fetchone()[0] == 0


# ------------------------------------------------------------------ backup and restore

class BackupRefused(Refusal):
    """A backup or restore that cannot be done as asked."""


def _rows(con, catalog: str | None = None) -> int:
    """Data rows in force, over the tables the database holds."""
    prefix = f'"{catalog}".' if catalog else ""
    return sum(con.execute(f'SELECT count(*) FROM {prefix}"{t}"').fetchone()[0] for t in stored_tables(con, catalog))


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


def backup(db: Path, target: Path) -> int:
    """A transactionally consistent copy of the database in a new file (DuckDB's COPY
    FROM DATABASE); the copy takes its name only once it is whole."""
    if target.exists():
        raise BackupRefused("backup.exists", file=str(target))
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    con = connect(db)         # from here on this process creates files owner-only (private_files)
    try:
        source = con.execute("SELECT current_database()").fetchone()[0]
        con.execute(f"ATTACH '{_quote(partial)}' AS backup_copy")
        try:
            con.execute(f'COPY FROM DATABASE "{source}" TO backup_copy')
            rows = _rows(con, "backup_copy")
        finally:
            con.execute("DETACH backup_copy")
    finally:
        con.close()
    make_private(partial)
    partial.replace(target)
    return rows


def restore(source: Path, db: Path) -> int:
    """Replace the database with a backup, after checking that the backup opens and
    holds this dashboard's schema. The swap is one rename, done while no process
    holds the database (connect waits for the lock, then lets it go)."""
    if not source.is_file():
        raise BackupRefused("backup.missing", file=str(source))
    try:
        check = duckdb.connect(str(source), read_only=True)
    except duckdb.Error as exc:
        raise BackupRefused("backup.unreadable", file=str(source), detail=str(exc)[:120]) from None
    try:
        version = check.execute("SELECT max(version) FROM schema_version").fetchone()[0]
        rows = _rows(check)
    except duckdb.Error:
        raise BackupRefused("backup.not_ours", file=str(source)) from None
    finally:
        check.close()
    if version is None or version > SCHEMA_VERSION:
        raise BackupRefused("backup.not_ours", file=str(source))
    staged = db.with_name(db.name + ".restoring")
    private_files()
    shutil.copyfile(source, staged)
    make_private(staged)
    try:
        connect(db).close()
        Path(str(db) + ".wal").unlink(missing_ok=True)
        staged.replace(db)
    finally:
        staged.unlink(missing_ok=True)
    connect(db).close()          # migrates an older backup to this schema
    return rows
