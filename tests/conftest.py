"""Fixtures named for their scenario. Every workbook is built in code."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))   # the helpers beside this file, from every tier

from analytics import importer, sample, service, store  # noqa: E402


def write_xlsx(path: Path, sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None) -> Path:
    """A workbook with one sheet per entry; rows are written from A1 down."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    cell = ws.cell(r, c)
                    cell.value = value
                    if isinstance(value, str) and value.startswith("="):
                        cell.data_type = "s"  # text that looks like a formula, as typed with a leading '
        for rng in (merges or {}).get(name, []):
            ws.merge_cells(rng)
    wb.save(path)
    return path


@pytest.fixture
def xlsx(tmp_path):
    """Build an .xlsx from {sheet: rows}: ``xlsx({"案件量": rows}, name="a.xlsx")``."""
    counter = iter(range(1000))

    def build(sheets, name=None, merges=None):
        return write_xlsx(tmp_path / (name or f"book{next(counter)}.xlsx"), sheets, merges)

    return build


@pytest.fixture
def empty_db():
    con = store.connect(":memory:")
    yield con
    con.close()


@pytest.fixture
def db_path(tmp_path, monkeypatch):
    """A new database file, which the app (DASHBOARD_DB) will use."""
    path = tmp_path / "dash.duckdb"
    monkeypatch.setenv("DASHBOARD_DB", str(path))
    return path


@pytest.fixture
def sample_db(db_path):
    """The path of a database holding the bundled sample, as after the app's first start."""
    service.load_sample_if_new(db_path)
    return db_path


@pytest.fixture(scope="module")
def sample_con(tmp_path_factory):
    """A connection to an in-memory database holding the sample, shared by a module's
    tests that only read."""
    path = sample.build(tmp_path_factory.mktemp("sample") / sample.SAMPLE_FILE)
    con = store.connect(":memory:")
    importer.import_file(con, path, is_sample=True)
    yield con
    con.close()


CASE_HEADER = ["年月", "單位", "案件類別", "件數"]


def case_rows(*rows):
    return [CASE_HEADER, *rows]


def survey_rows(*rows):
    return [["填答日期", "服務據點", "洽辦業務項目", "服務內容", "洽公環境", "服務設備", "人員禮貌及服務態度", "整體滿意度"],
            *rows]


def table(con, name, columns="*", order="1"):
    return con.execute(f"SELECT {columns} FROM {name} ORDER BY {order}").fetchall()


@pytest.fixture(autouse=True)
def error_details_for_tests():
    """Pages under AppTest report their exceptions (at.exception) instead of the plain
    message managers see with client.showErrorDetails = "none"."""
    from streamlit import config
    config.set_option("client.showErrorDetails", "full")
    yield
