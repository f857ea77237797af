"""The process behaviour charts' verdicts, in words, on every page that shows them and
in both languages: a planted shift in the cases (workload: high, never improvement), a
stable satisfaction rate (common cause), and too few phone rounds for limits."""
import pytest
from streamlit.testing.v1 import AppTest

from analytics import importer, store
from conftest import ROOT, case_rows, database_of, survey_rows, write_xlsx

APP = str(ROOT / "app.py")


def workbook() -> dict:
    # Cases: 112 near 100 a month, 113 near 150: every 113 month beyond the upper limit
    # (mean ≈ 125, limits ≈ 113–137; see tests/unit/test_report.py). Satisfaction: 24
    # months, 36 of 40 satisfied each (90 %): no point can leave its limits. Phone tests:
    # four rounds, under the twelve points limits need.
    low = [100, 102, 98, 101, 99, 100, 103, 97, 100, 101, 99, 100]
    cases = [[f"112/{m + 1:02d}", "第一課", "甲", v] for m, v in enumerate(low)] + \
            [[f"113/{m + 1:02d}", "第一課", "甲", v + 50] for m, v in enumerate(low)]
    survey = []
    for year in (112, 113):
        for month in range(1, 13):
            day = f"{year}/{month:02d}/10"
            survey += [[day, "本分局", 5, 5, 5, 5, 5, 5]] * 36 + [[day, "本分局", 2, 2, 2, 2, 2, 2]] * 4
    phone = [["測試日期", "受測單位", "測試類型", "總分"]]
    for date in ("112/04/01", "112/10/01", "113/04/01", "113/10/01"):
        phone += [[date, "一課", "內部測試", 90]] * 5
    return {"案件": case_rows(*cases), "問卷": survey_rows(*survey), "電話": phone}


@pytest.fixture(scope="module")
def shifted_db(tmp_path_factory):
    return database_of(tmp_path_factory.mktemp("spc") / "spc.duckdb", workbook())


def said(at) -> str:
    import re
    parts = [str(e.value) for group in (at.markdown, at.caption) for e in group]
    return re.sub(r"\\(.)", r"\1", "\n".join(parts))


EXPECTED = {
    "zh": {"pages/overview.py": ["▲ 特殊原因：偏高", "○ 一般變異", "案件總量在 113 年 1 月至 113 年 12 月連續 12 個月高於管制上限"],
           "pages/cases.py": ["XmR 管制圖", "為特殊原因：偏高"],
           "pages/satisfaction.py": ["Laney p′ 管制圖", "為一般變異"],
           "pages/phone.py": ["資料點不足（4 點，至少需 12 點）"]},
    "en": {"pages/overview.py": ["▲ Special cause: high", "○ Common cause variation"],
           "pages/cases.py": ["XmR chart", "Special cause: high"],
           "pages/satisfaction.py": ["Laney p′ chart", "Common cause variation"],
           "pages/phone.py": ["too few points"]},
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_says_its_charts_verdicts_in_words(shifted_db, monkeypatch, lang):
    monkeypatch.setenv("DASHBOARD_DB", str(shifted_db))
    for page, parts in EXPECTED[lang].items():
        at = AppTest.from_file(APP, default_timeout=120)
        at.session_state["lang"] = lang
        at.run()
        at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
        text = said(at)
        for part in parts:
            assert part.lower() in text.lower(), (page, part)
        if page == "pages/cases.py":          # the charts' own sentences: workload is never an improvement
            sentences = [line for line in text.splitlines() if "XmR" in line]
            assert sentences and not any("改善" in line or "improvement" in line.lower() for line in sentences)


def behaviour_charts(at) -> list[dict]:
    """The process behaviour charts the page drew, decoded (those with a limits line)."""
    import json
    figures = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    return [f for f in figures if any(t.get("line", {}).get("dash") == "dot" for t in f["data"])]


def test_a_drawn_chart_is_kept_only_while_its_data_language_and_calendar_are(shifted_db, tmp_path, monkeypatch):
    """The charts are kept between reruns (every click is one), but never shown stale:
    a new month, the other language or the Gregorian calendar draw them again."""
    import shutil
    db = tmp_path / "copy.duckdb"
    shutil.copyfile(shifted_db, db)
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("pages/cases.py").run()
    first = behaviour_charts(at)
    assert first and "113/12" in first[0]["data"][0]["x"]
    at.run()
    assert behaviour_charts(at) == first                       # a rerun: the same chart
    at.session_state["gregorian"] = True
    at.run()
    assert "2024-12" in behaviour_charts(at)[0]["data"][0]["x"]
    at.session_state["gregorian"] = False
    at.session_state["lang"] = "en"
    at.run()
    names = {t.get("name") for t in behaviour_charts(at)[0]["data"]}
    assert "Mean" in names, names
    at.session_state["lang"] = "zh"
    con = store.connect(db)                     # new data: a second unit's 500 cases in 113/12
    importer.import_file(con, write_xlsx(tmp_path / "more.xlsx", {"案件": case_rows(["113/12", "第二課", "甲", 500])}))
    con.close()
    at.run()
    values = behaviour_charts(at)[0]["data"][3]          # after the two limit lines and the mean
    before = first[0]["data"][3]
    assert values["x"][-1] == before["x"][-1] == "113/12"
    assert values["y"][-1] == before["y"][-1] + 500


def test_a_chart_of_counts_lists_its_counts_whole(shifted_db, monkeypatch):
    """The case chart's table, as a phone shows it: each month's count whole (150, not
    150.0), its mean and limits with the decimal they have."""
    from conftest import open_tables
    monkeypatch.setenv("DASHBOARD_DB", str(shifted_db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    open_tables(at.switch_page("pages/cases.py").run())
    assert not at.exception, [e.value for e in at.exception]
    table = next(t.value for t in at.table if {"數值", "平均"} <= set(t.value.columns))
    values, means = list(table["數值"]), set(table["平均"])
    assert "150" in values and "100" in values and not any(v.endswith(".0") for v in values), values[:5]
    assert means and all(m == "" or "." in m for m in means), means


@pytest.fixture(scope="module")
def changed_db(tmp_path_factory):
    """The shifted workbook with process changes recorded: one for every chart at 113/01,
    and one for case type 甲 at 112/07."""
    book = workbook()
    book["流程變更"] = [["年月", "指標", "案件類別", "說明"], ["113/01", "全部", None, "新系統上線"],
                    ["112/07", "案件總量", "甲", "甲類改為線上"]]
    return database_of(tmp_path_factory.mktemp("spc_change") / "change.duckdb", book)


def change_marks(figure: dict) -> list[tuple[str, str]]:
    """(month, the mark's word) of every change drawn: a dashed vertical line with a word
    at its top."""
    lines = [s["x0"] for s in figure["layout"].get("shapes", []) if s.get("type") == "line" and s["x0"] == s["x1"]]
    words = {a["x"]: a["text"] for a in figure["layout"].get("annotations", []) if a.get("x") in lines}
    return [(x, words.get(x)) for x in lines]


@pytest.mark.parametrize("lang,gregorian", [("zh", False), ("en", False), ("zh", True)])
def test_a_process_change_is_drawn_where_it_happened_in_either_calendar(changed_db, monkeypatch, lang, gregorian):
    """A recorded change draws its line and word at its month, on the cases' total, on a
    picked case type (its own change and the one for all) and on satisfaction by month —
    on a category axis of ROC months ("113/01") as on a Gregorian one. The limits start
    again from it: the cases' mean before 113/01 is 112's alone (100 a month)."""
    monkeypatch.setenv("DASHBOARD_DB", str(changed_db))
    month = (lambda y, m: f"{y + 1911}-{m:02d}") if gregorian else (lambda y, m: f"{y}/{m:02d}")
    word = "流程變更" if lang == "zh" else "process change"
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = lang
    at.session_state["gregorian"] = gregorian
    at.run()
    at.switch_page("pages/cases.py").run()
    assert not at.exception, [e.value for e in at.exception]
    charts = behaviour_charts(at)          # the total, then case type 甲 (picked by default: the only one)
    assert len(charts) == 2, len(charts)
    assert change_marks(charts[0]) == [(month(113, 1), word)]
    assert sorted(change_marks(charts[1])) == [(month(112, 7), word), (month(113, 1), word)]
    note = {("zh", False): "自 113 年 1 月起重新計算管制界限", ("zh", True): "自 2024 年 1 月起重新計算管制界限",
            ("en", False): "limits recomputed from January 2024"}[(lang, gregorian)]   # sentence dates, as the sentences say
    assert any(note in c.value for c in at.caption), [c.value for c in at.caption if "新" in c.value or "recomputed" in c.value]
    mean = charts[0]["data"][2]
    assert mean["y"][mean["x"].index(month(112, 12))] == pytest.approx(100, abs=0.01)
    assert mean["y"][mean["x"].index(month(113, 1))] == pytest.approx(150, abs=0.01)
    at.switch_page("pages/satisfaction.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any((month(113, 1), word) in change_marks(f) for f in behaviour_charts(at))
