"""Hand-written .ods files: a content.xml as given, zipped as LibreOffice zips it (or
with content.xml stored), so tests control every row and cell element, repeats
included. Nothing binary in the repository."""
from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

MANIFEST = (b'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            b'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            b'<manifest:file-entry manifest:full-path="/" '
            b'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            b'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            b'</manifest:manifest>')
HEAD = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" '
        'office:version="1.2"><office:body><office:spreadsheet>')
TAIL = "</office:spreadsheet></office:body></office:document-content>"


def text(value: str, repeat: int = 1) -> str:
    """A cell of text, as LibreOffice writes it."""
    rep = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return (f'<table:table-cell office:value-type="string" calcext:value-type="string"{rep}>'
            f"<text:p>{escape(value)}</text:p></table:table-cell>")


def number(value: float, repeat: int = 1) -> str:
    rep = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return (f'<table:table-cell office:value-type="float" office:value="{value}" calcext:value-type="float"{rep}>'
            f"<text:p>{value}</text:p></table:table-cell>")


def empty(repeat: int = 1) -> str:
    rep = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return f'<table:table-cell table:style-name="ce1"{rep}/>'


def row(*cells: str, repeat: int = 1) -> str:
    rep = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f'<table:table-row table:style-name="ro1"{rep}>{"".join(cells)}</table:table-row>'


def table(name: str, *rows: str) -> str:
    return f'<table:table table:name="{escape(name)}">{"".join(rows)}</table:table>'


def edge(used_rows: int, used_columns: int) -> list[str]:
    """What LibreOffice writes after the data: the rest of each row padded to the
    sheet's 16,384 columns, then the empty rows to row 1,048,576."""
    return [row(empty(16384), repeat=1048576 - used_rows)]


def ods(path: Path, *tables: str, content: str | None = None, stored: bool = False) -> Path:
    body = content if content is not None else HEAD + "".join(tables) + TAIL
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), b"application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("META-INF/manifest.xml", MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("content.xml", body.encode("utf-8"),
                    compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
    return path


def case_sheet(rows: int = 3, padded: bool = True) -> str:
    """An honest 案件量 sheet as LibreOffice saves it: header, ``rows`` data rows, each
    padded with empty cells to the sheet's edge, then the empty rows below."""
    header = row(text("年月"), text("單位"), text("案件類別"), text("件數"), *([empty(16380)] if padded else []))
    data = [row(text(f"110/{m % 12 + 1:02d}"), text("第一課"), text(f"類別{m}"), number(m + 1),
                *([empty(16380)] if padded else [])) for m in range(rows)]
    return table("案件量", header, *data, *(edge(rows + 1, 4) if padded else []))
