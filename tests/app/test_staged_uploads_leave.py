"""A staged upload leaves the disk as soon as it is imported (issue 23): with one file
of an upload imported and another refused, the imported file's copy used to be staged
again on every rerun, for as long as the session lived, because the uploader still
listed it. The waiting-for-a-parse-slot word is the catalog's."""
from streamlit.testing.v1 import AppTest

from analytics.i18n import t
from conftest import ROOT, case_rows, staged_uploads, write_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_an_imported_file_is_not_staged_again_while_a_refused_one_waits(sample_db, tmp_path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_PARSE_IN_PROCESS", "1")
    good = write_xlsx(tmp_path / "good.xlsx", {"案件量": case_rows(["113/01", "第一課", "臨櫃", 3])}).read_bytes()
    bad = write_xlsx(tmp_path / "bad.xlsx", {"案件量": case_rows(["113/13", "第一課", "臨櫃", 3])}).read_bytes()
    before = staged_uploads()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/data_import.py").run()
    at.file_uploader(key="up").set_value([("good.xlsx", good, XLSX), ("bad.xlsx", bad, XLSX)]).run()
    assert not at.exception
    staged = staged_uploads() - before
    assert len(staged) == 2
    at.button(key="confirm_import").click().run()
    assert not at.exception
    for _ in range(3):                                  # reruns, as any click brings
        at.run()
        left = staged_uploads() - before
        assert len(left) == 1, left                     # the refused file only
        assert (next(iter(left)) / "upload.xlsx").read_bytes() == bad
    at.file_uploader(key="up").clear().run()
    assert staged_uploads() - before == set()


def test_the_waiting_word_is_in_both_catalogs():
    for lang in ("zh", "en"):
        text = t("import.parse_waiting_file", lang, file="月報.xlsx")
        assert "月報.xlsx" in text and "{" not in text
