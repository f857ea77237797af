"""Nothing lost, nothing counted twice: idempotent imports, replace by key, undo."""
import datetime as dt

import pytest

from analytics import importer, store
from conftest import case_rows, survey_rows, table


def total(con):
    return con.execute("SELECT coalesce(sum(count), 0) FROM case_volumes").fetchone()[0]


def test_same_file_twice_changes_nothing_and_says_so(xlsx, empty_db):
    path = xlsx({"s": case_rows(["110/07", "第一課", "線上申辦", 3])})
    first = importer.import_file(empty_db, path)
    version = store.data_version(empty_db)
    again = importer.import_file(empty_db, path)
    assert again.batch_id is None and again.existing_batch == first.batch_id
    assert "未做任何變更" in again.notices[0]
    assert total(empty_db) == 3 and len(store.history(empty_db)) == 1
    assert store.data_version(empty_db) == version


def test_corrected_month_replaces_that_month_only(xlsx, empty_db):
    importer.import_file(empty_db, xlsx({"s": case_rows(["110/07", "第一課", "線上申辦", 3], ["110/08", "第一課", "線上申辦", 4])}))
    importer.import_file(empty_db, xlsx({"s": case_rows(["110/08", "一課", "線上申辦", 40])}))
    assert table(empty_db, "case_volumes", "month, count, batch_id") == [
        (dt.date(2021, 7, 1), 3, 1), (dt.date(2021, 8, 1), 40, 2)]


def test_undo_removes_rows_and_brings_back_what_it_replaced(xlsx, empty_db):
    importer.import_file(empty_db, xlsx({"s": case_rows(["110/07", "第一課", "線上申辦", 3], ["110/08", "第一課", "線上申辦", 4])}))
    second = importer.import_file(empty_db, xlsx({"s": case_rows(["110/08", "第一課", "線上申辦", 40],
                                                                 ["110/09", "第一課", "線上申辦", 5])}))
    assert total(empty_db) == 48
    result = store.undo_batch(empty_db, second.batch_id)
    assert result.removed == {"case_volumes": 2}
    assert result.restored == {"case_volumes": 1}     # 110/08's 4, which the second batch had replaced
    assert "移除 案件量 2 筆" in result.message() and "還原被它取代的 案件量 1 筆" in result.message()
    assert total(empty_db) == 7
    assert table(empty_db, "case_volumes", "count, batch_id", "month") == [(3, 1), (4, 1)]
    assert store.history(empty_db)[1]["undone_at"] is not None


def test_undone_file_can_be_imported_again(xlsx, empty_db):
    path = xlsx({"s": case_rows(["110/07", "第一課", "線上申辦", 3])})
    batch = importer.import_file(empty_db, path).batch_id
    store.undo_batch(empty_db, batch)
    assert total(empty_db) == 0
    assert importer.import_file(empty_db, path).batch_id is not None
    assert total(empty_db) == 3


def test_undo_of_a_batch_replaced_later_waits_for_the_later_one(xlsx, empty_db):
    a = importer.import_file(empty_db, xlsx({"s": case_rows(["110/07", "第一課", "線上申辦", 1])})).batch_id
    b = importer.import_file(empty_db, xlsx({"s": case_rows(["110/07", "第一課", "線上申辦", 2])})).batch_id
    with pytest.raises(store.UndoRefused) as caught:
        store.undo_batch(empty_db, a)
    assert caught.value.code == "undo.superseded" and caught.value.params["later"] == str(b)
    assert total(empty_db) == 2
    store.undo_batch(empty_db, b)
    store.undo_batch(empty_db, a)
    assert total(empty_db) == 0


def test_undo_twice_or_unknown_batch_is_refused(xlsx, empty_db):
    batch = importer.import_file(empty_db, xlsx({"s": case_rows(["110/07", "第一課", "線上申辦", 1])})).batch_id
    store.undo_batch(empty_db, batch)
    with pytest.raises(store.UndoRefused):
        store.undo_batch(empty_db, batch)
    with pytest.raises(store.UndoRefused):
        store.undo_batch(empty_db, 999)


def test_phone_items_follow_their_test_through_replace_and_undo(xlsx, empty_db):
    header = ["測試日期", "受測單位", "測試類型", "受測人員", "接聽速度", "態度語氣"]
    importer.import_file(empty_db, xlsx({"p": [header, ["110/04/01", "一課", "內部測試", "甲", 40, 45]]}))
    second = importer.import_file(empty_db, xlsx({"p": [header, ["110/04/01", "一課", "內部測試", "甲", 30, 30]]}))
    assert table(empty_db, "phone_test_items", "score", "score") == [(30.0,), (30.0,)]
    store.undo_batch(empty_db, second.batch_id)
    assert table(empty_db, "phone_test_items", "score", "score") == [(40.0,), (45.0,)]


def test_survey_without_numbers_is_replaced_not_doubled(xlsx, empty_db):
    rows = survey_rows(["110/07/17", "本分局", 5, 5, 5, 5, 5, 5], ["110/07/17", "本分局", 4, 4, 4, 4, 4, 4])
    importer.import_file(empty_db, xlsx({"s": rows}))
    rows[2][7] = 2  # a corrected sheet: the second questionnaire's overall answer
    importer.import_file(empty_db, xlsx({"s": rows}))
    assert table(empty_db, "survey_responses", "overall", "overall") == [(2,), (5,)]


class Boom(Exception):
    pass


class FailingConnection:
    """The real connection, except that the statement containing ``fail_on`` fails."""

    def __init__(self, con, fail_on):
        self.con, self.fail_on = con, fail_on

    def execute(self, sql, *args):
        if self.fail_on in sql:
            raise Boom(sql)
        return self.con.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self.con, name)


def test_a_failure_while_writing_leaves_nothing(xlsx, empty_db):
    importer.import_file(empty_db, xlsx({"s": case_rows(["110/07", "第一課", "線上申辦", 1])}))
    path = xlsx({"a": case_rows(["110/07", "第一課", "線上申辦", 5]),
                 "b": survey_rows(["110/07/17", "本分局", 5, 5, 5, 5, 5, 5])})
    # The case rows (replacing the stored July) are written before the survey rows fail.
    with pytest.raises(Boom):
        importer.import_file(FailingConnection(empty_db, 'INSERT INTO "survey_responses"'), path)
    assert table(empty_db, "case_volumes", "count, batch_id") == [(1, 1)]
    assert empty_db.execute("SELECT count(*) FROM case_volumes_replaced").fetchone()[0] == 0
    assert len(store.history(empty_db)) == 1
    assert empty_db.execute("SELECT count(*) FROM survey_responses").fetchone()[0] == 0


def test_schema_is_versioned_and_reopening_keeps_data(tmp_path, xlsx):
    path = tmp_path / "d.duckdb"
    con = store.connect(path)
    importer.import_file(con, xlsx({"s": case_rows(["110/07", "第一課", "線上申辦", 3])}))
    con.close()
    con = store.connect(path)
    assert con.execute("SELECT max(version) FROM schema_version").fetchone()[0] == store.SCHEMA_VERSION
    assert total(con) == 3
    con.close()


def first_schema_database(path):
    """A database exactly as the first release wrote it: migration 0001's literal DDL
    and nothing after, holding one import's rows in that schema's columns."""
    import duckdb
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    for statement in store.migrations()[0][1]:
        con.execute(statement.rstrip(";"))
    con.execute("INSERT INTO schema_version VALUES (1)")
    con.execute("""INSERT INTO batches VALUES (1, 'old.xlsx', 'abc', TIMESTAMP '2022-01-05 10:00:00', 'clerk', 3,
                   '{"case_volumes": 1, "phone_tests": 1, "targets": 1}', false, NULL, NULL)""")
    con.execute("""INSERT INTO case_volumes VALUES (1, 'k1', DATE '2021-07-01', '第一課', '線上申辦', '線上', '件',
                   42, NULL, NULL, NULL, NULL)""")
    con.execute("""INSERT INTO phone_tests VALUES (1, 'p1', DATE '2021-04-01', '第一課', '內部測試', NULL, '110-H1',
                   NULL, 88, true)""")
    con.execute("INSERT INTO phone_test_items VALUES (1, 'p1', '接聽速度', 12)")
    con.execute("INSERT INTO targets VALUES (1, 't1', 2021, '整體滿意度', 0.95)")
    con.close()
    return path


def test_a_database_of_the_first_release_opens_and_migrates(tmp_path):
    path = first_schema_database(tmp_path / "v1.duckdb")
    con = store.connect(path)
    assert con.execute("SELECT max(version) FROM schema_version").fetchone()[0] == store.SCHEMA_VERSION
    assert con.execute("SELECT count FROM case_volumes").fetchall() == [(42,)]
    assert con.execute("SELECT points FROM phone_test_items").fetchall() == [(None,)]   # added by 0003, empty
    assert con.execute("SELECT half FROM targets").fetchall() == [(0,)]                # added by 0004, whole year
    assert store.undo_batch(con, 1).removed == {"case_volumes": 1, "phone_tests": 1, "targets": 1}
    con.close()


def test_a_backup_made_by_the_first_release_restores(tmp_path):
    backup = first_schema_database(tmp_path / "backup_v1.duckdb")
    db = tmp_path / "live.duckdb"
    store.connect(db).close()
    assert store.restore(backup, db) == 4             # case, phone test, its item, target
    con = store.connect(db)
    assert con.execute("SELECT max(version) FROM schema_version").fetchone()[0] == store.SCHEMA_VERSION
    assert [b["file"] for b in store.history(con)] == ["old.xlsx"]
    con.close()


def test_released_migrations_are_frozen_literal_text():
    # Fingerprints of each migration as released: editing a released migration would
    # change the schema under databases that already ran it. Add a migration instead.
    import hashlib
    released = {'0001_initial.sql': '5c442323b7f50608', '0002_strategies.sql': '8a5d59a87ea521b7', '0003_phone_item_points.sql': 'f54b50211ea8daae', '0004_target_half.sql': '4b2aa66e4cdeea1f', '0005_plan_text.sql': 'd2d733709913b820'}
    for name, fingerprint in released.items():
        assert hashlib.sha256((store.MIGRATIONS_DIR / name).read_bytes()).hexdigest()[:16] == fingerprint, name
    assert [n for n, _ in store.migrations()] == list(range(1, store.SCHEMA_VERSION + 1))
