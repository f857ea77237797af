"""One sentence per chart, in words, with its key numbers: what a manager would say
looking at it, and the chart's text alternative for those who cannot see it. Each is
made from the same rows the chart draws, in the reader's language and calendar."""
from __future__ import annotations

import math

import pandas as pd

from .i18n import t
from .labels import data_label, month_label, year_label
from .periods import Period


class Words:
    """The reader's language and calendar, and how numbers are said in them."""

    def __init__(self, lang: str = "zh", gregorian: bool = False):
        self.lang, self.gregorian = lang, gregorian

    def __call__(self, key: str, **params) -> str:
        return t(key, self.lang, **params)

    def year(self, year) -> str:
        return year_label(int(year), self.lang, self.gregorian)

    def period(self, period: Period) -> str:
        return period.label(self.lang, self.gregorian)

    def month(self, month) -> str:
        return month_label(month, self.gregorian)

    def name(self, value) -> str:
        return str(data_label(value, self.lang))

    @staticmethod
    def count(value) -> str:
        return f"{value:,.0f}"

    @staticmethod
    def pct(value, digits: int = 1) -> str:
        return f"{value:.{digits}%}"

    def change(self, pct) -> str:
        """'增加 5.3%' / 'a rise of 5.3%' / '持平'."""
        if pct is None or (isinstance(pct, float) and math.isnan(pct)):
            return self("sum.no_change_known")
        if round(pct * 1000) == 0:
            return self("sum.flat")
        return self("sum.up" if pct > 0 else "sum.down", pct=f"{abs(pct):.1%}")

    def points(self, change) -> str:
        """'上升 1.2 個百分點' for a change of a share."""
        if change is None or (isinstance(change, float) and math.isnan(change)):
            return self("sum.no_change_known")
        if round(change * 1000) == 0:
            return self("sum.flat")
        return self("sum.points_up" if change > 0 else "sum.points_down", points=f"{abs(change) * 100:.1f}")


def _nothing(w: Words) -> str:
    return w("sum.nothing")


# ------------------------------------------------------------------ cases

def monthly_total(frame: pd.DataFrame, w: Words) -> str:
    if frame.empty:
        return _nothing(w)
    peak = frame.loc[frame["count"].idxmax()]
    low = frame.loc[frame["count"].idxmin()]
    return w("sum.monthly_total", first=w.month(frame["month"].iat[0]), last=w.month(frame["month"].iat[-1]),
             total=w.count(frame["count"].sum()), peak_month=w.month(peak["month"]), peak=w.count(peak["count"]),
             low_month=w.month(low["month"]), low=w.count(low["count"]))


def monthly_types(frame: pd.DataFrame, w: Words) -> str:
    if frame.empty:
        return _nothing(w)
    totals = frame.groupby("case_type")["count"].sum().sort_values(ascending=False)
    parts = []
    for case_type, total in totals.items():
        rows = frame[frame["case_type"] == case_type]
        peak = rows.loc[rows["count"].idxmax()]
        parts.append(w("sum.monthly_type", type=w.name(case_type), total=w.count(total),
                       peak_month=w.month(peak["month"]), peak=w.count(peak["count"])))
    return w("sum.join").join(parts) + w("sum.end")


def by_unit(frame: pd.DataFrame, period: Period, w: Words, value: str = "count") -> str:
    if frame.empty:
        return _nothing(w)
    top, bottom = frame.iloc[0], frame.iloc[-1]
    return w("sum.by_unit", period=w.period(period), top=w.name(top["unit"]), top_n=w.count(top[value]),
             bottom=w.name(bottom["unit"]), bottom_n=w.count(bottom[value]), units=len(frame),
             mean=w.count(frame[value].mean()))


def year_totals(frame: pd.DataFrame, period: Period, w: Words) -> str:
    """'民國 113 年線上申辦 4,512 件居首，較前一年增加 5.3%。…'"""
    if frame.empty:
        return _nothing(w)
    first = frame.iloc[0]
    text = w("sum.year_totals", period=w.period(period), type=w.name(first["case_type"]), total=w.count(first["total"]),
             change=w.change(first["change_pct"]), types=len(frame), all=w.count(frame["total"].sum()))
    movers = frame[frame["change_pct"].notna() & (frame["previous"] >= 10)]
    if len(movers):
        up = movers.loc[movers["change_pct"].idxmax()]
        down = movers.loc[movers["change_pct"].idxmin()]
        if up["change_pct"] > 0:
            text += w("sum.most_up", type=w.name(up["case_type"]), change=w.change(up["change_pct"]))
        if down["change_pct"] < 0:
            text += w("sum.most_down", type=w.name(down["case_type"]), change=w.change(down["change_pct"]))
    return text


def on_time(frame: pd.DataFrame, year: int, w: Words) -> str:
    rows = frame[(frame["year"] == year) & frame["on_time_rate"].notna()]
    if rows.empty:
        return _nothing(w)
    low = rows.loc[rows["on_time_rate"].idxmin()]
    return w("sum.on_time", year=w.year(year), types=len(rows), all=w.pct(rows["on_time"].sum() / rows["counted"].sum()),
             low_type=w.name(low["case_type"]), low=w.pct(low["on_time_rate"]))


def days(frame: pd.DataFrame, year: int, w: Words) -> str:
    rows = frame[(frame["year"] == year) & frame["avg_days"].notna()]
    if rows.empty:
        return _nothing(w)
    slow = rows.loc[rows["avg_days"].idxmax()]
    fast = rows.loc[rows["avg_days"].idxmin()]
    return w("sum.days", year=w.year(year), slow=w.name(slow["case_type"]), slow_days=f"{slow['avg_days']:.1f}",
             fast=w.name(fast["case_type"]), fast_days=f"{fast['avg_days']:.1f}")


# ------------------------------------------------------------------ overview and comparisons

def scorecard(dims: pd.DataFrame, year: int, w: Words) -> str:
    rows = dims[dims["pct"].notna()]
    if rows.empty:
        return _nothing(w)
    top, low = rows.loc[rows["pct"].idxmax()], rows.loc[rows["pct"].idxmin()]
    return w("sum.scorecard", year=w.year(year), top=w.name(top["dimension"]), top_pct=w.pct(top["pct"]),
             low=w.name(low["dimension"]), low_pct=w.pct(low["pct"]), score=w.count(rows["self_score"].sum()),
             points=w.count(rows["points"].sum()))


def moves(frame: pd.DataFrame, names: list[str], w: Words) -> str:
    """The three largest moves (``names`` says each row's name), with their verdicts."""
    if frame.empty:
        return _nothing(w)
    parts = [w("sum.move", what=name, change=f"{change:+.1%}", verdict=w(f"ui.{verdict}"))
             for name, change, verdict in list(zip(names, frame["change_pct"], frame["verdict"]))[:3]]
    return w("sum.moves", moves=w("sum.join").join(parts))


def comparison(frame: pd.DataFrame, names: list[str], w: Words) -> str:
    """How many KPIs got better and worse, and the largest of each."""
    frame = frame.reset_index(drop=True)
    names = dict(enumerate(names))
    compared = frame[frame["compared"].astype(bool)]
    if compared.empty:
        return _nothing(w)
    better = compared[compared["verdict"] == "better"]
    worse = compared[compared["verdict"] == "worse"]
    text = w("sum.comparison", better=len(better), worse=len(worse),
             neither=int((compared["verdict"] == "neither").sum()), same=int((compared["verdict"] == "same").sum()))
    for part, key in ((better, "sum.best_gain"), (worse, "sum.worst_loss")):
        part = part[part["change_pct"].notna()]
        if len(part):
            row = part.loc[part["change_pct"].abs().idxmax()]
            text += w(key, what=names[row.name], change=f"{row['change_pct']:+.1%}")
    return text


# ------------------------------------------------------------------ satisfaction

def items(frame: pd.DataFrame, period: Period, names: dict, w: Words) -> str:
    rows = frame[frame["answered"] > 0]
    if rows.empty:
        return _nothing(w)
    parts = rows[rows["item"] != "overall"]
    text = ""
    overall = rows[rows["item"] == "overall"]
    if len(overall):
        o = overall.iloc[0]
        text = w("sum.sat_overall", period=w.period(period), rate=w.pct(o["rate"]), low=w.pct(o["ci_low"]),
                 high=w.pct(o["ci_high"]), n=w.count(o["answered"]))
    if len(parts):
        low = parts.loc[parts["rate"].idxmin()]
        text += w("sum.sat_lowest", item=names[low["item"]], rate=w.pct(low["rate"]), n=w.count(low["answered"]))
    return text


def distribution(frame: pd.DataFrame, w: Words) -> str:
    if frame.empty:
        return _nothing(w)
    answers = frame.groupby("answer")["count"].sum()
    total = answers.sum()
    return w("sum.likert", good=w.pct(answers[answers.index >= 4].sum() / total),
             bad=w.pct(answers[answers.index <= 2].sum() / total), n=w.count(total))


def groups(frame: pd.DataFrame, w: Words) -> str:
    rows = frame[frame["answered"] > 0]
    if rows.empty:
        return _nothing(w)
    top, low = rows.loc[rows["rate"].idxmax()], rows.loc[rows["rate"].idxmin()]
    if top["group"] == low["group"]:
        return w("sum.group_one", group=w.name(top["group"]), rate=w.pct(top["rate"]), n=w.count(top["answered"]))
    return w("sum.groups", top=w.name(top["group"]), top_rate=w.pct(top["rate"]), top_n=w.count(top["answered"]),
             low=w.name(low["group"]), low_rate=w.pct(low["rate"]), low_n=w.count(low["answered"]))


def trend(frame: pd.DataFrame, labels: list[str], w: Words) -> str:
    if frame.empty:
        return _nothing(w)
    first, last = frame.iloc[0], frame.iloc[-1]
    low = frame.loc[frame["rate"].idxmin()]
    return w("sum.sat_trend", first=labels[0], first_rate=w.pct(first["rate"]), last=labels[-1],
             last_rate=w.pct(last["rate"]), low=labels[list(frame.index).index(low.name)], low_rate=w.pct(low["rate"]))


def response(frame: pd.DataFrame, year: int, overall: float | None, w: Words) -> str:
    if frame.empty or overall is None:
        return _nothing(w)
    low = frame.loc[frame["rate"].idxmin()]
    return w("sum.response", year=w.year(year), rate=w.pct(overall), returned=w.count(frame["counted"].sum()),
             issued=w.count(frame["issued"].sum()), low=w.name(low["office"]), low_rate=w.pct(low["rate"]))


# ------------------------------------------------------------------ phone tests

def phone_units(frame: pd.DataFrame, overall: float | None, w: Words) -> str:
    if frame.empty:
        return _nothing(w)
    top, low = frame.iloc[0], frame.iloc[-1]
    return w("sum.phone_units", units=len(frame), overall=w.pct(overall) if overall is not None else "–",
             top=w.name(top["group"]), top_rate=w.pct(top["pass_rate"]), low=w.name(low["group"]),
             low_rate=w.pct(low["pass_rate"]), low_n=w.count(low["tests"]))


def phone_rounds(frame: pd.DataFrame, round_names: dict, w: Words) -> str:
    if frame.empty:
        return _nothing(w)
    last = frame["round"].iloc[-1]
    rows = frame[frame["round"] == last]
    parts = [w("sum.phone_type", type=w.name(t_), rate=w.pct(r), n=w.count(n))
             for t_, r, n in zip(rows["test_type"], rows["pass_rate"], rows["tests"])]
    return w("sum.phone_rounds", round=round_names.get(last, last), parts=w("sum.join").join(parts))


def phone_items(frame: pd.DataFrame, w: Words) -> str:
    if frame.empty:
        return _nothing(w)
    low, high = frame.iloc[0], frame.iloc[-1]
    return w("sum.phone_items", low=w.name(low["item"]), low_share=w.pct(low["share"]), high=w.name(high["item"]),
             high_share=w.pct(high["share"]))


def phone_scores(frame: pd.DataFrame, mark: float, w: Words) -> str:
    tests = frame["tests"].sum() if not frame.empty else 0
    if not tests:
        return _nothing(w)
    passed = frame["passed"].sum()
    return w("sum.phone_scores", tests=w.count(tests), passed=w.count(passed), share=w.pct(passed / tests),
             mark=f"{mark:g}")


# ------------------------------------------------------------------ dimensions

def dimension_items(frame: pd.DataFrame, year: int, w: Words) -> str:
    rows = frame[frame["self_pct"].notna()]
    if rows.empty:
        return _nothing(w)
    low = rows.loc[rows["self_pct"].idxmin()]
    text = w("sum.dim_items", year=w.year(year), items=len(rows), score=w.count(rows["self_score"].sum()),
             points=w.count(rows["points"].sum()), low=w.name(low["item"]), low_pct=w.pct(low["self_pct"]))
    reviewed = rows[rows["review_score"].notna()]
    if len(reviewed):
        text += w("sum.dim_review", review=w.count(reviewed["review_score"].sum()),
                  own=w.count(reviewed["self_score"].sum()))
    return text


def dimension_years(frame: pd.DataFrame, year: int, w: Words) -> str:
    now = frame[frame["year"] == year]
    before = frame[frame["year"] == year - 1].set_index("dimension")
    if now.empty:
        return _nothing(w)
    parts = [w("sum.dim_year", dimension=w.name(d), pct=w.pct(p),
               change=w.points(p - before.loc[d, "self_pct"]) if d in before.index else w("sum.no_change_known"))
             for d, p in zip(now["dimension"], now["self_pct"])]
    return w("sum.dim_years", year=w.year(year), parts=w("sum.join").join(parts))


def dimension_change(frame: pd.DataFrame, year: int, w: Words) -> str:
    rows = frame[frame["change"].notna()]
    if rows.empty:
        return _nothing(w)
    up, down = rows.loc[rows["change"].idxmax()], rows.loc[rows["change"].idxmin()]
    text = w("sum.dim_change", year=w.year(year), change=f"{rows['change'].sum():+g}")
    if up["change"] > 0:
        text += w("sum.dim_change_up", dimension=w.name(up["dimension"]), change=f"{up['change']:+g}")
    if down["change"] < 0:
        text += w("sum.dim_change_down", dimension=w.name(down["dimension"]), change=f"{down['change']:+g}")
    return text
