"""構面評分 — self-assessed (and reviewed) scores per year × dimension × sub-item."""
from __future__ import annotations

import re

import numpy as np
import pyarrow as pa

from .. import normalize as n
from .base import Dataset, Derived, Field, SheetData, natural_key, to_arrow

# The Government Service Award rubric of the seed (ROC 110): 1,000 points in all. The
# rubric changes between rounds, so this is only the default of the settings table.
DEFAULT_DIMENSIONS = (
    ("基礎服務", 200), ("服務遞送", 300), ("服務量能", 200), ("服務評價", 200), ("開放創新", 100),
)
_NUMERALS = "一二三四五六七八九十"
_CODE = re.compile(r"^(?:構面|第|dimension|d)?([0-9]{1,2}|[一二三四五六七八九十])(?:構面)?$")
_BRACKETS = re.compile(r"[(（][^)）]*[)）]")


def resolve_dimension(value, dimensions) -> str | n.Bad | None:
    """基礎服務, 構面一, 構面1, 1, '構面一:基礎服務', '基礎服務(200分)' → the dimension's name."""
    text = n.parse_text(value)
    if text is None:
        return None
    names = [name for name, _ in dimensions]
    s = _BRACKETS.sub("", n.squash(text).lower())
    for name in names:
        if name in s:
            return name
    head = re.split(r"[:：、.\-]", s)[0]
    m = _CODE.match(head)
    if m:
        digit = m[1]
        number = int(digit) if digit.isdigit() else _NUMERALS.index(digit) + 1
        if 1 <= number <= len(names):
            return names[number - 1]
    return n.Bad("bad.dimension", (", ".join(names),))


FIELDS = (
    Field("year", "年度", "Year", ("年", "評獎年度"), n.parse_year, True, sql="INTEGER"),
    Field("dimension", "構面", "Dimension", ("評獎構面", "構面名稱", "dimension"), n.parse_text, True),
    Field("item", "項目", "Sub-item", ("評核項目", "子項目", "細項", "評審項目", "subitem"), n.parse_text, True),
    Field("points", "配分", "Points", ("分配分數", "滿分", "points"), n.parse_nonneg, True, sql="DOUBLE"),
    Field("self_score", "自評分數", "Self score", ("自評", "自評得分", "selfscore"), n.parse_nonneg, True, sql="DOUBLE"),
    Field("review_score", "評審分數", "Review score", ("評審", "評審得分", "複評分數", "reviewscore"), n.parse_nonneg,
          sql="DOUBLE"),
)


def resolve_column(data: SheetData) -> tuple[np.ndarray, pa.Array]:
    """The sheet's 構面 column as dimension names (unknown ones flagged) and their order."""
    dimensions = data.settings.get("dimensions", DEFAULT_DIMENSIONS)
    resolved = np.array([resolve_dimension(v, dimensions) for v in data.get("dimension")], dtype=object)
    unknown = np.array([isinstance(v, n.Bad) for v in resolved], dtype=bool)
    if unknown.any():
        data.flag("dimension", unknown, "bad.dimension", known="、".join(name for name, _ in dimensions))
        resolved[unknown] = None
    order = {name: i + 1 for i, (name, _) in enumerate(dimensions)}
    return resolved, pa.array([order.get(d) for d in resolved], pa.int32())


def finish(data: SheetData) -> dict[str, pa.Table]:
    resolved, dim_order = resolve_column(data)
    points = data.get("points")
    zero = np.array([p is not None and p <= 0 for p in points])
    if zero.any():
        data.flag("points", zero, "bad.points")
    for name in ("self_score", "review_score"):
        scores = data.get(name)
        over = np.array([s is not None and p is not None and s > p for s, p in zip(scores, points)])
        if over.any():
            data.flag(name, over, "bad.over_points")
    key = natural_key(data, {"year": data.get("year"), "dimension": resolved, "item": data.get("item")})
    return {"dimension_scores": pa.table({
        "nkey": key,
        "year": data.arrow("year", pa.int32()),
        "dimension": to_arrow(resolved, pa.string()),
        "dim_order": dim_order,
        "item": data.arrow("item", pa.string()),
        "points": to_arrow(points, pa.float64()),
        "self_score": data.arrow("self_score", pa.float64()),
        "review_score": data.arrow("review_score", pa.float64()),
        "position": pa.array(np.arange(1, len(data) + 1, dtype=np.int32), pa.int32()),   # the sheet's order of sub-items
    })}


DIM_ORDER = Derived("dim_order", "INTEGER", "構面序號", "Dimension no.")
POSITION = Derived("position", "INTEGER", "順序", "Order")

DATASET = Dataset(
    name="dimension_scores", title="構面評分", title_en="Dimension scores", fields=FIELDS,
    alternatives=(), key=("year", "dimension", "item"), finish=finish, when="year", annual=True,
    derived=(DIM_ORDER, POSITION), order=("year", "dim_order", "position", "item"),
    example=("110", "基礎服務", "服務一致及正確性", 100, 85, 80),
)
