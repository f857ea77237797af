"""Which months a figure covers, and which months a comparison compares.

The rule, for every dated dataset and every year (not only the newest): both sides of
a comparison cover January to the last month the later side holds — in a half-year
view, to June or to that month, whichever is earlier — and the label says which months
(民國114年1–3月 與 113年同期). A year whose rows stop in March is never set against the
whole of the year before, whether it is the newest year or one in the middle of the
series. Datasets kept per year (問卷發放, 構面評分, 目標值) have no months: their
figures are the year's, labelled annual, and never called 同期.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .i18n import t
from .labels import year_label

# The column that places a row of each dated dataset in time.
DATED = {"case_volumes": "month", "survey_responses": "response_date", "phone_tests": "test_date"}


@dataclass(frozen=True)
class Period:
    """January (or ``first``) to ``last`` of one Gregorian year, both months inclusive."""

    year: int
    last: int = 12
    first: int = 1

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.first, 1)

    @property
    def end(self) -> dt.date:
        """The first day after the period (exclusive bound)."""
        return dt.date(self.year + 1, 1, 1) if self.last == 12 else dt.date(self.year, self.last + 1, 1)

    @property
    def whole_year(self) -> bool:
        return self.first == 1 and self.last == 12

    @property
    def half(self) -> int | None:
        return 1 if (self.first, self.last) == (1, 6) else None

    def shifted(self, year: int) -> "Period":
        """The same months of another year."""
        return Period(year, self.last, self.first)

    def before(self) -> "Period":
        return self.shifted(self.year - 1)

    def months(self, lang: str = "zh") -> str:
        """'' for a whole year, else '1–3月' / 'Jan–Mar'."""
        if self.whole_year:
            return ""
        if self.half == 1:
            return t("period.first_half", lang)
        if self.first == self.last:
            return t(f"month.{self.first}", lang)
        return t("period.months", lang, first=self.first, last=self.last,
                 first_name=t(f"month.{self.first}", lang), last_name=t(f"month.{self.last}", lang))

    def label(self, lang: str = "zh", gregorian: bool = False) -> str:
        """民國114年 / 民國114年1–3月 / ROC 114 (2025), Jan–Mar."""
        base = year_label(self.year, lang, gregorian)
        return t("period.label", lang, year=base, months=self.months(lang)) if not self.whole_year else base

    def versus(self, other: "Period", lang: str = "zh", gregorian: bool = False) -> str:
        """'民國114年1–3月 與 113年同期比較' — how a comparison is titled."""
        key = "period.versus_same" if not self.whole_year else "period.versus"
        return t(key, lang, now=self.label(lang, gregorian), before=year_label(other.year, lang, gregorian))


def last_months(con, dataset: str, where: str = "", params: list | None = None) -> dict[int, int]:
    """Year → the last month that holds rows of a dated dataset (under ``where``, a
    WHERE clause of the view's filters, and its parameters)."""
    column = DATED[dataset]
    rows = con.execute(f'SELECT year("{column}"), max(month("{column}")) FROM "{dataset}"{where} GROUP BY 1',
                       params or []).fetchall()
    return {int(y): int(m) for y, m in rows if y is not None}


def window(last: dict[int, int], year: int, against: int, half: bool = False) -> tuple[Period, Period] | None:
    """The months of ``year`` and ``against`` that are compared, from each year's last
    month held: January to the last month ``year`` holds (capped at June in a half-year
    view), the same months of ``against``. Where ``against`` holds nothing after that
    month either (phone tests that end in November every year) and ``year`` is over
    as far as the data tells (``complete``), like already meets like, and the window is
    the whole year (half); a year still running is never labelled with months it does
    not hold yet. None when ``year`` holds nothing."""
    if year not in last:
        return None
    cap = 6 if half else 12
    end = min(last[year], cap)
    if against in last and min(last[against], cap) <= end and complete(last, year, half):
        end = cap
    now = Period(year, end)
    return now, now.shifted(against)


def held(last: dict[int, int], year: int, half: bool = False) -> Period | None:
    """The months of ``year`` its rows cover: the whole year (half) once it is complete,
    else January to its last month."""
    if year not in last:
        return None
    cap = 6 if half else 12
    return Period(year, cap if complete(last, year, half) else min(last[year], cap))


def complete(last: dict[int, int], year: int, half: bool = False) -> bool:
    """Whether ``year`` (or its first half) is over as far as the data tells: its rows
    reach December (June), a later year holds rows, or its rows reach as far into the
    year as those of every earlier year did (a dataset whose years always end in
    November)."""
    if year not in last:
        return False
    cap = 6 if half else 12
    if last[year] >= cap or any(y > year for y in last):
        return True
    earlier = [min(m, cap) for y, m in last.items() if y < year]
    return bool(earlier) and last[year] >= max(earlier)
