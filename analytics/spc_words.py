"""Process behaviour charts in words: the verdicts with a mark beside them (never
colour alone), the rules a point broke, and one plain sentence per chart and per
special cause — 「線上申辦自 112 年 3 月起連續 8 個月高於平均」 — in the reader's
language and calendar. Pages, the report and the command line all say it this way.
"""
from __future__ import annotations

import datetime as dt

from . import spc
from .i18n import t
from .kpis import BY_KEY
from .labels import ROC, data_label, round_label

ALL_SERIES = "全部"

_VARIATION_KEYS = {spc.COMMON: "spc.variation.common", spc.IMPROVEMENT: "spc.variation.improvement",
                   spc.CONCERN: "spc.variation.concern", spc.NEUTRAL_HIGH: "spc.variation.high",
                   spc.NEUTRAL_LOW: "spc.variation.low"}
_ASSURANCE_KEYS = {spc.MET: "spc.assurance.met", spc.MISSED: "spc.assurance.missed",
                   spc.HIT_AND_MISS: "spc.assurance.hit_and_miss"}
_RULE_KEYS = {spc.LIMIT: "spc.rule.limit", spc.SHIFT: "spc.rule.shift", spc.TREND: "spc.rule.trend",
              spc.TWO_OF_THREE: "spc.rule.two_of_three"}
_KIND_KEYS = {spc.XMR: "spc.kind.xmr", spc.PPRIME: "spc.kind.pprime"}
# Marks that carry the verdict without colour: ▲ ▼ for a special cause (which way it
# points), ○ for common cause; ✓ ✗ ± for the target.
_ASSURANCE_MARKS = {spc.MET: "✓", spc.MISSED: "✗", spc.HIT_AND_MISS: "±"}


def variation_label(code: str | None, lang: str = "zh") -> str:
    """「一般變異」「特殊原因：改善」…; without limits 「資料點不足」."""
    return t(_VARIATION_KEYS.get(code, "spc.too_few_short"), lang)


def variation_mark(code: str | None, direction: int = 0) -> str:
    """▲ / ▼ (a special cause, high or low), ○ (common cause), – (no limits)."""
    if code is None:
        return "–"
    if code == spc.COMMON:
        return "○"
    return "▲" if direction > 0 else "▼"


def assurance_label(code: str | None, lang: str = "zh") -> str | None:
    """「目標：穩定達成」「目標：穩定未達」「目標：時達時未達」; None without assurance."""
    return t(_ASSURANCE_KEYS[code], lang) if code in _ASSURANCE_KEYS else None


def assurance_mark(code: str | None) -> str | None:
    return _ASSURANCE_MARKS.get(code)


def rule_label(code: str, lang: str = "zh") -> str:
    return t(_RULE_KEYS[code], lang)


def rules_text(rules, lang: str = "zh") -> str:
    """A point's rules as one cell of a table: 「超出管制界限、連續 7 點在平均同側」."""
    return t("spc.join", lang).join(rule_label(r, lang) for r in rules)


def kind_label(kind: str, lang: str = "zh") -> str:
    """「XmR 管制圖」/「Laney p′ 管制圖」: a chart's sentence says which it is."""
    return t(_KIND_KEYS[kind], lang)


def subject(kpi: str, series: str = ALL_SERIES, lang: str = "zh") -> str:
    """What a chart is of: the KPI (案件總量), a case type (線上申辦) or a KPI of one
    case type (線上申辦平均處理天數)."""
    name = BY_KEY[kpi].name(lang) if kpi in BY_KEY else kpi
    if series in (None, ALL_SERIES):
        return name
    if kpi == "case_total":
        return str(data_label(series, lang))
    return t("spc.subject", lang, kpi=name, series=data_label(series, lang))


def period_words(period, lang: str = "zh", gregorian: bool = False) -> str:
    """A month as words (112 年 3 月; March 2023), a test round by its name."""
    if isinstance(period, (dt.date, dt.datetime)):
        month = t("spc.months", lang).split("|")[period.month - 1]
        year = period.year if gregorian or lang == "en" else period.year - ROC
        return t("spc.month", lang, year=year, month=month)
    return round_label(str(period), lang)


def number(value, kind: str = "count") -> str:
    """A value as a chart's sentence says it: a share as a percentage, a count whole."""
    if value is None:
        return "–"
    if kind == "share":
        return f"{value:.1%}"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def signal_sentence(chart: spc.Chart, signal: spc.Signal, name: str, lang: str = "zh", gregorian: bool = False,
                    unit: str = "month") -> str:
    """One special cause in words: 「線上申辦自 112 年 3 月起連續 8 個月高於平均」."""
    points = chart.points
    ongoing = chart.latest_index == signal.end
    start, end = (period_words(points[i].period, lang, gregorian) for i in (signal.start, signal.end))
    way = "up" if signal.direction > 0 else "down"
    said = dict(name=name, start=start, end=end, count=signal.count, unit=t(f"spc.unit.{unit}", lang),
                **_agreement(name))
    if signal.rule in (spc.SHIFT, spc.TREND):
        text = t(f"spc.say.{signal.rule}.{way}.{'now' if ongoing else 'then'}", lang, **said)
    elif signal.rule == spc.LIMIT:
        text = t(f"spc.say.limit.{way}.{'one' if signal.start == signal.end else 'many'}", lang, **said)
    else:
        beyond = sum(1 for p in points[signal.start:signal.end + 1] if spc.TWO_OF_THREE in p.rules)
        if beyond == signal.count:      # no point within two sigma between them: in a row
            text = t(f"spc.say.two_of_three.{way}.row", lang, **said)
        else:
            text = t(f"spc.say.two_of_three.{way}", lang, **{**said, "count": beyond, "span": signal.count})
    missing = _months_without_data(points[signal.start].period, points[signal.end].period, signal.count)
    return text + t("spc.say.gap", lang, missing=missing) if missing else text


def _months_without_data(start, end, count: int) -> int:
    """Months between a run's first and last point that hold no value (a run counts the
    points that have one: 7 points from March to October is not 7 months in a row)."""
    if not isinstance(start, (dt.date, dt.datetime)) or not isinstance(end, (dt.date, dt.datetime)):
        return 0
    return max(0, (end.year - start.year) * 12 + end.month - start.month + 1 - count)


def _agreement(name: str) -> dict:
    """English verbs that agree with a chart's subject (Online applications have, Overall
    satisfaction has): a name whose head noun ends in s is plural (a bracket aside)."""
    head = name.split(" (")[0].strip()
    plural = head.endswith("s") and not head.endswith(("ss", "us"))
    return {"have": "have" if plural else "has", "was": "were" if plural else "was"}


def special_cause_sentences(chart: spc.Chart, name: str, lang: str = "zh", gregorian: bool = False,
                            unit: str = "month", since=None) -> list[str]:
    """Every special cause of a chart in words, the latest first; with ``since`` (a
    month's date) only those that reach it: this period's special causes."""
    found = spc.signals(chart)
    if since is not None:
        found = [s for s in found if chart.points[s.end].period >= since]
    return [signal_sentence(chart, s, name, lang, gregorian, unit) for s in reversed(found)]


def chart_sentence(chart: spc.Chart, name: str, lang: str = "zh", gregorian: bool = False, kind: str = "count",
                   unit: str = "month") -> str:
    """The chart's one sentence: which kind of chart, its centre and limits, the verdict
    of its latest point and against the target, and the special cause the latest point
    belongs to; or that it has too few points for limits."""
    chart_kind = kind_label(chart.kind, lang)
    last = chart.latest
    if chart.status != spc.OK or last is None:
        return t("spc.say.too_few", lang, name=name, kind=chart_kind, count=chart.count, least=spc.MIN_POINTS,
                 unit=t(f"spc.unit.{unit}", lang))
    said = [t(f"spc.say.chart.{chart.kind}", lang, name=name, kind=chart_kind, mean=number(chart.mean, kind),
              lower=number(chart.lower, kind), upper=number(chart.upper, kind),
              latest=period_words(last.period, lang, gregorian), verdict=variation_label(chart.variation, lang))]
    if chart.assurance is not None:
        said.append(t(f"spc.say.assurance.{chart.assurance}", lang, target=number(chart.target, kind)))
    now = {s.rule: s for s in spc.signals(chart) if s.end == chart.latest_index}
    # the rule that gives the latest point its direction (as spc.special_causes orders them)
    rule = next((r for r in (spc.LIMIT, spc.TREND, spc.TWO_OF_THREE, spc.SHIFT) if r in now), None)
    if rule is not None:
        said.append(signal_sentence(chart, now[rule], name, lang, gregorian, unit) + t("spc.stop", lang))
    return t("spc.space", lang).join(said)


def verdicts(series, lang: str = "zh") -> dict:
    """A series' variation and assurance, each its words and its mark (a KPI card's)."""
    chart = series.chart
    last = chart.latest
    return {"variation": variation_label(chart.variation, lang),
            "variation_mark": variation_mark(chart.variation, last.direction if last is not None else 0),
            "assurance": assurance_label(chart.assurance, lang), "assurance_mark": assurance_mark(chart.assurance)}


def describe(series, lang: str = "zh", gregorian: bool = False) -> dict:
    """Everything a page or the report says about one series of ``signals.all_series``:
    its subject, verdict labels and marks, and sentences."""
    chart = series.chart
    name = subject(series.kpi, series.series, lang)
    kind = BY_KEY[series.kpi].kind if series.kpi in BY_KEY else "count"
    return {
        "name": name,
        "kind": kind_label(chart.kind, lang),
        **verdicts(series, lang),
        "sentence": chart_sentence(chart, name, lang, gregorian, kind, series.unit),
        "special_causes": special_cause_sentences(chart, name, lang, gregorian, series.unit),
    }
