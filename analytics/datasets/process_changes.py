"""流程變更 — process changes: from which month a way of working changed, for which
KPI (or all of them), and what changed. A process behaviour chart recomputes its
limits from each change on (analytics/spc.py), so that a new process is judged by its
own wobble, not by the old one's.

The KPI is named as the dashboard shows it, in either language, or by an alias (as in
目標值), or 全部 / all for every chart; an unknown name is refused. 案件類別 narrows a
change of a case KPI (案件總量, 平均處理天數) to one case type's chart, e.g. 110/09 when
量桶檢定 was automated; blank, the change applies to every chart of the KPI.
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa

from .. import kpis
from .. import normalize as n
from ..i18n import t
from .base import Dataset, Field, SheetData, natural_key, to_arrow

ALL = "all"                                   # stored for 全部: every KPI's charts
ALL_NAMES = frozenset({"全部", "全部指標", "所有指標", "全部項目", "all", "all kpis", "every kpi", "*"})
BY_CASE_TYPE = ("case_total", "processing_days")   # the KPIs charted per case type


def resolve_metric(text) -> str | None:
    """A KPI key, ``ALL`` for 全部, or None for an unknown name."""
    if text is None:
        return None
    if n.squash(str(text)).lower() in ALL_NAMES:
        return ALL
    kpi = kpis.resolve(text)
    return kpi.key if kpi else None


FIELDS = (
    Field("month", "年月", "Year-month", ("變更年月", "生效年月", "實施年月", "起始年月", "yearmonth"), n.parse_month, True,
          sql="DATE"),
    Field("metric", "指標", "Metric", ("指標名稱", "適用指標", "kpi"), n.parse_text, True),
    Field("series", "案件類別", "Case type", ("適用案件類別", "casetype"), n.parse_text),
    Field("description", "說明", "Description", ("變更說明", "變更內容", "流程變更", "description"), n.parse_text, True),
)


def _known(lang: str) -> str:
    return "、".join([*kpis.known_names(lang), t("spc.all_kpis", lang)])


def finish(data: SheetData) -> dict[str, pa.Table]:
    names = data.get("metric")
    keys = np.array([resolve_metric(m) for m in names], dtype=object)
    unknown = np.array([m is not None and k is None for m, k in zip(names, keys)], dtype=bool)
    if unknown.any():
        data.flag("metric", unknown, "bad.unknown_kpi", known=_known("zh"))
    series = data.get("series")
    narrowed = np.array([s is not None and k is not None and k not in BY_CASE_TYPE for s, k in zip(series, keys)],
                        dtype=bool)
    if narrowed.any():
        data.flag("series", narrowed, "bad.change_series",
                  kpis="、".join(kpis.BY_KEY[k].name("zh") for k in BY_CASE_TYPE))
    month = data.get("month")
    key = natural_key(data, {"month": month, "metric": keys, "series": series})
    return {"process_changes": pa.table({
        "nkey": key,
        "month": data.arrow("month", pa.date32()),
        "metric": to_arrow(keys, pa.string()),
        "series": data.arrow("series", pa.string()),
        "description": data.arrow("description", pa.string()),
    })}


def template_notes(lang: str) -> list[str]:
    """The 說明 sheet lists the names 指標 takes and what 案件類別 does."""
    return [t("template.changes_names", lang, names=_known(lang)),
            t("template.changes_series", lang, kpis="、".join(kpis.BY_KEY[k].name(lang) for k in BY_CASE_TYPE))]


DATASET = Dataset(
    name="process_changes", title="流程變更", title_en="Process changes", fields=FIELDS,
    alternatives=(), key=("month", "metric", "series"), finish=finish, when="month",
    order=("month", "metric", "series"),
    example=("110/09", "案件總量", "量桶檢定", "量桶檢定導入自動控制及智慧物聯網"),
    template_notes=template_notes, in_year_range=False,
)
