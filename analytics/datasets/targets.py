"""目標值 — the plan's targets, per year, KPI and (optionally) half-year.

A target names its KPI as the dashboard shows it, in either language (整體滿意度 /
Overall satisfaction, 電話禮貌合格率, 線上申辦比例 …) or by an alias; an unknown name
is refused with the list of valid ones. It is stored under the KPI's key. Shares may
be written 95%, 95 or 0.95.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import kpis
from .. import normalize as n
from ..i18n import t
from .base import Dataset, Field, SheetData, natural_key

_WHOLE_YEAR = {"全年", "年度", "全年度", "year", "annual", "whole year", "1-12月", "1–12月"}
_FIRST_HALF = {"上半年", "上半", "h1", "1-6月", "1–6月", "first half", "half year", "半年"}


def parse_target(value):
    """A number; '95%' is 0.95 (the KPI decides later whether 95 means 95 %)."""
    if isinstance(value, str) and n.nfkc(value).strip().endswith("%"):
        number = n.parse_number(n.nfkc(value).strip()[:-1])
        return number / 100 if isinstance(number, float) else number
    return n.parse_number(value)


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
)


def finish(data: SheetData) -> dict[str, pd.DataFrame]:
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
    half = np.array([0 if h is None or pd.isna(h) else h for h in data.get("half")], dtype=object)
    key = natural_key(data, {"year": data.get("year"), "metric": keys, "half": half})
    return {"targets": pd.DataFrame({
        "nkey": key,
        "year": pd.array(data.get("year"), dtype="Int32"),
        "metric": keys,
        "target": pd.array(targets, dtype="Float64"),
        "half": pd.array(half, dtype="Int32"),
    })}


def template_notes(lang: str) -> list[str]:
    """The 說明 sheet lists the names a target may use."""
    return [t("template.targets_names", lang, names="、".join(kpis.known_names(lang)))]


DATASET = Dataset(
    name="targets", title="目標值", title_en="Targets", fields=FIELDS,
    alternatives=(), key=("year", "metric", "half"), finish=finish, when="year", annual=True,
    order=("year", "half", "metric"), example=("110", "整體滿意度", "95%", "全年"), template_notes=template_notes,
    in_year_range=False,
)
