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

import python_calamine as calamine

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
    name: str
    rows: list[list]


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
        return [RawSheet(Path(name).stem, _read_csv(path, name))]
    else:
        raise Refused.one(name, "file.not_workbook")
    try:
        workbook = calamine.CalamineWorkbook.from_path(str(path))
        sheets = []
        for sheet_name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(sheet_name)
            sheets.append(RawSheet(sheet_name, sheet.to_python(skip_empty_area=False)))
        return sheets
    except calamine.PasswordError:
        raise Refused.one(name, "file.encrypted") from None
    except Exception as exc:  # calamine's own errors: a damaged or unreadable workbook
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise Refused.one(name, "file.encrypted") from None
        raise Refused.one(name, "file.damaged", kind=kind, detail=str(exc)[:120]) from None


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
