"""Open a file as the branch sends it and hand back its sheets as rows of cells.

Before any parser sees a file it is checked: size cap, what its bytes really are
(not its name), and for zip-based workbooks every entry's declared uncompressed size
and compression ratio. Every format, CSV included, is then parsed in a child process
with a memory cap and a time limit, and a sheet wider than ``MAX_COLUMNS`` is refused
there before any cell of it is handled. While the child parses, the parent inflates
every entry of a zip-based workbook, counting without keeping, and stops as soon as
an entry passes its declared size or the whole passes ``MAX_UNPACKED``: then the child
is killed and the file refused as a zip bomb, whatever the child made of it. So a zip
that lies about its sizes is refused after reading a bounded number of bytes, and an
honest workbook's inflating costs no time beside the parse (it used to come first,
0.1 s of a 100,000-row import and 2 s of a 1,000,000-row one). An .ods's content.xml
is read on the way for the cells its repeated rows and columns expand to
(``OdsCells``), refused past ``MAX_CELLS`` the same way; an .xlsx's shared strings
are bounded as they stream by, repeated into the cells that use them
(``SharedStrings``), refused past ``MAX_SHARED_TEXT``.

At most DASHBOARD_PARSE_AT_ONCE parses run at once in a process (the others wait their
turn, and the caller is told); the child dies with its parent, and works in a folder
named for the parent's pid (``scratch``), so what a killed process leaves is removed at
the next start.

Only the standard library is imported here at first: the parser (fastexcel) and Arrow
are imported where they are used. The command line's import starts the child
(``prestart``) before it imports anything heavy itself, so that the child parses while
the parent loads Arrow and DuckDB and opens the database (analytics/__main__.py);
``read_workbook`` then takes over that child instead of forking another.
"""
from __future__ import annotations

import codecs
import contextlib
import csv
import ctypes
import faulthandler
import gc
import html
import io
import json
import os
import resource
import re
import select
import shutil
import signal
import sys
import tempfile
import threading
import time
import zipfile
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from xml.parsers import expat

from . import scratch
from .problems import Problem, Refused

if TYPE_CHECKING:
    import pyarrow as pa

MIB = 1024 * 1024
MB = 1000 * 1000
MAX_UNPACKED = 1024 * MIB      # what a workbook may unpack to, at most
MAX_RATIO = 200                # compression ratio of one entry beyond which it is a bomb
DEFAULT_PARSE_MEMORY_MB = 4096  # what the parsing child may allocate beyond its start (MiB)
DEFAULT_PARSE_SECONDS = 300
MAX_COLUMNS = 500              # a sheet wider than this is refused before its cells are read
# What the cells of an .ods may expand to: a row says how often it repeats and a cell how
# many columns it fills, so 880 bytes can ask for 17 billion cells (issue 23: 13 s and
# 1.9 GB before the memory cap stopped it). The parent counts them while the child
# parses, as the reader will lay them out (the rectangle from the first to the last row
# with a value, as wide as the widest), and refuses the file past this many. Twenty
# million is twice what a 50 MB workbook can honestly hold.
MAX_CELLS = 20_000_000
# What an .xlsx's shared strings may come to once repeated into the cells that use them:
# one 2 MB string used by 60,000 cells is a 2.3 MB file that asks for 120 GB (the child
# grew to its 4 GB memory cap in 43 s before it was stopped). The parent bounds it from
# the longest string and the number of cells that use one, and where that bound passes
# this, adds up exactly (``SharedStrings``).
MAX_SHARED_TEXT = 512 * MIB
# Parses running at once in this process (each a child with up to
# DASHBOARD_PARSE_MEMORY_MB): more wait for a slot, saying so, up to parse_seconds().
DEFAULT_PARSE_AT_ONCE = 2
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _upload_mb() -> int:
    try:
        mb = int(os.environ.get("DASHBOARD_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB))
    except ValueError:
        return DEFAULT_MAX_UPLOAD_MB
    return mb if mb > 0 else DEFAULT_MAX_UPLOAD_MB


# The one upload cap, for the import page's uploader (``st.file_uploader(...,
# max_upload_size=MAX_UPLOAD_MB)``), ``server.maxUploadSize`` in .streamlit/config.toml
# and this importer. Streamlit 1.67 counts that setting two ways: its server refuses a
# body over N × 1024² bytes, while the uploader in the browser refuses a file over
# N × 1000² bytes (N × 1024² only in browsers on Windows). N × 1000² is the cap all of
# them let through, so the importer takes exactly that: a file the importer would take
# is never stopped by the uploader, and one a Windows browser lets through above it is
# refused here with both numbers in bytes.
DEFAULT_MAX_UPLOAD_MB = 50
MAX_UPLOAD_MB = _upload_mb()
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * MB


def _parse_at_once() -> int:
    try:
        n = int(os.environ.get("DASHBOARD_PARSE_AT_ONCE", DEFAULT_PARSE_AT_ONCE))
    except ValueError:
        return DEFAULT_PARSE_AT_ONCE
    return n if n > 0 else DEFAULT_PARSE_AT_ONCE


_SLOTS = threading.BoundedSemaphore(_parse_at_once())


@contextlib.contextmanager
def _parse_slot(name: str, on_wait=None):
    """One of the process's parse slots for the block; while all are taken, call
    ``on_wait()`` once (the import page says the file waits its turn) and wait up to
    parse_seconds(), then refuse."""
    slots = _SLOTS
    if not slots.acquire(blocking=False):
        if on_wait is not None:
            on_wait()
        if not slots.acquire(timeout=parse_seconds()):
            raise Refused.one(name, "file.parse_busy", seconds=f"{parse_seconds():.0f}")
    try:
        yield
    finally:
        slots.release()


@dataclass
class RawSheet:
    """One sheet's cells as text columns. ``columns[i]`` is Excel column
    ``positions[i]`` (0 = A); element r of every column is Excel row r + 1."""

    name: str
    columns: list[pa.Array]
    positions: list[int]

    def __post_init__(self):
        self._index = {pos: i for i, pos in enumerate(self.positions)}

    @property
    def height(self) -> int:
        return len(self.columns[0]) if self.columns else 0

    @property
    def width(self) -> int:
        return self.positions[-1] + 1 if self.positions else 0

    def head(self, n: int) -> list[list]:
        """The first ``n`` rows as lists of cell text ("" for empty), from column A."""
        rows = [[""] * self.width for _ in range(min(n, self.height))]
        for pos, col in zip(self.positions, self.columns):
            for r, value in enumerate(col.slice(0, len(rows)).to_pylist()):
                rows[r][pos] = "" if value is None else value
        return rows

    def column(self, pos: int, start: int) -> pa.Array:
        """Column ``pos`` from row index ``start`` down (nulls where the sheet has none)."""
        i = self._index.get(pos)
        if i is not None:
            return self.columns[i].slice(start)
        import pyarrow as pa
        return pa.nulls(max(self.height - start, 0), pa.string())


def read_workbook(path: str | Path, name: str | None = None, on_wait=None) -> list[RawSheet]:
    """Every sheet of the file at ``path`` as rows of raw cell values (row 0 is Excel
    row 1, column 0 is column A). ``name`` is what the user called the file;
    ``on_wait()`` is called if the file must wait for a parse slot."""
    path = Path(path)
    name = name or path.name
    kind, check = _examine(path, name)
    started = _adopt(path, kind)
    if started is not None:          # ``prestart`` began this parse already, holding a slot
        try:
            return _collect(started, name, kind, check)
        finally:
            _SLOTS.release()
    with _parse_slot(name, on_wait):
        return _parse_isolated(path, name, kind, check)


def _examine(path: Path, name: str):
    """The checks before any parser sees the file: its size, what its bytes are, and a
    zip's declared sizes. Returns its kind and the check to run beside the parse (a
    zip's real sizes), or raises ``Refused``."""
    size = path.stat().st_size
    limit = MAX_UPLOAD_BYTES
    if size > limit:
        raise Refused.one(name, "file.too_big", bytes=f"{size:,}", size=f"{size / MB:.1f}",
                          limit_bytes=f"{limit:,}", limit=f"{limit / MB:g}")
    if size == 0:
        raise Refused.one(name, "file.empty")
    with open(path, "rb") as fh:
        head = fh.read(4096)
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsm":
        raise Refused.one(name, "file.macro")
    check = None
    if head.startswith(b"PK"):
        kind = _inspect_zip(path, name)
        # With a parse child, a second child checks that an .ods's XML is well formed
        # (``_child_validate``) while the count runs here and the parse in the first.
        check = lambda: _count_real_sizes(path, name, kind, validate=_in_process())  # noqa: E731
    elif head.startswith(OLE_MAGIC):
        kind = _inspect_ole(path, name)
    elif suffix in (".csv", ".txt") and b"\x00" not in head:
        kind = "csv"
    else:
        raise Refused.one(name, "file.not_workbook")
    return kind, check


# ------------------------------------------------------------------ a parse started early

@dataclass
class _Started:
    """A parse child at work: its pid, its folder, when it must be done, and the file
    it parses as it was when it started (device, inode, size, modification time); for
    an .ods, the pid of the child that checks its XML meanwhile (``_child_validate``)."""
    pid: int | None
    folder: str
    deadline: float
    identity: tuple
    kind: str
    validator: int | None = None


_PRESTARTED: dict[str, _Started] = {}


def _identity(path: Path) -> tuple:
    st = os.stat(path)
    return (os.path.realpath(path), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def prestart(path: str | Path) -> bool:
    """Start parsing ``path`` now, so that the child parses while this process imports
    and opens what it needs to clean and store the rows; ``read_workbook`` of the same,
    unchanged file takes the child over. Takes a parse slot if one is free. Does
    nothing (and says False) for a file the checks would refuse, where parsing happens
    in process, or when no slot is free: ``read_workbook`` then does it all as usual.
    Whatever is never taken over is ended by ``discard_prestarted``."""
    path = Path(path)
    if _in_process() or not path.is_file():
        return False
    try:
        kind, _ = _examine(path, path.name)
        identity = _identity(path)
    except (Refused, OSError):
        return False
    if identity[0] in _PRESTARTED or not _SLOTS.acquire(blocking=False):
        return False
    try:
        _PRESTARTED[identity[0]] = _start(path, path.name, kind, identity)
    except BaseException:
        _SLOTS.release()
        raise
    return True


def _adopt(path: Path, kind: str) -> _Started | None:
    """The child ``prestart`` began for this very file, if any (its slot still held)."""
    if not _PRESTARTED:
        return None
    try:
        identity = _identity(path)
    except OSError:
        return None
    started = _PRESTARTED.pop(identity[0], None)
    if started is None:
        return None
    if started.identity != identity or started.kind != kind:   # the file changed since
        _end(started)
        _SLOTS.release()
        return None
    return started


def discard_prestarted():
    """End every child ``prestart`` began that nobody took over (the file was already
    imported, or the command stopped early), and free its slot and folder."""
    while _PRESTARTED:
        _, started = _PRESTARTED.popitem()
        _end(started)
        _SLOTS.release()


def _end(started: _Started):
    _stop(started.validator)
    _stop(started.pid)
    shutil.rmtree(started.folder, ignore_errors=True)


def _stop(pid: int | None):
    """Kill and reap a child, if it is still there."""
    if pid is not None:
        with contextlib.suppress(ProcessLookupError, ChildProcessError):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def _parse(path: Path, name: str, kind: str) -> list[RawSheet]:
    """Every sheet of the file, in this process."""
    with tempfile.TemporaryDirectory(prefix=scratch.prefix("parse")) as folder:
        sheets = []
        for sheet_name, pieces, whole in _sheets(path, name, kind, Path(folder)):
            try:
                sheets.append(_assemble(sheet_name, list(pieces)))
            except _NoSlices:
                sheets.append(_assemble(sheet_name, whole()))
        return sheets


def _sheets(path: Path, name: str, kind: str, folder: Path):
    """Per sheet: its name, its pieces, and a way to read it whole. A piece is
    (positions, columns, rows) of consecutive rows; a sheet is one piece, but for a
    worksheet larger than SLICE_BYTES, read in slices (``_sliced``, in ``folder``) so
    that the parser never holds more than one slice's cells. Slicing raises
    ``_NoSlices`` for a worksheet not laid out for it: read it whole then."""
    if kind == "csv":
        sheet = _read_csv(path, name)
        piece = [(sheet.positions, sheet.columns, sheet.height)]
        yield sheet.name, piece, lambda: piece
        return
    import fastexcel
    workbook = fastexcel.read_excel(str(path))
    large = _large_worksheets(path) if kind == "xlsx" else {}
    for sheet_name in workbook.sheet_names:
        def whole(sheet_name=sheet_name):
            sheet = _load(workbook, sheet_name, name)
            return [(sheet.positions, sheet.columns, sheet.height)]
        if sheet_name in large:
            yield sheet_name, _sliced(path, name, sheet_name, large[sheet_name], folder), whole
        else:
            yield sheet_name, whole(), whole


def _assemble(sheet_name: str, pieces: list) -> RawSheet:
    """A sheet from its pieces: each column the pieces' cells one after another (empty
    where a piece has nothing in it), and no empty rows at the end (a sheet read whole
    has none)."""
    import pyarrow as pa
    if len(pieces) == 1:
        positions, columns, _ = pieces[0]
        return RawSheet(sheet_name, list(columns), list(positions))
    at = [{p: i for i, p in enumerate(piece_positions)} for piece_positions, _, _ in pieces]
    held = [p for p in sorted(set().union(*at))
            if any(pos_at.get(p) is not None and piece[1][pos_at[p]].null_count < len(piece[1][pos_at[p]])
                   for piece, pos_at in zip(pieces, at))]
    positions = list(range(held[0], held[-1] + 1)) if held else []   # as a whole sheet: first to last with a value
    columns = []
    for pos in positions:
        chunks = [piece[1][index[pos]] if pos in index else pa.nulls(piece[2], pa.string())
                  for piece, index in zip(pieces, at)]
        columns.append(pa.chunked_array(chunks, pa.string()))
    height = max((_last_value(c) + 1 for c in columns), default=0)
    return RawSheet(sheet_name, [c.slice(0, height) for c in columns], positions)


def _last_value(column) -> int:
    """The index of a column's last cell holding a value, or -1."""
    import pyarrow.compute as pc
    found = pc.indices_nonzero(pc.is_valid(column))
    return found[-1].as_py() if len(found) else -1


# A worksheet whose XML unpacks to more than this is parsed in slices of about this
# size: the parser holds every cell of what it parses (a 1,000,000-row survey sheet,
# 460 MB of XML, took 870 MB), so a slice at a time keeps the child's memory to about
# one slice's worth, and the child hands each slice's columns on as they are made.
SLICE_BYTES = 64 * MIB


class _NoSlices(Exception):
    """The worksheet is not laid out as slicing needs (a row without its number, or not
    first; a namespace prefix): it is read whole."""


def _large_worksheets(path: Path) -> dict[str, str]:
    """Sheet name → its worksheet part, for each worksheet of an .xlsx whose XML
    unpacks to more than SLICE_BYTES."""
    import posixpath
    from xml.etree import ElementTree
    with zipfile.ZipFile(path) as zf:
        sizes = {i.filename: i.file_size for i in zf.infolist()}
        if not any(size > SLICE_BYTES and n.startswith("xl/worksheets/") for n, size in sizes.items()):
            return {}
        book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    out = {}
    for sheet in book.iter(f"{main}sheet"):
        target = targets.get(sheet.get(rel), "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        if sizes.get(part, 0) > SLICE_BYTES:
            out[sheet.get("name")] = part
    return out


def _sliced(path: Path, file: str, sheet_name: str, part: str, folder: Path):
    """The pieces of a large worksheet, parsed a slice at a time: each slice is a copy
    of the workbook whose worksheet holds only some consecutive rows (``_xlsx_slices``).
    Its cells keep their row numbers; the reader, told to skip the empty rows above
    them, starts at a marker cell the slice adds in the row above its first (so that
    it need not make a million empty rows for the last slice). The rows between the
    previous slice's last and this one's first are empty."""
    import fastexcel
    import pyarrow as pa
    done = 0                                           # rows of the sheet given so far
    for book, first, last, final in _xlsx_slices(path, part, folder / "slice.xlsx"):
        reader = fastexcel.read_excel(str(book))
        if first is None:                              # the first slice: from row 1, as a whole sheet is read
            sheet, skip = _load(reader, sheet_name, file), done
        else:
            sheet, skip = _load(reader, sheet_name, file, skip_rows=None), done - (first - 2)
        rows = done + max(sheet.height - skip, 0) if final else last
        columns = []
        for column in sheet.columns:
            kept = column.slice(max(skip, 0), max(rows - done, 0))
            if skip < 0:
                kept = pa.concat_arrays([pa.nulls(-skip, pa.string()), kept])
            if len(kept) < rows - done:
                kept = pa.concat_arrays([kept, pa.nulls(rows - done - len(kept), pa.string())])
            columns.append(kept[:max(rows - done, 0)])
        yield sheet.positions, columns, max(rows - done, 0)
        done = max(rows, done)
    (folder / "slice.xlsx").unlink(missing_ok=True)


_DIMENSION = re.compile(rb"<dimension\b[^>]*/>")
_ROW_NUMBER = re.compile(rb'<row r="(\d+)"')
_SHEET_DATA = b"<sheetData>"
_NOT_SPACE = re.compile(rb"\S")
EMPTY_WORKSHEET = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet '
                   b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>')


def _xlsx_slices(path: Path, part: str, target: Path):
    """Writes to ``target``, one after another, copies of the workbook whose worksheet
    ``part`` holds only some consecutive rows, about SLICE_BYTES of XML, cut between
    two rows; yields (``target``, the Excel number of the slice's first row, and of its
    last, whether it is the last slice) for each. Every slice but the first has a
    marker cell (A, in the row above its first) and says its first row; the first says
    None. Every other entry is as it was (stored, not compressed), other worksheets but
    empty. Raises ``_NoSlices`` where a row carries no number (or not first), or
    ``<sheetData>`` is not found as written here."""
    with zipfile.ZipFile(path) as zf:
        others = [(i.filename, EMPTY_WORKSHEET if i.filename.startswith("xl/worksheets/") and
                   i.filename.endswith(".xml") else zf.read(i)) for i in zf.infolist() if i.filename != part]
        with zf.open(part) as stream:
            buf, prefix, ended, first_slice = bytearray(), None, False, True
            while not ended:
                chunk = stream.read(4 * MIB)
                ended = not chunk
                buf += chunk
                if prefix is None:
                    at = buf.find(_SHEET_DATA)
                    if at == -1:
                        if len(buf) > 4 * MIB or ended:
                            raise _NoSlices()
                        continue
                    prefix = _DIMENSION.sub(b"", bytes(buf[:at + len(_SHEET_DATA)]))
                    del buf[:at + len(_SHEET_DATA)]
                while len(buf) >= SLICE_BYTES or (ended and buf):
                    close = buf.find(b"</sheetData>")
                    final = close != -1
                    if final:
                        cut = close
                    else:
                        cut = buf.rfind(b"</row>", 0, SLICE_BYTES)
                        cut = buf.find(b"</row>") if cut == -1 else cut
                        if cut == -1:
                            if ended:
                                raise _NoSlices()
                            break
                        cut += len(b"</row>")
                    if final and _NOT_SPACE.search(buf, 0, cut) is None:
                        return
                    last = _check_rows(buf, cut)
                    first = None if first_slice else int(_ROW_NUMBER.search(buf, 0, cut)[1])
                    body = memoryview(buf)[:cut]
                    with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as mini:
                        for entry, data in others:
                            mini.writestr(entry, data)
                        with mini.open(part, "w", force_zip64=True) as sheet:
                            sheet.write(prefix)
                            if first is not None:
                                sheet.write(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>.</t></is></c></row>'
                                            % (first - 1, first - 1))
                            sheet.write(body)
                            sheet.write(b"</sheetData></worksheet>")
                    body.release()
                    del buf[:cut]
                    yield target, first, last, final
                    first_slice = False
                    if final:
                        return
    raise _NoSlices()


def _check_rows(buf: bytearray, end: int) -> int:
    """The Excel number of the last row in buf[:end] (a slice of <sheetData>), after
    checking that every row in it starts with its number."""
    rows = buf.count(b"<row ", 0, end) + buf.count(b"<row>", 0, end)
    if rows == 0 or buf.count(b'<row r="', 0, end) != rows:
        raise _NoSlices()
    return int(_ROW_NUMBER.match(buf, buf.rfind(b'<row r="', 0, end))[1])


def _check_width(file: str, sheet: str, width: int):
    if width > MAX_COLUMNS:
        raise Refused.one(file, "file.too_many_columns", sheet=sheet, count=f"{width:,}", limit=f"{MAX_COLUMNS:,}")


def _refusal_for(name: str, kind: str, message: str) -> Refused:
    if "password" in message.lower() or "encrypt" in message.lower():
        return Refused.one(name, "file.encrypted")
    first_line = (message.strip().splitlines() or [""])[0]
    return Refused.one(name, "file.damaged", kind=kind, detail=first_line[:120])


def _in_process() -> bool:
    return not hasattr(os, "fork") or os.environ.get("DASHBOARD_PARSE_IN_PROCESS") == "1"


def _parse_isolated(path: Path, name: str, kind: str, check=None) -> list[RawSheet]:
    """Parse in a forked child with a memory cap and a time limit. The parser is
    native code: a crafted workbook (a cell at XFD1048576 beside one at A1 asks it for
    half a terabyte) aborts the whole process, which must not be the app's. The child
    hands the sheets back as Arrow IPC files, which the parent maps without copying.
    ``check`` (the zip's real sizes) runs in the parent meanwhile; when it refuses the
    file, the child is killed and its work never looked at."""
    if _in_process():
        if check is not None:
            check()
        try:
            return _parse(path, name, kind)
        except Refused:
            raise
        except Exception as exc:
            raise _refusal_for(name, kind, str(exc)) from None
    return _collect(_start(path, name, kind), name, kind, check)


def _start(path: Path, name: str, kind: str, identity: tuple = ()) -> _Started:
    """Fork the child that parses ``path`` into a new private folder, and for an .ods
    a second one that checks its XML is well formed meanwhile (it used to be checked
    in the parse child before the parse: the two now share the cores)."""
    folder = scratch.make("parse")
    deadline = time.monotonic() + parse_seconds()
    parent = os.getpid()
    validator = None
    try:
        if kind == "ods":
            validator = _fork(lambda: _child_validate(path, name, Path(folder), parent))
        pid = _fork(lambda: _child_parse(path, name, kind, Path(folder), parent))
    except BaseException:
        _stop(validator)
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return _Started(pid, folder, deadline, identity, kind, validator)


def _fork(work) -> int:
    """A forked child that runs ``work`` (which never returns); its pid."""
    pid = os.fork()
    if pid == 0:  # the child: never returns
        # What the parent left for its garbage collector is not the child's to free: an
        # lxml parser collected in a forked child crashed it (freed after another
        # thread's use). Frozen, the child's collections see only what the child makes.
        gc.freeze()
        work()
        os._exit(1)
    return pid


def _collect(started: _Started, name: str, kind: str, check=None) -> list[RawSheet]:
    """Run ``check`` while the child parses, wait for it, and map what it wrote."""
    try:
        pid, out = started.pid, Path(started.folder)
        if check is not None:
            check()
        if started.validator is not None:       # its verdict first, as when the parse child checked before parsing
            status = _wait(started.validator, started.deadline)
            started.validator = None
            if status is None:
                raise Refused.one(name, "file.parse_timeout", seconds=f"{parse_seconds():.0f}")
            _raise_sent(out / "invalid.json", name, kind)
            if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
                raise Refused.one(name, "file.parse_crashed")
        status = _wait(pid, started.deadline)
        started.pid = None
        if status is None:
            raise Refused.one(name, "file.parse_timeout", seconds=f"{parse_seconds():.0f}")
        _raise_sent(out / "error.json", name, kind)
        if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0 or not (out / "sheets.json").exists():
            raise Refused.one(name, "file.parse_crashed")
        import pyarrow as pa
        sheets = []
        for entry in json.loads((out / "sheets.json").read_text(encoding="utf-8")):
            pieces = []
            for piece in entry["pieces"]:
                table = pa.ipc.open_file(pa.memory_map(str(out / piece["file"]))).read_all()
                columns = [table.column(c).combine_chunks() for c in range(table.num_columns)]
                pieces.append((piece["positions"], columns, piece["rows"]))
            sheets.append(_assemble(entry["name"], pieces))
        return sheets
    finally:
        _end(started)       # what still runs (the check refused the file, or the verdict did) is killed


def _raise_sent(file: Path, name: str, kind: str):
    """Raise the refusal a child wrote to ``file``, if it wrote one."""
    if file.exists():
        sent = json.loads(file.read_text(encoding="utf-8"))
        if "refused" in sent:
            raise Refused(name, [Problem(**p) for p in sent["refused"]], sent["total"])
        raise _refusal_for(name, kind, sent["message"])


# prctl(2) through the C library, found while the parent is whole (not in the child).
_PR_SET_PDEATHSIG = 1
try:
    _PRCTL = ctypes.CDLL(None, use_errno=True).prctl if sys.platform.startswith("linux") else None
except (OSError, AttributeError):
    _PRCTL = None


def _die_with_parent(parent: int):
    """The child is killed when its parent dies, however it dies (``kill -9`` of an
    import left its parse running, and its output on disk): Linux's PR_SET_PDEATHSIG.
    It fires when the parent *thread* that forked ends, which waits for the child (a
    script run of the app, a command). A parent that died before the signal was set is
    caught by the check after it."""
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def _child(verdict: Path, parent: int | None, load, work):
    """What each child does around its work: die with the parent, keep a native crash
    report and Python's dump of a fatal signal (pytest, PYTHONFAULTHANDLER) off the
    user's screen, ``load()`` what the work needs before the memory cap (the cap is for
    what the work allocates), then ``work(loaded)``; a refusal or any failure goes back
    to the parent as JSON in ``verdict``. Leaves by ``os._exit``, never through the
    parent's clean-up."""
    code = 0
    try:
        if parent is not None:
            _die_with_parent(parent)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        faulthandler.disable()
        loaded = load()
        _cap_memory()
        work(loaded)
    except Refused as refusal:
        _write_refusal(verdict, refusal)
        code = 1
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent as text
        verdict.write_text(json.dumps({"message": f"{type(exc).__name__}: {exc}"}), encoding="utf-8")
        code = 1
    finally:
        os._exit(code)


def _child_parse(path: Path, name: str, kind: str, out: Path, parent: int | None = None):
    """The parse child: every sheet as Arrow pieces in ``out``, listed in sheets.json."""
    def load():
        from .lean import arrow_without_pandas
        pa = arrow_without_pandas()
        if kind != "csv":
            import fastexcel  # noqa: F401
        return pa

    def work(pa):
        sheets = []
        for i, (sheet_name, pieces, whole) in enumerate(_sheets(path, name, kind, out)):
            try:
                written = [_write_piece(pa, out / f"{i}.{k}.arrow", piece) for k, piece in enumerate(pieces)]
            except _NoSlices:
                written = [_write_piece(pa, out / f"{i}.0.arrow", piece) for piece in whole()]
            sheets.append({"name": sheet_name, "pieces": written})
        (out / "sheets.json").write_text(json.dumps(sheets, ensure_ascii=False), encoding="utf-8")

    _child(out / "error.json", parent, load, work)


def _child_validate(path: Path, name: str, out: Path, parent: int):
    """The second child of an .ods's parse: ``_well_formed``, its refusal written to
    invalid.json for the parent, which waits for this verdict before it takes what the
    parse child made (the parent's cell count is sound only for well-formed XML)."""
    def load():
        from lxml import etree  # noqa: F401  (as the parse child loads its parser)

    _child(out / "invalid.json", parent, load, lambda _: _well_formed(path, name))


def _write_refusal(file: Path, refusal: Refused):
    problems = [{k: v if k != "value" or v is None else str(v) for k, v in asdict(p).items()}
                for p in refusal.problems]
    file.write_text(json.dumps({"refused": problems, "total": refusal.total}), encoding="utf-8")


def _write_piece(pa, file: Path, piece) -> dict:
    """One piece of a sheet (positions, columns, rows) as an Arrow IPC file; what the
    parent needs to map it back."""
    positions, columns, rows = piece
    fields = [pa.field(str(p), pa.string()) for p in positions]
    table = pa.Table.from_arrays(list(columns), schema=pa.schema(fields)) if fields else pa.table({})
    with pa.ipc.new_file(str(file), table.schema) as writer:
        writer.write_table(table)
    return {"file": file.name, "positions": list(positions), "rows": rows}


def _cap_memory():
    """The child may grow by PARSE_MEMORY_MB beyond what it inherited."""
    budget = int(float(os.environ.get("DASHBOARD_PARSE_MEMORY_MB", DEFAULT_PARSE_MEMORY_MB)) * MIB)
    inherited = 0
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmSize:"):
                inherited = int(line.split()[1]) * 1024
    resource.setrlimit(resource.RLIMIT_AS, (inherited + budget, inherited + budget))


def parse_seconds() -> float:
    return float(os.environ.get("DASHBOARD_PARSE_SECONDS", DEFAULT_PARSE_SECONDS))


def _wait(pid: int, deadline: float):
    """The child's exit status, or None after killing it when the deadline (a
    ``time.monotonic()`` value) passed. Woken by the child's exit through a pidfd where
    the system has them (Linux 5.3), else by polling."""
    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        fd = None
    try:
        delay = 0.002
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return status
            left = deadline - time.monotonic()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return None
            if fd is not None:
                poller = select.poll()
                poller.register(fd, select.POLLIN)
                poller.poll(max(1, int(left * 1000) + 1))   # readable once the child has exited
            else:
                time.sleep(min(delay, left))
                delay = min(delay * 2, 0.05)
    finally:
        if fd is not None:
            os.close(fd)


def _load(workbook, sheet_name: str, file: str, skip_rows: int | None = 0) -> RawSheet:
    """Every cell as text (dates as ISO text, numbers as written by the reader): the
    dataset parsers take text, so a column mixing types costs nothing extra. Row r of
    the columns is Excel row r + 1 (with ``skip_rows=None``, the first row holding a
    value)."""
    sheet = workbook.load_sheet(sheet_name, header_row=None, dtypes="string", skip_rows=skip_rows)
    positions = [info.absolute_index for info in sheet.available_columns()]
    _check_width(file, sheet_name, positions[-1] + 1 if positions else 0)
    batch = sheet.to_arrow()
    columns = [batch.column(i) for i in range(batch.num_columns)]
    return RawSheet(sheet_name, columns, positions)


def _inspect_zip(path: Path, name: str) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            if "EncryptedPackage" in names:
                raise Refused.one(name, "file.encrypted")
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                raise Refused.one(name, "file.macro")
            if "xl/workbook.xml" in names:
                kind = "xlsx"
            elif "content.xml" in names and "mimetype" in names:
                kind = "ods"
            else:
                raise Refused.one(name, "file.not_workbook")
            declared = sum(i.file_size for i in infos)
            if declared > MAX_UNPACKED:
                raise Refused.one(name, "file.zip_bomb", size=f"{declared / MB:.0f}")
            for info in infos:
                if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 10 * MIB:
                    raise Refused.one(name, "file.zip_bomb", size=f"{info.file_size / MB:.0f}")
            return kind
    except zipfile.BadZipFile:
        raise Refused.one(name, "file.damaged", kind="zip", detail="") from None
    except (EOFError, zlib.error, OSError) as exc:
        raise Refused.one(name, "file.damaged", kind="zip", detail=str(exc)[:120]) from None


def _count_real_sizes(path: Path, name: str, kind: str | None = None, validate: bool = True):
    """``_check_real_sizes`` over the workbook at ``path``, a damaged zip refused as such;
    for an .ods, its cells counted on the way (``OdsCells``; ``validate=False`` where a
    child checks the XML is well formed, ``_child_validate``, and its refusal stands)."""
    try:
        with zipfile.ZipFile(path) as zf:
            if kind == "xlsx":
                shared = SharedStrings(name)
                _check_real_sizes(zf, zf.infolist(), name, shared.readers(zf.infolist()))
                shared.check(zf)
                return
            if kind != "ods":
                _check_real_sizes(zf, zf.infolist(), name)
                return
            try:
                _check_real_sizes(zf, zf.infolist(), name, {"content.xml": OdsCells(name, validate=validate)})
            except _Unusual:
                _check_real_sizes(zf, zf.infolist(), name, {"content.xml": ExactOdsCells(name)})
    except zipfile.BadZipFile:
        raise Refused.one(name, "file.damaged", kind="zip", detail="") from None
    except (EOFError, zlib.error, OSError) as exc:
        raise Refused.one(name, "file.damaged", kind="zip", detail=str(exc)[:120]) from None


def _check_real_sizes(zf: zipfile.ZipFile, infos, name: str, readers: dict | None = None):
    """A zip may lie about sizes: inflate each entry, counting, without keeping it,
    and stop as soon as the count passes what was declared or the cap. ``readers``:
    entry name → an object fed every chunk of that entry (``feed``, then ``close``),
    whether stored or deflated."""
    readers = readers or {}
    total = 0
    for info in infos:
        reader = readers.get(info.filename)
        if info.compress_type != zipfile.ZIP_DEFLATED and reader is None:
            continue
        seen = 0
        with zf.open(info) as stream:
            while chunk := stream.read(1 * MIB if reader is not None else 4 * MIB):
                seen += len(chunk)
                total += len(chunk)
                if (seen > info.file_size and info.compress_type == zipfile.ZIP_DEFLATED) or total > MAX_UNPACKED:
                    raise Refused.one(name, "file.zip_bomb", size=f"{total / MB:.0f}")
                if reader is not None:
                    reader.feed(chunk)
        if reader is not None:
            reader.close()


def _shared_part(name: str) -> bool:
    """Whether a zip entry may be a workbook's shared strings, as a reader might find
    them (any folder, any case, either slash)."""
    return name.replace("\\", "/").lower().endswith("sharedstrings.xml")


_SI = re.compile(rb"<(?:[\w.-]+:)?si(?=[\s>/])")


def _plain(chunk: bytes, first: bool) -> bool:
    """Whether XML is plain enough for patterns: no comment, CDATA, document type,
    character reference or processing instruction (but the declaration) that could
    hide an element or spell a value differently."""
    return b"<!" not in chunk and b"&#" not in chunk and chunk.count(b"<?") <= (1 if first else 0)


class _StringLengths:
    """Each shared string's length, in order, from a shared-strings part streaming by:
    the XML split in C at each ``si`` element whatever its prefix, a piece's bytes its
    item's (its markup too: more than its text, never less). A part that is not plain
    XML (``_plain``) is parsed instead, once it has streamed by (``parse``)."""

    def __init__(self):
        self.lengths: list[int] = []
        self.size = 0
        self.plain = True
        self._run: int | None = None        # the current item's bytes so far (None before the first)
        self._tail = b""
        self._carry = b""

    def feed(self, chunk: bytes):
        first = self.size == 0
        self.size += len(chunk)
        if not self.plain:
            return
        if not _plain(self._tail + chunk, first):
            self.plain = False
            return
        self._tail = chunk[-8:]
        data = self._carry + chunk
        cut = data.rfind(b"<")
        if cut >= 0 and data.find(b">", cut) < 0:      # a tag the next chunk ends: kept for it
            data, self._carry = data[:cut], data[cut:]
        else:
            self._carry = b""
        self._split(data)

    def _split(self, data: bytes):
        pieces = _SI.split(data)
        if self._run is not None:
            self._run += len(pieces[0])
        if len(pieces) > 1:
            if self._run is not None:
                self.lengths.append(self._run)
            self.lengths.extend(map(len, pieces[1:-1]))
            self._run = len(pieces[-1])

    def close(self):
        if self.plain:
            self._split(self._carry)
            self._carry = b""
            if self._run is not None:
                self.lengths.append(self._run)
                self._run = None

    def parse(self, zf: zipfile.ZipFile, name: str):
        """The lengths from the XML parsed (libxml2, no entity or network): each ``si``
        element's text in UTF-8 bytes; a part that does not parse, every item as long as
        the part."""
        from lxml import etree
        parser = etree.XMLPullParser(events=("end",), tag="{*}si", resolve_entities=False, no_network=True,
                                     huge_tree=True)
        self.lengths = []
        try:
            with zf.open(name) as stream:
                while chunk := stream.read(1 * MIB):
                    parser.feed(chunk)
                    self._drain(parser)
            parser.close()
            self._drain(parser)
            self.plain = True
        except etree.XMLSyntaxError:
            self.lengths = _Everywhere(self.size)

    def _drain(self, parser):
        for _, item in parser.read_events():
            self.lengths.append(sum(len(text.encode()) for text in item.itertext()))
            item.clear()
            parent = item.getparent()
            if parent is not None:       # what was read is dropped as it is read
                del parent[:-1]

    @property
    def longest(self) -> int:
        if not self.plain or isinstance(self.lengths, _Everywhere):
            return self.size
        return max(self.lengths, default=0)


class _Marks:
    """The ``<`` of an entry streaming by, counted in C: a cell that uses a shared string
    takes at least three (its element, its value's, the value's end), however its XML is
    spelt, so a third of them bounds how many cells can use one."""

    def __init__(self):
        self.count = 0

    def feed(self, chunk: bytes):
        self.count += chunk.count(b"<")

    def close(self):
        pass


class SharedStrings:
    """An .xlsx's shared strings repeated into their cells, refused past MAX_SHARED_TEXT.

    While the real sizes are counted (``readers``), every shared-strings part is parsed
    for each string's length and every other entry's ``<`` counted: the longest string
    times a third of those is a bound that no spelling of the XML can lower. Only where
    it passes the budget (never for the workbooks a branch sends: a million cells of a
    200-byte string are 200 MB) is the sum taken exactly — each worksheet parsed, each
    cell of type ``s`` looking its string up — and the file refused if that passes too;
    an entry that does not parse counts at its bound."""

    def __init__(self, file: str, budget: int | None = None):
        self.file = file
        self.budget = MAX_SHARED_TEXT if budget is None else budget
        self.strings: dict[str, _StringLengths] = {}
        self.marks: dict[str, _Marks] = {}

    def readers(self, infos) -> dict:
        self.strings = {i.filename: _StringLengths() for i in infos if _shared_part(i.filename)}
        self.marks = {i.filename: _Marks() for i in infos if i.filename not in self.strings}
        return {**self.strings, **self.marks} if self.strings else {}

    def check(self, zf: zipfile.ZipFile):
        if not self.strings:
            return
        for name, part in self.strings.items():
            if not part.plain:
                part.parse(zf, name)
        longest = max(s.longest for s in self.strings.values())
        uses = sum(m.count for m in self.marks.values()) // 3
        if longest * uses <= self.budget:
            return
        lengths = self._lengths()
        total = 0
        for name, marks in self.marks.items():
            total += self._used(zf, name, lengths, longest, marks.count // 3)
            if total > self.budget:
                raise Refused.one(self.file, "file.shared_text", limit=f"{self.budget / MB:,.0f}",
                                  size=f"{total / MB:,.0f}")

    def _lengths(self) -> list[int]:
        """Each index's length, the longest any shared-strings part gives it (a broken
        part: every index as long as the part)."""
        parts = list(self.strings.values())
        broken = [p for p in parts if isinstance(p.lengths, _Everywhere)]
        if broken:
            return _Everywhere(max(p.size for p in broken))
        if len(parts) == 1:
            return parts[0].lengths
        width = max(len(p.lengths) for p in parts)
        return [max(p.lengths[i] if i < len(p.lengths) else 0 for p in parts) for i in range(width)]

    def _used(self, zf: zipfile.ZipFile, name: str, lengths, longest: int, bound: int) -> int:
        """The shared text the cells of one entry use; its bound where it does not parse.
        An entry in plain XML (no comment, CDATA, document type, processing instruction
        or character reference: nothing that could hide or spell a cell differently from
        what a pattern sees) is read by ``_S_CELL`` in C; any other is parsed."""
        if bound == 0:
            return 0
        with zf.open(name) as stream:
            head = stream.read(1 * MIB)
            plain = True
            total = 0
            data = head
            while data:
                if b"<!" in data or b"&#" in data or data.count(b"<?") > (1 if data is head else 0):
                    plain = False
                    break
                cut = data.rfind(b"c>") + 2          # whole cells up to here (one cut cell per MiB at most)
                found = _S_CELL.findall(data, 0, cut if cut > 1 else len(data))
                try:
                    total += sum(map(lengths.__getitem__, map(int, found)))
                except IndexError:          # an index past the strings (the reader refuses it): none
                    total += sum(lengths[i] if i < len(lengths) else 0 for i in map(int, found))
                if total > self.budget:
                    return total
                rest = data[cut:] if cut > 1 else b""
                chunk = stream.read(1 * MIB)
                data = rest + chunk if chunk else b""
            if plain:
                return total
        return self._parsed(zf, name, lengths, longest, bound)

    def _parsed(self, zf: zipfile.ZipFile, name: str, lengths, longest: int, bound: int) -> int:
        from lxml import etree
        parser = etree.XMLPullParser(events=("end",), tag="{*}c", resolve_entities=False, no_network=True,
                                     huge_tree=True)
        total = 0
        try:
            with zf.open(name) as stream:
                while chunk := stream.read(1 * MIB):
                    parser.feed(chunk)
                    total += self._cells(parser, lengths)
                    if total > self.budget:
                        return total
            parser.close()
            return total + self._cells(parser, lengths)
        except etree.XMLSyntaxError:
            return max(total, longest * bound)

    @staticmethod
    def _cells(parser, lengths) -> int:
        total = 0
        for _, cell in parser.read_events():
            if (cell.get("t") or "").strip() == "s":
                value = cell.find("{*}v")
                text = (value.text or "").strip() if value is not None else ""
                if text.isdigit():
                    i = int(text)
                    total += lengths[i] if i < len(lengths) else 0
            cell.clear()
            row = cell.getparent()          # what was read is dropped: cells, then rows
            if row is not None:
                del row[:-1]
                rows = row.getparent()
                if rows is not None:
                    del rows[:-1]
        return total


# A cell of type s (any prefix, spacing or quoting of its attribute; any attribute whose
# name ends in t counts too, which can only count more) and its value: the index of the
# shared string it shows (a formula or anything else before the value, up to the
# cell's end, is passed over).
_S_CELL = re.compile(rb"t\s*=\s*[\"']\s*s\s*[\"'][^>]*>"
                     rb"(?:(?!</(?:[\w.-]+:)?c\s*>)[\s\S])*?<(?:[\w.-]+:)?v(?:\s[^>]*)?>\s*(\d+)\s*<")


class _Everywhere:
    """Every index as long as ``size`` (a shared-strings part that did not parse)."""

    def __init__(self, size: int):
        self.size = size

    def __getitem__(self, _):
        return self.size

    def __len__(self):
        return 1 << 62


class _Unusual(Exception):
    """content.xml holds what the quick count does not take on (a comment, CDATA, a
    processing instruction, a row larger than QUICK_ROW_BYTES): count it exactly."""


QUICK_ROW_BYTES = 64 * MIB
_ROWS_REPEATED = re.compile(rb"table:number-rows-repeated\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_COLUMNS_REPEATED = re.compile(rb"table:number-columns-repeated\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")


def _markup_after(buf: bytes, sign: bytes, start: int) -> bool:
    """Whether "<" + ``sign`` (<! or <?) occurs in buf[start:]: found by the sign, which
    XML seldom holds, rather than by '<', which it holds every few bytes."""
    i = buf.find(sign, start + 1)
    while i != -1:
        if buf[i - 1] == 60:
            return True
        i = buf.find(sign, i + 1)
    return buf.startswith(b"<" + sign, start)


def _count_value(m: re.Match) -> int:
    """A repeat attribute's number, its character references read (the reader reads
    number-rows-repeated="1&#48;" as 10); 1 for anything that is no number."""
    raw = m[1] if m[1] is not None else m[2]
    if raw.isdigit():                                   # what every writer writes: plain digits
        return int(raw)
    text = html.unescape(raw.decode("utf-8", "replace")).strip()
    return int(text) if re.fullmatch(r"\+?\d+", text) else 1
_TABLE_NAME = re.compile(rb"table:name\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_VALUED = (b"office:", b"table:formula", b"<text:")


_NAME_ENDS = (b" ", b">", b"/", b"\n", b"\t", b"\r")
_NAME_END_CODES = list(b" >/\n\t\r")
_SPACE_CODES = list(b" \n\t\r")


def _column_repeats(buf: bytes, dashes: list[int], start: int, end: int) -> list[tuple[int, int, int]]:
    """(start, end, number) of each match of _COLUMNS_REPEATED in buf[start:end], as
    ``finditer`` gives them, found from where "-repeated" stands (``dashes``) rather than
    by the regular expression's scan: a match holds its "-repeated" 20 bytes in."""
    out, after = [], start
    for dash in dashes:
        at = dash - 20
        if at < after or not buf.startswith(b"table:number-columns", at):
            continue
        m = _COLUMNS_REPEATED.match(buf, at, end)
        if m is not None:
            out.append((m.start(), m.end(), _count_value(m)))
            after = m.end()
    return out


class _Words:
    """Every eight bytes of ``data`` (NumPy bytes) as one number, read where a pattern
    might start, so that a pattern of up to 32 bytes is told by comparing up to four
    numbers rather than byte by byte: ``tags`` finds patterns that begin with '<' among
    ``lt`` (where data's '<' are; each word there is read once and kept for every
    pattern), ``at`` any pattern anywhere (its first byte found by a scan)."""

    SPAN = 32

    def __init__(self, data, lt):
        import numpy as np
        self.np, self.data, self.lt, self.size, self.kept = np, data, lt, len(data), {}
        padded = np.zeros(len(data) + self.SPAN, dtype=np.uint8)     # zeros past the end: no pattern holds one
        padded[:len(data)] = data
        self.words = np.ndarray((len(data) + self.SPAN - 7,), dtype="<u8", buffer=padded, strides=(1,))

    def _match(self, found, pattern: bytes, word_at) -> "object":
        np = self.np
        keep = np.ones(len(found), dtype=bool)
        for offset in range(0, len(pattern), 8):
            part = pattern[offset:offset + 8]
            mask = np.uint64((1 << (8 * len(part))) - 1)
            keep &= (word_at(offset) & mask) == np.uint64(int.from_bytes(part, "little"))
        return found[keep]

    def tags(self, pattern: bytes):
        """Where ``pattern`` (beginning with '<', at most SPAN bytes) starts, in order."""
        def word_at(offset):
            if offset not in self.kept:
                self.kept[offset] = self.words[self.lt + offset]
            return self.kept[offset]
        return self._match(self.lt, pattern, word_at)

    def at(self, pattern: bytes):
        """Where ``pattern`` (at most SPAN bytes) starts, in order."""
        found = self.np.flatnonzero(self.data == pattern[0])
        return self._match(found, pattern, lambda offset: self.words[found + offset])


def _at_if(words: _Words, buf: bytes, pos: int, end: int, pattern: bytes):
    """``words.at(pattern)``, where ``words`` reads buf[pos:…]: no search by NumPy when
    bytes.find sees no ``pattern`` in buf[pos:end] (a formula, in most sheets)."""
    import numpy as np
    if buf.find(pattern, pos, end) == -1:
        return np.zeros(0, dtype=np.int64)
    return words.at(pattern)


_COLUMNS_PREFIX = b"table:number-columns"
_DIGITS = 12            # at most this many digits are read by NumPy; a longer number goes to the regular expression


def _plain_column_repeats(data, dashes, end: int):
    """``_column_repeats`` for the way every writer writes a column repeat,
    table:number-columns-repeated="<digits>", found by NumPy from where "-repeated"
    stands (``dashes``, in ``data``): (starts, ends, numbers) as arrays, or None when any
    "-repeated" there is written otherwise (space or a quote of another kind, a character
    reference, no digits, more than _DIGITS of them, or a match that would reach past
    ``end``), for the regular expression to read them all."""
    import numpy as np
    size = len(data)
    at = dashes - len(_COLUMNS_PREFIX)
    if (at < 0).any() or (dashes + 12 + _DIGITS > size).any():
        return None
    for k, byte in enumerate(_COLUMNS_PREFIX):
        if (data[at + k] != byte).any():
            return None
    if (data[dashes + 9] != 61).any() or (data[dashes + 10] != 34).any():      # ="
        return None
    window = data[(dashes + 11)[:, None] + np.arange(_DIGITS + 1)]              # the digits and what follows
    digit = (window >= 48) & (window <= 57)
    length = np.argmin(digit, axis=1)                                          # the first byte that is no digit
    if (length == 0).any() or (window[np.arange(len(dashes)), length] != 34).any():
        return None
    till = dashes + 11 + length + 1
    if (till > end).any() or (len(at) > 1 and (at[1:] < till[:-1]).any()):
        return None
    values = np.where(digit & (np.arange(_DIGITS + 1) < length[:, None]), window - 48, 0).astype(np.int64)
    powers = 10 ** np.clip(length[:, None] - 1 - np.arange(_DIGITS + 1), 0, None)
    value = (values * np.where(np.arange(_DIGITS + 1) < length[:, None], powers, 0)).sum(axis=1)
    return [at.astype(np.int64), till.astype(np.int64), value]


def _find_tag(buf: bytes, name: bytes, start: int) -> int:
    """Where the next start tag ``name`` (exactly that name: <table:table, not
    <table:table-row) begins in ``buf``, or -1."""
    i = buf.find(name, start)
    while i != -1 and buf[i + len(name):i + len(name) + 1] not in _NAME_ENDS:
        i = buf.find(name, i + len(name))
    return i


def _validator():
    """A libxml2 parser that builds nothing: it only checks the XML is well formed."""
    from lxml import etree              # here: an import of anything but an .ods never needs it
    return etree.XMLParser(target=_Nothing(), resolve_entities=False, no_network=True, load_dtd=False)


def _feed_validator(validator, file: str, chunk: bytes, final: bool = False):
    from lxml import etree
    try:
        if chunk:
            validator.feed(chunk)
        if final:
            validator.close()
    except etree.XMLSyntaxError as exc:
        raise Refused.one(file, "file.damaged", kind="ods", detail=str(exc)[:120]) from None


def _well_formed(path: Path, name: str):
    """Refuse an .ods whose content.xml is not well-formed XML (in a child of its own
    beside the parse child, ``_child_validate``; the parent's cell count, ``OdsCells``,
    is sound only for well-formed XML, and the parent waits for this verdict before it
    takes what the parse child made)."""
    validator = _validator()
    with zipfile.ZipFile(path) as zf, zf.open("content.xml") as stream:
        while chunk := stream.read(1 * MIB):
            _feed_validator(validator, name, chunk)
    _feed_validator(validator, name, b"", final=True)


class _Nothing:
    """An lxml parser target that builds nothing: libxml2 checks the XML is well formed
    at C speed, calling no Python per element."""

    def close(self):
        return None


_TABLE_START = re.compile(b"<table:table[" + re.escape(b"".join(_NAME_ENDS)) + b"]")


def _next_table(buf: bytes, start: int) -> int:
    """The next <table:table> start tag: its name and each way the name may end, since
    <table:table-row and <table:table-cell, which also begin so, are everywhere (one
    search for all of them, not one per ending: a third of the time)."""
    m = _TABLE_START.search(buf, start)
    return -1 if m is None else m.start()


class OdsCells:
    """The cells an .ods's content.xml expands to, counted as it streams by (fed by
    ``_check_real_sizes`` while the child parses) and refused past MAX_CELLS, before
    the reader lays them out: 880 bytes whose rows say number-rows-repeated="1048576"
    and whose cells say number-columns-repeated="16384" ask for 17 billion cells.

    The count follows the reader (calamine, under fastexcel): per sheet it keeps the
    rectangle from the first to the last row holding a value, as wide as the widest
    such row reaches; a row counts ``table:number-rows-repeated`` times, a cell
    ``table:number-columns-repeated`` columns, and empty cells and rows only where a
    value follows them (so the empty rows and columns to the sheet's edge that
    LibreOffice writes after the data cost nothing). It names elements and attributes
    with the ``table:`` and ``office:`` prefixes as the reader does (an element under
    another prefix is no cell to it). Each row is measured from byte counts in C —
    Python's work is per row, not per cell — and always from above: a row holds a value
    if anything in it looks like one; its width is every cell in it, repeats included,
    but for an empty last cell (LibreOffice's padding to the sheet's edge).

    Byte counting is sound only for well-formed XML, which libxml2 (lxml, with a target
    that builds nothing) checks at C speed: a '<' inside an attribute value, which the
    reader would take, could otherwise fake a row's end. XML that does not parse is
    refused. The check runs alongside the count where the file is parsed in this
    process; with a parse child, a second child runs it while the first parses
    (``_child_validate``) and the parent takes the file only once it has answered, so
    the check, the count and the parse share the cores. Comments, CDATA, a document type, processing instructions and
    rows over QUICK_ROW_BYTES send the file to ``ExactOdsCells`` (which refuses a
    document type: entities expand without bound, and no .ods has one)."""

    def __init__(self, file: str, budget: int | None = None, validate: bool = True):
        self.file = file
        self.budget = MAX_CELLS if budget is None else budget
        self.done = 0
        self.sheet = ""
        self._new_sheet("")
        self.buf = b""
        self.seen = 0                       # bytes fed before ``buf``
        self.validator = _validator() if validate else None

    @property
    def cells(self) -> int:
        return self.done + self._area()

    def _new_sheet(self, name: str):
        self.sheet, self.rows, self.first, self.last, self.width = name, 0, None, 0, 0

    def _area(self) -> int:
        return 0 if self.first is None else (self.last - self.first) * self.width

    def _refuse(self):
        raise Refused.one(self.file, "file.too_many_cells", sheet=self.sheet, limit=f"{self.budget:,}")

    def _validate(self, chunk: bytes, final: bool = False):
        if self.validator is not None:
            _feed_validator(self.validator, self.file, chunk, final)

    def feed(self, chunk: bytes):
        self._validate(chunk)
        start = 0
        if not (self.seen or self.buf) and chunk.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<?xml"):
            start = chunk.find(b"?>") + 2                              # past the XML declaration, and only it
        buf = self.buf + chunk
        if _markup_after(buf, b"!", start) or _markup_after(buf, b"?", start):
            raise _Unusual()
        self.buf = buf[self._scan(buf):]
        self.seen += len(buf) - len(self.buf)
        if len(self.buf) > QUICK_ROW_BYTES:
            raise _Unusual()

    def close(self):
        self._validate(b"", True)
        self._scan(self.buf, final=True)

    def _scan(self, buf: bytes, final: bool = False) -> int:
        """Measure every complete row in ``buf``; where the rest begins."""
        pos = 0
        table = _next_table(buf, 0)
        while True:
            row = _find_tag(buf, b"<table:table-row", pos)
            if table != -1 and table < pos:               # inside a row just measured (a subtable in a cell)
                table = _next_table(buf, pos)
            if table != -1 and (row == -1 or table < row):
                tag_end = buf.find(b"<", table + 1)
                if tag_end == -1 and not final:
                    return table
                m = _TABLE_NAME.search(buf, table, tag_end if tag_end != -1 else len(buf))
                self.done += self._area()
                self._new_sheet((m[1] or m[2] or b"").decode("utf-8", "replace") if m else "")
                pos = table + 12
                table = _next_table(buf, pos)
                continue
            if row == -1:
                return len(buf) if final else max(pos, len(buf) - 64)
            done = self._rows(buf, row, table if table != -1 else len(buf))
            if done != row:                                # rows measured in bulk: look again from there
                pos = done
                continue
            head_end = buf.find(b"<", row + 1)
            if head_end == -1:
                if not final:
                    return row
                head_end = len(buf)
            repeat = self._repeat(_ROWS_REPEATED, buf, row, head_end)
            if buf[row:head_end].rstrip().endswith(b"/>"):             # <table:table-row …/>: an empty row
                self.rows += repeat
                pos = head_end
                continue
            end = buf.find(b"</table:table-row>", head_end)
            if end == -1:
                if not final:
                    return row
                end = len(buf)
            if buf.find(b"<table:table-row", head_end, end) != -1:
                raise _Unusual()                                       # a row inside a row: no count by bytes
            self._row(buf, head_end, end, repeat)
            pos = end + 18

    def _rows(self, buf: bytes, pos: int, stop: int) -> int:
        """``_rows_at_once``, or ``pos`` (row by row, then) should the bytes be stranger
        than it foresaw: nothing is counted until its last lines."""
        try:
            return self._rows_at_once(buf, pos, stop)
        except (IndexError, ValueError):
            return pos

    def _rows_at_once(self, buf: bytes, pos: int, stop: int) -> int:
        """Measure the rows from ``pos`` (a row's start) on as ``_row`` does, all at
        once: up to the last row end before ``stop`` (the next table, or the end), every
        row being one ordinary row (no row inside it, not empty, not repeated, its start
        tag ending in '>'), the tags ``_row`` counts are found by NumPy over the whole
        stretch and laid out per row, and what it looks for in a row's first or last
        cell is looked for there alone. A stretch with any other row is measured in bulk
        up to that row (so that a row of another kind after many ordinary ones, such as
        the repeated empty rows LibreOffice writes after the data, does not send them
        all one by one to the row-by-row scan, each time after a bulk attempt over the
        rest), and the row-by-row scan takes it from there: returns ``pos`` when the
        first row is already of another kind, else where the bulk measure ended."""
        last = buf.rfind(b"</table:table-row>", pos, stop)
        if last == -1:
            return pos
        import numpy as np
        region = np.frombuffer(buf, dtype=np.uint8, count=last + 18 - pos, offset=pos)
        lt = np.flatnonzero(region == 60)                      # every '<'
        words = _Words(region, lt)
        ends = words.tags(b"</table:table-row>")
        starts = words.tags(b"<table:table-row")
        count = len(ends)
        if len(starts) != count or not count or (np.searchsorted(ends, starts) != np.arange(count)).any():
            return pos                                         # not one row start in each piece, in order

        def up_to(bad):
            """Measured in bulk up to the first row that ``bad`` (one flag per row) marks."""
            first = int(np.argmax(bad))
            return self._rows_at_once(buf, pos, pos + int(starts[first])) if first else pos

        named = np.isin(region[starts + 16], _NAME_END_CODES)
        if not named.all():
            return up_to(~named)
        head_end = lt[np.searchsorted(lt, starts + 1)]         # each start tag's end: the next '<'
        odd = (head_end >= ends) | (region[head_end - 1] != 62) | (region[head_end - 2] == 47)
        if odd.any():
            return up_to(odd)                                  # text after a start tag, or an empty row
        repeated = words.at(b"-repeated")
        if len(repeated):
            of_row = np.minimum(np.searchsorted(ends, repeated), count - 1)
            in_head = repeated < head_end[of_row]
            if in_head.any():                                  # a repeated row
                return up_to(np.isin(np.arange(count), of_row[in_head]))

        def per_row(found, lo, hi):
            """How many of ``found`` lie within each row's [lo, hi)."""
            return np.searchsorted(found, hi) - np.searchsorted(found, lo)

        cells, covered = words.tags(b"<table:table-cell"), words.tags(b"<table:covered-table-cell")
        reach = per_row(cells, head_end, ends) + per_row(covered, head_end, ends)
        both = np.sort(np.concatenate([cells, covered])) if len(covered) else cells
        if not len(both):
            return pos                                         # no cell at all: row by row
        before_end = np.searchsorted(both, ends) - 1           # each row's last cell, where it has one
        last_cell = np.where(before_end >= 0, both[np.maximum(before_end, 0)], -1)
        has_last = (last_cell >= head_end) & (reach > 0)
        spaced = has_last & np.isin(region[ends - 1], _SPACE_CODES)
        if spaced.any():
            return up_to(spaced)                               # white space before a row end
        office, formula = _at_if(words, buf, pos, last, b"office:"), _at_if(words, buf, pos, last, b"table:formula")
        valued = (per_row(office, head_end, ends) + per_row(words.tags(b"<text:"), head_end, ends)
                  + per_row(formula, head_end, ends)) > 0
        maybe = has_last & (per_row(lt, np.where(has_last, last_cell, ends), ends) == 1) & (region[ends - 1] == 62) \
            & (region[ends - 2] == 47)
        # the empty last cell: padding to the sheet's edge
        padding = maybe & (per_row(office, last_cell, ends) == 0) & (per_row(formula, last_cell, ends) == 0)
        limit = np.where(padding, last_cell, ends)
        reach = reach - padding
        if len(repeated):
            found = _plain_column_repeats(region, repeated, last - pos)
            if found is None:                                  # a repeat written otherwise: as the regular expression reads it
                found = [np.array(v, dtype=np.int64) - (0 if k == 2 else pos)
                         for k, v in enumerate(zip(*_column_repeats(buf, (pos + repeated).tolist(), pos, last)))]
            if found and len(found[0]):
                at, till, value = found
                row = np.minimum(np.searchsorted(ends, at), count - 1)
                inside = (at >= head_end[row]) & (till <= limit[row])
                reach = reach + np.bincount(row[inside], weights=np.maximum(value[inside] - 1, 0),
                                            minlength=count).astype(np.int64)
        held = np.flatnonzero(valued & (reach > 0))
        if len(held):
            if self.first is None:
                self.first = self.rows + int(held[0])
            self.last = self.rows + int(held[-1]) + 1
            self.width = max(self.width, int(reach[held].max()))
            if self.done + (self.last - self.first) * self.width > self.budget:
                self._refuse()
        self.rows += count
        return pos + int(ends[-1]) + 18

    @staticmethod
    def _repeat(pattern, buf: bytes, start: int, end: int) -> int:
        """The largest repeat the tag in buf[start:end] gives (1 without one)."""
        if buf.find(b"-repeated", start, end) == -1:
            return 1
        return max((_count_value(m) for m in pattern.finditer(buf, start, end)), default=1) or 1

    def _row(self, buf: bytes, start: int, end: int, repeat: int):
        """A row whose cells are buf[start:end], repeated ``repeat`` times."""
        reach = 0
        if (buf.find(b"office:", start, end) != -1 or buf.find(b"<text:", start, end) != -1
                or buf.find(b"table:formula", start, end) != -1):
            reach = buf.count(b"<table:table-cell", start, end) + buf.count(b"<table:covered-table-cell", start, end)
            last = max(buf.rfind(b"<table:table-cell", start, end), buf.rfind(b"<table:covered-table-cell", start, end))
            limit = end
            if (last != -1 and buf.count(b"<", last, end) == 1 and buf[last:end].rstrip().endswith(b"/>")
                    and buf.find(b"office:", last, end) == -1 and buf.find(b"table:formula", last, end) == -1):
                limit, reach = last, reach - 1          # the empty last cell: padding to the sheet's edge
            if buf.find(b"-repeated", start, limit) != -1:
                for m in _COLUMNS_REPEATED.finditer(buf, start, limit):
                    reach += max(_count_value(m) - 1, 0)
        if reach:
            if self.first is None:
                self.first = self.rows
            self.last = self.rows + repeat
            if reach > self.width:
                self.width = reach
            if self.done + (self.last - self.first) * self.width > self.budget:
                self._refuse()
        self.rows += repeat


class ExactOdsCells:
    """``OdsCells``'s count, element by element through expat: exact for any XML
    (comments, CDATA, processing instructions, any namespace prefix), and about four
    times slower than the parse itself, so only for the files ``OdsCells`` does not
    take on (no writer of .ods puts those in content.xml). The same rectangle; a cell
    holds a value when it carries a value, value type or formula, or has any content;
    names match whatever their namespace prefix (more than the reader honours, never
    less)."""

    def __init__(self, file: str, budget: int | None = None):
        self.file = file
        self.budget = MAX_CELLS if budget is None else budget
        self.done = 0                       # cells of the sheets already closed
        self.sheet = ""
        self._new_sheet("")
        self.in_row = False
        self.cell = None                    # [columns it fills, holds a value] of the open cell
        self.nested = 0                     # elements open inside that cell (its content, a subtable …)
        self.parser = expat.ParserCreate()
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.StartDoctypeDeclHandler = self._doctype

    def feed(self, chunk: bytes):
        try:
            self.parser.Parse(chunk, False)
        except expat.ExpatError as exc:
            raise Refused.one(self.file, "file.damaged", kind="ods", detail=str(exc)[:120]) from None

    def close(self):
        self.feed(b"")
        try:
            self.parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise Refused.one(self.file, "file.damaged", kind="ods", detail=str(exc)[:120]) from None

    @property
    def cells(self) -> int:
        return self.done + self._area()

    def _new_sheet(self, name: str):
        self.sheet, self.rows, self.first, self.last, self.width = name, 0, None, 0, 0

    def _area(self) -> int:
        return 0 if self.first is None else (self.last - self.first) * self.width

    def _check(self, extra: int = 0):
        if self.done + self._area() + extra > self.budget:
            raise Refused.one(self.file, "file.too_many_cells", sheet=self.sheet, limit=f"{self.budget:,}")

    def _doctype(self, *args):
        raise Refused.one(self.file, "file.damaged", kind="ods", detail="DOCTYPE")

    @staticmethod
    def _count(attrs: dict, local: str) -> int:
        for key, value in attrs.items():
            if key.rpartition(":")[2] == local:
                try:
                    return max(int(value), 1)
                except ValueError:
                    return 1
        return 1

    def _start(self, tag: str, attrs: dict):
        if self.cell is not None:           # anything inside a cell: it holds something, and is no row or cell of the sheet
            self.cell[1] = True
            self.nested += 1
            return
        local = tag.rpartition(":")[2]
        if local in ("table-cell", "covered-table-cell"):
            valued = any(k.rpartition(":")[2] in ("value", "string-value", "date-value", "time-value",
                                                  "boolean-value", "value-type", "formula") for k in attrs)
            self.cell = [self._count(attrs, "number-columns-repeated"), valued]
        elif local == "table-row":
            self.in_row, self.repeat, self.col, self.reach = True, self._count(attrs, "number-rows-repeated"), 0, 0
        elif local == "table":
            self.done += self._area()
            name = next((v for k, v in attrs.items() if k.rpartition(":")[2] == "name"), "")
            self._new_sheet(name)

    def _end(self, tag: str):
        if self.nested:
            self.nested -= 1
            return
        local = tag.rpartition(":")[2]
        if self.cell is not None:           # the open cell's own end
            columns, valued = self.cell
            self.cell = None
            if self.in_row:
                self.col += columns
                if valued:
                    self.reach = self.col
                    # this row alone, repeated, may already be too much
                    self._check(max(self.reach, self.width) * self.repeat)
        elif local == "table-row" and self.in_row:
            self.in_row = False
            if self.reach:
                if self.first is None:
                    self.first = self.rows
                self.last = self.rows + self.repeat
                self.width = max(self.width, self.reach)
                self._check()
            self.rows += self.repeat


def _inspect_ole(path: Path, name: str) -> str:
    """An OLE2 file is an old .xls, or an encrypted .xlsx (an OLE2 box around it): told
    by the names of its streams, in the file's directory. The directory is wherever the
    header says (xlwt writes it after the data, 15 MB into a 100,000-row workbook):
    the first 4 MiB are read, and the directory's sectors where they lie beyond."""
    with open(path, "rb") as fh:
        data = fh.read(min(path.stat().st_size, 4 * MIB))
        data += _ole_directory(fh, data)
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise Refused.one(name, "file.encrypted")
    if "Workbook".encode("utf-16-le") not in data and "Book".encode("utf-16-le") not in data:
        raise Refused.one(name, "file.not_workbook")
    return "xls"


OLE_DIRECTORY_SECTORS = 64      # at most this many of the directory's sectors are read (4 entries each, or 32)
_OLE_END = 0xFFFFFFFA           # sector numbers from here on mean "none" or "end of chain"


def _ole_directory(fh, head: bytes) -> bytes:
    """The OLE2 directory's sectors that lie beyond ``head`` (the file's first bytes),
    following the sector chain through the allocation table: [MS-CFB] 2.2 and 2.3."""
    if len(head) < 512:
        return b""
    shift = int.from_bytes(head[30:32], "little")
    if not 9 <= shift <= 12:
        return b""
    size, sector, out = 1 << shift, int.from_bytes(head[48:52], "little"), []
    fat_sectors = [int.from_bytes(head[76 + 4 * i:80 + 4 * i], "little") for i in range(109)]
    per_fat_sector = size // 4
    for _ in range(OLE_DIRECTORY_SECTORS):
        if sector >= _OLE_END:
            break
        offset = (sector + 1) * size
        if offset + size > len(head):
            fh.seek(offset)
            out.append(fh.read(size))
        fat_index = sector // per_fat_sector
        if fat_index >= len(fat_sectors) or fat_sectors[fat_index] >= _OLE_END:
            break
        fh.seek((fat_sectors[fat_index] + 1) * size + 4 * (sector % per_fat_sector))
        sector = int.from_bytes(fh.read(4), "little")
    return b"".join(out)


CSV_ENCODINGS = ("utf-8-sig", "cp950", "big5hkscs")


def _read_csv(path: Path, name: str) -> RawSheet:
    """A CSV as one sheet: UTF-8 (with or without BOM) or Big5/cp950, delimiter sniffed;
    every field kept as text, record r of the file is row r + 1 of the sheet, a record
    shorter than the widest padded with empty cells. A sheet wider than MAX_COLUMNS is
    refused before its cells are kept."""
    sheet_name = Path(name).stem
    raw = path.read_bytes()
    for encoding in CSV_ENCODINGS:
        try:
            text = codecs.decode(raw, encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise Refused.one(name, "file.csv_encoding")
    del raw
    try:
        delimiter = csv.Sniffer().sniff(text[:8192], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    csv.field_size_limit(max(csv.field_size_limit(), MAX_UPLOAD_BYTES))   # a long cell is a cell, not damage
    try:
        columns = _csv_columns(text, delimiter, name, sheet_name)
    except csv.Error as exc:
        raise Refused.one(name, "file.damaged", kind="csv", detail=str(exc)[:120]) from None
    return RawSheet(sheet_name, columns, list(range(len(columns))))


CSV_CHUNK = 65_536          # records transposed to Arrow at a time by the csv module
CSV_LEAD = 1_000            # records read before the table body must have begun


def _csv_columns(text: str, delimiter: str, name: str, sheet: str) -> list:
    """The records of ``text`` as text columns. Title rows and the like come first and
    are read by Python's csv module; from the first two records of equal width on (the
    header and the first row, usually), Arrow's CSV reader takes the rest at C speed.
    Should any later record differ in width (a blank line, a note below the table),
    the csv module reads the whole text instead: the same records, only slower."""
    import pyarrow as pa
    read = [0]                  # how far into the text the csv module has read

    def lines():
        for line in io.StringIO(text, newline=""):
            read[0] += len(line)
            yield line

    lead, start, ends = [], None, [0]    # ends[k]: where record k begins (record k - 1 ends)
    for record in csv.reader(lines(), delimiter=delimiter):
        if len(record) > MAX_COLUMNS:
            _refuse_width(text, delimiter, name, sheet)
        lead.append(record)
        ends.append(read[0])
        if len(lead) >= 2 and len(lead[-1]) == len(lead[-2]) >= 2:
            start = len(lead) - 2
            break
        if len(lead) >= CSV_LEAD:
            break
    if start is not None:
        body = _arrow_csv(text[ends[start]:], delimiter, len(lead[start]))
        if body is not None:
            head = lead[:start]
            width = max([len(lead[start]), *map(len, head)])
            out = []
            for i in range(width):
                first = pa.array([r[i] if i < len(r) else None for r in head], pa.string())
                rest = body.column(i) if i < body.num_columns else pa.nulls(body.num_rows, pa.string())
                out.append(pa.chunked_array([first, *rest.chunks] if isinstance(rest, pa.ChunkedArray) else
                                            [first, rest], pa.string()).combine_chunks())
            return out
    return _python_csv(text, delimiter, name, sheet)


def _arrow_csv(body: str, delimiter: str, width: int):
    """``body`` read by Arrow as ``width`` text columns, or None if any record has
    another width (or Arrow cannot read it): the caller then takes the slow way."""
    import pyarrow as pa
    import pyarrow.csv as pcsv
    uneven = []

    def other_width(row):
        uneven.append(row)
        return "skip"

    names = [f"c{i}" for i in range(width)]
    try:
        table = pcsv.read_csv(
            pa.BufferReader(body.encode("utf-8")),
            read_options=pcsv.ReadOptions(column_names=names),
            parse_options=pcsv.ParseOptions(delimiter=delimiter, quote_char='"', double_quote=True, escape_char=False,
                                            newlines_in_values=True, ignore_empty_lines=False,
                                            invalid_row_handler=other_width),
            convert_options=pcsv.ConvertOptions(column_types={n: pa.string() for n in names}, strings_can_be_null=False,
                                                quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return None if uneven else table


def _python_csv(text: str, delimiter: str, name: str, sheet: str) -> list:
    """Every record through Python's csv module, CSV_CHUNK at a time to Arrow."""
    import itertools
    import pyarrow as pa
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    parts, width, rows = [], 0, 0
    while chunk := list(itertools.islice(records, CSV_CHUNK)):
        widest = max(map(len, chunk))
        if widest > MAX_COLUMNS:
            _refuse_width(text, delimiter, name, sheet)
        width = max(width, widest)
        parts.append((rows, [pa.array(c, pa.string()) for c in itertools.zip_longest(*chunk, fillvalue=None)]))
        rows += len(chunk)
    if not rows:
        raise Refused.one(name, "file.damaged", kind="csv", detail="No columns to parse from file")
    columns = []
    for i in range(width):
        pieces = []
        for n, (first, arrays) in enumerate(parts):
            length = (parts[n + 1][0] if n + 1 < len(parts) else rows) - first
            pieces.append(arrays[i] if i < len(arrays) else pa.nulls(length, pa.string()))
        columns.append(pa.chunked_array(pieces, pa.string()).combine_chunks())
    return columns


def _refuse_width(text: str, delimiter: str, name: str, sheet: str):
    """Refuse a CSV wider than MAX_COLUMNS, naming its width (every record counted,
    none kept)."""
    width = max((len(record) for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)),
                default=1)
    _check_width(name, sheet, width)
