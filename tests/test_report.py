"""The results report, built from the data. Expected figures are typed from the seed
(../shared/seed/) or summed here by hand."""
import io
import os
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest

from analytics import importer, report, sample, store
from conftest import ROOT, case_rows, survey_rows


@pytest.fixture(scope="module")
def sample_con(tmp_path_factory):
    path = sample.build(tmp_path_factory.mktemp("r") / sample.SAMPLE_FILE)
    con = store.connect(":memory:")
    importer.import_file(con, path, is_sample=True)
    yield con
    con.close()


def figure(built, key):
    return built.figures.set_index("key").loc[key, "now"]


def test_roc_110_report_shows_the_seed_figures(sample_con):
    built = report.build(sample_con, 2021)
    cases = built.cases.set_index("case_type")["now"]
    assert cases["線上申辦"] == 4198 and cases["傳真電郵送件"] == 357 and cases["系統傳送紀錄表"] == 1593
    assert cases["免印紙本送件"] == 3025 and cases["量桶檢定"] == 73 and cases["教育訓練"] == 83
    assert cases["義務監視員反映"] == 264 and cases["檢舉申訴"] == 1992 and cases["行動支付"] == 512
    assert figure(built, "amount") == 2_712_840             # 新臺幣 271 萬 2,840 元
    assert figure(built, "minutes") == 803                 # 節省 803 分鐘
    assert figure(built, "complaints_on_time") == 1.0      # 均依限回覆
    assert figure(built, "survey_n") == 548                # 問卷 548 份
    assert figure(built, "satisfaction") > 0.98            # 總滿意度達 9 成 8 以上
    assert figure(built, "phone_internal") == 48 and figure(built, "phone_cross") == 48
    assert [d["name"] for d in built.dimensions] == ["基礎服務", "服務遞送", "服務量能", "服務評價", "開放創新"]
    assert [d["points"] for d in built.dimensions] == [200, 300, 200, 200, 100]
    basic = built.dimensions[0]
    assert [i["item"] for i in basic["items"]] == ["服務一致及正確性", "服務友善性"]
    assert any("3,025" in s["results"] for i in basic["items"] for s in i["strategies"])
    assert built.missing == []


def test_every_format_carries_the_figures(sample_con):
    built = report.build(sample_con, 2021)
    page = report.render(built, "html").decode("utf-8")
    assert "4,198" in page and "548" in page and "2,712,840" in page
    assert "@page { size: A4" in page and "page-break-before: always" in page
    assert page.count('class="dimension"') == 5
    wb = openpyxl.load_workbook(io.BytesIO(report.render(built, "xlsx")))
    assert wb.sheetnames == ["摘要", "案件量", "基礎服務", "服務遞送", "服務量能", "服務評價", "開放創新"]
    cells = {c for row in wb["基礎服務"].iter_rows(values_only=True) for c in row if c}
    assert "服務一致及正確性" in cells and any("3,025" in str(c) for c in cells)
    ods = pd.read_excel(io.BytesIO(report.render(built, "ods")), sheet_name=None, engine="calamine")
    assert list(ods) == wb.sheetnames


def test_half_year_counts_only_january_to_june(xlsx, empty_db):
    importer.import_file(empty_db, xlsx({
        "案件": case_rows(["110/01", "第一課", "甲", 10], ["110/06", "第一課", "甲", 20], ["110/07", "第一課", "甲", 400],
                         ["110/12", "第一課", "甲", 800], ["109/03", "第一課", "甲", 5]),
        "問卷": survey_rows(["110/06/30", "本分局", 5, 5, 5, 5, 5, 5], ["110/07/01", "本分局", 1, 1, 1, 1, 1, 1]),
    }))
    half = report.build(empty_db, 2021, half=1)
    assert figure(half, "case_total") == 10 + 20
    assert half.figures.set_index("key").loc["case_total", "before"] == 5      # 109 January–June
    assert figure(half, "survey_n") == 1 and figure(half, "satisfaction") == 1.0
    whole = report.build(empty_db, 2021)
    assert figure(whole, "case_total") == 10 + 20 + 400 + 800
    assert "上半年" in half.title


def test_a_year_with_missing_datasets_says_what_is_missing(xlsx, empty_db):
    importer.import_file(empty_db, xlsx({"案件": case_rows(["110/03", "第一課", "甲", 10])}))
    built = report.build(empty_db, 2021)
    assert set(built.missing) == {"survey_responses", "phone_tests", "dimension_scores", "strategies"}
    lines = report.missing_lines(built)
    assert any("滿意度問卷" in line for line in lines) and any("執行策略" in line for line in lines)
    page = report.render(built, "html").decode("utf-8")
    assert "本期沒有電話禮貌測試資料" in page
    assert report.render(built, "xlsx") and report.render(built, "ods")


def test_report_command(tmp_path):
    db = tmp_path / "r.duckdb"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "analytics", "import", str(sample.sample_path()), "--db", str(db)],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    out = tmp_path / "r.xlsx"
    done = subprocess.run([sys.executable, "-m", "analytics", "report", "110", "--half", "1", "--format", "xlsx",
                           "-o", str(out), "--db", str(db)], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    wb = openpyxl.load_workbook(out)
    assert "上半年" in wb["摘要"]["A2"].value


def test_report_html_escapes_what_the_sheets_hold(xlsx, empty_db):
    hostile = "<script>alert('x')</script><img src=x onerror=alert(1)>"
    importer.import_file(empty_db, xlsx({"策略": [["年度", "構面", "項目", "執行策略", "主辦單位", "執行績效與成果"],
                                                [110, "基礎服務", "服務友善性", hostile, "第六課", hostile]]}))
    page = report.render(report.build(empty_db, 2021), "html").decode("utf-8")
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;" in page
