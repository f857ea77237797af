"""Importing, undoing and seeing staff names need an editor."""
import io
import logging
import re

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from analytics import store
from conftest import ROOT, case_rows
from ui import auth, throttle
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


@pytest.fixture(autouse=True)
def fresh_throttle():
    """The sign-in counter lives as long as the process: each test starts from zero."""
    throttle.SIGN_IN.reset()
    yield
    throttle.SIGN_IN.reset()


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


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_five_free_guesses_then_waits_that_grow_from_30_seconds():
    clock = Clock()
    guard = throttle.Throttle(clock=clock)
    assert [guard.failed("203.0.113.5") for _ in range(4)] == [0, 0, 0, 0]
    assert guard.wait("203.0.113.5") == 0
    assert guard.failed("203.0.113.5") == 30           # the fifth failure
    assert guard.wait("203.0.113.5") == 30 and guard.wait("203.0.113.9") == 0
    clock.now += 29
    assert guard.wait("203.0.113.5") == 1
    clock.now += 1
    assert guard.wait("203.0.113.5") == 0
    assert [guard.failed("203.0.113.5") for _ in range(3)] == [60, 120, 240]
    assert [guard.failed("203.0.113.5") for _ in range(5)][-1] == throttle.LONGEST_WAIT
    guard.succeeded("203.0.113.5")
    assert guard.wait("203.0.113.5") == 0 and guard.failures("203.0.113.5") == 0


def test_a_count_left_alone_for_a_day_starts_again():
    clock = Clock()
    guard = throttle.Throttle(clock=clock)
    for _ in range(5):
        guard.failed("x")
    clock.now += throttle.FORGET_AFTER + 1
    assert guard.wait("x") == 0 and guard.failures("x") == 0


def test_a_flood_of_addresses_shares_one_count(monkeypatch):
    monkeypatch.setattr(throttle, "MOST_KEYS", 3)
    guard = throttle.Throttle(clock=Clock())
    for address in ("a", "b", "c"):
        guard.failed(address)
    for address in ("d", "e", "f", "g", "h"):
        guard.failed(address)
    assert guard.failures(throttle.OVERALL) == 5 and guard.wait("z") == 30
    assert guard.wait("a") == 0


@pytest.fixture
def sign_in_log():
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    auth.log.addHandler(handler)
    yield records
    auth.log.removeHandler(handler)


WAIT_SAID = re.compile(r"密碼錯誤次數過多，請於 \d+ 秒後再試")


def attempt(at, password, name="王課長"):
    at.text_input(key="editor_name_input").input(name)
    at.text_input(key="editor_password_input").input(password)
    submit(at)


def test_after_five_wrong_passwords_even_the_right_one_waits(sample_db, monkeypatch, sign_in_log):
    """The probe's 50 guesses over one websocket, then the right one: now the sixth
    attempt is refused unread, the wait is said, and every attempt is logged."""
    monkeypatch.setenv("DASHBOARD_EDITOR_PASSWORD", PASSWORD)
    at = import_page()
    for i in range(5):
        attempt(at, f"猜{i}")
    assert any(WAIT_SAID.search(e.value) for e in [*at.error, *at.caption])     # counted down in a caption
    attempt(at, PASSWORD)
    assert len(at.file_uploader) == 0
    assert any(WAIT_SAID.search(e.value) for e in [*at.error, *at.caption])
    fresh = import_page()                       # a new session from the same (unknown) address
    attempt(fresh, PASSWORD)
    assert len(fresh.file_uploader) == 0
    messages = [r.getMessage() for r in sign_in_log]
    assert len(messages) == 7
    assert all("failed" in m for m in messages[:5]) and all("refused" in m for m in messages[5:])
    assert "failure 5, next attempt in 30 s" in messages[4]
    assert all(re.search(r": at 20\d\d-\d\d-\d\dT[\d:]+[+-][\d:]+, address -, name '王課長'", m) for m in messages)
    text = " ".join(messages)
    assert PASSWORD not in text and "猜0" not in text


def test_each_address_has_its_own_count(sample_db, monkeypatch, sign_in_log):
    monkeypatch.setenv("DASHBOARD_EDITOR_PASSWORD", PASSWORD)
    monkeypatch.setattr(auth, "client_address", lambda: "203.0.113.5")
    at = import_page()
    for i in range(5):
        attempt(at, f"猜{i}")
    monkeypatch.setattr(auth, "client_address", lambda: "203.0.113.9")
    other = import_page()
    attempt(other, PASSWORD)
    assert len(other.file_uploader) == 1
    assert "succeeded" in sign_in_log[-1].getMessage() and "address 203.0.113.9," in sign_in_log[-1].getMessage()
    assert throttle.SIGN_IN.wait("203.0.113.5") > 0


def test_the_signed_in_name_is_shown_as_text_never_markdown(sample_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_EDITOR_PASSWORD", PASSWORD)
    at = import_page()
    attempt(at, PASSWORD, name="![f](http://127.0.0.1:9/x.png) **粗體** <img src=x>")
    body = next(s.value for s in at.success if "已以編輯者身分登入" in s.value)
    unescaped = re.sub(r"\\.", "", body)
    assert not set("![]()*<>:") & set(unescaped), unescaped
    # every mark escaped, and the address kept a word (no autolink): http\u200b\:…
    assert "\\!\\[f\\]\\(http\u200b\\:\\/\\/127\\.0\\.0\\.1\\:9\\/x\\.png\\) \\*\\*粗體\\*\\* \\<img src\\=x\\>" in body
