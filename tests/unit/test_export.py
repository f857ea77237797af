"""Downloads hold no cell a spreadsheet would run, while numbers stay numbers."""
import csv
import inspect
import io
import re
import tomllib
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pandas as pd
import pytest

from analytics import export, reader
from conftest import ROOT

HOSTILE = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\rCR", "=HYPERLINK(\"http://x\")"]


@pytest.fixture
def table():
    return pd.DataFrame({"文字": HOSTILE, "數字": [-3, -2.5, 0, 1, 2, 3, 4]})


def test_csv_defuses_formula_text_and_keeps_negative_numbers(table):
    data = export.write_table(table, "csv", [("年度", "2021")])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    texts = [r[0] for r in rows[1:]]
    assert all(t.startswith("'") for t in texts)
    assert [r[1] for r in rows[1:]] == ["-3.0", "-2.5", "0.0", "1.0", "2.0", "3.0", "4.0"]


def test_xlsx_text_cells_are_never_formulas(table):
    wb = openpyxl.load_workbook(io.BytesIO(export.write_table(table, "xlsx", [("年度", "2021")])))
    ws = wb["資料"]
    cells = list(ws.iter_rows(min_row=2))
    assert all(row[0].data_type == "s" for row in cells)
    # some XML readers normalise a lone CR to LF; the text is otherwise as written
    assert [row[0].value.replace("\r", "\n") for row in cells] == [h.replace("\r", "\n") for h in HOSTILE]
    assert [row[1].value for row in cells] == [-3, -2.5, 0, 1, 2, 3, 4]
    assert all(isinstance(row[1].value, (int, float)) for row in cells)
    with zipfile.ZipFile(io.BytesIO(export.write_table(table, "xlsx"))) as zf:
        assert b"<f>" not in zf.read("xl/worksheets/sheet1.xml")


def test_ods_text_cells_are_never_formulas(table):
    data = export.write_table(table, "ods", [("年度", "2021")])
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        content = zf.read("content.xml").decode()
    assert "table:formula" not in content
    back = pd.read_excel(io.BytesIO(data), sheet_name="資料", engine="calamine")
    assert list(back["數字"]) == [-3, -2.5, 0, 1, 2, 3, 4]


# The payloads the probe saved raw through Streamlit's own "Download as CSV".
PROBE = ["=cmd|' /C calc'!A0", "=HYPERLINK(\"http://127.0.0.1:9/x\",\"x\")", "+1+1", "@SUM(1+1)"]


@pytest.fixture
def hostile_headers():
    return pd.DataFrame({h: [i] for i, h in enumerate(PROBE)} | {"文字": ["=1+1"]})


def test_csv_header_cells_are_defused_like_values(hostile_headers):
    rows = list(csv.reader(io.StringIO(export.write_table(hostile_headers, "csv").decode("utf-8-sig"), newline="")))
    assert rows[0] == ["'" + h for h in PROBE] + ["文字"]
    assert rows[1] == ["0", "1", "2", "3", "'=1+1"]
    empty = export.write_table(hostile_headers.iloc[:0], "csv").decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(empty, newline="")))[0] == "'=cmd|' /C calc'!A0"   # fields are quoted


@pytest.mark.parametrize("through", ["write_table", "write_sheets"])
def test_xlsx_header_cells_are_text_never_formulas(hostile_headers, through):
    """Pages and ``export`` write through write_table, the report through write_sheets."""
    data = (export.write_table(hostile_headers, "xlsx") if through == "write_table"
            else export.write_sheets([("摘要", [hostile_headers, hostile_headers])], "xlsx"))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    header = next(wb.worksheets[0].iter_rows(max_row=1))
    assert [c.value for c in header] == PROBE + ["文字"]
    assert all(c.data_type == "s" for c in header)
    assert all(c.quotePrefix for c in header[:4])
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert b"<f>" not in zf.read("xl/worksheets/sheet1.xml")


@pytest.mark.parametrize("through", ["write_table", "write_sheets"])
def test_ods_header_cells_are_text_never_formulas(hostile_headers, through):
    data = (export.write_table(hostile_headers, "ods") if through == "write_table"
            else export.write_sheets([("摘要", [hostile_headers, hostile_headers])], "ods"))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        content = zf.read("content.xml").decode()
    assert "table:formula" not in content
    ns = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
          "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0"}
    first_row = ElementTree.fromstring(content).find(".//table:table/table:table-row", ns)
    cells = first_row.findall("table:table-cell", ns)
    value_type = f"{{{ns['office']}}}value-type"
    string_value = f"{{{ns['office']}}}string-value"
    assert [(c.get(value_type), c.get(string_value)) for c in cells] == [("string", h) for h in PROBE + ["文字"]]


def test_upload_cap_is_one_number_in_bytes_that_every_streamlit_path_lets_through(monkeypatch):
    """Streamlit 1.67 counts server.maxUploadSize as N × 1024² bytes on the server and
    N × 1000² in the browser's uploader (N × 1024² on Windows): the importer takes
    N × 1000², which passes both. If Streamlit changes how it counts, this fails."""
    import streamlit
    config = tomllib.loads((ROOT / ".streamlit/config.toml").read_text(encoding="utf-8"))
    monkeypatch.delenv("DASHBOARD_MAX_UPLOAD_MB", raising=False)
    mb = reader.DEFAULT_MAX_UPLOAD_MB
    assert config["server"]["maxUploadSize"] == mb == reader._upload_mb()
    assert reader.MAX_UPLOAD_BYTES == reader.MAX_UPLOAD_MB * 1_000_000
    source = Path(streamlit.__file__).parent
    routes = (source / "web/server/starlette/starlette_routes.py").read_text(encoding="utf-8")
    assert 'config.get_option("server.maxUploadSize") * 1024 * 1024' in routes
    bundle = "".join(p.read_text(encoding="utf-8", errors="replace")
                     for p in (source / "static/static/js").glob("utils.*.js"))
    assert re.search(r"\b\w+=\w+\(\)\?1024:1e3,", bundle), "the uploader's byte unit changed"
    assert re.search(r"function \w+\(\)\{return/\^Win/i\.test\(navigator\.platform\)\}", bundle)
    assert "max_upload_size" in inspect.signature(streamlit.file_uploader).parameters
    assert reader.MAX_UPLOAD_BYTES <= min(mb * 1000 ** 2, mb * 1024 ** 2)
    assert config["server"]["enableXsrfProtection"] is True


def test_streamlit_client_shows_no_tracebacks_and_no_builtin_export():
    client = tomllib.loads((ROOT / ".streamlit/config.toml").read_text(encoding="utf-8"))["client"]
    assert client == {"showErrorDetails": "none", "showErrorLinks": False, "disableDataExport": True,
                      "toolbarMode": "viewer"}


def test_no_secret_in_the_repository():
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8")
    assert ".streamlit/secrets.toml" in ignored
    assert (ROOT / ".streamlit/secrets.toml.example").exists()


def test_csv_quotes_every_field_and_defuses_what_a_separator_could_split_off():
    """Issue 23: a ';' or tab inside a field splits it when the file is opened with that
    separator (tests/browser/test_csv_in_libreoffice.py opens them in LibreOffice)."""
    frame = pd.DataFrame({"案件類別": ["線上;=1+41", "臨櫃\t@x", "A - B", " =2"], "件數": [1, 2, 3, 4]})
    text = export.write_table(frame, "csv").decode("utf-8-sig")
    assert text.splitlines() == ['"案件類別","件數"', '"線上;\'=1+41","1"', '"臨櫃\t\'@x","2"', '"A - B","3"',
                                 '"\' =2","4"']
