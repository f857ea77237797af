"""One comparison model: for a KPI (or a case type, or a dimension) and a view, the
figure, the months it covers, what it covers, the figure it is compared with, the
change in the KPI's own unit, the verdict with its true reason, and the target's
judgment. Every KPI card, "what moved most", 年度比較, every chart sentence, table,
download and report format renders a ``Comparison``; none computes one of its own.

The rules (docs/design.md, "Comparisons"):

- **The year in view** is the view's year, or — on a page — the latest year of the
  sidebar's range that holds rows of the dataset under the filters.
- **Months**: both sides cover January to the last month the later side holds (to June
  or that month, whichever is earlier, in a half-year view); the year before unless the
  view names another. Where the earlier side's rows stop before that month, the
  comparison says so (``before_last``).
- **Coverage**: a total compares only what both sides hold — case types and units,
  offices, units tested, dimensions — and names what it left out (``left_out``);
  ``value`` is the whole figure, ``compared`` the part that both sides hold.
- **Annual figures** (問卷回收率, 構面評分) are the year's, compared with the year
  before's, labelled annual, never 同期; a response rate is not compared, nor its
  target judged, while the year's questionnaires are still coming in.
- **Change**: percentage points for a share (``change`` is the difference of the
  fractions), the difference and the relative change for counts, scores and days.
- **Verdict**: better or worse by the KPI's direction, workload where it has none,
  same when the change rounds to nothing as shown; not compared, with the reason:
  no data this period (no_data), none the year before (no_previous), nothing held on
  both sides (coverage), an annual figure not final (annual_incomplete), or a sampled
  rate below survey_stats.MIN_TEST_N on a side (too_small).
- **Targets**: met when the figure as shown is on the target's side (以上 or 以下, the
  KPI's default where the sheet says neither); a cumulative count is pending until its
  year (half) is over; a rate or score is judged on the months held, and says so.

Figures never import how they are said: nothing here imports report/, summaries,
wording or export (an import-linter contract holds it).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import definitions as d
from . import survey_stats
from .kpis import BY_KEY, FIGURES, KPIS, NEITHER, UP, Kpi, Target, targets_for
from .metrics import Filters, _where, latest_year
from .periods import DATED, Period, complete, held, last_months, window


@dataclass(frozen=True)
class View:
    """What a page or a report looks at: the sidebar's filters, the year in view (None:
    each dataset's latest year in the filters' range), a half-year view, and the year
    compared with (None: the year before)."""

    filters: Filters = Filters()
    year: int | None = None
    half: bool = False
    against: int | None = None


@dataclass(frozen=True)
class Judgment:
    """A target judged: its value and side, ``state`` met / not_met / pending / no_data,
    and the months the judgment rests on (``partial``: part of the year, a rate judged on
    the months held)."""

    target: float
    direction: int
    state: str
    on: Period | None
    partial: bool = False


@dataclass(frozen=True)
class LeftOut:
    """What one side held that the other did not, in one coverage column."""

    column: str                      # case_type | unit | office | dimension
    only_now: tuple[str, ...]
    only_before: tuple[str, ...]


@dataclass(frozen=True)
class Comparison:
    kpi: Kpi
    name: str | None                 # the case type or dimension compared (None: the KPI as a whole)
    year: int | None                 # the year in view
    value: float | None              # the figure over ``period``, everything it covers
    period: Period | None            # the months ``value`` covers (None: nothing in view)
    # ``before_period`` is the months compared: the same months of the year in view are
    # compared with it (``window``), whatever ``period`` says
    complete: bool                   # ``period`` holds the whole year's (half's) rows
    before: float | None             # the figure compared with, over ``before_period`` and the common coverage
    before_period: Period | None
    compared: float | None           # ``value`` over the common coverage (``value`` when nothing was left out)
    change: float | None             # compared − before, in the KPI's unit (a fraction for a share)
    change_pct: float | None         # change ÷ before, for counts, scores and days (never for a share)
    verdict: str                     # better | worse | same | workload | not_compared
    reason: str | None = None        # no_data | no_previous | coverage | annual_incomplete | too_small
    left_out: tuple[LeftOut, ...] = ()
    before_last: int | None = None   # the earlier side's last month held, where it stops inside the window
    n: int | None = None             # answers or tests behind a sampled rate's ``value`` …
    k: float | None = None           # … and their numerator (satisfied answers, passed tests)
    compared_n: int | None = None    # the same over the part both sides hold
    compared_k: float | None = None
    before_n: int | None = None
    before_k: float | None = None
    target: Judgment | None = None

    @property
    def window(self) -> Period | None:
        """The months of the year in view that are compared."""
        return self.before_period.shifted(self.year) if self.before_period is not None and self.year else None

    @property
    def key(self) -> str:
        """The KPI's key; for a case type or dimension, its KPI's key and its name (case_type:線上申辦)."""
        return self.kpi.key

    @property
    def kind(self) -> str:
        return self.kpi.kind

    @property
    def annual(self) -> bool:
        return self.kpi.annual

    @property
    def is_compared(self) -> bool:
        return self.verdict != "not_compared"

    @property
    def merit(self) -> bool:
        return self.kpi.better != NEITHER

    def points(self) -> float | None:
        """A change in percentage points: a share's, or a score's as points of its full
        marks (the measure "what moved most" ranks merit on), signed; None otherwise."""
        if not self.is_compared or self.change is None:
            return None
        if self.kind == "share":
            return self.change * 100
        if self.kind == "score" and self.kpi.scale:
            return self.change / self.kpi.scale * 100
        return None

    def moved(self) -> float | None:
        """How far it moved, by the one measure "what moved most" ranks on: a share's
        change in percentage points, a score's in points of its full marks, a count's
        relative change in per cent. None when it is not ranked."""
        if self.points() is not None:
            return abs(self.points())
        if self.is_compared and self.kind == "count" and self.change_pct is not None:
            return abs(self.change_pct) * 100
        return None


# ------------------------------------------------------------------ the rows behind the figures

@dataclass(frozen=True)
class Part:
    """How a KPI is made from a dataset's grouped rows: Σ num (÷ Σ den)."""
    num: str
    den: str | None = None


PARTS = {
    "case_total": Part("total"), "digital_share": Part("online", "channelled"), "on_time_rate": Part("on_time", "timed"),
    "processing_days": Part("days_w", "days_n"), "complaints": Part("complaints"),
    "complaints_on_time": Part("c_on_time", "c_timed"), "amount": Part("amount"), "minutes": Part("minutes"),
    "satisfaction": Part("satisfied", "answered"), "survey_n": Part("returned"),
    "response_rate": Part("counted", "issued"),
    "phone_pass_rate": Part("passed", "tests"), "phone_mean": Part("total_sum", "total_n"),
    "phone_tests": Part("tests"), "phone_internal": Part("internal"), "phone_cross": Part("cross"),
    "dimension_self": Part("self"), "dimension_pct": Part("self", "points"), "case_type": Part("total"),
}
# The rows of each source, and the columns both sides must hold alike (coverage).
COVER = {"case_volumes": ("case_type", "unit"), "survey_responses": ("office",), "phone_tests": ("unit",),
         "response": ("office",), "dimension_scores": ("dimension",)}


def _source(kpi: Kpi) -> str:
    return "response" if kpi.key == "response_rate" else kpi.dataset


def _case_rows(con, f: Filters, period: Period) -> pd.DataFrame:
    where, params = _where("case_volumes", f, years=False, extra="month >= ? AND month < ?")
    online, channelled = d.digital_share_parts()
    complaint = d.is_complaint()
    return con.execute(f"""
        SELECT case_type, unit, count(*) AS rows, sum(count) AS total, {online} AS online, {channelled} AS channelled,
               sum(on_time) FILTER (WHERE on_time IS NOT NULL) AS on_time,
               sum(count) FILTER (WHERE on_time IS NOT NULL) AS timed,
               sum(avg_days * count) FILTER (WHERE avg_days IS NOT NULL) AS days_w,
               sum(count) FILTER (WHERE avg_days IS NOT NULL) AS days_n,
               sum(count) FILTER (WHERE {complaint}) AS complaints,
               sum(on_time) FILTER (WHERE {complaint} AND on_time IS NOT NULL) AS c_on_time,
               sum(count) FILTER (WHERE {complaint} AND on_time IS NOT NULL) AS c_timed,
               sum(amount) AS amount, sum(minutes_saved) AS minutes,
               string_agg(DISTINCT measure_unit, '、' ORDER BY measure_unit) AS measures
        FROM case_volumes{where} GROUP BY ALL""", params + [period.start, period.end]).df()


def _survey_rows(con, f: Filters, period: Period) -> pd.DataFrame:
    where, params = _where("survey_responses", f, years=False, extra="response_date >= ? AND response_date < ?")
    return con.execute(f"""SELECT office, {d.answered_count()} AS answered, {d.satisfied_count()} AS satisfied,
                                  count(*) AS returned
                           FROM survey_responses{where} GROUP BY ALL""", params + [period.start, period.end]).df()


def _phone_rows(con, f: Filters, period: Period) -> pd.DataFrame:
    where, params = _where("phone_tests", f, years=False, extra="test_date >= ? AND test_date < ?")
    return con.execute(f"""SELECT unit, count(*) AS tests, count(*) FILTER (WHERE passed) AS passed,
                                  sum(total) AS total_sum, count(total) AS total_n,
                                  count(*) FILTER (WHERE test_type = ?) AS internal,
                                  count(*) FILTER (WHERE test_type = ?) AS cross
                           FROM phone_tests{where} GROUP BY ALL""",
                       [d.INTERNAL, d.CROSS, *params, period.start, period.end]).df()


def _response_rows(con, f: Filters, period: Period) -> pd.DataFrame:
    """Per office of the year: issued and returned (counted at most as issued); offices
    without an issued count hold no response rate."""
    w_issued, p_issued = _where("survey_issued", f, years=False, extra="year = ?")
    w_resp, p_resp = _where("survey_responses", f, years=False, extra="year(response_date) = ?")
    return con.execute(f"SELECT office, issued, counted FROM ({d.response_rate_sql(w_issued, w_resp)})",
                       p_issued + [period.year] + p_resp + [period.year]).df()


def _dimension_rows(con, f: Filters, period: Period) -> pd.DataFrame:
    where, params = _where("dimension_scores", f, years=False, extra="year = ?")
    return con.execute(f"""SELECT dimension, min(dim_order) AS dim_order, sum(points) AS points,
                                  sum(self_score) AS self, sum(review_score) AS review
                           FROM dimension_scores{where} GROUP BY dimension""", params + [period.year]).df()


ROWS = {"case_volumes": _case_rows, "survey_responses": _survey_rows, "phone_tests": _phone_rows,
        "response": _response_rows, "dimension_scores": _dimension_rows}


def source_rows(con, source: str, f: Filters, period: Period) -> pd.DataFrame:
    """A source's rows for a period under the filters, grouped by its coverage columns:
    the one query path behind every figure of the comparisons (and the CLI's stats)."""
    return ROWS[source](con, f, period)


class Rows:
    """A source's grouped rows as NumPy columns, for comparing: numbers as floats (NaN
    where null), the rest as objects (None where null). A comparison takes a dozen
    sums and selections of a few dozen rows; in pandas each cost a tenth of a
    millisecond to set up, and the overview's twenty comparisons 0.15 s."""

    def __init__(self, columns: dict[str, np.ndarray], size: int):
        self.columns, self.size = columns, size

    @classmethod
    def of(cls, frame: pd.DataFrame) -> "Rows":
        columns = {}
        for name in frame.columns:
            column = frame[name]
            if column.dtype.kind in "iufb":
                columns[name] = column.to_numpy(dtype=float, na_value=np.nan)
            else:
                values = column.to_numpy(dtype=object)
                columns[name] = np.array([None if v is None or v is pd.NA or v != v else v for v in values],
                                         dtype=object) if len(values) else values
        return cls(columns, len(frame))

    def __len__(self) -> int:
        return self.size

    @property
    def empty(self) -> bool:
        return self.size == 0

    def __contains__(self, name: str) -> bool:
        return name in self.columns

    def __getitem__(self, name: str) -> np.ndarray:
        return self.columns[name]

    def where(self, mask: np.ndarray) -> "Rows":
        return Rows({name: values[mask] for name, values in self.columns.items()}, int(np.count_nonzero(mask)))

    def none(self) -> "Rows":
        return self.where(np.zeros(self.size, dtype=bool))


# ------------------------------------------------------------------ periods of the view

@dataclass(frozen=True)
class Span:
    """The periods one source is compared over in a view: ``now`` and ``before`` the
    months compared, ``held`` the months the year in view's rows cover (what its figure
    is labelled with)."""
    year: int | None
    now: Period | None
    before: Period | None
    complete: bool
    before_last: int | None          # the earlier side's last month, where it stops inside ``before``
    held: Period | None = None


def year_in_view(con, dataset: str, view: View) -> int | None:
    """The view's year, or the latest year of the filters' range holding rows of the dataset."""
    if view.year is not None:
        return view.year
    return latest_year(con, dataset, view.filters)


def span(con, source: str, view: View) -> Span:
    dataset = "survey_responses" if source == "response" else source
    year = year_in_view(con, dataset, view)
    if year is None:
        return Span(None, None, None, False, None)
    against = view.against if view.against is not None else year - 1
    if dataset in DATED:
        where, params = _where(dataset, view.filters, years=False)
        last = last_months(con, dataset, where, params)
        if source == "response":        # a year's figure, final once its questionnaires are all in
            return Span(year, Period(year), Period(against), complete(last, year), None, Period(year))
        periods = window(last, year, against, view.half)
        if periods is None:
            return Span(year, None, Period(year).shifted(against), False, None)
        now, before = periods
        stops = last.get(against)
        short = stops if stops is not None and stops < before.last else None
        return Span(year, now, before, complete(last, year, view.half), short, held(last, year, view.half))
    return Span(year, Period(year), Period(against), True, None, Period(year))


# ------------------------------------------------------------------ comparing

def _sum(rows: Rows, column: str) -> float:
    """Σ of a column's numbers (NaN where it has none), added as pandas adds them."""
    if column not in rows:
        return math.nan
    values = rows[column]
    missing = np.isnan(values)
    if missing.all():
        return math.nan
    return float(np.where(missing, 0.0, values).sum())


def _held(rows: Rows | None, part: Part) -> Rows:
    """The rows that hold the figure: a denominator above zero, or a count given."""
    if rows is None:
        return Rows({}, 0)
    if rows.empty:
        return rows
    values = rows[part.den or part.num]
    keep = ~np.isnan(values)
    if part.den:
        keep &= np.where(keep, values, 0.0) > 0
    return rows.where(keep)


def _value(rows: Rows | None, part: Part) -> float | None:
    if rows is None or rows.empty:
        return None
    num = _sum(rows, part.num)
    if part.den is None:
        return None if math.isnan(num) else num
    den = _sum(rows, part.den)
    if math.isnan(den) or den == 0:
        return None
    return (0.0 if math.isnan(num) else num) / den


def _count(rows: Rows | None, column: str | None) -> float | None:
    if column is None or rows is None or rows.empty:
        return None
    total = _sum(rows, column)
    return None if math.isnan(total) else total


PLACES = {"share": 1, "count": 0}      # decimals a figure shows (of a per cent for a share); others 1
MOST_PLACES = 4


def target_places(target: float, kind: str) -> int:
    """The decimals a target is shown and judged with: the figure's own (0.1 %, whole
    counts, 0.1 day), or more where the target was set finer (2.49 天, 95.25%) — a
    target is never rounded to another one before it is judged or shown."""
    own = PLACES.get(kind, 1)
    typed = target * 100 if kind == "share" else target
    if not math.isfinite(typed):
        return own
    text = f"{typed:.{MOST_PLACES}f}".rstrip("0")
    return max(own, len(text.split(".")[1]) if "." in text else 0)


def shown(value: float | None, kind: str, places: int | None = None) -> float | None:
    """A figure rounded as it is shown (0.1 % for a share, whole for a count, 0.1 for a
    score or days; ``places`` decimals where given): targets are judged and changes
    called 持平 on what a reader sees."""
    if value is None or not math.isfinite(value):
        return None
    places = PLACES.get(kind, 1) if places is None else places
    if kind == "share":
        return float(f"{value * 100:.{places}f}") / 100
    return float(f"{value:.{places}f}")


def judge(kpi: Kpi, value: float | None, period: Period | None, done: bool, target: Target | None) -> Judgment | None:
    """A target against the figure as shown."""
    if target is None:
        return None
    if value is None or period is None:
        return Judgment(target.value, target.direction, "no_data", None)
    if (kpi.cumulative or kpi.annual) and not done:
        return Judgment(target.value, target.direction, "pending", period)
    places = target_places(target.value, kpi.kind)
    actual, goal = shown(value, kpi.kind, places), shown(target.value, kpi.kind, places)
    met = actual >= goal if target.direction == UP else actual <= goal
    return Judgment(target.value, target.direction, "met" if met else "not_met", period, partial=not done)


def compare(kpi: Kpi, now: Rows | None, before: Rows | None, sp: Span, cover: tuple[str, ...],
            target: Target | None = None, name: str | None = None) -> Comparison:
    """One comparison from the grouped rows of both sides."""
    part = PARTS[kpi.key.split(":")[0]]
    held_now, held_before = _held(now, part), _held(before, part)
    value = _value(held_now, part)
    period = sp.held if value is not None else None
    base = dict(kpi=kpi, name=name, year=sp.year, value=value, period=period, complete=sp.complete,
                before_period=sp.before, before_last=sp.before_last,
                target=judge(kpi, value, period, sp.complete, target))
    if kpi.sampled:
        base.update(n=_whole(_count(held_now, part.den)), k=_count(held_now, part.num))
    not_compared = dict(compared=None, change=None, change_pct=None, verdict="not_compared")
    if value is None:       # the earlier side's figure is still said: what the later side no longer holds
        return Comparison(**base, before=_value(held_before, part), reason="no_data", **not_compared)
    if held_before is None or held_before.empty:
        return Comparison(**base, before=None, reason="no_previous", **not_compared)
    left_out = []
    keep_now, keep_before = np.ones(len(held_now), dtype=bool), np.ones(len(held_before), dtype=bool)
    for column in cover:
        a, b = _distinct(held_now[column]), _distinct(held_before[column])
        if a != b:
            left_out.append(LeftOut(column, tuple(sorted(a - b)), tuple(sorted(b - a))))
        common = a & b
        keep_now &= np.fromiter((v in common for v in held_now[column]), bool, len(held_now))
        keep_before &= np.fromiter((v in common for v in held_before[column]), bool, len(held_before))
    part_now, part_before = held_now.where(keep_now), held_before.where(keep_before)
    compared, previous = _value(part_now, part), _value(part_before, part)
    base.update(left_out=tuple(left_out), before=previous)
    if kpi.sampled:
        base.update(compared_n=_whole(_count(part_now, part.den)), compared_k=_count(part_now, part.num),
                    before_n=_whole(_count(part_before, part.den)), before_k=_count(part_before, part.num))
    if compared is None or previous is None:
        return Comparison(**base, reason="coverage", **not_compared)
    reason = None
    if kpi.annual and not sp.complete:
        reason = "annual_incomplete"
    elif kpi.sampled and min(base["compared_n"] or 0, base["before_n"] or 0) < survey_stats.MIN_TEST_N:
        reason = "too_small"
    if reason:
        return Comparison(**{**base, **not_compared, "compared": compared}, reason=reason)
    change = compared - previous
    if kpi.better == NEITHER:
        verdict = "workload"
    elif shown(compared, kpi.kind) == shown(previous, kpi.kind):
        verdict = "same"
    else:
        verdict = kpi.verdict(change)
    pct = change / previous if kpi.kind != "share" and previous else None
    return Comparison(**base, compared=compared, change=change, change_pct=pct, verdict=verdict)


def _whole(value: float | None) -> int | None:
    return int(value) if value is not None else None


def _distinct(values: np.ndarray) -> set:
    return {v for v in values if v is not None}


# ------------------------------------------------------------------ what pages and reports ask

@dataclass(frozen=True)
class Sides:
    """A source's grouped rows on both sides of a view, with their span."""
    span: Span
    now: Rows | None
    before: Rows | None


def sides(con, source: str, view: View) -> Sides:
    sp = span(con, source, view)
    if sp.year is None:
        return Sides(sp, None, None)
    now = Rows.of(source_rows(con, source, view.filters, sp.now)) if sp.now is not None else None
    before = Rows.of(source_rows(con, source, view.filters, sp.before)) if sp.before is not None else None
    return Sides(sp, now, before)


def _targets(con, view: View, year: int | None, kpi: Kpi, read: dict | None = None) -> Target | None:
    """The KPI's target in the view's year (or half); ``read`` keeps each year's targets
    once read, for the other KPIs of the same call."""
    if year is None:
        return None
    half = 1 if view.half and not kpi.annual else None
    read = {} if read is None else read
    if (year, half) not in read:
        read[(year, half)] = targets_for(con, year, half)
    return read[(year, half)].get(kpi.key)


def kpis(con, view: View, which: tuple[Kpi, ...] = (*KPIS, *FIGURES)) -> dict[str, Comparison]:
    """KPI key → its comparison in the view: every KPI, and the report's other figures."""
    cache: dict[str, Sides] = {}
    targets: dict = {}
    out = {}
    for kpi in which:
        source = _source(kpi)
        if source not in cache:
            cache[source] = sides(con, source, view)
        s = cache[source]
        out[kpi.key] = compare(kpi, s.now, s.before, s.span, COVER[source],
                               _targets(con, view, s.span.year, kpi, targets))
    return out


def case_types(con, view: View, key: str = "case_type", rows: Sides | None = None) -> list[Comparison]:
    """Each case type of the year in view against the same months of the year compared
    with (over the units both sides hold), most cases first; then the types only the
    earlier side held. ``key``: what is compared per type — its cases, or a case KPI
    (on_time_rate, processing_days), types without that figure left out. ``rows``: the
    view's case rows where the caller has them already."""
    s = rows or sides(con, "case_volumes", view)
    if s.now is None or s.now.empty:
        return []
    out = []
    before = s.before if s.before is not None else s.now.none()
    whole = BY_KEY.get(key)
    for name in _ordered(s.now, before):
        kpi = Kpi(f"{key}:{name}", whole.kind if whole else "count", whole.better if whole else NEITHER,
                  "case_volumes")
        c = compare(kpi, s.now.where(s.now["case_type"] == name), before.where(before["case_type"] == name), s.span,
                    ("unit",), name=name)
        if whole is None or c.value is not None or c.before is not None:
            out.append(c)
    return out


def _ordered(now: Rows, before: Rows) -> list[str]:
    """Case types most cases first (ties by name), then those only the earlier side held."""
    totals: dict[str, float] = {}
    for name, total in zip(now["case_type"], now["total"]):
        if name is not None:
            totals[name] = totals.get(name, 0.0) + (0.0 if math.isnan(total) else total)
    ranked = sorted(totals, key=lambda t: (-totals[t], t))
    return ranked + sorted(_distinct(before["case_type"]) - set(ranked))


def measures(con, view: View, rows: Sides | None = None) -> dict[str, str]:
    """Case type → its measuring units as written (件、場次), over the year in view."""
    s = rows or sides(con, "case_volumes", view)
    if s.now is None or s.now.empty:
        return {}
    out: dict[str, set[str]] = {}
    for case_type, words in zip(s.now["case_type"], s.now["measures"]):
        out.setdefault(case_type, set()).update(w for w in (words or "").split("、") if w)
    return {k: "、".join(sorted(v)) for k, v in out.items()}


@dataclass(frozen=True)
class DimensionRow:
    name: str
    order: int
    points: float | None
    review: float | None
    score: Comparison                # self score, in points
    pct: Comparison                  # self score ÷ 配分


def dimensions(con, view: View) -> list[DimensionRow]:
    """Each dimension of the year in view (in the rubric's order) against the year before."""
    s = sides(con, "dimension_scores", view)
    if s.now is None or s.now.empty:
        return []
    before = s.before if s.before is not None else s.now.none()
    now = s.now
    order = sorted(range(len(now)), key=lambda i: (math.isnan(now["dim_order"][i]), now["dim_order"][i],
                                                   now["dimension"][i]))     # as sort_values: NaN last
    rows = []
    for i in order:
        name = now["dimension"][i]
        a, b = now.where(now["dimension"] == name), before.where(before["dimension"] == name)
        score = compare(Kpi(f"dimension_self:{name}", "score", UP, "dimension_scores", annual=True), a, b, s.span,
                        (), name=name)
        pct = compare(Kpi(f"dimension_pct:{name}", "share", UP, "dimension_scores", annual=True), a, b, s.span,
                      (), name=name)
        points, review, dim_order = (_number(now[c][i]) for c in ("points", "review", "dim_order"))
        rows.append(DimensionRow(name, int(dim_order) if dim_order is not None else 0, points, review, score, pct))
    return rows


def _number(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def moves(con, view: View, count: int = 6) -> dict[str, list[Comparison]]:
    """What moved most: the KPIs with a better direction ("merit"), ranked by their change
    in percentage points (a score's in points of its full marks), and workload — case
    totals, complaints and each case type — apart, ranked by relative change. Ties keep
    the KPIs' order."""
    figures = kpis(con, view, KPIS)
    merit = [c for c in figures.values() if c.merit and c.moved() is not None]
    workload = [c for c in figures.values() if not c.merit and c.moved() is not None]
    workload += [c for c in case_types(con, view) if c.moved() is not None]
    rank = lambda c: -c.moved()  # noqa: E731
    return {"merit": sorted(merit, key=rank)[:count], "workload": sorted(workload, key=rank)[:count]}


def years_in_view(con, view: View) -> dict[str, int | None]:
    """Dataset → the year in view, for the datasets the KPIs come from."""
    return {name: year_in_view(con, name, view) for name in (*DATED, "dimension_scores")}


def significance(c: Comparison) -> dict | None:
    """The test of a sampled rate's change (two proportions, or Fisher's where a cell is
    small), where both sides have answers."""
    if not c.kpi.sampled or not c.compared_n or not c.before_n or c.compared_k is None or c.before_k is None:
        return None
    return survey_stats.compare_proportions(int(c.compared_k), c.compared_n, int(c.before_k), c.before_n)


__all__ = ["BY_KEY", "Comparison", "DimensionRow", "Judgment", "LeftOut", "Span", "View", "case_types", "compare",
           "dimensions", "kpis", "measures", "moves", "significance", "source_rows", "span", "year_in_view",
           "years_in_view"]
