"""Which months a figure covers, so that a year is only ever compared with the same
months of another year.

When the latest year of a dataset holds only part of the year (cases up to March,
surveys up to a day in February), comparing it with the whole of the year before
would show a collapse that never happened. ``comparable`` finds the months the latest
year covers; both sides of every comparison then run from January to that month, and
``Period.label`` says so (民國114年1–3月).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .i18n import t
from .labels import year_label

# The column that places a row of each dated dataset in time. Datasets kept per year
# (問卷發放, 構面評分, 目標值, 執行策略) have no months and are never partial.
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
        """'民國114年1–3月 與 113年同期' — how a comparison is titled."""
        key = "period.versus_same" if not self.whole_year else "period.versus"
        return t(key, lang, now=self.label(lang, gregorian), before=year_label(other.year, lang, gregorian))


def last_months(con, dataset: str) -> dict[int, int]:
    """Year → the last month that holds rows of a dated dataset."""
    column = DATED[dataset]
    rows = con.execute(f'SELECT year("{column}"), max(month("{column}")) FROM "{dataset}" GROUP BY 1').fetchall()
    return {int(y): int(m) for y, m in rows if y is not None}


def comparable(con, dataset: str, year: int) -> Period:
    """The months of ``year`` that a comparison with another year may use.

    Only the latest year of a dataset can be partial. It is, when it stops before
    December and the year before went on past that month (or there is no year before):
    then both sides are cut to January–that month. A dataset whose years all end in
    November (phone tests in spring and autumn) is not partial, since like already
    meets like.
    """
    if dataset not in DATED:
        return Period(year)
    last = last_months(con, dataset)
    if not last or year != max(last) or last[year] == 12:
        return Period(year)
    before = last.get(year - 1)
    if before is not None and before <= last[year]:
        return Period(year)
    return Period(year, last[year])


def where(dataset: str, period: Period) -> tuple[str, list]:
    """SQL condition (and its parameters) for rows of ``dataset`` inside ``period``."""
    if dataset in DATED:
        return f'"{DATED[dataset]}" >= ? AND "{DATED[dataset]}" < ?', [period.start, period.end]
    return "year = ?", [period.year]
