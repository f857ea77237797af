"""The series the process behaviour charts draw, from the database: month by month (or
test round by round), each with its chart (analytics/spc.py), the process changes
(流程變更) that restart its limits, and the target it is held to.

- Counts (XmR; workload, so neither direction is better): all cases per month (全部)
  and each case type, complaints received.
- Rates (Laney p′, numerator ÷ denominator as analytics/definitions.py defines them):
  complaints answered on time, digital share, overall satisfaction by month, the phone
  test pass rate by round (its 梯次, else its half-year).
- Average processing days per case type where the sheets give them (XmR; lower is better),
  weighted by each row's cases as the 案件量 page weights them.

A month inside a series' span that holds no rows is a gap, not a zero: the sheets list
their months explicitly, so a month not listed is a month not reported (a case type
with rows before and after it is not taken to have had no cases). The chart shows the
gap and no moving range spans it. A rate is a gap too where its denominator is 0.

Limits come from every point within the filters' years; a process change for the KPI
(or for all, or for the series' case type) starts a new segment at the first point on
or after its month. The target is the KPI's 目標值 for the year of the series' latest
point, in the KPI's better direction; a count's target is a year's total, not a
month's, so counts get no assurance.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import definitions as d
from . import spc
from .datasets.process_changes import ALL, BY_CASE_TYPE
from .kpis import BY_KEY, UP, targets_for
from .metrics import Filters, _where

ALL_SERIES = "全部"
MONTH, ROUND = "month", "round"


@dataclass(frozen=True)
class Change:
    """A process change (流程變更) as recorded."""

    month: dt.date
    metric: str             # a KPI key, or ALL
    series: str | None      # one case type, or None for every series of the KPI
    description: str | None


@dataclass(frozen=True)
class Series:
    """One chart: a KPI (``kpi``, its key) for one case type or all (``series``), by
    ``unit`` (MONTH: periods are the first day of each month; ROUND: the round's name,
    ``starts`` its first test date). ``changes`` maps the index of each point that
    starts a new segment to the process changes that start it."""

    kpi: str
    series: str
    unit: str
    chart: spc.Chart
    changes: dict[int, tuple[Change, ...]]
    starts: tuple[dt.date, ...]

    @property
    def kind(self) -> str:
        return self.chart.kind


# ------------------------------------------------------------------ every series

def all_series(con, f: Filters | None = None) -> list[Series]:
    """Every series the dashboard charts, in the order the pages show them."""
    f = f or Filters()
    changes = process_changes(con)
    targets: dict = {}                  # each year's targets, read once for every series
    out = [*case_totals(con, f, changes, targets), *case_types(con, f, changes, targets),
           *complaints(con, f, changes, targets), *on_time(con, f, changes, targets),
           *complaints_on_time(con, f, changes, targets),
           *digital_share(con, f, changes, targets), *satisfaction(con, f, changes, targets),
           *phone_pass_rate(con, f, changes, targets), *processing_days(con, f, changes, targets)]
    return out


def kpi_series(con, f: Filters | None = None) -> list[Series]:
    """The series of each KPI, what the report's appendix reads: each as a whole (全部),
    without the case types' own charts — but for 平均處理天數, which is charted only per
    case type (an average of averages would hide which type moved), each of those."""
    f = f or Filters()
    changes = process_changes(con)
    return [*case_totals(con, f, changes), *complaints(con, f, changes), *on_time(con, f, changes),
            *complaints_on_time(con, f, changes),
            *digital_share(con, f, changes), *satisfaction(con, f, changes), *phone_pass_rate(con, f, changes),
            *processing_days(con, f, changes)]


def until(series: Series, end: dt.date) -> Series:
    """The series with only the points that start before ``end`` (a half-year report's
    July), its limits worked out again from them."""
    keep = sum(1 for start in series.starts if start < end)
    if keep == len(series.starts):
        return series
    chart, points = series.chart, series.chart.points[:keep]
    breaks = [i for i in series.changes if i < keep]
    common = dict(breaks=breaks, better=chart.better, target=chart.target, target_direction=chart.target_direction)
    periods = [p.period for p in points]
    if chart.kind == spc.PPRIME:
        rebuilt = spc.pprime([None if p.value is None or p.n is None else p.value * p.n for p in points],
                             [p.n for p in points], periods, **common)
    else:
        rebuilt = spc.xmr([p.value for p in points], periods, **common)
    return Series(series.kpi, series.series, series.unit, rebuilt, {i: c for i, c in series.changes.items() if i < keep},
                  series.starts[:keep])


def process_changes(con) -> list[Change]:
    """Every recorded process change, oldest first (none in a database opened read-only
    before its schema had them)."""
    if not con.execute("""SELECT count(*) FROM information_schema.tables
                          WHERE table_schema = 'main' AND table_catalog = current_database()
                            AND table_name = 'process_changes'""").fetchone()[0]:
        return []
    rows = con.execute("""SELECT month, metric, series, description FROM process_changes
                          WHERE month IS NOT NULL ORDER BY month, metric, series NULLS FIRST""").fetchall()
    return [Change(_date(m), metric, series, text) for m, metric, series, text in rows]


# ------------------------------------------------------------------ counts

def case_totals(con, f: Filters, changes: list[Change] | None = None,
                targets: dict | None = None) -> list[Series]:
    """All cases per month (XmR), every measure summed as the 案件量 page sums them."""
    where, params = _where("case_volumes", f)
    rows = con.execute(f"SELECT month, sum(count) FROM case_volumes{where} GROUP BY 1 ORDER BY 1", params).fetchall()
    return _monthly_counts(con, "case_total", ALL_SERIES, rows, changes, targets)


def case_types(con, f: Filters, changes: list[Change] | None = None,
               targets: dict | None = None) -> list[Series]:
    """Each case type per month (XmR), the types with most cases first."""
    where, params = _where("case_volumes", f)
    rows = con.execute(f"""SELECT case_type, month, sum(count) FROM case_volumes{where}
                           GROUP BY case_type, month
                           ORDER BY sum(sum(count)) OVER (PARTITION BY case_type) DESC, case_type, month""",
                       params).fetchall()
    out, targets = [], {} if targets is None else targets
    for case_type, group in _grouped(rows):
        out += _monthly_counts(con, "case_total", case_type, group, changes, targets)
    return out


def complaints(con, f: Filters, changes: list[Change] | None = None,
               targets: dict | None = None) -> list[Series]:
    """Complaints received per month (XmR; workload)."""
    where, params = _where("case_volumes", f, extra=d.is_complaint())
    rows = con.execute(f"SELECT month, sum(count) FROM case_volumes{where} GROUP BY 1 ORDER BY 1", params).fetchall()
    return _monthly_counts(con, "complaints", ALL_SERIES, rows, changes, targets)


def processing_days(con, f: Filters, changes: list[Change] | None = None,
                    targets: dict | None = None) -> list[Series]:
    """Average processing days per case type and month (XmR, lower is better): the
    rows' averages weighted by their cases; case types without any left out."""
    where, params = _where("case_volumes", f, extra="avg_days IS NOT NULL AND count > 0")
    rows = con.execute(f"""SELECT case_type, month, sum(avg_days * count) / sum(count) FROM case_volumes{where}
                           GROUP BY case_type, month
                           ORDER BY sum(sum(count)) OVER (PARTITION BY case_type) DESC, case_type, month""",
                       params).fetchall()
    out, targets = [], {} if targets is None else targets
    for case_type, group in _grouped(rows):
        out += _monthly_counts(con, "processing_days", case_type, group, changes, targets)
    return out


# ------------------------------------------------------------------ rates

def on_time(con, f: Filters, changes: list[Change] | None = None, targets: dict | None = None) -> list[Series]:
    """Cases completed on time ÷ cases with an on-time count, every case type, per month
    (p′): the months where no row gives an on-time count are gaps."""
    where, params = _where("case_volumes", f, extra="on_time IS NOT NULL")
    rows = con.execute(f"""SELECT month, sum(on_time), sum(count) FROM case_volumes{where} GROUP BY 1
                           HAVING sum(count) > 0 ORDER BY 1""", params).fetchall()
    return _monthly_rates(con, "on_time_rate", rows, changes, targets)


def complaints_on_time(con, f: Filters, changes: list[Change] | None = None,
                       targets: dict | None = None) -> list[Series]:
    """Complaints answered on time ÷ complaints with an on-time count, per month (p′)."""
    where, params = _where("case_volumes", f, extra=f"{d.is_complaint()} AND on_time IS NOT NULL")
    rows = con.execute(f"SELECT month, sum(on_time), sum(count) FROM case_volumes{where} GROUP BY 1 ORDER BY 1",
                       params).fetchall()
    return _monthly_rates(con, "complaints_on_time", rows, changes, targets)


def digital_share(con, f: Filters, changes: list[Change] | None = None,
                  targets: dict | None = None) -> list[Series]:
    """Online ÷ cases with a channel, counted in 件, per month (p′); months where no
    row gives a channel are gaps."""
    online, channelled = d.digital_share_parts()
    where, params = _where("case_volumes", f)
    rows = con.execute(f"""SELECT month, {online}, {channelled} FROM case_volumes{where} GROUP BY 1
                           HAVING {channelled} IS NOT NULL ORDER BY 1""", params).fetchall()
    return _monthly_rates(con, "digital_share", rows, changes, targets)


def satisfaction(con, f: Filters, changes: list[Change] | None = None,
                 targets: dict | None = None) -> list[Series]:
    """Overall satisfaction (answers of 4 or 5 ÷ answers) per month of the answers (p′)."""
    where, params = _where("survey_responses", f)
    rows = con.execute(f"""SELECT CAST(date_trunc('month', response_date) AS DATE), {d.satisfied_count()},
                                  {d.answered_count()} FROM survey_responses{where}
                           GROUP BY 1 HAVING {d.answered_count()} > 0 ORDER BY 1""", params).fetchall()
    return _monthly_rates(con, "satisfaction", rows, changes, targets)


def phone_pass_rate(con, f: Filters, changes: list[Change] | None = None,
                    targets: dict | None = None) -> list[Series]:
    """Phone tests passed ÷ tests per round (p′), rounds in the order they began."""
    where, params = _where("phone_tests", f, extra="round IS NOT NULL")
    rows = con.execute(f"""SELECT round, min(test_date), count(*) FILTER (WHERE passed), count(*)
                           FROM phone_tests{where} GROUP BY 1 ORDER BY 2, 1""", params).fetchall()
    if not rows:
        return []
    periods = [r[0] for r in rows]
    starts = [_date(r[1]) for r in rows]
    kpi = BY_KEY["phone_pass_rate"]
    breaks, found = _breaks(starts, changes if changes is not None else process_changes(con), kpi.key, ALL_SERIES)
    chart = spc.pprime([r[2] for r in rows], [r[3] for r in rows], periods, breaks=breaks, better=kpi.better,
                       **_target(con, kpi.key, starts[-1], targets))
    return [Series(kpi.key, ALL_SERIES, ROUND, chart, found, tuple(starts))]


# ------------------------------------------------------------------ shared steps

def _monthly_counts(con, key: str, series: str, rows, changes, targets: dict | None = None) -> list[Series]:
    months, values = _fill_months([_date(r[0]) for r in rows], [r[1] for r in rows])
    if not months:
        return []
    kpi = BY_KEY[key]
    breaks, found = _breaks(months, changes if changes is not None else process_changes(con), key, series)
    target = _target(con, key, months[-1], targets) if kpi.kind != "count" else {}
    chart = spc.xmr(values, months, breaks=breaks, better=kpi.better, **target)
    return [Series(key, series, MONTH, chart, found, tuple(months))]


def _monthly_rates(con, key: str, rows, changes, targets: dict | None = None) -> list[Series]:
    months, pairs = _fill_months([_date(r[0]) for r in rows], [(r[1], r[2]) for r in rows])
    if not months:
        return []
    kpi = BY_KEY[key]
    breaks, found = _breaks(months, changes if changes is not None else process_changes(con), key, ALL_SERIES)
    chart = spc.pprime([p[0] if p else None for p in pairs], [p[1] if p else None for p in pairs], months,
                       breaks=breaks, better=kpi.better, **_target(con, key, months[-1], targets))
    return [Series(key, ALL_SERIES, MONTH, chart, found, tuple(months))]


def _fill_months(months: list[dt.date], values: list) -> tuple[list[dt.date], list]:
    """Every month from the first to the last, ``None`` where none was given."""
    if not months:
        return [], []
    given = dict(zip(months, values))
    out, month = [], months[0]
    while month <= months[-1]:
        out.append(month)
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return out, [given.get(m) for m in out]


def _breaks(starts: list[dt.date], changes: list[Change], key: str, series: str):
    """The point each applicable change starts a segment at (the first on or after its
    month), and the changes per such point. A change before the first point or after
    the last starts nothing here."""
    found: dict[int, list[Change]] = {}
    for change in changes:
        if change.metric not in (key, ALL):
            continue
        if change.series is not None and (key not in BY_CASE_TYPE or change.series != series):
            continue
        at = next((i for i, s in enumerate(starts) if s >= change.month), None)
        if at is not None and at > 0:
            found.setdefault(at, []).append(change)
    return sorted(found), {i: tuple(c) for i, c in sorted(found.items())}


def _target(con, key: str, latest: dt.date, read: dict | None = None) -> dict:
    """The target of the latest point's year and its side (以上 / 以下), as spc takes them.
    ``read`` keeps each year's targets once read, for the other series of the same call."""
    read = {} if read is None else read
    if latest.year not in read:
        read[latest.year] = targets_for(con, latest.year)
    target = read[latest.year].get(key)
    if target is None:
        return {}
    return {"target": target.value, "target_direction": spc.AT_LEAST if target.direction == UP else spc.AT_MOST}


def _grouped(rows):
    """(key, its rows without the key) for rows ordered by their first column's groups."""
    groups: dict = {}
    for row in rows:
        groups.setdefault(row[0], []).append(row[1:])
    return groups.items()


def _date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value
