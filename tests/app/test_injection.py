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
from markup import decoded, raw_markup, strings
from ui import registry
from payloads import ACTIVE, ANCHOR, IMAGE, LINK, PAYLOADS, SHEET, payload_workbook
from ui.text import md, plot, safe_figure

APP = str(ROOT / "app.py")
PAGES = [p.path for p in registry.PAGES]
def test_md_escapes_every_markdown_and_directive_character():
    for payload in PAYLOADS:
        escaped = md(payload)
        assert not any(p.search(escaped) for p in ACTIVE), escaped
        assert re.sub(r"\\(.)", r"\1", escaped).replace("\u200b", "") == payload   # and reads as written
    assert md("a\nb\r\nc") == "a b c"                               # one line: no new paragraph


def test_plot_labels_are_html_escaped_and_figures_escaped_whole():
    import plotly.express as px
    import pandas as pd
    assert plot(ANCHOR) == '&lt;a href="http://127.0.0.1:9/a"&gt;案件&lt;/a&gt;'
    frame = pd.DataFrame({"type": [ANCHOR, "一般"], "n": [3, 4], "unit": ["<b>第一課</b>", "第二課"]})
    fig = safe_figure(px.bar(frame, x="type", y="n", color="unit", hover_data=["unit"],
                             category_orders={"type": [ANCHOR, "一般"]}))
    # Decoded first: Plotly's JSON writes "<" as \u003c, so the raw text never holds "<a href".
    texts = [text for _, text in strings(decoded(fig.to_json()))]
    assert raw_markup(fig.to_json()) == []
    assert any("&lt;a href" in text for text in texts) and any("&lt;b&gt;第一課" in text for text in texts)


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
        # an HTML tag in Markdown is live only where its "<" is not escaped ("\<script" is text)
        assert not re.search(r"(?<!\\)<\s*(script|img)", text, re.I), (page, text)
    for chart in at.get("plotly_chart"):
        assert raw_markup(chart.proto.spec) == [], page      # decoded: what the browser's Plotly reads


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
        assert any(shown in re.sub(r"\\(.)", r"\1", text).replace("\u200b", "") for text in rendered)   # as text
        for text in rendered:
            assert not any(p.search(text) for p in ACTIVE), text
