"""The report as an OpenDocument text (.odt, the format Taiwan's government exchanges
documents in), with odfpy: A4, a Traditional Chinese font and language declared for
Asian text, page numbers in the footer, 示範資料 in the header while the sample is
shown, and table header rows that repeat on every page."""
from __future__ import annotations

import io

from odf import style as S
from odf import table as T
from odf import text as X
from odf.opendocument import OpenDocumentText

from ..i18n import t
from .model import Report
from .outline import Table, level, outline, unbroken

FONT = "Noto Sans CJK TC"
TEXT_WIDTH_CM = 17.0          # A4 (21 cm) less 2 cm margins


def _props(**kw) -> S.TextProperties:
    return S.TextProperties(**kw)


class _Styles:
    """Named styles, made once per document."""

    def __init__(self, doc: OpenDocumentText):
        self.doc = doc
        self._columns: dict[str, S.Style] = {}
        # Asian text Traditional Chinese (in the English report too); Latin text and
        # digits English: LibreOffice breaks Latin text declared Chinese between any two
        # characters, digits included (「7|3 具」).
        base = dict(fontname=FONT, fontnameasian=FONT, fontnamecomplex=FONT, language="en", country="US",
                    languageasian="zh", countryasian="TW")
        default = S.DefaultStyle(family="paragraph")
        default.addElement(_props(fontsize="11pt", fontsizeasian="11pt", **base))
        default.addElement(S.ParagraphProperties(margintop="0cm", marginbottom="0.1cm", lineheight="130%"))
        doc.styles.addElement(default)
        doc.styles.addElement(S.Style(name="Standard", family="paragraph"))
        self.body = self._para("Text_20_body", "Text body")
        self.title = self._para("Title", "Title", text=dict(fontsize="15pt", fontsizeasian="15pt", fontweight="bold",
                                                           fontweightasian="bold"),
                                para=dict(textalign="center", marginbottom="0.3cm", keepwithnext="always"))
        self.heading = {
            1: self.title,
            2: self._para("Heading_20_2", "Heading 2", text=dict(fontsize="14pt", fontsizeasian="14pt", fontweight="bold",
                                                                 fontweightasian="bold"),
                          para=dict(margintop="0.35cm", marginbottom="0.15cm", keepwithnext="always")),
            3: self._para("Heading_20_3", "Heading 3", text=dict(fontsize="12.5pt", fontsizeasian="12.5pt",
                                                                 fontweight="bold", fontweightasian="bold"),
                          para=dict(margintop="0.3cm", marginbottom="0.1cm", keepwithnext="always")),
        }
        self.strong = self._para("Strong_20_paragraph", "Strong paragraph",
                                 text=dict(fontweight="bold", fontweightasian="bold"))
        self.indent = {n: self._para(f"Indent_{n}", f"Indent {n}", para=dict(marginleft=f"{0.75 * n + 0.25:.2f}cm"))
                       for n in (1, 2, 3)}
        self.notice = self._para("Notice", "Notice", text=dict(fontweight="bold", fontweightasian="bold", color="#8a1c1c"),
                                 para=dict(border="1.5pt solid #8a1c1c", padding="0.12cm", marginbottom="0.2cm"))
        self.missing = self._para("Missing", "Missing data", text=dict(color="#5c3d00"),
                                  para=dict(borderleft="3pt solid #8a5a00", padding="0.08cm"))
        self.caption = self._para("Table_20_caption", "Table caption", text=dict(fontweight="bold", fontweightasian="bold",
                                                                               fontsize="10pt", fontsizeasian="10pt"),
                                  para=dict(margintop="0.15cm", keepwithnext="always"))
        self.cell_text = self._para("Table_20_Contents", "Table Contents",
                                    text=dict(fontsize="9.5pt", fontsizeasian="9.5pt"), para=dict(marginbottom="0cm"))
        self.cell_points = {n: self._para(f"Table_20_Point_{n}", f"Table Point {n}", parent="Table_20_Contents",
                                          para=dict(marginleft=f"{0.375 * n:.3f}cm")) for n in (1, 2, 3)}
        self.cell_number = self._para("Table_20_Number", "Table Number", parent="Table_20_Contents",
                                      para=dict(textalign="end"))
        self.cell_head = self._para("Table_20_Heading", "Table Heading", parent="Table_20_Contents",
                                    text=dict(fontweight="bold", fontweightasian="bold"), para=dict(textalign="center"))
        self.cell_rowhead = self._para("Table_20_Row_20_Heading", "Table Row Heading", parent="Table_20_Contents",
                                       text=dict(fontweight="bold", fontweightasian="bold"))
        self.footer = self._para("Footer", "Footer", text=dict(fontsize="9pt", fontsizeasian="9pt"),
                                 para=dict(textalign="center"))
        self.header = self._para("Header", "Header", text=dict(fontsize="9pt", fontsizeasian="9pt", fontweight="bold",
                                                               fontweightasian="bold", color="#8a1c1c"),
                                 para=dict(textalign="end"))

        self.table = self._auto("Report_Table", "table", S.TableProperties(width=f"{TEXT_WIDTH_CM}cm", align="margins",
                                                                           margintop="0.1cm", marginbottom="0.3cm"))
        border = "0.5pt solid #555555"
        self.cell = self._auto("Cell", "table-cell", S.TableCellProperties(border=border, padding="0.08cm"))
        self.head_cell = self._auto("Head_Cell", "table-cell", S.TableCellProperties(border=border, padding="0.08cm",
                                                                                    backgroundcolor="#e8eef5"))
        self.keep_row = self._auto("Keep_Row", "table-row", S.TableRowProperties(keeptogether="always"))

    def _para(self, name, display, parent="Standard", text=None, para=None) -> S.Style:
        style = S.Style(name=name, displayname=display, family="paragraph", parentstylename=parent)
        if para:
            style.addElement(S.ParagraphProperties(**para))
        if text:
            style.addElement(S.TextProperties(**text))
        self.doc.styles.addElement(style)
        return style

    def _auto(self, name, family, props) -> S.Style:
        style = S.Style(name=name, family=family)
        style.addElement(props)
        self.doc.automaticstyles.addElement(style)
        return style

    def column(self, width_cm: float) -> S.Style:
        key = f"{width_cm:.2f}"
        if key not in self._columns:
            self._columns[key] = self._auto(f"Col_{key.replace('.', '_')}", "table-column",
                                            S.TableColumnProperties(columnwidth=f"{width_cm:.2f}cm"))
        return self._columns[key]


def _page(doc: OpenDocumentText, st: _Styles, r: Report):
    layout = S.PageLayout(name="A4_Portrait")
    layout.addElement(S.PageLayoutProperties(pagewidth="21cm", pageheight="29.7cm", printorientation="portrait",
                                             margintop="1.6cm", marginbottom="1.4cm", marginleft="2cm",
                                             marginright="2cm"))
    for kind in (S.HeaderStyle, S.FooterStyle):
        box = kind()
        box.addElement(S.HeaderFooterProperties(minheight="0.5cm", margintop="0.2cm", marginbottom="0.2cm"))
        layout.addElement(box)
    doc.automaticstyles.addElement(layout)
    master = S.MasterPage(name="Standard", pagelayoutname=layout)
    if r.sample:
        header = S.Header()
        header.addElement(X.P(stylename=st.header, text=t("report.sample_mark", r.lang)))
        master.addElement(header)
    footer = S.Footer()
    line = X.P(stylename=st.footer)
    before, _, rest = t("report.page_of", r.lang).partition("{page}")
    between, _, after = rest.partition("{pages}")
    line.addText(before)
    line.addElement(X.PageNumber(selectpage="current", numformat="1", text="1"))
    line.addText(between)
    line.addElement(X.PageCount(text="1"))
    line.addText(after)
    footer.addElement(line)
    master.addElement(footer)
    doc.masterstyles.addElement(master)


def _lines(parent, text: str, style, points: dict | None = None):
    """Each line its own paragraph; a point numbered below the first line's level
    ((1) under 1.) indented, as the seed indents it."""
    lines = (text or "").split("\n")
    first = level(lines[0])
    for line in lines:
        deeper = level(line) - first if first > 0 and points else 0
        parent.addElement(X.P(stylename=points[min(deeper, 3)] if deeper > 0 else style, text=unbroken(line)))


def _table(doc, st: _Styles, table: Table, index: int):
    doc.text.addElement(X.P(stylename=st.caption, text=unbroken(table.caption)))
    total = sum(table.widths)
    tbl = T.Table(name=f"Table{index}", stylename=st.table)
    for w in table.widths:
        tbl.addElement(T.TableColumn(stylename=st.column(TEXT_WIDTH_CM * w / total)))

    def row(cells, head: bool):
        tr = T.TableRow(stylename=st.keep_row) if (table.keep_rows or head) else T.TableRow()
        for c in cells:
            if c is None:
                tr.addElement(T.CoveredTableCell())
                continue
            spans = {}
            if c.colspan > 1:
                spans["numbercolumnsspanned"] = c.colspan
            if c.rowspan > 1:
                spans["numberrowsspanned"] = c.rowspan
            cell = T.TableCell(stylename=st.head_cell if head else st.cell, valuetype="string", **spans)
            style = st.cell_head if head else st.cell_rowhead if c.header else st.cell_number if c.numeric \
                else st.cell_text
            _lines(cell, c.text, style, None if head else st.cell_points)
            tr.addElement(cell)
        return tr

    header = T.TableHeaderRows()        # repeated at the top of every page the table runs onto
    for cells in table.head:
        header.addElement(row(cells, True))
    tbl.addElement(header)
    for cells in table.body:
        tbl.addElement(row(cells, False))
    doc.text.addElement(tbl)


def to_odt(r: Report) -> bytes:
    doc = OpenDocumentText()
    doc.fontfacedecls.addElement(S.FontFace(name=FONT, fontfamily=f"'{FONT}'", fontfamilygeneric="swiss",
                                            fontpitch="variable"))
    st = _Styles(doc)
    _page(doc, st, r)
    doc.meta.addElement(_meta_title(r.title))
    tables = 0
    for block in outline(r):
        if block.kind == "title":
            doc.text.addElement(X.H(outlinelevel=1, stylename=st.title, text=unbroken(block.text)))
        elif block.kind == "heading":
            doc.text.addElement(X.H(outlinelevel=block.level, stylename=st.heading[block.level],
                                    text=unbroken(block.text)))
        elif block.kind == "notice":
            doc.text.addElement(X.P(stylename=st.notice if block.strong else st.missing, text=unbroken(block.text)))
        elif block.kind in ("para", "chart"):     # a chart is said in words here
            style = st.strong if block.strong else st.indent.get(block.level, st.body)
            doc.text.addElement(X.P(stylename=style, text=unbroken(block.text)))
        elif block.kind == "table":
            tables += 1
            _table(doc, st, block.table, tables)
    buf = io.BytesIO()
    doc.write(buf)
    return buf.getvalue()


def _meta_title(title: str):
    from odf.dc import Title
    return Title(text=title)
