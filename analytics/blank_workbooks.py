"""Blank workbooks for each dataset, made from its spec: the columns to fill, an
instructions sheet (說明, which the importer skips) with each column's synonyms, an
example row, and any notes the spec adds; in .xlsx or .ods."""
from __future__ import annotations

import pandas as pd

from . import export
from .datasets import DATASETS
from .i18n import t


def blank_workbook(dataset: str, fmt: str = "xlsx", lang: str = "zh") -> bytes:
    ds = DATASETS[dataset]
    fields = ds.template_fields()
    sheet = pd.DataFrame(columns=[f.label for f in fields])
    notes = pd.DataFrame([{t("template.col.column", lang): f.label,
                           t("template.col.required", lang): t("template.yes", lang) if f.required else "",
                           t("template.col.also", lang): "、".join(f.synonyms[:6])} for f in fields])
    example = "、".join("" if v is None else str(v) for v in ds.example)
    lines = [t("template.intro", lang, dataset=dataset), t("template.formats", lang),
             t("template.example", lang, example=example), *(ds.template_notes(lang) if ds.template_notes else [])]
    intro = pd.DataFrame({t("template.col.column", lang): lines})
    return export.write_sheets([(t(f"dataset.{dataset}", lang), [sheet]), ("說明", [intro, notes])], fmt)
