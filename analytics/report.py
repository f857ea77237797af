"""The half-year and annual results report (執行績效與成果), built from the data in
the seed's structure: each dimension with its points and score, each sub-item with
its strategies, responsible units and results, and beside them the period's figures
with the change from the same period a year before."""
from __future__ import annotations

import datetime as dt
import html
import math
from dataclasses import dataclass, field

import pandas as pd

from . import export, stats
from .datasets.dimension_scores import DEFAULT_DIMENSIONS
from .i18n import t
from .labels import year_label

# Which figures stand beside which dimension (the seed quotes them there).
FIGURES_FOR = {
    "基礎服務": ("cases", "phone"),
    "服務遞送": ("cases", "satisfaction"),
    "服務量能": ("cases",),
    "服務評價": ("satisfaction", "complaints"),
    "開放創新": (),
}
COMPLAINT_TYPES = ("檢舉申訴", "義務監視員反映")


@dataclass
class Period:
    year: int
    half: int | None = None

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:  # exclusive
        return dt.date(self.year, 7, 1) if self.half == 1 else dt.date(self.year + 1, 1, 1)

    def before(self) -> "Period":
        return Period(self.year - 1, self.half)

    def label(self, lang: str = "zh") -> str:
        base = year_label(self.year, lang)
        return t("report.first_half", lang, year=base) if self.half == 1 else base


@dataclass
class Report:
    period: Period
    figures: pd.DataFrame                      # key, group, label, now, before, change, change_pct, kind
    cases: pd.DataFrame                         # case_type, now, before, change, change_pct
    dimensions: list[dict] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    lang: str = "zh"
    survey: dict = field(default_factory=dict)
    phone: dict = field(default_factory=dict)

    @property
    def title(self) -> str:
        return t("report.title", self.lang, period=self.period.label(self.lang))


def _cases(con, p: Period) -> pd.DataFrame:
    return con.execute("""SELECT case_type, sum(count) AS total, sum(on_time) AS on_time, sum(amount) AS amount,
                                 sum(minutes_saved) AS minutes
                          FROM case_volumes WHERE month >= ? AND month < ? GROUP BY 1""", [p.start, p.end]).df()


def _survey(con, p: Period) -> dict:
    k, n, returned = con.execute("""SELECT count(*) FILTER (WHERE overall >= 4), count(overall), count(*)
                                    FROM survey_responses WHERE response_date >= ? AND response_date < ?""",
                                 [p.start, p.end]).fetchone()
    issued = con.execute("SELECT sum(issued) FROM survey_issued WHERE year = ?", [p.year]).fetchone()[0]
    low, high = stats.wilson(k, n) if n else (math.nan, math.nan)
    return {"returned": returned, "n": n, "rate": k / n if n else None, "low": low, "high": high,
            "margin": stats.margin_of_error(n) if n else None,
            "response_rate": returned / issued if issued and p.half is None else None}


def _phone(con, p: Period) -> dict:
    tests, passed, mean, internal, cross = con.execute(
        """SELECT count(*), count(*) FILTER (WHERE passed), avg(total),
                  count(*) FILTER (WHERE test_type = '內部測試'), count(*) FILTER (WHERE test_type = '跨分局互測')
           FROM phone_tests WHERE test_date >= ? AND test_date < ?""", [p.start, p.end]).fetchone()
    return {"tests": tests, "pass_rate": passed / tests if tests else None, "mean": mean,
            "internal": internal, "cross": cross}


def _dimensions(con, year: int) -> pd.DataFrame:
    return con.execute("""SELECT dimension, min(dim_order) AS dim_order, sum(points) AS points,
                                 sum(self_score) AS self_score, sum(review_score) AS review_score
                          FROM dimension_scores WHERE year = ? GROUP BY 1 ORDER BY 2""", [year]).df()


def _strategies(con, year: int) -> pd.DataFrame:
    return con.execute("""SELECT dimension, dim_order, item, strategy, units, results FROM strategies
                          WHERE year = ? ORDER BY dim_order, position""", [year]).df()


def _number(value):
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def _change(now, before):
    if now is None or before is None or (isinstance(now, float) and math.isnan(now)):
        return None, None
    change = now - before
    return change, (change / before if before else None)


def build(con, year: int, half: int | None = None, lang: str = "zh") -> Report:
    """Everything the report says for ``year`` (Gregorian) or its first half."""
    p = Period(year, half)
    q = p.before()
    rows, missing = [], []

    def add(key, group, label, now, before, kind):
        change, pct = _change(now, before)
        rows.append({"key": key, "group": group, "label": label, "now": now, "before": before, "change": change,
                     "change_pct": pct, "kind": kind})

    cases_now, cases_before = _cases(con, p), _cases(con, q)
    if cases_now.empty:
        missing.append("case_volumes")
    merged = cases_now.merge(cases_before, on="case_type", how="left", suffixes=("", "_before"))
    merged = merged.sort_values("total", ascending=False)
    cases = pd.DataFrame({"case_type": merged["case_type"], "now": merged["total"], "before": merged["total_before"]})
    cases["change"] = cases["now"] - cases["before"]
    cases["change_pct"] = cases["change"] / cases["before"]
    if not cases_now.empty:
        add("case_total", "cases", t("kpi.case_total", lang), float(cases_now["total"].sum()),
            float(cases_before["total"].sum()) if not cases_before.empty else None, "count")
        for column, key, kind in (("amount", "report.amount", "count"), ("minutes", "report.minutes", "count")):
            total_now = cases_now[column].sum(min_count=1)
            if not pd.isna(total_now):
                total_before = cases_before[column].sum(min_count=1) if not cases_before.empty else None
                add(column, "cases", t(key, lang), float(total_now),
                    None if total_before is None or pd.isna(total_before) else float(total_before), kind)
        complaints = cases_now[cases_now["case_type"].isin(COMPLAINT_TYPES)]
        if not complaints.empty:
            on_time = complaints["on_time"].sum() / complaints["total"].sum() if complaints["total"].sum() else None
            add("complaints_on_time", "complaints", t("report.complaints_on_time", lang), on_time, None, "share")

    survey_now, survey_before = _survey(con, p), _survey(con, q)
    if survey_now["returned"]:
        add("survey_n", "satisfaction", t("report.survey_n", lang), survey_now["returned"],
            survey_before["returned"] or None, "count")
        add("satisfaction", "satisfaction", t("kpi.satisfaction", lang), survey_now["rate"], survey_before["rate"], "share")
        if survey_now["response_rate"] is not None:
            add("response_rate", "satisfaction", t("kpi.response_rate", lang), survey_now["response_rate"],
                survey_before["response_rate"], "share")
    else:
        missing.append("survey_responses")

    phone_now, phone_before = _phone(con, p), _phone(con, q)
    if phone_now["tests"]:
        add("phone_tests", "phone", t("report.phone_tests", lang), phone_now["tests"], phone_before["tests"] or None, "count")
        add("phone_internal", "phone", t("report.phone_internal", lang), phone_now["internal"],
            phone_before["internal"] or None, "count")
        add("phone_cross", "phone", t("report.phone_cross", lang), phone_now["cross"], phone_before["cross"] or None, "count")
        add("phone_pass_rate", "phone", t("kpi.phone_pass_rate", lang), phone_now["pass_rate"],
            phone_before["pass_rate"], "share")
        add("phone_mean", "phone", t("kpi.phone_mean", lang), phone_now["mean"], phone_before["mean"], "score")
    else:
        missing.append("phone_tests")

    dims_now, dims_before = _dimensions(con, year), _dimensions(con, year - 1)
    if dims_now.empty:
        missing.append("dimension_scores")
    strategies = _strategies(con, year)
    if strategies.empty:
        missing.append("strategies")
    before_by = dims_before.set_index("dimension")["self_score"].to_dict() if not dims_before.empty else {}
    score_by = dims_now.set_index("dimension").to_dict("index") if not dims_now.empty else {}
    names = list(dims_now["dimension"]) if not dims_now.empty else [name for name, _ in DEFAULT_DIMENSIONS]
    dims = []
    for name in dict.fromkeys([*names, *strategies["dimension"]]):
        score = score_by.get(name, {})
        points = score.get("points") or dict(DEFAULT_DIMENSIONS).get(name)
        own = _number(score.get("self_score"))
        if own is not None:
            add(f"dim_{name}", "dimensions", name, own, before_by.get(name), "score")
        part = strategies[strategies["dimension"] == name]
        items = [{"item": item, "strategies": group[["strategy", "units", "results"]].to_dict("records")}
                 for item, group in part.groupby("item", sort=False)]
        dims.append({"name": name, "points": points, "self": own, "review": _number(score.get("review_score")),
                     "before": before_by.get(name), "pct": own / points if own is not None and points else None,
                     "items": items, "figures": []})
    if not dims_now.empty:
        total_points = float(dims_now["points"].sum())
        add("dimension_total", "dimensions", t("report.dimension_total", lang, points=f"{total_points:,.0f}"),
            float(dims_now["self_score"].sum()), float(dims_before["self_score"].sum()) if not dims_before.empty else None,
            "score")
    figures = pd.DataFrame(rows, columns=["key", "group", "label", "now", "before", "change", "change_pct", "kind"])
    for d in dims:
        d["figures"] = [r for r in rows if r["group"] in FIGURES_FOR.get(d["name"], ())]
    return Report(p, figures, cases, dims, missing, lang, survey_now, phone_now)


# ------------------------------------------------------------------ output

def _fmt(value, kind) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if kind == "share":
        return f"{value:.1%}"
    if kind == "count":
        return f"{value:,.0f}"
    return f"{value:,.1f}" if not float(value).is_integer() else f"{value:,.0f}"


def _fmt_change(change, pct, kind) -> str:
    if change is None or (isinstance(change, float) and math.isnan(change)):
        return "–"
    if kind == "share":
        return f"{change * 100:+.1f} pp"
    text = f"{change:+,.0f}" if float(change).is_integer() else f"{change:+,.1f}"
    return text + (f"（{pct:+.1%}）" if pct is not None and not math.isnan(pct) else "")


def summary_table(r: Report) -> pd.DataFrame:
    lang = r.lang
    rows = [{t("report.col.figure", lang): f["label"], r.period.label(lang): _fmt(f["now"], f["kind"]),
             r.period.before().label(lang): _fmt(f["before"], f["kind"]),
             t("report.col.change", lang): _fmt_change(f["change"], f["change_pct"], f["kind"])}
            for f in r.figures.to_dict("records")]
    return pd.DataFrame(rows)


def cases_table(r: Report) -> pd.DataFrame:
    lang = r.lang
    return pd.DataFrame({
        t("col.case_type", lang): r.cases["case_type"],
        r.period.label(lang): [_fmt(v, "count") for v in r.cases["now"]],
        r.period.before().label(lang): [_fmt(v, "count") for v in r.cases["before"]],
        t("report.col.change", lang): [_fmt_change(c, p, "count") for c, p in zip(r.cases["change"], r.cases["change_pct"])],
    })


def dimension_table(d: dict, lang: str) -> pd.DataFrame:
    rows = []
    for item in d["items"]:
        for s in item["strategies"]:
            rows.append({t("col.item", lang): item["item"], t("report.col.strategy", lang): s["strategy"],
                         t("report.col.units", lang): s["units"], t("report.col.results", lang): s["results"] or ""})
    return pd.DataFrame(rows, columns=[t("col.item", lang), t("report.col.strategy", lang), t("report.col.units", lang),
                                       t("report.col.results", lang)])


def _dimension_head(d: dict, lang: str) -> str:
    parts = [t("report.points", lang, points=_fmt(d["points"], "score"))]
    if d["self"] is not None:
        parts.append(t("report.self", lang, score=_fmt(d["self"], "score"), pct=_fmt(d["pct"], "share")))
    if d["review"] is not None:
        parts.append(t("report.review", lang, score=_fmt(d["review"], "score")))
    return "；".join(parts)


def missing_lines(r: Report) -> list[str]:
    return [t("report.missing", r.lang, dataset=name) for name in r.missing]


def to_workbook(r: Report, fmt: str) -> bytes:
    """A summary sheet, the case table, and one sheet per dimension."""
    lang = r.lang
    head = pd.DataFrame({t("report.col.figure", lang): [r.title, *missing_lines(r)]})
    sheets = [(t("report.sheet.summary", lang), [head, summary_table(r)]),
              (t("report.sheet.cases", lang), [cases_table(r)])]
    for d in r.dimensions:
        intro = pd.DataFrame({t("col.dimension", lang): [d["name"], _dimension_head(d, lang)]})
        figures = pd.DataFrame([{t("report.col.figure", lang): f["label"], r.period.label(lang): _fmt(f["now"], f["kind"]),
                                 t("report.col.change", lang): _fmt_change(f["change"], f["change_pct"], f["kind"])}
                                for f in d["figures"]])
        sheets.append((d["name"][:31], [intro, dimension_table(d, lang), figures]))
    return export.write_sheets(sheets, fmt)


def _bar_svg(rows: list[tuple[str, float, str]], width: int = 520) -> str:
    """A small horizontal bar chart as inline SVG (prints crisply; needs no script)."""
    height = 26 * len(rows) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img">']
    for i, (label, share, text) in enumerate(rows):
        y = 8 + i * 26
        w = max(0.0, min(1.0, share)) * (width - 220)
        parts.append(f'<text x="0" y="{y + 14}" font-size="13">{html.escape(label)}</text>'
                     f'<rect x="110" y="{y}" width="{width - 220}" height="18" fill="#eee"/>'
                     f'<rect x="110" y="{y}" width="{w:.1f}" height="18" fill="#4C78A8"/>'
                     f'<text x="{width - 100}" y="{y + 14}" font-size="13">{html.escape(text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _html_table(frame: pd.DataFrame) -> str:
    if frame.empty:
        return ""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
                   for row in frame.itertuples(index=False))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


CSS = """
@page { size: A4; margin: 16mm 14mm; }
body { font-family: "Noto Sans CJK TC", "Noto Sans TC", "Microsoft JhengHei", "PingFang TC", sans-serif;
       font-size: 11pt; color: #222; max-width: 182mm; margin: auto; }
h1 { font-size: 18pt; text-align: center; } h2 { font-size: 14pt; border-bottom: 2px solid #4C78A8; }
table { border-collapse: collapse; width: 100%; margin: 6pt 0 12pt; page-break-inside: auto; }
tr { page-break-inside: avoid; } th, td { border: 1px solid #999; padding: 3pt 5pt; vertical-align: top; }
th { background: #eef2f7; } .missing { color: #b00; } .dimension { page-break-before: always; }
.note { color: #555; font-size: 9pt; }
"""


def to_html(r: Report) -> str:
    lang = r.lang
    out = [f'<!DOCTYPE html><html lang="{"zh-Hant-TW" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
           f"<title>{html.escape(r.title)}</title><style>{CSS}</style></head><body>",
           f"<h1>{html.escape(r.title)}</h1>"]
    for line in missing_lines(r):
        out.append(f'<p class="missing">{html.escape(line)}</p>')
    out.append(f"<h2>{html.escape(t('report.sheet.summary', lang))}</h2>")
    out.append(_html_table(summary_table(r)))
    if r.survey["n"]:
        s = r.survey
        note = t("report.survey_note", lang, n=s["n"], rate=_fmt(s["rate"], "share"), low=_fmt(s["low"], "share"),
                 high=_fmt(s["high"], "share"), margin=f"{s['margin']:.1f}")
        out.append(f'<p class="note">{html.escape(note)}</p>')
    scored = [(d["name"], d["pct"], _fmt(d["pct"], "share")) for d in r.dimensions if d["pct"] is not None]
    if scored:
        out.append(_bar_svg(scored))
    out.append(f"<h2>{html.escape(t('report.sheet.cases', lang))}</h2>")
    out.append(_html_table(cases_table(r)))
    for d in r.dimensions:
        out.append(f'<section class="dimension"><h2>{html.escape(d["name"])}</h2>')
        out.append(f"<p>{html.escape(_dimension_head(d, lang))}</p>")
        out.append(_html_table(dimension_table(d, lang)))
        if d["figures"]:
            figs = pd.DataFrame([{t("report.col.figure", lang): f["label"], r.period.label(lang): _fmt(f["now"], f["kind"]),
                                  t("report.col.change", lang): _fmt_change(f["change"], f["change_pct"], f["kind"])}
                                 for f in d["figures"]])
            out.append(_html_table(figs))
        out.append("</section>")
    out.append("</body></html>")
    return "".join(out)


def render(r: Report, fmt: str) -> bytes:
    if fmt == "html":
        return to_html(r).encode("utf-8")
    return to_workbook(r, fmt)
