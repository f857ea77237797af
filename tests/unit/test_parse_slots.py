"""At most N parses at once in a process (issue 23: every preview forked a parse, and in
open mode anyone can upload): more wait their turn, and the caller is told, so the
import page can say so; a file that waits longer than the parse time limit is refused.
And the upload and parse folders processes left behind are removed at a start."""
import os
import threading
import time

import pytest

from analytics import reader, scratch, service
from analytics.problems import Refused


@pytest.fixture(autouse=True)
def in_process(monkeypatch):
    monkeypatch.setenv("DASHBOARD_PARSE_IN_PROCESS", "1")


@pytest.fixture
def one_slot(monkeypatch):
    slots = threading.BoundedSemaphore(1)
    monkeypatch.setattr(reader, "_SLOTS", slots)
    return slots


def small_csv(tmp_path, name="a.csv"):
    path = tmp_path / name
    path.write_text("年月,單位,案件類別,件數\n110/01,第一課,臨櫃,3\n", encoding="utf-8")
    return path


def test_a_parse_waits_for_a_free_slot_and_says_so(tmp_path, one_slot):
    one_slot.acquire()                       # another parse holds the only slot
    told, out = threading.Event(), {}
    worker = threading.Thread(target=lambda: out.setdefault("sheets", reader.read_workbook(
        small_csv(tmp_path), on_wait=told.set)))
    worker.start()
    assert told.wait(30), "the caller was never told the file waits"
    assert worker.is_alive() and "sheets" not in out       # still waiting
    one_slot.release()
    worker.join(30)
    assert [s.height for s in out["sheets"]] == [2]


def test_no_wait_no_word(tmp_path, one_slot):
    calls = []
    reader.read_workbook(small_csv(tmp_path), on_wait=lambda: calls.append(1))
    assert calls == []
    assert one_slot.acquire(blocking=False)                # the slot came back


def test_a_file_that_waits_too_long_is_refused(tmp_path, one_slot, monkeypatch):
    monkeypatch.setenv("DASHBOARD_PARSE_SECONDS", "0.2")
    one_slot.acquire()
    with pytest.raises(Refused) as caught:
        reader.read_workbook(small_csv(tmp_path))
    assert caught.value.problems[0].code == "file.parse_busy"
    assert "0" in caught.value.render()


def test_the_slot_is_given_back_when_a_parse_is_refused(tmp_path, one_slot):
    from ods_files import number, ods, row, table
    bomb = ods(tmp_path / "bomb.ods", table("s", row(number(1, repeat=16384), repeat=1048576)))
    with pytest.raises(Refused) as caught:
        reader.read_workbook(bomb)            # refused inside its slot, by the cell count
    assert caught.value.problems[0].code == "file.too_many_cells"
    assert one_slot.acquire(blocking=False)


def test_the_import_page_s_preview_passes_the_word_on(tmp_path, one_slot, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(tmp_path / "dash.duckdb"))
    one_slot.acquire()
    told = threading.Event()
    out = {}
    worker = threading.Thread(target=lambda: out.setdefault("p", service.preview(small_csv(tmp_path), "a.csv",
                                                                                 on_wait=told.set)))
    worker.start()
    assert told.wait(30)
    one_slot.release()
    worker.join(30)
    assert out["p"]["ok"]


# ------------------------------------------------------------------ folders left behind

def dead_pid() -> int:
    """A process id no process has now."""
    pid = int(open("/proc/sys/kernel/pid_max").read()) - 1 if os.path.exists("/proc/sys/kernel/pid_max") else 99999
    while scratch.alive(pid):
        pid -= 1
    return pid


def folder(root, name, age_seconds):
    path = root / name
    path.mkdir()
    (path / "0.arrow").write_bytes(b"x" * 100)
    then = time.time() - age_seconds
    os.utime(path, (then, then))
    return path


def test_stale_folders_of_ended_processes_are_removed_and_nothing_else(tmp_path):
    dead, me = dead_pid(), os.getpid()
    gone = [folder(tmp_path, f"dashboard_parse_{dead}_abc", 3600), folder(tmp_path, f"dashboard_upload_{dead}_x", 3600),
            folder(tmp_path, "dashboard_parse_k2j3h4", 3600)]          # an earlier version's name: age alone
    kept = [folder(tmp_path, f"dashboard_parse_{me}_live", 3600),        # this process's own
            folder(tmp_path, f"dashboard_upload_{dead}_young", 10),      # too young to judge
            folder(tmp_path, "dashboard_parse_fresh", 10),
            folder(tmp_path, "other_tool_123", 3600)]
    (tmp_path / f"dashboard_parse_{dead}_file").write_text("not a folder")
    removed = scratch.remove_stale(tmp_path)
    assert sorted(removed) == sorted(gone)
    assert not any(p.exists() for p in gone) and all(p.exists() for p in kept)
    assert (tmp_path / f"dashboard_parse_{dead}_file").exists()


def test_folders_of_a_running_process_stay(tmp_path):
    parent = os.getppid()                    # runs, whatever it is
    path = folder(tmp_path, f"dashboard_upload_{parent}_q", 3600)
    assert scratch.remove_stale(tmp_path) == [] and path.exists()


def test_new_folders_carry_this_process_s_id():
    made = scratch.make("parse")
    try:
        assert os.path.basename(made).startswith(f"dashboard_parse_{os.getpid()}_")
        assert (os.stat(made).st_mode & 0o777) == 0o700
    finally:
        os.rmdir(made)
