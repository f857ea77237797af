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
0.1 s of a 100,000-row import and 2 s of a 1,000,000-row one).
"""
from __future__ import annotations

import codecs
import csv
import faulthandler
import io
import json
import os
import resource
import select
import signal
import tempfile
import time
import zipfile
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path

import fastexcel
import pandas as pd
import pyarrow as pa

from .problems import Problem, Refused

MIB = 1024 * 1024
MB = 1000 * 1000
MAX_UNPACKED = 1024 * MIB      # what a workbook may unpack to, at most
MAX_RATIO = 200                # compression ratio of one entry beyond which it is a bomb
DEFAULT_PARSE_MEMORY_MB = 4096  # what the parsing child may allocate beyond its start (MiB)
DEFAULT_PARSE_SECONDS = 300
MAX_COLUMNS = 500              # a sheet wider than this is refused before its cells are read
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
        return pa.nulls(max(self.height - start, 0), pa.string())


def read_workbook(path: str | Path, name: str | None = None) -> list[RawSheet]:
    """Every sheet of the file at ``path`` as rows of raw cell values (row 0 is Excel
    row 1, column 0 is column A). ``name`` is what the user called the file."""
    path = Path(path)
    name = name or path.name
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
        check = lambda: _count_real_sizes(path, name)  # noqa: E731
    elif head.startswith(OLE_MAGIC):
        kind = _inspect_ole(path, name)
    elif suffix in (".csv", ".txt") and b"\x00" not in head:
        kind = "csv"
    else:
        raise Refused.one(name, "file.not_workbook")
    return _parse_isolated(path, name, kind, check)


def _parse(path: Path, name: str, kind: str) -> list[RawSheet]:
    if kind == "csv":
        return [_read_csv(path, name)]
    workbook = fastexcel.read_excel(str(path))
    return [_load(workbook, sheet_name, name) for sheet_name in workbook.sheet_names]


def _check_width(file: str, sheet: str, width: int):
    if width > MAX_COLUMNS:
        raise Refused.one(file, "file.too_many_columns", sheet=sheet, count=f"{width:,}", limit=f"{MAX_COLUMNS:,}")


def _refusal_for(name: str, kind: str, message: str) -> Refused:
    if "password" in message.lower() or "encrypt" in message.lower():
        return Refused.one(name, "file.encrypted")
    first_line = (message.strip().splitlines() or [""])[0]
    return Refused.one(name, "file.damaged", kind=kind, detail=first_line[:120])


def _parse_isolated(path: Path, name: str, kind: str, check=None) -> list[RawSheet]:
    """Parse in a forked child with a memory cap and a time limit. The parser is
    native code: a crafted workbook (a cell at XFD1048576 beside one at A1 asks it for
    half a terabyte) aborts the whole process, which must not be the app's. The child
    hands the sheets back as Arrow IPC files, which the parent maps without copying.
    ``check`` (the zip's real sizes) runs in the parent meanwhile; when it refuses the
    file, the child is killed and its work never looked at."""
    if not hasattr(os, "fork") or os.environ.get("DASHBOARD_PARSE_IN_PROCESS") == "1":
        if check is not None:
            check()
        try:
            return _parse(path, name, kind)
        except Refused:
            raise
        except Exception as exc:
            raise _refusal_for(name, kind, str(exc)) from None
    with tempfile.TemporaryDirectory(prefix="dashboard_parse_") as tmp:
        out = Path(tmp)
        deadline = time.monotonic() + parse_seconds()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            _child_parse(path, name, kind, out)
        try:
            if check is not None:
                check()
        except BaseException:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise
        status = _wait(pid, deadline)
        if status is None:
            raise Refused.one(name, "file.parse_timeout", seconds=f"{parse_seconds():.0f}")
        error = out / "error.json"
        if error.exists():
            sent = json.loads(error.read_text(encoding="utf-8"))
            if "refused" in sent:
                raise Refused(name, [Problem(**p) for p in sent["refused"]], sent["total"])
            raise _refusal_for(name, kind, sent["message"])
        if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0 or not (out / "sheets.json").exists():
            raise Refused.one(name, "file.parse_crashed")
        names = json.loads((out / "sheets.json").read_text(encoding="utf-8"))
        sheets = []
        for i, entry in enumerate(names):
            table = pa.ipc.open_file(pa.memory_map(str(out / f"{i}.arrow"))).read_all()
            columns = [table.column(c).combine_chunks() for c in range(table.num_columns)]
            sheets.append(RawSheet(entry["name"], columns, entry["positions"]))
        return sheets


def _child_parse(path: Path, name: str, kind: str, out: Path):
    code = 0
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)  # a native crash report is no message for a user
        faulthandler.disable()  # nor is Python's dump of a fatal signal (pytest, PYTHONFAULTHANDLER)
        _cap_memory()
        sheets = _parse(path, name, kind)
        for i, sheet in enumerate(sheets):
            fields = [pa.field(str(p), pa.string()) for p in sheet.positions]
            table = pa.Table.from_arrays(sheet.columns, schema=pa.schema(fields)) if fields else pa.table({})
            with pa.ipc.new_file(str(out / f"{i}.arrow"), table.schema) as writer:
                writer.write_table(table)
        (out / "sheets.json").write_text(json.dumps([{"name": s.name, "positions": s.positions} for s in sheets],
                                                    ensure_ascii=False), encoding="utf-8")
    except Refused as refusal:
        problems = [{k: v if k != "value" or v is None else str(v) for k, v in asdict(p).items()}
                    for p in refusal.problems]
        (out / "error.json").write_text(json.dumps({"refused": problems, "total": refusal.total}), encoding="utf-8")
        code = 1
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent as text
        (out / "error.json").write_text(json.dumps({"message": f"{type(exc).__name__}: {exc}"}), encoding="utf-8")
        code = 1
    finally:
        os._exit(code)


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


def _load(workbook, sheet_name: str, file: str) -> RawSheet:
    """Every cell as text (dates as ISO text, numbers as written by the reader): the
    dataset parsers take text, so a column mixing types costs nothing extra."""
    sheet = workbook.load_sheet(sheet_name, header_row=None, dtypes="string", skip_rows=0)
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


def _count_real_sizes(path: Path, name: str):
    """``_check_real_sizes`` over the workbook at ``path``, a damaged zip refused as such."""
    try:
        with zipfile.ZipFile(path) as zf:
            _check_real_sizes(zf, zf.infolist(), name)
    except zipfile.BadZipFile:
        raise Refused.one(name, "file.damaged", kind="zip", detail="") from None
    except (EOFError, zlib.error, OSError) as exc:
        raise Refused.one(name, "file.damaged", kind="zip", detail=str(exc)[:120]) from None


def _check_real_sizes(zf: zipfile.ZipFile, infos, name: str):
    """A zip may lie about sizes: inflate each entry, counting, without keeping it,
    and stop as soon as the count passes what was declared or the cap."""
    total = 0
    for info in infos:
        if info.compress_type != zipfile.ZIP_DEFLATED:
            continue
        seen = 0
        with zf.open(info) as stream:
            while chunk := stream.read(4 * MIB):
                seen += len(chunk)
                total += len(chunk)
                if seen > info.file_size or total > MAX_UNPACKED:
                    raise Refused.one(name, "file.zip_bomb", size=f"{total / MB:.0f}")


def _inspect_ole(path: Path, name: str) -> str:
    """An OLE2 file is an old .xls, or an encrypted .xlsx (an OLE2 box around it)."""
    with open(path, "rb") as fh:
        data = fh.read(min(path.stat().st_size, 4 * MIB))
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise Refused.one(name, "file.encrypted")
    if "Workbook".encode("utf-16-le") not in data and "Book".encode("utf-16-le") not in data:
        raise Refused.one(name, "file.not_workbook")
    return "xls"


CSV_ENCODINGS = ("utf-8-sig", "cp950", "big5hkscs")


def _read_csv(path: Path, name: str) -> RawSheet:
    """A CSV as one sheet: UTF-8 (with or without BOM) or Big5/cp950, delimiter sniffed;
    every field kept as text, row r of the file is row r + 1 of the sheet. Its width is
    counted before pandas parses it, in one pass over the text."""
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
    # An upper bound on the fields of any record (quoted delimiters only raise it);
    # columns beyond the real ones come out empty and are ignored. Only a bound over
    # the cap is worth counting exactly, quotes and all.
    width = max((line.count(delimiter) for line in text.splitlines()), default=0) + 1
    if width > MAX_COLUMNS:
        try:
            width = max((len(record) for record in csv.reader(io.StringIO(text), delimiter=delimiter)), default=1)
        except csv.Error as exc:
            raise Refused.one(name, "file.damaged", kind="csv", detail=str(exc)[:120]) from None
        _check_width(name, sheet_name, width)
    del text
    try:
        # From the file itself: pandas' C parser reads bytes far faster than a StringIO.
        frame = pd.read_csv(path, encoding=encoding, sep=delimiter, header=None, names=range(width), dtype=str,
                            keep_default_na=False, na_filter=False, skip_blank_lines=False, engine="c")
    except (pd.errors.ParserError, ValueError) as exc:
        raise Refused.one(name, "file.damaged", kind="csv", detail=str(exc)[:120]) from None
    columns = [pa.array(frame[c], type=pa.string(), from_pandas=True) for c in frame.columns]
    return RawSheet(sheet_name, columns, list(range(width)))
