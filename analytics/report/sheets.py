"""The report's figures as a workbook (.xlsx or .ods): a summary sheet, the case
volumes, and one sheet per dimension with its strategies and figures. What goes on
each sheet is decided here; how a workbook is written — number cells with their
formats, text never a formula, bold headers, fitted and wrapped columns, A4 pages —
is export.write_sheets', the one writer for downloads, templates and this report."""
from __future__ import annotations

from .. import export
from ..export import COUNT, SHARE, Column, Lines, Number
from ..i18n import t
from .model import Figure, Report, finite
from .outline import (DASH, chinese_number, clean, dimension_heading, dimension_scoreline, met_text, missing_lines,
                      numbered, sample_notice, survey_note, verdict_text)

SCORE = Number(1, grouping=True)


def _points(lang: str) -> Number:
    """A change of a share, in percentage points."""
    return Number(1, grouping=False, suffix=" 個百分點" if lang == "zh" else " pp")


def _format(kind: str, value) -> Number:
    """A figure's number format by its kind (a whole score shows without decimals)."""
    if kind == "share":
        return SHARE
    if kind == "score" and not float(value).is_integer():
        return SCORE
    return COUNT


def _table(headers: list[str], rows: list[list], wrap: tuple[int, ...] = ()) -> list[Column]:
    """Columns from rows of cells: text, or (number, Number) pairs; a missing number is DASH."""
    columns = []
    for i, header in enumerate(headers):
        values, formats = [], []
        for row in rows:
            cell = row[i]
            if isinstance(cell, tuple):
                number = finite(cell[0])
                values.append(DASH if number is None else number)
                formats.append(None if number is None else cell[1])
            else:
                values.append(clean(cell))
                formats.append(None)
        columns.append(export.column(header, values, formats, wrap=i in wrap))
    return columns


def _figures(figures: list[Figure], lang: str) -> list[Column]:
    headers = [t(k, lang) for k in ("report.col.figure", "report.col.period", "report.col.now", "report.col.before",
                                    "report.col.change", "report.col.change_pct", "report.col.verdict",
                                    "report.col.target", "report.col.met")]
    rows = []
    for f in figures:
        def number(value):
            value = finite(value)
            return DASH if value is None else (value, _format(f.kind, value))
        change = finite(f.change)
        rows.append([f.label.strip(), f.versus(lang), number(f.now), number(f.before),
                     DASH if change is None else (change * 100, _points(lang)) if f.kind == "share" else number(change),
                     DASH if finite(f.change_pct) is None else (f.change_pct, SHARE), verdict_text(f, lang) or DASH,
                     number(f.target) if f.target is not None else DASH, met_text(f, lang)])
    return _table(headers, rows)


def _intro(r: Report, title: str) -> Lines:
    return Lines((title, sample_notice(r)) if r.sample else (title,), bold=True)


def sheets(r: Report) -> list[tuple[str, list]]:
    """(sheet name, blocks) for export.write_sheets."""
    lang = r.lang
    summary: list = [_intro(r, r.title)]
    if missing_lines(r):
        summary.append(Lines(tuple(missing_lines(r))))
    if r.figures:
        summary.append(_figures(r.figures, lang))
    if survey_note(r):
        summary.append(Lines((survey_note(r),)))
    summary.append(Lines((t("report.legend", lang),)))
    out = [(t("report.sheet.summary", lang), summary)]

    cases = [_intro(r, t("report.cases_caption", lang, versus=r.case_period.versus(r.case_period.before(), lang)))]
    rows = [[c.case_type, c.measure or DASH, (c.now, COUNT), (c.before, COUNT), (c.change, COUNT),
             (c.change_pct, SHARE)] for c in r.cases]
    cases.append(_table([t(k, lang) for k in ("col.case_type", "report.col.measure", "report.col.now",
                                              "report.col.before", "report.col.change", "report.col.change_pct")],
                        rows))
    out.append((t("report.sheet.cases", lang), cases))

    for dim in r.dimensions:
        blocks: list = [Lines((dimension_heading(dim, lang),), bold=True)]
        if dimension_scoreline(dim, r):
            blocks.append(Lines((dimension_scoreline(dim, r),)))
        rows = []
        for i, item in enumerate(dim.items, start=1):
            for j, s in enumerate(item.strategies, start=1):
                rows.append([numbered(item.name, f"（{chinese_number(i)}）") if item.name else "",
                             numbered(s.strategy, f"{j}."), s.units, numbered(s.results, f"{j}.") if s.results else DASH])
        blocks.append(_table([t(k, lang) for k in ("col.item", "report.col.strategy", "report.col.units",
                                                   "report.col.results")], rows, wrap=(1, 2, 3)))
        if dim.figures:
            blocks.append(_figures(dim.figures, lang))
        out.append((dim.name, blocks))
    return out


def to_xlsx(r: Report) -> bytes:
    return export.write_sheets(sheets(r), "xlsx")


def to_ods(r: Report) -> bytes:
    return export.write_sheets(sheets(r), "ods")
