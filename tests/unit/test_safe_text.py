"""What reaches a terminal from data: every control character shown as an escape."""
import json

import pytest

from analytics.safe_text import terminal, terminal_json


@pytest.mark.parametrize("raw, shown", [
    ("\x1b[2J\x1b]0;title\x07", "\\x1b[2J\\x1b]0;title\\x07"),     # clear screen, retitle window, bell
    ("a\nb\r\nc\td", "a\\nb\\r\\nc\\td"),                          # line breaks inside a value stay inside
    ("\x00\x7f\x9b31m\x85", "\\x00\\x7f\\x9b31m\\x85"),             # NUL, DEL, C1 CSI and NEL
    ("abc\u202edcba\u2066x\u2069", "abc\\u202edcba\\u2066x\\u2069"),  # bidi override and isolate
    ("行\u2028分", "行\\u2028分"),
])
def test_controls_are_escaped(raw, shown):
    assert terminal(raw) == shown


def test_printable_text_is_left_alone():
    text = "臺南分局 第一課 110/07/17 ＡＢＣ１２３ !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ é ü 😀"
    assert terminal(text) == text


def test_json_stays_json_with_every_control_escaped():
    value = {"file": "\x1b[31m\x9b報表\u202e\x7f.xlsx"}
    text = terminal_json(json.dumps(value, ensure_ascii=False))
    assert json.loads(text) == value
    assert terminal(text) == text
