"""Fixtures named for their scenario. Every workbook is built in code."""
from __future__ import annotations

import itertools
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))   # the helpers beside this file, from every tier

from analytics import importer, sample, service, store  # noqa: E402


def write_xlsx(path: Path, sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None) -> Path:
    """A workbook with one sheet per entry; rows are written from A1 down (streamed, as
    openpyxl's write-only mode does it, unless cells are merged)."""
    if not merges:
        from openpyxl.cell import WriteOnlyCell
        wb = Workbook(write_only=True)
        for name, rows in sheets.items():
            ws = wb.create_sheet(name)
            for row in rows:
                cells = []
                for value in row:
                    if isinstance(value, str) and value.startswith("="):
                        value = WriteOnlyCell(ws, value)
                        value.data_type = "s"     # text that looks like a formula, as typed with a leading '
                    cells.append(value)
                ws.append(cells)
        wb.save(path)
        return path
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


@pytest.fixture(scope="session")
def _instance():
    """One DuckDB instance for the run's ``empty_db`` databases: each is attached to it,
    which costs a tenth of opening a new instance (DuckDB sets up its catalog of
    functions for every instance, 20 ms of CPU; 300 tests take an empty database)."""
    con = duckdb.connect()
    yield con
    con.close()


_attached = itertools.count(1)


@pytest.fixture
def empty_db(migrated, tmp_path, _instance):
    """A connection to a new, migrated database file of this test's own (a copy of one
    migrated once per run, as ``store.connect`` leaves it), its default catalog."""
    import shutil
    path = tmp_path / "empty.duckdb"
    shutil.copyfile(migrated, path)
    name = f"test_db_{next(_attached)}"
    _instance.execute(f"ATTACH '{store._quote(path)}' AS {name}")
    con = _instance.cursor()
    try:
        con.execute(f"USE {name}")
        yield con
    finally:
        try:
            con.close()
        finally:
            _instance.execute(f"DETACH {name}")


@pytest.fixture(scope="session")
def migrated(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("migrated") / "schema.duckdb"
    store.connect(path).close()
    return path


@pytest.fixture
def db_path(tmp_path, monkeypatch):
    """A new database file, which the app (DASHBOARD_DB) will use."""
    path = tmp_path / "dash.duckdb"
    monkeypatch.setenv("DASHBOARD_DB", str(path))
    return path


@pytest.fixture
def sample_db(db_path, sample_loaded):
    """The path of a database holding the bundled sample, as after the app's first start
    (a copy of one such database made once per run: loading the sample is an import)."""
    import shutil
    shutil.copyfile(sample_loaded, db_path)
    return db_path


@pytest.fixture(scope="session")
def sample_loaded(tmp_path_factory) -> Path:
    """A database file the app's first start made: the bundled sample loaded by
    ``service.load_sample_if_new``, its connection closed."""
    path = tmp_path_factory.mktemp("first_start") / "dash.duckdb"
    assert service.load_sample_if_new(path) is not None
    return path


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory) -> Path:
    """The sample workbook as the script writes it today, built once per run (1–2 s)."""
    return sample.build(tmp_path_factory.mktemp("sample") / sample.SAMPLE_FILE)


@pytest.fixture(scope="module")
def sample_con(sample_loaded, tmp_path_factory):
    """A connection to a database holding the sample (a copy of the one made once per
    run), shared by a module's tests that only read."""
    import shutil
    path = tmp_path_factory.mktemp("sample_con") / "dash.duckdb"
    shutil.copyfile(sample_loaded, path)
    con = store.connect(path)
    yield con
    con.close()


class SampleReport:
    """The report on the sample for one period and language, built once, each format
    rendered the first time a test asks for it (``file``)."""

    def __init__(self, con, year: int, half: int | None, lang: str):
        from analytics import report
        self._render = report.render
        self.built = report.build(con, year, half, lang)
        self._files: dict[str, bytes] = {}

    def file(self, fmt: str) -> bytes:
        if fmt not in self._files:
            self._files[fmt] = self._render(self.built, fmt)
        return self._files[fmt]


@pytest.fixture(scope="session")
def sample_report(sample_loaded, tmp_path_factory):
    """``sample_report(year, half=None, lang="zh")``: the report on the sample, shared by
    the run's tests, which only read it (a report takes 0.15 s to build and as long
    again to render in every format; a dozen tests read the same ROC 110 one)."""
    import shutil
    path = tmp_path_factory.mktemp("sample_report") / "dash.duckdb"
    shutil.copyfile(sample_loaded, path)
    con = store.connect(path)
    made: dict[tuple, SampleReport] = {}

    def get(year: int, half: int | None = None, lang: str = "zh") -> SampleReport:
        if (year, half, lang) not in made:
            made[(year, half, lang)] = SampleReport(con, year, half, lang)
        return made[(year, half, lang)]

    yield get
    con.close()


CASE_HEADER = ["年月", "單位", "案件類別", "件數"]


def staged_uploads() -> set[Path]:
    """The upload copies this test process has staged in the temp folder."""
    return set(Path(tempfile.gettempdir()).glob(f"dashboard_upload_{os.getpid()}_*"))


def open_tables(at):
    """Every table expander on the page opened, as a manager clicking each would: a
    closed one holds no table (ui/charts.table_with_downloads). Returns ``at``."""
    from ui.charts import TABLE_KEY
    closed = [k for k in at.session_state if str(k).startswith(TABLE_KEY) and not at.session_state[k]]
    for key in closed:
        at.session_state[key] = True
    if closed:
        at.run()
    return at


def database_of(path: Path, sheets: dict[str, list[list]]) -> Path:
    """A database at ``path`` holding ``sheets``, imported as one workbook written beside it."""
    con = store.connect(path)
    try:
        importer.import_file(con, write_xlsx(path.with_suffix(".xlsx"), sheets))
    finally:
        con.close()
    return path


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


def _no_process(*args, **kwargs):
    raise AssertionError("the unit tier starts no process: this test belongs in tests/integration")


@pytest.fixture(autouse=True, scope="module")
def unit_tier_in_this_process(request):
    """tests/unit runs in this one process: workbooks are parsed in process
    (DASHBOARD_PARSE_IN_PROCESS=1), and whatever tries to fork or start a process
    fails the test that did, so a slow or process-bound test cannot creep back into
    the fast tier. Module-scoped and autouse, it is in force before any module fixture
    (the shared sample database) parses a workbook. What needs the parse child or
    other processes lives in tests/integration."""
    if request.path.parent.name != "unit":
        yield
        return
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DASHBOARD_PARSE_IN_PROCESS", "1")
        for name in ("fork", "forkpty", "posix_spawn", "posix_spawnp", "system"):
            if hasattr(os, name):
                mp.setattr(os, name, _no_process)
        mp.setattr(subprocess.Popen, "__init__", _no_process)
        yield
