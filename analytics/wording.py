"""How a comparison is said — its value, change, period, verdict, reason, coverage and
target — once, for every page, sentence, table, download and report format, in either
language and calendar. Nothing here computes: it renders analytics.comparison's
``Comparison`` as it is.
"""
from __future__ import annotations

from . import survey_stats
from .comparison import PLACES, Comparison, Judgment, target_places
from .i18n import t
from .kpis import UP
from .labels import data_label, year_label
from .periods import Period

DASH = "–"
# A verdict is never said by colour alone: a mark and a word, the same everywhere.
MARKS = {"better": "▲", "worse": "▼", "same": "＝", "workload": "●", "not_compared": "–"}
TARGET_MARKS = {"met": "○", "not_met": "×", "pending": "…", "no_data": "–"}


def number(value, kind: str, lang: str = "zh", places: int | None = None) -> str:
    """A figure as shown: 95.6% / 17,394 / 85.6 / 3.2 天; – for nothing; with
    ``places`` decimals where given (a target set finer than its figure shows)."""
    if value is None or value != value:
        return DASH
    if kind == "share":
        return f"{value:.{1 if places is None else places}%}"
    if kind == "days":
        return t("unit.days_value", lang, value=f"{value:,.{1 if places is None else places}f}")
    if places is not None:
        return f"{value:,.{places}f}"
    if kind == "count" or float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def goal_number(j, kind: str, lang: str = "zh") -> str:
    """A target's value with the decimals it was set with (2.49 天, not 2.5 天)."""
    places = target_places(j.target, kind)
    return number(j.target, kind, lang, places if places > PLACES.get(kind, 1) else None)


def places(c: Comparison) -> int | None:
    """The decimals a figure is shown with where its target was set finer than the
    figure shows (2.46 天 beside 2.49 天 以下, not 2.5 天: the reader sees what was
    judged); None for the figure's own."""
    if c.target is None:
        return None
    finer = target_places(c.target.target, c.kind)
    return finer if finer > PLACES.get(c.kind, 1) else None


def value(c: Comparison, lang: str = "zh") -> str:
    return number(c.value, c.kind, lang, places(c))


def before(c: Comparison, lang: str = "zh") -> str:
    return number(c.before, c.kind, lang, places(c))


def compared(c: Comparison, lang: str = "zh") -> str:
    return number(c.compared, c.kind, lang, places(c))


def now_figure(c: Comparison) -> float | None:
    """This period's figure in a row beside the year before and the change: the part
    both years hold where a total left something out (so that the row adds up: now −
    before = change), else the whole figure. Its notes say what was left out."""
    return c.compared if c.left_out and c.is_compared and c.compared is not None else c.value


def now(c: Comparison, lang: str = "zh") -> str:
    return number(now_figure(c), c.kind, lang, places(c))


def change(c: Comparison, lang: str = "zh", relative: bool = True) -> str:
    """+1.2 個百分點 for a share; +81（+11.2%） for a count; +0.3 for a score; – when not compared."""
    if c.change is None:
        return DASH
    if c.kind == "share":
        return t("delta.points", lang, value=f"{c.change * 100:+.1f}")
    text = f"{c.change:+,.0f}" if c.kind == "count" or float(c.change).is_integer() else f"{c.change:+,.1f}"
    if c.kind == "days":
        text = t("unit.days_value", lang, value=text)
    if relative and c.change_pct is not None:
        text += t("delta.pct", lang, pct=f"{c.change_pct:+.1%}")
    return text


def moved(c: Comparison, lang: str = "zh") -> str:
    """The number "what moved most" shows: the change as the card says it (a count's
    with its relative change)."""
    return change(c, lang)


def period(p: Period | None, lang: str = "zh", gregorian: bool = False) -> str:
    return p.label(lang, gregorian) if p is not None else DASH


def versus(c: Comparison, lang: str = "zh", gregorian: bool = False) -> str:
    """民國114年1–3月 與 113年同期比較; an annual figure: 民國114年 與 113年比較（年度數據）."""
    now = c.window
    if now is None:
        return DASH
    if c.annual:
        return t("wording.annual", lang, versus=Period(now.year).versus(Period(c.before_period.year), lang, gregorian))
    return now.versus(c.before_period, lang, gregorian)


def before_side(c: Comparison, lang: str = "zh", gregorian: bool = False) -> str:
    """The side compared with, on its own: 民國113年1–2月 / 民國113年; – without one."""
    p = c.before_period
    if p is None:
        return DASH
    return (Period(p.year) if c.annual else p).label(lang, gregorian)


def months(c: Comparison, lang: str = "zh") -> str:
    """The months compared, for a table's column: 全年 / 1–3 月 / 年度數據."""
    if c.annual:
        return t("wording.annual_short", lang)
    p = c.window
    return (p.months(lang) or t("ui.whole_year", lang)) if p is not None else DASH


def verdict(c: Comparison, lang: str = "zh") -> str:
    """▲ 較佳 / ▼ 較差 / ＝ 持平 / ● 工作量 / – 不比較."""
    return f"{MARKS[c.verdict]} {t(f'verdict.{c.verdict}', lang)}"


def verdict_word(c: Comparison, lang: str = "zh") -> str:
    return t(f"verdict.{c.verdict}", lang)


def reason(c: Comparison, lang: str = "zh", gregorian: bool = False) -> str:
    """Why a figure is not compared, in words: 民國113年同期沒有資料, 樣本太少 (n = 12) …;
    '' when it is compared."""
    if c.reason is None:
        return ""
    if c.reason == "no_data":
        p = c.window
        return t("reason.no_data", lang, period=period(p, lang, gregorian) if p else year_label(c.year, lang, gregorian)
                 if c.year else DASH)
    if c.reason == "no_previous":
        p = c.before_period
        label = year_label(p.year, lang, gregorian) if c.annual or p.whole_year else \
            t("wording.same_months", lang, year=year_label(p.year, lang, gregorian))
        return t("reason.no_previous", lang, period=label)
    if c.reason == "too_small":
        return t("reason.too_small", lang, n=f"{min(c.compared_n or 0, c.before_n or 0):,}",
                 minimum=survey_stats.MIN_TEST_N)
    if c.reason == "annual_incomplete":
        return t("reason.annual_incomplete", lang, year=year_label(c.year, lang, gregorian))
    return t(f"reason.{c.reason}", lang)


def status(c: Comparison, lang: str = "zh", gregorian: bool = False) -> str:
    """The verdict, or the reason it is not compared: what a table's 評估 column holds
    (with a word where the change is over only what both sides held)."""
    if not c.is_compared:
        return f"{MARKS['not_compared']} {reason(c, lang, gregorian)}"
    return verdict(c, lang) + (t("wording.part_only", lang) if c.left_out else "")


def coverage(c: Comparison, lang: str = "zh", gregorian: bool = False) -> str:
    """'只比較兩年都有的案件類別；未計入：量桶檢定（只有民國114年）' — what a total left out; ''."""
    parts = []
    for gap in c.left_out:
        names = []
        for side, year in (("only_now", c.year), ("only_before", c.before_period.year if c.before_period else None)):
            for name in getattr(gap, side):
                names.append(t("wording.only_in", lang, name=data_label(name, lang),
                               year=year_label(year, lang, gregorian) if year else DASH))
        parts.append(t("wording.left_out", lang, what=t(f"wording.cover.{gap.column}", lang),
                       names=t("sum.list_join", lang).join(names)))
    return t("wording.sep", lang).join(parts)


def short_before(c: Comparison, lang: str = "zh", gregorian: bool = False) -> str:
    """'民國113年的資料只到 2 月' where the earlier side stops inside the months compared."""
    if c.before_last is None or c.before_period is None or c.annual:
        return ""
    return t("wording.short_before", lang, year=year_label(c.before_period.year, lang, gregorian),
             month=t(f"month.{c.before_last}", lang))


def notes(c: Comparison, lang: str = "zh", gregorian: bool = False, in_row: bool = False) -> list[str]:
    """What a reader must know beside the change: what was left out, a short earlier
    side, and the other of the two figures — beside a card (the whole figure), the
    common part's two numbers; beside a row that shows the common part (``in_row``,
    see ``now``), the whole figure."""
    out = [coverage(c, lang, gregorian), short_before(c, lang, gregorian)]
    if c.left_out and c.is_compared and c.compared is not None and c.value != c.compared:
        out.append(t("wording.whole_figure", lang, now=value(c, lang)) if in_row else
                   t("wording.compared_part", lang, now=compared(c, lang), before=before(c, lang)))
    return [x for x in out if x]


def direction(j: Judgment, lang: str = "zh") -> str:
    return t("target.at_least" if j.direction == UP else "target.at_most", lang)


def target(c: Comparison, lang: str = "zh", gregorian: bool = False) -> str:
    """'目標 95.0% 以上：○ 達成（依 1–3 月資料）' / '目標 700 以上：… 尚不判定（資料至 3 月）'; '' without one."""
    j = c.target
    if j is None:
        return ""
    goal = t("target.goal", lang, target=goal_number(j, c.kind, lang), side=direction(j, lang))
    return t("target.line", lang, goal=goal, state=judgment(c, lang, gregorian))


def judgment(c: Comparison, lang: str = "zh", gregorian: bool = False) -> str:
    """○ 達成 / × 未達成 / … 尚不判定（資料至 3 月） / – 沒有資料, with the months a
    partial judgment rests on."""
    j = c.target
    if j is None:
        return DASH
    text = f"{TARGET_MARKS[j.state]} {t(f'target.{j.state}', lang)}"
    if j.state == "pending" and j.on is not None and not c.annual:
        text += t("target.held_to", lang, month=t(f"month.{j.on.last}", lang))
    elif j.state in ("met", "not_met") and j.partial and j.on is not None and not j.on.whole_year and not c.annual:
        text += t("target.judged_on", lang, months=j.on.months(lang))
    return text


def goal(c: Comparison, lang: str = "zh") -> str:
    """The target's value and side: 95.0% 以上; – without one."""
    if c.target is None:
        return DASH
    return t("target.goal", lang, target=goal_number(c.target, c.kind, lang), side=direction(c.target, lang))


def name(c: Comparison, lang: str = "zh") -> str:
    """The KPI's name, or the case type or dimension compared."""
    return str(data_label(c.name, lang)) if c.name is not None else c.kpi.name(lang)
