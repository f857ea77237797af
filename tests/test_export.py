"""Downloads hold no cell a spreadsheet would run, while numbers stay numbers."""
import csv
import inspect
import io
import re
import tomllib
import zipfile
from pathlib import Path

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

