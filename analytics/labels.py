"""How years, months and quarters are written: ROC (民國) by default."""
from __future__ import annotations

import datetime as dt

from .i18n import t

ROC = 1911


def year_label(year: int, lang: str = "zh", gregorian: bool = False) -> str:
    return t("year.gregorian", lang, year=year) if gregorian else t("year.roc", lang, roc=year - ROC, year=year)


def year_short(year: int, gregorian: bool = False) -> str:
    return str(year) if gregorian else str(year - ROC)


def month_label(month, gregorian: bool = False) -> str:
    if not isinstance(month, dt.date):
        month = month.date()
    return f"{month.year}-{month.month:02d}" if gregorian else f"{month.year - ROC}/{month.month:02d}"


def quarter_label(period: int, lang: str = "zh", gregorian: bool = False) -> str:
    """20213 → '110 Q3' (or '2021 Q3')."""
    year, quarter = divmod(int(period), 10)
    return f"{year_short(year, gregorian)} Q{quarter}"


def round_label(code: str, lang: str = "zh") -> str:
    """Test rounds made from the half-year ('110-H1') are said in words; given ones as written."""
    if isinstance(code, str) and code[-3:] in ("-H1", "-H2"):
        return t("round.h1" if code.endswith("H1") else "round.h2", lang, roc=code[:-3])
    return code
