"""The report's figures as a workbook (.xlsx or .ods): a summary sheet, the case
volumes, and one sheet per dimension with its strategies and figures. What goes on
each sheet is decided here; how a workbook is written — number cells with their
formats, text never a formula, bold headers, fitted and wrapped columns, A4 pages —
is export.write_sheets', the one writer for downloads, templates and this report."""
from __future__ import annotations

from dataclasses import replace

from .. import export, wording
from ..comparison import PLACES, Comparison, target_places
from ..export import COUNT, SHARE, Column, Lines, Number
from ..i18n import t
from .model import Report
from .outline import (DASH, behaviour_head, behaviour_rows, cases_caption, chinese_number, clean, dimension_heading,
                      dimension_scoreline, figure_columns, figure_head, figure_name, figure_notes, finite, whole_years,
                      missing_lines, numbered, numbered_points, table_period,
                      sample_notice, survey_note)

SCORE = Number(1, grouping=True)


def _points(lang: str) -> Number:
    """A change of a share, in percentage points."""
    return Number(1, grouping=False, suffix=" 個百分點" if lang == "zh" else " pp")


def _format(kind: str, value) -> Number:
    """A figure's number format by its kind (a whole score shows without decimals)."""
    if kind == "share":
        return SHARE
    if kind in ("score", "days") and not float(value).is_integer():
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


def _number(value, kind: str):
    value = finite(value)
    return DASH if value is None else (value, _format(kind, value))


def _shown(value, c: Comparison):
    """A figure of ``c`` as a number cell, with its target's decimals where finer."""
    cell = _number(value, c.kind)
    places = wording.places(c)
    return cell if cell == DASH or places is None else (cell[0], replace(cell[1], decimals=places))


def _goal(c: Comparison):
    """A target with the decimals it was set with (2.49, 95.25 %)."""
    places = target_places(c.target.target, c.kind)
    if places <= PLACES.get(c.kind, 1):
        return _number(c.target.target, c.kind)
    return (c.target.target, replace(_format(c.kind, 0.5), decimals=places))


def _change(c: Comparison, lang: str):
    if c.change is None:
        return DASH
    if c.kind == "share":           # in points, without the float's noise (5.000000000000004)
        return (round(c.change * 100, 10), _points(lang))
    return _number(round(c.change, 10), c.kind)


def _figure_blocks(figures: list[Comparison], lang: str) -> list:
    """One table: the period compared said once, in the headers of 本期 and 去年同期
    (a figure comparing other months says its own beside its name), only the columns
    some figure fills, then the notes."""
    columns = figure_columns(figures, lang)
    period = table_period(figures, lang)
    keys = list(columns)
    if "change" in keys and any(f.change_pct is not None for f in figures):
        keys.insert(keys.index("change") + 1, "change_pct")
    heads = {k: figure_head(k, period, lang, one_line=True, years=whole_years(figures)) for k in columns}
    heads["change_pct"] = t("report.col.change_pct", lang)
    rows = [[{"figure": figure_name(f, period, lang), "now": _shown(wording.now_figure(f), f),
              "before": _shown(f.before, f), "change": _change(f, lang),
              "change_pct": DASH if f.change_pct is None else (f.change_pct, SHARE),
              "verdict": wording.status(f, lang),
              "target": _goal(f) if f.target else DASH,
              "met": wording.judgment(f, lang)}[k] for k in keys] for f in figures]
    blocks = [_table([heads[k] for k in keys], rows)]
    notes = figure_notes(figures, lang)
    if notes:
        blocks.append(Lines(tuple(notes)))
    return blocks


def _intro(r: Report, title: str) -> Lines:
    return Lines((title, sample_notice(r)) if r.sample else (title,), bold=True)


def sheets(r: Report) -> list[tuple[str, list]]:
    """(sheet name, blocks) for export.write_sheets."""
    lang = r.lang
    summary: list = [_intro(r, r.title)]
    if missing_lines(r):
        summary.append(Lines(tuple(missing_lines(r))))
    if r.figures:
        summary += _figure_blocks(r.figures, lang)
    if survey_note(r):
        summary.append(Lines((survey_note(r),)))
    summary.append(Lines((t("report.legend", lang),)))
    out = [(t("report.sheet.summary", lang), summary)]

    cases = [_intro(r, cases_caption(r))]
    rows = [[c.name, r.measures.get(c.name, "") or DASH, _number(wording.now_figure(c), "count"),
             _number(c.before, "count"),
             _number(c.change, "count") if c.is_compared else wording.reason(c, lang),
             DASH if c.change_pct is None else (c.change_pct, SHARE)] for c in r.cases]
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
                             numbered_points(s.strategy, f"{j}."), s.units,
                             numbered_points(s.results, f"{j}.") if s.results else DASH])
        blocks.append(_table([t(k, lang) for k in ("col.item", "report.col.strategy", "report.col.units",
                                                   "report.col.results")], rows, wrap=(1, 2, 3)))
        if dim.figures:
            blocks += _figure_blocks(dim.figures, lang)
        out.append((dim.name, blocks))
    if r.behaviour:
        out.append((t("report.spc_heading", lang), [
            Lines((t("report.spc_heading", lang), t("report.spc_intro", lang)), bold=True),
            _table(behaviour_head(lang), [[*row[:2], (said["points"], COUNT), *row[3:]]     # points: a number cell
                                          for row, said in zip(behaviour_rows(r), r.behaviour)]),
            Lines(tuple(said["sentence"] for said in r.behaviour))]))
    return out


def to_xlsx(r: Report) -> bytes:
    return export.write_sheets(sheets(r), "xlsx")


def to_ods(r: Report) -> bytes:
    return export.write_sheets(sheets(r), "ods")
