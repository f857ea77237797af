"""Builds the hostile workbooks the reliability tests throw at the importer. Each
function writes one file into ``folder`` and returns its path; nothing is binary
in the repository."""
from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import msoffcrypto
import openpyxl

from conftest import case_rows, write_xlsx


def _rewrite(source: Path, target: Path, edit: dict[str, callable]) -> Path:
    """``source`` with each part of ``edit`` replaced by what its function makes of it
    (a new part where there was none; the part removed where the function is None)."""
    with zipfile.ZipFile(source) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    for name, change in edit.items():
        if change is None:
            parts.pop(name, None)
        else:
            parts[name] = change(parts.get(name, b""))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return target


def plain(folder: Path) -> Path:
    return write_xlsx(folder / "plain.xlsx", {"案件量": case_rows(["110/07", "第一課", "線上申辦", 3])})


def zip_bomb(folder: Path, megabytes: int = 2048) -> Path:
    """A sheet of ``megabytes`` MB of zeros (the default 2 GB packs to about 2 MB)."""
    path = folder / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as entry:
            block = b"\0" * (1 << 20)
            for _ in range(megabytes):
                entry.write(block)
    return path


def shared_strings(folder: Path, strings: list[str], uses: list[int], name: str = "shared.xlsx") -> Path:
    """A plain case sheet whose shared strings are ``strings`` and whose column A holds,
    row after row, each string's index ``uses[i]`` times (written as Excel does:
    ``<c t="s"><v>i</v></c>``)."""
    from xml.sax.saxutils import escape
    items = "".join(f"<si><t>{escape(text)}</t></si>" for text in strings)
    sst = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
           f'count="{sum(uses)}" uniqueCount="{len(strings)}">{items}</sst>').encode()
    cells = (f'<row r="{r}"><c r="A{r}" t="s"><v>{i}</v></c></row>'
             for r, i in enumerate((i for i, n in enumerate(uses) for _ in range(n)), start=1))
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             + "".join(cells) + "</sheetData></worksheet>").encode()
    return _rewrite(plain(folder), folder / name, {"xl/sharedStrings.xml": lambda _: sst,
                                                   "xl/worksheets/sheet1.xml": lambda _: sheet})


SPELLINGS = {
    # how a worksheet may write a cell that shows shared string 0, all read alike by the reader
    "plain": '<c r="A{r}" t="s"><v>0</v></c>',
    "spaced": '<c r="A{r}" t = "s" ><v >0</v ></c>',
    "quoted": "<c r='A{r}' t='s'><v>0</v></c>",
    "formula": '<c r="A{r}" t="s"><f>""</f><v>0</v></c>',
    "prefixed": '<x:c r="A{r}" t="s"><x:v>0</x:v></x:c>',
}


def shared_string_spelling(folder: Path, spelling: str, text: str, uses: int, *, sst_comment: bool = False,
                           sst_name: str = "xl/sharedStrings.xml") -> Path:
    """A sheet of ``uses`` cells showing one shared string ``text``, written in one of
    the ``SPELLINGS`` (a prefix, spaces, quotes, a formula before the value); the shared
    strings optionally led by a comment holding a short decoy item, or stored under
    another name (case, folder slash)."""
    from xml.sax.saxutils import escape
    prefix = spelling == "prefixed"
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    decoy = "<!-- <si><t>x</t></si> -->" if sst_comment else ""
    if prefix:
        sst = f'<x:sst xmlns:x="{ns}" count="{uses}" uniqueCount="1">{decoy}<x:si><x:t>{escape(text)}</x:t></x:si></x:sst>'
    else:
        sst = f'<sst xmlns="{ns}" count="{uses}" uniqueCount="1">{decoy}<si><t>{escape(text)}</t></si></sst>'
    cells = "".join(f'<{"x:" if prefix else ""}row r="{r}">{SPELLINGS[spelling].format(r=r)}</{"x:" if prefix else ""}row>'
                    for r in range(1, uses + 1))
    root, data = ("x:worksheet", "x:sheetData") if prefix else ("worksheet", "sheetData")
    xmlns = f'xmlns:x="{ns}"' if prefix else f'xmlns="{ns}"'
    sheet = f'<?xml version="1.0" encoding="UTF-8"?><{root} {xmlns}><{data}>{cells}</{data}></{root}>'
    edit = {"xl/sharedStrings.xml": None, sst_name: lambda _: ('<?xml version="1.0" encoding="UTF-8"?>' + sst).encode(),
            "xl/worksheets/sheet1.xml": lambda _: sheet.encode()}
    return _rewrite(plain(folder), folder / f"sst_{spelling}_{len(text)}_{uses}.xlsx", edit)


def shared_string_bomb(folder: Path, megabytes: int = 2, uses: int = 60_000) -> Path:
    """One string of ``megabytes`` MB used by ``uses`` cells: 2 MB × 60,000 asks for 120 GB."""
    return shared_strings(folder, ["A" * (megabytes << 20)], [uses], "sst_bomb.xlsx")


def entity_expansion(folder: Path) -> Path:
    """'Billion laughs': nested entities in the shared strings that would expand to
    3 GB of text in a parser that expands them."""
    entities = '<!ENTITY lol0 "lolololololololololol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 9))

    def edit(data: bytes) -> bytes:
        text = data.decode()
        head, rest = text.split("?>", 1) if text.startswith("<?xml") else ("", text)
        prefix = head + "?>" if head else ""
        rest = rest.replace("<t>", "<t>&lol8;", 1)
        return (prefix + f"<!DOCTYPE sst [{entities}]>" + rest).encode()

    return _rewrite(plain(folder), folder / "laughs.xlsx", {"xl/sharedStrings.xml": edit})


def huge_dimension(folder: Path) -> Path:
    """Declares A1:XFD1048576 and really has a cell there: a parser that allocates the
    whole rectangle asks for half a terabyte."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "案件量"
    for row in case_rows(["110/07", "第一課", "線上申辦", 3]):
        ws.append(row)
    ws["XFD1048576"] = 1
    path = folder / "huge.xlsx"
    wb.save(path)
    return _rewrite(path, folder / "huge_dim.xlsx", {"xl/worksheets/sheet1.xml": lambda d: re.sub(
        rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:XFD1048576"/>', d)})


def encrypted(folder: Path) -> Path:
    target = folder / "locked.xlsx"
    with open(plain(folder), "rb") as src, open(target, "wb") as dst:
        msoffcrypto.OfficeFile(src).encrypt("密碼", dst)
    return target


def renamed_binary(folder: Path) -> Path:
    path = folder / "program.xlsx"
    path.write_bytes(b"\x7fELF" + bytes(range(256)) * 64)
    return path


def truncated(folder: Path) -> Path:
    full = write_xlsx(folder / "full.xlsx", {"s": case_rows(*(["110/07", "第一課", f"類{i}", i] for i in range(400)))})
    path = folder / "truncated.xlsx"
    path.write_bytes(full.read_bytes()[: full.stat().st_size // 2])
    return path


def macro(folder: Path) -> Path:
    path = folder / "macro.xlsm"
    shutil.copy(plain(folder), path)
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 vba")
    return path


def empty_workbook(folder: Path) -> Path:
    return write_xlsx(folder / "empty.xlsx", {"工作表1": []})


def header_only(folder: Path) -> Path:
    return write_xlsx(folder / "header.xlsx", {"案件量": case_rows()})


def many_errors(folder: Path) -> Path:
    return write_xlsx(folder / "errors.xlsx",
                      {"案件量": case_rows(*(["110/07", "第一課", f"類{i}", "很多"] for i in range(10_000)))})


def wide_csv(folder: Path, commas: int = 100_000) -> Path:
    """One header line and 100,000 commas (100 KB): 100,001 columns, which stalled
    the server for over a minute while the reader searched a list per column."""
    path = folder / "wide.csv"
    path.write_text("年月,單位,案件類別,件數" + "," * commas + "\n", encoding="utf-8")
    return path


def wide_sheet(folder: Path, columns: int = 2000) -> Path:
    """A case sheet whose header row runs on to column ``columns``."""
    header = ["年月", "單位", "案件類別", "件數"] + [f"欄{i}" for i in range(5, columns + 1)]
    return write_xlsx(folder / "wide.xlsx", {"寬表": [header, ["110/07", "第一課", "線上申辦", 3]]})


ALL = {"zip bomb": zip_bomb, "entity expansion": entity_expansion, "huge dimension": huge_dimension,
       "encrypted": encrypted, "renamed binary": renamed_binary, "truncated zip": truncated, "xlsm macro": macro,
       "empty workbook": empty_workbook, "header only": header_only, "10,000 errors": many_errors,
       "100,000-column csv": wide_csv, "2,000-column sheet": wide_sheet}


def liar(tmp_path, source) -> Path:
    """``source`` with its sheet declared (in both headers) a little larger than its
    compressed bytes: a plausible ratio, a false size."""
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    real = info.file_size.to_bytes(4, "little")
    assert data.count(real) == 2
    data = data.replace(real, (info.compress_size + 16).to_bytes(4, "little"))
    path = tmp_path / "liar.xlsx"
    path.write_bytes(bytes(data))
    return path
