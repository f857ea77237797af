"""The parse child in its real setting, a forked process (issue 23): an .ods that
expands to billions of cells is refused by the parent's count while the child parses,
never by the child running out of memory or time; a child whose parent is killed with
kill -9 dies with it; and the parse folder the killed parent left is removed by the next
start of the command line."""
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from analytics import reader
from analytics.problems import Refused
from conftest import ROOT
from ods_files import number, ods, row, table


def gone(pid: int) -> bool:
    """Ended (a zombie waiting for init counts as ended)."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            return any(line.startswith("State:") and "Z" in line.split()[1] for line in fh)
    except FileNotFoundError:
        return True


def wait_for(predicate, seconds=60.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def test_an_expanding_ods_is_refused_by_the_count_not_by_the_child_s_limits(tmp_path, monkeypatch):
    monkeypatch.delenv("DASHBOARD_PARSE_IN_PROCESS", raising=False)
    bomb = ods(tmp_path / "bomb.ods", table("案件量", row(number(1, repeat=16384), repeat=1048576)))
    assert bomb.stat().st_size < 1500
    with pytest.raises(Refused) as caught:
        reader.read_workbook(bomb)
    assert caught.value.problems[0].code == "file.too_many_cells"      # not parse_crashed / parse_timeout


SLOW_PARENT = textwrap.dedent("""
    import os, sys, time
    sys.path.insert(0, {root!r})
    from analytics import reader

    def slow(path, name, kind, folder):  # the forked child runs this: it parses "forever"
        with open({pid_file!r}, "w") as fh:
            fh.write(str(os.getpid()))
        time.sleep(600)
        yield from ()

    reader._sheets = slow
    reader.read_workbook(sys.argv[1])
""")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_the_child_dies_with_its_parent_and_the_next_start_clears_its_folder(tmp_path):
    source = tmp_path / "a.csv"
    source.write_text("年月,單位,案件類別,件數\n110/01,第一課,臨櫃,3\n", encoding="utf-8")
    pid_file = tmp_path / "child.pid"
    script = tmp_path / "parent.py"
    script.write_text(SLOW_PARENT.format(root=str(ROOT), pid_file=str(pid_file)), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "DASHBOARD_PARSE_IN_PROCESS"}
    parent = subprocess.Popen([sys.executable, str(script), str(source)], env=env)
    try:
        assert wait_for(lambda: pid_file.exists() and pid_file.read_text()), "the child never started"
        child = int(pid_file.read_text())
        folders = list(Path(tempfile.gettempdir()).glob(f"dashboard_parse_{parent.pid}_*"))
        assert len(folders) == 1
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(30)
        assert wait_for(lambda: gone(child)), "the parse child outlived its parent"
    finally:
        if parent.poll() is None:
            parent.kill()
    # the killed parent could not remove its folder; a start of the command line does,
    # once the folder is older than a running parse could leave it
    assert folders[0].exists()
    then = time.time() - 3600
    os.utime(folders[0], (then, then))
    done = subprocess.run([sys.executable, "-m", "analytics", "history", "--db", str(tmp_path / "dash.duckdb")],
                          env={**env, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert not folders[0].exists()
