"""A file is parsed before the writer is taken: while one session's upload parses,
other sessions' imports and undos and other processes' commands go on."""
import json
import os
import subprocess
import sys
import threading

from analytics import importer, service, store
from conftest import ROOT, case_rows, write_xlsx


def test_app_import_parses_holding_neither_the_writer_nor_the_database(tmp_path, monkeypatch):
    db = tmp_path / "app.duckdb"
    slow = write_xlsx(tmp_path / "slow.xlsx", {"s": case_rows(["110/07", "第一課", "線上申辦", 3])})
    other = write_xlsx(tmp_path / "other.xlsx", {"s": case_rows(["110/08", "第二課", "線上申辦", 4])})
    service.opened(db).__enter__().close()
    parsing, release = threading.Event(), threading.Event()
    real_parse = importer.parse_file

    def parse(path, *args, **kwargs):
        if path.name == "slow.xlsx":
            parsing.set()
            assert release.wait(60)
        return real_parse(path, *args, **kwargs)

    monkeypatch.setattr(importer, "parse_file", parse)
    results = []
    worker = threading.Thread(target=lambda: results.append(service.import_path(slow, "slow.xlsx", db=db)))
    worker.start()
    try:
        assert parsing.wait(60)
        assert service._WRITER.acquire(blocking=False)      # nobody holds the writer …
        service._WRITER.release()
        assert service.import_path(other, "other.xlsx", db=db).batch_id == 1   # … so another import goes through
        stats = subprocess.run([sys.executable, "-m", "analytics", "stats", "--db", str(db)], cwd=ROOT,
                               env={**os.environ, "PYTHONPATH": str(ROOT), "DASHBOARD_LOCK_WAIT": "0"},
                               capture_output=True, text=True, timeout=60)
        assert stats.returncode == 0, stats.stderr      # … and another process opens the database
        assert json.loads(stats.stdout)["case_volumes"]["2021"]["total"] == 4
    finally:
        release.set()
        worker.join(60)
    assert results[0].batch_id == 2
    with service.opened(db) as con:
        assert con.execute("SELECT sum(count) FROM case_volumes").fetchone()[0] == 7


def test_identical_file_is_checked_again_under_the_writer(tmp_path, monkeypatch):
    """Two sessions parse the same file at once: the second to take the writer finds
    the first's batch and writes nothing."""
    db = tmp_path / "twice.duckdb"
    path = write_xlsx(tmp_path / "same.xlsx", {"s": case_rows(["110/07", "第一課", "線上申辦", 3])})
    both_parsed = threading.Barrier(2, timeout=60)
    real_parse = importer.parse_file

    def parse(*args, **kwargs):
        parsed = real_parse(*args, **kwargs)
        both_parsed.wait()
        return parsed

    monkeypatch.setattr(importer, "parse_file", parse)
    results = []
    workers = [threading.Thread(target=lambda: results.append(service.import_path(path, "same.xlsx", db=db)))
               for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert sorted(r.batch_id is None for r in results) == [False, True]
    with service.opened(db) as con:
        assert store.history(con)[0]["rows"] == 1 and len(store.history(con)) == 1


def test_settings_changed_while_parsing_means_parsing_again(tmp_path, monkeypatch):
    db = tmp_path / "settings.duckdb"
    path = write_xlsx(tmp_path / "phone.xlsx", {"電話": [["測試日期", "受測單位", "測試類型", "總分"],
                                                        ["110/07/01", "第一課", "內部測試", 85]]})
    service.opened(db).__enter__().close()
    real_parse = importer.parse_file
    marks = []

    def parse(path, name, settings, on_wait=None, **kwargs):
        marks.append(settings["pass_mark"])
        if len(marks) == 1:   # an administrator raises the pass mark meanwhile
            with service.opened(db, write=True) as con:
                con.execute("UPDATE settings SET value = '90' WHERE key = 'pass_mark'")
        return real_parse(path, name, settings)

    monkeypatch.setattr(importer, "parse_file", parse)
    service.import_path(path, "phone.xlsx", db=db)
    assert marks == [80.0, 90.0]
    with service.opened(db) as con:
        assert con.execute("SELECT passed FROM phone_tests").fetchall() == [(False,)]
