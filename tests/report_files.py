"""Each report format opened with its own library, as text and as tables, so tests can
look for a figure in the row that should hold it (the strategies' prose repeats many
of the seed's numbers, so finding a number anywhere in a file proves little)."""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser

import openpyxl
from docx import Document
from docx.table import Table as DocxTable
from lxml import etree

UNPRINTABLE = re.compile(r"\b(nan|NaN|NAN|None|inf|-inf|Inf|Infinity|NaT|<NA>)\b")


@dataclass
class Tables:
    text: str                              # everything the reader sees, in order
    first_page: str                        # what comes before the first section heading (壹)
    tables: list[tuple[str, list[list[str]]]]   # (caption, rows of cell text)

    def row(self, caption_part: str, first_cell: str) -> list[str]:
        """The row whose first cell is ``first_cell`` in the first table whose caption holds ``caption_part``."""
        for caption, rows in self.tables:
            if caption_part in caption:
                for row in rows:
                    if row and row[0].strip() == first_cell:
                        return row
        raise KeyError((caption_part, first_cell))

    def captions(self) -> list[str]:
        return [c for c, _ in self.tables]


def plain(text: str) -> str:
    """Text as a reader sees it: a no-break space is a space, a word joiner or
    zero-width space nothing (the
    documents bind numbers to their units with them; tests of that read the XML)."""
    return text.replace("\u00a0", " ").replace("\u2060", "").replace("\u200b", "")


def _first_page(text: str) -> str:
    return text.split("壹、", 1)[0]


# ------------------------------------------------------------------ .docx

def read_docx(data: bytes) -> Tables:
    doc = Document(io.BytesIO(data))
    parts, tables = [], []
    body = doc.element.body
    for child in body.iterchildren():
        tag = child.tag.split("}")[1]
        if tag == "p":
            parts.append(plain("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t"))))
        elif tag == "tbl":
            table = DocxTable(child, doc._body)
            caption = child.find(".//{*}tblCaption")
            rows = []
            for tr in table.rows:
                cells, seen = [], set()
                for cell in tr.cells:            # a merged cell is listed once per column it spans
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    cells.append(plain(cell.text))
                rows.append(cells)
            tables.append((caption.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val")
                           if caption is not None else "", rows))
            parts += ["\t".join(r) for r in rows]
    header = plain("\n".join(p.text for p in doc.sections[0].header.paragraphs))
    text = "\n".join(parts)
    return Tables(header + "\n" + text, header + "\n" + _first_page(text), tables)


# ------------------------------------------------------------------ .odt

# An OpenDocument file is read with lxml, not with odfpy, the library that writes the
# report: a reader of its own sees what any office suite would, and is ten times faster.
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def _xml(data: bytes, part: str):
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(part))


def odf_text(element) -> str:
    """An element's text as a reader sees it: text:s as its spaces, text:tab a tab,
    text:line-break a new line, spans and links by their text."""
    out = [element.text or ""]
    for child in element:
        name = etree.QName(child)
        if name.namespace == TEXT and name.localname == "s":
            out.append(" " * int(child.get(f"{{{TEXT}}}c", "1")))
        elif name.namespace == TEXT and name.localname == "tab":
            out.append("\t")
        elif name.namespace == TEXT and name.localname == "line-break":
            out.append("\n")
        else:
            out.append(odf_text(child))
        out.append(child.tail or "")
    return "".join(out)


def _cells(row):
    return [c for c in row if c.tag == f"{{{TABLE}}}table-cell"]


def read_odt(data: bytes) -> Tables:
    body = _xml(data, "content.xml").find(f"{{{OFFICE}}}body/{{{OFFICE}}}text")
    parts, tables, last_paragraph = [], [], ""
    for node in body:
        if node.tag in (f"{{{TEXT}}}p", f"{{{TEXT}}}h"):
            last_paragraph = plain(odf_text(node))
            parts.append(last_paragraph)
        elif node.tag == f"{{{TABLE}}}table":
            rows = []
            for tr in node.iter(f"{{{TABLE}}}table-row"):
                rows.append(["\n".join(plain(odf_text(p)) for p in tc.iter(f"{{{TEXT}}}p")) for tc in _cells(tr)])
            tables.append((last_paragraph, rows))        # the caption is the paragraph before
            parts += ["\t".join(r) for r in rows]
    masters = _xml(data, "styles.xml").find(f"{{{OFFICE}}}master-styles")
    header = "\n".join(odf_text(p) for p in masters.iter(f"{{{TEXT}}}p")) if masters is not None else ""
    text = "\n".join(parts)
    return Tables(header + "\n" + text, header + "\n" + _first_page(text), tables)


# ------------------------------------------------------------------ .html

class _HTML(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tables: list[tuple[str, list[list[str]]]] = []
        self.stack: list[str] = []
        self.cell: list[str] | None = None
        self.caption: list[str] | None = None
        self.caption_text = ""
        self.rows: list[list[str]] = []
        self.row: list[str] | None = None
        self.headings: list[tuple[int, str]] = []
        self._heading: list[str] | None = None
        self.attrs: list[tuple[str, dict]] = []
        self.in_style = False

    def handle_starttag(self, tag, attrs):
        self.attrs.append((tag, dict(attrs)))
        if tag == "style":
            self.in_style = True
        if tag == "table":
            self.rows, self.caption, self.caption_text = [], None, ""
        elif tag == "caption":
            self.caption = []
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self.cell = []
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading = []

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False
        if tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append("".join(self.cell))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.rows.append(self.row)
            self.row = None
        elif tag == "caption" and self.caption is not None:
            self.caption_text, self.caption = "".join(self.caption), None
        elif tag == "table":
            self.tables.append((self.caption_text, self.rows))
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6") and self._heading is not None:
            self.headings.append((int(tag[1]), "".join(self._heading)))
            self._heading = None
        if tag in ("p", "tr", "h1", "h2", "h3", "caption", "figcaption", "title", "desc"):
            self.parts.append("\n")

    def handle_data(self, data):
        if self.in_style:
            return
        self.parts.append(data)
        for target in (self.cell, self.caption, self._heading):
            if target is not None:
                target.append(data)


def parse_html(page: str) -> _HTML:
    parser = _HTML()
    parser.feed(page)
    return parser


def read_html(data: bytes) -> Tables:
    parsed = parse_html(data.decode("utf-8"))
    text = "".join(parsed.parts)
    return Tables(text, _first_page(text), parsed.tables)


# ------------------------------------------------------------------ .xlsx and .ods

def read_xlsx(data: bytes) -> dict[str, list[list]]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def read_ods(data: bytes) -> dict[str, list[list]]:
    """Cell values as an ODS reader sees them: floats for number cells, text for the rest."""
    out = {}
    spreadsheet = _xml(data, "content.xml").find(f"{{{OFFICE}}}body/{{{OFFICE}}}spreadsheet")
    for table in spreadsheet.iter(f"{{{TABLE}}}table"):
        rows = []
        for tr in table.iter(f"{{{TABLE}}}table-row"):
            row = []
            for tc in _cells(tr):
                if tc.get(f"{{{OFFICE}}}value-type") in ("float", "percentage"):
                    row.append(float(tc.get(f"{{{OFFICE}}}value")))
                else:
                    texts = [odf_text(p) for p in tc.iter(f"{{{TEXT}}}p")]
                    row.append("\n".join(texts) if texts else None)
            rows.append(row)
        out[table.get(f"{{{TABLE}}}name")] = rows
    return out


def sheet_text(sheets: dict[str, list[list]]) -> str:
    return "\n".join("\t".join("" if v is None else str(v) for v in row) for rows in sheets.values() for row in rows)


def sheet_row(rows: list[list], first: str) -> list:
    return next(r for r in rows if r and r[0] == first)


def read(fmt: str, data: bytes) -> str:
    """All the text a reader of ``fmt`` sees."""
    if fmt == "docx":
        return read_docx(data).text
    if fmt == "odt":
        return read_odt(data).text
    if fmt == "html":
        return read_html(data).text
    return sheet_text(read_xlsx(data) if fmt == "xlsx" else read_ods(data))


def pdf_pages(path) -> list[str]:
    """Each page's text, NFKC-normalised (PDF fonts map some CJK to Kangxi radicals)."""
    from pypdf import PdfReader
    return [unicodedata.normalize("NFKC", page.extract_text() or "") for page in PdfReader(str(path)).pages]


def zip_names(data: bytes) -> list[str]:
    return zipfile.ZipFile(io.BytesIO(data)).namelist()
