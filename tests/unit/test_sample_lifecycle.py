"""The bundled sample never stands beside real data: the first real import withdraws
it (as an undo in the history, said in the result), and it can be loaded again only
into an empty database."""
import pytest

from analytics import importer, sample, service, store
from conftest import case_rows


@pytest.fixture
def sample_db_con(sample_db):
    """A connection to the sample_db file (the first start's database)."""
    con = store.connect(sample_db)
    yield con
    con.close()


def test_first_real_import_withdraws_the_sample_in_the_same_batch(sample_db_con, xlsx):
    sample_rows = sample_db_con.execute("SELECT count(*) FROM case_volumes").fetchone()[0]
    assert store.sample_shown(sample_db_con)
    # 110/07 第一課 線上申辦 is also a natural key of the sample: the sample must go
    # first, or its rows would be "replaced" and the withdrawal refused.
    result = importer.import_file(sample_db_con, xlsx({"s": case_rows(["110/07", "第一課", "線上申辦", 3],
                                                                   ["114/01", "嘉辦", "線上申辦", 5])}))
    assert sample_db_con.execute("SELECT sum(count) FROM case_volumes").fetchone()[0] == 8
    assert not store.sample_shown(sample_db_con)
    history = store.history(sample_db_con)
    assert [b["status"] for b in history] == ["undone", "active"]
    assert history[0]["is_sample"] and history[0]["undone_at"] is not None
    assert [u.batch for u in result.withdrawn] == [1]
    assert result.withdrawn[0].removed["case_volumes"] == sample_rows
    said = "\n".join(result.messages())
    assert "已撤下示範資料" in said and "批次 1" in said
    assert "sample data was withdrawn" in "\n".join(result.messages("en"))


def test_undoing_the_real_import_leaves_an_empty_database_that_can_take_the_sample_again(sample_db_con, xlsx, db_path):
    result = importer.import_file(sample_db_con, xlsx({"s": case_rows(["114/01", "嘉辦", "線上申辦", 5])}))
    with pytest.raises(store.UndoRefused):
        service.load_sample(db=db_path)              # real data in force: no sample beside it
    store.undo_batch(sample_db_con, result.batch_id)
    assert store.is_empty(sample_db_con)
    again = service.load_sample(db=db_path)
    assert again.batch_id is not None and not again.withdrawn
    assert store.sample_shown(sample_db_con)
    assert sample_db_con.execute("SELECT count(*) FROM case_volumes WHERE year(month) = 2021").fetchone()[0] > 0


def test_the_bundled_workbook_counts_as_sample_however_it_is_imported(empty_db):
    result = importer.import_file(empty_db, sample.sample_path())    # as the command line would
    assert store.history(empty_db)[0]["is_sample"]
    assert store.sample_shown(empty_db) and not result.withdrawn


def test_an_unchanged_file_withdraws_nothing(sample_db_con, xlsx):
    path = xlsx({"s": case_rows(["114/01", "嘉辦", "線上申辦", 5])})
    importer.import_file(sample_db_con, path)
    again = importer.import_file(sample_db_con, path)
    assert again.batch_id is None and not again.withdrawn
    assert "內容相同" in again.messages()[0]

