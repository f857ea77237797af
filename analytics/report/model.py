"""What the results report says, built once from the data; every format prints this.

Every figure is a ``Comparison`` from analytics/comparison.py — the same object, made by
the same rule, that the pages show: a half-year report compares January to June (or to
the last month held, whichever is earlier) with the same months a year before; an
annual report January to the last month the year holds. Figures kept per year
(問卷回收率, 構面自評分數) are the year's, labelled annual. Directions, verdicts and
target judgments come with each comparison; nothing here compares anything itself.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from .. import comparison, metrics, signals, spc_words
from .. import plans
from ..comparison import Comparison, View
from ..i18n import t
from ..normalize import strip_invisible
from ..periods import Period

# What the appendix lists, in order (a figure without a value is left out unless it
# has a target to judge), and which of them the seed quotes beside which dimension (a
# dimension of another rubric gets its score only).
ORDER = ("case_total", "digital_share", "on_time_rate", "processing_days", "complaints", "complaints_on_time",
         "amount", "minutes", "survey_n", "satisfaction", "response_rate", "phone_tests", "phone_internal",
         "phone_cross", "phone_pass_rate", "phone_mean", "dimension_self", "dimension_pct")
BESIDE = {
    "基礎服務": ("case_total", "digital_share", "on_time_rate", "processing_days", "phone_tests", "phone_internal",
             "phone_cross", "phone_pass_rate", "phone_mean"),
    "服務遞送": ("digital_share", "amount", "survey_n", "satisfaction", "response_rate"),
    "服務量能": ("minutes",),
    "服務評價": ("satisfaction", "complaints", "complaints_on_time"),
    "開放創新": (),
}
SOURCES = {"case_volumes": "case_volumes", "survey_responses": "survey_responses", "phone_tests": "phone_tests",
           "dimension_scores": "dimension_scores"}


@dataclass
class Strategy:
    strategy: str
    units: str
    results: str


@dataclass
class Item:
    name: str
    strategies: list[Strategy]


@dataclass
class Dimension:
    position: int                    # 1 → 構面一
    name: str
    points: float | None
    review_score: float | None
    score: Comparison | None         # the dimension's self score against the year before
    items: list[Item] = field(default_factory=list)
    figures: list[Comparison] = field(default_factory=list)

    @property
    def self_score(self) -> float | None:
        return self.score.value if self.score is not None else None

    @property
    def pct(self) -> float | None:
        return self.self_score / self.points if self.self_score is not None and self.points else None


@dataclass
class Report:
    year: int
    half: int | None
    lang: str
    branch: str
    sample: bool                     # sample rows are shown: every format says 示範資料 on its first page
    plan: plans.Plan | None
    figures: list[Comparison]
    cases: list[Comparison]          # each case type against the same months of the year before
    measures: dict[str, str]         # case type → its measuring units
    dimensions: list[Dimension]
    missing: list[str]               # datasets with no rows for the period
    behaviour: list[dict] = field(default_factory=list)   # 統計製程管制摘要: each KPI's verdicts in words

    @property
    def title(self) -> str:
        roc = self.year - 1911
        period = t("report.doc_half", self.lang, roc=roc, year=self.year) if self.half == 1 else \
            t("report.doc_year", self.lang, roc=roc, year=self.year)
        return t("report.doc_title", self.lang, branch=self.branch, period=period)

    def figure(self, key: str) -> Comparison | None:
        return next((f for f in self.figures if f.key == key), None)

    @property
    def case_total(self) -> Comparison | None:
        return self.figure("case_total")

    @property
    def satisfaction(self) -> Comparison | None:
        return self.figure("satisfaction")

    @property
    def case_period(self) -> Period | None:
        """The months the case volumes cover (and are compared on)."""
        c = self.case_total
        return c.period if c is not None and c.period is not None else None


def build(con, year: int, half: int | None = None, lang: str = "zh") -> Report:
    """Everything the report says for ``year`` (Gregorian), or its first half."""
    shown = metrics.sample_in_force(con)
    plan = plans.plan_for(con, year, shown)
    view = View(metrics.Filters(), year=year, half=half == 1)
    every = comparison.kpis(con, view)
    held = {dataset: metrics.holds(con, dataset, year) for dataset in SOURCES}
    missing = [dataset for dataset, has in held.items() if not has]
    figures = [every[key] for key in ORDER
               if held[every[key].kpi.dataset] and (every[key].value is not None or every[key].target is not None)]
    strategies = metrics.strategies(con, year)
    if not strategies:
        missing.append("strategies")
    if plan is None:
        missing.append("plan_text")
    case_rows = comparison.sides(con, "case_volumes", view)
    cases = comparison.case_types(con, view, rows=case_rows) if held["case_volumes"] else []
    rows = comparison.dimensions(con, view) if held["dimension_scores"] else []
    dimensions = _dimensions(rows, metrics.rubric(con), strategies, figures)
    return scrubbed(Report(year, half, lang, plan.branch if plan else plans.default_branch(), shown, plan, figures,
                           cases, comparison.measures(con, view, case_rows), dimensions, missing,
                           behaviour(con, year, half, lang)))


def scrubbed(value):
    """``value`` with every string in it, however deep, free of control, bidi and
    zero-width characters (``normalize.strip_invisible``): the import removes them, but a
    database written before it did may hold them, and one in the plan text (機關名稱)
    made the .docx writer refuse the whole report ("All strings must be XML
    compatible"). Mutable dataclasses are cleaned in place, frozen ones (a comparison)
    rebuilt where a string in them changed."""
    if isinstance(value, str):
        return strip_invisible(value)
    if isinstance(value, list):
        value[:] = [scrubbed(v) for v in value]
        return value
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(scrubbed(v) for v in value)
    if isinstance(value, dict):
        return {scrubbed(k): scrubbed(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changed = {f.name: new for f in dataclasses.fields(value)
                   if (new := scrubbed(old := getattr(value, f.name))) is not old and new != old}
        if value.__dataclass_params__.frozen:
            return dataclasses.replace(value, **changed) if changed else value
        for name, new in changed.items():
            setattr(value, name, new)
    return value


def behaviour(con, year: int, half: int | None, lang: str) -> list[dict]:
    """Each KPI's process behaviour up to the report's period (every month or round held
    until its end), in words: what chart, how many points, the variation and, where a
    target is set, the assurance."""
    last = metrics.Filters(years=(1900, year))
    out = []
    for series in signals.kpi_series(con, last):
        if half == 1:
            series = signals.until(series, dt.date(year, 7, 1))
        said = spc_words.describe(series, lang)
        out.append({**said, "points": series.chart.count})
    return out


def _dimensions(rows: list[comparison.DimensionRow], rubric: list[tuple[str, float]], strategies, figures):
    by_name = {row.name: row for row in rows}
    names = [row.name for row in rows] or [name for name, _ in rubric]
    names += [name for name in dict.fromkeys(s[0] for s in strategies) if name not in names]
    points_of = dict(rubric)
    by_key = {f.key: f for f in figures}
    out = []
    for position, name in enumerate(names, start=1):
        row = by_name.get(name)
        points = row.points if row is not None and row.points is not None else points_of.get(name)
        dim = Dimension(position, name, points, row.review if row else None, row.score if row else None)
        items: dict[str, list[Strategy]] = {}
        for dimension, item, strategy, units, results in strategies:
            if dimension == name:
                items.setdefault(item or "", []).append(Strategy(strategy or "", units or "", results or ""))
        dim.items = [Item(item, rows_) for item, rows_ in items.items()]
        if dim.score is not None and dim.score.value is not None:
            dim.figures.append(dim.score)
        dim.figures += [by_key[key] for key in BESIDE.get(name, ()) if key in by_key]
        out.append(dim)
    return out
