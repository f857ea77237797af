"""A bad workbook writes nothing and says, in the user's language, where and what."""
import pytest

from analytics import importer, problems, store
from analytics.problems import Refused
from conftest import case_rows, survey_rows


def refusal(con, path, lang="zh") -> str:
    with pytest.raises(Refused) as caught:
        importer.import_file(con, path)
    assert con.execute("SELECT count(*) FROM batches").fetchone()[0] == 0
    for t in ("case_volumes", "survey_responses", "phone_tests", "dimension_scores"):
        assert con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] == 0
    return caught.value.render(lang)


def test_likert_six_names_file_sheet_row_column_and_value(xlsx, empty_db):
    path = xlsx({"問卷": [["110年問卷"], *survey_rows(["110/07/17", "本分局", 5, 5, 5, 5, 6, 5])]}, name="survey.xlsx")
    text = refusal(empty_db, path)
    assert "survey.xlsx" in text and "工作表「問卷」" in text
    assert "第 3 列" in text and "G 欄「人員禮貌及服務態度」" in text and "值「6」" in text
    assert "資料庫未做任何變更" in text


def test_negative_count(xlsx, empty_db):
    text = refusal(empty_db, xlsx({"s": case_rows(["110/07", "第一課", "線上申辦", -3])}))
    assert "第 2 列 D 欄「件數」" in text and "值「-3」" in text and "負數" in text


def test_month_thirteen(xlsx, empty_db):
    text = refusal(empty_db, xlsx({"s": case_rows(["110/13", "第一課", "線上申辦", 3])}))
    assert "A 欄「年月」" in text and "110/13" in text and "1 至 12" in text


def test_score_above_its_points(xlsx, empty_db):
    rows = [["年度", "構面", "項目", "配分", "自評分數"], [110, "基礎服務", "服務友善性", 100, 120]]
    text = refusal(empty_db, xlsx({"構面": rows}))
    assert "E 欄「自評分數」" in text and "高於配分" in text


def test_unknown_dimension(xlsx, empty_db):
    rows = [["年度", "構面", "項目", "配分", "自評分數"], [110, "服務創意", "甲", 100, 80], [110, "構面九", "乙", 100, 80]]
    text = refusal(empty_db, xlsx({"構面": rows}))
    assert "服務創意" in text and "構面九" in text and "不是已知的構面" in text and "基礎服務" in text


def test_missing_required_column(xlsx, empty_db):
    text = refusal(empty_db, xlsx({"案件量": [["年月", "單位", "案件類別"], ["110/07", "第一課", "線上申辦"]]}))
    assert "缺少必要欄位「件數」" in text and "案件量" in text


def test_blank_required_value(xlsx, empty_db):
    text = refusal(empty_db, xlsx({"s": case_rows(["110/07", None, "線上申辦", 3])}))
    assert "第 2 列 B 欄「單位」" in text and "必填欄位空白" in text


def test_same_record_twice_in_one_file(xlsx, empty_db):
    text = refusal(empty_db, xlsx({"s": case_rows(["110/07", "第一課", "線上申辦", 3], ["110/07", "一課", "線上申辦", 4])}))
    assert "第 3 列" in text and "與第 2 列重複" in text


def test_every_problem_listed_capped_with_a_count_of_the_rest(xlsx, empty_db):
    rows = case_rows(*(["110/07", "第一課", f"類別{i}", "x"] for i in range(50)))
    with pytest.raises(Refused) as caught:
        importer.import_file(empty_db, xlsx({"s": rows}))
    text = caught.value.render("zh")
    assert caught.value.total == 50
    assert text.count("不是數字") == problems.SHOWN
    assert f"另有 {50 - problems.SHOWN} 項問題" in text


def test_one_bad_sheet_refuses_the_whole_workbook(xlsx, empty_db):
    path = xlsx({"好": case_rows(["110/07", "第一課", "線上申辦", 3]),
                 "壞": survey_rows(["110/07/17", "本分局", 5, 5, 5, 5, 5, "非常好"])})
    text = refusal(empty_db, path)
    assert "工作表「壞」" in text


def test_message_in_english_when_asked(xlsx, empty_db):
    text = refusal(empty_db, xlsx({"s": case_rows(["110/07", "第一課", "線上申辦", -3])}, name="cases.xlsx"), "en")
    assert 'File "cases.xlsx" was not imported' in text
    assert 'row 2' in text and 'column D "件數"' in text and "must not be negative" in text


def test_workbook_with_no_dataset_is_refused(xlsx, empty_db):
    text = refusal(empty_db, xlsx({"說明": [["沒有資料"]]}))
    assert "沒有可辨識的資料" in text


def test_refusal_leaves_earlier_data_untouched(xlsx, empty_db):
    good = xlsx({"s": case_rows(["110/07", "第一課", "線上申辦", 3])})
    importer.import_file(empty_db, good)
    bad = xlsx({"s": case_rows(["110/07", "第一課", "線上申辦", 9], ["110/08", "第一課", "線上申辦", -1])})
    with pytest.raises(Refused):
        importer.import_file(empty_db, bad)
    assert empty_db.execute("SELECT count, batch_id FROM case_volumes").fetchall() == [(3, 1)]
    assert len(store.history(empty_db)) == 1
