"""What a download is called and what it holds as names: the page, the table, the years
and the filters in force in its file name (they carried the table's name alone), what a
file system refuses replaced; and the chart's marks (▼ beside a weak item) never
written into the table or its downloads."""
from streamlit.testing.v1 import AppTest

from conftest import ROOT, open_tables
from markup import decoded, strings


def name_script():
    import streamlit as st

    from analytics import metrics
    from ui import charts
    st.session_state.setdefault("lang", "zh")
    st.session_state["filters"] = metrics.Filters((2020, 2024), ("第一課", "第二課", "第三課", "第四課"), (),
                                                  ("線上申辦",))
    st.session_state["_page_title"] = "電話禮貌"
    st.text(charts.file_name("民國 113 年各單位合格率", "xlsx"))
    st.session_state["filters"] = metrics.Filters((2024, 2024), (), (), ())
    st.text(charts.file_name("民國 113 年各單位合格率", "csv"))
    st.session_state["filters"] = metrics.Filters(None, (), (), ())
    st.session_state["_page_title"] = "年度比較"
    st.text(charts.file_name('a/b:c*"d"<e>|f?', "ods"))


def test_a_download_is_named_by_page_years_and_filters():
    at = AppTest.from_function(name_script).run()
    assert not at.exception
    names = [t.value for t in at.text]
    assert names[0] == "電話禮貌_民國113年各單位合格率_民國109年至民國113年_第一課、第二課、第三課等1項_線上申辦.xlsx"
    assert names[1] == "電話禮貌_民國113年各單位合格率.csv"          # the one year is in the table's name already
    assert names[2] == "年度比較_a_b_c_d_e_f.ods"


def test_english_names_say_the_years_in_english():
    at = AppTest.from_function(name_script)
    at.session_state["lang"] = "en"
    at.run()
    assert at.text[0].value == "電話禮貌_民國113年各單位合格率_ROC 109 (2020) to ROC 113 (2024)_第一課、第二課、第三課, and 1 more_線上申辦.xlsx"


def test_the_weak_item_mark_stays_on_the_chart(sample_db):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    open_tables(at.switch_page("pages/satisfaction.py").run())
    assert not at.exception
    items = next(df.value for df in at.dataframe if "項目" in df.value.columns and "滿意度" in df.value.columns)
    assert not any("▼" in str(name) for name in items["項目"]), list(items["項目"])
    marked = [text for chart in at.get("plotly_chart") for _, text in strings(decoded(chart.proto.spec)) if "▼" in text]
    assert marked, "the chart lost its mark beside the colour"
