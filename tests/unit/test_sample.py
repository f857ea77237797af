"""The bundled sample reproduces the ROC 110 report (the seed). Every expected number
below is typed from docs/seed/110-tainan-report.txt, not taken from the code."""

import pytest

from analytics import importer, yearly, sample


@pytest.fixture(scope="module")
def stats(sample_con):
    return yearly.by_year(sample_con)


def test_sample_spans_roc_108_to_113(stats):
    for dataset in ("case_volumes", "survey_responses", "phone_tests", "dimension_scores"):
        assert sorted(stats[dataset]) == [str(y) for y in range(2019, 2025)]


def test_seed_case_figures_for_roc_110(stats):
    by = stats["case_volumes"]["2021"]["by_category"]
    assert by["線上申辦"] == 4198          # 線上申辦、免臨櫃繳費 4,198 件
    assert by["傳真電郵送件"] == 357       # 以傳真或 E-mail 傳送申請案件計 357 件
    assert by["系統傳送紀錄表"] == 1593    # 系統傳送紀錄表 1,593 件
    assert by["免印紙本送件"] == 3025      # 免印紙本送件單 3,025 件
    assert by["量桶檢定"] == 73            # 量桶 73 具
    assert by["教育訓練"] == 83            # 83 場次
    assert by["義務監視員反映"] == 264     # 義務監視員反映案件 264 件
    assert by["檢舉申訴"] == 1992          # 檢舉、申訴案件 1,992 件
    assert by["行動支付"] == 512           # 行動支付方式共 512 筆
    assert by["重新檢定通知"] == 3243      # 共通知 3,243 家
    assert by["計量免費檢測"] == 2054      # 免費檢測服務 2,054 具


def test_seed_money_minutes_and_on_time(sample_con):
    row = sample_con.execute("""SELECT sum(amount) FILTER (WHERE case_type = '行動支付'),
                                      sum(minutes_saved) FILTER (WHERE case_type = '量桶檢定'),
                                      min(month) FILTER (WHERE case_type = '量桶檢定'),
                                      sum(on_time) FILTER (WHERE case_type = '檢舉申訴'),
                                      sum(on_time) FILTER (WHERE case_type = '義務監視員反映')
                               FROM case_volumes WHERE year(month) = 2021""").fetchone()
    assert row[0] == 2_712_840             # 金額共新臺幣 271 萬 2,840 元
    assert row[1] == 803                   # 檢定時程節省 803 分鐘
    assert (row[2].year, row[2].month) == (2021, 9)   # 110 年 9 月起
    assert row[3] == 1992 and row[4] == 264           # 均依限回覆


def test_seed_survey_figures(stats):
    survey = stats["survey_responses"]["2021"]
    assert survey["responses"] == 548      # 共發出問卷 548 份
    assert survey["issued"] == 548
    assert survey["satisfied_rate"] > 0.98  # 總滿意度達 9 成 8 以上


def test_seed_phone_tests(sample_con, stats):
    assert stats["phone_tests"]["2021"]["tests"] == 96
    kinds = dict(sample_con.execute("""SELECT test_type, count(*) FROM phone_tests WHERE year(test_date) = 2021
                                      GROUP BY 1""").fetchall())
    assert kinds == {"內部測試": 48, "跨分局互測": 48}   # 內部 48 人次，與高雄分局互測 48 人次
    partners = {p for (p,) in sample_con.execute(
        "SELECT DISTINCT partner FROM phone_tests WHERE test_type = '跨分局互測'").fetchall()}
    assert partners == {"高雄分局"}


def test_seed_dimensions(sample_con, stats):
    assert stats["dimension_scores"]["2021"]["max_total"] == 1000
    points = dict(sample_con.execute("""SELECT dimension, sum(points) FROM dimension_scores WHERE year = 2021
                                       GROUP BY 1""").fetchall())
    assert points == {"基礎服務": 200, "服務遞送": 300, "服務量能": 200, "服務評價": 200, "開放創新": 100}


def test_sample_is_messy_like_real_sheets(built_sample):
    """It exercises the importer: notices for skipped sheets and total rows."""
    parsed = importer.parse_file(built_sample)
    texts = parsed.notice_texts()
    assert any("說明" in t and "略過" in t for t in texts)
    assert any("合計列" in t for t in texts)
    assert not parsed.problems


def test_committed_sample_matches_the_script(built_sample):
    """data/sample/ holds what the script writes (same cells, same figures)."""
    committed = importer.parse_file(sample.sample_path())
    fresh = importer.parse_file(built_sample)
    assert committed.rows_by_dataset() == fresh.rows_by_dataset()
    for name, parts in fresh.frames().items():
        for table, frame in parts.items():
            assert committed.frames()[name][table].equals(frame), table

