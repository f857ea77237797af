"""Issue 14's guards that need fresh processes: what a start and the command line import
(nothing heavy on the way to the first chart or into an import), that the command line,
which leaves without the interpreter's teardown, says everything and commits first, and
that the app's kept DuckDB connection lets other processes in once it is idle. No
wall-clock time is asserted (bench/ measures those)."""
import json
import os
import subprocess
import sys

import duckdb

from analytics import importer, service
from conftest import ROOT, case_rows, survey_rows, write_xlsx


def modules_after(code: str) -> set[str]:
    """The top-level modules a fresh interpreter holds after running ``code``."""
    done = subprocess.run([sys.executable, "-c", code + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
                          check=True)
    return set(json.loads(done.stdout.splitlines()[-1]))


# ------------------------------------------------------------------ what is imported

def test_the_start_and_the_kpis_need_no_scipy_and_no_workbook_reader_or_writer(tmp_path):
    """app.py imports service; a start on a database holding data reads it with DuckDB
    only, and the overview's Wilson interval is the closed form."""
    db = tmp_path / "start.duckdb"
    write = write_xlsx(tmp_path / "s.xlsx", {"問卷": survey_rows(["110/07/01", "臺南分局", 5, 5, 5, 5, 5, 5])})
    with service.opened(db) as con:
        importer.import_file(con, write)
    loaded = modules_after(f"""
from analytics import service, metrics, survey_stats, comparison
service.load_sample_if_new({str(db)!r})
service.data_state({str(db)!r})
with service.opened({str(db)!r}) as con:
    comparison.kpis(con, comparison.View(metrics.Filters(), year=2021))
survey_stats.wilson(540, 548)
""")
    assert not {"scipy", "openpyxl", "analytics.importer", "analytics.sample", "analytics.export"} & loaded


def test_the_command_line_imports_no_spreadsheet_writer():
    loaded = modules_after("import analytics.cli")
    assert not {"openpyxl", "PIL", "analytics.export", "scipy"} & loaded


IMPORT_WATCHED = """
import os, runpy, sys, traceback
out, argv = sys.argv[1], sys.argv[2:]

class Watch:
    @staticmethod
    def find_spec(name, path=None, target=None):
        if name.partition(".")[0] in ("pandas", "openpyxl", "scipy"):
            with open(out, "a") as fh:
                fh.write(f"{name} in {os.getpid()}:\\n" + "".join(traceback.format_stack()))
        return None

sys.meta_path.insert(0, Watch)
sys.argv = ["analytics", *argv]
runpy.run_module("analytics", run_name="__main__", alter_sys=True)
"""


def test_the_command_line_import_never_imports_pandas(tmp_path):
    """From the workbook to DuckDB the rows stay Arrow: neither the command nor its
    parse child imports pandas (0.4 s of a 1 s import), openpyxl or scipy, for a
    workbook or a CSV. An attempt is what is recorded, made anywhere in either process."""
    book = write_xlsx(tmp_path / "s.xlsx", {"問卷": survey_rows(["110/07/01", "臺南分局", 5, 4, 5, 3, 5, 5],
                                                                 ["110/07/02", "嘉辦", "滿意", 4, 4, 4, 4, 4])})
    table = tmp_path / "c.csv"
    table.write_text("案件量\n年月,單位,案件類別,件數\n110/07,第一課,線上申辦,3\n", encoding="cp950")
    for path in (book, table):
        attempts = tmp_path / f"{path.suffix[1:]}.txt"
        done = subprocess.run([sys.executable, "-c", IMPORT_WATCHED, str(attempts), "import", str(path),
                               "--db", str(tmp_path / "lean.duckdb")], cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert "批次" in done.stdout
        assert not attempts.exists(), attempts.read_text()


def test_the_command_line_says_everything_before_it_leaves(tmp_path):
    """``python -m analytics`` leaves with os._exit: its output is flushed first, into a
    pipe too, and the batch is in the database (committed, the connection closed)."""
    path = write_xlsx(tmp_path / "a.xlsx", {"s": case_rows(["110/07", "第一課", "線上申辦", 3])})
    db = tmp_path / "exit.duckdb"
    done = subprocess.run([sys.executable, "-m", "analytics", "import", str(path), "--db", str(db)], cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "批次 1" in done.stdout and done.stdout.endswith("\n")
    con = duckdb.connect(str(db), read_only=True)    # opens: nobody holds it
    try:
        assert con.execute("SELECT sum(count) FROM case_volumes").fetchone()[0] == 3
    finally:
        con.close()
    refused = subprocess.run([sys.executable, "-m", "analytics", "import", str(tmp_path / "none.xlsx"), "--db", str(db)],
                             cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True)
    assert refused.returncode == 1 and refused.stderr.strip()


# ------------------------------------------------------------------ one DuckDB instance while the app is busy

def other_process_opens(db) -> bool:
    done = subprocess.run([sys.executable, "-m", "analytics", "stats", "--db", str(db)], cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "DASHBOARD_LOCK_WAIT": "0"},
                          capture_output=True, text=True, timeout=120)
    return done.returncode == 0


def test_the_app_holds_its_database_only_while_busy(tmp_path):
    from ui import data
    db = tmp_path / "kept.duckdb"
    with data.kept_open(db):
        assert service.data_state(db)[0] == 0
        assert not other_process_opens(db)            # held while in use …
    timer = data._kept.get(str(db), {}).get("timer")
    if timer is not None:
        timer.join(60)                                # … and let go once idle
    assert str(db) not in data._kept
    assert other_process_opens(db)
