"""Like for like at the edges a first audit found: what each page says when a total
leaves something out (the dimensions' self score, the response rate), a heading over
targets of two years, and the phone test's summary line. Expected values by hand in
comments."""
import re

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT, case_rows, database_of, survey_rows

APP = str(ROOT / "app.py")


def workbook() -> dict:
    # Dimensions: 113 基礎服務 85 of 100; 114 基礎服務 90 and 服務遞送 60 (only 114).
    #   Self score 150 in 114; over the dimension both years hold, 90 against 85: +5.
    # Survey: 113 臺南分局 (issued 20, 10 back); 114 臺南分局 (issued 20, 12 back) and
    #   嘉義辦事處 (only 114: issued 10, 5 back) — the response rate's change compares
    #   臺南分局 alone: 12/20 = 60.0 % against 10/20 = 50.0 %, +10.0 points.
    # Cases end in 113, the survey runs to 114: each KPI's target is of its own year in
    #   view — cases' of 113, satisfaction's of 114 — and the overview's heading names both.
    # Phone tests: 一課 30 in 112 (all passed) and 30 in 113 (27 passed); 二課 only in 112
    #   (10 tests, none passed): the change compares 一課 alone, 100.0 % against 90.0 %.
    cases = case_rows(*[[f"113/{m:02d}", "第一課", "甲", 100] for m in range(1, 13)])
    survey = survey_rows(*[["113/05/10", "臺南分局", 5, 5, 5, 5, 5, 5]] * 10,
                         *[["114/05/10", "臺南分局", 5, 5, 5, 5, 5, 5]] * 12,
                         *[["114/05/10", "嘉義辦事處", 5, 5, 5, 5, 5, 5]] * 5)
    phone = [["測試日期", "受測單位", "測試類型", "總分"]]
    phone += [["112/05/10", "一課", "內部測試", 90]] * 30 + [["113/05/10", "一課", "內部測試", 90]] * 27 + \
             [["113/05/10", "一課", "內部測試", 70]] * 3 + [["112/05/10", "二課", "內部測試", 60]] * 10
    return {"案件": cases, "問卷": survey, "電話": phone,
            "發放": [["年度", "服務據點", "發出份數"], [113, "臺南分局", 20], [114, "臺南分局", 20], [114, "嘉義辦事處", 10]],
            "構面": [["年度", "構面", "項目", "配分", "自評分數"], [113, "基礎服務", "甲", 100, 85],
                     [114, "基礎服務", "甲", 100, 90], [114, "服務遞送", "乙", 100, 60]],
            "目標": [["年度", "指標", "目標值", "方向"], [113, "案件總量", 1000, None], [114, "整體滿意度", "90%", None]]}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return database_of(tmp_path_factory.mktemp("edges") / "edges.duckdb", workbook())


def page(db, monkeypatch, path: str, lang: str = "zh") -> str:
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page(path).run()
    assert not at.exception, [e.value for e in at.exception]
    parts = [str(e.value) for group in (at.title, at.header, at.markdown, at.caption) for e in group]
    return re.sub(r"\\(.)", r"\1", "\n".join(parts))


def test_the_self_scores_change_is_over_the_common_dimensions_and_names_the_one_left_out(db, monkeypatch):
    text = page(db, monkeypatch, "pages/dimensions.py")
    line = next(x for x in text.splitlines() if "自評總分較前一年" in x)
    assert "+5" in line and "服務遞送（只有民國 114 年）" in line and "90 對 85" in line, line
    en = page(db, monkeypatch, "pages/dimensions.py", "en")
    assert "Service delivery" in en or "服務遞送" in en


def test_the_response_rates_sentence_points_to_a_note_that_is_there(db, monkeypatch):
    text = page(db, monkeypatch, "pages/satisfaction.py")
    assert "見註" in text
    # 臺南分局 alone: 12/20 = 60.0 % against 10/20 = 50.0 %, +10.0 points, with the change said
    assert "▲ 較佳（只比較兩年共同部分，見註）；民國 114 年 與 民國 113 年 比較（年度數據）：+10.0 個百分點。" in text
    note = next(x for x in text.splitlines() if x.startswith("問卷回收率：") or x.startswith("回收率："))
    assert "嘉義辦事處（只有民國 114 年）" in note, note


def test_the_targets_heading_names_every_year_its_targets_are_of(db, monkeypatch):
    text = page(db, monkeypatch, "pages/overview.py")
    heading = next(x for x in text.splitlines() if "目標達成情形" in x)
    assert "民國 113 年" in heading and "民國 114 年" in heading, heading
    assert "民國 113 年、民國 114 年設定目標的 2 項指標中" in text


def test_what_moved_most_names_what_its_rows_left_out(db, monkeypatch):
    """The rows of 總覽's what-moved-most table show the part both years hold (the self
    score rate: 90 of 100 against 85 of 100, +5.0 points; 服務遞送 only in 114); under
    the table, what was left out and the whole figure (150 of 200 = 75.0 %), as the
    report's notes say."""
    text = page(db, monkeypatch, "pages/overview.py")
    lines = text.splitlines()
    assert "構面自評得分率：本期全部（含未計入的部分）：75.0%" in lines
    assert "構面自評得分率：只比較兩年都有的構面；未計入：服務遞送（只有民國 114 年）" in lines
    assert "構面自評得分率 +5.0 個百分點（較佳）" in text


def test_the_phone_pages_see_the_note_is_there(db, monkeypatch):
    text = page(db, monkeypatch, "pages/phone.py")
    assert "見註" in text and "未計入：第二課（只有民國 112 年）" in text


@pytest.mark.parametrize("lang, expected", [
    ("zh", "▼ 較差（只比較兩年共同部分，見註）；民國 113 年 與 民國 112 年 比較：-10.0 個百分點（民國 112 年為 100.0%）"),
    ("en", "; ROC 113 (2024) against ROC 112 (2023): -10.0 pp (ROC 112 (2023): 100.0%)")])
def test_the_phone_summary_reads_as_one_sentence(db, monkeypatch, lang, expected):
    # 113: 27 of 30 tests passed (90.0 %); 112: 30 of 30 (100.0 %): −10.0 points, worse
    text = page(db, monkeypatch, "pages/phone.py", lang)
    assert expected in text, next(x for x in text.splitlines() if "90.0%" in x)
