"""Process behaviour charts (statistical process control), as NHS England's *Making
Data Count* reads them: is a month's figure part of the wobble every process has
(common cause), or a signal worth acting on (special cause)?

Pure computation: values in, limits, flagged points and verdicts out. The queries
that feed it are in ``signals.py``; the words that say it in ``spc_words.py``;
``docs/spc.md`` explains both to a reader.

- ``xmr`` — counts and other measures: mean ± 2.66 × the mean moving range.
- ``pprime`` — a rate whose denominator varies (Laney p′): p̄ ± 3·σ_pi·σ_z per point,
  where σ_pi is the binomial sigma at the point's n and σ_z corrects it for the
  month-to-month variation the binomial model does not expect.
- Limits come from every point in view, or per segment from each recorded process
  change on (``breaks``); the rules run within each segment. A segment of fewer than
  ``MIN_POINTS`` points gets no limits and no rules (資料點不足), never limits from
  three points.
- A value of ``None`` (or NaN) is a gap: the month is shown empty, no moving range
  spans it, and the rules read the points either side of it as neighbours.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

from .kpis import DOWN, NEITHER, UP

MIN_POINTS = 12        # fewer in a segment: no limits
RUN = 7                # points in a row on one side of the mean, or rising / falling
E2 = 2.66              # XmR: limits = mean ± 2.66 × mean moving range (3 / 1.128, as the NHS rounds it)
D2 = 1.128             # p′: σ_z = mean moving range of z / 1.128

# The four rules, as each point lists them.
LIMIT, SHIFT, TREND, TWO_OF_THREE = "limit", "shift", "trend", "two_of_three"
RULES = (LIMIT, SHIFT, TREND, TWO_OF_THREE)

# Variation (per point, and the series' verdict from its latest point).
COMMON = "common_cause"
IMPROVEMENT, CONCERN = "special_cause_improvement", "special_cause_concern"
NEUTRAL_HIGH, NEUTRAL_LOW = "special_cause_neutral_high", "special_cause_neutral_low"
VARIATIONS = (COMMON, IMPROVEMENT, CONCERN, NEUTRAL_HIGH, NEUTRAL_LOW)

# Assurance against a target.
MET, MISSED, HIT_AND_MISS = "consistently_met", "consistently_missed", "hit_and_miss"
ASSURANCES = (MET, MISSED, HIT_AND_MISS)
AT_LEAST, AT_MOST = UP, DOWN   # a target's direction: 以上 / 以下

OK, TOO_FEW = "ok", "too_few"
XMR, PPRIME = "xmr", "pprime"


@dataclass(frozen=True)
class Point:
    """One period on the chart. ``mean``, the limits and the two-sigma lines are those of
    its segment (for p′ they differ point by point with n); all ``None`` in a segment
    too short for limits. ``rules`` lists every rule that flagged it (in the order of
    ``RULES``) and ``ways`` which way each points (+1 high or rising, -1 low or
    falling); ``direction`` is the way of the point's signal and ``signal`` what that
    means for this KPI (``None`` for a gap or without limits)."""

    period: Any
    value: float | None
    segment: int
    mean: float | None = None
    lower: float | None = None
    upper: float | None = None
    lower2: float | None = None
    upper2: float | None = None
    n: float | None = None
    rules: tuple[str, ...] = ()
    ways: tuple[int, ...] = ()      # each rule's direction, in the order of ``rules``
    direction: int = 0
    signal: str | None = None

    @property
    def special(self) -> bool:
        return bool(self.rules)


@dataclass(frozen=True)
class Segment:
    """Points ``start`` to ``stop`` (exclusive) whose limits come from each other:
    all of them, or those from a process change (``change`` is the index of the point
    the change starts at, ``None`` for the first segment) to the next."""

    start: int
    stop: int
    status: str           # OK or TOO_FEW
    count: int            # points with a value
    mean: float | None
    sigma: float | None   # XmR: 2.66 × MR̄ / 3; p′: σ_z (multiplies each point's σ_pi)
    change: int | None


@dataclass(frozen=True)
class Chart:
    kind: str                        # XMR or PPRIME
    points: tuple[Point, ...]
    segments: tuple[Segment, ...]
    better: int                      # the KPI's better direction: UP, DOWN or NEITHER
    target: float | None = None
    target_direction: int | None = None   # AT_LEAST or AT_MOST

    @property
    def latest_index(self) -> int | None:
        """The index of the last point with a value."""
        return next((i for i in range(len(self.points) - 1, -1, -1) if self.points[i].value is not None), None)

    @property
    def latest(self) -> Point | None:
        i = self.latest_index
        return self.points[i] if i is not None else None

    @property
    def status(self) -> str:
        """OK when the latest point's segment has limits, else TOO_FEW (none at all too)."""
        last = self.latest
        return self.segments[last.segment].status if last is not None else TOO_FEW

    @property
    def count(self) -> int:
        """Points with a value in the latest segment (what 資料點不足 counts)."""
        last = self.latest
        return self.segments[last.segment].count if last is not None else 0

    @property
    def mean(self) -> float | None:
        last = self.latest
        return last.mean if last is not None else None

    @property
    def lower(self) -> float | None:
        """The lower limit at the latest point (p′: at its n)."""
        last = self.latest
        return last.lower if last is not None else None

    @property
    def upper(self) -> float | None:
        last = self.latest
        return last.upper if last is not None else None

    @property
    def variation(self) -> str | None:
        """The latest point's variation; ``None`` without limits."""
        last = self.latest
        return last.signal if last is not None and self.status == OK else None

    @property
    def assurance(self) -> str | None:
        """Whether the process, as it runs now, meets the target: the latest point's
        limits against it. ``None`` without a target, a direction or limits."""
        return assurance(self.lower, self.upper, self.target, self.target_direction) \
            if self.status == OK else None


@dataclass(frozen=True)
class Signal:
    """One special cause: consecutive points flagged by one rule in one direction,
    ``start`` to ``end`` (indices of points, both included); ``count`` points with a value."""

    rule: str
    start: int
    end: int
    direction: int
    count: int


# ------------------------------------------------------------------ charts

def xmr(values: Sequence, periods: Sequence | None = None, *, breaks: Sequence[int] = (), better: int = NEITHER,
        target: float | None = None, target_direction: int | None = None,
        min_points: int = MIN_POINTS) -> Chart:
    """An XmR (individuals) chart. Per segment: the mean, the moving ranges between
    neighbouring months that both have a value, limits at mean ± 2.66 × their mean,
    the two-sigma lines at two thirds of that."""
    vals = [_number(v) for v in values]
    periods = list(periods) if periods is not None else list(range(len(vals)))
    points, segments = [], []
    for number, (start, stop, change) in enumerate(_spans(len(vals), breaks)):
        seg = vals[start:stop]
        present = [v for v in seg if v is not None]
        ranges = _moving_ranges(seg)
        if len(present) < min_points or not ranges:
            segments.append(Segment(start, stop, TOO_FEW, len(present), None, None, change))
            points += [Point(periods[i], vals[i], number) for i in range(start, stop)]
            continue
        mean = math.fsum(present) / len(present)
        sigma = E2 * (math.fsum(ranges) / len(ranges)) / 3
        sigmas = [sigma] * len(seg)
        segments.append(Segment(start, stop, OK, len(present), mean, sigma, change))
        points += _judge(seg, periods[start:stop], number, mean, sigmas, None, better, clip=False)
    return Chart(XMR, tuple(points), tuple(segments), better, target, _direction(target_direction, better))


def pprime(numerators: Sequence, denominators: Sequence, periods: Sequence | None = None, *,
           breaks: Sequence[int] = (), better: int = UP, target: float | None = None,
           target_direction: int | None = None, min_points: int = MIN_POINTS) -> Chart:
    """A Laney p′ chart of numerators ÷ denominators. Per segment: p̄ = Σx ÷ Σn;
    σ_pi = √(p̄(1−p̄)/n_i); z_i = (p_i − p̄)/σ_pi; σ_z = mean moving range of z ÷ 1.128;
    limits p̄ ± 3·σ_pi·σ_z, within 0 and 1. A period with no denominator is a gap. Where
    p̄ is 0 or 1 every point equals it: the limits close on it and nothing is flagged."""
    xs, ns = [_number(x) for x in numerators], [_number(n) for n in denominators]
    if len(xs) != len(ns):
        raise ValueError("numerators and denominators differ in length")
    rates = [x / n if x is not None and n else None for x, n in zip(xs, ns)]
    periods = list(periods) if periods is not None else list(range(len(xs)))
    points, segments = [], []
    for number, (start, stop, change) in enumerate(_spans(len(xs), breaks)):
        seg = rates[start:stop]
        used = [i for i in range(start, stop) if rates[i] is not None]
        if len(used) < min_points:
            segments.append(Segment(start, stop, TOO_FEW, len(used), None, None, change))
            points += [Point(periods[i], rates[i], number, n=ns[i]) for i in range(start, stop)]
            continue
        p_bar = math.fsum(xs[i] for i in used) / math.fsum(ns[i] for i in used)
        if 0 < p_bar < 1:
            sd = [math.sqrt(p_bar * (1 - p_bar) / ns[i]) if rates[i] is not None else None for i in range(start, stop)]
            z = [(r - p_bar) / s if r is not None else None for r, s in zip(seg, sd)]
            ranges = _moving_ranges(z)
            if not ranges:
                segments.append(Segment(start, stop, TOO_FEW, len(used), None, None, change))
                points += [Point(periods[i], rates[i], number, n=ns[i]) for i in range(start, stop)]
                continue
            sigma_z = math.fsum(ranges) / len(ranges) / D2
            sigmas = [s * sigma_z if s is not None else None for s in sd]
        else:   # no variation at all: 0 of everything, or all of everything
            sigma_z, sigmas = 0.0, [0.0] * len(seg)
        segments.append(Segment(start, stop, OK, len(used), p_bar, sigma_z, change))
        points += _judge(seg, periods[start:stop], number, p_bar, sigmas, ns[start:stop], better, clip=True)
    return Chart(PPRIME, tuple(points), tuple(segments), better, target, _direction(target_direction, better))


def assurance(lower: float | None, upper: float | None, target: float | None,
              direction: int | None) -> str | None:
    """MET when every value within the limits meets the target, MISSED when none does,
    HIT_AND_MISS otherwise. A value equal to the target meets it (as ``Kpi.met`` has it),
    so a target at the lower limit of an at-least process is met."""
    if lower is None or upper is None or target is None or direction not in (AT_LEAST, AT_MOST) \
            or target != target:
        return None
    if direction == AT_LEAST:
        return MET if lower >= target else MISSED if upper < target else HIT_AND_MISS
    return MET if upper <= target else MISSED if lower > target else HIT_AND_MISS


_FOUND: dict[int, tuple[Chart, tuple]] = {}     # id → (the chart, its signals): charts are never changed


def signals(chart: Chart) -> list[Signal]:
    """The special causes of a chart, ordered by where they end: runs of points flagged
    by one rule in one direction within a segment. Under two of three, flagged points
    with one point between them are one signal; a rise that turns into a fall is two
    trends sharing the turning point. Worked out once per chart: the app shares its
    charts between reruns, and 總覽 asks for every chart's at every rerun."""
    hit = _FOUND.get(id(chart))
    if hit is not None and hit[0] is chart:
        return list(hit[1])
    found = tuple(_signals(chart))
    if len(_FOUND) >= 4096:
        _FOUND.clear()
    _FOUND[id(chart)] = (chart, found)      # the chart is held, so its id is not reused while here
    return list(found)


def _signals(chart: Chart) -> list[Signal]:
    out: list[Signal] = []
    points = chart.points
    for seg in chart.segments:
        if seg.status != OK:
            continue
        for rule in RULES:
            flagged = [i for i in range(seg.start, seg.stop) if rule in points[i].rules]
            if rule == TREND:
                groups = _monotone_runs(points, flagged, 1e-9 * max(1.0, abs(seg.mean or 0.0)))
            else:
                reach = 2 if rule == TWO_OF_THREE else 1
                groups, current = [], []
                for i in flagged:
                    if current and (_way(points[i], rule) != _way(points[current[-1]], rule)
                                    or _valued_between(points, current[-1], i) > reach):
                        groups.append(current)
                        current = []
                    current.append(i)
                if current:
                    groups.append(current)
            for members, way in groups if rule == TREND else ((g, _way(points[g[0]], rule)) for g in groups):
                out.append(Signal(rule, members[0], members[-1], way,
                                  sum(1 for p in points[members[0]:members[-1] + 1] if p.value is not None)))
    return sorted(out, key=lambda s: (s.end, s.start, RULES.index(s.rule)))


def _way(point: Point, rule: str) -> int:
    return dict(zip(point.rules, point.ways))[rule]


def _valued_between(points: tuple[Point, ...], a: int, b: int) -> int:
    """How many points with a value lie after ``a`` up to ``b`` (included)."""
    return sum(1 for p in points[a + 1:b + 1] if p.value is not None)


def _monotone_runs(points: tuple[Point, ...], flagged: list[int], tol: float) -> list[tuple[list[int], int]]:
    """Trend-flagged points split into runs that keep rising or keep falling; a run
    that turns shares its turning point with the next."""
    runs: list[tuple[list[int], int]] = []
    current: list[int] = []
    way = 0
    for i in flagged:
        step = points[i].value - points[current[-1]].value if current else 0.0
        s = 0 if abs(step) <= tol else (1 if step > 0 else -1)
        if current and s and _valued_between(points, current[-1], i) == 1:
            if len(current) == 1 or s == way:
                current.append(i)
            else:                        # it turns: the turning point ends one run and starts the next
                runs.append((current, way))
                current = [current[-1], i]
            way = s
            continue
        if len(current) > 1:
            runs.append((current, way))
        current, way = [i], 0
    if len(current) > 1:
        runs.append((current, way))
    return runs


# ------------------------------------------------------------------ the rules

def _judge(values: list, periods: list, segment: int, mean: float, sigmas: list, ns: list | None, better: int,
           clip: bool) -> list[Point]:
    """Limits and rules for one segment with limits."""
    def bound(x):
        return min(max(x, 0.0), 1.0) if clip else x

    lower = [bound(mean - 3 * s) if s is not None else None for s in sigmas]
    upper = [bound(mean + 3 * s) if s is not None else None for s in sigmas]
    lower2 = [bound(mean - 2 * s) if s is not None else None for s in sigmas]
    upper2 = [bound(mean + 2 * s) if s is not None else None for s in sigmas]
    tol = 1e-9 * max(1.0, abs(mean))
    flags, direction = special_causes(values, mean, lower, upper, lower2, upper2, tol)
    out = []
    for i, value in enumerate(values):
        d = direction[i]
        if not flags[i]:
            signal = COMMON
        elif better == NEITHER:
            signal = NEUTRAL_HIGH if d > 0 else NEUTRAL_LOW
        else:
            signal = IMPROVEMENT if d * better > 0 else CONCERN
        has = value is not None
        out.append(Point(periods[i], value, segment, mean, lower[i] if has else None, upper[i] if has else None,
                         lower2[i] if has else None, upper2[i] if has else None,
                         ns[i] if ns is not None else None, tuple(flags[i]), tuple(flags[i].values()), d,
                         signal if has else None))
    return out


def special_causes(values: Sequence, mean: float, lower: Sequence, upper: Sequence, lower2: Sequence,
                   upper2: Sequence, tol: float = 0.0) -> tuple[list[dict[str, int]], list[int]]:
    """For one segment: the rules that flag each point (rule → its direction, in the
    order of ``RULES``), and the direction of the point's signal.

    - LIMIT: above the upper or below the lower limit (a point on a limit is within).
    - SHIFT: 7 or more points in a row on one side of the mean; a point on the mean
      ends the run.
    - TREND: 7 or more points in a row each higher (or each lower) than the one before;
      two equal neighbours end the run.
    - TWO_OF_THREE: 2 of 3 points in a row beyond the same two-sigma line; the points
      beyond it are flagged.
    Gaps (``None``) are skipped: the points either side are neighbours. A point's
    direction comes from its first rule in the order limit, trend, two of three, shift
    (as NHSRplotthedots orders them): the trend's way for a trend, else its side of the
    mean; a point where a rise turns into a fall takes the later trend's way."""
    count = len(values)
    flags: list[dict[str, int]] = [{} for _ in range(count)]
    idx = [i for i, v in enumerate(values) if v is not None]
    v = [values[i] for i in idx]
    side = [0 if abs(x - mean) <= tol else (1 if x > mean else -1) for x in v]

    limit = [0] * len(v)
    for k, i in enumerate(idx):
        if upper[i] is not None and v[k] > upper[i] + tol:
            limit[k] = 1
        elif lower[i] is not None and v[k] < lower[i] - tol:
            limit[k] = -1

    shift = [0] * len(v)
    for start, stop, s in _runs(side):
        if s != 0 and stop - start >= RUN:
            shift[start:stop] = [s] * (stop - start)

    steps = [0 if abs(b - a) <= tol else (1 if b > a else -1) for a, b in zip(v, v[1:])]
    trend = [0] * len(v)
    for start, stop, s in _runs(steps):          # steps start..stop-1 join points start..stop
        if s != 0 and stop - start >= RUN - 1:
            for k in range(start, stop + 1):
                trend[k] = s                      # a later trend overwrites: the turning point takes it

    beyond2 = [0] * len(v)
    for k, i in enumerate(idx):
        if upper2[i] is not None and v[k] > upper2[i] + tol:
            beyond2[k] = 1
        elif lower2[i] is not None and v[k] < lower2[i] - tol:
            beyond2[k] = -1
    two = [0] * len(v)
    for k in range(len(v) - 2):
        window = beyond2[k:k + 3]
        for s in (1, -1):
            if window.count(s) >= 2:
                for j in range(k, k + 3):
                    if beyond2[j] == s:
                        two[j] = s

    direction = [0] * count
    for k, i in enumerate(idx):
        for rule, flag in ((LIMIT, limit[k]), (SHIFT, shift[k]), (TREND, trend[k]), (TWO_OF_THREE, two[k])):
            if flag:
                flags[i][rule] = flag
        direction[i] = limit[k] or trend[k] or two[k] or shift[k]
    return flags, direction


# ------------------------------------------------------------------ helpers

def _number(value) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _direction(direction: int | None, better: int) -> int | None:
    if direction in (AT_LEAST, AT_MOST):
        return direction
    return better if better in (UP, DOWN) else None


def _spans(count: int, breaks: Sequence[int]) -> list[tuple[int, int, int | None]]:
    """(start, stop, change) of each segment: a break at index i starts one there."""
    starts = sorted({int(b) for b in breaks if 0 < int(b) < count})
    edges = [0, *starts, count]
    return [(a, b, a if a else None) for a, b in zip(edges, edges[1:])] if count else []


def _moving_ranges(values: list) -> list[float]:
    """|x_i − x_{i−1}| for neighbours that both have a value (none across a gap)."""
    return [abs(b - a) for a, b in zip(values, values[1:]) if a is not None and b is not None]


def _runs(seq: list[int]):
    """(start, stop, value) of each run of equal values."""
    start = 0
    for k in range(1, len(seq) + 1):
        if k == len(seq) or seq[k] != seq[start]:
            yield start, k, seq[start]
            start = k
