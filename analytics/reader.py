"""Open a file as the branch sends it and hand back its sheets as rows of cells.

Before any parser sees a file it is checked: size cap, what its bytes really are
(not its name), and for zip-based workbooks every entry's declared and actual
uncompressed size, so that a zip bomb is refused after reading at most a bounded
number of bytes.
"""
from __future__ import annotations

import codecs
import csv
import io
import os
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import fastexcel
import pyarrow as pa

from .problems import Refused

MB = 1024 * 1024
DEFAULT_MAX_MB = 50
MAX_UNPACKED = 1024 * MB       # what a workbook may unpack to, at most
MAX_RATIO = 200                # compression ratio of one entry beyond which it is a bomb
WORKBOOK_SUFFIXES = (".xlsx", ".xls", ".ods", ".csv", ".xlsm")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def max_bytes() -> int:
    try:
        return int(float(os.environ.get("DASHBOARD_MAX_UPLOAD_MB", DEFAULT_MAX_MB)) * MB)
    except ValueError:
        return DEFAULT_MAX_MB * MB


@dataclass
class RawSheet:
    """One sheet's cells as text columns. ``columns[i]`` is Excel column
    ``positions[i]`` (0 = A); element r of every column is Excel row r + 1."""

    name: str
    columns: list[pa.Array]
    positions: list[int]

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
        length = max(self.height - start, 0)
        if pos in self.positions:
            return self.columns[self.positions.index(pos)].slice(start)
        return pa.nulls(length, pa.string())

    @classmethod
    def from_rows(cls, name: str, rows: list[list]) -> "RawSheet":
        width = max((len(r) for r in rows), default=0)
        columns = [pa.array([(r[c] if c < len(r) and r[c] != "" else None) for r in rows], pa.string())
                   for c in range(width)]
        return cls(name, columns, list(range(width)))


def read_workbook(path: str | Path, name: str | None = None) -> list[RawSheet]:
    """Every sheet of the file at ``path`` as rows of raw cell values (row 0 is Excel
    row 1, column 0 is column A). ``name`` is what the user called the file."""
    path = Path(path)
    name = name or path.name
    size = path.stat().st_size
    limit = max_bytes()
    if size > limit:
        raise Refused.one(name, "file.too_big", size=f"{size / MB:.1f}", limit=f"{limit / MB:.0f}")
    if size == 0:
        raise Refused.one(name, "file.empty")
    with open(path, "rb") as fh:
        head = fh.read(8)
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsm":
        raise Refused.one(name, "file.macro")
    if head.startswith(b"PK"):
        kind = _inspect_zip(path, name)
    elif head.startswith(OLE_MAGIC):
        kind = _inspect_ole(path, name)
    elif suffix == ".csv" or suffix == ".txt":
        return [RawSheet.from_rows(Path(name).stem, _read_csv(path, name))]
    else:
        raise Refused.one(name, "file.not_workbook")
    try:
        workbook = fastexcel.read_excel(str(path))
        return [_load(workbook, sheet_name) for sheet_name in workbook.sheet_names]
    except Exception as exc:  # the reader's own errors: a damaged or unreadable workbook
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise Refused.one(name, "file.encrypted") from None
        raise Refused.one(name, "file.damaged", kind=kind, detail=str(exc)[:120]) from None


def _load(workbook, sheet_name: str) -> RawSheet:
    """Every cell as text (dates as ISO text, numbers as written by the reader): the
    dataset parsers take text, so a column mixing types costs nothing extra."""
    sheet = workbook.load_sheet(sheet_name, header_row=None, dtypes="string", skip_rows=0)
    batch = sheet.to_arrow()
    positions = [info.absolute_index for info in sheet.available_columns()]
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
                if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 10 * MB:
                    raise Refused.one(name, "file.zip_bomb", size=f"{info.file_size / MB:.0f}")
            _check_real_sizes(zf, infos, name)
            return kind
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
            while chunk := stream.read(4 * MB):
                seen += len(chunk)
                total += len(chunk)
                if seen > info.file_size or total > MAX_UNPACKED:
                    raise Refused.one(name, "file.zip_bomb", size=f"{total / MB:.0f}")


def _inspect_ole(path: Path, name: str) -> str:
    """An OLE2 file is an old .xls, or an encrypted .xlsx (an OLE2 box around it)."""
    with open(path, "rb") as fh:
        data = fh.read(min(path.stat().st_size, 4 * MB))
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise Refused.one(name, "file.encrypted")
    if "Workbook".encode("utf-16-le") not in data and "Book".encode("utf-16-le") not in data:
        raise Refused.one(name, "file.not_workbook")
    return "xls"


CSV_ENCODINGS = ("utf-8-sig", "cp950", "big5hkscs")


def _read_csv(path: Path, name: str) -> list[list]:
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise Refused.one(name, "file.not_workbook")
    for encoding in CSV_ENCODINGS:
        try:
            text = codecs.decode(raw, encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise Refused.one(name, "file.csv_encoding")
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect)]
