"""執行策略 — the plan's strategies: per year, dimension and sub-item, what was done,
by whom, and what it achieved (text). The annual report is built from these."""
from __future__ import annotations

import numpy as np
import pyarrow as pa

from .. import normalize as n
from .base import Dataset, Derived, Field, SheetData, int_array, natural_key, to_arrow
from .dimension_scores import DIM_ORDER, resolve_column

FIELDS = (
    Field("year", "年度", "Year", ("年",), n.parse_year, True, sql="INTEGER"),
    Field("dimension", "構面", "Dimension", ("評獎構面", "dimension"), n.parse_text, True),
    Field("item", "項目", "Sub-item", ("評核項目", "子項目", "subitem"), n.parse_text, True),
    Field("strategy", "執行策略", "Strategy", ("策略", "具體推動作法", "推動作法", "strategy"), n.parse_text, True),
    Field("units", "主辦單位", "Responsible units", ("承辦單位", "負責單位", "responsibleunits"), n.parse_text, True),
    Field("results", "執行績效與成果", "Results", ("執行績效", "績效與成果", "成果", "results"), n.parse_text,
          True, not_blank=False),
)


def finish(data: SheetData) -> dict[str, pa.Table]:
    resolved, dim_order = resolve_column(data)
    key = natural_key(data, {"year": data.get("year"), "dimension": resolved, "item": data.get("item"),
                             "strategy": data.get("strategy")})
    return {"strategies": pa.table({
        "nkey": key,
        "year": data.arrow("year", pa.int32()),
        "dimension": to_arrow(resolved, pa.string()),
        "dim_order": dim_order,
        "item": data.arrow("item", pa.string()),
        "position": int_array(np.arange(len(data)) + 1, pa.int32()),
        "strategy": data.arrow("strategy", pa.string()),
        "units": data.arrow("units", pa.string()),
        "results": data.arrow("results", pa.string()),
    })}


DATASET = Dataset(
    name="strategies", title="執行策略", title_en="Strategies", fields=FIELDS,
    alternatives=(), key=("year", "dimension", "item", "strategy"), finish=finish, when="year", annual=True,
    derived=(DIM_ORDER, Derived("position", "INTEGER", "順序", "Order")), order=("year", "dim_order", "position"),
    example=("110", "基礎服務", "服務一致及正確性", "訂定申辦業務標準作業流程", "第六課、嘉辦、斗辦", "免印紙本送件 3,025 件"),
    in_year_range=False,
)
