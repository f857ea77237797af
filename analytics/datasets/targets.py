"""目標值 — optional targets, per year and metric."""
from __future__ import annotations

import pandas as pd

from .. import normalize as n
from .base import Dataset, Field, SheetData, flag_duplicate_keys, make_key

FIELDS = (
    Field("year", "年度", "Year", ("年",), n.parse_year, True),
    Field("metric", "指標", "Metric", ("指標名稱", "績效指標", "kpi"), n.parse_text, True),
    Field("target", "目標值", "Target", ("目標", "目標數"), n.parse_number, True),
)


def finish(data: SheetData) -> dict[str, pd.DataFrame]:
    key = make_key(data.get("year"), data.get("metric"))
    flag_duplicate_keys(data, key, "metric")
    return {"targets": pd.DataFrame({
        "nkey": key,
        "year": pd.array(data.get("year"), dtype="Int32"),
        "metric": data.get("metric"),
        "target": pd.array(data.get("target"), dtype="Float64"),
    })}


DATASET = Dataset(
    name="targets", title="目標值", title_en="Targets", fields=FIELDS,
    alternatives=(), key=("year", "metric"),
    columns=(("year", "INTEGER"), ("metric", "VARCHAR"), ("target", "DOUBLE")),
    finish=finish, year_expr="year",
)
