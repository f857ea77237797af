"""The app's kept DuckDB connection (ui/data.kept_open) is closed deterministically:
by its timer a moment after the last use, and by close_kept at interpreter exit —
never by a daemon thread while the interpreter tears down, which aborted the process
(exit 134, "terminate called without an active exception") on a loaded machine."""
import duckdb
import pytest

from ui import data


def test_close_kept_closes_every_kept_connection_and_stops_its_timer(db_path, monkeypatch):
    monkeypatch.setattr(data, "KEEP_OPEN_SECONDS", 3600)       # the timer would not fire during the test
    with data.kept_open(str(db_path)):
        entry = data._kept[str(db_path)]
        con = entry["con"]
        assert con.execute("SELECT 1").fetchone() == (1,)
    timer = entry["timer"]
    assert timer is not None and timer.is_alive()
    data.close_kept()
    assert data._kept == {}
    assert not timer.is_alive()
    with pytest.raises(duckdb.ConnectionException):
        con.execute("SELECT 1")
    duckdb.connect(str(db_path)).close()      # the file is free for another instance


def test_the_timer_releases_the_connection_after_the_last_use(db_path, monkeypatch):
    monkeypatch.setattr(data, "KEEP_OPEN_SECONDS", 0.01)
    with data.kept_open(str(db_path)):
        entry = data._kept[str(db_path)]
    entry["timer"].join(5)
    assert str(db_path) not in data._kept and entry["con"] is None
