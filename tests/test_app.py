"""The app on its embedded default: first start loads the sample, marks it, shows it."""
import pytest
from streamlit.testing.v1 import AppTest

from analytics import importer, service, store
from conftest import ROOT, case_rows

APP = str(ROOT / "app.py")


def run_app(lang=None):
    at = AppTest.from_file(APP, default_timeout=60)
    if lang:
        at.session_state["lang"] = lang
    return at.run()


@pytest.fixture
def fresh_db(db_path):
    return db_path


def test_first_start_loads_the_sample_and_marks_it(fresh_db):
    at = run_app()
    assert not at.exception
    assert any("示範資料" in w.value for w in at.warning)
    con = store.connect(fresh_db)
    try:
        history = store.history(con)
    finally:
        con.close()
    assert len(history) == 1 and history[0]["is_sample"]
    frames = [df.value for df in at.dataframe]
    summary = frames[0]
    assert "民國 110 年" in set(summary["年度"])


def test_banner_goes_once_real_data_is_imported(fresh_db, xlsx):
    service.load_sample_if_new()
    con = store.connect(fresh_db)
    importer.import_file(con, xlsx({"s": case_rows(["114/01", "第一課", "線上申辦", 3])}))
    con.close()
    at = run_app()
    assert not at.exception
    assert not any("示範資料" in w.value for w in at.warning)


def test_english_ui(fresh_db):
    at = run_app("en")
    assert not at.exception
    assert at.title[0].value == "Data overview"
    assert any("Sample data" in w.value for w in at.warning)


def test_a_second_start_does_not_load_the_sample_again(fresh_db):
    assert service.load_sample_if_new() is not None
    assert service.load_sample_if_new() is None
