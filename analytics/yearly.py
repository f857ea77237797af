"""The figures the command line's ``stats`` prints: per dataset and Gregorian year (as
a string), from the same grouped rows as every comparison (comparison.source_rows),
so a year's total, rate or mean is the one the pages and the report show."""
from __future__ import annotations

from .comparison import source_rows
from .metrics import Filters
from .periods import Period

ALL = Filters()


def _years(con, sql: str) -> list[int]:
    return [int(r[0]) for r in con.execute(sql).fetchall() if r[0] is not None]


def by_year(con) -> dict:
    """The ``stats`` command's JSON: per dataset, per Gregorian year (as a string)."""
    out: dict[str, dict] = {"case_volumes": {}, "survey_responses": {}, "phone_tests": {}, "dimension_scores": {}}
    for y in _years(con, "SELECT DISTINCT year(month) FROM case_volumes ORDER BY 1"):
        rows = source_rows(con, "case_volumes", ALL, Period(y))
        by_type = rows.groupby("case_type")["total"].sum()
        order = sorted(by_type.index, key=lambda name: (-by_type[name], name))
        out["case_volumes"][str(y)] = {"rows": int(rows["rows"].sum()), "total": int(by_type.sum()),
                                       "by_category": {name: int(by_type[name]) for name in order}}

    survey_years = _years(con, "SELECT DISTINCT year(response_date) FROM survey_responses UNION "
                               "SELECT DISTINCT year FROM survey_issued ORDER BY 1")
    for y in survey_years:
        answers = source_rows(con, "survey_responses", ALL, Period(y))
        issued = source_rows(con, "response", ALL, Period(y))["issued"]
        answered, satisfied = int(answers["answered"].sum()), int(answers["satisfied"].sum())
        out["survey_responses"][str(y)] = {
            "responses": int(answers["returned"].sum()),
            "satisfied_rate": round(satisfied / answered, 6) if answered else None,
            "issued": int(issued.sum()) if issued.notna().any() else None,
        }

    for y in _years(con, "SELECT DISTINCT year(test_date) FROM phone_tests ORDER BY 1"):
        rows = source_rows(con, "phone_tests", ALL, Period(y))
        tests, passed, scored = int(rows["tests"].sum()), int(rows["passed"].sum()), int(rows["total_n"].sum())
        out["phone_tests"][str(y)] = {"tests": tests, "passed": passed,
                                      "pass_rate": round(passed / tests, 6) if tests else None,
                                      "mean_score": round(float(rows["total_sum"].sum()) / scored, 4) if scored else None}

    for y in _years(con, "SELECT DISTINCT year FROM dimension_scores ORDER BY 1"):
        rows = source_rows(con, "dimension_scores", ALL, Period(y))
        review = rows["review"]
        out["dimension_scores"][str(y)] = {"max_total": _num(rows["points"].sum()),
                                           "self_total": float(rows["self"].sum()),
                                           "review_total": float(review.sum()) if review.notna().any() else None}
    return out


def _num(value):
    return int(value) if value is not None and float(value).is_integer() else float(value)
