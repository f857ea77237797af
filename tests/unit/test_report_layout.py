"""The report as the seed lays it out, from a branch's own data (issue 20): sections 壹–捌
always there, the missing plan text named with how to add it; figure tables that say
their period once, in the header, with only the columns that hold something; numbered
points each its own paragraph; no line break possible inside a number in the .docx and
.odt; Chinese marked as Chinese in the English HTML report."""
import io
import re
import zipfile

import pytest
from docx import Document
from odf import opendocument
from odf import table as odf_table
from odf import teletype
from odf import text as odf_text

from analytics import blank_workbooks, importer, report
from conftest import case_rows
from report_files import parse_html, read, read_docx, read_html, read_odt, read_xlsx

DOCUMENTS = {"odt": read_odt, "docx": read_docx, "html": read_html}
DASH = "–"
HEADINGS = ["壹、計畫依據", "貳、計畫目標", "參、實施對象", "肆、執行策略及具體推動作法", "伍、實施步驟", "陸、考核作業",
            "柒、獎勵方式", "捌、"]
STRATEGY_HEADER = ["年度", "構面", "項目", "執行策略", "主辦單位", "執行績效與成果"]
# A result as a clerk types it in one cell, its points on lines of their own (the import
# joins a cell's lines into one, as it cleans every text).
RESULT = "於分局網站揭露各類案件標準處理流程：\n（１）驗證登錄案件免印紙本送件單 3,025 件。\n（２）定期檢視品質文件，110 年修訂程序書 20 件。\n（３）試驗室系統傳送紀錄表計 1,593 件。"


@pytest.fixture
def own_data(xlsx, empty_db):
    """A branch's own ROC 110 data, without any plan text."""
    importer.import_file(empty_db, xlsx({
        "案件": case_rows(["110/03", "第一課", "線上申辦", 1593], ["110/04", "第一課", "線上申辦", 2605]),
        "策略": [STRATEGY_HEADER, [110, "基礎服務", "服務一致及正確性", "訂定申辦業務標準作業流程", "第六課、嘉辦", RESULT],
                 [110, "基礎服務", "服務一致及正確性", "提升服務及時性", "第一課", "提供線上申辦 2.0 服務計 4,198 件。"]],
    }))
    return empty_db


def html_headings(data: bytes) -> list[str]:
    return [text for level, text in parse_html(data.decode("utf-8")).headings if level == 2]


# ------------------------------------------------------------------ 壹–捌 without the plan text

def test_without_plan_text_every_section_keeps_its_heading_and_the_report_says_how_to_add_it(own_data):
    built = report.build(own_data, 2021)
    assert "plan_text" in built.missing
    for fmt in ("html", "docx", "odt"):
        text = read(fmt, report.render(built, fmt))
        at = [text.find(h) for h in HEADINGS]
        assert -1 not in at and at == sorted(at), (fmt, dict(zip(HEADINGS, at)))
        first = text[:at[0]]            # before 壹: what is missing and where to get it
        assert "計畫內容" in first and "「資料匯入」" in first and "計畫內容範本" in first, fmt
        assert text.count("尚未匯入") == 7, fmt          # each section but 肆, which the strategies fill
    assert html_headings(report.render(built, "html"))[:8] == HEADINGS[:7] + ["捌、附則"]
    outputs = report.outputs(own_data, 2021)
    assert any("計畫內容範本" in line for line in outputs["missing"])    # the report page shows it too


def test_following_the_instructions_fills_the_sections(own_data, xlsx):
    """The template the notice names, filled in as it says, brings the plan text into the report."""
    template = io.BytesIO(blank_workbooks.blank_workbook("plan_text", "xlsx"))
    import openpyxl
    header = [c.value for c in next(openpyxl.load_workbook(template).worksheets[0].iter_rows(max_row=1))]
    assert header == ["年度", "章節", "內容"]
    importer.import_file(own_data, xlsx({"計畫內容": [header, [110, "機關名稱", "某某分局"],
                                                   [110, "壹、計畫依據", "一、行政院函頒「政府服務躍升方案」。"],
                                                   [110, "貳、計畫目標", "提升為民服務效能。"]]}))
    built = report.build(own_data, 2021)
    assert "plan_text" not in built.missing and built.branch == "某某分局"
    text = read("docx", report.render(built, "docx"))
    assert "一、行政院函頒「政府服務躍升方案」。" in text and "提升為民服務效能。" in text
    assert "計畫內容範本" not in text
    assert text.count("尚未匯入") == 5                    # 參 伍 陸 柒 捌 are still to come


def test_the_english_report_keeps_the_sections_and_says_the_same(own_data):
    built = report.build(own_data, 2021, lang="en")
    headings = html_headings(report.render(built, "html"))
    assert headings[:8] == ["I. Basis of the plan", "II. Objectives", "III. Who the plan covers",
                            "IV. Strategies and how they were carried out", "V. Implementation steps",
                            "VI. Evaluation", "VII. Rewards", "VIII. Final provisions"]
    text = read("docx", report.render(built, "docx"))
    assert ".xlsx: Plan text template" in text and "Import" in text     # the button as the import page labels it


# ------------------------------------------------------------------ figure tables

def figure_tables(tables):
    return [(caption, rows) for caption, rows in tables.tables if "相關數據" in caption or "各項數據" in caption]


@pytest.mark.parametrize("fmt", list(DOCUMENTS))
def test_figure_tables_say_the_period_once_in_the_header(sample_report, fmt):
    tables = figure_tables(DOCUMENTS[fmt](sample_report(2021).file(fmt)))
    assert len(tables) == 6                               # five dimensions and the appendix
    for caption, (head, *body) in tables:
        # whole years on both sides (a complete year, figures kept per year): 前一年, never 去年同期
        assert head[1] == "本期\n民國 110 年" and head[2] == "前一年\n民國 109 年", caption
        for row in body:
            said = [cell for cell in row if not cell.startswith(DASH + " ")]     # a reason may name a year
            assert not any("民國" in cell or "比較" in cell for cell in said), (caption, row)
            assert len(row) == len(head), (caption, row)       # no row spanning the table to say a period


@pytest.mark.parametrize("fmt", list(DOCUMENTS))
def test_a_half_year_table_says_which_figures_are_whole_years(sample_report, fmt):
    caption, (head, *body) = figure_tables(DOCUMENTS[fmt](sample_report(2021, 1).file(fmt)))[-1]
    assert head[1] == "本期\n民國 110 年 上半年（1–6 月）"
    own = {row[0] for row in body if "民國" in row[0]}     # figures kept per year: the whole years
    assert own == {"問卷回收率（民國 110 年 與 民國 109 年）", "構面自評總分（民國 110 年 與 民國 109 年）",
                   "構面自評得分率（民國 110 年 與 民國 109 年）"}, own


def test_figure_tables_leave_out_columns_of_dashes(xlsx, empty_db):
    """Real data of one year, no targets: 本期 and 評估 only, where seven columns were four dashes."""
    importer.import_file(empty_db, xlsx({"案件": case_rows(["110/03", "第一課", "線上申辦", 1593],
                                                         ["110/12", "第一課", "線上申辦", 2605])}))
    built = report.build(empty_db, 2021)
    for fmt, reader in DOCUMENTS.items():
        for caption, (head, *body) in figure_tables(reader(report.render(built, fmt))):
            assert head == ["項目", "本期\n民國 110 年", "評估"], (fmt, caption)
            for column in range(1, len(head)):
                assert any(row[column] not in ("", DASH) for row in body), (fmt, caption, head[column])
    sheets = read_xlsx(report.render(built, "xlsx"))["摘要"]
    assert ["項目", "本期（民國 110 年）", "評估"] in [[v for v in row if v is not None] for row in sheets]


# ------------------------------------------------------------------ numbered points

POINTS = ["1.於分局網站揭露各類案件標準處理流程：", "(1)驗證登錄案件免印紙本送件單 3,025 件。",
          "(2)定期檢視品質文件，110 年修訂程序書 20 件。", "(3)試驗室系統傳送紀錄表計 1,593 件。"]


def _results_cell_docx(data: bytes) -> list[str]:
    doc = Document(io.BytesIO(data))
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                if cell.text.startswith("1.於分局網站") or cell.text.replace("\u2060", "").startswith("1.於分局網站"):
                    return [p.text.replace("\u2060", "").replace("\u00a0", " ") for p in cell.paragraphs]
    raise AssertionError("no results cell")


def _results_cell_odt(data: bytes) -> list[str]:
    doc = opendocument.load(io.BytesIO(data))
    for cell in doc.text.getElementsByType(odf_table.TableCell):
        paragraphs = [teletype.extractText(p).replace("\u2060", "").replace("\u00a0", " ")
                      for p in cell.getElementsByType(odf_text.P)]
        if paragraphs and paragraphs[0].startswith("1.於分局網站"):
            return paragraphs
    raise AssertionError("no results cell")


def test_numbered_points_are_each_their_own_paragraph(own_data):
    built = report.build(own_data, 2021)
    assert _results_cell_docx(report.render(built, "docx")) == POINTS
    assert _results_cell_odt(report.render(built, "odt")) == POINTS
    row = read_html(report.render(built, "html")).row("執行策略", "（一）服務一致及正確性")
    assert row[3].split("\n") == POINTS
    # a number that only looks like a mark stays in its sentence
    row = read_html(report.render(built, "html")).row("執行策略", "2.提升服務及時性")
    assert row[2] == "2.提供線上申辦 2.0 服務計 4,198 件。"


def test_plan_paragraphs_with_inline_points_are_split(own_data, xlsx):
    importer.import_file(own_data, xlsx({"計畫內容": [["年度", "章節", "內容"], [
        110, "陸、考核作業", "3.考核結果：（１）上半年度考核結果公開於網頁。（２）年度績效於次年1月15日前報局。"]]}))
    built = report.build(own_data, 2021)
    page = parse_html(report.render(built, "html").decode("utf-8"))
    text = "".join(page.parts)
    assert "3.考核結果：\n(1)上半年度考核結果公開於網頁。\n(2)年度績效於次年1月15日前報局。\n" in text
    docx = read("docx", report.render(built, "docx"))
    assert "3.考核結果：\n(1)上半年度考核結果公開於網頁。\n(2)年度績效於次年1月15日前報局。" in docx


# ------------------------------------------------------------------ no break inside a number

NUMBER_PAIR = re.compile(r"[0-9][0-9,.%]|[,.][0-9]|[+±−][0-9]|[0-9][–~-][0-9]|[–~-][0-9]")
SPACE_BY_NUMBER = re.compile(r"[0-9%] (?=[^\W\d_])|(?<=[^\W\d_]) [0-9]")


def _document_texts(fmt: str, data: bytes) -> list[str]:
    """Every text node of the document's body, as stored."""
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml" if fmt == "docx" else "content.xml").decode()
    if fmt == "docx":
        return [re.sub(r"<[^>]+>", "", m) for m in re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml)]
    return [re.sub(r"<[^>]+>", "", m) for m in re.findall(r"<text:[ph]\b[^>]*>(.*?)</text:[ph]>", xml)]


@pytest.mark.parametrize("fmt", ["docx", "odt"])
def test_no_line_break_is_possible_inside_a_number(sample_report, fmt):
    """Between any two characters of a number a word joiner, beside it a no-break space,
    and Latin text declared English (declared Chinese, LibreOffice broke 「7|3 具」)."""
    data = sample_report(2021).file(fmt)
    texts = _document_texts(fmt, data)
    joined = "\n".join(texts)
    for needle in ("1\u2060,\u20605\u20609\u20603\u00a0件", "民國\u00a01\u20601\u20600\u00a0年"):
        assert needle in joined
    for text in texts:
        assert not NUMBER_PAIR.search(text), (text, NUMBER_PAIR.search(text))
        assert not SPACE_BY_NUMBER.search(text), (text, SPACE_BY_NUMBER.search(text))
    styles = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml" if fmt == "docx" else "styles.xml").decode()
    if fmt == "docx":
        langs = re.findall(r"<w:lang ([^/]*)/>", styles)
        assert langs and all('w:val="en-US"' in lang and 'w:eastAsia="zh-TW"' in lang for lang in langs), langs
    else:
        assert 'fo:language="en"' in styles and 'style:language-asian="zh"' in styles
        assert 'fo:language="zh"' not in styles
    # and what a reader copies is the number as written
    assert "計 1,593 件" in read(fmt, data) or "1,593 件" in read(fmt, data)


# ------------------------------------------------------------------ language of parts

def test_the_english_html_report_marks_chinese_as_chinese(sample_report):
    page = sample_report(2021, lang="en").file("html").decode("utf-8")
    assert '<html lang="en"' in page
    body = page[page.index("<body>"):]
    marked = "".join(re.findall(r'<span lang="zh-Hant">([^<]*)</span>', body))
    labels = re.findall(r"<text [^>]*>([^<]*)</text>", body)
    # the chart's dimension names: the five the dashboard knows, in English; any Chinese
    # label (a name it does not know) is marked as Chinese
    assert "Basic service" in labels and "Openness and innovation" in labels, labels
    assert [label for label in labels if re.search(r"[\u3400-\u9fff]", label)] == \
        re.findall(r'<text [^>]*lang="zh-Hant">([^<]*)</text>', body)
    # the chart's title and description (SVG text without spans) aside, no Chinese is unmarked
    unmarked = re.sub(r'<span lang="zh-Hant">[^<]*</span>|<svg.*?</svg>|<[^>]+>', "", body, flags=re.S)
    assert "經濟部標準檢驗局臺南分局" in marked                # the branch's name, from the plan text
    assert "一、行政院" in marked and "線上申辦" in marked      # plan text and case types from the files
    assert not re.search(r"[\u3400-\u9fff]", unmarked), re.search(r".{20}[\u3400-\u9fff].{20}", unmarked)
    zh = sample_report(2021).file("html").decode("utf-8")
    assert 'lang="zh-Hant"' not in zh[zh.index("<body>"):]     # the Chinese report is Chinese throughout


@pytest.mark.parametrize("text", ["a\tb", "", " x ", "甲\r乙", "計 1,593 件"])
def test_a_docx_cell_holds_its_text_as_python_docx_would_write_it(text):
    """The report's cells are written as XML for speed: tabs, carriage returns, spaces at
    the ends and an empty cell come out as python-docx's own run would hold them."""
    from docx import Document
    from docx.oxml.ns import qn
    from analytics.report import word
    table = Document().add_table(rows=1, cols=2)
    ours, theirs = table.cell(0, 0), table.cell(0, 1)
    word._fill(ours, text)
    theirs.paragraphs[0].add_run(word.unbroken(text))

    def content(cell):
        return [(e.tag, e.text, e.get(qn("xml:space"))) for r in cell._tc.iter(qn("w:r"))
                for e in r if e.tag != qn("w:rPr")]
    assert content(ours) == content(theirs)


@pytest.mark.parametrize("fmt", list(DOCUMENTS))
def test_a_half_year_table_compares_the_same_months_and_an_annual_row_says_its_years(sample_report, fmt):
    """A half-year report's figure tables compare January–June with the same months of
    the year before: 去年同期 there; a figure kept per year beside them says its own two
    years beside its name (issue 19: never called 同期 under an annual figure alone)."""
    tables = figure_tables(DOCUMENTS[fmt](sample_report(2021, half=1).file(fmt)))
    heads = {tuple(head[1:3]) for _, (head, *_) in tables}
    assert heads == {("本期\n民國 110 年 上半年（1–6 月）", "去年同期\n民國 109 年 上半年（1–6 月）"),
                     ("本期\n民國 110 年", "前一年\n民國 109 年")}, heads       # the latter: annual figures only
