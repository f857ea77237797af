"""Text from files and users, made safe to print on a terminal.

A file name or cell may hold ESC sequences (which move the cursor, retitle the window,
rewrite what was printed before, or on some terminals answer back as typed input),
other C0 and C1 control characters, and line breaks that would forge lines of our
own output. They are shown as Python-style escapes instead (ESC as ``\\x1b``, a line
break as ``\\n``); everything printable, Chinese included, is left alone.
"""
from __future__ import annotations

import re

# C0 controls (line breaks and tabs too: inside a value they are data), DEL, C1
# controls, and the Unicode controls that reorder or hide what follows them (bidi
# embeddings, overrides and isolates, as in "Trojan Source"; the line and paragraph
# separators that some terminals and editors break lines at).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# What JSON leaves raw (it escapes U+0000–U+001F itself): escaped as \\uXXXX, still valid JSON.
_JSON_RAW = re.compile("[\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match) -> str:
    char = match.group()
    return _NAMED.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def terminal(text) -> str:
    """One line of output with every control character shown as an escape."""
    return _CONTROL.sub(_escape, str(text))


def terminal_json(text: str) -> str:
    """JSON text (from ``json.dumps``) with the controls JSON leaves raw escaped too."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
