"""Numbers as the pages write them; a missing value is '–', never nan or None."""
from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from ui.session import gregorian, tr


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


def _digits(v, kind: str) -> int:
    """Counts and whole scores without decimals; other scores with one."""
    return 0 if kind == "count" or float(v).is_integer() else 1


def value(v, kind: str) -> str:
    """A KPI's value by its kind: 1,234 / 95.1% / 87.5 / 863."""
    if missing(v):
        return "–"
    return pct(v) if kind == "share" else num(v, _digits(v, kind))


def delta_text(change, kind: str) -> str | None:
    """A change as a KPI card shows it: +1,234 / +1.2 個百分點 / +3.5."""
    if missing(change):
        return None
    if kind == "share":
        return tr("delta.points", value=f"{change * 100:+.1f}")
    return f"{change:+,.{_digits(change, kind)}f}"


def signed_pct(v) -> str:
    return "–" if missing(v) else f"{v:+.1%}"


def day(value) -> str:
    """A date as the calendar in use writes it: 110/04/15 or 2021-04-15."""
    if missing(value):
        return ""
    if not isinstance(value, dt.date):
        value = pd.Timestamp(value).date()
    return value.isoformat() if gregorian() else f"{value.year - 1911}/{value.month:02d}/{value.day:02d}"
