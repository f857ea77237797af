"""目標值 — the plan's targets, per year, KPI and (optionally) half-year.

A target names its KPI as the dashboard shows it, in either language (整體滿意度 /
Overall satisfaction, 電話禮貌合格率, 線上申辦比例, 平均處理天數 …) or by an alias; an
unknown name is refused with the list of valid ones. It is stored under the KPI's key.
Shares may be written 95%, 95 or 0.95. A target says which side of it is met — 以上
(at or above) or 以下 (at or below) — in a 方向 column, or in the cell itself
(95%以上, ≤ 3 天); where it says neither, the KPI's better direction decides (at least,
for workload).
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa

from .. import kpis
from .. import normalize as n
from ..i18n import t
from .base import Dataset, Field, SheetData, isna, natural_key, to_arrow

_WHOLE_YEAR = {"全年", "年度", "全年度", "year", "annual", "whole year", "1-12月", "1–12月"}
_FIRST_HALF = {"上半年", "上半", "h1", "1-6月", "1–6月", "first half", "half year", "半年"}


AT_LEAST = frozenset({"以上", "≥", ">=", ">", "不低於", "不少於", "至少", "下限", "最低", "atleast", "min", "minimum",
                      "above", "或以上"})
AT_MOST = frozenset({"以下", "≤", "<=", "<", "不高於", "不超過", "不多於", "至多", "上限", "最高", "atmost", "max",
                     "maximum", "below", "或以下", "以內"})
_SIDE_WORDS = sorted(AT_LEAST | AT_MOST, key=len, reverse=True)
_UNITS = ("天", "日", "件", "分", "份", "人次", "次", "days", "day")


def _side(word: str):
    return kpis.UP if word in AT_LEAST else kpis.DOWN


def split_target(value) -> tuple[object, int | None]:
    """A target cell as (number, side written in it): '95%以上' → (0.95, UP), '≤ 3 天'
    → (3.0, DOWN), '95' → (95.0, None)."""
    if not isinstance(value, str):
        return n.parse_number(value), None
    text = n.squash(n.nfkc(value)).lower()
    side = None
    for word in _SIDE_WORDS:
        if text.startswith(word) or text.endswith(word):
            side = _side(word)
            text = text[len(word):] if text.startswith(word) else text[:-len(word)]
            break
    for unit in _UNITS:
        if text.endswith(unit):
            text = text[:-len(unit)]
            break
    if text.endswith("%"):
        number = n.parse_number(text[:-1])
        return (number / 100 if isinstance(number, float) else number), side
    return n.parse_number(text), side


def parse_target(value):
    """A number; '95%' is 0.95 (the KPI decides later whether 95 means 95 %); a side
    written in the cell (以上, ≤) is read by ``finish``."""
    return split_target(value)[0]


def parse_direction(value):
    """以上 / ≥ / at least → UP; 以下 / ≤ / at most → DOWN; blank → None (the KPI's default)."""
    text = n.parse_text(value)
    if text is None:
        return None
    word = n.squash(n.nfkc(text)).lower()
    if word in AT_LEAST or word in AT_MOST:
        return _side(word)
    return n.Bad("bad.target_direction")


def parse_half(value):
    """全年 (blank) → 0; 上半年 → 1."""
    text = n.parse_text(value)
    if text is None:
        return None
    s = n.squash(text).lower()
    if s in _WHOLE_YEAR:
        return 0
    if s in _FIRST_HALF:
        return 1
    return n.Bad("bad.target_period")


FIELDS = (
    Field("year", "年度", "Year", ("年",), n.parse_year, True, sql="INTEGER"),
    Field("metric", "指標", "Metric", ("指標名稱", "績效指標", "kpi"), n.parse_text, True),
    Field("target", "目標值", "Target", ("目標", "目標數"), parse_target, True, sql="DOUBLE"),
    Field("half", "期間", "Period", ("目標期間", "適用期間", "period"), parse_half, sql="INTEGER"),
    Field("direction", "方向", "Direction", ("目標方向", "達成條件", "達成方向", "以上/以下", "direction", "side"),
          parse_direction, sql="INTEGER"),
)


def finish(data: SheetData) -> dict[str, pa.Table]:
    names = data.get("metric")
    resolved = [kpis.resolve(m) if m is not None else None for m in names]
    unknown = np.array([m is not None and k is None for m, k in zip(names, resolved)], dtype=bool)
    if unknown.any():
        data.flag("metric", unknown, "bad.unknown_kpi", known="、".join(kpis.known_names("zh")))
    keys = np.array([k.key if k else None for k in resolved], dtype=object)
    targets = data.get("target").copy()
    for i, (k, value) in enumerate(zip(resolved, targets)):
        if k is not None and k.kind == "share" and isinstance(value, float) and value > 1:
            targets[i] = value / 100          # 95 for a share means 95 %
    halves = data.get("half")
    half = np.where(isna(halves), 0, halves).astype(object)
    # a side written in the target's cell (95%以上) where no 方向 column says one
    written = [split_target(v)[1] for v in data.raw.get("target", [None] * len(data))]
    given = data.get("direction")
    directions = [w if blank else d for d, blank, w in zip(given, isna(given), written)]
    key = natural_key(data, {"year": data.get("year"), "metric": keys, "half": half})
    return {"targets": pa.table({
        "nkey": key,
        "year": data.arrow("year", pa.int32()),
        "metric": to_arrow(keys, pa.string()),
        "target": to_arrow(targets, pa.float64()),
        "half": to_arrow(half, pa.int32()),
        "direction": to_arrow(directions, pa.int32()),
    })}


def template_notes(lang: str) -> list[str]:
    """The 說明 sheet lists the names a target may use."""
    return [t("template.targets_names", lang, names="、".join(kpis.known_names(lang)))]


DATASET = Dataset(
    name="targets", title="目標值", title_en="Targets", fields=FIELDS,
    alternatives=(), key=("year", "metric", "half"), finish=finish, when="year", annual=True,
    order=("year", "half", "metric"), example=("110", "整體滿意度", "95%", "全年", "以上"),
    template_notes=template_notes,
    in_year_range=False,
)
