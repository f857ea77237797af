"""The database, its WAL and every backup are the owner's alone (issue 23: they hold
unmasked staff names and were created 0644). Each test starts from the usual umask 022,
as a service or a shell gives it."""
import os
import stat

import duckdb
import pytest

from analytics import store


@pytest.fixture(autouse=True)
def usual_umask():
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_database_its_wal_and_its_new_folders_are_private(tmp_path):
    target = tmp_path / "new" / "data" / "dash.duckdb"
    con = store.connect(target)
    try:
        con.execute("CREATE TABLE probe (x INTEGER)")
        con.execute("INSERT INTO probe VALUES (1)")          # a write after the checkpoint: DuckDB makes the WAL
        wal = tmp_path / "new" / "data" / "dash.duckdb.wal"
        assert wal.exists()
        assert mode(wal) == 0o600
        assert mode(target) == 0o600
    finally:
        con.close()
    assert mode(tmp_path / "new") == 0o700 and mode(tmp_path / "new" / "data") == 0o700


def test_an_existing_folder_keeps_its_mode(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)
    store.connect(shared / "dash.duckdb").close()
    assert mode(shared) == 0o755 and mode(shared / "dash.duckdb") == 0o600


def test_a_database_an_earlier_version_left_readable_is_made_private(tmp_path):
    target = tmp_path / "old.duckdb"
    duckdb.connect(str(target)).close()
    assert mode(target) == 0o644                 # as DuckDB makes it under umask 022
    store.connect(target).close()
    assert mode(target) == 0o600


def test_backups_and_restores_are_private(tmp_path):
    db = tmp_path / "dash.duckdb"
    store.connect(db).close()
    os.umask(0o022)                              # whatever happened in between
    store.backup(db, tmp_path / "copy.duckdb")
    assert mode(tmp_path / "copy.duckdb") == 0o600
    os.umask(0o022)
    os.chmod(db, 0o644)
    store.restore(tmp_path / "copy.duckdb", db)
    assert mode(db) == 0o600


def test_the_process_keeps_creating_private_files_after_opening_a_database(tmp_path):
    store.connect(tmp_path / "dash.duckdb").close()
    (tmp_path / "later.csv").write_text("x")     # e.g. the command line's -o file
    assert mode(tmp_path / "later.csv") == 0o600
