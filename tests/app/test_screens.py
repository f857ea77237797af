"""Every page, in both languages, over workbooks made of corner cases: no page may show
nan, None, inf, NaT or a raw message key, whatever the data (issue 9's sweep).

Each scenario is a small database built in code: n = 0, n = 1, all blank, zero
variance, a blank overall column, no online channel, an office without an issued
count, blank staff names, a year gap and a partial year.
"""
import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from analytics import i18n, importer, service, store
from conftest import ROOT, open_tables, write_xlsx
from ui import registry

APP = str(ROOT / "app.py")
PAGES = [p.path for p in registry.PAGES]
GARBAGE = re.compile(r"\b(nan|NaN|None|inf|-inf|NaT|<NA>|null|undefined)\b|"
                     r"\b[a-z]+(?:_[a-z]+)*\.[a-z]+(?:_[a-z]+)*(?:\.[a-z_]+)*\b")
ALLOWED = re.compile(r"\.(py|xlsx|xls|ods|csv|duckdb|html|toml|md|odt|docx)\b|https?://|\d\.\d")

SURVEY = ["填答日期", "服務據點", "洽辦業務項目", "服務內容", "洽公環境", "服務設備", "人員禮貌及服務態度", "整體滿意度",
          "受訪者類型"]
CASES = ["年月", "單位", "案件類別", "申辦管道", "計量單位", "件數", "如期完成件數", "平均處理天數"]
PHONE = ["測試日期", "受測單位", "測試類型", "受測人員", "接聽速度", "態度語氣", "總分"]
DIMS = ["年度", "構面", "項目", "配分", "自評分數", "評審分數"]
ISSUED = ["年度", "服務據點", "發出份數"]


def one_of_each():
    return {"案件": [CASES, ["112/05", "第一課", "線上申辦", None, None, 1, None, None]],
            "問卷": [SURVEY, ["112/05/05", "本分局", 5, 5, 5, 5, 5, 5, None]],
            "發放": [ISSUED, [112, "嘉辦", 10]],                         # an office without returns
            "電話": [PHONE, ["112/04/01", "一課", "內部測試", None, 10, 20, 85]],   # blank staff name
            "構面": [DIMS, [112, "基礎服務", "服務一致及正確性", 100, 80, None]]}


def all_blank_and_zero_variance():
    blank = [[f"112/0{m}/1{d}", "本分局", None, None, None, None, None, None, None] for m in range(1, 4) for d in range(3)]
    same = [[f"113/0{m}/1{d}", "嘉辦", 5, 5, 5, 5, 5, 5, "民眾"] for m in range(1, 7) for d in range(8)]
    return {"問卷": [SURVEY, *blank, *same],
            "案件": [CASES, *[[f"113/{m:02d}", "第二課", "臨櫃服務", "臨櫃", "件", 7, 7, 1.5] for m in range(1, 13)],
                     *[[f"112/{m:02d}", "第二課", "臨櫃服務", "線上", "件", 3, None, None] for m in range(1, 13)]],
            "電話": [PHONE[:3] + ["總分"], ["113/04/01", "二課", "跨分局互測", 79], ["113/10/01", "二課", "高雄分局互測", 80]]}


def gap_and_partial_year():
    cases = [[f"{y}/{m:02d}", "第一課", t, ch, "件", 10 + m, None, None]
             for y in (105, 108, 109, 110, 111, 112, 113) for m in range(1, 13)
             for t, ch in (("線上申辦", "線上"), ("臨櫃申辦", "臨櫃"))]
    cases += [[f"114/{m:02d}", "第一課", "線上申辦", "線上", "件", 5, None, None] for m in range(1, 4)]
    survey = [[f"{y}/0{m}/0{d + 1}", "本分局", 4, 5, 4, 5, 4, 4 + (d % 2), "業者"]
              for y in (105, 113) for m in range(1, 10) for d in range(5)]
    survey += [[f"114/0{m}/0{d + 1}", "嘉辦", 3, 3, 3, 3, 3, 3, "民眾"] for m in (1, 2) for d in range(3)]
    return {"案件": [CASES, *cases], "問卷": [SURVEY, *survey],
            "發放": [ISSUED, [113, "本分局", 40], [105, "本分局", 30], [113, "斗辦", 2]],
            "電話": [PHONE, *[["113/04/0%d" % (i + 1), "三課", "內部測試", "王小明" if i % 2 else None, 12, 20, 80 + i]
                              for i in range(4)]],
            "構面": [DIMS, [105, "基礎服務", "甲", 100, 70, None], [113, "構面二", "乙", 300, 250, 240]]}


def blank_overall_column():
    rows = [[f"113/0{m}/0{d + 1}", "本分局", 4, 4, 3, 5, 2, None, None] for m in range(1, 10) for d in range(4)]
    return {"問卷": [SURVEY, *rows], "發放": [ISSUED, [113, "本分局", 20]]}   # 36 returned of 20 issued


SCENARIOS = {"one_of_each": one_of_each, "all_blank_and_zero_variance": all_blank_and_zero_variance,
             "gap_and_partial_year": gap_and_partial_year, "blank_overall_column": blank_overall_column}


def texts(at) -> list[str]:
    """What a manager reads on the page: headings, text, alerts, cards, labels,
    table cells that are text (every table opened), and the words inside charts."""
    open_tables(at)
    out = [str(e.value) for group in (at.title, at.header, at.subheader, at.markdown, at.caption, at.info,
                                      at.warning, at.error, at.success) for e in group]
    out += [f"{m.label} {m.value} {m.delta or ''} {m.proto.help}" for m in at.metric]
    out += [e.label for e in at.expander]
    for widget in (*at.selectbox, *at.radio, *at.multiselect):
        out += [widget.label, *map(str, widget.options)]
    for table in at.dataframe:
        frame = table.value
        frame = frame.data if hasattr(frame, "data") else frame      # a Styler
        out += [str(c) for c in frame.columns]
        for column in frame.columns:
            if frame[column].dtype == object or str(frame[column].dtype).startswith("str"):
                out += [v for v in frame[column].tolist() if isinstance(v, str)]
    for chart in at.get("plotly_chart"):
        out += chart_texts(json.loads(chart.proto.spec))
    return out


TEXT_KEYS = {"text", "name", "title", "hovertext", "ticktext", "hovertemplate", "texttemplate"}


def chart_texts(node, key: str | None = None) -> list[str]:
    """Every text a chart shows, from its decoded JSON (the raw JSON escapes differently
    with and without orjson): strings under the keys that hold text, at any depth."""
    if isinstance(node, dict):
        return [t for k, v in node.items() for t in chart_texts(v, k)]
    if isinstance(node, list):
        return [t for v in node for t in chart_texts(v, key)]
    return [node] if isinstance(node, str) and key in TEXT_KEYS else []


def garbage(strings: list[str]) -> set[str]:
    found = set()
    for s in strings:
        for m in GARBAGE.finditer(s):
            word = m.group(0)
            context = s[max(0, m.start() - 3):m.end() + 6]
            if not ALLOWED.search(context):
                found.add(f"{word!r} in {s[:90]!r}")
    return found


def build_db(tmp_path_factory, name: str):
    path = tmp_path_factory.mktemp(name) / "edge.duckdb"
    if name == "empty":
        service.load_sample_if_new(path)     # the first start, then everything undone: n = 0
    con = store.connect(path)
    if name == "empty":
        store.undo_batch(con, 1)
    else:
        importer.import_file(con, write_xlsx(path.with_suffix(".xlsx"), SCENARIOS[name]()))
    con.close()
    return path


@pytest.fixture(scope="module", params=["empty", *SCENARIOS])
def scenario_db(request, tmp_path_factory):
    return build_db(tmp_path_factory, request.param)


@pytest.fixture(scope="module")
def gap_db(tmp_path_factory):
    """ROC 105 beside 108–113, and 114 January–March only."""
    return build_db(tmp_path_factory, "gap_and_partial_year")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_page_shows_garbage_for_any_data(scenario_db, lang, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(scenario_db))
    i18n.MISSING.clear()
    problems = {}
    for page in PAGES:
        at = AppTest.from_file(APP, default_timeout=120)
        at.session_state["lang"] = lang
        at.run()
        at.switch_page(page).run()
        if at.exception:
            problems[page] = [e.value[:300] for e in at.exception]
            continue
        said = texts(at)
        bad = garbage(said)
        # a heading whose year was missing ("–五大構面自評得分率", "–: self-score rate of…")
        bad |= {f"heading without its year: {h!r}" for h in (e.value for group in (at.title, at.header, at.subheader)
                                                              for e in group) if str(h).startswith("–")}
        if lang == "en":    # a list in English is joined by ", " (it read "Round、Test type、Person")
            bad |= {f"、 in {s[:90]!r}" for s in said if re.search(r"[A-Za-z0-9)%]\s*、|、\s*[A-Za-z0-9(]", s)}
            # sentences one after another are spaced (it read "… in all.The largest rise: …";
            # Markdown-escaped, "all\\.The")
            bad |= {f"sentences run together in {s[:90]!r}" for s in said
                    if re.search(r"[a-z0-9%)]\\?\.\\?[A-Z(]", s)}
        if bad:
            problems[page] = sorted(bad)[:8]
    assert not problems, problems
    assert not i18n.MISSING, sorted(i18n.MISSING)


def test_a_year_link_snaps_to_the_stored_years(gap_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(gap_db))
    for link, expected in (("2017-2017", (2016, 2016)), ("106-106", (2016, 2016)), ("107-107", (2019, 2019)), ("2018-2030", (2019, 2025)),
                           ("110-2099", (2021, 2025))):
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params["years"] = link
        at.run()
        assert not at.exception, (link, [e.value for e in at.exception])
        assert at.session_state["filters"].years == expected, link
        at.switch_page("pages/cases.py").run()
        assert not at.exception, link


def test_monthly_lines_end_at_the_last_month_present(gap_db):
    from analytics import metrics, signals
    con = store.connect(gap_db)
    try:
        by_type = {s.series: s for s in signals.case_types(con, metrics.Filters())}
    finally:
        con.close()
    last = {name: s.chart.points[-1].period for name, s in by_type.items()}
    assert str(last["線上申辦"])[:7] == "2025-03"          # 114/03, the last month imported
    assert str(last["臨櫃申辦"])[:7] == "2024-12"          # stopped in 113: no zeros drawn after it
    # a month with no rows inside a line is a gap, never a zero
    assert all(p.value is None or p.value > 0 for s in by_type.values() for p in s.chart.points)
