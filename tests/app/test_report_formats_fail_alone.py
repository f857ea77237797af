"""One report format failing (issue 23) leaves the report page up for everyone: the
other formats are offered, the failure is said in words from the catalog — no generic
error, no traceback — and logged on the server."""
import logging

from streamlit.testing.v1 import AppTest

from conftest import ROOT


def test_the_report_page_offers_the_other_formats_when_one_fails(sample_db, monkeypatch, caplog):
    from analytics.report import word

    def broken(r):
        raise ValueError("All strings must be XML compatible")
    monkeypatch.setattr(word, "to_docx", broken)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    with caplog.at_level(logging.ERROR, logger="dashboard.report"):
        at.switch_page("pages/report.py").run()
    assert not at.exception, [e.value for e in at.exception]
    buttons = {b.proto.label for b in at.get("download_button")}
    assert buttons == {"下載 .odt", "下載 .xlsx", "下載 .ods", "下載 .html"}, buttons
    assert any(".docx" in w.value and "無法產生" in w.value for w in at.warning)
    assert any(".docx" in c.value for c in at.caption)
    assert any(r.name == "dashboard.report" and r.exc_info for r in caplog.records)
