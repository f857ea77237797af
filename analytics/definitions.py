"""Each definition the plan's figures rest on, written once (docs/design.md,
"Definitions"). Pages, the report, the CLI's ``stats`` and the metrics all build
their SQL from these fragments; change one here and every figure that uses it
changes, and its tests fail.
"""
from __future__ import annotations

# ---------------------------------------------------------------- satisfaction
SATISFIED_FROM = 4          # 滿意 (4) and 非常滿意 (5); a blank is no answer, never 0


def satisfied(column: str = "overall") -> str:
    """SQL: this answer counts as satisfied."""
    return f"{column} >= {SATISFIED_FROM}"


def satisfied_count(column: str = "overall") -> str:
    """SQL aggregate: answers of 4 or 5 (the numerator of a satisfaction rate)."""
    return f"count(*) FILTER (WHERE {satisfied(column)})"


def answered_count(column: str = "overall") -> str:
    """SQL aggregate: non-blank answers (the denominator)."""
    return f"count({column})"


# ---------------------------------------------------------------- digital share
ONLINE = "線上"
COUNTED_MEASURE = "件"   # rows in 場次, 具, 家 or 人次 are other kinds of work
_IN_CASES = f"coalesce(measure_unit, '{COUNTED_MEASURE}') = '{COUNTED_MEASURE}'"


def digital_share_parts() -> tuple[str, str]:
    """SQL aggregates (online, with a channel) over case rows counted in 件. The share
    is online ÷ with a channel: 0 online is 0 %, and it is missing only when no row
    gives a channel."""
    online = f"coalesce(sum(count) FILTER (WHERE channel = '{ONLINE}' AND {_IN_CASES}), 0)"
    channelled = f"sum(count) FILTER (WHERE channel IS NOT NULL AND {_IN_CASES})"
    return online, channelled


# ---------------------------------------------------------------- complaints
COMPLAINT_TYPES = ("檢舉申訴", "義務監視員反映")


def is_complaint(column: str = "case_type") -> str:
    return f"{column} IN ({', '.join(repr(c) for c in COMPLAINT_TYPES)})"


# ---------------------------------------------------------------- phone tests
INTERNAL, CROSS = "內部測試", "跨分局互測"
TEST_TYPES = (INTERNAL, CROSS)


def pass_mark(con) -> float:
    """The pass mark in force (settings table; 80 unless the branch changed it)."""
    from .datasets.phone_tests import DEFAULT_PASS_MARK
    row = con.execute("SELECT value FROM settings WHERE key = 'pass_mark'").fetchone()
    return float(row[0]) if row else DEFAULT_PASS_MARK


# ---------------------------------------------------------------- response rate
def response_rate_sql(issued_where: str, returned_where: str) -> str:
    """Per year and office: issued, returned, returned counted (never above issued) and
    whether more came back than were issued. Offices with returns but no 發出份數 row
    are kept with ``issued`` NULL so a page can name them; they count on neither side
    of the rate. The rate of a group is sum(counted) ÷ sum(issued) over rows with an
    issued count."""
    return f"""
        WITH i AS (SELECT year, office, sum(issued) AS issued FROM survey_issued{issued_where} GROUP BY ALL),
             r AS (SELECT year(response_date) AS year, office, count(*) AS returned
                   FROM survey_responses{returned_where} GROUP BY ALL)
        SELECT coalesce(i.year, r.year) AS year, coalesce(i.office, r.office) AS office, i.issued,
               coalesce(r.returned, 0) AS returned,
               CASE WHEN i.issued IS NOT NULL THEN least(coalesce(r.returned, 0), i.issued) END AS counted,
               coalesce(r.returned, 0) > coalesce(i.issued, r.returned) AS over_issued
        FROM i FULL JOIN r ON i.year = r.year AND i.office = r.office"""
