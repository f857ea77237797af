"""計畫內容 — the plan's own words for the results report: sections 壹–參 and 伍–捌
(計畫依據, 計畫目標, 實施對象, 實施步驟, 考核作業, 獎勵方式, …), one paragraph a row,
per year, and the branch's name (章節 機關名稱). 肆 is built from 執行策略."""
from __future__ import annotations

import pyarrow as pa

from .. import normalize as n
from .base import Dataset, Derived, Field, SheetData, _nth_of_equals, int_array, make_key, natural_key

FIELDS = (
    Field("year", "年度", "Year", ("年", "計畫年度"), n.parse_year, True, sql="INTEGER"),
    Field("section", "章節", "Section", ("計畫章節", "章", "section"), n.parse_text, True),
    Field("text", "內容", "Text", ("計畫內容", "段落", "內文", "text"), n.parse_text, True),
)


def finish(data: SheetData) -> dict[str, pa.Table]:
    # A paragraph is the n-th row of its section in the sheet, so a corrected sheet
    # replaces the same paragraphs (and the report shows a section from its newest import).
    year, section = data.get("year"), data.get("section")
    base = make_key(year, section)
    position = int_array(_nth_of_equals(base), pa.int32())
    return {"plan_text": pa.table({
        "nkey": natural_key(data, {"year": year, "section": section, "position": position}),
        "year": data.arrow("year", pa.int32()),
        "section": data.arrow("section", pa.string()),
        "position": position,
        "text": data.arrow("text", pa.string()),
    })}


DATASET = Dataset(
    name="plan_text", title="計畫內容", title_en="Plan text", fields=FIELDS,
    alternatives=(), key=("year", "section", "position"), finish=finish, when="year", annual=True,
    derived=(Derived("position", "INTEGER", "段落序號", "Paragraph"),), order=("year", "section", "position"),
    example=("110", "壹、計畫依據", "一、行政院106年1月9日院授發社字第1061300008號函頒「政府服務躍升方案」。"),
    in_year_range=False,
)
