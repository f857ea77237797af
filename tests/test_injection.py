"""What a file or a user brings is shown as text: never Markdown, never HTML in a chart
(issue 10). A workbook whose file name, sheet name, units, case types, rounds,
respondent types, items and cells carry the probe's payloads goes through the import
page and every other page; no element may hold a payload in a form the browser would
act on."""
import re

import pytest
from streamlit.testing.v1 import AppTest

from analytics import importer, store
from conftest import ROOT, write_xlsx
from ui.text import md, plot, safe_figure

APP = str(ROOT / "app.py")
PAGES = re.findall(r'\("(pages/[a-z_]+\.py)"', (ROOT / "app.py").read_text(encoding="utf-8"))
IMAGE = "![f](http://127.0.0.1:9/x.png)"
LINK = "[點我](http://127.0.0.1:9/phish)"
ANCHOR = '<a href="http://127.0.0.1:9/a">案件</a>'
DIRECTIVE = ":red[紅字] :material/warning: $x^2$"
PAYLOADS = (IMAGE, LINK, ANCHOR, DIRECTIVE, "**粗體** _斜體_ `code`", "<script>alert(1)</script>",
            '<img src=x onerror="alert(1)">')
SHEET = "<b>表 __粗體__ _斜_ $y$ (1)"      # Excel allows no [ ] : * ? / \\ in a sheet name
ACTIVE = (re.compile(r"(?<!\\)!(?<!\\)\[[^\]]*(?<!\\)\]\((?!\s)"),   # an image Markdown would fetch
          re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\(http"),             # a link
          re.compile(r"(?<!\\):(red|blue|green|orange|violet|gray|rainbow)\["),   # a colour directive
          re.compile(r"(?<!\\):material/"),
          re.compile(r"(?<!\\)\*\*粗體"), re.compile(r"(?<!\\)__粗體"), re.compile(r"<b>表"))


def test_md_escapes_every_markdown_and_directive_character():
    for payload in PAYLOADS:
        escaped = md(payload)
        assert not any(p.search(escaped) for p in ACTIVE), escaped
        assert re.sub(r"\\(.)", r"\1", escaped) == payload          # and reads as written
    assert md("a\nb\r\nc") == "a b c"                               # one line: no new paragraph


def test_plot_labels_are_html_escaped_and_figures_escaped_whole():
    import plotly.express as px
    import pandas as pd
    assert plot(ANCHOR) == '&lt;a href="http://127.0.0.1:9/a"&gt;案件&lt;/a&gt;'
    frame = pd.DataFrame({"type": [ANCHOR, "一般"], "n": [3, 4], "unit": ["<b>第一課</b>", "第二課"]})
    fig = safe_figure(px.bar(frame, x="type", y="n", color="unit", hover_data=["unit"],
                             category_orders={"type": [ANCHOR, "一般"]}))
    spec = fig.to_json()
    assert "<a href" not in spec and "<b>第一課" not in spec
    assert "&lt;a href" in spec and "&lt;b&gt;第一課" in spec


def payload_workbook(path):
    case_header = ["年月", "單位", "案件類別", "申辦管道", "件數"]
    survey_header = ["填答日期", "服務據點", "洽辦業務項目", "服務內容", "洽公環境", "服務設備", "人員禮貌及服務態度", "整體滿意度",
                     "受訪者類型"]
    phone_header = ["測試日期", "受測單位", "測試類型", "梯次", "受測人員", "接聽速度", IMAGE[:20] + "(5分)", "總分"]
    return write_xlsx(path, {
        SHEET: [case_header, *[["113/0%d" % m, "第一課", p, "線上", 10 + m] for m in range(1, 4) for p in PAYLOADS]],
        "問卷": [survey_header, *[["113/05/0%d" % (i + 1), "本分局", 5, 4, 5, 4, 5, 4, p] for i, p in enumerate(PAYLOADS)]],
        "電話": [phone_header, *[["113/04/0%d" % (i + 1), "一課", "內部測試", p, LINK, 12, 4, 85]
                                for i, p in enumerate(PAYLOADS)]],
        "構面": [["年度", "構面", "項目", "配分", "自評分數"], [113, "基礎服務", ANCHOR, 100, 80]],
    })


@pytest.fixture(scope="module")
def payload_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("payloads")
    path = folder / "dash.duckdb"
    con = store.connect(path)
    importer.import_file(con, payload_workbook(folder / "payload.xlsx"), name=f"{IMAGE}.xlsx", user=LINK)
    con.close()
    return path


def markdown_strings(at) -> list[str]:
    """Everything Streamlit renders as Markdown on the page."""
    out = [str(e.value) for group in (at.title, at.header, at.subheader, at.markdown, at.caption, at.info,
                                      at.warning, at.error, at.success) for e in group]
    out += [e.label for e in at.expander]
    out += [m.label for m in at.metric] + [str(m.value) for m in at.metric]
    return out


@pytest.mark.parametrize("page", PAGES)
def test_no_payload_is_active_on_any_page(payload_db, page, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(payload_db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    for text in markdown_strings(at):
        assert not any(p.search(text) for p in ACTIVE), (page, text)
        assert "<script" not in text and "<img" not in text, (page, text)
    for chart in at.get("plotly_chart"):
        spec = chart.proto.spec
        assert "<a href" not in spec and "<script" not in spec and "<img" not in spec, page


def test_the_import_preview_shows_payloads_as_text(tmp_path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(tmp_path / "dash.duckdb"))
    bad = write_xlsx(tmp_path / "bad.xlsx", {SHEET: [["年月", "單位", "案件類別", "件數"],
                                                          ["113/13", "第一課", LINK, IMAGE]]})
    good = payload_workbook(tmp_path / "good.xlsx")
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("pages/data_import.py").run()
    for name, data, shown in ((f"{IMAGE}.xlsx", bad.read_bytes(), IMAGE), (f"{LINK}.xlsx", good.read_bytes(), LINK)):
        at.file_uploader(key="up").upload(name, data, "application/octet-stream").run()
        assert not at.exception
        rendered = markdown_strings(at)
        assert any(shown in re.sub(r"\\(.)", r"\1", text) for text in rendered)   # there, as text
        for text in rendered:
            assert not any(p.search(text) for p in ACTIVE), text
