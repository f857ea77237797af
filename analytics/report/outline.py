"""The report as a document, independent of its format: title, notices, headings,
paragraphs, tables (with spans, header rows and captions) and a chart, in the seed's
order (壹 … 捌). The .odt, .docx and HTML writers only typeset these blocks, so every
format says the same thing in the same order; the figures are worded here once.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

from .. import survey_stats, wording
from ..datasets import DATASETS
from ..comparison import Comparison
from ..periods import Period
from ..i18n import t
from ..labels import data_label, year_label
from ..normalize import strip_invisible
from ..plans import NUMERALS, STRATEGIES_AT
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
    bidi or zero-width character (``normalize.strip_invisible``); Unicode's line and
    paragraph separators as a space; Chinese punctuation full-width."""
    if text is None:
        return ""
    # line and paragraph separators: a space, as on import
    text = strip_invisible(str(text)).replace("\u2028", " ").replace("\u2029", " ")
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

# Where a word processor may not break a line. Latin text and digits are declared
# English in both documents (declared Chinese, LibreOffice broke between any two
# characters: 「7|3 具」, 「80.|5%」); still, LibreOffice lays digits after a Chinese
# character out as Chinese and may break between them, so a number's characters are
# bound by word joiners (U+2060, invisible, no width) between every two of them
# (1,593, 80.5%, +6.8%, 1–6). A space between a number and its unit or the word before
# it (1,593 件, 民國 110 年, ROC 110) becomes a no-break space, which Word keeps
# together; LibreOffice may still break where Latin text meets Chinese (before 件).
# Before a full-width bracket after a number (+1,109（+6.8%）) a zero-width space
# offers the break LibreOffice would otherwise find only inside the number.
NBSP, WORD_JOINER, ZWSP = "\u00a0", "\u2060", "\u200b"
_WORDISH = r"(?:[^\W\d_]|[–~～])"      # a letter, a Chinese character or a range's dash
_SPACE_BY_NUMBER = re.compile(rf"(?<=[0-9%])\x20(?={_WORDISH})|(?<={_WORDISH})\x20(?=[+±−-]?[0-9])")
_INSIDE_NUMBER = re.compile(r"(?<=[0-9])(?=[0-9,.%–~～-])|(?<=[0-9][,.–~～-])(?=[0-9])|(?<=[+±−])(?=[0-9])")
_BEFORE_BRACKET = re.compile(r"(?<=[0-9%])(?=（)")


def unbroken(text: str) -> str:
    """``text`` for a .docx or .odt: no line break possible inside a number, a date or a
    period; a number kept with its unit where the word processor allows it."""
    text = _SPACE_BY_NUMBER.sub(NBSP, text or "")
    return _BEFORE_BRACKET.sub(ZWSP, _INSIDE_NUMBER.sub(WORD_JOINER, text))


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


# The seed's point marks, written inline in one cell or paragraph: (1) （２） 1. ２、 （一）.
_MARKS = {
    "paren": re.compile(r"[（(]\s*([0-9０-９]{1,2}|[一二三四五六七八九十]{1,2})\s*[)）]"),
    "dot": re.compile(r"(?<![0-9０-９A-Za-z.．])([0-9０-９]{1,2})[.．、](?![0-9０-９])"),
    "chinese": re.compile(r"(?<![一二三四五六七八九十])([一二三四五六七八九十]{1,2})、"),
}


def _mark_value(mark: str) -> int:
    if mark[0] in CHINESE_NUMBERS:
        return CHINESE_NUMBERS.index(mark[-1]) + 1 + (10 if len(mark) == 2 else 0) if mark != "十" else 10
    return int(unicodedata.normalize("NFKC", mark))


def points(text: str) -> list[str]:
    """A cell or paragraph as the seed sets it, each numbered point its own paragraph:
    its own line breaks kept, and a run of points written inline ((1)…(2)…(3)…, 1.…2.…)
    split before each mark. A mark counts only as part of a run numbered 1, 2, … in
    order, so '線上申辦 2.0' or a lone '(2)' in a sentence stays where it is."""
    out = []
    for line in clean(text).split("\n"):
        cuts = set()
        for pattern in _MARKS.values():
            chain, expected = [], 1
            for m in pattern.finditer(line):
                if _mark_value(m[1]) == expected:
                    chain.append(m.start())
                    expected += 1
            if len(chain) >= 2:
                cuts.update(chain)
        bounds = sorted(cuts | {0, len(line)})
        out += [part for a, b in zip(bounds, bounds[1:]) if (part := line[a:b].strip())]
    return out or [""]


def numbered(text: str, number: str) -> str:
    """'1.' before a strategy or result the sheet left unnumbered."""
    text = clean(text)
    return text if not text or _NUMBERED.match(text) else f"{number}{text}"


def numbered_points(text: str, number: str) -> str:
    """A strategy's or result's cell: numbered, each point on its own line (a paragraph in a document)."""
    return "\n".join(points(numbered(text, number)))


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
        return t("report.dimension_score", lang, dimension=clean(data_label(c.name, lang)))
    return wording.name(c, lang)


FIGURE_COLUMNS = ("figure", "now", "before", "change", "verdict", "target", "met")
FIGURE_WIDTHS = {"figure": 3.0, "now": 2.2, "before": 2.2, "change": 2.6, "verdict": 2.4, "target": 2.4, "met": 2.0}


def _sides(c: Comparison, lang: str) -> tuple[str, str] | None:
    """The months a figure's two sides cover, as a column header says them (a figure
    kept per year: the two years)."""
    now, before = c.window, c.before_period
    if now is None or before is None:
        return None
    if c.annual:
        now, before = Period(now.year), Period(before.year)
    return now.label(lang), before.label(lang)


def table_period(figures: list[Comparison], lang: str) -> tuple[str, str] | None:
    """The period a figure table's header says once: the sides most of its figures
    compare (a figure comparing other months says its own beside its name)."""
    said = [s for s in (_sides(f, lang) for f in figures) if s is not None]
    return max(dict.fromkeys(said), key=said.count) if said else None


def whole_years(figures: list[Comparison]) -> bool:
    """Whether every figure of a table compares whole years (a figure kept per year, or
    twelve months against twelve): its header then says 前一年, never 去年同期."""
    return bool(figures) and all(f.annual or (f.window is not None and f.window.whole_year) for f in figures)


def figure_head(key: str, period: tuple[str, str] | None, lang: str, one_line: bool = False,
                years: bool = False) -> str:
    """A figure table's column header; 本期 and 去年同期 (前一年 where the table compares
    whole years, ``years``) with the months they cover (below, or in brackets on one
    line for a sheet)."""
    text = t("report.col.before_year" if key == "before" and years else f"report.col.{key}", lang)
    if period is None or key not in ("now", "before"):
        return text
    months = period[0] if key == "now" else period[1]
    return t("report.row_period", lang, name=text, versus=months) if one_line else f"{text}\n{months}"


def figure_name(c: Comparison, period: tuple[str, str] | None, lang: str) -> str:
    """The figure's name in a table headed by ``period``; with its own period where it differs."""
    name = clean(figure_label(c, lang))
    sides = _sides(c, lang)
    if sides is None or sides == period:
        return name
    return t("report.row_period", lang, name=name, versus=t("report.row_sides", lang, now=sides[0], before=sides[1]))


def figure_cells(c: Comparison, period: tuple[str, str] | None, lang: str) -> dict[str, Cell]:
    return {"figure": Cell(figure_name(c, period, lang), header=True),
            "now": Cell(wording.now(c, lang), numeric=True),
            "before": Cell(wording.before(c, lang), numeric=True),
            "change": Cell(wording.change(c, lang), numeric=True),
            "verdict": Cell(wording.status(c, lang)),
            "target": Cell(wording.goal(c, lang), numeric=True),
            "met": Cell(wording.judgment(c, lang))}


def figure_columns(figures: list[Comparison], lang: str) -> list[str]:
    """The columns a figure table needs: its name, this period's value, and every other
    column that some figure fills (no column of dashes only: no 去年同期 where nothing
    was held a year before, no target columns where no figure has a target)."""
    rows = [figure_cells(f, None, lang) for f in figures]
    return [k for k in FIGURE_COLUMNS
            if k in ("figure", "now") or any(row[k].text.strip() not in ("", DASH) for row in rows)]


def figure_table(caption: str, figures: list[Comparison], lang: str) -> Table:
    """The figures in one table, the period they compare said once, in the header
    (本期 民國110年 | 前一年 民國109年; 去年同期 where it compares part of a year), and
    only the columns some figure fills."""
    columns = figure_columns(figures, lang)
    period = table_period(figures, lang)
    head = [[Cell(figure_head(k, period, lang, years=whole_years(figures)), header=True) for k in columns]]
    body = [[cells[k] for k in columns] for cells in (figure_cells(f, period, lang) for f in figures)]
    return Table(caption, head, body, tuple(FIGURE_WIDTHS[k] for k in columns))


def figure_notes(figures: list[Comparison], lang: str) -> list[str]:
    """What a reader must know beside a figure table: what a total left out, an earlier
    side that stops early."""
    out = []
    for f in figures:
        for note in wording.notes(f, lang, in_row=True):
            out.append(t("report.note", lang, figure=clean(figure_label(f, lang)), note=note))
    return out


def dimension_heading(dim: Dimension, lang: str) -> str:
    name = clean(data_label(dim.name, lang))
    if dim.points:
        return t("report.dimension_heading", lang, number=chinese_number(dim.position), position=dim.position,
                 name=name, points=value_text(dim.points, "score"))
    return t("report.dimension_heading_plain", lang, number=chinese_number(dim.position), position=dim.position,
             name=name)


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
    return t("sum.join", lang).join(parts) + t("report.scores_of_year", lang, year=r.year - 1911, gregorian=r.year)


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
            body.append([first, Cell(numbered_points(s.strategy, f"{j}.")), Cell(clean(s.units).replace("、", "\n")),
                         Cell(numbered_points(s.results, f"{j}.") if s.results else DASH)])
        groups.append(rows)
    caption = t("report.strategies_caption", lang, heading=dimension_heading(dim, lang))
    return Table(caption, head, body, (1.6, 4.4, 1.6, 6.4), groups, keep_rows=False)


def cases_table(r: Report) -> Table:
    lang = r.lang
    head = [[Cell(t(k, lang), header=True) for k in ("col.case_type", "report.col.measure", "report.col.now",
                                                     "report.col.before", "report.col.change")]]
    body = [[Cell(clean(c.name), header=True), Cell(clean(r.measures.get(c.name, "")) or DASH),
             Cell(wording.now(c, lang), numeric=True), Cell(wording.before(c, lang), numeric=True),
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


def _template_words(dataset: str, lang: str) -> dict:
    """Where the import page offers a dataset's template, as the page labels it."""
    return dict(page=t("page.import", lang), templates=t("import.templates", lang),
                button=t("import.template_button", lang, dataset=dataset, fmt="xlsx"))


def missing_lines(r: Report) -> list[str]:
    """What the period lacks, each with how to add it (the import page's template)."""
    out = []
    for name in r.missing:
        if name == "plan_text":
            fields = {f.name: f.label for f in DATASETS["plan_text"].fields}
            out.append(t("report.plan_missing", r.lang, year=year_label(r.year, r.lang), year_col=fields["year"],
                         section_col=fields["section"], text_col=fields["text"], **_template_words(name, r.lang)))
        else:
            out.append(t("report.missing_how", r.lang, dataset=name, **_template_words(name, r.lang)))
    return out


def _section_blocks(section, lang: str) -> list[Block]:
    if section.title:
        out = [Block("heading", f"{section.number}、{clean(section.title)}" if section.number else clean(section.title),
                     level=2)]
        paragraphs = section.paragraphs
    else:   # 捌: the heading is the sentence itself
        first, *paragraphs = section.paragraphs or [""]
        out = [Block("heading", f"{section.number}、{clean(first)}" if section.number else clean(first), level=2)]
    out += [Block("para", point, level=level(point)) for p in paragraphs for point in points(p)]
    return out


def _plan_blocks(r: Report, numbers: str) -> list[Block]:
    """Sections ``numbers`` (壹貳參, 伍陸柒捌) from the plan text, in order; a section the
    plan text lacks keeps its heading, with a line saying it is missing."""
    blocks = []
    for number in numbers:
        found = [s for s in r.plan.sections if s.number == number] if r.plan else []
        for section in found:
            blocks += _section_blocks(section, r.lang)
        if not found:
            blocks += [Block("heading", t(f"report.section.{NUMERALS.index(number) + 1}", r.lang), level=2),
                       Block("notice", t("report.section_missing", r.lang, year=year_label(r.year, r.lang)))]
    return blocks


def outline(r: Report) -> list[Block]:
    """The blocks of the report, first page first: 壹–捌 always, each from the plan
    text or marked missing."""
    lang = r.lang
    blocks = [Block("title", r.title)]
    if r.sample:
        blocks.append(Block("notice", sample_notice(r), strong=True))
    blocks += [Block("notice", line) for line in missing_lines(r)]

    plan = r.plan
    blocks += _plan_blocks(r, NUMERALS[:NUMERALS.index(STRATEGIES_AT)])

    strategies = plan.strategies_section() if plan else None
    blocks.append(Block("heading", f"肆、{clean(strategies.title)}" if strategies and strategies.title
                        else t("report.strategies_heading", lang), level=2))
    for p in strategies.paragraphs if strategies else []:
        blocks += [Block("para", point, level=level(point), strong=True) for point in points(p)]
    scored = [(data_label(d.name, lang), d.pct, value_text(d.pct, "share")) for d in r.dimensions if d.pct is not None]
    if scored:
        summary = t("report.chart_summary", lang, year=r.year - 1911, gregorian=r.year,
                    scores=t("sum.list_join", lang).join(f"{clean(name)} {text}" for name, _, text in scored))
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

    blocks += _plan_blocks(r, NUMERALS[NUMERALS.index(STRATEGIES_AT) + 1:NUMERALS.index("捌") + 1])
    for section in plan.sections if plan else []:      # a 章節 the template does not number, after 捌
        if section.number not in NUMERALS[:NUMERALS.index("捌") + 1]:
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
