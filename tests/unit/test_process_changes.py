"""流程變更 (analytics/datasets/process_changes.py): imported, refused, replaced, undone
and exported like every other sheet; its KPI names resolved as 目標值 resolves them."""
import datetime as dt

import pytest

from analytics import export, importer, records, store
from analytics.problems import Refused

CHANGE_HEADER = ["年月", "指標", "案件類別", "說明"]


@pytest.fixture(autouse=True)
def parse_in_process(monkeypatch):
    """Unit tests fork nothing: workbooks are parsed in this process."""
    monkeypatch.setenv("DASHBOARD_PARSE_IN_PROCESS", "1")


def test_a_process_change_sheet_imports_with_kpi_names_in_either_language(xlsx, empty_db):
    path = xlsx({"流程變更": [["本分局流程變更紀錄"], CHANGE_HEADER,
                              ["110/09", "案件總量", "量桶檢定", "量桶檢定導入自動控制及智慧物聯網"],
                              ["110年10月", "Overall satisfaction", None, "問卷改為線上填答"],
                              ["2022-01", "全部", None, "新辦公室啟用"],
                              ["111/03", "平均處理天數", "線上申辦", "線上申辦審查改為雙人"]]})
    result = importer.import_file(empty_db, path)
    assert result.rows_by_dataset == {"process_changes": 4}
    rows = empty_db.execute("SELECT month, metric, series, description FROM process_changes ORDER BY month").fetchall()
    assert rows == [(dt.date(2021, 9, 1), "case_total", "量桶檢定", "量桶檢定導入自動控制及智慧物聯網"),
                    (dt.date(2021, 10, 1), "satisfaction", None, "問卷改為線上填答"),
                    (dt.date(2022, 1, 1), "all", None, "新辦公室啟用"),
                    (dt.date(2022, 3, 1), "processing_days", "線上申辦", "線上申辦審查改為雙人")]
    stored = records.stored_rows(empty_db, "process_changes").rename(columns=export.column_labels("process_changes"))
    assert list(stored.columns) == ["年月", "指標", "案件類別", "說明"] and len(stored) == 4
    assert store.undo_batch(empty_db, result.batch_id).removed == {"process_changes": 4}


def test_an_unknown_kpi_is_refused_naming_the_cell(xlsx, empty_db):
    path = xlsx({"變更": [CHANGE_HEADER, ["110/09", "案件總量", None, "甲"], ["110/10", "排隊時間", None, "乙"]]})
    with pytest.raises(Refused) as caught:
        importer.import_file(empty_db, path)
    text = caught.value.render("zh")
    assert "第 3 列 B 欄「指標」" in text and "值「排隊時間」" in text and "案件總量" in text and "全部" in text
    assert empty_db.execute("SELECT count(*) FROM process_changes").fetchone()[0] == 0


def test_a_case_type_only_narrows_a_kpi_charted_by_case_type(xlsx, empty_db):
    path = xlsx({"變更": [CHANGE_HEADER, ["110/09", "整體滿意度", "線上申辦", "甲"]]})
    with pytest.raises(Refused) as caught:
        importer.import_file(empty_db, path)
    assert "C 欄「案件類別」" in caught.value.render("zh")


def test_a_process_change_without_a_description_is_refused(xlsx, empty_db):
    with pytest.raises(Refused) as caught:
        importer.import_file(empty_db, xlsx({"變更": [CHANGE_HEADER, ["110/09", "全部", None, None]]}))
    assert "D 欄「說明」" in caught.value.render("zh")


def test_a_corrected_change_replaces_the_one_with_the_same_month_kpi_and_case_type(xlsx, empty_db):
    importer.import_file(empty_db, xlsx({"變更": [CHANGE_HEADER, ["110/09", "案件總量", "量桶檢定", "初稿"]]}))
    importer.import_file(empty_db, xlsx({"變更": [CHANGE_HEADER, ["110/09", "案件量", "量桶檢定", "定稿"]]}))
    assert empty_db.execute("SELECT description FROM process_changes").fetchall() == [("定稿",)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_of_changes_and_targets_imports_again_as_it_was(xlsx, empty_db, tmp_path, fmt):
    """The command line's export writes a KPI, a target's period and its side as a sheet
    does (案件總量, 全部, 上半年, 以下) — not the stored keys (case_total, which the import
    took for a total row and skipped, 0, −1) — so an export imports again row for row."""
    importer.import_file(empty_db, xlsx({
        "流程變更": [CHANGE_HEADER, ["110/09", "案件總量", "量桶檢定", "自動化"], ["111/01", "全部", None, "新系統"]],
        "目標": [["年度", "指標", "目標值", "期間", "方向"], [113, "平均處理天數", 2.49, "上半年", "以下"],
                 [113, "整體滿意度", "95%", None, None]]}))
    stored = {ds: empty_db.execute(f"SELECT * EXCLUDE (batch_id) FROM {ds} ORDER BY ALL").fetchall()
              for ds in ("process_changes", "targets")}
    again = store.connect(tmp_path / "again.duckdb")
    try:
        for ds in ("process_changes", "targets"):
            frame = records.stored_rows(empty_db, ds).rename(columns=export.column_labels(ds))
            out = tmp_path / f"{ds}.{fmt}"
            export.save_table(frame, out, fmt, [], "zh", export.column_kinds(ds, "zh"))
            if ds == "process_changes":
                assert "案件總量" in set(frame["指標"]) and "全部" in set(frame["指標"])
            importer.import_file(again, out)
        for ds, rows in stored.items():
            assert again.execute(f"SELECT * EXCLUDE (batch_id) FROM {ds} ORDER BY ALL").fetchall() == rows, ds
    finally:
        again.close()
