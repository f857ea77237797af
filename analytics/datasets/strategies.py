"""執行策略 — the plan's strategies: per year, dimension and sub-item, what was done,
by whom, and what it achieved (text). The annual report is built from these."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import normalize as n
from .base import Dataset, Field, SheetData, flag_duplicate_keys, make_key
from .dimension_scores import resolve_column

FIELDS = (
    Field("year", "年度", "Year", ("年",), n.parse_year, True),
    Field("dimension", "構面", "Dimension", ("評獎構面", "dimension"), n.parse_text, True),
    Field("item", "項目", "Sub-item", ("評核項目", "子項目", "subitem"), n.parse_text, True),
    Field("strategy", "執行策略", "Strategy", ("策略", "具體推動作法", "推動作法", "strategy"), n.parse_text, True),
    Field("units", "主辦單位", "Responsible units", ("承辦單位", "負責單位", "responsibleunits"), n.parse_text, True),
    Field("results", "執行績效與成果", "Results", ("執行績效", "績效與成果", "成果", "results"), n.parse_text,
          True, not_blank=False),
)


def finish(data: SheetData) -> dict[str, pd.DataFrame]:
    resolved, dim_order = resolve_column(data)
    key = make_key(data.get("year"), resolved, data.get("item"), data.get("strategy"))
    flag_duplicate_keys(data, key, "strategy")
    return {"strategies": pd.DataFrame({
        "nkey": key,
        "year": pd.array(data.get("year"), dtype="Int32"),
        "dimension": resolved,
        "dim_order": dim_order,
        "item": data.get("item"),
        "position": pd.array(np.arange(len(data)) + 1, dtype="Int32"),
        "strategy": data.get("strategy"),
        "units": data.get("units"),
        "results": data.get("results"),
    })}


DATASET = Dataset(
    name="strategies", title="執行策略", title_en="Strategies", fields=FIELDS,
    alternatives=(), key=("year", "dimension", "item", "strategy"),
    columns=(("year", "INTEGER"), ("dimension", "VARCHAR"), ("dim_order", "INTEGER"), ("item", "VARCHAR"),
             ("position", "INTEGER"), ("strategy", "VARCHAR"), ("units", "VARCHAR"), ("results", "VARCHAR")),
    finish=finish, year_expr="year",
)
