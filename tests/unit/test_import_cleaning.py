"""Whole workbooks as the branch keeps them go in; clean rows come out."""
import datetime as dt

import pandas as pd
import pytest
import xlwt

from analytics import importer, yearly
from conftest import case_rows, survey_rows, table


def test_title_rows_and_merged_title_above_the_header(xlsx, empty_db):
    path = xlsx({"案件量": [["臺南分局案件量統計表"], [None], ["製表：秘書室"], *case_rows(["110/07", "第一課", "線上申辦", 5])]},
                merges={"案件量": ["A1:D1"]})
    result = importer.import_file(empty_db, path)
    assert result.rows_by_dataset == {"case_volumes": 1}
    assert table(empty_db, "case_volumes", "month, unit, case_type, count") == [
        (dt.date(2021, 7, 1), "第一課", "線上申辦", 5)]


def test_header_found_beyond_the_first_column(xlsx, empty_db):
    rows = [[None, None, None, None, None], [None, "年月", "單位", "案件類別", "件數"], [None, "110/07", "第一課", "線上申辦", 7]]
    importer.import_file(empty_db, xlsx({"s": rows}))
    assert table(empty_db, "case_volumes", "count") == [(7,)]


def test_two_row_header_with_group_cell_over_the_items(xlsx, empty_db):
    rows = [["填答日期", "服務據點", "各項服務滿意度", None, None, None, None, "整體滿意度"],
            [None, None, "洽辦業務項目", "服務內容", "洽公環境", "服務設備", "人員禮貌及服務態度", None],
            ["110/07/17", "本分局", 5, 4, 3, 2, 1, 5]]
    path = xlsx({"問卷": rows}, merges={"問卷": ["C1:G1", "A1:A2", "B1:B2", "H1:H2"]})
    importer.import_file(empty_db, path)
    assert table(empty_db, "survey_responses",
                 "q_business, q_content, q_environment, q_equipment, q_courtesy, overall") == [(5, 4, 3, 2, 1, 5)]


def test_headers_with_line_breaks_spaces_and_english_synonyms(xlsx, empty_db):
    rows = [["Year-month", "Unit", "Case\ntype", "件　數\n（件）"], ["110/07", "一課", "線上申辦", 3]]
    importer.import_file(empty_db, xlsx({"s": rows}))
    assert table(empty_db, "case_volumes", "unit, count") == [("第一課", 3)]


def test_full_width_digits_and_numbers_as_text_with_separators(xlsx, empty_db):
    importer.import_file(empty_db, xlsx({"s": case_rows(["１１０／０７", "第一課", "線上申辦", "４,１９８"],
                                                         ["110/08", "第一課", "線上申辦", "1,593"])}))
    assert table(empty_db, "case_volumes", "month, count") == [(dt.date(2021, 7, 1), 4198), (dt.date(2021, 8, 1), 1593)]


def test_every_month_form_beside_real_excel_dates(xlsx, empty_db):
    forms = ["110/01", "110年2月", "110.3", "11004", "2021-05", dt.datetime(2021, 6, 1), "民國110年7月", "110/08/15"]
    importer.import_file(empty_db, xlsx({"s": case_rows(*([f, "第一課", "線上申辦", 1] for f in forms))}))
    months = [m for (m,) in table(empty_db, "case_volumes", "month")]
    assert months == [dt.date(2021, m, 1) for m in range(1, 9)]


def test_year_and_month_in_two_columns(xlsx, empty_db):
    rows = [["年度", "月份", "單位", "案件類別", "件數"], ["民國110年", "7月", "嘉辦", "線上申辦", 2], [110, 8, "斗辦", "線上申辦", 3]]
    importer.import_file(empty_db, xlsx({"s": rows}))
    assert table(empty_db, "case_volumes", "month, unit") == [(dt.date(2021, 7, 1), "嘉義辦事處"),
                                                              (dt.date(2021, 8, 1), "斗六辦事處")]


def test_every_date_form_in_the_survey(xlsx, empty_db):
    forms = ["110/07/17", "110.7.18", "110年7月19日", "1100720", dt.datetime(2021, 7, 21), "2021/07/22"]
    importer.import_file(empty_db, xlsx({"s": survey_rows(*([f, "本分局", 5, 5, 5, 5, 5, 5] for f in forms))}))
    assert [d for (d,) in table(empty_db, "survey_responses", "response_date")] == [
        dt.date(2021, 7, d) for d in range(17, 23)]


def test_likert_words_and_digits_and_blank_answers_stay_missing(xlsx, empty_db):
    importer.import_file(empty_db, xlsx({"s": survey_rows(["110/07/17", "本分局", "非常滿意", "滿意", None, "普通", "4", 5],
                                                          ["110/07/17", "本分局", None, None, None, None, None, None])}))
    rows = table(empty_db, "survey_responses", "q_business, q_content, q_environment, q_equipment, q_courtesy, overall",
                 "overall NULLS LAST")
    assert rows == [(5, 4, None, 3, 4, 5), (None, None, None, None, None, None)]
    stats = yearly.by_year(empty_db)["survey_responses"]["2021"]
    assert stats["responses"] == 2
    assert stats["satisfied_rate"] == 1.0  # the blank answer is not a 0 in the denominator


def test_total_rows_are_dropped_with_a_notice(xlsx, empty_db):
    path = xlsx({"s": case_rows(["110/07", "第一課", "線上申辦", 5], ["110/07", "第二課", "線上申辦", 6],
                                ["小計", None, None, 11], ["110/08", "第一課", "線上申辦", 1],
                                ["合　計", None, None, 12], [None, "總計", None, 12])})
    result = importer.import_file(empty_db, path)
    assert sum(c for (c,) in table(empty_db, "case_volumes", "count")) == 12
    assert any("合計列" in line and "3" in line for line in result.notices)


def test_unit_and_office_aliases_map_to_one_name(xlsx, empty_db):
    importer.import_file(empty_db, xlsx({"s": case_rows(["110/07", "一課", "a", 1], ["110/07", "第1課", "b", 1],
                                                        ["110/07", "嘉辦", "a", 1], ["110/07", "秘 書 室(研考)", "a", 1])}))
    units = sorted({u for (u,) in table(empty_db, "case_volumes", "unit")})
    assert units == ["嘉義辦事處", "秘書室", "第一課"]


def test_dimensions_by_name_code_or_number(xlsx, empty_db):
    rows = [["年度", "構面", "項目", "配分", "自評分數"], ["110", "基礎服務", "甲", 100, 90], ["110年", "構面二", "乙", 100, 80],
            ["民國110年", 3, "丙", 100, 70], [110, "構面四：服務評價", "丁", 100, 60], [110, "5", "戊", 50, 40]]
    importer.import_file(empty_db, xlsx({"構面": rows}))
    assert table(empty_db, "dimension_scores", "dimension", "dim_order") == [
        ("基礎服務",), ("服務遞送",), ("服務量能",), ("服務評價",), ("開放創新",)]


def test_phone_tests_pass_marks_computed_total_and_unknown_items(xlsx, empty_db):
    rows = [["測試日期", "受測單位", "測試類型", "接聽速度", "態度語氣", "禮貌用語", "是否合格"],
            ["110.4.1", "一課", "內部測試", 40, 45, 10, None],      # 95, no mark: computed pass
            ["110.4.2", "二課", "高雄分局互測", 20, 30, 10, None],  # 60: fail
            ["110.4.3", "三課", "內部", 40, 40, 5, "V"]]
    result = importer.import_file(empty_db, xlsx({"電話": rows}))
    got = table(empty_db, "phone_tests", "unit, test_type, partner, total, passed", "test_date")
    assert got == [("第一課", "內部測試", None, 95.0, True), ("第二課", "跨分局互測", "高雄分局", 60.0, False),
                   ("第三課", "內部測試", None, 85.0, True)]
    items = {i for (i,) in table(empty_db, "phone_test_items", "DISTINCT item")}
    assert items == {"接聽速度", "態度語氣", "禮貌用語"}
    assert any("禮貌用語" in line for line in result.notices)


def test_several_datasets_in_one_workbook_and_a_skipped_instructions_sheet(xlsx, empty_db):
    path = xlsx({"說明": [["請依格式填寫"]], "案件": case_rows(["110/07", "第一課", "線上申辦", 5]),
                 "問卷": survey_rows(["110/07/17", "本分局", 5, 5, 5, 5, 5, 5]),
                 "封面": [["臺南分局"], ["110 年"]]})
    result = importer.import_file(empty_db, path)
    assert result.rows_by_dataset == {"case_volumes": 1, "survey_responses": 1}
    assert any("說明" in line and "略過" in line for line in result.notices)
    assert any("封面" in line and "略過" in line for line in result.notices)


def test_formula_looking_text_stays_text(xlsx, empty_db):
    importer.import_file(empty_db, xlsx({"s": case_rows(["110/07", "第一課", "=HYPERLINK(\"x\")", 5])}))
    assert table(empty_db, "case_volumes", "case_type") == [('=HYPERLINK("x")',)]


def test_ods_workbook(tmp_path, empty_db):
    path = tmp_path / "ods_book.ods"
    frame = pd.DataFrame([["110/07", "一課", "線上申辦", "1,200"], ["110/08", "嘉辦", "線上申辦", 30]],
                         columns=["年月", "單位", "案件類別", "件數"])
    with pd.ExcelWriter(path, engine="odf") as writer:
        pd.DataFrame([["臺南分局 案件量"]]).to_excel(writer, sheet_name="案件量", index=False, header=False)
        frame.to_excel(writer, sheet_name="案件量", index=False, startrow=2)
    importer.import_file(empty_db, path)
    assert table(empty_db, "case_volumes", "unit, count", "month") == [("第一課", 1200), ("嘉義辦事處", 30)]


def test_old_xls_workbook(tmp_path, empty_db):
    path = tmp_path / "old.xls"
    wb = xlwt.Workbook()
    ws = wb.add_sheet("問卷")
    for r, row in enumerate(survey_rows(["110/07/17", "斗辦", 5, 4, 4, 4, 4, "滿意"])):
        for c, value in enumerate(row):
            ws.write(r + 2, c, value)
    ws.write(0, 0, "滿意度調查")
    wb.save(str(path))
    importer.import_file(empty_db, path)
    assert table(empty_db, "survey_responses", "office, overall") == [("斗六辦事處", 4)]


@pytest.mark.parametrize("encoding", ["cp950", "utf-8-sig", "utf-8"])
def test_csv_in_big5_and_utf8_with_or_without_bom(tmp_path, empty_db, encoding):
    path = tmp_path / f"cases_{encoding}.csv"
    text = "年月,單位,案件類別,件數\r\n110/07,斗辦,線上申辦,\"1,234\"\r\n110/07,第二課,檢舉申訴,9\r\n"
    path.write_bytes(text.encode(encoding))
    importer.import_file(empty_db, path)
    assert table(empty_db, "case_volumes", "unit, case_type, count", "count") == [
        ("第二課", "檢舉申訴", 9), ("斗六辦事處", "線上申辦", 1234)]
