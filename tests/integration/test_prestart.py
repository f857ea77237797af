"""The command line's import starts parsing its first file before it loads Arrow and
DuckDB (``reader.prestart``); ``read_workbook`` takes that child over. What must hold:
the rows are the same as a parse started the usual way, a file changed in between is
parsed again, a parse nobody takes over is ended with its folder, and a file the
checks refuse starts nothing."""
import os
import subprocess
import sys
import tempfile

import pytest

from analytics import reader, scratch
from analytics.problems import Refused
from conftest import ROOT, case_rows, survey_rows, write_xlsx


@pytest.fixture(autouse=True)
def nothing_left_behind():
    yield
    reader.discard_prestarted()


def cells(sheets) -> list:
    return [(s.name, s.positions, [c.to_pylist() for c in s.columns]) for s in sheets]


def parse_folders() -> set[str]:
    return {e.name for e in os.scandir(tempfile.gettempdir()) if e.name.startswith(scratch.prefix("parse"))}


def test_a_prestarted_parse_is_taken_over_and_gives_the_same_cells(tmp_path, monkeypatch):
    path = write_xlsx(tmp_path / "s.xlsx", {"問卷": survey_rows(["110/07/01", "臺南分局", 5, 4, 5, 3, 5, 5])})
    usual = cells(reader.read_workbook(path))
    assert reader.prestart(path)
    monkeypatch.setattr(os, "fork", lambda: pytest.fail("forked again for a prestarted file"))
    assert cells(reader.read_workbook(path)) == usual
    assert not reader._PRESTARTED and not parse_folders()


def test_a_file_changed_after_the_prestart_is_parsed_again(tmp_path):
    path = write_xlsx(tmp_path / "s.xlsx", {"s": case_rows(["110/07", "第一課", "線上申辦", 3])})
    assert reader.prestart(path)
    write_xlsx(tmp_path / "s.xlsx", {"s": case_rows(["110/08", "第二課", "線上申辦", 4], ["110/09", "第二課", "線上申辦", 5])})
    os.utime(path, ns=(1, 1))       # a new modification time, whatever the clock's resolution
    sheets = reader.read_workbook(path)
    assert "第二課" in sheets[0].columns[1].to_pylist() and "第一課" not in sheets[0].columns[1].to_pylist()


def test_a_parse_nobody_takes_over_is_ended_with_its_folder_and_slot(tmp_path):
    path = write_xlsx(tmp_path / "s.xlsx", {"s": case_rows(["110/07", "第一課", "線上申辦", 3])})
    assert reader.prestart(path)
    started = next(iter(reader._PRESTARTED.values()))
    reader.discard_prestarted()
    with pytest.raises(ChildProcessError):
        os.waitpid(started.pid, os.WNOHANG)            # reaped
    assert not os.path.exists(started.folder)
    for _ in range(reader._parse_at_once() + 1):       # every slot free again
        assert reader.prestart(path)
        reader.discard_prestarted()


def test_a_file_the_checks_refuse_starts_nothing(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"not a workbook at all")
    assert not reader.prestart(path)
    assert not reader._PRESTARTED
    with pytest.raises(Refused) as caught:
        reader.read_workbook(path)
    assert [p.code for p in caught.value.problems] == ["file.not_workbook"]


def test_the_command_line_ends_a_prestarted_parse_it_does_not_need(tmp_path):
    """The same file again: already in force, so the parse begun early is ended, and
    neither a child nor a parse folder of the command is left."""
    path = write_xlsx(tmp_path / "s.xlsx", {"s": case_rows(["110/07", "第一課", "線上申辦", 3])})
    db = tmp_path / "again.duckdb"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp_path)}
    for _ in range(2):
        done = subprocess.run([sys.executable, "-m", "analytics", "import", str(path), "--db", str(db)], cwd=ROOT,
                              env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    assert "批次 1" in done.stdout                # unchanged: the batch already in force
    assert not [e for e in os.listdir(tmp_path) if e.startswith("dashboard_parse_")]


@pytest.mark.parametrize("argv, files", [
    (["import", "a.xlsx", "--db", "x.duckdb", "b.csv"], ["a.xlsx", "b.csv"]),
    (["import", "--lang=en", "a.xlsx", "--user", "me"], ["a.xlsx"]),
    (["import", "--", "-odd.xlsx"], ["-odd.xlsx"]),
    (["import", "--help"], []), (["import", "--d", "x", "a.xlsx"], []), (["stats"], []), ([], []),
])
def test_the_first_file_is_read_off_the_command_line_as_argparse_would(argv, files):
    from analytics.__main__ import files_to_import
    assert files_to_import(argv) == files
