"""The figures the command line's ``stats`` prints: per dataset and Gregorian year (as
a string), built from the shared definitions."""
from __future__ import annotations

import pandas as pd

from . import definitions as d


def satisfied_rate(con, year: int | None = None) -> pd.DataFrame:
    """Per year: answers of 4 or 5 over non-blank answers of 整體滿意度."""
    return con.execute(
        f"""SELECT year(response_date) AS year, count(*) AS responses,
                   {d.answered_count()} AS answered, {d.satisfied_count()} AS satisfied
            FROM survey_responses WHERE ? IS NULL OR year(response_date) = ?
            GROUP BY ALL ORDER BY year""", [year, year]).df()


def by_year(con) -> dict:
    """The ``stats`` command's JSON: per dataset, per Gregorian year (as a string)."""
    out: dict[str, dict] = {"case_volumes": {}, "survey_responses": {}, "phone_tests": {}, "dimension_scores": {}}
    cases = con.execute("""SELECT year(month) AS y, case_type, count(*) AS rows, sum(count) AS total
                           FROM case_volumes GROUP BY ALL ORDER BY y, total DESC, case_type""").fetchall()
    for y, case_type, rows, total in cases:
        entry = out["case_volumes"].setdefault(str(y), {"rows": 0, "total": 0, "by_category": {}})
        entry["rows"] += int(rows)
        entry["total"] += int(total or 0)
        entry["by_category"][case_type] = int(total or 0)

    issued = dict(con.execute("SELECT year, sum(issued) FROM survey_issued GROUP BY year").fetchall())
    answers = {int(r.year): r for r in satisfied_rate(con).itertuples()}
    for y in sorted(set(answers) | set(issued)):
        r = answers.get(y)
        out["survey_responses"][str(y)] = {
            "responses": int(r.responses) if r is not None else 0,
            "satisfied_rate": round(r.satisfied / r.answered, 6) if r is not None and r.answered else None,
            "issued": int(issued[y]) if y in issued else None,
        }

    for y, tests, passed, mean in con.execute(
            """SELECT year(test_date), count(*), count(*) FILTER (WHERE passed), avg(total)
               FROM phone_tests GROUP BY ALL ORDER BY 1""").fetchall():
        out["phone_tests"][str(y)] = {"tests": int(tests), "passed": int(passed),
                                      "pass_rate": round(passed / tests, 6) if tests else None,
                                      "mean_score": round(mean, 4) if mean is not None else None}

    for y, max_total, self_total, review_total in con.execute(
            """SELECT year, sum(points), sum(self_score), sum(review_score)
               FROM dimension_scores GROUP BY year ORDER BY year""").fetchall():
        out["dimension_scores"][str(y)] = {"max_total": _num(max_total), "self_total": float(self_total or 0),
                                           "review_total": float(review_total) if review_total is not None else None}
    return out


def _num(value):
    return int(value) if value is not None and float(value).is_integer() else value
