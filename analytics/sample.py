"""Writes the bundled sample workbook: ``python -m analytics.sample [DIR]``.

ROC 110 holds the figures of the Tainan Branch's ROC 110 report (the seed); ROC 108,
109 and 111–113 are made up around them, plausibly, and the app says so. The sheets
are as messy as the branch's own: title rows, merged and two-row headers, ROC dates
in several forms, full-width digits, numbers as text with separators, unit
nicknames, subtotal rows and an instructions sheet.
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import numpy as np
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from .sample_file import SAMPLE_DIR, SAMPLE_FILE, sample_path  # noqa: F401  (where the workbook lives)

YEARS = (108, 109, 110, 111, 112, 113)
SEED_YEAR = 110
SCALE = {108: 0.78, 109: 0.9, 110: 1.0, 111: 1.07, 112: 1.13, 113: 1.18}

SECTIONS = ("第一課", "第二課", "第三課", "第四課", "第五課", "第六課")
# (case type, channel, measure, ROC 110 total, units, months, extra)
CASES = (
    ("線上申辦", "線上", "件", 4198, SECTIONS + ("嘉辦", "斗辦"), range(1, 13), None),
    ("傳真電郵送件", "傳真", "件", 151, SECTIONS, range(1, 13), None),
    ("傳真電郵送件", "電郵", "件", 206, SECTIONS, range(1, 13), None),
    ("系統傳送紀錄表", None, "件", 1593, SECTIONS[:3], range(1, 13), None),
    ("免印紙本送件", "線上", "件", 3025, SECTIONS[:3], range(1, 13), None),
    ("量桶檢定", "臨櫃", "具", 73, ("第四課",), None, ("minutes", 803)),
    ("教育訓練", None, "場次", 83, SECTIONS + ("人事室", "秘書室"), range(1, 13), None),
    ("義務監視員反映", None, "件", 264, ("秘書室",), range(1, 13), ("on_time",)),
    ("檢舉申訴", None, "件", 1992, SECTIONS + ("嘉辦", "斗辦"), range(1, 13), ("on_time",)),
    ("行動支付", "線上", "件", 512, ("第六課", "嘉辦", "斗辦"), range(1, 13), ("amount", 2712840)),
    ("重新檢定通知", None, "家", 3243, ("第四課", "嘉辦", "斗辦"), range(1, 13), None),
    ("計量免費檢測", "臨櫃", "具", 2054, ("第四課", "第五課"), range(1, 13), None),
)
# The seed's dimensions and sub-items; the split of points within a dimension is ours.
DIMENSIONS = (
    ("基礎服務", (("服務一致及正確性", 100), ("服務友善性", 100))),
    ("服務遞送", (("服務便捷性", 100), ("服務可近性", 100), ("服務成長及優化", 100))),
    ("服務量能", (("內部作業簡化", 100), ("服務機制精進", 100))),
    ("服務評價", (("提高服務滿意度", 100), ("積極回應民眾意見", 100))),
    ("開放創新", (("開放參與", 50), ("創新服務", 50))),
)
DAYS_GIVEN = ("線上申辦", "檢舉申訴", "系統傳送紀錄表")
# 量桶檢定: the seed's 73 buckets and 803 minutes saved count from ROC 110 September,
# when the improved environment began. Before it (108–110/08) no minutes were saved;
# after it (111 on) buckets are tested all year at the seed's pace, 11 minutes saved each.
BUCKETS_FROM = (110, 9)
MINUTES_PER_BUCKET = 803 / 73
SURVEY_OFFICES = {"臺南分局": 0.58, "嘉義辦事處": 0.24, "斗六辦事處": 0.18}
OFFICE_WRITTEN = {"臺南分局": ("本分局", "臺南分局", "台南分局"), "嘉義辦事處": ("嘉辦", "嘉義辦事處"),
                  "斗六辦事處": ("斗辦", "斗六辦事處")}
RESPONSES = {108: 470, 109: 505, 110: 548, 111: 561, 112: 577, 113: 590}
SATISFIED = {108: 0.951, 109: 0.962, 110: 0.9854, 111: 0.981, 112: 0.975, 113: 0.984}
ISSUED = {108: 520, 109: 560, 110: 548, 111: 600, 112: 620, 113: 640}
PHONE_TESTS = {108: 40, 109: 44, 110: 48, 111: 48, 112: 50, 113: 52}
PHONE_ITEMS = (("接聽速度", 15), ("問候及自報單位", 20), ("態度語氣", 25), ("回答專業正確", 20),
               ("轉接留言處理", 10), ("結束禮貌", 10))
PHONE_UNITS = SECTIONS + ("人事室", "政風室", "主計室", "秘書室", "嘉辦", "斗辦")
SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾"
GIVEN = ("志明", "淑芬", "建宏", "美玲", "俊傑", "雅婷", "家豪", "怡君", "冠宇", "佩珊", "宗翰", "欣怡")
LIKERT_WORDS = {5: "非常滿意", 4: "滿意", 3: "普通", 2: "不滿意", 1: "非常不滿意"}
FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def _split(total: int, parts: int, rng) -> list[int]:
    """``total`` in ``parts`` whole pieces that add up exactly."""
    weights = rng.dirichlet(np.full(parts, 4.0))
    return list(rng.multinomial(total, weights))


def _month_text(roc: int, month: int, style: int) -> object:
    return (f"{roc}/{month:02d}", f"{roc}年{month}月", f"{roc}.{month}", dt.datetime(roc + 1911, month, 1),
            f"民國{roc}年{month:02d}月")[style % 5]


def _date_text(day: dt.date, style: int) -> object:
    roc = day.year - 1911
    return (f"{roc}/{day.month:02d}/{day.day:02d}", f"{roc}.{day.month}.{day.day}",
            f"{roc}年{day.month}月{day.day}日", f"{roc}{day.month:02d}{day.day:02d}",
            dt.datetime(day.year, day.month, day.day))[style % 5]


def _title(ws, text: str, width: int):
    ws.append([text])
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=width)
    ws.cell(ws.max_row, 1).font = Font(bold=True, size=14)


def _cases(wb, rng):
    ws = wb.create_sheet("案件量(109-113)")
    headers = ["年月", "單位", "案件\n類別", "申辦管道", "計量單位", "件數", "如期完成\n件數", "平均處理\n天數", "金額\n(元)",
               "節省分鐘"]
    _title(ws, "經濟部標準檢驗局臺南分局 各單位案件量統計表", len(headers))
    ws.append(["資料來源：各課室月報；單位：件／場次／具／家"])
    ws.append(headers)
    for cell in ws[ws.max_row]:
        cell.alignment = Alignment(wrap_text=True)
    old = wb.create_sheet("案件量(108)")
    old.append(["Year", "Month", "Unit", "Category", "Channel", "Count", "On time", "Amount", "Minutes saved"])
    for roc in YEARS:
        year_total = 0
        for c_index, (case, channel, measure, total, units, months, extra) in enumerate(CASES):
            n = total if roc == SEED_YEAR else int(round(total * SCALE[roc] * rng.uniform(0.93, 1.07)))
            if months is None:   # 量桶檢定: four months a year until the new environment, then all year
                months = range(BUCKETS_FROM[1], 13) if roc <= BUCKETS_FROM[0] else range(1, 13)
                n = n if roc <= BUCKETS_FROM[0] else int(round(n * 12 / 4))
            cells = [(m, u) for m in months for u in units]
            counts = _split(n, len(cells), rng)
            money = _split(extra[1] if roc == SEED_YEAR else int(extra[1] * SCALE[roc]), len(cells), rng) \
                if extra and extra[0] == "amount" else None
            saved = None
            if extra and extra[0] == "minutes" and roc >= BUCKETS_FROM[0]:
                saved = _split(extra[1], len(cells), rng) if roc == SEED_YEAR else \
                    [int(round(c * MINUTES_PER_BUCKET * rng.uniform(0.9, 1.1))) for c in counts]
            for i, ((month, unit), count) in enumerate(zip(cells, counts)):
                on_time = count if extra and extra[0] == "on_time" else None
                amount = money[i] if money else None
                minutes = saved[i] if saved else None
                year_total += count
                days = round(float(rng.uniform(0.8, 3.5)), 1) if case in DAYS_GIVEN and count else None
                if roc == 108:
                    old.append([roc, month, unit, case, channel, count, on_time, amount, minutes])
                    continue
                style = i + c_index + roc
                shown = f"{count:,}" if count >= 1000 else (str(count).translate(FULL) if style % 7 == 0 else count)
                ws.append([_month_text(roc, month, style), unit, case, channel, measure, shown, on_time, days,
                           f"{amount:,}" if amount else None, minutes])
        if roc != 108:
            ws.append([f"{roc}年小計", None, None, None, None, year_total, None, None, None, None])
    ws.append(["總計", None, None, None, None, None, None, None, None, None])
    ws.column_dimensions["A"].width = 14


def _survey(wb, rng):
    ws = wb.create_sheet("櫃臺服務滿意度問卷")
    items = ["洽辦業務項目", "服務內容", "洽公環境", "服務設備", "人員禮貌及\n服務態度"]
    width = 6 + len(items)
    _title(ws, "臨櫃服務滿意度調查 問卷資料（108-113 年）", width)
    ws.append(["問卷編號", "填答日期", "服務據點", "受訪者類型", "各項服務滿意度", None, None, None, None, "整體滿意度",
               "洽辦業務"])
    ws.append([None, None, None, None, *items, None, None])
    r = ws.max_row
    ws.merge_cells(start_row=r - 1, start_column=5, end_row=r - 1, end_column=9)
    for col in (1, 2, 3, 4, 10, 11):
        ws.merge_cells(start_row=r - 1, start_column=col, end_row=r, end_column=col)
    issued_rows = []
    for roc in YEARS:
        n = RESPONSES[roc]
        satisfied = int(round(n * SATISFIED[roc]))
        overall = np.array([5] * int(satisfied * 0.62) + [4] * (satisfied - int(satisfied * 0.62))
                           + list(rng.choice([1, 2, 3], n - satisfied, p=[0.1, 0.3, 0.6])))
        rng.shuffle(overall)
        offices = rng.choice(list(SURVEY_OFFICES), n, p=list(SURVEY_OFFICES.values()))
        if roc == SEED_YEAR:  # issued == returned for 110: the seed's 548
            offices = np.array(["臺南分局"] * 320 + ["嘉義辦事處"] * 130 + ["斗六辦事處"] * 98)
            rng.shuffle(offices)
        for office in SURVEY_OFFICES:
            returned = int((offices == office).sum())
            issued = returned if roc == SEED_YEAR else int(round(ISSUED[roc] * SURVEY_OFFICES[office]))
            issued_rows.append((roc, office, max(issued, returned)))
        days = sorted(dt.date(roc + 1911, 1, 4) + dt.timedelta(days=int(d)) for d in rng.integers(0, 355, n))
        for i in range(n):
            answers = []
            for _ in items:
                if rng.random() < 0.03:
                    answers.append(None)  # no answer: stays blank, never 0
                    continue
                value = int(np.clip(overall[i] + rng.choice([-1, 0, 0, 0, 1]), 1, 5))
                answers.append(LIKERT_WORDS[value] if (i + roc) % 3 == 0 else value)
            written = OFFICE_WRITTEN[offices[i]]
            ws.append([f"{roc}-{i + 1:04d}", _date_text(days[i], i + roc), written[i % len(written)],
                       ("業者", "民眾", "代辦業者")[i % 3], *answers, int(overall[i]),
                       ("報驗發證", "度量衡檢定", "驗證登錄")[int(rng.integers(0, 3))]])
    issued = wb.create_sheet("問卷發放")
    issued.append(["年度", "服務據點", "發出份數"])
    for roc, office, count in issued_rows:
        issued.append([f"民國{roc}年" if roc % 2 else roc, office, count])
    issued.append(["合計", None, sum(c for *_, c in issued_rows)])


def _phone(wb, rng):
    ws = wb.create_sheet("電話禮貌測試")
    _title(ws, "電話禮貌測試成績表", 12)
    ws.append(["測試日期", "梯次", "受測單位", "測試類型", "受測人員", *[f"{name}\n({top}分)" for name, top in PHONE_ITEMS],
               "總分", "是否合格"])
    for roc in YEARS:
        n = PHONE_TESTS[roc]
        for kind in ("內部測試", "高雄分局互測"):
            for i in range(n):
                half = 1 if i < n // 2 else 2
                day = dt.date(roc + 1911, 4 if half == 1 else 10, 1) + dt.timedelta(days=int(rng.integers(0, 40)))
                scores = []
                for _, top in PHONE_ITEMS:
                    scores.append(int(np.clip(round(top * rng.beta(10 if kind == "內部測試" else 8, 1.5)), 0, top)))
                total = sum(scores)
                verdict = ("合格", "V", "是")[i % 3] if total >= 80 else ("不合格", "", "否")[i % 3]
                person = SURNAMES[int(rng.integers(0, len(SURNAMES)))] + GIVEN[int(rng.integers(0, len(GIVEN)))]
                ws.append([_date_text(day, i), f"{roc}年第{half}次", PHONE_UNITS[i % len(PHONE_UNITS)], kind, person,
                           *scores, total, verdict or None])


def _dimensions(wb, rng):
    ws = wb.create_sheet("構面評分")
    ws.append(["政府服務獎 自評分數"])
    ws.append(["年度", "構面", "項目", "配分", "自評分數", "評審分數"])
    for roc in YEARS:
        level = {108: 0.78, 109: 0.81, 110: 0.86, 111: 0.85, 112: 0.88, 113: 0.9}[roc]
        for d_index, (dimension, subitems) in enumerate(DIMENSIONS):
            written = (dimension, f"構面{'一二三四五'[d_index]}", d_index + 1)[(roc + d_index) % 3]
            for item, points in subitems:
                own = round(points * float(np.clip(level + rng.normal(0, 0.04), 0.5, 0.98)))
                review = round(own * float(rng.uniform(0.9, 1.0))) if roc in (110, 112) else None
                ws.append([f"{roc}年", written, item, points, own, review])
    targets = wb.create_sheet("目標值")
    targets.append(["年度", "指標", "目標值"])
    for roc in YEARS:
        for metric, value in (("整體滿意度", "95%"), ("電話禮貌合格率", 0.9), ("線上申辦比例", 0.9),
                              ("陳情及檢舉依限回覆比例", 1), ("問卷回收率", "85%"), ("構面自評總分", 850)):
            targets.append([roc, metric, value])


def _strategies(wb):
    """The seed's ROC 110 strategies, dimensions written as the report writes them."""
    strategies = json.loads((Path(__file__).with_name("plan") / "strategies_110.json").read_text(encoding="utf-8"))
    ws = wb.create_sheet("執行策略")
    ws.append(["110 年度提升服務效能執行策略及具體推動作法"])
    ws.append(["年度", "構面", "項目", "執行策略", "主辦單位", "執行績效與成果"])
    codes = {name: f"構面{'一二三四五'[i]}" for i, (name, _) in enumerate(DIMENSIONS)}
    for s in strategies:
        ws.append(["110年", f"{codes[s['dimension']]}:{s['dimension']}", s["item"], s["strategy"], s["units"], s["results"]])


def _plan(wb):
    """The seed's ROC 110 plan text (sections 壹–參 and 伍–捌) as a 計畫內容 sheet."""
    from .plans import sample_rows
    ws = wb.create_sheet("計畫內容")
    ws.append(["年度", "章節", "內容"])
    for row in sample_rows():
        ws.append(row)


def _changes(wb):
    """The seed's dated process change (流程變更): 量桶檢定 automated from ROC 110/09, so
    its process behaviour chart restarts its limits there."""
    ws = wb.create_sheet("流程變更")
    ws.append(["年月", "指標", "案件類別", "說明"])
    ws.append([f"{BUCKETS_FROM[0]}/{BUCKETS_FROM[1]:02d}", "案件總量", "量桶檢定",
               "改善量桶檢定環境，導入自動控制及智慧物聯網之精進技術"])


def build(path: Path, seed: int = 110) -> Path:
    """Write the sample workbook to ``path``."""
    rng = np.random.default_rng(seed)
    wb = Workbook()
    notes = wb.active
    notes.title = "說明"
    for line in ("本活頁簿為服務效能儀表板的示範資料。",
                 "民國 110 年數字取自臺南分局 110 年度提升服務效能執行績效與成果；其他年度為虛構。",
                 "受測人員姓名為虛構。"):
        notes.append([line])
    _cases(wb, rng)
    _survey(wb, rng)
    _phone(wb, rng)
    _dimensions(wb, rng)
    _strategies(wb)
    _plan(wb)
    _changes(wb)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


if __name__ == "__main__":
    target = Path(sys.argv[1]) / SAMPLE_FILE if len(sys.argv) > 1 else sample_path()
    print(build(target))
