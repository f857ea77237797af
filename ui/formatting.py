"""Numbers as the pages write them; a missing value is '–', never nan or None."""
from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from ui.session import gregorian


def missing(value) -> bool:
    """None, NaN, NA, NaT or an infinite number: nothing to show."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value)) or (isinstance(value, float) and math.isinf(value))
    except (TypeError, ValueError):
        return False


def pct(value, digits: int = 1) -> str:
    return "–" if missing(value) else f"{value:.{digits}%}"


def num(value, digits: int = 0) -> str:
    return "–" if missing(value) else f"{value:,.{digits}f}"


def day(value) -> str:
    """A date as the calendar in use writes it: 110/04/15 or 2021-04-15."""
    if missing(value):
        return ""
    if not isinstance(value, dt.date):
        value = pd.Timestamp(value).date()
    return value.isoformat() if gregorian() else f"{value.year - 1911}/{value.month:02d}/{value.day:02d}"
