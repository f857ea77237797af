"""滿意度問卷 — one returned counter-service questionnaire."""
from __future__ import annotations

import pyarrow as pa

from .. import normalize as n
from ..units import canonical_office
from .base import Dataset, Field, SheetData, natural_key

ITEMS = (
    ("q_business", "洽辦業務項目", "Business item", ("業務項目", "洽辦項目")),
    ("q_content", "服務內容", "Service content", ("服務內容滿意度",)),
    ("q_environment", "洽公環境", "Environment", ("服務環境",)),
    ("q_equipment", "服務設備", "Equipment", ("各項服務設備", "設備")),
    ("q_courtesy", "人員禮貌及服務態度", "Courtesy", ("服務態度", "人員禮貌", "禮貌及態度")),
)

FIELDS = (
    Field("response_date", "填答日期", "Date", ("日期", "調查日期", "填表日期", "填寫日期", "responsedate"), n.parse_date, True,
          sql="DATE"),
    Field("office", "服務據點", "Office", ("據點", "服務地點", "服務處所", "受訪據點", "辦公處所"), canonical_office, True),
    *(Field(name, label, en, syn, n.parse_likert, sql="TINYINT") for name, label, en, syn in ITEMS),
    Field("overall", "整體滿意度", "Overall", ("總體滿意度", "整體", "總滿意度", "overallsatisfaction"),
          n.parse_likert, True, not_blank=False, sql="TINYINT"),
    Field("questionnaire_id", "問卷編號", "Questionnaire no.", ("編號", "問卷號碼", "questionnaireid", "id"), n.parse_text),
    Field("respondent_type", "受訪者類型", "Respondent type", ("受訪者身分", "身分", "身份", "respondent"), n.parse_text),
    Field("business", "洽辦業務", "Business", ("洽辦業務類別", "洽公事項"), n.parse_text),
)
ITEM_NAMES = tuple(name for name, *_ in ITEMS)


def finish(data: SheetData) -> dict[str, pa.Table]:
    dates, offices = data.arrow("response_date", pa.date32()), data.arrow("office", pa.string())
    ids = data.arrow("questionnaire_id", pa.string())
    key = natural_key(data, {"questionnaire_id": ids, "response_date": dates, "office": offices})
    if data.has("questionnaire_id") and ids.null_count < len(ids):
        missing = ids.is_null().to_numpy(zero_copy_only=False)
        if missing.any():
            data.flag("questionnaire_id", missing, "bad.blank_required")
    columns = {"nkey": key, "response_date": dates, "office": offices}
    for name in (*ITEM_NAMES, "overall"):
        columns[name] = data.arrow(name, pa.int8())
    for name in ("questionnaire_id", "respondent_type", "business"):
        columns[name] = data.arrow(name, pa.string())
    return {"survey_responses": pa.table(columns)}


DATASET = Dataset(
    name="survey_responses", title="滿意度問卷", title_en="Satisfaction survey", fields=FIELDS,
    alternatives=(), key=("questionnaire_id",), key_fallback=("response_date", "office"),
    finish=finish, when="response_date", filters={"offices": "office"},
    order=("response_date", "office", "questionnaire_id"),
    example=("110/07/17", "臺南分局", 5, 4, 5, 4, 5, 5, "110-0001", "民眾", "度量衡檢定"),
)
