"""問卷發放 — questionnaires issued, per year and office."""
from __future__ import annotations

import pyarrow as pa

from .. import normalize as n
from ..units import canonical_office
from .base import Dataset, Field, SheetData, natural_key

FIELDS = (
    Field("year", "年度", "Year", ("年", "調查年度"), n.parse_year, True, sql="INTEGER"),
    Field("office", "服務據點", "Office", ("據點", "服務地點", "服務處所", "辦公處所"), canonical_office, True),
    Field("issued", "發出份數", "Issued", ("發放份數", "發出問卷數", "問卷發放數", "發出問卷份數", "發放數"),
          n.parse_count, True, sql="BIGINT"),
)


def finish(data: SheetData) -> dict[str, pa.Table]:
    key = natural_key(data, {"year": data.get("year"), "office": data.get("office")})
    return {"survey_issued": pa.table({
        "nkey": key,
        "year": data.arrow("year", pa.int32()),
        "office": data.arrow("office", pa.string()),
        "issued": data.arrow("issued", pa.int64()),
    })}


DATASET = Dataset(
    name="survey_issued", title="問卷發放", title_en="Questionnaires issued", fields=FIELDS,
    alternatives=(), key=("year", "office"), finish=finish, when="year", annual=True,
    filters={"offices": "office"}, order=("year", "office"), example=("110", "臺南分局", 320),
)
