"""The report as a Word document (.docx) for editing, with python-docx: A4, a
Traditional Chinese East Asian font and language declared (python-docx sets only the
Latin font, so ``w:rFonts/@w:eastAsia`` and ``w:lang/@w:eastAsia`` are written here),
a PAGE / NUMPAGES field in the footer, 示範資料 in the header while the sample is
shown, header rows repeated on every page (``w:tblHeader``) and a caption on every
table (``w:tblCaption``, which screen readers announce)."""
from __future__ import annotations

import io
import re

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from ..i18n import t
from .model import Report
from .outline import Table, level, outline, unbroken

FONT = "Noto Sans CJK TC"
TEXT_WIDTH_MM = 170
INDENT_MM = 7.5


def _fonts(rpr, size: float | None = None):
    """Declare the font for Latin and East Asian text, and the languages: Traditional
    Chinese for East Asian text (so Chinese in the English report is marked Chinese too),
    English for Latin text and digits (Word and LibreOffice break Latin text declared
    Chinese between any two characters, digits included)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")          # Latin text (digits, English): not zh, or numbers break inside
    lang.set(qn("w:eastAsia"), "zh-TW")     # Chinese text, in either language's report


def _style_fonts(doc, name: str, size: float, bold: bool = False, color: str | None = None):
    style = doc.styles[name]
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.color.rgb = RGBColor.from_string(color or "1A1A1A")
    _fonts(style.element.get_or_add_rPr())
    return style


def _field(paragraph, instruction: str):
    """A simple field (PAGE, NUMPAGES) that Word and LibreOffice fill in when they lay out the page."""
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)


def _page(doc, r: Report):
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(16), Mm(14)
    section.left_margin = section.right_margin = Mm(20)
    section.header_distance = section.footer_distance = Mm(8)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, _, rest = t("report.page_of", r.lang).partition("{page}")
    between, _, after = rest.partition("{pages}")
    footer.add_run(before)
    _field(footer, "PAGE")
    footer.add_run(between)
    _field(footer, "NUMPAGES")
    footer.add_run(after)
    if r.sample:
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = header.add_run(t("report.sample_mark", r.lang))
        run.bold = True
        run.font.color.rgb = RGBColor.from_string("8A1C1C")


def _cell_shading(cell, fill: str):
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _row_flag(row, tag: str):
    """w:tblHeader (repeat this row on every page) or w:cantSplit (keep the row on one page)."""
    trpr = row._tr.get_or_add_trPr()
    element = OxmlElement(tag)
    element.set(qn("w:val"), "true")
    trpr.append(element)


def _caption(table, text: str):
    tblpr = table._tbl.tblPr
    caption = OxmlElement("w:tblCaption")
    caption.set(qn("w:val"), text[:255])
    tblpr.append(caption)


def _element(tag: str, parent=None, **attrs):
    """A WordprocessingML element, ``w:``-prefixed attributes, appended to ``parent``."""
    attrib = {qn(f"w:{name}"): value for name, value in attrs.items()}
    return OxmlElement(tag, attrib) if parent is None else etree.SubElement(parent, qn(tag), attrib)


_JC = {WD_ALIGN_PARAGRAPH.CENTER: "center", WD_ALIGN_PARAGRAPH.RIGHT: "right"}


def _cell_paragraph(line: str, indent_mm: float, bold: bool, align, size: float):
    """One line of a cell as a ``w:p``, its children in the schema's order. Written as
    XML rather than through python-docx's setters, which look for each child's place
    one by one: the report's 400 cells took three quarters of its render."""
    p = _element("w:p")
    ppr = _element("w:pPr", p)
    _element("w:spacing", ppr, after="0")
    if indent_mm:
        _element("w:ind", ppr, left=str(Mm(indent_mm).twips))
    if align is not None:
        _element("w:jc", ppr, val=_JC[align])
    run = _element("w:r", p)
    rpr = _element("w:rPr", run)
    if bold:
        _element("w:b", rpr)
    _element("w:sz", rpr, val=str(round(size * 2)))
    # as python-docx writes a run's text: a tab is w:tab, a carriage return w:br, and
    # an empty line no w:t at all
    for piece in re.split(r"([\t\r])", unbroken(line)):
        if piece == "\t":
            _element("w:tab", run)
        elif piece == "\r":
            _element("w:br", run)
        elif piece:
            text = _element("w:t", run)
            text.text = piece
            if piece != piece.strip():
                text.set(qn("xml:space"), "preserve")
    return p


def _fill(cell, text: str, *, bold=False, align=None, size=9.5):
    """A cell's text, each line its own paragraph; a point numbered below the first
    line's level ((1) under 1.) indented as the seed indents it. The cell is empty
    before (a new cell, or the top-left cell of a merge of empty cells)."""
    lines = (text or "").split("\n")
    tc = cell._tc
    for p in tc.findall(qn("w:p")):
        tc.remove(p)
    first = level(lines[0])
    for line in lines:
        indent = INDENT_MM / 2 * (level(line) - first) if level(line) > first > 0 else 0
        tc.append(_cell_paragraph(line, indent, bold, align, size))


def _styled(doc, text: str, style_id: str):
    """A paragraph in a style of python-docx's template, named by its id: python-docx
    would look the style up by name among its 160 on each paragraph."""
    p = doc.add_paragraph(text)
    p._p.style = style_id
    return p


def _table(doc, table: Table):
    caption = _styled(doc, unbroken(table.caption), "Caption")
    caption.paragraph_format.keep_with_next = True
    rows = len(table.head) + len(table.body)
    cols = len(table.widths)
    out = doc.add_table(rows=rows, cols=cols)
    out._tbl.tblStyle_val = "TableGrid"        # the template's "Table Grid", by id (no lookup by name)
    out.alignment = WD_TABLE_ALIGNMENT.CENTER
    out.autofit = False
    _caption(out, table.caption)
    total = sum(table.widths)
    widths = [Mm(TEXT_WIDTH_MM * w / total) for w in table.widths]
    grid = [*table.head, *table.body]
    # Every grid cell, read once before any merge: Table.cell() walks the whole table on
    # each call, which made a 60-row table take seconds. Only cells no merge covers are
    # looked up below, and a merge keeps the element of its top-left cell.
    grid_cells = out._cells
    # Widths first (grid and cells): a merge sums the widths it spans. Every new cell
    # holds a w:tcW in twips already; its value is set in place.
    for j, col in enumerate(out._tbl.tblGrid.iterchildren(qn("w:gridCol"))):
        col.set(qn("w:w"), str(widths[j].twips))
    for i in range(rows):
        for j in range(cols):
            tcw = grid_cells[i * cols + j]._tc.tcPr.find(qn("w:tcW"))
            tcw.set(qn("w:type"), "dxa")
            tcw.set(qn("w:w"), str(widths[j].twips))
    for i, cells in enumerate(grid):
        head = i < len(table.head)
        row = out.rows[i]
        if head or table.keep_rows:            # w:cantSplit comes before w:tblHeader in w:trPr
            _row_flag(row, "w:cantSplit")
        if head:
            _row_flag(row, "w:tblHeader")
        for j, c in enumerate(cells):
            if c is None:
                continue
            target = grid_cells[i * cols + j]
            if c.colspan > 1 or c.rowspan > 1:
                target = target.merge(grid_cells[(i + c.rowspan - 1) * cols + j + c.colspan - 1])
            _fill(target, c.text, bold=head or c.header,
                  align=WD_ALIGN_PARAGRAPH.CENTER if head else WD_ALIGN_PARAGRAPH.RIGHT if c.numeric else None)
            if head:
                _cell_shading(target, "E8EEF5")
    doc.add_paragraph().paragraph_format.space_after = Pt(2)


def to_docx(r: Report) -> bytes:
    doc = Document()
    doc.core_properties.title = r.title
    doc.core_properties.language = "zh-TW" if r.lang == "zh" else "en-US"
    _fonts(doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")))
    _style_fonts(doc, "Normal", 11)
    doc.styles["Normal"].paragraph_format.space_after = Pt(3)
    _style_fonts(doc, "Title", 15, bold=True)
    doc.styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _style_fonts(doc, "Heading 1", 15, bold=True)
    _style_fonts(doc, "Heading 2", 14, bold=True)
    _style_fonts(doc, "Heading 3", 12.5, bold=True)
    _style_fonts(doc, "Caption", 10, bold=True)
    for name in ("Heading 1", "Heading 2", "Heading 3", "Caption"):
        doc.styles[name].paragraph_format.keep_with_next = True
    doc.styles["Caption"].font.italic = False
    _page(doc, r)
    for block in outline(r):
        if block.kind == "title":
            p = _styled(doc, unbroken(block.text), "Heading1")
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif block.kind == "heading":
            _styled(doc, unbroken(block.text), f"Heading{block.level}")
        elif block.kind == "notice":
            p = doc.add_paragraph()
            run = p.add_run(unbroken(block.text))
            run.bold = block.strong
            run.font.color.rgb = RGBColor.from_string("8A1C1C" if block.strong else "5C3D00")
        elif block.kind in ("para", "chart"):      # a chart is said in words here
            p = doc.add_paragraph()
            run = p.add_run(unbroken(block.text))
            run.bold = block.strong or None
            if block.level:
                p.paragraph_format.left_indent = Mm(INDENT_MM * block.level + 2.5)
        elif block.kind == "table":
            _table(doc, block.table)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
