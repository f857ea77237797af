"""What the results report says, built once from the data; every format prints this.

Each figure covers the months its dataset allows: a half-year report January–June of
both years; an annual report the whole year, or — where the latest year of a dataset
stops early — January to that month of both years (``periods.comparable``). Figures
kept per year only (問卷回收率, 構面自評分數; ``Kpi.annual``) are the whole year's in
either report, labelled so, and compared with the year before, never as 同期. Which
direction is better, and whether a target is met, come from ``analytics.kpis``; what
counts as satisfied, digital, a complaint or an internal test from
``analytics.definitions``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, is_dataclass

from .. import definitions as d
from .. import kpis, metrics, periods, store
from ..i18n import t
from ..kpis import NEITHER, UP, Kpi
from ..normalize import strip_invisible
from ..periods import Period
from . import plan as plans

# Figures that are not KPIs of the plan, said beside them; none is judged better or
# worse (kpis has no direction for them), only reported.
EXTRA = {k.key: k for k in (
    Kpi("amount", "count", NEITHER, "case_volumes"),
    Kpi("minutes", "count", NEITHER, "case_volumes"),
    Kpi("survey_n", "count", NEITHER, "survey_responses"),
    Kpi("phone_tests", "count", NEITHER, "phone_tests"),
    Kpi("phone_internal", "count", NEITHER, "phone_tests"),
    Kpi("phone_cross", "count", NEITHER, "phone_tests"),
)}
LABEL_KEYS = {"amount": "report.amount", "minutes": "report.minutes", "survey_n": "report.survey_n",
              "phone_tests": "report.phone_tests", "phone_internal": "report.phone_internal",
              "phone_cross": "report.phone_cross"}
# Which figures the seed quotes beside which dimension (a dimension of another rubric
# gets its score only; every figure is in the appendix either way).
BESIDE = {
    "基礎服務": ("case_total", "digital_share", "phone_tests", "phone_internal", "phone_cross", "phone_pass_rate",
             "phone_mean"),
    "服務遞送": ("digital_share", "amount", "survey_n", "satisfaction", "response_rate"),
    "服務量能": ("minutes",),
    "服務評價": ("satisfaction", "complaints", "complaints_on_time"),
    "開放創新": (),
}
DATED = tuple(periods.DATED)


def finite(value) -> float | None:
    """A number, or None for anything that is not one (None, NaN, ±inf, NA)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


@dataclass
class Figure:
    kpi: Kpi
    label: str
    now: float | None
    before: float | None
    period: Period                   # the months ``now`` covers; ``before`` is the same months a year earlier
    target: float | None = None

    @property
    def key(self) -> str:
        return self.kpi.key

    @property
    def kind(self) -> str:
        return self.kpi.kind

    @property
    def annual(self) -> bool:
        return self.kpi.annual

    @property
    def change(self) -> float | None:
        return None if self.now is None or self.before is None else self.now - self.before

    @property
    def change_pct(self) -> float | None:
        """Relative change, for counts and scores (a share changes in points instead)."""
        if self.change is None or not self.before or self.kind == "share":
            return None
        return self.change / self.before

    @property
    def verdict(self) -> str | None:
        """'better', 'worse', 'same', 'neither' (workload: no judgement), or None when
        there is nothing to compare."""
        return None if self.change is None else self.kpi.verdict(self.change)

    @property
    def met(self) -> bool | None:
        return self.kpi.met(self.now, self.target)

    def versus(self, lang: str) -> str:
        """The months compared, as the label says them (民國 114 年 1–3 月 與 民國 113 年同期比較)."""
        text = self.period.versus(self.period.before(), lang)
        return t("report.annual_figure", lang, versus=text) if self.annual else text


@dataclass
class CaseRow:
    case_type: str
    measure: str
    now: float
    before: float | None

    @property
    def change(self):
        return None if self.before is None else self.now - self.before

    @property
    def change_pct(self):
        return self.change / self.before if self.change is not None and self.before else None


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
    self_score: float | None
    review_score: float | None
    items: list[Item] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)

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
    figures: list[Figure]
    cases: list[CaseRow]
    case_period: Period
    dimensions: list[Dimension]
    survey: dict
    missing: list[str]               # datasets with no rows for the period

    @property
    def title(self) -> str:
        roc = self.year - 1911
        period = t("report.doc_half", self.lang, roc=roc, year=self.year) if self.half == 1 else \
            t("report.doc_year", self.lang, roc=roc, year=self.year)
        return t("report.doc_title", self.lang, branch=self.branch, period=period)

    def figure(self, key: str) -> Figure | None:
        return next((f for f in self.figures if f.key == key), None)


# ------------------------------------------------------------------ queries

def _one(con, sql: str, params: list) -> tuple:
    return con.execute(sql, params).fetchone()


def _figures(con, span: dict[str, Period]) -> dict:
    """The KPIs and the report's other figures over the periods of each dataset, from
    analytics.metrics: the same numbers, by the same definitions, as the pages."""
    return metrics.kpis(con, metrics.Filters(), span)


def _cases(k: dict) -> dict:
    return {"rows": k["case_rows"], "case_total": k["case_total"], "digital_share": k["digital_share"],
            "complaints": k["complaints"], "complaints_on_time": k["complaints_on_time"],
            "amount": k["amount"], "minutes": k["minutes_saved"]}


def _case_types(con, p: Period) -> dict[str, tuple[str, float]]:
    where, params = periods.where("case_volumes", p)
    rows = con.execute(f"""SELECT case_type, string_agg(DISTINCT measure_unit, '、' ORDER BY measure_unit), sum(count)
                           FROM case_volumes WHERE {where} GROUP BY 1 ORDER BY 3 DESC, 1""", params).fetchall()
    return {name: (measure or "", total) for name, measure, total in rows}


def _survey(k: dict) -> dict:
    low, high = k["satisfaction_ci"] or (None, None)
    return {"survey_n": k["survey_returned"], "k": k["satisfaction_k"], "n": k["satisfaction_n"],
            "satisfaction": k["satisfaction"], "low": low, "high": high, "margin": k["margin"]}


def _response_rate(con, year: int) -> float | None:
    """Returned ÷ issued over the whole year (問卷發放 is kept per year), only once the
    year's questionnaires are all in (a year still under way would look like a collapse)."""
    if year not in periods.last_months(con, "survey_responses") \
            or not periods.comparable(con, "survey_responses", year).whole_year:
        return None
    sql = d.response_rate_sql(" WHERE year = ?", " WHERE year(response_date) = ?")
    issued, counted = _one(con, f"SELECT sum(issued), sum(counted) FROM ({sql})", [year, year])
    return counted / issued if issued else None


def _phone(k: dict) -> dict:
    return {key: k[key] for key in ("phone_tests", "phone_pass_rate", "phone_mean", "phone_internal", "phone_cross")}


def _dimension_scores(con, year: int) -> dict[str, dict]:
    rows = con.execute("""SELECT dimension, min(dim_order), sum(points), sum(self_score), sum(review_score)
                          FROM dimension_scores WHERE year = ? GROUP BY 1 ORDER BY 2, 1""", [year]).fetchall()
    return {name: {"order": order, "points": points, "self": own, "review": review}
            for name, order, points, own, review in rows}


def _strategies(con, year: int) -> list[tuple]:
    return con.execute("""SELECT dimension, item, strategy, units, results FROM strategies
                          WHERE year = ? ORDER BY dim_order, position""", [year]).fetchall()


def _rubric(con) -> list[tuple[str, float]]:
    return con.execute("SELECT name, points FROM dimensions ORDER BY position").fetchall()


# ------------------------------------------------------------------ build

def build(con, year: int, half: int | None = None, lang: str = "zh") -> Report:
    """Everything the report says for ``year`` (Gregorian), or its first half."""
    shown = store.sample_shown(con)
    plan = plans.plan_for(con, year, shown)
    if half == 1:
        span = {name: Period(year, 6) for name in DATED}
    else:
        span = {name: periods.comparable(con, name, year) for name in DATED}
    whole = Period(year)
    this, last = _figures(con, span), _figures(con, {name: p.before() for name, p in span.items()})
    missing: list[str] = []
    figures: list[Figure] = []

    def kpi(key: str) -> Kpi:
        return kpis.BY_KEY.get(key) or EXTRA[key]

    def label(key: str) -> str:
        return t(LABEL_KEYS[key], lang) if key in LABEL_KEYS else kpi(key).name(lang)

    def add(keys, now: dict, before: dict, p: Period):
        for key in keys:
            value = finite(now.get(key))
            if value is None and key not in ("satisfaction", "complaints_on_time", "digital_share"):
                continue
            figures.append(Figure(kpi(key), label(key), value, finite(before.get(key)), p))

    # 案件量
    pc = span["case_volumes"]
    cases_now, cases_before = _cases(this), _cases(last)
    cases: list[CaseRow] = []
    if cases_now["rows"]:
        before = cases_before if cases_before["rows"] else {}
        add(("case_total", "digital_share", "complaints"), cases_now, before, pc)
        if cases_now["complaints"]:
            add(("complaints_on_time",), cases_now, before, pc)
        add(("amount", "minutes"), cases_now, before, pc)
        types_before = _case_types(con, pc.before())
        for name, (measure, total) in _case_types(con, pc).items():
            previous = types_before.get(name)
            cases.append(CaseRow(name, measure, float(total), float(previous[1]) if previous else None))
    else:
        missing.append("case_volumes")

    # 滿意度問卷 (and 問卷發放, kept per year)
    ps = span["survey_responses"]
    survey, survey_before = _survey(this), _survey(last)
    if survey["survey_n"]:
        add(("survey_n", "satisfaction"), survey, survey_before if survey_before["survey_n"] else {}, ps)
        rate = _response_rate(con, year)
        if rate is not None:
            figures.append(Figure(kpi("response_rate"), label("response_rate"), finite(rate),
                                  finite(_response_rate(con, year - 1)), whole))
    else:
        missing.append("survey_responses")

    # 電話禮貌測試
    pp = span["phone_tests"]
    phone, phone_before = _phone(this), _phone(last)
    if phone["phone_tests"]:
        add(("phone_tests", "phone_internal", "phone_cross", "phone_pass_rate", "phone_mean"), phone,
            phone_before if phone_before["phone_tests"] else {}, pp)
    else:
        missing.append("phone_tests")

    # 構面評分 (per year) and 執行策略
    scores, scores_before = _dimension_scores(con, year), _dimension_scores(con, year - 1)
    if scores:
        points = sum(finite(s["points"]) or 0 for s in scores.values())
        own = sum(finite(s["self"]) or 0 for s in scores.values())
        points_before = sum(finite(s["points"]) or 0 for s in scores_before.values())
        own_before = sum(finite(s["self"]) or 0 for s in scores_before.values()) if scores_before else None
        figures.append(Figure(kpi("dimension_self"), t("report.dimension_total", lang, points=f"{points:,.0f}"),
                              own, own_before, whole))
        figures.append(Figure(kpi("dimension_pct"), label("dimension_pct"), own / points if points else None,
                              own_before / points_before if own_before is not None and points_before else None, whole))
    else:
        missing.append("dimension_scores")
    strategies = _strategies(con, year)
    if not strategies:
        missing.append("strategies")
    if plan is None:
        missing.append("plan_text")

    # A figure of the period takes the period's target (a half-year one for a half-year
    # report); a figure kept per year takes the year's, in either report.
    targets, yearly = kpis.targets_for(con, year, half), kpis.targets_for(con, year)
    for f in figures:
        f.target = (yearly if f.annual else targets).get(f.key)

    dimensions = _dimensions(con, scores, scores_before, strategies, figures, whole, lang)
    return scrubbed(Report(year, half, lang, plan.branch if plan else plans.default_branch(), shown, plan, figures,
                           cases, pc, dimensions, survey, missing))


def scrubbed(value):
    """``value`` with every string in it, however deep, free of control, bidi and
    zero-width characters (``normalize.strip_invisible``): the import removes them, but a
    database written before it did may hold them, and one in the plan text (機關名稱)
    made the .docx writer refuse the whole report ("All strings must be XML
    compatible"). Mutable dataclasses are cleaned in place; frozen ones (a KPI's
    definition, a period) are the code's own and left alone."""
    if isinstance(value, str):
        return strip_invisible(value)
    if isinstance(value, list):
        value[:] = [scrubbed(v) for v in value]
        return value
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(scrubbed(v) for v in value)
    if isinstance(value, dict):
        return {scrubbed(k): scrubbed(v) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type) and not value.__dataclass_params__.frozen:
        for f in fields(value):
            setattr(value, f.name, scrubbed(getattr(value, f.name)))
    return value


def _dimensions(con, scores, scores_before, strategies, figures, whole: Period, lang: str) -> list[Dimension]:
    rubric = dict(_rubric(con))
    names = list(scores) or list(rubric)
    names += [name for name in dict.fromkeys(s[0] for s in strategies) if name not in names]
    by_key = {f.key: f for f in figures}
    out = []
    for position, name in enumerate(names, start=1):
        score = scores.get(name, {})
        points = finite(score.get("points")) or finite(rubric.get(name))
        dim = Dimension(position, name, points, finite(score.get("self")), finite(score.get("review")))
        items: dict[str, list[Strategy]] = {}
        for dimension, item, strategy, units, results in strategies:
            if dimension == name:
                items.setdefault(item or "", []).append(Strategy(strategy or "", units or "", results or ""))
        dim.items = [Item(item, rows) for item, rows in items.items()]
        if dim.self_score is not None:
            own = Kpi(f"dimension:{name}", "score", UP, "dimension_scores", annual=True)
            before = scores_before.get(name, {}).get("self")
            dim.figures.append(Figure(own, t("report.dimension_score", lang, dimension=name), dim.self_score,
                                      finite(before), whole))
        dim.figures += [by_key[key] for key in BESIDE.get(name, ()) if key in by_key]
        out.append(dim)
    return out
