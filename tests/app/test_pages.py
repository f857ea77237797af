"""AppTest over every registered page, in both languages, on the sample and on an
empty database; then the flows a manager goes through."""
import io
import re

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from analytics import importer, service, store
from analytics.i18n import t
from conftest import ROOT, case_rows, open_tables, staged_uploads
from ui.charts import TABLE_KEY
from ui.registry import PAGES

APP = str(ROOT / "app.py")
PAGE_FILES = [p.path for p in PAGES]
CHART_PAGES = {p.path for p in PAGES if p.charts}


def frame_with(at, *columns):
    """The first table on the page that has all these columns (AppTest does not
    expose st.dataframe keys), every table opened first."""
    for df in open_tables(at).dataframe:
        if set(columns) <= set(df.value.columns):
            return df.value
    raise AssertionError(f"no table with {columns}")


def shown(markdown: str) -> str:
    """Markdown as a reader sees it: backslash escapes (data is escaped) removed."""
    return re.sub(r"\\(.)", r"\1", markdown)


def open_page(page=None, lang="zh"):
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    if page:
        at.switch_page(page).run()
    return at


@pytest.fixture
def emptied_db(db_path):
    """A database whose only batch (the sample) was undone: no rows at all."""
    batch = service.load_sample_if_new(db_path)
    service.undo(batch, db=db_path)
    return db_path


def test_every_page_file_is_registered():
    assert set(PAGE_FILES) == {f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py")}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", PAGE_FILES)
def test_page_on_the_sample(sample_db, page, lang):
    at = open_page(page, lang)
    assert not at.exception, [e.value for e in at.exception]
    if page in CHART_PAGES:
        assert len(at.get("plotly_chart")) >= 1
        assert len(open_tables(at).dataframe) >= 1
        assert not at.exception, [e.value for e in at.exception]
    banner = "示範資料" if lang == "zh" else "Sample data"
    assert any(banner in w.value for w in at.warning)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", PAGE_FILES)
def test_page_on_an_empty_database_says_what_to_import(emptied_db, page, lang):
    at = open_page(page, lang)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.get("plotly_chart")
    if page in CHART_PAGES:
        word = "資料匯入" if lang == "zh" else "Import"
        assert any(word in i.value for i in at.info)


def test_first_start_loads_the_sample_once(db_path):
    at = open_page()
    assert not at.exception
    con = store.connect(db_path)
    history = store.history(con)
    con.close()
    assert len(history) == 1 and history[0]["is_sample"]
    assert service.load_sample_if_new(db_path) is None


def test_banner_goes_once_real_data_is_imported(sample_db, xlsx):
    con = store.connect(sample_db)
    importer.import_file(con, xlsx({"s": case_rows(["114/01", "第一課", "線上申辦", 3])}))
    con.close()
    at = open_page()
    assert not any("示範資料" in w.value for w in at.warning)


def test_overview_kpis_show_the_seed_year(sample_db):
    at = open_page()
    at.select_slider(key="f_years").set_value(("民國 109 年", "民國 110 年")).run()
    assert "民國 110 年" in at.title[0].value
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["案件總量"] == "17,394"        # the seed's categories, summed in the sample
    assert metrics["整體滿意度"] == "98.5%"       # 540 of 548: "總滿意度達 9 成 8 以上"
    # a short value (a long "887 / 1,000" was cut off on the card); the full marks in its help
    card = next(m for m in at.metric if m.label == "構面自評總分")
    assert card.value.replace(",", "").isdigit() and "滿分 1,000" in card.proto.help


def _messy_workbook() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "案件量"
    ws.append(["臺南分局 114 年 1 月案件量"])
    ws.merge_cells("A1:D1")
    ws.append([])
    ws.append(["年月", "單位", "案件\n類別", "件數（件）"])
    ws.append(["114/01", "一課", "測試案件", "１,２３４"])
    ws.append(["114年1月", "嘉辦", "測試案件", 66])
    ws.append(["合計", None, None, 1300])
    notes = wb.create_sheet("說明")
    notes.append(["填表說明"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_upload_preview_confirm_see_numbers_then_undo(sample_db):
    at = open_page("pages/data_import.py")
    at.file_uploader(key="up").upload("114年1月案件量.xlsx", _messy_workbook(), XLSX).run()
    assert not at.exception, [e.value for e in at.exception]
    previews = [shown(e.label) for e in at.expander]
    assert any("114年1月案件量.xlsx" in label and "共 2 筆" in label for label in previews)
    assert any("合計列" in shown(c.value) for c in at.caption)
    assert any("說明" in shown(c.value) and "略過" in shown(c.value) for c in at.caption)
    at.button(key="confirm_import").click().run()
    assert any("批次 2" in shown(s.value) for s in at.success)
    # the first real import withdrew the sample, and said so
    assert any("已撤下示範資料（批次 1" in shown(i.value) for i in at.info)
    assert not any("示範資料" in w.value for w in at.warning)

    at.switch_page("pages/cases.py").run()
    table = frame_with(at, "案件類別", "民國 114 年 1 月", "民國 113 年 1 月")   # only January is there
    assert list(table["民國 114 年 1 月"]) == [1300]  # １,２３４ + 66; the 合計 row dropped
    assert list(table["案件類別"]) == ["測試案件"]   # no made-up sample rows beside it

    at.switch_page("pages/data_import.py").run()
    assert at.selectbox(key="undo_pick").value == 2          # the newest batch is offered first
    assert at.selectbox(key="undo_pick").options == ["批次 2 — 114年1月案件量.xlsx（" + store_time(sample_db, 2) + "）"]
    at.button(key="undo_btn").click().run()
    asked = shown(" ".join(m.value for m in at.markdown))
    assert "批次 2" in asked and "114年1月案件量.xlsx" in asked and "案件量 2 筆" in asked
    at.button(key="undo_confirm").click().run()
    assert not at.exception
    assert any("已復原批次 2" in shown(s.value) and "案件量 2 筆" in shown(s.value) for s in at.success)
    con = store.connect(sample_db)
    assert [b["status"] for b in store.history(con)] == ["undone", "undone"]
    con.close()
    # nothing in force now: the page offers the sample again
    at.button(key="load_sample").click().run()
    assert any("已載入示範資料" in shown(s.value) for s in at.success)
    at.switch_page("pages/cases.py").run()
    assert "測試案件" not in at.multiselect(key="f_types").options
    assert any("示範資料" in w.value for w in at.warning)


def store_time(db, batch):
    con = store.connect(db)
    try:
        return next(b["imported_at"][:16] for b in store.history(con) if b["id"] == batch)
    finally:
        con.close()


def test_undo_asks_first_and_cancel_changes_nothing(sample_db):
    at = open_page("pages/data_import.py")
    at.button(key="undo_btn").click().run()
    asked = shown(" ".join(m.value for m in at.markdown))
    assert "批次 1" in asked and "服務效能示範資料_108-113.xlsx" in asked
    at.button(key="undo_cancel").click().run()
    con = store.connect(sample_db)
    assert [b["status"] for b in store.history(con)] == ["sample"]
    con.close()


def test_refused_upload_names_sheet_row_column_value_and_writes_nothing(sample_db):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "案件量"
    for row in case_rows(["114/13", "第一課", "線上申辦", 3]):
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    at = open_page("pages/data_import.py")
    at.file_uploader(key="up").upload("bad.xlsx", buf.getvalue(), XLSX).run()
    errors = [shown(e.value) for e in at.error]
    assert any("工作表「案件量」" in e and "第 2 列" in e and "A 欄「年月」" in e and "114/13" in e for e in errors)
    assert at.button(key="confirm_import").disabled
    con = store.connect(sample_db)
    assert len(store.history(con)) == 1
    con.close()


def test_unit_filter_changes_the_table_and_persists_across_pages(sample_db):
    at = open_page("pages/cases.py")
    at.multiselect(key="f_units").set_value(["第四課"]).run()
    units = set(frame_with(at, "單位", "件數")["單位"])
    assert units == {"第四課"}
    at.switch_page("pages/phone.py").run()
    assert at.multiselect(key="f_units").value == ["第四課"]
    assert set(frame_with(at, "單位", "測試次數", "合格率")["單位"]) == {"第四課"}


def test_staff_names_masked_by_default(sample_db):
    at = open_page("pages/phone.py")
    names = frame_with(at, "受測人員")["受測人員"]
    assert len(names) > 0 and all("○" in n for n in names)
    at.toggle(key="phone_show_names").set_value(True).run()
    names = frame_with(at, "受測人員")["受測人員"]
    assert not any("○" in n for n in names)


def test_gregorian_years_on_request(sample_db):
    at = open_page()
    assert "民國" in at.title[0].value
    at.toggle(key="gregorian").set_value(True).run()
    assert "民國" not in at.title[0].value and re.search(r"20\d\d", at.title[0].value)


def test_a_link_reproduces_the_view(sample_db):
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["years"] = "109-110"
    at.query_params["units"] = "第四課"
    at.query_params["lang"] = "en"
    at.run()
    assert at.session_state["filters"].years == (2020, 2021)
    assert at.session_state["filters"].units == ("第四課",)
    assert at.title[0].value == "Overview — ROC 110 (2021)"
    at.switch_page("pages/cases.py").run()
    assert at.query_params["years"] == "2020-2021" and at.query_params["units"] == "第四課"


def test_the_report_is_for_the_year_in_view(sample_db):
    """The sidebar shows ROC 109–110: the report page opens on ROC 110, the year the
    other pages are showing, not the newest stored (the sample's newest is ROC 113);
    with no year chosen it opens on the newest."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["years"] = "109-110"
    at.run()
    at.switch_page("pages/report.py").run()
    assert at.selectbox(key="report_year").value == 2021
    fresh = AppTest.from_file(APP, default_timeout=120)
    fresh.run()
    fresh.switch_page("pages/report.py").run()
    assert fresh.selectbox(key="report_year").value == 2024


def test_a_failing_page_says_so_plainly_and_logs_the_traceback(sample_db, monkeypatch, caplog):
    from streamlit import config
    from analytics import metrics
    config.set_option("client.showErrorDetails", "none")      # as .streamlit/config.toml has it

    def broken(con, f):
        raise RuntimeError("secret path /srv/x.py line 3")
    broken.__name__ = "case_monthly_total"
    monkeypatch.setattr(metrics, "case_monthly_total", broken)
    at = open_page("pages/cases.py")
    shown = " ".join(e.value for e in at.error)
    assert "發生未預期的錯誤" in shown or "unexpected" in shown.lower()
    assert "secret path" not in shown and "Traceback" not in shown and not at.exception
    assert "page failed" in caplog.text and "secret path" in caplog.text     # the traceback, in the server's log


def test_targets_on_the_cards_and_listed_not_met_first(sample_db):
    at = open_page()
    at.select_slider(key="f_years").set_value(("民國 109 年", "民國 110 年")).run()
    # the seed: overall satisfaction above 98 % against the sample's 95 % target
    assert any("目標 95.0% 以上：○ 達成" in shown(c.value) for c in at.caption)
    table = frame_with(at, "指標", "是否達成", "實際值", "目標值")
    states = [s.split()[0] for s in table["是否達成"]]
    assert states == sorted(states, key=["×", "…", "○"].index)     # not met first
    assert table.set_index("指標").loc["整體滿意度", "是否達成"] == "○ 達成"
    at.switch_page("pages/compare.py").run()     # 年度比較 follows the sidebar's years: 110 against 109
    assert {"民國 109 年", "民國 110 年", "民國 110 年目標"} <= set(frame_with(at, "指標", "是否達成").columns)


def test_two_files_of_one_name_are_both_previewed_and_imported_from_private_folders(sample_db):
    import os
    import stat
    first = case_rows(["114/01", "第一課", "同名案件", 11])
    second = case_rows(["114/02", "第二課", "同名案件", 22])
    books = []
    for rows in (first, second):
        wb = openpyxl.Workbook()
        for row in rows:
            wb.active.append(row)
        buf = io.BytesIO()
        wb.save(buf)
        books.append(buf.getvalue())
    before = staged_uploads()
    at = open_page("pages/data_import.py")
    at.file_uploader(key="up").set_value([("月報.xlsx", books[0], XLSX), ("月報.xlsx", books[1], XLSX)]).run()
    assert not at.exception
    labels = [shown(e.label) for e in at.expander]
    assert sum("月報.xlsx" in label and "可匯入，共 1 筆" in label for label in labels) == 2   # both, not one
    staged = staged_uploads() - before
    assert len(staged) == 2
    for folder in staged:                     # private to the app's user
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
        for file in folder.iterdir():
            assert stat.S_IMODE(os.stat(file).st_mode) == 0o600
    at.button(key="confirm_import").click().run()
    con = store.connect(sample_db)
    assert con.execute("SELECT sum(count) FROM case_volumes WHERE case_type = '同名案件'").fetchone()[0] == 33
    assert [b["file"] for b in store.history(con)][1:] == ["月報.xlsx", "月報.xlsx"]
    con.close()
    assert not any(folder.exists() for folder in staged)        # removed once imported


def test_a_file_dropped_from_the_uploader_leaves_nothing_behind(sample_db):
    before = staged_uploads()
    at = open_page("pages/data_import.py")
    at.file_uploader(key="up").upload("a.xlsx", _messy_workbook(), XLSX).run()
    staged = staged_uploads() - before
    assert len(staged) == 1
    at.file_uploader(key="up").clear().run()
    assert not any(folder.exists() for folder in staged)


def test_a_session_starts_loading_the_chart_library_once(sample_db):
    """The hidden preload (ui/preload.py) is the session's first element, on its first
    run only; reruns and other pages do not add it again."""
    at = open_page()
    scripts = [h for h in at.get("html") if "PlotlyChart." in h.proto.body]
    assert len(scripts) == 1
    at.run()
    at.switch_page("pages/cases.py").run()
    assert not [h for h in at.get("html") if "PlotlyChart." in h.proto.body]


# The frontend module each kind of element needs (Streamlit's static/js/<Kind>.*.js);
# kinds drawn by the main bundle itself (text, headings, columns, expanders) need none.
FRONTEND_MODULE = {"plotly_chart": "PlotlyChart", "metric": "Metric", "dataframe": "DataFrame", "table": "DataFrame",
                   "radio": "Radio", "toggle": "Checkbox", "checkbox": "Checkbox", "slider": "Slider",
                   "select_slider": "Slider", "multiselect": "Multiselect", "selectbox": "Selectbox",
                   "date_input": "DateInput", "number_input": "NumberInput", "text_input": "TextInput",
                   "segmented_control": "ButtonGroup", "pills": "ButtonGroup", "html": "Html"}
IN_THE_MAIN_BUNDLE = {"markdown", "caption", "title", "header", "subheader", "warning", "info", "error", "success",
                      "flex_container", "column", "expander", "tab", "divider", "button", "download_button"}


def _kinds(block) -> list[str]:
    out = []
    for child in block.children.values():
        out.append(child.type)
        if getattr(child, "children", None):
            out += _kinds(child)
    return out


def test_the_preload_fetches_every_module_the_first_screen_draws_and_no_table(sample_db):
    """The first screen (總覽 with the sidebar's filters) needs only modules the preload
    fetches (ui/preload.py), so no element waits for its module after the chart's; and
    it draws no table, which is why the table's 1.3 MB module is not among them."""
    from ui import preload
    at = open_page()
    drawn = set(_kinds(at.sidebar)) | set(_kinds(at.main))
    unknown = drawn - set(FRONTEND_MODULE) - IN_THE_MAIN_BUNDLE
    assert not unknown, f"say which frontend module these need: {unknown}"
    needed = {FRONTEND_MODULE[k] for k in drawn if k in FRONTEND_MODULE} - {"Html"}   # the preload's own carrier
    assert needed == set(preload.KINDS)
    assert preload.KINDS[0] == "PlotlyChart" and "DataFrame" not in needed


def test_the_preview_reads_in_the_clerks_words_and_the_history_names_the_first_start(sample_db):
    """The preview's rows under the sheet's own headers with ROC months (not month,
    unit, 2025-01-01 00:00:00 or None); the sample's batch said as the system's first
    start (not "system"); the refused cell listed with what the file holds."""
    at = open_page("pages/data_import.py")
    history = frame_with(at, "使用者")
    assert list(history["使用者"]) == ["系統（首次啟動時載入）"]
    at.file_uploader(key="up").upload("114年1月案件量.xlsx", _messy_workbook(), XLSX).run()
    head = frame_with(at, "年月", "單位", "案件類別")
    assert list(head["年月"]) == ["114/01", "114/01"] and list(head["單位"]) == ["第一課", "嘉義辦事處"]
    assert not {"month", "unit", "case_type"} & set(head.columns)
    assert "None" not in head.astype(str).to_numpy().ravel()

    wb = openpyxl.Workbook()
    for row in case_rows(["114/13", "第一課", "線上申辦", 3]):
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    at = open_page("pages/data_import.py")
    at.file_uploader(key="up").upload("bad.xlsx", buf.getvalue(), XLSX).run()
    cells = frame_with(at, "檔案中的內容", "問題")
    assert list(cells["檔案中的內容"]) == ["114/13"]


def test_a_table_is_drawn_only_while_its_expander_is_open(sample_db):
    """A closed table expander sends nothing but its name (the rerun a click costs
    carries no hidden table); opened, it holds the table and its three downloads, and
    stays open over the reruns that follow, until it is closed."""
    at = open_page("pages/cases.py")
    named = [shown(e.label) for e in at.expander if shown(e.label).startswith("資料表：")]
    assert len(named) >= 3, named
    assert not at.dataframe and not at.get("download_button")
    open_tables(at)
    assert len(at.dataframe) == len(named)
    assert len(at.get("download_button")) == 3 * len(named)
    at.run()
    assert len(at.dataframe) == len(named)
    first = next(k for k in at.session_state if str(k).startswith(TABLE_KEY))
    at.session_state[first] = False
    at.run()
    assert len(at.dataframe) == len(named) - 1 and not at.exception


def test_a_reopened_table_shows_the_page_it_was_left_at(sample_db):
    """A long table's page survives closing and reopening it (a closed table draws
    nothing, so its page picker is gone while it is closed)."""
    at = open_tables(open_page("pages/cases.py"))
    picker = next(n for n in at.number_input if str(n.key).startswith("page_"))
    table = f"{TABLE_KEY}{str(picker.key).removeprefix('page_')}"
    picker.set_value(2).run()
    at.session_state[table] = False
    at.run()
    assert not [n for n in at.number_input if n.key == picker.key]
    at.session_state[table] = True
    at.run()
    assert next(n for n in at.number_input if n.key == picker.key).value == 2
    assert not at.exception, [e.value for e in at.exception]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_phone_shows_the_test_dates_as_the_wide_table_does(sample_db, lang):
    """The narrow table wrote each date again from its ROC text: 113/04/01 was read as
    the year 113 and shown as -1798/04/01 on every phone."""
    at = open_page("pages/phone.py", lang)
    open_tables(at)
    date = t("col.date", lang)
    wide = next(d.value for d in at.dataframe if date in d.value.columns)
    narrow = next(d.value for d in at.table if date in d.value.columns)
    shown = [re.sub(r"\\(.)", r"\1", cell) for cell in narrow[date]]      # as Markdown draws it
    assert len(wide) and shown == list(wide[date])
    assert all(re.fullmatch(r"1[01]\d/\d\d/\d\d", d) for d in shown), shown[:3]
