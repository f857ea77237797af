"""What the dashboard's charts draw, aggregated in DuckDB with bound parameters: each
function takes a connection first (the filters, a year or a period after it, where
it needs them) and returns a small DataFrame or dict to draw. Definitions come from
analytics/definitions.py. Every comparison of one period with another — KPI cards,
what moved most, 年度比較, case types and dimensions against the year before — is
analytics/comparison.py's, never made here."""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from . import definitions as d
from . import survey_stats
from .datasets import DATASETS
from .datasets.survey_responses import ITEMS as SURVEY_ITEMS
from .periods import Period
from .units import display_order

ITEM_COLUMNS = tuple(name for name, *_ in SURVEY_ITEMS)
ITEM_LABELS = {name: label for name, label, *_ in SURVEY_ITEMS} | {"overall": "整體滿意度"}


@dataclass(frozen=True)
class Filters:
    """The sidebar's filters. Years are Gregorian and inclusive; empty tuples mean all."""

    years: tuple[int, int] | None = None
    units: tuple[str, ...] = ()
    offices: tuple[str, ...] = ()
    case_types: tuple[str, ...] = ()

    def with_years(self, first: int, last: int) -> "Filters":
        return Filters((first, last), self.units, self.offices, self.case_types)


def _where(table: str, f: Filters, *, years: bool = True, extra: str = "") -> tuple[str, list]:
    """WHERE clause and parameters for a dataset's table under the sidebar's filters;
    which column each filter applies to comes from the dataset's spec."""
    ds = DATASETS[table]
    clauses, params = [], []
    if years and f.years:
        clauses.append(f"{ds.year_expr} BETWEEN ? AND ?")
        params += list(f.years)
    for name, values in (("units", f.units), ("offices", f.offices), ("case_types", f.case_types)):
        column = ds.filters.get(name)
        if column and values:
            clauses.append(f'"{column}" IN ({", ".join("?" * len(values))})')
            params += list(values)
    if extra:
        clauses.append(extra)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _df(con, sql: str, params: list) -> pd.DataFrame:
    return con.execute(sql, params).df()


# ------------------------------------------------------------------ what there is

def _distinct(con, filter_name: str) -> list:
    """Every value of the column a sidebar filter applies to, over the datasets that have it."""
    parts = [f'SELECT "{ds.filters[filter_name]}" AS v FROM "{name}"' for name, ds in DATASETS.items()
             if filter_name in ds.filters]
    return [r[0] for r in con.execute(f"SELECT DISTINCT v FROM ({' UNION '.join(parts)}) WHERE v IS NOT NULL").fetchall()]


def options(con) -> dict:
    """Choices for the sidebar: years (of the datasets that make figures), units,
    offices, case types (the most frequent first)."""
    years = " UNION ".join(f'SELECT {ds.year_expr} AS y FROM "{name}"' for name, ds in DATASETS.items()
                           if ds.in_year_range)
    return {"years": [int(r[0]) for r in con.execute(f"SELECT DISTINCT y FROM ({years}) WHERE y IS NOT NULL ORDER BY y")
                      .fetchall()],
            "units": display_order(_distinct(con, "units")),
            "offices": display_order(_distinct(con, "offices")),
            "case_types": [r[0] for r in con.execute(
                "SELECT case_type FROM case_volumes GROUP BY 1 ORDER BY sum(count) DESC, 1").fetchall()]}


def coverage(con) -> pd.DataFrame:
    """Rows per dataset and year, for data freshness: every dataset the specs declare."""
    parts = [f"SELECT '{name}' AS dataset, CAST({ds.year_expr} AS INTEGER) AS year, count(*) AS rows "
             f'FROM "{name}" GROUP BY ALL' for name, ds in DATASETS.items()]
    return con.execute(" UNION ALL ".join(parts) + " ORDER BY dataset, year").df()


def last_import(con) -> dict | None:
    row = con.execute("""SELECT id, file, imported_at, "user", is_sample FROM batches WHERE undone_at IS NULL
                         ORDER BY id DESC LIMIT 1""").fetchone()
    return None if row is None else dict(zip(("id", "file", "imported_at", "user", "is_sample"), row))


# ------------------------------------------------------------------ case volumes

def case_monthly_total(con, f: Filters) -> pd.DataFrame:
    """All cases per month (only the months that hold rows: a line ends where the data does)."""
    where, params = _where("case_volumes", f)
    return _df(con, f"SELECT month, sum(count) AS count FROM case_volumes{where} GROUP BY 1 ORDER BY 1", params)


def case_types_by_volume(con, f: Filters) -> list[str]:
    """The case types in the filters' range, most cases first."""
    where, params = _where("case_volumes", f)
    return [r[0] for r in con.execute(f"""SELECT case_type FROM case_volumes{where} GROUP BY 1
                                          ORDER BY sum(count) DESC, 1""", params).fetchall()]


def case_by_unit(con, f: Filters, period: Period) -> pd.DataFrame:
    """Cases per unit over a period (the months the year in view is compared on), most first."""
    where, params = _where("case_volumes", f, years=False, extra="month >= ? AND month < ?")
    return _df(con, f"""SELECT unit, sum(count) AS count FROM case_volumes{where} GROUP BY 1
                        ORDER BY count DESC, unit""", params + [period.start, period.end])


def latest_year(con, dataset: str, f: Filters) -> int | None:
    """The last year within the filters' range that holds rows of ``dataset``."""
    where, params = _where(dataset, f)
    row = con.execute(f'SELECT max({DATASETS[dataset].year_expr}) FROM "{dataset}"{where}', params).fetchone()
    return int(row[0]) if row and row[0] is not None else None


def case_timeliness(con, f: Filters) -> pd.DataFrame:
    """On-time rate and mean processing days, where the sheets give them."""
    where, params = _where("case_volumes", f, extra="(on_time IS NOT NULL OR avg_days IS NOT NULL)")
    return _df(con, f"""SELECT year(month) AS year, case_type,
                               sum(count) FILTER (WHERE on_time IS NOT NULL) AS counted,
                               sum(on_time) AS on_time,
                               sum(on_time) / nullif(sum(count) FILTER (WHERE on_time IS NOT NULL), 0) AS on_time_rate,
                               sum(avg_days * count) FILTER (WHERE avg_days IS NOT NULL)
                                 / nullif(sum(count) FILTER (WHERE avg_days IS NOT NULL), 0) AS avg_days
                        FROM case_volumes{where} GROUP BY ALL ORDER BY year, case_type""", params)


def _in_years(frame: pd.DataFrame, f: Filters) -> pd.DataFrame:
    if f.years and len(frame):
        frame = frame[(frame["year"] >= f.years[0]) & (frame["year"] <= f.years[1])]
    return frame.reset_index(drop=True)


# ------------------------------------------------------------------ satisfaction

def _with_wilson(frame: pd.DataFrame, k: str = "satisfied", n: str = "answered") -> pd.DataFrame:
    frame = frame.copy()
    frame["rate"] = [s / a if a else math.nan for s, a in zip(frame[k], frame[n])]
    bounds = [survey_stats.wilson(s, a) for s, a in zip(frame[k], frame[n])]
    frame["ci_low"] = [b[0] for b in bounds]
    frame["ci_high"] = [b[1] for b in bounds]
    return frame


def satisfaction_items(con, f: Filters) -> pd.DataFrame:
    """Per item (and overall): non-blank answers, answers of 4–5, rate, 95 % Wilson."""
    where, params = _where("survey_responses", f)
    cols = (*ITEM_COLUMNS, "overall")
    select = ", ".join(f"{d.answered_count(c)} AS {c}_n, {d.satisfied_count(c)} AS {c}_k" for c in cols)
    row = con.execute(f"SELECT {select} FROM survey_responses{where}", params).fetchone()
    frame = pd.DataFrame({"item": cols, "answered": row[0::2], "satisfied": row[1::2]})
    return _with_wilson(frame)


def likert_distribution(con, f: Filters) -> pd.DataFrame:
    """Per item: how many answered 1…5, and the share of the item's answers."""
    where, params = _where("survey_responses", f)
    unpivot = " UNION ALL ".join(f"SELECT '{c}' AS item, {c} AS answer FROM survey_responses{where}"
                                 for c in (*ITEM_COLUMNS, "overall"))
    frame = _df(con, f"""SELECT item, answer, count(*) AS count FROM ({unpivot}) WHERE answer IS NOT NULL
                         GROUP BY ALL""", params * (len(ITEM_COLUMNS) + 1))
    if len(frame):
        frame["share"] = frame["count"] / frame.groupby("item")["count"].transform("sum")
        order = {c: i for i, c in enumerate((*ITEM_COLUMNS, "overall"))}
        frame = frame.sort_values(["item", "answer"], key=lambda s: s.map(order) if s.name == "item" else s)
    return frame.reset_index(drop=True)


def satisfaction_by(con, f: Filters, by: str) -> pd.DataFrame:
    """Overall satisfaction per office or per respondent type."""
    column = {"office": "office", "respondent_type": "respondent_type"}[by]
    where, params = _where("survey_responses", f)
    frame = _df(con, f"""SELECT {column} AS "group", {d.answered_count()} AS answered,
                                {d.satisfied_count()} AS satisfied
                         FROM survey_responses{where} GROUP BY ALL HAVING count(overall) > 0
                         ORDER BY answered DESC, "group" NULLS LAST""", params)
    return _with_wilson(frame)


def satisfaction_trend(con, f: Filters, period: str = "quarter") -> pd.DataFrame:
    expr = {"quarter": "year(response_date) * 10 + quarter(response_date)", "year": "year(response_date)"}[period]
    where, params = _where("survey_responses", f)
    frame = _df(con, f"""SELECT {expr} AS period, {d.answered_count()} AS answered,
                                {d.satisfied_count()} AS satisfied
                         FROM survey_responses{where} GROUP BY ALL HAVING count(overall) > 0 ORDER BY period""", params)
    return _with_wilson(frame)


def response_rates(con, f: Filters) -> pd.DataFrame:
    """Per year and office: issued, returned, and the response rate (returned ÷ issued,
    at most 100 %; ``over_issued`` flags more returned than issued). Offices with
    returns but no 發出份數 row have ``issued`` and ``rate`` empty: they count on
    neither side of any rate, and the page names them."""
    w_issued, p_issued = _where("survey_issued", f)
    w_resp, p_resp = _where("survey_responses", f)
    return _df(con, f"""SELECT *, counted / nullif(issued, 0) AS rate
                        FROM ({d.response_rate_sql(w_issued, w_resp)}) ORDER BY year, office""", p_issued + p_resp)


def cronbach_alpha(con, f: Filters) -> dict:
    """Cronbach's α of the survey items that have answers, over questionnaires that
    answered all of them; none below three items or thirty complete answers."""
    where, params = _where("survey_responses", f)
    counts = con.execute(f"SELECT {', '.join(f'count({c})' for c in ITEM_COLUMNS)} FROM survey_responses{where}",
                         params).fetchone()
    items = [c for c, n in zip(ITEM_COLUMNS, counts) if n]
    if len(items) < survey_stats.MIN_ALPHA_ITEMS:
        out = survey_stats.cronbach_alpha([0.0] * len(items), 0.0, 0)
    else:
        where, params = _where("survey_responses", f, extra=" AND ".join(f"{c} IS NOT NULL" for c in items))
        row = con.execute(f"""SELECT count(*), {', '.join(f'var_samp({c})' for c in items)},
                                     var_samp({' + '.join(items)}) FROM survey_responses{where}""", params).fetchone()
        out = survey_stats.cronbach_alpha([v or 0.0 for v in row[1:-1]], row[-1] or 0.0, int(row[0] or 0))
    return {**out, "band": survey_stats.alpha_band(out["alpha"])}


def lowest_items(items: pd.DataFrame, count: int = 2) -> list[str]:
    """The items flagged for improvement: the ``count`` lowest by satisfaction as shown
    (0.1 %), with every item tied with the last of them; never an item at the best rate
    (100 %, or as good as the best), so a sheet where all items are alike flags none."""
    answered = items[(items["item"] != "overall") & (items["answered"] > 0)]
    if answered.empty:
        return []
    answered = answered.assign(shown=answered["rate"].map(lambda r: round(float(r) * 1000)))
    below = answered[answered["shown"] < answered["shown"].max()]
    if below.empty:
        return []
    cut = below.nsmallest(count, "shown")["shown"].max()
    order = {name: i for i, name in enumerate(ITEM_COLUMNS)}
    picked = below[below["shown"] <= cut].sort_values(["shown", "item"], key=lambda c: c.map(order) if c.name == "item"
                                                      else c)
    return list(picked["item"])

# ------------------------------------------------------------------ phone tests

def pass_mark(con) -> float:
    return d.pass_mark(con)


def phone_by(con, f: Filters, by: str) -> pd.DataFrame:
    column = {"unit": "unit", "round": "round", "test_type": "test_type", "year": "year(test_date)"}[by]
    where, params = _where("phone_tests", f)
    frame = _df(con, f"""SELECT {column} AS "group", count(*) AS tests, count(*) FILTER (WHERE passed) AS passed,
                                count(*) FILTER (WHERE passed) / count(*) AS pass_rate, avg(total) AS mean_score
                         FROM phone_tests{where} GROUP BY ALL ORDER BY 1""", params)
    if by == "unit" and len(frame):
        order = {name: i for i, name in enumerate(display_order(frame["group"]))}
        frame = frame.sort_values("group", key=lambda s: s.map(order)).reset_index(drop=True)
    return frame


def phone_type_by_round(con, f: Filters) -> pd.DataFrame:
    """Internal against cross-branch tests, side by side per round."""
    where, params = _where("phone_tests", f)
    return _df(con, f"""SELECT round, test_type, count(*) AS tests,
                               count(*) FILTER (WHERE passed) / count(*) AS pass_rate, avg(total) AS mean_score
                        FROM phone_tests{where} GROUP BY ALL ORDER BY round, test_type""", params)


def phone_items(con, f: Filters) -> pd.DataFrame:
    """Mean score per item and its share of the item's full marks (配分), weakest
    first. Full marks come from the sheet's header or the standard form; an item whose
    full marks are unknown is measured against the best score seen (``basis`` says which)."""
    where, params = _where("phone_tests", f)
    return _df(con, f"""SELECT i.item, count(*) AS n, avg(i.score) AS mean, avg(i.points) AS points,
                               max(i.score) AS best,
                               CASE WHEN count(i.points) = count(*) THEN avg(i.score / nullif(i.points, 0))
                                    ELSE avg(i.score) / nullif(max(i.score), 0) END AS share,
                               CASE WHEN count(i.points) = count(*) THEN 'points' ELSE 'best' END AS basis
                        FROM phone_test_items i JOIN (SELECT nkey FROM phone_tests{where}) p USING (nkey)
                        GROUP BY ALL ORDER BY share, mean""", params)


def phone_score_bins(con, f: Filters, width: float = 2.0) -> pd.DataFrame:
    """How many tests scored in each ``width``-point band, per test type: the
    histogram is counted in DuckDB, however many tests there are."""
    where, params = _where("phone_tests", f, extra="total IS NOT NULL")
    return _df(con, f"""SELECT floor(total / ?) * ? AS band, test_type, count(*) AS tests,
                               count(*) FILTER (WHERE passed) AS passed
                        FROM phone_tests{where} GROUP BY ALL ORDER BY band, test_type""", [width, width, *params])


def mask_name(name) -> str | None:
    """王小明 → 王○明; 陳明 → 陳○; personal data stays hidden by default. A blank
    name stays blank."""
    if name is None or not isinstance(name, str) or not name.strip():
        return None
    name = name.strip()
    if len(name) == 1:
        return "○"
    if len(name) == 2:
        return name[0] + "○"
    return name[0] + "○" * (len(name) - 2) + name[-1]


def phone_staff(con, f: Filters, masked: bool = True) -> pd.DataFrame:
    where, params = _where("phone_tests", f)
    frame = _df(con, f"""SELECT test_date, round, unit, test_type, person, total, passed
                         FROM phone_tests{where} ORDER BY test_date, unit""", params)
    if masked and len(frame):
        frame["person"] = frame["person"].map(mask_name)
    return frame


# ------------------------------------------------------------------ dimension scores

def dimension_items(con, year: int) -> pd.DataFrame:
    return _df(con, """SELECT dimension, dim_order, item, points, self_score, review_score,
                              self_score / points AS self_pct, review_score / points AS review_pct
                       FROM dimension_scores WHERE year = ?
                       ORDER BY dim_order, position NULLS LAST, item""", [year])   # the sheet's order: (一) (二) (三)


def dimension_by_year(con, f: Filters) -> pd.DataFrame:
    where, params = _where("dimension_scores", f)
    return _df(con, f"""SELECT year, dimension, min(dim_order) AS dim_order, sum(points) AS points,
                               sum(self_score) AS self_score, sum(review_score) AS review_score,
                               sum(self_score) / sum(points) AS self_pct, sum(review_score) / sum(points) AS review_pct
                        FROM dimension_scores{where} GROUP BY year, dimension ORDER BY year, dim_order""", params)


# ------------------------------------------------------------------ what the report reads beside its figures

def sample_in_force(con) -> bool:
    """Whether any row in force comes from the bundled sample (the 示範資料 mark)."""
    return con.execute("SELECT count(*) FROM batches WHERE is_sample AND undone_at IS NULL").fetchone()[0] > 0


def holds(con, dataset: str, year: int) -> bool:
    """Whether a dataset holds rows of a year."""
    ds = DATASETS[dataset]
    return con.execute(f'SELECT count(*) FROM "{dataset}" WHERE {ds.year_expr} = ?', [year]).fetchone()[0] > 0


def strategies(con, year: int) -> list[tuple]:
    """The year's 執行策略 rows: (dimension, item, strategy, units, results), in the sheet's order."""
    return con.execute("""SELECT dimension, item, strategy, units, results FROM strategies
                          WHERE year = ? ORDER BY dim_order, position""", [year]).fetchall()


def rubric(con) -> list[tuple[str, float]]:
    """The award's dimensions and their points, as the settings hold them."""
    return con.execute("SELECT name, points FROM dimensions ORDER BY position").fetchall()
