"""The report as a document, independent of its format: title, notices, headings,
paragraphs, tables (with spans, header rows and captions) and a chart, in the seed's
order (壹 … 捌). The .odt, .docx and HTML writers only typeset these blocks, so every
format says the same thing in the same order; the figures are worded here once.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from .. import survey_stats, wording
from ..comparison import Comparison
from ..i18n import t
from ..normalize import strip_invisible
from .model import Dimension, Report

DASH = "–"
CHINESE_NUMBERS = "一二三四五六七八九十"
_NUMBERED = re.compile(r"^\s*([0-9０-９]+[.．、]|[（(][0-9０-９一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、)")


# Half-width punctuation beside Chinese (the importer folds full-width forms to ASCII,
# NFKC) is set full-width again, as the seed's prose is: 一致性,持續 → 一致性，持續.
_CJK = "\u3400-\u9fff\u3000-\u303f\uff00-\uffef"
_WIDE = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}
_PUNCT_AFTER_CJK = re.compile(f"(?<=[{_CJK}])([,;:!?])")
_PUNCT_BEFORE_CJK = re.compile(f"([,;:!?])(?=[{_CJK}])")
_PARENS = re.compile(f"\\(([{_CJK}][^()]*)\\)|\\(([^()]*[{_CJK}])\\)")


def clean(text) -> str:
    """Text as the report prints it: no character XML forbids, nor any other control,
    bidi or zero-width character (``normalize.strip_invisible``); Chinese punctuation
    full-width."""
    if text is None:
        return ""
    text = strip_invisible(str(text))
    text = _PARENS.sub(lambda m: f"（{m[1] or m[2]}）", text)
    text = _PUNCT_AFTER_CJK.sub(lambda m: _WIDE[m[1]], text)
    return _PUNCT_BEFORE_CJK.sub(lambda m: _WIDE[m[1]], text)


def chinese_number(n: int) -> str:
    if 1 <= n <= 10:
        return CHINESE_NUMBERS[n - 1]
    if n < 20:
        return "十" + CHINESE_NUMBERS[n - 11]
    return str(n)


# ------------------------------------------------------------------ numbers in words

def finite(value) -> float | None:
    """A number, or None for anything that is not one (None, NaN, ±inf, NA)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def value_text(value, kind: str, lang: str = "zh") -> str:
    return wording.number(finite(value), kind, lang)


def level(paragraph: str) -> int:
    """How far a numbered paragraph is indented: 一、 0, （一） 1, 1. 2, （１） 3."""
    m = _NUMBERED.match(paragraph)
    if not m:
        return 0
    mark = m[1]
    if mark.endswith("、") and mark[0] in CHINESE_NUMBERS:
        return 0
    if mark[0] in "(（":
        return 1 if mark[1] in CHINESE_NUMBERS else 3
    return 2


def numbered(text: str, number: str) -> str:
    """'1.' before a strategy or result the sheet left unnumbered."""
    text = clean(text)
    return text if not text or _NUMBERED.match(text) else f"{number}{text}"


# ------------------------------------------------------------------ blocks

@dataclass
class Cell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    header: bool = False          # a header cell (column header in ``head``, row header in ``body``)
    numeric: bool = False         # right-aligned


@dataclass
class Table:
    caption: str
    head: list[list[Cell | None]]          # None: covered by a span
    body: list[list[Cell | None]]
    widths: tuple[float, ...]              # relative column widths
    groups: list[int] = field(default_factory=list)   # rows per row group (an item and its strategies)
    keep_rows: bool = True                 # a row never splits across pages (short rows)


@dataclass
class Block:
    kind: str                     # title | notice | heading | para | table | chart
    text: str = ""
    level: int = 0                # heading level (2, 3) or paragraph indent
    table: Table | None = None
    bars: list[tuple[str, float, str]] = field(default_factory=list)   # chart: label, share, shown value
    strong: bool = False
    title: str = ""               # chart: its name


def figure_label(c: Comparison, lang: str) -> str:
    """The figure's name as the report lists it (the dimension total with its points)."""
    if c.name is not None:
        return t("report.dimension_score", lang, dimension=clean(c.name))
    return wording.name(c, lang)


def figure_columns(figures: list[Comparison]) -> list[str]:
    """The columns a figure table needs: no target columns where no figure has a target."""
    columns = ["figure", "now", "before", "change", "verdict"]
    if any(f.target is not None for f in figures):
        columns += ["target", "met"]
    return columns


FIGURE_WIDTHS = {"figure": 3.0, "now": 1.9, "before": 1.9, "change": 2.6, "verdict": 2.6, "target": 1.9, "met": 2.2}


def figure_cells(c: Comparison, columns: list[str], lang: str) -> list[Cell]:
    cells = {"figure": Cell(clean(figure_label(c, lang)), header=True),
             "now": Cell(wording.value(c, lang), numeric=True),
             "before": Cell(wording.before(c, lang), numeric=True),
             "change": Cell(wording.change(c, lang), numeric=True),
             "verdict": Cell(wording.status(c, lang)),
             "target": Cell(wording.goal(c, lang), numeric=True),
             "met": Cell(wording.judgment(c, lang))}
    return [cells[k] for k in columns]


def figure_table(caption: str, figures: list[Comparison], lang: str) -> Table:
    """Figures grouped by the months they compare, each group under one row that says
    them (民國114年1–3月 與 113年同期比較), so no row repeats its period; only the
    columns some figure fills."""
    columns = figure_columns(figures)
    head = [[Cell(t(f"report.col.{k}", lang), header=True) for k in columns]]
    body, groups, last = [], [], None
    for f in figures:
        said = wording.versus(f, lang)
        if said != last:
            body.append([Cell(said, colspan=len(columns), header=True)] + [None] * (len(columns) - 1))
            groups.append(1)
            last = said
        body.append(figure_cells(f, columns, lang))
        groups[-1] += 1
    return Table(caption, head, body, tuple(FIGURE_WIDTHS[k] for k in columns), groups)


def figure_notes(figures: list[Comparison], lang: str) -> list[str]:
    """What a reader must know beside a figure table: what a total left out, an earlier
    side that stops early."""
    out = []
    for f in figures:
        for note in wording.notes(f, lang):
            out.append(t("report.note", lang, figure=clean(figure_label(f, lang)), note=note))
    return out


def dimension_heading(dim: Dimension, lang: str) -> str:
    if dim.points:
        return t("report.dimension_heading", lang, number=chinese_number(dim.position), position=dim.position,
                 name=clean(dim.name), points=value_text(dim.points, "score"))
    return t("report.dimension_heading_plain", lang, number=chinese_number(dim.position), position=dim.position,
             name=clean(dim.name))


def dimension_scoreline(dim: Dimension, r: Report) -> str:
    lang = r.lang
    parts = []
    if dim.points:
        parts.append(t("report.points", lang, points=value_text(dim.points, "score")))
    if dim.self_score is not None:
        parts.append(t("report.self", lang, score=value_text(dim.self_score, "score"), pct=value_text(dim.pct, "share")))
    if dim.review_score is not None:
        parts.append(t("report.review", lang, score=value_text(dim.review_score, "score")))
    if not parts:
        return ""
    return "；".join(parts) + t("report.scores_of_year", lang, year=r.year - 1911, gregorian=r.year)


def strategy_table(dim: Dimension, lang: str) -> Table:
    """The seed's three columns: 執行策略 (its sub-item and the strategy) | 主辦單位 | 執行績效與成果."""
    head = [[Cell(t("report.col.strategy", lang), colspan=2, header=True), None,
             Cell(t("report.col.units", lang), header=True), Cell(t("report.col.results", lang), header=True)]]
    body, groups = [], []
    for i, item in enumerate(dim.items, start=1):
        rows = len(item.strategies)
        for j, s in enumerate(item.strategies, start=1):
            first = Cell(numbered(item.name, f"（{chinese_number(i)}）") if item.name else "", rowspan=rows,
                         header=True) if j == 1 else None
            body.append([first, Cell(numbered(s.strategy, f"{j}.")), Cell(clean(s.units).replace("、", "\n")),
                         Cell(numbered(s.results, f"{j}.") if s.results else DASH)])
        groups.append(rows)
    caption = t("report.strategies_caption", lang, heading=dimension_heading(dim, lang))
    return Table(caption, head, body, (1.6, 4.4, 1.6, 6.4), groups, keep_rows=False)


def cases_table(r: Report) -> Table:
    lang = r.lang
    head = [[Cell(t(k, lang), header=True) for k in ("col.case_type", "report.col.measure", "report.col.now",
                                                     "report.col.before", "report.col.change")]]
    body = [[Cell(clean(c.name), header=True), Cell(clean(r.measures.get(c.name, "")) or DASH),
             Cell(wording.value(c, lang), numeric=True), Cell(wording.before(c, lang), numeric=True),
             Cell(wording.change(c, lang) if c.is_compared else wording.reason(c, lang), numeric=c.is_compared)]
            for c in r.cases]
    return Table(cases_caption(r), head, body, (4, 1.6, 2, 2, 3))


def cases_caption(r: Report) -> str:
    first = r.cases[0] if r.cases else r.case_total
    return t("report.cases_caption", r.lang, versus=wording.versus(first, r.lang) if first else DASH)


def survey_note(r: Report) -> str:
    c = r.satisfaction
    if c is None or not c.n or c.value is None:
        return ""
    low, high = survey_stats.wilson(int(c.k), c.n)
    return t("report.survey_note", r.lang, n=f"{c.n:,}", rate=wording.value(c, r.lang),
             low=value_text(low, "share"), high=value_text(high, "share"),
             margin=f"{survey_stats.margin_of_error(c.n):.1f}")


def sample_notice(r: Report) -> str:
    return t("report.sample_notice", r.lang) if r.sample else ""


def missing_lines(r: Report) -> list[str]:
    return [t("report.missing", r.lang, dataset=name) for name in r.missing]


def _section_blocks(section, lang: str) -> list[Block]:
    if section.title:
        out = [Block("heading", f"{section.number}、{clean(section.title)}" if section.number else clean(section.title),
                     level=2)]
        paragraphs = section.paragraphs
    else:   # 捌: the heading is the sentence itself
        first, *paragraphs = section.paragraphs or [""]
        out = [Block("heading", f"{section.number}、{clean(first)}" if section.number else clean(first), level=2)]
    out += [Block("para", clean(p), level=level(p)) for p in paragraphs]
    return out


def outline(r: Report) -> list[Block]:
    """The blocks of the report, first page first."""
    lang = r.lang
    blocks = [Block("title", r.title)]
    if r.sample:
        blocks.append(Block("notice", sample_notice(r), strong=True))
    blocks += [Block("notice", line) for line in missing_lines(r)]

    plan = r.plan
    for section in plan.before_strategies() if plan else []:
        blocks += _section_blocks(section, lang)

    strategies = plan.strategies_section() if plan else None
    blocks.append(Block("heading", f"肆、{clean(strategies.title)}" if strategies and strategies.title
                        else t("report.strategies_heading", lang), level=2))
    for p in strategies.paragraphs if strategies else []:
        blocks.append(Block("para", clean(p), level=level(p), strong=True))
    scored = [(d.name, d.pct, value_text(d.pct, "share")) for d in r.dimensions if d.pct is not None]
    if scored:
        summary = t("report.chart_summary", lang, year=r.year - 1911, gregorian=r.year,
                    scores="、".join(f"{clean(name)} {text}" for name, _, text in scored))
        blocks.append(Block("chart", summary, bars=[(clean(n), p, s) for n, p, s in scored],
                            title=t("report.chart_title", lang, year=r.year - 1911, gregorian=r.year)))
    for dim in r.dimensions:
        blocks.append(Block("heading", dimension_heading(dim, lang), level=3))
        line = dimension_scoreline(dim, r)
        if line:
            blocks.append(Block("para", line))
        if dim.items:
            blocks.append(Block("table", table=strategy_table(dim, lang)))
        else:
            blocks.append(Block("para", t("report.no_strategies", lang)))
        if dim.figures:
            caption = t("report.figures_caption", lang, heading=dimension_heading(dim, lang))
            blocks.append(Block("table", table=figure_table(caption, dim.figures, lang)))
            blocks += [Block("para", note) for note in figure_notes(dim.figures, lang)]
            if any(f.key == "satisfaction" for f in dim.figures) and survey_note(r):
                blocks.append(Block("para", survey_note(r)))

    for section in plan.after_strategies() if plan else []:
        blocks += _section_blocks(section, lang)

    blocks.append(Block("heading", t("report.appendix", lang), level=2))
    if r.figures:
        blocks.append(Block("table", table=figure_table(t("report.figures_all_caption", lang), r.figures, lang)))
        blocks += [Block("para", note) for note in figure_notes(r.figures, lang)]
    if survey_note(r):
        blocks.append(Block("para", survey_note(r)))
    if r.cases:
        blocks.append(Block("table", table=cases_table(r)))
    blocks.append(Block("para", t("report.legend", lang)))
    if r.behaviour:
        blocks.append(Block("heading", t("report.spc_heading", lang), level=3))
        blocks.append(Block("para", t("report.spc_intro", lang)))
        blocks.append(Block("table", table=behaviour_table(r)))
        blocks += [Block("para", said["sentence"]) for said in r.behaviour]
    return blocks


def behaviour_head(lang: str) -> list[str]:
    return [t(k, lang) for k in ("report.spc.col.kpi", "report.spc.col.kind", "report.spc.col.points",
                                 "report.spc.col.variation", "report.spc.col.assurance")]


def behaviour_rows(r: Report) -> list[list[str]]:
    """Each KPI's process behaviour: its chart, points, and verdicts as a mark and words."""
    return [[clean(said["name"]), said["kind"], f"{said['points']:,}", f"{said['variation_mark']} {said['variation']}",
             f"{said['assurance_mark']} {said['assurance']}" if said["assurance"] else DASH] for said in r.behaviour]


def behaviour_table(r: Report) -> Table:
    head = [[Cell(text, header=True) for text in behaviour_head(r.lang)]]
    body = [[Cell(row[0], header=True), Cell(row[1]), Cell(row[2], numeric=True), Cell(row[3]), Cell(row[4])]
            for row in behaviour_rows(r)]
    return Table(t("report.spc_caption", r.lang), head, body, (3.2, 2.6, 1.2, 3.0, 3.0))
