"""The results report, built from the data, in every format. Expected figures are typed
from the seed (docs/seed/110-tainan-report.txt) or summed here by hand."""
import io
import re
import unicodedata
import zipfile

import pytest
from docx import Document
from odf import opendocument
from odf import style as odf_style
from odf import table as odf_table
from odf import text as odf_text

from analytics import wording, importer, report, store
from conftest import case_rows, survey_rows
from report_files import (UNPRINTABLE, parse_html, read, read_docx, read_html, read_ods, read_odt, read_xlsx,
                          sheet_row)

DOCUMENTS = {"odt": read_odt, "docx": read_docx, "html": read_html}
SHEETS = {"xlsx": read_xlsx, "ods": read_ods}
DASH = "–"


@pytest.fixture(scope="module")
def roc110(sample_report):
    made = sample_report(2021)
    return made.built, {fmt: made.file(fmt) for fmt in report.FORMATS}


def now(built, key):
    return built.figure(key).value


# ------------------------------------------------------------------ what the report says

def test_roc_110_report_holds_the_seed_figures(roc110):
    built, _ = roc110
    cases = {c.name: c.value for c in built.cases}
    assert cases["線上申辦"] == 4198 and cases["傳真電郵送件"] == 357 and cases["系統傳送紀錄表"] == 1593
    assert cases["免印紙本送件"] == 3025 and cases["量桶檢定"] == 73 and cases["教育訓練"] == 83
    assert cases["義務監視員反映"] == 264 and cases["檢舉申訴"] == 1992 and cases["行動支付"] == 512
    assert now(built, "amount") == 2_712_840             # 新臺幣 271 萬 2,840 元
    assert now(built, "minutes") == 803                  # 節省 803 分鐘
    assert now(built, "complaints") == 264 + 1992        # 義務監視員反映 + 檢舉、申訴
    assert now(built, "complaints_on_time") == 1.0       # 均依限回覆
    assert built.figure("complaints_on_time").before is not None     # compared with the year before
    assert now(built, "survey_n") == 548                 # 問卷 548 份
    assert now(built, "satisfaction") > 0.98             # 總滿意度達 9 成 8 以上
    assert now(built, "phone_internal") == 48 and now(built, "phone_cross") == 48
    assert [d.name for d in built.dimensions] == ["基礎服務", "服務遞送", "服務量能", "服務評價", "開放創新"]
    assert [d.points for d in built.dimensions] == [200, 300, 200, 200, 100]
    basic = built.dimensions[0]
    assert [i.name for i in basic.items] == ["服務一致及正確性", "服務友善性"]
    assert any("3,025" in s.results for i in basic.items for s in i.strategies)
    assert built.missing == [] and built.sample
    assert built.title == "經濟部標準檢驗局臺南分局 110 年度提升服務效能執行績效與成果"
    # the sample's targets: 整體滿意度 95 %, met at over 98 %
    assert built.figure("satisfaction").target.target == 0.95 and built.figure("satisfaction").target.state == "met"
    assert built.figure("phone_pass_rate").target.target == 0.9


def test_directions_come_from_the_kpis(roc110):
    built, files = roc110
    assert built.figure("case_total").verdict == "workload"      # workload: neither good nor bad
    assert built.figure("complaints").verdict == "workload"
    assert built.figure("satisfaction").verdict == "better"     # 96.2 % → 98.5 %
    doc = read_docx(files["docx"])
    for label in ("案件總量", "陳情及檢舉件數"):
        row = doc.row("各項數據", label)
        assert not any(word in cell for cell in row for word in ("較佳", "較差"))
    assert "較佳" in "".join(doc.row("各項數據", "整體滿意度"))


# ------------------------------------------------------------------ every format, opened with its own library

@pytest.mark.parametrize("fmt", list(DOCUMENTS))
def test_each_document_carries_the_seed_figures_and_targets(roc110, fmt):
    _, files = roc110
    doc = DOCUMENTS[fmt](files[fmt])
    for case_type, count in (("線上申辦", "4,198"), ("傳真電郵送件", "357"), ("系統傳送紀錄表", "1,593"),
                             ("免印紙本送件", "3,025"), ("量桶檢定", "73"), ("教育訓練", "83"),
                             ("義務監視員反映", "264"), ("檢舉申訴", "1,992"), ("行動支付", "512")):
        assert doc.row("各類案件量", case_type)[2] == count, case_type
    figures = "各項數據"
    # columns: 項目 | 本期 | 前一年 | 增減 | 評估 | 目標值 | 達成情形 (the period once, above its rows)
    assert doc.row(figures, "線上繳費金額（新臺幣元）")[1] == "2,712,840"
    assert doc.row(figures, "節省作業時間（分鐘）")[1] == "803"
    assert doc.row(figures, "回收問卷份數")[1] == "548"
    assert doc.row(figures, "內部測試人次")[1] == "48" and doc.row(figures, "跨分局互測人次")[1] == "48"
    assert doc.row(figures, "陳情及檢舉依限回覆比例")[1] == "100.0%"
    satisfaction = doc.row(figures, "整體滿意度")
    assert float(satisfaction[1].rstrip("%")) > 98
    assert satisfaction[5] == "95.0% 以上" and satisfaction[6] == "○ 達成"       # target, met in words and a mark
    # beside each dimension: its figures, with targets
    assert doc.row("構面一：基礎服務（200 分）　相關數據", "電話禮貌合格率")[5] == "90.0% 以上"
    assert doc.row("構面四：服務評價（200 分）　相關數據", "整體滿意度")[5] == "95.0% 以上"


@pytest.mark.parametrize("fmt", list(DOCUMENTS))
def test_each_document_is_in_the_seeds_layout(roc110, fmt):
    _, files = roc110
    doc = DOCUMENTS[fmt](files[fmt])
    text = doc.text
    assert "經濟部標準檢驗局臺南分局 110 年度提升服務效能執行績效與成果" in doc.first_page
    assert "示範資料" in doc.first_page
    sections = ["壹、計畫依據", "貳、計畫目標", "參、實施對象", "肆、執行策略及具體推動作法", "伍、實施步驟", "陸、考核作業",
                "柒、獎勵方式", "捌、本計畫如有未盡事宜"]
    at = [text.find(s) for s in sections]
    assert all(i >= 0 for i in at) and at == sorted(at), dict(zip(sections, at))
    assert "院授發社字第1061300008號" in text                # the seed's plan text
    headings = ["構面一：基礎服務（200 分）", "構面二：服務遞送（300 分）", "構面三：服務量能（200 分）",
                "構面四：服務評價（200 分）", "構面五：開放創新（100 分）"]
    strategy_tables = [(c, rows) for c, rows in doc.tables if "執行策略、主辦單位" in c]
    assert [c.split("　")[0] for c, _ in strategy_tables] == headings
    for _, rows in strategy_tables:
        assert [cell for cell in rows[0] if cell] == ["執行策略", "主辦單位", "執行績效與成果"]
    caption, rows = strategy_tables[0]
    assert rows[1][0] == "（一）服務一致及正確性" and rows[1][1].startswith("1.訂定申辦業務標準作業流程")
    assert "3,025" in rows[1][3]


def test_odt_is_a4_with_a_cjk_font_page_numbers_and_repeated_headers(roc110):
    _, files = roc110
    doc = opendocument.load(io.BytesIO(files["odt"]))
    layout = doc.automaticstyles.getElementsByType(odf_style.PageLayoutProperties)[0]
    assert (layout.getAttribute("pagewidth"), layout.getAttribute("pageheight")) == ("21cm", "29.7cm")
    assert any(p.getAttribute("fontnameasian") == "Noto Sans CJK TC" and p.getAttribute("countryasian") == "TW"
               for p in doc.styles.getElementsByType(odf_style.TextProperties))
    footer = doc.masterstyles.getElementsByType(odf_style.Footer)[0]
    assert footer.getElementsByType(odf_text.PageNumber) and footer.getElementsByType(odf_text.PageCount)
    tables = doc.text.getElementsByType(odf_table.Table)
    assert tables and all(t.getElementsByType(odf_table.TableHeaderRows) for t in tables)


def test_docx_is_a4_with_a_cjk_font_page_numbers_and_repeated_headers(roc110):
    _, files = roc110
    doc = Document(io.BytesIO(files["docx"]))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    fonts = doc.styles["Normal"].element.rPr.find("{*}rFonts")
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "Noto Sans CJK TC"
    footer = section.footer._element.xml
    assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer
    assert "示範資料" in section.header._element.xml
    assert doc.tables and all(t.rows[0]._tr.trPr.find("{*}tblHeader") is not None for t in doc.tables)
    assert all(t._tbl.tblPr.find("{*}tblCaption") is not None for t in doc.tables)


@pytest.mark.parametrize("fmt", list(SHEETS))
def test_each_workbook_holds_numbers_as_numbers(roc110, fmt):
    _, files = roc110
    book = SHEETS[fmt](files[fmt])
    assert list(book) == ["摘要", "案件量", "基礎服務", "服務遞送", "服務量能", "服務評價", "開放創新", "統計製程管制摘要"]
    summary = book["摘要"]
    assert summary[0][0] == "經濟部標準檢驗局臺南分局 110 年度提升服務效能執行績效與成果"    # the title, no stray 項目 cell
    assert "示範資料" in summary[1][0]
    cases = book["案件量"]
    for case_type, count in (("線上申辦", 4198), ("傳真電郵送件", 357), ("系統傳送紀錄表", 1593), ("免印紙本送件", 3025),
                             ("量桶檢定", 73), ("教育訓練", 83), ("義務監視員反映", 264), ("檢舉申訴", 1992),
                             ("行動支付", 512)):
        value = sheet_row(cases, case_type)[2]
        assert isinstance(value, (int, float)) and value == count, case_type
    # columns: 項目 | 本期 | 前一年 | 增減 | 增減率 | 評估 | 目標值 | 達成情形, under a line naming the period
    assert sheet_row(summary, "線上繳費金額（新臺幣元）")[1] == 2_712_840
    assert sheet_row(summary, "節省作業時間（分鐘）")[1] == 803
    assert sheet_row(summary, "回收問卷份數")[1] == 548
    assert sheet_row(summary, "內部測試人次")[1] == 48 and sheet_row(summary, "跨分局互測人次")[1] == 48
    satisfaction = sheet_row(summary, "整體滿意度")
    assert satisfaction[1] > 0.98 and satisfaction[6] == 0.95 and satisfaction[7] == "○ 達成"
    basic = book["基礎服務"]
    assert basic[0][0] == "構面一：基礎服務（200 分）"
    assert any(row and row[0] == "（一）服務一致及正確性" for row in basic)


def test_xlsx_has_bold_headers_and_fitted_columns(roc110):
    import openpyxl
    _, files = roc110
    wb = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))
    ws = wb["案件量"]
    header = next(row for row in ws.iter_rows() if row[0].value == "案件類別")
    assert all(c.font.bold for c in header if c.value)
    assert ws.column_dimensions["A"].width >= len("系統傳送紀錄表") * 2        # a CJK character is two wide
    assert ws.cell(header[0].row + 1, 3).number_format == "#,##0"
    share = next(row for row in wb["摘要"].iter_rows() if row[0].value == "整體滿意度")
    assert share[2].number_format == "0.0%"


def test_html_is_accessible_by_construction(roc110):
    _, files = roc110
    page = files["html"].decode("utf-8")
    parsed = parse_html(page)
    assert re.search(r'<html lang="zh-Hant', page)
    levels = [level for level, _ in parsed.headings]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels          # no level skipped
    tables = [(tag, a) for tag, a in parsed.attrs if tag == "table"]
    assert len(tables) == len(parsed.tables) and all(caption for caption, _ in parsed.tables)
    assert all("scope" in a for tag, a in parsed.attrs if tag == "th")
    svgs = [a for tag, a in parsed.attrs if tag == "svg"]
    assert svgs and all(a.get("role") == "img" and a.get("aria-labelledby") for a in svgs)
    ids = {a.get("id") for _, a in parsed.attrs}
    assert all(set(a["aria-labelledby"].split()) <= ids for a in svgs)
    assert "基礎服務 85.0%" in page or re.search(r"<desc[^>]*>[^<]*基礎服務 \d+\.\d%", page)
    assert "<script" not in page


# ------------------------------------------------------------------ periods

def test_half_year_counts_january_to_june_and_labels_annual_figures(xlsx, empty_db):
    importer.import_file(empty_db, xlsx({
        "案件": case_rows(["110/01", "第一課", "甲", 10], ["110/06", "第一課", "甲", 20], ["110/07", "第一課", "甲", 400],
                         ["110/12", "第一課", "甲", 800], ["109/03", "第一課", "甲", 5], ["109/09", "第一課", "甲", 70]),
        "問卷": survey_rows(["110/03/01", "本分局", 5, 5, 5, 5, 5, 5], ["110/06/30", "本分局", 4, 4, 4, 4, 4, 4],
                          ["110/07/01", "本分局", 1, 1, 1, 1, 1, 2], ["110/12/20", "本分局", 5, 5, 5, 5, 5, 5]),
        "發放": [["年度", "服務據點", "發出份數"], [110, "本分局", 10]],
        "構面": [["年度", "構面", "項目", "配分", "自評分數"], [110, "基礎服務", "服務一致及正確性", 100, 80],
                [109, "基礎服務", "服務一致及正確性", 100, 70]],
        "目標": [["年度", "指標", "目標值"], [110, "構面自評總分", 75], [110, "案件總量", 1000]],
    }))
    half = report.build(empty_db, 2021, half=1)
    assert "上半年" in half.title
    total = half.figure("case_total")
    assert (total.value, total.before) == (10 + 20, 5)                # 109 January–June only
    assert "上半年" in wording.versus(total) and "同期" in wording.versus(total)
    assert now(half, "survey_n") == 2 and now(half, "satisfaction") == 1.0
    for key, value, before in (("dimension_self", 80, 70), ("response_rate", 4 / 10, None)):
        f = half.figure(key)
        assert (f.value, f.before) == (value, before) and f.annual
        said = wording.versus(f)
        assert "年度數據" in said and "同期" not in said and "上半年" not in said
    assert half.figure("dimension_self").target.target == 75      # the year's target for a yearly figure …
    assert half.figure("case_total").target is None               # … but none of the year's for the half
    whole = report.build(empty_db, 2021)
    assert whole.figure("case_total").target.target == 1000 and whole.figure("case_total").target.state == "met"
    assert (now(whole, "case_total"), whole.figure("case_total").before) == (1230, 75)
    text = read("html", report.render(half, "html"))
    assert "民國 110 年 上半年（1–6 月） 與 民國 109 年同期比較" in text


def test_a_partial_latest_year_is_compared_with_the_same_months(xlsx, empty_db):
    rows = [[f"113/{m:02d}", "第一課", "甲", 10] for m in range(1, 13)] + \
           [[f"114/{m:02d}", "第一課", "甲", 12] for m in range(1, 4)]
    importer.import_file(empty_db, xlsx({"案件": case_rows(*rows)}))
    built = report.build(empty_db, 2025)
    total = built.figure("case_total")
    assert (total.value, total.before) == (36, 30)                    # January–March of both years
    assert wording.versus(total) == "民國 114 年 1–3 月 與 民國 113 年同期比較"
    for fmt in ("odt", "docx", "html"):
        assert "民國 114 年 1–3 月 與 民國 113 年同期比較" in read(fmt, report.render(built, fmt)), fmt


def test_complaints_answered_in_time_with_the_year_before(xlsx, empty_db):
    header = ["年月", "單位", "案件類別", "件數", "如期完成件數"]
    importer.import_file(empty_db, xlsx({"案件": [header, ["109/05", "秘書室", "檢舉申訴", 40, 30],
                                                ["110/05", "秘書室", "檢舉申訴", 50, 45],
                                                ["110/05", "秘書室", "義務監視員反映", 10, 10],
                                                ["110/05", "第一課", "線上申辦", 99, None]]}))
    built = report.build(empty_db, 2021)
    rate = built.figure("complaints_on_time")
    assert (rate.value, rate.before) == (55 / 60, 30 / 40) and rate.verdict == "better"
    received = built.figure("complaints")
    assert (received.value, received.before, received.verdict) == (60, 40, "workload")
    # 110: (45 + 10) of (50 + 10) = 91.7 %. 109 held only 檢舉申訴, so the change compares
    # only that type, which both years hold: 45/50 = 90.0 % against 30/40 = 75.0 %, +15.0
    # points; 義務監視員反映 (only in 110) is named as left out. The row shows the part
    # it compares (90.0 − 75.0 = +15.0: it adds up); its note gives the whole, 91.7 %.
    assert rate.compared == 45 / 50 and rate.change == pytest.approx(45 / 50 - 30 / 40)
    row = read_docx(report.render(built, "docx")).row("各項數據", "陳情及檢舉依限回覆比例")
    assert row[1:4] == ["90.0%", "75.0%", "+15.0 個百分點"] and row[4].startswith("▲ 較佳")
    text = read("docx", report.render(built, "docx"))
    assert "只比較兩年都有的案件類別；未計入：義務監視員反映（只有民國 110 年）" in text
    assert "本期全部（含未計入的部分）：91.7%" in text


def test_a_figure_without_a_year_before_shows_a_dash(xlsx, empty_db):
    header = ["年月", "單位", "案件類別", "件數", "節省分鐘"]
    importer.import_file(empty_db, xlsx({"案件": [header, ["109/09", "第四課", "教育訓練", 5, None],
                                                ["110/09", "第四課", "量桶檢定", 73, 803]]}))
    built = report.build(empty_db, 2021)
    minutes = built.figure("minutes")
    assert (minutes.value, minutes.before, minutes.change) == (803, None, None)
    # Nothing in this table was held a year before: no 去年同期 nor change column of
    # dashes only; the assessment says why, and the header says the period once.
    for fmt, reader in DOCUMENTS.items():
        tables = reader(report.render(built, fmt))
        row = tables.row("各項數據", "節省作業時間（分鐘）")
        assert row[1:] == ["803", "– 民國 109 年沒有資料可比較"], fmt
        head = next(rows[0] for caption, rows in tables.tables if "各項數據" in caption)
        assert head == ["項目", "本期\n民國 110 年", "評估"], fmt
    summary = read_xlsx(report.render(built, "xlsx"))["摘要"]
    assert sheet_row(summary, "節省作業時間（分鐘）")[1:] == [803, "– 民國 109 年沒有資料可比較"]
    assert sheet_row(summary, "項目")[1] == "本期（民國 110 年）"


# ------------------------------------------------------------------ edge data: nothing unprintable, ever

EDGE = {
    # a blank 整體滿意度 column (n = 0), one dimension row, no phone tests, no year before, a target
    "blank_overall": {
        "案件": case_rows(["110/02", "第一課", "甲", 0]),
        "問卷": survey_rows(["110/02/03", "本分局", 5, 4, None, None, None, None],
                          ["110/02/04", "本分局", None, None, None, None, None, None]),
        "構面": [["年度", "構面", "項目", "配分", "自評分數"], [110, "基礎服務", "服務一致及正確性", 100, 85]],
        "目標": [["年度", "指標", "目標值"], [110, "整體滿意度", 0.95], [110, "電話禮貌合格率", 0.9]],
    },
    # n = 1 everywhere, and the year before holds zeros
    "one_of_each": {
        "案件": case_rows(["110/02", "第一課", "甲", 1], ["109/02", "第一課", "甲", 0]),
        "問卷": survey_rows(["110/02/03", "本分局", 5, 4, 3, 2, 1, 5]),
        "電話": [["測試日期", "受測單位", "測試類型", "總分"], ["110/04/01", "第一課", "內部測試", 79]],
        "策略": [["年度", "構面", "項目", "執行策略", "主辦單位", "執行績效與成果"],
                [110, "開放創新", "創新服務", "試辦", "第六課", None]],
    },
}


@pytest.mark.parametrize("scenario", list(EDGE))
def test_no_format_ever_prints_nan_none_inf_or_nat(xlsx, empty_db, scenario):
    importer.import_file(empty_db, xlsx(EDGE[scenario]))
    for year, half in ((2021, None), (2021, 1), (2020, None), (2022, None)):
        built = report.build(empty_db, year, half)
        for fmt in report.FORMATS:
            text = read(fmt, report.render(built, fmt))
            assert not UNPRINTABLE.search(text), (scenario, year, half, fmt, UNPRINTABLE.search(text))
    if scenario == "blank_overall":
        built = report.build(empty_db, 2021)
        assert built.figure("satisfaction").value is None and built.figure("satisfaction").target.state == "no_data"
        assert "phone_tests" in built.missing


def test_the_english_report_says_the_same_in_english(sample_report):
    made = sample_report(2021, 1, "en")
    assert made.built.title.endswith("first half of ROC 110 (2021)")
    for fmt in report.FORMATS:
        text = read(fmt, made.file(fmt))
        assert "示範資料" in text and "Target met" in text and not UNPRINTABLE.search(text), fmt
    assert '<html lang="en"' in made.file("html").decode("utf-8")


def test_an_empty_database_still_makes_every_format(empty_db):
    built = report.build(empty_db, 2021)
    assert {"case_volumes", "survey_responses", "phone_tests", "dimension_scores", "strategies", "plan_text"} \
        == set(built.missing)
    for fmt in report.FORMATS:
        text = read(fmt, report.render(built, fmt))
        assert "本期沒有電話禮貌測試資料" in text and not UNPRINTABLE.search(text)
        assert "示範資料" not in text


# ------------------------------------------------------------------ 示範資料 and the plan text

def test_real_data_reports_carry_no_sample_mark(xlsx, empty_db):
    importer.import_file(empty_db, xlsx({"案件": case_rows(["110/03", "第一課", "甲", 10])}))
    built = report.build(empty_db, 2021)
    assert not built.sample and "plan_text" in built.missing
    for fmt in report.FORMATS:
        assert "示範資料" not in read(fmt, report.render(built, fmt)), fmt
    assert any("計畫內容" in line for line in report.missing_lines(built))


PLAN = [["年度", "章節", "內容"], [110, "機關名稱", "經濟部標準檢驗局測試分局"],
        [110, "壹、計畫依據", "一、第一項依據。"], [110, "壹、計畫依據", "二、第二項依據。"],
        [110, "實施步驟", "一、各單位切實執行。"], [110, "捌", "本計畫如有未盡事宜，得修正之。"]]


def test_the_plan_text_comes_from_its_sheet(xlsx, empty_db):
    importer.import_file(empty_db, xlsx({"計畫內容": PLAN}))
    built = report.build(empty_db, 2021)
    assert built.title.startswith("經濟部標準檢驗局測試分局 110 年度")
    doc = read_odt(report.render(built, "odt"))
    order = [doc.text.find(s) for s in ("壹、計畫依據", "一、第一項依據。", "二、第二項依據。", "肆、",
                                         "伍、實施步驟", "捌、本計畫如有未盡事宜，得修正之。")]
    assert all(i >= 0 for i in order) and order == sorted(order)
    corrected = xlsx({"計畫內容": [PLAN[0], [110, "壹、計畫依據", "一、修正後唯一依據。"]]})
    batch = importer.import_file(empty_db, corrected).batch_id
    text = read("docx", report.render(report.build(empty_db, 2021), "docx"))
    assert "一、修正後唯一依據。" in text and "第二項依據" not in text and "伍、實施步驟" in text
    store.undo_batch(empty_db, batch)
    assert "二、第二項依據。" in read("html", report.render(report.build(empty_db, 2021), "html"))


def test_the_samples_plan_text_goes_through_a_sheet_unchanged(xlsx, empty_db):
    from analytics import plans as plan
    importer.import_file(empty_db, xlsx({"計畫內容": [["年度", "章節", "內容"], *plan.sample_rows()]}))
    stored, bundled = plan.stored_plan(empty_db, 2021), plan.sample_plan()
    assert stored.branch == bundled.branch == "經濟部標準檢驗局臺南分局" and not stored.from_sample
    same = lambda sections: [(s.number, s.title, [unicodedata.normalize("NFKC", p) for p in s.paragraphs])
                             for s in sections]
    assert same(stored.sections) == same(bundled.sections)
    assert [s.number for s in stored.sections] == list("壹貳參肆伍陸柒捌")


def test_text_a_spreadsheet_would_run_stays_text(xlsx, empty_db):
    hostile = "=HYPERLINK(\"http://x\",\"y\")"
    importer.import_file(empty_db, xlsx({"策略": [["年度", "構面", "項目", "執行策略", "主辦單位", "執行績效與成果"],
                                                [110, "基礎服務", "服務友善性", hostile, "第六課", hostile]]}))
    built = report.build(empty_db, 2021)
    import openpyxl
    wb = openpyxl.load_workbook(io.BytesIO(report.render(built, "xlsx")))
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.data_type == "s" for c in cells)
    content = zipfile.ZipFile(io.BytesIO(report.render(built, "ods"))).read("content.xml").decode("utf-8")
    assert "HYPERLINK" in content and "table:formula" not in content


def test_report_html_escapes_what_the_sheets_hold(tmp_path, empty_db):
    hostile = "<script>alert('x')</script><img src=x onerror=alert(1)>\x07\x1b[31m"   # a CSV may hold control characters
    path = tmp_path / "策略.csv"
    path.write_text("年度,構面,項目,執行策略,主辦單位,執行績效與成果\n"
                    f'110,基礎服務,服務友善性,"{hostile}",第六課,"{hostile}"\n', encoding="utf-8")
    importer.import_file(empty_db, path)
    built = report.build(empty_db, 2021)
    page = report.render(built, "html").decode("utf-8")
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;" in page
    assert "\x07" not in page and "\x1b" not in page
    for fmt in ("odt", "docx", "xlsx", "ods"):                    # still files their readers open
        assert "<script>" in read(fmt, report.render(built, fmt)), fmt


# ------------------------------------------------------------------ the command line

def test_outputs_for_the_report_page(sample_con):
    out = report.outputs(sample_con, 2021, None, "zh")
    assert set(report.FORMATS) <= set(out) and out["sample"] is True and out["missing"] == []
    assert out["mime"]["odt"] == "application/vnd.oasis.opendocument.text"
    assert out["mime"]["docx"].endswith("wordprocessingml.document")
    assert out["file"] == "經濟部標準檢驗局臺南分局_110_年度提升服務效能執行績效與成果"


def test_an_english_report_file_name_has_one_separator_between_words(sample_con):
    """"… — service-efficiency results, ROC 110 (2021)" named the file
    …__service-efficiency_results,_ROC_110…: one _ between words, no comma."""
    name = report.outputs(sample_con, 2021, None, "en")["file"]
    assert "__" not in name and "," not in name and " " not in name and "_ROC_110" in name, name


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_format_has_the_process_behaviour_appendix(xlsx, empty_db, lang):
    # 112: twelve months near 100 (97–103); 113: twelve near 150. Mean ≈ 125 and the mean
    # moving range ≈ (22 × 2.6 + 50) / 23 ≈ 4.7, so the limits are 125 ± 2.66 × 4.7 ≈ 113–137:
    # every 113 month lies above the upper limit — a special cause, high (cases are
    # workload: never "improvement").
    low = [100, 102, 98, 101, 99, 100, 103, 97, 100, 101, 99, 100]
    rows = [[f"112/{m + 1:02d}", "第一課", "甲", v] for m, v in enumerate(low)] + \
           [[f"113/{m + 1:02d}", "第一課", "甲", v + 50] for m, v in enumerate(low)]
    importer.import_file(empty_db, xlsx({"案件": case_rows(*rows)}))
    built = report.build(empty_db, 2024, lang=lang)
    total = next(b for b in built.behaviour if b["name"] == ("案件總量" if lang == "zh" else "Cases"))
    assert total["points"] == 24
    heading, high = ("統計製程管制摘要", "特殊原因：偏高") if lang == "zh" else ("Process behaviour summary",
                                                                          "special cause: high")
    assert total["variation"].lower() == high.lower() and total["variation_mark"] == "▲"
    for fmt in report.FORMATS:
        text = read(fmt, report.render(built, fmt))
        assert heading in text and high.lower() in text.lower(), fmt
    for fmt, reader_of in (("xlsx", read_xlsx), ("ods", read_ods)):       # the points as a number cell
        rows = reader_of(report.render(built, fmt))[heading]
        row = next(r for r in rows if r and r[0] == ("案件總量" if lang == "zh" else "Cases"))
        assert 24 in row and "24" not in row, (fmt, row)


def test_the_appendix_gives_each_case_types_processing_days(xlsx, empty_db):
    """平均處理天數 is charted per case type (no average of averages): the appendix lists
    each type's, beside the KPIs as a whole."""
    rows = [[f"{112 + m // 12}/{m % 12 + 1:02d}", "第一課", kind, 10, None, None, None, days]
            for m in range(24) for kind, days in (("甲", 2.0 + (m % 3) / 10), ("乙", 5.0 + (m % 2) / 10))]
    header = ["年月", "單位", "案件類別", "件數", "申辦管道", "計量單位", "如期完成件數", "平均處理天數"]
    importer.import_file(empty_db, xlsx({"案件": [header, *rows]}))
    built = report.build(empty_db, 2024)
    names = [b["name"] for b in built.behaviour]
    assert "甲平均處理天數" in names and "乙平均處理天數" in names, names
    assert "統計製程管制摘要" in read("html", report.render(built, "html"))


def test_an_english_report_names_known_dimensions_in_english_with_english_punctuation(sample_report):
    """The five dimensions are names the dashboard knows in English: the English report
    says them so (they read 「基礎服務： self score」, joined with 、 and ；)."""
    text = read("html", sample_report(2021, lang="en").file("html"))
    assert "Dimension 1: Basic service (200 points)" in text
    assert "Basic service: self score" in text and "基礎服務：" not in text
    assert "Self-score rate by dimension, ROC 110 (2021): Basic service " in text
    line = next(x for x in text.splitlines() if x.startswith("Self-score rate by dimension, ROC 110 (2021):"))
    assert "、" not in line, line
    assert "200 points; self " in text and "points ；" not in text
