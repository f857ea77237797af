"""案件量 — case volumes: one row is a month × unit × case type (× channel)."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from .. import normalize as n
from ..units import canonical_unit
from .base import Dataset, Field, SheetData, isna, natural_key, to_arrow

CHANNELS = {
    "線上": "線上", "網路": "線上", "線上申辦": "線上", "網路申辦": "線上", "online": "線上", "web": "線上",
    "臨櫃": "臨櫃", "現場": "臨櫃", "櫃臺": "臨櫃", "櫃檯": "臨櫃", "counter": "臨櫃",
    "傳真": "傳真", "fax": "傳真",
    "電郵": "電郵", "email": "電郵", "e-mail": "電郵", "電子郵件": "電郵", "mail": "電郵",
}


def parse_channel(value):
    text = n.parse_text(value)
    if text is None:
        return None
    return CHANNELS.get(n.squash(text).lower().replace("臺", "台").replace("台", "臺"), text)


FIELDS = (
    Field("month", "年月", "Year-month", ("統計年月", "資料年月", "年/月", "yearmonth", "period"), n.parse_month,
          sql="DATE"),
    Field("date", "日期", "Date", ("收件日期", "申辦日期", "受理日期"), n.parse_date, stored=False),
    Field("year", "年度", "Year", ("年", "民國年"), n.parse_year, stored=False),
    Field("month_no", "月份", "Month", ("月", "monthno", "month number"), n.parse_month_number, stored=False),
    Field("unit", "單位", "Unit", ("承辦單位", "受理單位", "主辦單位", "單位名稱", "department"), canonical_unit, True),
    Field("case_type", "案件類別", "Case type", ("案件類型", "業務類別", "類別", "案件項目", "項目", "category", "casetype"),
          n.parse_text, True),
    Field("channel", "申辦管道", "Channel", ("管道", "申辦方式", "受理管道"), parse_channel, not_blank=False),
    Field("measure_unit", "計量單位", "Measure", ("量詞", "unitofmeasure"), n.parse_text),
    Field("count", "件數", "Count", ("數量", "案件數", "案件量", "件數合計", "quantity", "cases"), n.parse_count, True,
          sql="BIGINT"),
    Field("on_time", "如期完成件數", "On time", ("如期完成", "依限完成件數", "依限完成", "ontime"), n.parse_count,
          sql="BIGINT"),
    Field("avg_days", "平均處理天數", "Average days", ("處理天數", "平均天數", "averagedays"), n.parse_nonneg, sql="DOUBLE"),
    Field("amount", "金額", "Amount", ("金額(元)", "收費金額", "amount"), n.parse_nonneg, sql="DOUBLE"),
    Field("minutes_saved", "節省分鐘", "Minutes saved", ("節省時間", "節省分鐘數", "minutessaved"), n.parse_nonneg,
          sql="DOUBLE"),
)


def finish(data: SheetData) -> dict[str, pa.Table]:
    month = data.get("month").copy()
    taken = not data.has("date") and not (data.has("year") and data.has("month_no"))   # only 年月 gives months
    if data.has("date"):
        dates = data.get("date")
        fill = isna(month) & ~isna(dates)
        month[fill] = [dt.date(d.year, d.month, 1) for d in dates[fill]]
    if data.has("year") and data.has("month_no"):
        years, months = data.get("year"), data.get("month_no")
        fill = isna(month) & ~isna(years) & ~isna(months)
        month[fill] = [dt.date(y, m, 1) for y, m in zip(years[fill], months[fill])]
    source = next(f for f in ("month", "date", "month_no") if data.has(f))
    missing = isna(month) & ~data.flagged_rows()
    if missing.any():
        data.flag(source, missing, "bad.blank_required")

    count, on_time = data.get("count"), data.get("on_time")
    both = ~isna(count) & ~isna(on_time)
    over = np.zeros(len(data), dtype=bool)
    over[both] = on_time[both].astype(float) > count[both].astype(float)
    if over.any():
        data.flag("on_time", over, "bad.on_time_over_count")

    months = data.arrow("month", pa.date32()) if taken else to_arrow(month, pa.date32())
    unit, case_type, channel = (data.arrow(name, pa.string()) for name in ("unit", "case_type", "channel"))
    key = natural_key(data, {"month": months, "unit": unit, "case_type": case_type, "channel": channel})
    out = pa.table({
        "nkey": key, "month": months, "unit": unit, "case_type": case_type, "channel": channel,
        "measure_unit": data.arrow("measure_unit", pa.string()),
        "count": data.arrow("count", pa.int64()),
        "on_time": data.arrow("on_time", pa.int64()),
        "avg_days": data.arrow("avg_days", pa.float64()),
        "amount": data.arrow("amount", pa.float64()),
        "minutes_saved": data.arrow("minutes_saved", pa.float64()),
    })
    return {"case_volumes": out}


DATASET = Dataset(
    name="case_volumes", title="案件量", title_en="Case volumes", fields=FIELDS,
    alternatives=(("month",), ("date",), ("year", "month_no")),
    key=("month", "unit", "case_type", "channel"), finish=finish, when="month",
    filters={"units": "unit", "case_types": "case_type"}, order=("month", "unit", "case_type", "channel"),
    example=("110/07", "第一課", "線上申辦", "線上", "件", 120, 118, 1.5, None, None),
    template_skip=("date", "year", "month_no"),
)
