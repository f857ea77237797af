"""Many users, crashes and hostile files: nothing lost, doubled or leaked."""
import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import hostile_files
from analytics import importer, metrics, reader, service, store
from analytics.problems import Refused
from conftest import ROOT, case_rows, write_xlsx


def survey_file(folder: Path, name: str, n: int, start: int = 0) -> Path:
    rows = [[f"Q{start + i:07d}", f"110/0{1 + i % 9}/1{i % 10}", ("本分局", "嘉辦", "斗辦")[i % 3], 5, 4, 4, 5, 4,
             (5, 4, 3)[i % 3]] for i in range(n)]
    header = ["問卷編號", "填答日期", "服務據點", "洽辦業務項目", "服務內容", "洽公環境", "服務設備", "人員禮貌及服務態度", "整體滿意度"]
    return write_xlsx(folder / name, {"問卷": [header, *rows]})


def counts(db) -> tuple[int, int]:
    with service.opened(db) as con:
        return (con.execute("SELECT count(*) FROM survey_responses").fetchone()[0],
                con.execute("SELECT count(*) FROM batches WHERE undone_at IS NULL").fetchone()[0])


def test_twenty_readers_during_imports_never_see_half_an_import(tmp_path):
    db = tmp_path / "r.duckdb"
    files = [survey_file(tmp_path, f"s{i}.xlsx", 4000, start=i * 4000) for i in range(3)]
    allowed = {0, 4000, 8000, 12000}
    seen, errors, stop = set(), [], threading.Event()

    def reader():
        while not stop.is_set():
            try:
                with service.opened(db) as con:
                    seen.add(metrics.satisfaction_items(con, metrics.Filters())["answered"].iat[-1])
            except Exception as exc:  # noqa: BLE001 - any error is a failure of the test
                errors.append(repr(exc))

    service.opened(db).__enter__().close()  # create the file
    threads = [threading.Thread(target=reader) for _ in range(20)]
    for th in threads:
        th.start()
    try:
        for path in files:
            service.import_path(path, path.name, db=db)
        deadline = time.monotonic() + 20
        while 12000 not in seen and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        for th in threads:
            th.join()
    assert errors == []
    assert seen <= allowed and 12000 in seen
    assert counts(db) == (12000, 3)


def test_two_imports_racing_end_as_two_whole_batches(tmp_path):
    db = tmp_path / "race.duckdb"
    a, b = survey_file(tmp_path, "a.xlsx", 3000), survey_file(tmp_path, "b.xlsx", 2000, start=10_000)
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda p: service.import_path(p, p.name, db=db), [a, b]))
    assert sorted(r.rows_by_dataset["survey_responses"] for r in results) == [2000, 3000]
    assert counts(db) == (5000, 2)
    with service.opened(db) as con:
        per_batch = dict(con.execute("SELECT batch_id, count(*) FROM survey_responses GROUP BY 1").fetchall())
    assert sorted(per_batch.values()) == [2000, 3000]


def test_the_same_file_racing_itself_is_imported_once(tmp_path):
    db = tmp_path / "same.duckdb"
    path = survey_file(tmp_path, "same.xlsx", 2000)
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda _: service.import_path(path, path.name, db=db), range(2)))
    assert sorted(r.batch_id is None for r in results) == [False, True]
    assert counts(db) == (2000, 1)


def test_app_and_command_line_import_at_once(tmp_path):
    """The app opens the database per operation: a command-line import gets in
    between, and the app's readers wait for it rather than fail."""
    db = tmp_path / "both.duckdb"
    service.import_path(survey_file(tmp_path, "first.xlsx", 1000), "first.xlsx", db=db)
    big = survey_file(tmp_path, "cli.xlsx", 20000, start=50_000)
    proc = subprocess.Popen([sys.executable, "-m", "analytics", "import", str(big), "--db", str(db)], cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    observed = set()
    while proc.poll() is None:
        observed.add(counts(db)[0])
    assert proc.wait() == 0, proc.stderr.read().decode()
    assert observed <= {1000, 21000}
    assert counts(db) == (21000, 2)


def test_import_killed_midway_leaves_earlier_data_and_no_partial_batch(tmp_path):
    """SIGKILL at fractions of the time this import takes on this machine (measured
    first, so a fast machine is killed as early in the import as a slow one): each
    kill leaves the earlier state or the whole batch, never a part."""
    db = tmp_path / "kill.duckdb"
    service.import_path(survey_file(tmp_path, "base.xlsx", 500), "base.xlsx", db=db)
    big = survey_file(tmp_path, "big.xlsx", 40000, start=100_000)
    command = [sys.executable, "-m", "analytics", "import", str(big), "--db", str(db)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def undo_last():
        with service.opened(db, write=True) as con:
            last = con.execute("SELECT max(id) FROM batches WHERE undone_at IS NULL").fetchone()[0]
            store.undo_batch(con, last)

    started = time.monotonic()
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    whole = time.monotonic() - started          # how long this machine takes: a scale, not a check
    undo_last()
    outcomes = []
    for fraction in (0.02, 0.2, 0.4, 0.55, 0.7, 0.8, 0.9, 0.97):
        before = counts(db)
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(whole * fraction)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        after = counts(db)
        outcomes.append(after != before)
        assert after in (before, (before[0] + 40000, before[1] + 1)), (fraction, before, after)
        if after != before:  # it finished before the kill: take it back for the next round
            undo_last()
    assert counts(db)[0] == 500
    assert outcomes[0] is False           # killed at 2 % of the way: nothing of it stands


def test_backup_and_restore(tmp_path):
    db = tmp_path / "live.duckdb"
    service.import_path(survey_file(tmp_path, "one.xlsx", 300), "one.xlsx", db=db)
    copy = tmp_path / "backup.duckdb"
    assert store.backup(db, copy) == 300
    service.import_path(survey_file(tmp_path, "two.xlsx", 200, start=900), "two.xlsx", db=db)
    assert counts(db) == (500, 2)
    with pytest.raises(store.BackupRefused):
        store.backup(db, copy)       # never overwrites
    store.restore(copy, db)
    assert counts(db) == (300, 1)
    service.import_path(survey_file(tmp_path, "three.xlsx", 10, start=5000), "three.xlsx", db=db)
    assert counts(db) == (310, 2)   # the restored database takes imports as before


def test_restore_refuses_what_is_no_backup(tmp_path):
    db = tmp_path / "live.duckdb"
    service.import_path(survey_file(tmp_path, "one.xlsx", 10), "one.xlsx", db=db)
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"not a database")
    with pytest.raises(store.BackupRefused):
        store.restore(junk, db)
    assert counts(db) == (10, 1)


def test_backup_and_restore_from_the_command_line(tmp_path):
    db = tmp_path / "live.duckdb"
    service.import_path(survey_file(tmp_path, "one.xlsx", 30), "one.xlsx", db=db)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = tmp_path / "b.duckdb"
    done = subprocess.run([sys.executable, "-m", "analytics", "backup", str(out), "--db", str(db)], cwd=ROOT,
                          env=env, capture_output=True, text=True)
    assert done.returncode == 0 and "已備份" in done.stdout
    service.undo(1, db=db)
    done = subprocess.run([sys.executable, "-m", "analytics", "restore", str(out), "--db", str(db)], cwd=ROOT,
                          env=env, capture_output=True, text=True)
    assert done.returncode == 0 and counts(db) == (30, 1)


@pytest.mark.parametrize("kind", list(hostile_files.ALL))
def test_hostile_file_refused_quickly_with_bounded_memory_writing_nothing(tmp_path, kind):
    path = hostile_files.ALL[kind](tmp_path)
    db = tmp_path / "h.duckdb"
    proc = subprocess.run([sys.executable, "-c", (
        "import resource, subprocess, sys\n"
        f"r = subprocess.run([sys.executable, '-m', 'analytics', 'import', {str(path)!r}, '--db', {str(db)!r}],"
        " capture_output=True, text=True)\n"
        "peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, 0)\n"
        "print(r.returncode, peak)\nprint(r.stderr, file=sys.stderr)")],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=120)
    code, peak_kb = map(int, proc.stdout.split())
    assert code == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "panicked" not in proc.stderr and "backtrace" not in proc.stderr
    assert "未匯入" in proc.stderr
    assert peak_kb < 1_500_000, f"{kind}: {peak_kb} kB"
    assert counts(db) == (0, 0)


def test_file_at_the_size_limit_is_taken_and_one_byte_over_is_not(tmp_path, monkeypatch, empty_db):
    path = write_xlsx(tmp_path / "edge.xlsx", {"s": case_rows(["110/07", "第一課", "線上申辦", 3])})
    size = path.stat().st_size
    monkeypatch.setattr(reader, "MAX_UPLOAD_BYTES", size)
    importer.import_file(empty_db, path)
    monkeypatch.setattr(reader, "MAX_UPLOAD_BYTES", size - 1)
    with pytest.raises(Refused) as caught:
        importer.import_file(store.connect(":memory:"), path)
    assert "超過上限" in caught.value.render("zh")


def test_the_app_keeps_serving_while_a_hostile_file_is_parsed(tmp_path):
    db = tmp_path / "serve.duckdb"
    service.import_path(survey_file(tmp_path, "ok.xlsx", 100), "ok.xlsx", db=db)
    bomb = hostile_files.huge_dimension(tmp_path)
    served, done = [], threading.Event()

    def browse():
        while not done.is_set():
            with service.opened(db) as con:
                served.append(metrics.satisfaction_items(con, metrics.Filters())["answered"].iat[-1])

    th = threading.Thread(target=browse)
    th.start()
    try:
        with pytest.raises(Refused):
            service.import_path(bomb, bomb.name, db=db)
    finally:
        done.set()
        th.join()
    assert served and set(served) == {100}
