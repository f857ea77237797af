"""電話禮貌測試 — one test call; item scores kept in a table of their own."""
from __future__ import annotations

import re

import numpy as np
import pyarrow as pa

from .. import normalize as n
from ..units import canonical_unit
from .base import Dataset, Derived, Field, SheetData, isna, natural_key, to_arrow

DEFAULT_PASS_MARK = 80.0
# The standard form's items and their 配分 (15/20/25/20/10/10 = 100). A sheet may give
# other full marks in its headers ("接聽速度(15分)"); those win.
ITEMS = (
    ("speed", "接聽速度", "Answer speed", ("接聽時間",), 15),
    ("greeting", "問候及自報單位", "Greeting", ("問候語", "自報單位", "問候及自報"), 20),
    ("tone", "態度語氣", "Tone", ("語氣態度", "態度", "語氣"), 25),
    ("accuracy", "回答專業正確", "Accuracy", ("回答正確", "專業正確", "專業度"), 20),
    ("transfer", "轉接留言處理", "Transfer", ("轉接處理", "留言處理", "轉接"), 10),
    ("closing", "結束禮貌", "Closing", ("結束語", "結尾禮貌"), 10),
)
_POINTS_IN_HEADER = re.compile(r"(\d+(?:\.\d+)?)\s*分")
INTERNAL, CROSS = "內部測試", "跨分局互測"
_NOT_ITEMS = frozenset({"序號", "編號", "no", "no.", "項次", "#", "分機", "電話", "備註"})


def parse_score(value):
    number = n.parse_number(value)
    if isinstance(number, float) and not 0 <= number <= 100:
        return n.Bad("bad.score_range")
    return number


def parse_test_type(value):
    text = n.parse_text(value)
    if text is None:
        return None
    s = n.squash(text).lower()
    if "內部" in s or s in ("internal", "自測", "自行測試"):
        return INTERNAL
    if "分局" in s or "互測" in s or "跨" in s or s in ("cross", "external", "外部"):
        return CROSS
    return n.Bad("bad.test_type")


_BRANCH = re.compile(r"([\u4e00-\u9fff]{2}分局)")

FIELDS = (
    Field("test_date", "測試日期", "Test date", ("日期", "受測日期", "testdate"), n.parse_date, True, sql="DATE"),
    Field("unit", "受測單位", "Unit", ("單位", "受測課室", "unit"), canonical_unit, True),
    Field("test_type", "測試類型", "Test type", ("類型", "測試方式", "測試別", "testtype"), parse_test_type, True),
    *(Field(name, label, en, syn, parse_score, sql="DOUBLE", stored=False) for name, label, en, syn, _ in ITEMS),
    Field("total", "總分", "Total", ("分數", "得分", "總得分", "totalscore", "score"), parse_score, sql="DOUBLE"),
    Field("passed", "是否合格", "Passed", ("合格", "測試結果", "結果", "合格與否", "pass"), n.parse_pass, sql="BOOLEAN"),
    Field("round", "梯次", "Round", ("測試梯次", "期別", "round"), n.parse_text),
    Field("person", "受測人員", "Person", ("受測者", "接聽人員", "受測同仁", "姓名", "person"), n.parse_text),
)
ITEM_NAMES = tuple(name for name, *_ in ITEMS)
ITEM_LABELS = {name: label for name, label, *_ in ITEMS}
STANDARD_POINTS = {label: points for _, label, _, _, points in ITEMS}


def declared_points(header: str) -> float | None:
    """配分 written in a header: '態度語氣\n(25分)' → 25."""
    m = _POINTS_IN_HEADER.search(n.nfkc(str(header)))
    return float(m[1]) if m else None


def _item_points(data: SheetData, label: str, header: str, scores: np.ndarray, column: str) -> float | None:
    """An item's full marks: as its header declares (a score above it is refused), else
    the standard form's when every score fits, else unknown."""
    declared = declared_points(header)
    filled = ~isna(scores)
    if declared is not None:
        over = filled & np.array([f and v > declared for f, v in zip(filled, scores)], dtype=bool)
        if over.any():
            data.flag(column, over, "bad.over_item_points", points=f"{declared:g}")
        return declared
    standard = STANDARD_POINTS.get(label)
    if standard is not None and all(v <= standard for v in scores[filled]):
        return float(standard)
    return None


def _extra_items(data: SheetData) -> dict[str, np.ndarray]:
    """Numeric columns with unknown headers are further test items."""
    out = {}
    for header, (letter, raw) in data.extras.items():
        if n.norm_header(header) in _NOT_ITEMS:
            continue
        values, bad = n.convert_column(raw, parse_score)
        filled = ~isna(values)
        if filled.any() and bad is None:
            out[header] = values
            data.notice("notice.extra_item", column=letter, header=header)
    return out


def _row_sums(items: dict[str, np.ndarray], rows: int) -> np.ndarray:
    """Each row's sum of its item scores, None where it has none (pandas' ``sum(axis=1,
    min_count=1)``), as an object array of floats."""
    total = np.zeros(rows, dtype=float)
    seen = np.zeros(rows, dtype=bool)
    for values in items.values():
        filled = ~isna(values)
        total[filled] += values[filled].astype(float)
        seen |= filled
    out = np.full(rows, None, dtype=object)
    out[seen] = total[seen].tolist()
    return out


def finish(data: SheetData) -> dict[str, pa.Table]:
    items = {ITEM_LABELS[name]: data.get(name) for name in ITEM_NAMES if data.has(name)}
    points = {ITEM_LABELS[name]: _item_points(data, ITEM_LABELS[name], data.where[name][1], data.get(name), name)
              for name in ITEM_NAMES if data.has(name)}
    extra = _extra_items(data)
    items.update(extra)
    points.update({header: declared_points(header) for header in extra})
    total = data.get("total").copy()
    if items:
        summed = _row_sums(items, len(data))
        fill = isna(total)
        total[fill] = summed[fill]
    no_total = isna(total) & ~data.flagged_rows()
    if no_total.any():
        data.flag("total" if data.has("total") else "test_date", no_total, "bad.no_total")
    over = np.array([t is not None and t > 100 for t in total], dtype=bool)
    if over.any():
        data.flag("total" if data.has("total") else "test_date", over, "bad.score_range")

    pass_mark = float(data.settings.get("pass_mark", DEFAULT_PASS_MARK))
    passed = data.get("passed").copy()
    fill = isna(passed) & ~isna(total)
    passed[fill] = [t >= pass_mark for t in total[fill]]

    dates = data.get("test_date")
    rounds = data.get("round").copy()
    fill = isna(rounds) & ~isna(dates)
    rounds[fill] = [f"{d.year - 1911}-{'H1' if d.month <= 6 else 'H2'}" for d in dates[fill]]

    raw_type = data.raw.get("test_type", np.full(len(data), None, dtype=object))
    partner = np.array([_partner(r) for r in raw_type], dtype=object)

    day, unit, kind = data.arrow("test_date", pa.date32()), data.arrow("unit", pa.string()), data.arrow(
        "test_type", pa.string())
    persons = data.arrow("person", pa.string())
    key = natural_key(data, {"test_date": day, "unit": unit, "test_type": kind, "person": persons})

    tests = pa.table({
        "nkey": key, "test_date": day, "unit": unit, "test_type": kind, "partner": to_arrow(partner, pa.string()),
        "round": to_arrow(rounds, pa.string()), "person": persons,
        "total": to_arrow(total, pa.float64()), "passed": to_arrow(passed, pa.bool_()),
    })
    long = []
    for name, values in items.items():
        score = to_arrow(values, pa.float64())
        kept = score.is_valid()
        long.append(pa.table({"nkey": key.filter(kept), "item": pa.array([name] * len(key), pa.string()).filter(kept),
                              "score": score.filter(kept),
                              "points": pa.array([points.get(name)] * len(key), pa.float64()).filter(kept)}))
    empty = pa.table({"nkey": pa.array([], pa.string()), "item": pa.array([], pa.string()),
                      "score": pa.array([], pa.float64()), "points": pa.array([], pa.float64())})
    scores = pa.concat_tables(long) if long else empty
    return {"phone_tests": tests, "phone_test_items": scores}


def _partner(raw) -> str | None:
    if n.is_blank(raw):
        return None
    m = _BRANCH.search(n.squash(str(raw)).replace("台", "臺"))
    return m[1] if m and m[1] != "臺南分局" else None


DATASET = Dataset(
    name="phone_tests", title="電話禮貌測試", title_en="Phone-courtesy tests", fields=FIELDS,
    alternatives=(("total",), *((name,) for name in ITEM_NAMES)),
    key=("test_date", "unit", "test_type", "person"), key_fallback=("test_date", "unit", "test_type"),
    finish=finish, when="test_date", filters={"units": "unit"},
    derived=(Derived("partner", "VARCHAR", "互測分局", "Partner branch"),),
    extra_tables={"phone_test_items": (("item", "VARCHAR"), ("score", "DOUBLE"), ("points", "DOUBLE"))},
    order=("test_date", "unit", "test_type", "person"),
    example=("110/04/15", "第一課", "內部測試", 14, 18, 23, 18, 9, 9, 91, "合格", "110年第1次", "王小明"),
)
