"""The report's figures as a workbook (.xlsx with openpyxl, .ods with odfpy): a summary
sheet, the case volumes, and one sheet per dimension with its strategies and figures.
Numbers are number cells with a number format (thousands, %, points), so they sum
and sort; text is always a text cell, never a formula; headers are bold and columns
fitted to their contents."""
from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass

from ..export import looks_like_formula
from ..i18n import t
from .model import Figure, Report, finite
from .outline import (DASH, chinese_number, clean, dimension_heading, dimension_scoreline, met_text, missing_lines,
                      numbered, sample_notice, survey_note, verdict_text)

# number formats: Excel code, and (decimals, percent, suffix) for ODF
FORMATS = {
    "count": ("#,##0", (0, False, "")),
    "score": ("#,##0.0", (1, False, "")),
    "share": ("0.0%", (1, True, "")),
    "pct": ("0.0%", (1, True, "")),
}
WRAP_WIDTH = 48          # characters (a CJK character counts two)


@dataclass
class SCell:
    value: object = None
    fmt: str | None = None      # a key of FORMATS, or "points" (a share's change, in percentage points)
    bold: bool = False
    wrap: bool = False
    title: bool = False         # a line of text across the sheet: not counted in column widths


Row = list[SCell]


def _text(value, **kw) -> SCell:
    return SCell(clean(value), **kw)


def _number(value, fmt: str) -> SCell:
    value = finite(value)
    if value is None:
        return SCell(DASH)
    return SCell(value, "count" if fmt == "score" and value.is_integer() else fmt)


def _head(keys: list[str], lang: str) -> Row:
    return [SCell(t(k, lang), bold=True) for k in keys]


def _figure_rows(figures: list[Figure], lang: str) -> list[Row]:
    rows = [_head(["report.col.figure", "report.col.period", "report.col.now", "report.col.before", "report.col.change",
                   "report.col.change_pct", "report.col.verdict", "report.col.target", "report.col.met"], lang)]
    for f in figures:
        fmt = "count" if f.kind == "count" else f.kind
        change = finite(f.change)
        rows.append([_text(f.label.strip()), _text(f.versus(lang)), _number(f.now, fmt), _number(f.before, fmt),
                     SCell(DASH) if change is None else SCell(change * 100, "points") if f.kind == "share"
                     else _number(change, fmt),
                     _number(f.change_pct, "pct"), _text(verdict_text(f, lang) or DASH),
                     _number(f.target, fmt) if f.target is not None else SCell(DASH), _text(met_text(f, lang))])
    return rows


def _intro(r: Report, title: str) -> list[Row]:
    rows = [[SCell(clean(title), bold=True, title=True)]]
    if r.sample:
        rows.append([SCell(sample_notice(r), bold=True, title=True)])
    return rows


def sheets(r: Report) -> list[tuple[str, list[Row]]]:
    lang = r.lang
    summary = _intro(r, r.title)
    summary += [[SCell(line, title=True)] for line in missing_lines(r)]
    summary.append([])
    summary += _figure_rows(r.figures, lang) if r.figures else []
    if survey_note(r):
        summary += [[], [SCell(survey_note(r), title=True)]]
    summary += [[], [SCell(t("report.legend", lang), title=True)]]
    out = [(t("report.sheet.summary", lang), summary)]

    cases = _intro(r, t("report.cases_caption", lang, versus=r.case_period.versus(r.case_period.before(), lang)))
    cases += [[], _head(["col.case_type", "report.col.measure", "report.col.now", "report.col.before",
                         "report.col.change", "report.col.change_pct"], lang)]
    for c in r.cases:
        cases.append([_text(c.case_type), _text(c.measure or DASH), _number(c.now, "count"), _number(c.before, "count"),
                      _number(c.change, "count"), _number(c.change_pct, "pct")])
    out.append((t("report.sheet.cases", lang), cases))

    for dim in r.dimensions:
        rows = _intro(r, dimension_heading(dim, lang))
        if dimension_scoreline(dim, r):
            rows.append([SCell(dimension_scoreline(dim, r), title=True)])
        rows += [[], _head(["col.item", "report.col.strategy", "report.col.units", "report.col.results"], lang)]
        for i, item in enumerate(dim.items, start=1):
            for j, s in enumerate(item.strategies, start=1):
                rows.append([_text(numbered(item.name, f"（{chinese_number(i)}）") if item.name else ""),
                             _text(numbered(s.strategy, f"{j}."), wrap=True), _text(s.units, wrap=True),
                             _text(numbered(s.results, f"{j}.") if s.results else DASH, wrap=True)])
        if dim.figures:
            rows += [[], *_figure_rows(dim.figures, lang)]
        out.append((dim.name, rows))
    return _unique_names(out)


def _unique_names(sheets_: list[tuple[str, list[Row]]]) -> list[tuple[str, list[Row]]]:
    seen, out = set(), []
    for name, rows in sheets_:
        base = "".join("_" if ch in "[]:*?/\\" else ch for ch in clean(name)).strip("'")[:31] or "Sheet"
        unique, n = base, 2
        while unique.lower() in seen:
            suffix = f" ({n})"
            unique, n = base[:31 - len(suffix)] + suffix, n + 1
        seen.add(unique.lower())
        out.append((unique, rows))
    return out


def _display_width(cell: SCell) -> int:
    if cell.value is None:
        return 0
    if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
        return len(f"{cell.value:,.1f}") + 2
    longest = max((sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
                   for line in str(cell.value).split("\n")), default=0)
    return min(longest, WRAP_WIDTH) if cell.wrap and not cell.title else longest


def _lines(cell: SCell, width: int) -> int:
    """How many lines a wrapped cell takes in a column ``width`` characters wide."""
    if not isinstance(cell.value, str):
        return 1
    total = 0
    for line in cell.value.split("\n"):
        chars = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
        total += max(1, -(-chars // max(width - 2, 1)))
    return total


def column_widths(rows: list[Row]) -> list[int]:
    """Characters per column, fitted to the widest cell (lines of text across the sheet aside)."""
    widths: list[int] = []
    for row in rows:
        for i, cell in enumerate(row):
            if cell.title:
                continue
            while len(widths) <= i:
                widths.append(6)
            widths[i] = max(widths[i], min(_display_width(cell) + 2, WRAP_WIDTH + 2))
    return widths or [10]


# ------------------------------------------------------------------ .xlsx

def to_xlsx(r: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    bold, wrap, top = Font(bold=True), Alignment(wrap_text=True, vertical="top"), Alignment(vertical="top")
    for name, rows in sheets(r):
        ws = wb.create_sheet(name)
        widths = column_widths(rows)
        for r_index, row in enumerate(rows, start=1):
            if len(row) == 1 and row[0].title and len(widths) > 1:
                # a line of text across the table: merged, wrapped, and tall enough (Excel
                # does not fit a merged row's height itself)
                ws.merge_cells(start_row=r_index, start_column=1, end_row=r_index, end_column=len(widths))
                lines = sum(-(-_display_width(SCell(line)) // max(sum(widths) - 2, 1)) or 1
                            for line in str(row[0].value).split("\n"))
                ws.row_dimensions[r_index].height = 15 * max(lines, 1) + 3
                row = [SCell(row[0].value, bold=row[0].bold, wrap=True)]
            elif any(cell.wrap for cell in row):
                ws.row_dimensions[r_index].height = 15 * max(_lines(cell, widths[i]) for i, cell in enumerate(row)) + 3
            for c_index, cell in enumerate(row, start=1):
                if cell.value is None:
                    continue
                target = ws.cell(r_index, c_index)
                target.value = cell.value
                if isinstance(cell.value, str):
                    target.data_type = "s"                   # text, never a formula
                    if looks_like_formula(cell.value):
                        target.quotePrefix = True
                elif cell.fmt:
                    target.number_format = '0.0" 個百分點"' if cell.fmt == "points" and r.lang == "zh" else \
                        '0.0" pp"' if cell.fmt == "points" else FORMATS[cell.fmt][0]
                if cell.bold:
                    target.font = bold
                target.alignment = wrap if cell.wrap else top
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ------------------------------------------------------------------ .ods

def to_ods(r: Report) -> bytes:
    from odf import number as N
    from odf import style as S
    from odf import table as T
    from odf import text as X
    from odf.opendocument import OpenDocumentSpreadsheet

    from odf.namespaces import STYLENS

    doc = OpenDocumentSpreadsheet()
    layout = S.PageLayout(name="A4_Fit")
    props = S.PageLayoutProperties(pagewidth="21cm", pageheight="29.7cm", printorientation="portrait",
                                   margintop="1.5cm", marginbottom="1.5cm", marginleft="1.5cm", marginright="1.5cm")
    props.setAttrNS(STYLENS, "scale-to-X", "1")     # every column on one page's width (odfpy has no keyword)
    props.setAttrNS(STYLENS, "scale-to-Y", "0")
    layout.addElement(props)
    doc.automaticstyles.addElement(layout)
    doc.masterstyles.addElement(S.MasterPage(name="Report", pagelayoutname=layout))
    sheet_style = S.Style(name="ta1", family="table", masterpagename="Report")
    sheet_style.addElement(S.TableProperties(display="true"))
    doc.automaticstyles.addElement(sheet_style)
    styles: dict[tuple, S.Style] = {}
    number_styles: dict[str, str] = {}
    points_suffix = " 個百分點" if r.lang == "zh" else " pp"

    def data_style(fmt: str) -> str:
        if fmt not in number_styles:
            name = f"N_{fmt}"
            decimals, percent, suffix = FORMATS[fmt][1] if fmt != "points" else (1, False, points_suffix)
            ds = N.PercentageStyle(name=name) if percent else N.NumberStyle(name=name)
            ds.addElement(N.Number(decimalplaces=decimals, minintegerdigits=1, grouping="true"))
            if percent:
                ds.addElement(N.Text(text="%"))
            elif suffix:
                ds.addElement(N.Text(text=suffix))
            doc.automaticstyles.addElement(ds)
            number_styles[fmt] = name
        return number_styles[fmt]

    def cell_style(cell: SCell) -> S.Style:
        key = (cell.fmt if not isinstance(cell.value, str) else None, cell.bold, cell.wrap)
        if key not in styles:
            attrs = {"name": f"ce{len(styles) + 1}", "family": "table-cell"}
            if key[0]:
                attrs["datastylename"] = data_style(key[0])
            style = S.Style(**attrs)
            style.addElement(S.TableCellProperties(wrapoption="wrap" if cell.wrap else "no-wrap", verticalalign="top"))
            if cell.bold:
                style.addElement(S.TextProperties(fontweight="bold", fontweightasian="bold"))
            doc.automaticstyles.addElement(style)
            styles[key] = style
        return styles[key]

    for s_index, (name, rows) in enumerate(sheets(r)):
        table = T.Table(name=name, stylename=sheet_style)
        widths = column_widths(rows)
        for c_index, width in enumerate(widths):
            col = S.Style(name=f"co{s_index}_{c_index}", family="table-column")
            col.addElement(S.TableColumnProperties(columnwidth=f"{width * 0.21:.2f}cm"))
            doc.automaticstyles.addElement(col)
            table.addElement(T.TableColumn(stylename=col))
        for row in rows:
            tr = T.TableRow()
            if len(row) == 1 and row[0].title and len(widths) > 1:
                cell = SCell(row[0].value, bold=row[0].bold, wrap=True)
                tc = T.TableCell(valuetype="string", stylename=cell_style(cell), numbercolumnsspanned=len(widths))
                for line in str(cell.value).split("\n"):
                    tc.addElement(X.P(text=line))
                tr.addElement(tc)
                for _ in range(len(widths) - 1):
                    tr.addElement(T.CoveredTableCell())
                table.addElement(tr)
                continue
            for cell in row:
                if cell.value is None:
                    tr.addElement(T.TableCell())
                    continue
                style = cell_style(cell)
                if isinstance(cell.value, str):
                    tc = T.TableCell(valuetype="string", stylename=style)
                    for line in cell.value.split("\n"):
                        tc.addElement(X.P(text=line))
                else:
                    percent = cell.fmt in ("share", "pct")
                    tc = T.TableCell(valuetype="percentage" if percent else "float", value=cell.value, stylename=style)
                    tc.addElement(X.P(text=_shown(cell, points_suffix)))
                tr.addElement(tc)
            if not row:
                tr.addElement(T.TableCell())
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    buf = io.BytesIO()
    doc.write(buf)
    return buf.getvalue()


def _shown(cell: SCell, points_suffix: str) -> str:
    """The text a cell shows (readers that do not apply number styles show this)."""
    value = cell.value
    if cell.fmt in ("share", "pct"):
        return f"{value:.1%}"
    if cell.fmt == "points":
        return f"{value:.1f}{points_suffix}"
    if cell.fmt == "count" or float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.1f}"
