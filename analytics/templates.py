"""Blank workbooks for each dataset, with an instructions sheet (說明) that the
importer skips, in .xlsx or .ods."""
from __future__ import annotations

import io

import pandas as pd

from .datasets import DATASETS
from .i18n import t

EXAMPLES = {
    "case_volumes": ["110/07", "第一課", "線上申辦", 120],
    "survey_responses": ["110/07/17", "臺南分局", 5, 4, 5, 4, 5, 5],
    "survey_issued": ["110", "臺南分局", 320],
    "phone_tests": ["110/04/15", "第一課", "內部測試"],
    "dimension_scores": ["110", "基礎服務", "服務一致及正確性", 100, 85],
    "targets": ["110", "整體滿意度", 0.95],
    "strategies": ["110", "基礎服務", "服務一致及正確性", "訂定申辦業務標準作業流程", "第六課、嘉辦、斗辦", "免印紙本送件 3,025 件"],
}


def template(dataset: str, fmt: str = "xlsx", lang: str = "zh") -> bytes:
    ds = DATASETS[dataset]
    fields = [f for f in ds.fields if f.name not in ds.template_skip]
    sheet = pd.DataFrame(columns=[f.label for f in fields])
    rows = []
    for f in fields:
        rows.append({t("template.col.column", lang): f.label,
                     t("template.col.required", lang): t("template.yes", lang) if f.required else "",
                     t("template.col.also", lang): "、".join(f.synonyms[:6])})
    notes = pd.DataFrame(rows)
    intro = pd.DataFrame({t("template.col.column", lang): [t("template.intro", lang, dataset=dataset),
                                                           t("template.formats", lang),
                                                           t("template.example", lang,
                                                             example="、".join(map(str, EXAMPLES[dataset])))]})
    buf = io.BytesIO()
    engine = "openpyxl" if fmt == "xlsx" else "odf"
    with pd.ExcelWriter(buf, engine=engine) as writer:
        sheet.to_excel(writer, sheet_name=t(f"dataset.{dataset}", lang)[:31], index=False)
        intro.to_excel(writer, sheet_name="說明", index=False)
        notes.to_excel(writer, sheet_name="說明", index=False, startrow=len(intro) + 2)
    return buf.getvalue()
