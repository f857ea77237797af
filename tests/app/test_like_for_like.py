"""Like for like, everywhere: one change reads the same on the overview's cards, on
年度比較, in the chart sentences and in all five report formats, in both languages —
the same months, the same change, the same verdict (or the same reason it is not
compared) and the same target judgment.

Two databases built in code hold the scenarios; every expected value is worked out by
hand in the comments beside it.
"""
import re

import pytest
from streamlit.testing.v1 import AppTest

from analytics import comparison, importer, report, store, wording
from analytics.metrics import Filters
from conftest import ROOT, open_tables, survey_rows, write_xlsx
from report_files import read, read_ods, read_xlsx

SHEETS = {"xlsx": read_xlsx, "ods": read_ods}


def sheet_row(rows: list[list], first: str) -> list:
    return next(r for r in rows if r and r[0] == first)

APP = str(ROOT / "app.py")
CASES = ["年月", "單位", "案件類別", "申辦管道", "件數", "平均處理天數"]
PHONE = ["測試日期", "受測單位", "測試類型", "總分"]


def answers(date: str, office: str, satisfied: int, not_satisfied: int):
    """``satisfied`` questionnaires answering 5 overall, ``not_satisfied`` answering 2."""
    return [[date, office, 5, 5, 5, 5, 5, 5]] * satisfied + [[date, office, 2, 2, 2, 2, 2, 2]] * not_satisfied


def one_db() -> dict:
    """The main scenarios, one per dataset so that none disturbs another."""
    cases = [CASES]
    for m in range(1, 13):        # ROC 113: every month 60 online + 40 at the counter (3.0 days), 10 complaints
        cases += [[f"113/{m:02d}", "第一課", "甲", "線上", 60, 3.0], [f"113/{m:02d}", "第一課", "甲", "臨櫃", 40, 3.0],
                  [f"113/{m:02d}", "秘書室", "檢舉申訴", None, 10, None]]
    for m in range(1, 4):         # ROC 114, January to March only: 90 online + 30 (2.5 days), 12 complaints
        cases += [[f"114/{m:02d}", "第一課", "甲", "線上", 90, 2.5], [f"114/{m:02d}", "第一課", "甲", "臨櫃", 30, 2.5],
                  [f"114/{m:02d}", "秘書室", "檢舉申訴", None, 12, None]]
    survey = survey_rows(*answers("112/01/15", "本分局", 12, 8), *answers("112/02/15", "本分局", 12, 8),   # Jan–Feb 112: 24 of 40
                         *answers("112/07/15", "本分局", 40, 0),        # the rest of 112
                         *answers("113/02/15", "本分局", 30, 10),       # 113: February only, 30 of 40
                         *answers("114/11/15", "本分局", 36, 4))        # 114: November, 36 of 40
    phone = [PHONE]
    for year, unit, passed, failed in (("112", "一課", 30, 10), ("112", "二課", 20, 20), ("113", "一課", 36, 4),
                                       ("113", "三課", 40, 0)):
        phone += [[f"{year}/05/10", unit, "內部測試", 90]] * passed + [[f"{year}/05/10", unit, "內部測試", 70]] * failed
    return {
        "案件": cases, "問卷": survey, "電話": phone,
        "構面": [["年度", "構面", "項目", "配分", "自評分數"], [110, "基礎服務", "甲", 100, 80], [112, "基礎服務", "甲", 100, 90]],
        "目標": [["年度", "指標", "目標值", "方向"], [114, "案件總量", 1000, None], [114, "線上申辦比例", "75%", None],
                 [114, "平均處理天數", 2.5, "以下"], [113, "陳情及檢舉件數", 120, None], [113, "線上申辦比例", "60.1%", None],
                 [113, "整體滿意度", "75%", None]],
    }


def two_db() -> dict:
    """Coverage that differs (cases) or holds nothing in common (offices), a half-year
    that stops in April, tied offices, an item at 100 % and items that pull apart."""
    cases = [CASES]
    for m in range(1, 5):         # 113, January to April: 量桶檢定 10 and 教育訓練 5 a month
        cases += [[f"113/{m:02d}", "第四課", "量桶檢定", None, 10, None], [f"113/{m:02d}", "第四課", "教育訓練", None, 5, None]]
    for m in range(1, 13):        # 112: 教育訓練 4 and 行動支付 20 a month
        cases += [[f"112/{m:02d}", "第四課", "教育訓練", None, 4, None], [f"112/{m:02d}", "第二課", "行動支付", None, 20, None]]
    # 114: three offices, 11 answers each, 8 satisfied overall (72.7 % each: a tie). Items:
    # 洽辦業務項目 always 5 (100 %); 服務內容 and 服務設備 = x, 洽公環境 = 6 − x with x
    # 5, 1, 5, … (x = 5 in 6 of 11: 54.5 %; 6 − x = 5 in 5 of 11: 45.5 %); 人員禮貌 always 3 (0 %). Σ item variances =
    # 3·var(x), the total 5 + x + (6 − x) + x + 3 varies as x: α = 5/4·(1 − 3) = −2.5.
    survey = survey_rows(*[["113/03/01", "嘉辦", 5, 5, 5, 5, 5, 5]] * 40, *[["112/03/01", "斗辦", 5, 5, 5, 5, 5, 5]] * 40)
    for office in ("本分局", "嘉辦", "斗辦"):
        for i in range(11):
            x = 5 if i % 2 == 0 else 1
            survey.append(["114/05/01", office, 5, x, 6 - x, x, 3, 5 if i < 8 else 2])
    return {"案件": cases, "問卷": survey}


@pytest.fixture(scope="module")
def dbs(tmp_path_factory):
    out = {}
    for name, build in (("one", one_db), ("two", two_db)):
        path = tmp_path_factory.mktemp(name) / "like.duckdb"
        con = store.connect(path)
        importer.import_file(con, write_xlsx(path.with_suffix(".xlsx"), build()))
        con.close()
        out[name] = path
    return out


def unescape(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def page(db, monkeypatch, path: str, lang: str = "zh", years: str | None = None):
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = lang
    if years:
        at.query_params["years"] = years
    at.run()
    at.switch_page(path).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def card(at, name: str):
    """(value, delta, what is said in words: the verdict beside the delta and the caption under it)
    of the KPI card called ``name``."""
    cards = list(at.metric)
    index = next(i for i, m in enumerate(cards) if m.label == name)
    captions = [unescape(c.value) for c in at.caption] + [cards[index].proto.delta_description]
    return cards[index].value, cards[index].proto.delta, captions


def row(at, first_column: str, name: str) -> dict:
    for table in open_tables(at).dataframe:
        frame = table.value
        if first_column in frame.columns and name in set(frame[first_column]):
            return frame.set_index(first_column).loc[name].to_dict()
    raise AssertionError(f"no table row {name!r}")


def texts(at) -> str:
    return "\n".join(unescape(str(e.value)) for group in (at.markdown, at.caption, at.info, at.header) for e in group)


# ------------------------------------------------------------------ the model itself

def test_the_comparisons_as_worked_out_by_hand(dbs):
    con = store.connect(dbs["one"])
    try:
        k = comparison.kpis(con, comparison.View(Filters(years=(2021, 2025))))
        total = k["case_total"]
        # 114 Jan–Mar: 3 × (120 + 12) = 396; 113 Jan–Mar: 3 × (100 + 10) = 330; +66 = +20.0 %
        assert (total.value, total.before, total.change) == (396, 330, 66) and total.change_pct == pytest.approx(0.2)
        assert total.verdict == "workload" and total.target.state == "pending"
        digital = k["digital_share"]
        # 114: 270 online of 360 with a channel = 75.0 %; 113 Jan–Mar: 180 of 300 = 60.0 %
        assert (digital.value, digital.before) == (0.75, 0.6) and digital.verdict == "better"
        assert digital.target.state == "met" and digital.target.partial          # 75.0 % ≥ 75 %, on Jan–Mar
        days = k["processing_days"]
        assert (days.value, days.before, days.verdict) == (2.5, 3.0, "better")   # fewer days is better
        assert days.target.state == "met"                                         # 2.5 ≤ 2.5 (以下)
        sat = k["satisfaction"]
        # 114 (November, 36 of 40 = 90.0 %) against all of 113 (February, 30 of 40 = 75.0 %):
        # 113 holds nothing after November either, so the years are compared whole.
        assert (sat.value, sat.before, sat.window.whole_year, sat.before_last) == (0.9, 0.75, True, 2)
        phone = k["phone_pass_rate"]
        # 113: 一課 36/40 and 三課 40/40 = 95.0 %; the change only over 一課, which both years
        # tested: 90.0 % against 112's 30/40 = 75.0 %; 三課 and 二課 named as left out.
        assert (phone.value, phone.compared, phone.before) == (0.95, 0.9, 0.75)
        assert [(g.column, g.only_now, g.only_before) for g in phone.left_out] == [("unit", ("第三課",), ("第二課",))]
        dims = k["dimension_self"]
        assert (dims.value, dims.reason) == (90, "no_previous")                    # 112 against 111: none
        earlier = comparison.kpis(con, comparison.View(Filters(years=(2023, 2024)), year=2024, against=2023))
        sat = earlier["satisfaction"]
        # 113 holds only February: January–February of both years, 75.0 % against 24/40 = 60.0 %
        assert (sat.window.last, sat.value, sat.before, sat.verdict) == (2, 0.75, 0.6, "better")
        assert sat.target.state == "met"                                           # 75.0 % ≥ 75 %
        assert earlier["complaints"].target.state == "met"                        # 120 ≤ 120 (以下 by default)
        assert earlier["digital_share"].target.state == "not_met"                 # 60.0 % < 60.1 %
    finally:
        con.close()


# ------------------------------------------------------------------ the overview's cards

OVERVIEW = {
    "zh": {
        "案件總量": ("396", "+66", ["● 工作量，不分好壞", "民國 114 年 1–3 月 與 民國 113 年同期比較",
                                   "目標 1,000 以上：… 尚不判定（年度未完，資料至 3 月）"]),
        "線上申辦比例": ("75.0%", "+15.0 個百分點", ["▲ 較佳", "民國 114 年 1–3 月 與 民國 113 年同期比較",
                                                  "目標 75.0% 以上：○ 達成（依 1–3 月資料判定）"]),
        "整體滿意度": ("90.0%", "+15.0 個百分點", ["▲ 較佳", "民國 114 年 與 民國 113 年 比較", "民國 113 年的資料只到 2 月"]),
        "電話禮貌合格率": ("95.0%", "+15.0 個百分點", [
            "▲ 較佳（只比較兩年共同部分，見註）", "民國 113 年 與 民國 112 年 比較",
            "只比較兩年都有的單位；未計入：第三課（只有民國 113 年）、第二課（只有民國 112 年）",
            "兩年都有的部分：90.0% 對 75.0%"]),
        "構面自評總分": ("90", "", ["– 民國 111 年沒有資料可比較"]),
    },
    "en": {
        "Cases": ("396", "+66", ["● workload, neither better nor worse",
                                       "ROC 114 (2025), Jan–Mar against the same months of ROC 113 (2024)",
                                       "Target 1,000 or more: … not judged yet (year not over; data to Mar)"]),
        "Digital share": ("75.0%", "+15.0 pp", ["▲ better", "Target 75.0% or more: ○ met (judged on Jan–Mar)"]),
        "Overall satisfaction": ("90.0%", "+15.0 pp", ["ROC 114 (2025) against ROC 113 (2024)",
                                                        "ROC 113 (2024)'s rows stop in Feb"]),
    },
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_cards_say_the_change_its_months_verdict_and_target(dbs, monkeypatch, lang):
    at = page(dbs["one"], monkeypatch, "pages/overview.py", lang)
    for name, (value, delta, said) in OVERVIEW[lang].items():
        shown, shown_delta, captions = card(at, name)
        assert (shown, shown_delta) == (value, delta), name
        for part in said:
            assert any(part in c for c in captions), (name, part, captions)


# ------------------------------------------------------------------ 年度比較 follows the sidebar

def test_the_year_over_year_page_compares_the_sidebars_years_on_the_same_months(dbs, monkeypatch):
    at = page(dbs["one"], monkeypatch, "pages/compare.py", years="112-113")
    sat = row(at, "指標", "整體滿意度")
    # 113 (February only) against January–February 112: 75.0 % against 60.0 %
    assert (sat["比較月份"], sat["民國 112 年"], sat["民國 113 年"], sat["增減"], sat["評價"]) == \
        ("1–2 月", "60.0%", "75.0%", "+15.0 個百分點", "▲ 較佳")
    assert sat["是否達成"] == "○ 達成"         # 113 is over (114 holds rows): judged, not "on the months held"
    cases = row(at, "指標", "案件總量")
    assert cases["評價"] == "– 民國 112 年沒有資料可比較" and cases["增減"] == "–"
    complaints = row(at, "指標", "陳情及檢舉件數")
    assert complaints["是否達成"] == "○ 達成"                 # 120 ≤ 120, the year over


# ------------------------------------------------------------------ every report format

def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("fmt", report.FORMATS)
def test_every_report_format_says_the_same_comparison(dbs, fmt):
    con = store.connect(dbs["one"])
    try:
        built = report.build(con, 2025)
        data, english = report.render(built, fmt), report.render(report.build(con, 2025, lang="en"), fmt)
    finally:
        con.close()
    text, english = read(fmt, data), read(fmt, english)
    words = ["民國 114 年 1–3 月 與 民國 113 年同期比較", "● 工作量，不分好壞", "… 尚不判定（年度未完，資料至 3 月）",
             "○ 達成（依 1–3 月資料判定）", "民國 113 年的資料只到 2 月"]
    if fmt in SHEETS:            # figures are number cells there: 66 and 0.2 (shown +20.0 %), 0.15 × 100 points
        numbers = sheet_row(SHEETS[fmt](data)["摘要"], "案件總量")
        assert numbers[1:6] == [396, 330, 66, 0.2, "● 工作量，不分好壞"] and numbers[6] == 1000
        assert sheet_row(SHEETS[fmt](data)["摘要"], "線上申辦比例")[3] == pytest.approx(15.0)
    else:
        words += ["+66（+20.0%）", "+15.0 個百分點", "-0.5 天（-16.7%）"]
    for part in words:
        assert squeezed(part) in squeezed(text), (fmt, part)
    for part in ("ROC 114 (2025), Jan–Mar against the same months of ROC 113 (2024)",
                 "not judged yet (year not over; data to Mar)", *(() if fmt in SHEETS else ("+66 (+20.0%)", "+15.0 pp"))):
        assert squeezed(part) in squeezed(english), (fmt, part)


@pytest.mark.parametrize("fmt", report.FORMATS)
def test_a_half_year_report_that_stops_in_april_compares_january_to_april(dbs, fmt):
    con = store.connect(dbs["two"])
    try:
        built = report.build(con, 2024, half=1)
        total = built.figure("case_total")
        text = read(fmt, report.render(built, fmt))
    finally:
        con.close()
    # 113 January–April: 4 × (10 + 5) = 60 cases; the change only over 教育訓練, which both
    # years hold: 4 × 5 = 20 against 112's January–April 4 × 4 = 16, +4 (+25.0 %).
    assert (total.value, total.compared, total.before, total.change) == (60, 20, 16, 4)
    assert total.window.last == 4                       # never "上半年" over four months of data
    parts = ["民國 113 年 1–4 月 與 民國 112 年同期比較",
             "只比較兩年都有的案件類別；未計入：量桶檢定（只有民國 113 年）、行動支付（只有民國 112 年）",
             "本期全部（含未計入的部分）：60"]
    if fmt not in SHEETS:
        parts.append("+4（+25.0%）")
    if fmt in ("docx", "odt", "html"):              # the row adds up: 20 − 16 = +4
        assert squeezed("20 16 +4（+25.0%）") in squeezed(text.replace("\t", " ")) or \
            squeezed("2016+4（+25.0%）") in squeezed(text), fmt
    for part in parts:
        assert squeezed(part) in squeezed(text), (fmt, part)


# ------------------------------------------------------------------ sentences that tell the truth

def test_sentences_name_ties_flag_no_item_at_the_best_and_never_show_a_negative_alpha(dbs, monkeypatch):
    at = page(dbs["two"], monkeypatch, "pages/satisfaction.py")
    said = texts(at)
    # 11 answers an office, 8 satisfied each: 72.7 % at all three, said as a tie (not "only 嘉義辦事處")
    tie = next(line for line in said.splitlines() if "並列，整體滿意度同為 72.7%" in line)
    assert all(name in tie for name in ("臺南分局", "嘉義辦事處", "斗六辦事處"))
    weak = unescape(next(c.value for c in at.caption if "需加強" in unescape(c.value) or "（" in unescape(c.value)
                         and "%" in unescape(c.value)))
    assert "洽辦業務項目" not in weak                        # 100 %: never weak
    assert "人員禮貌及服務態度（0.0%）" in weak and "洽公環境（45.5%）" in weak and "服務內容" not in weak
    alpha = {m.label: m.value for m in at.metric}
    assert "無法評估（各題方向不一致）" in alpha.values()       # α = −2.5, never shown as a number
    assert not any(v.startswith("-") for v in alpha.values())


def test_offices_with_nothing_in_common_are_not_compared(dbs):
    con = store.connect(dbs["two"])
    try:
        sat = comparison.kpis(con, comparison.View(Filters(), year=2024, against=2023))["satisfaction"]
    finally:
        con.close()
    # 113: only 嘉義辦事處; 112: only 斗六辦事處 — nothing to compare, and said so
    assert (sat.verdict, sat.reason, sat.change) == ("not_compared", "coverage", None)
    assert wording.status(sat) == "– 兩年沒有共同的項目可比較"
    assert wording.coverage(sat) == "只比較兩年都有的服務據點；未計入：嘉義辦事處（只有民國 113 年）、斗六辦事處（只有民國 112 年）"


@pytest.mark.parametrize("lang, parts", [
    ("zh", {"pages/cases.py": ["各類案件：民國 114 年 1–3 月 與 民國 113 年同期比較"],
            "pages/phone.py": ["民國 113 年電話禮貌合格率 95.0%", "▲ 較佳（只比較兩年共同部分，見註）", "+15.0 個百分點"],
            "pages/satisfaction.py": ["15.0 個百分點", "民國 114 年 與 民國 113 年 比較", "民國 113 年的資料只到 2 月"]}),
    ("en", {"pages/cases.py": ["ROC 114 (2025), Jan–Mar against the same months of ROC 113 (2024)"],
            "pages/phone.py": ["95.0%", "+15.0 pp"],
            "pages/satisfaction.py": ["15.0", "ROC 114 (2025) against ROC 113 (2024)"]})])
def test_the_other_pages_say_the_same_change(dbs, monkeypatch, lang, parts):
    for path, expected in parts.items():
        said = texts(page(dbs["one"], monkeypatch, path, lang))
        for part in expected:
            assert part in said, (path, part)
