"""Importing, undoing and seeing staff names need an editor."""
import io
import os
import subprocess
import sys

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from analytics import service, store
from conftest import ROOT, case_rows
from ui.auth import password_matches

APP = str(ROOT / "app.py")
PASSWORD = "臺南分局編輯密碼"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def import_page():
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("pages/data_import.py").run()
    return at


def submit(at):
    """Press the sign-in form's submit button."""
    button = next(b for b in at.button if b.proto.is_form_submitter)
    button.click().run()


def workbook() -> bytes:
    wb = openpyxl.Workbook()
    for row in case_rows(["114/03", "第一課", "編輯測試", 7]):
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture
def sample_db(db_path):
    service.load_sample_if_new(db_path)
    return db_path


def test_open_mode_says_so_and_lets_anyone_import(sample_db, monkeypatch):
    monkeypatch.delenv("DASHBOARD_EDITOR_PASSWORD", raising=False)
    at = import_page()
    assert any("未設定編輯密碼" in i.value for i in at.info)
    assert len(at.file_uploader) == 1


def test_password_gates_the_uploader_and_records_who(sample_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_EDITOR_PASSWORD", PASSWORD)
    at = import_page()
    assert len(at.file_uploader) == 0
    assert not at.get("button") or all(b.key != "undo_btn" for b in at.button)

    at.text_input(key="editor_password_input").input("wrong")
    submit(at)
    assert len(at.file_uploader) == 0

    at.text_input(key="editor_name_input").input("王課長")
    at.text_input(key="editor_password_input").input(PASSWORD)
    submit(at)
    assert any("王課長" in s.value for s in at.success)
    assert len(at.file_uploader) == 1

    at.file_uploader(key="up").upload("edit.xlsx", workbook(), XLSX).run()
    at.button(key="confirm_import").click().run()
    con = store.connect(sample_db)
    assert store.history(con)[-1]["user"] == "王課長"
    con.close()

    at.button(key="editor_logout").click().run()
    assert len(at.file_uploader) == 0


def test_wrong_password_says_so(sample_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_EDITOR_PASSWORD", PASSWORD)
    at = import_page()
    at.text_input(key="editor_password_input").input("不對")
    submit(at)
    assert any("密碼不正確" in e.value for e in at.error)
    assert len(at.file_uploader) == 0


def test_passwords_compare_as_utf8_bytes():
    assert password_matches("臺南分局", "臺南分局")
    assert not password_matches("臺南分局", "台南分局")
    assert not password_matches("", "x")


def test_staff_names_need_an_editor(sample_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_EDITOR_PASSWORD", PASSWORD)
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("pages/phone.py").run()
    assert at.toggle(key="phone_show_names").disabled


def test_command_line_export_masks_names_unless_asked(sample_db, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = tmp_path / "p.csv"
    for flag, masked in (([], True), (["--names"], False)):
        subprocess.run([sys.executable, "-m", "analytics", "export", "phone_tests", "--year", "110", "--format", "csv",
                        "-o", str(out), "--db", str(sample_db), *flag], cwd=ROOT, env=env, check=True)
        import csv
        names = [r["受測人員"] for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")))]
        assert len(names) == 96
        assert all("○" in n for n in names) is masked


def test_oidc_sign_in_offered_where_auth_is_configured(sample_db, monkeypatch):
    monkeypatch.delenv("DASHBOARD_EDITOR_PASSWORD", raising=False)
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x",
                          "client_id": "id", "client_secret": "s",
                          "server_metadata_url": "https://login.example/.well-known/openid-configuration"}
    at.run()
    at.switch_page("pages/data_import.py").run()
    assert not at.exception
    assert at.button(key="oidc_login")
    assert len(at.file_uploader) == 0   # configured sign-in: no longer open to anyone
