"""One sentence per chart, in words, with its key numbers: what a manager would say
looking at it, and the chart's text alternative for those who cannot see it. Each is
made from the same rows the chart draws, in the reader's language and calendar."""
from __future__ import annotations

import collections
import math

import pandas as pd

from . import wording
from .comparison import Comparison
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

    def then(self, text: str, more: str) -> str:
        """``more`` after ``text``: in English with a space between two sentences (Chinese
        sentences follow each other without one)."""
        space = self.lang != "zh" and text and more and not text.endswith(" ") and not more.startswith(" ")
        return f"{text} {more}" if space else text + more

    def names(self, values) -> str:
        """One name, or several tied ones: 'A' / 'A、B 並列' ('A and B, tied')."""
        said = [self.name(v) for v in values]
        return said[0] if len(said) == 1 else self("sum.ties", names=self("sum.list_join").join(said))

    def versus_period(self, c: Comparison) -> str:
        return self.period(c.window) if c.window is not None else self.year(c.year)

    def said_change(self, c: Comparison) -> str:
        """A count's change as sentences say it ('較前一年增加 5.3%'), or why there is none."""
        if not c.is_compared:
            return wording.reason(c, self.lang, self.gregorian)
        return self.change(c.change_pct)

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


def _all(w: Words, names: list) -> str:
    """Names listed (no 並列: the sentence says they are alike)."""
    return w("sum.list_join").join(w.name(n) for n in names)


def _ends(names: list, values: list, shown) -> tuple[str, list, list] | None:
    """The highest and the lowest of ``values`` as a reader sees them (``shown``), ties
    together: ("one", [name], []) for a single row, ("same", every name, []) when all
    read alike, else ("ends", highest names, lowest names) — never one name as both."""
    if not names:
        return None
    said = [shown(v) for v in values]
    if len(names) == 1:
        return "one", list(names), []
    if len(set(said)) == 1:
        return "same", list(names), []
    top, low = said[values.index(max(values))], said[values.index(min(values))]
    return ("ends", [n for n, s in zip(names, said) if s == top], [n for n, s in zip(names, said) if s == low])


# ------------------------------------------------------------------ cases

def by_unit(frame: pd.DataFrame, period: Period, w: Words, value: str = "count") -> str:
    if frame.empty:
        return _nothing(w)
    kind, top, bottom = _ends(list(frame["unit"]), [float(v) for v in frame[value]], w.count)
    n = dict(zip(frame["unit"], frame[value]))
    if kind != "ends":
        return w("sum.by_unit_one" if kind == "one" else "sum.by_unit_same", period=w.period(period),
                 units=len(frame), unit=_all(w, top), n=w.count(n[top[0]]))
    return w("sum.by_unit", period=w.period(period), top=w.names(top), top_n=w.count(n[top[0]]),
             bottom=w.names(bottom), bottom_n=w.count(n[bottom[0]]), units=len(frame),
             mean=w.count(frame[value].mean()))


def year_totals(rows: list[Comparison], w: Words) -> str:
    """'民國 113 年線上申辦 4,512 件居首，較前一年增加 5.3%。…' — from the case types'
    comparisons, so the sentence says what the table and the report say; ties named."""
    held = [c for c in rows if c.value is not None]
    if not held:
        return _nothing(w)
    top = max(c.value for c in held)
    leaders = [c for c in held if c.value == top]
    first = leaders[0]
    text = w("sum.year_totals", period=w.versus_period(first), type=w.names([c.name for c in leaders]),
             total=w.count(top),
             change=w.said_change(first), types=len(held), all=w.count(sum(c.value for c in held)))
    # A rise from 2 to 6 cases (+200 %) would always lead: types the year before held
    # fewer than MOVERS_FROM cases of are not ranked by their change, and are named.
    movers = [c for c in held if c.change_pct is not None and (c.before or 0) >= MOVERS_FROM]
    ranked = False
    for pick, key, sign in ((max, "sum.most_up", 1), (min, "sum.most_down", -1)):
        if movers:
            best = pick(c.change_pct for c in movers)
            if best * sign > 0:
                tied = [c for c in movers if c.change_pct == best]
                text = w.then(text, w(key, type=w.names([c.name for c in tied]), change=w.change(best)))
                ranked = True
    small = [c.name for c in held if c.change_pct is not None and (c.before or 0) < MOVERS_FROM]
    if ranked and small:
        text = w.then(text, w("sum.movers_small_base", types=w("sum.list_join").join(map(w.name, small)),
                              n=MOVERS_FROM))
    return text


MOVERS_FROM = 10     # cases the year before, for a type's change to be ranked


def per_type(rows: list[Comparison], key: str, w: Words) -> str:
    """On-time rate or processing days per case type: the weakest type (ties named) and
    how the whole figure moved."""
    rows = [c for c in rows if c.value is not None]
    if not rows:
        return _nothing(w)
    kind, high, low = _ends([c.name for c in rows], [c.value for c in rows],
                            lambda v: wording.number(v, rows[0].kind, w.lang))
    said = {c.name: wording.value(c, w.lang) for c in rows}
    if kind != "ends":
        return w(f"sum.per_type.{key}_{kind}", period=w.versus_period(rows[0]), types=len(rows), type=_all(w, high),
                 value=said[high[0]])
    worst, best = (low, high) if key == "on_time_rate" else (high, low)
    return w(f"sum.per_type.{key}", period=w.versus_period(rows[0]), types=len(rows),
             worst=w.names(worst), worst_value=said[worst[0]], best=w.names(best), best_value=said[best[0]])


# ------------------------------------------------------------------ overview and comparisons

def scorecard(dims, year: int, w: Words) -> str:
    """The dimensions' self-score rates: the highest and lowest (ties named, all alike
    said so) and the total."""
    rows = [d for d in dims if d.pct.value is not None]
    if not rows:
        return _nothing(w)
    score = w.count(sum(d.score.value or 0 for d in rows))
    points = w.count(sum(d.points or 0 for d in rows))
    shown = {d.name: w.pct(d.pct.value) for d in rows}
    if len(set(shown.values())) == 1:
        return w("sum.scorecard_same", year=w.year(year), pct=shown[rows[0].name], score=score, points=points)
    top = [d.name for d in rows if shown[d.name] == max(shown.values(), key=lambda s: float(s.rstrip("%")))]
    low = [d.name for d in rows if shown[d.name] == min(shown.values(), key=lambda s: float(s.rstrip("%")))]
    return w("sum.scorecard", year=w.year(year), top=w.names(top), top_pct=shown[top[0]], low=w.names(low),
             low_pct=shown[low[0]], score=score, points=points)


def moves(merit: list[Comparison], workload: list[Comparison], w: Words) -> str:
    """The three largest moves of each kind, merit first, each with the number its card
    shows and its verdict in words; where only workload moved, it says first that
    nothing of merit can be compared."""
    if not merit and not workload:
        return _nothing(w)
    text = "" if merit else w("sum.moves_no_merit")     # only workload: nothing to act on, said first
    for key, rows in (("sum.moves_merit", merit), ("sum.moves_workload", workload)):
        if rows:
            parts = [w("sum.move", what=w.name(wording.name(c, w.lang)), change=wording.moved(c, w.lang),
                       verdict=wording.verdict_word(c, w.lang)) for c in rows[:3]]
            text = w.then(text, w(key, moves=w("sum.join").join(parts)))
    return text


def comparison(rows: list[Comparison], w: Words) -> str:
    """How many KPIs got better and worse, and the largest of each (by the one measure
    "what moved most" ranks on; ties named)."""
    if not rows or all(c.value is None for c in rows):
        return _nothing(w)
    count = {v: sum(1 for c in rows if c.verdict == v) for v in ("better", "worse", "same", "workload", "not_compared")}
    text = w("sum.comparison", **count)
    for verdict, key in (("better", "sum.best_gain"), ("worse", "sum.worst_loss")):
        part = [c for c in rows if c.verdict == verdict and c.moved() is not None]
        if part:
            most = max(c.moved() for c in part)
            tied = [c for c in part if c.moved() == most]
            text = w.then(text, w(key, what=w.names([wording.name(c, w.lang) for c in tied]),
                                  change=wording.change(tied[0], w.lang)))
    return text


def targets(rows: list[Comparison], year: int | list[int], w: Words) -> str:
    """How many KPIs with a target met it in ``year`` (or in the years the rows are of,
    each KPI its own year in view, all named), how many did not and how many wait for
    the year's end; the ones that did not, by name (what a manager asks first)."""
    state = collections.Counter(c.target.state for c in rows)
    pending = len(rows) - state["met"] - state["not_met"]
    said = w.year(year) if isinstance(year, int) else w("sum.list_join").join(w.year(y) for y in year)
    text = w("sum.targets", year=said, total=len(rows), met=state["met"], missed=state["not_met"],
             pending=w("sum.targets_pending", n=pending) if pending else "")
    missed = [w.name(wording.name(c, w.lang)) for c in rows if c.target.state == "not_met"]
    if missed:
        text = w.then(text, w("sum.targets_missed", names=w("sum.list_join").join(missed)))
    return text


# ------------------------------------------------------------------ satisfaction

def items(frame: pd.DataFrame, period: Period, names: dict, weak: list[str], w: Words) -> str:
    """Overall satisfaction with its interval, and the weakest items as the chart flags
    them (none where every item is alike)."""
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
    if len(parts) and weak:
        first = parts.set_index("item").loc[weak[0]]
        text = w.then(text, w("sum.sat_lowest", item=w.names([names[i] for i in weak if
                                                              w.pct(parts.set_index("item").loc[i, "rate"]) ==
                                                              w.pct(first["rate"])]),
                              rate=w.pct(first["rate"]), n=w.count(first["answered"])))
    elif len(parts):
        text = w.then(text, w("sum.sat_all_best", rate=w.pct(parts["rate"].max())))
    return text


def distribution(frame: pd.DataFrame, w: Words) -> str:
    if frame.empty:
        return _nothing(w)
    answers = frame.groupby("answer")["count"].sum()
    total = answers.sum()
    return w("sum.likert", good=w.pct(answers[answers.index >= 4].sum() / total),
             bad=w.pct(answers[answers.index <= 2].sum() / total), n=w.count(total))


def groups(frame: pd.DataFrame, w: Words) -> str:
    """The highest and lowest group by overall satisfaction; ties named as ties (rates
    compared as shown)."""
    rows = frame[frame["answered"] > 0]
    if rows.empty:
        return _nothing(w)
    if len(rows) == 1:
        one = rows.iloc[0]
        return w("sum.group_one", group=w.name(one["group"]), rate=w.pct(one["rate"]), n=w.count(one["answered"]))
    shown = rows.assign(said=[w.pct(r) for r in rows["rate"]], value=[round(r, 3) for r in rows["rate"]])
    if shown["said"].nunique() == 1:
        return w("sum.groups_tie", groups=w.names(list(shown["group"])), rate=shown["said"].iat[0])
    top = shown[shown["value"] == shown["value"].max()]
    low = shown[shown["value"] == shown["value"].min()]
    return w("sum.groups", top=w.names(list(top["group"])), top_rate=top["said"].iat[0],
             top_n=w.count(top["answered"].sum()) if len(top) == 1 else w("sum.list_join").join(w.count(n) for n in top["answered"]),
             low=w.names(list(low["group"])), low_rate=low["said"].iat[0],
             low_n=w.count(low["answered"].sum()) if len(low) == 1 else w("sum.list_join").join(w.count(n) for n in low["answered"]))


def trend(frame: pd.DataFrame, labels: list[str], w: Words) -> str:
    if frame.empty:
        return _nothing(w)
    first, last = frame.iloc[0], frame.iloc[-1]
    low = frame.loc[frame["rate"].idxmin()]
    return w("sum.sat_trend", first=labels[0], first_rate=w.pct(first["rate"]), last=labels[-1],
             last_rate=w.pct(last["rate"]), low=labels[list(frame.index).index(low.name)], low_rate=w.pct(low["rate"]))


def response(frame: pd.DataFrame, year: int, rate, w: Words) -> str:
    """The branch's response rate with the numbers of its table: what came back, what
    counted (never more than was issued, office by office), what was issued."""
    if frame.empty or rate is None:
        return _nothing(w)
    low = frame[frame["rate"] == frame["rate"].min()]
    returned, counted, issued = frame["returned"].sum(), frame["counted"].sum(), frame["issued"].sum()
    key = "sum.response_capped" if returned > counted else "sum.response"
    return w(key, year=w.year(year), rate=w.pct(rate), returned=w.count(returned), counted=w.count(counted),
             issued=w.count(issued), low=w.names(list(low["office"])), low_rate=w.pct(low["rate"].iat[0]))


# ------------------------------------------------------------------ phone tests

def phone_units(frame: pd.DataFrame, overall: float | None, w: Words) -> str:
    if frame.empty:
        return _nothing(w)
    kind, top, low = _ends(list(frame["group"]), [float(v) for v in frame["pass_rate"]], w.pct)
    rate, tests = dict(zip(frame["group"], frame["pass_rate"])), dict(zip(frame["group"], frame["tests"]))
    overall_said = w.pct(overall) if overall is not None else "–"
    if kind != "ends":
        return w("sum.phone_units_one" if kind == "one" else "sum.phone_units_same", units=len(frame),
                 overall=overall_said, unit=_all(w, top), rate=w.pct(rate[top[0]]))
    return w("sum.phone_units", units=len(frame), overall=overall_said, top=w.names(top),
             top_rate=w.pct(rate[top[0]]), low=w.names(low), low_rate=w.pct(rate[low[0]]),
             low_n=w("sum.list_join").join(w.count(tests[u]) for u in low))


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
    kind, high, low = _ends(list(frame["item"]), [float(v) for v in frame["share"]], w.pct)
    share = dict(zip(frame["item"], frame["share"]))
    if kind != "ends":
        return w("sum.phone_items_one" if kind == "one" else "sum.phone_items_same", item=_all(w, high),
                 share=w.pct(share[high[0]]), items=len(frame))
    return w("sum.phone_items", low=w.names(low), low_share=w.pct(share[low[0]]), high=w.names(high),
             high_share=w.pct(share[high[0]]))


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
        text = w.then(text, w("sum.dim_review", review=w.count(reviewed["review_score"].sum()),
                              own=w.count(reviewed["self_score"].sum())))
    return text


def dimension_years(dims, year: int, w: Words) -> str:
    if not dims:
        return _nothing(w)
    parts = [w("sum.dim_year", dimension=w.name(d.name), pct=w.pct(d.pct.value),
               change=wording.change(d.pct, w.lang) if d.pct.is_compared else wording.reason(d.pct, w.lang,
                                                                                               w.gregorian))
             for d in dims if d.pct.value is not None]
    return w("sum.dim_years", year=w.year(year), parts=w("sum.join").join(parts)) if parts else _nothing(w)


def dimension_change(dims, total: Comparison | None, year: int, w: Words) -> str:
    """The self score's change as its comparison (``total``, the KPI 自評總分) says it,
    with what it left out; then the dimensions that rose and fell most."""
    rows = [d for d in dims if d.score.change is not None]
    if not rows:
        return _nothing(w)
    text = ""
    if total is not None and total.is_compared:
        text = w("sum.dim_change", year=w.year(year), change=wording.change(total, w.lang, relative=False))
        notes = wording.notes(total, w.lang, w.gregorian)
        if notes:
            text = text.rstrip("。.") + w("sum.note_after", notes=w("sum.join").join(notes))
    for pick, key, sign in ((max, "sum.dim_change_up", 1), (min, "sum.dim_change_down", -1)):
        best = pick(d.score.change for d in rows)
        if best * sign > 0:
            tied = [d for d in rows if d.score.change == best]
            # tied in points, not in per cent of each one's score before: the % only for one
            text = w.then(text, w(key, dimension=w.names([d.name for d in tied]),
                                  change=wording.change(tied[0].score, w.lang, relative=len(tied) == 1)))
    return text


