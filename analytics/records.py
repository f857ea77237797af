"""A dataset's stored rows as an export gives them: its columns in its spec's order,
sorted as the spec says, filtered by year and unit (or office); phone tests with their
item scores as columns beside each test; a KPI, a target's period and side written as
the sheet writes them (案件總量, 全年, 以上), so that an export imports again as it was."""
from __future__ import annotations

import pandas as pd

from .datasets import DATASETS


def stored_rows(con, dataset: str, year: int | None = None, unit: str | None = None) -> pd.DataFrame:
    """A dataset's stored rows (without bookkeeping columns), filtered."""
    ds = DATASETS[dataset]
    cols = ", ".join(f'"{c}"' for c, _ in ds.columns)
    where, params = [], []
    if year is not None:
        where.append(f"{ds.year_expr} = ?")
        params.append(year)
    if unit is not None:
        where.append(f'"{ds.unit_column}" = ?')
        params.append(unit)
    where_sql = " WHERE " + " AND ".join(where) if where else ""
    order = ", ".join(f'"{c}"' for c in ds.order)
    frame = con.execute(f'SELECT nkey, {cols} FROM "{dataset}"{where_sql} ORDER BY {order}, nkey', params).df()
    if dataset == "phone_tests" and len(frame):
        items = con.execute(f"""SELECT nkey, item, score FROM phone_test_items
                                WHERE nkey IN (SELECT nkey FROM phone_tests{where_sql})""", params).df()
        if len(items):
            order_items = items.groupby("item", sort=False).size().index  # first-seen order
            wide = items.pivot_table(index="nkey", columns="item", values="score", aggfunc="first")
            wide = wide[list(order_items)].reindex(frame["nkey"]).reset_index(drop=True)
            frame = pd.concat([frame, wide], axis=1)
    return _as_written(dataset, frame.drop(columns="nkey"))


def _as_written(dataset: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Keys stored for a KPI (case_total, all), a target's period (0, 1) and side (1,
    −1) back to the words a sheet gives them in."""
    if dataset not in ("targets", "process_changes") or frame.empty:
        return frame
    from . import kpis
    from .i18n import t

    def kpi_name(key):
        if key == "all":
            return t("spc.all_kpis", "zh")
        return kpis.BY_KEY[key].name("zh") if key in kpis.BY_KEY else key
    frame = frame.assign(metric=frame["metric"].map(kpi_name))
    if dataset == "targets":
        frame = frame.assign(half=frame["half"].map({0: "全年", 1: "上半年"}),
                             direction=frame["direction"].map({kpis.UP: "以上", kpis.DOWN: "以下"}))
    return frame
