"""Turn the cell values of real workbooks into clean Python values.

Every parser takes one raw cell value (str, int, float, bool, date, datetime or "")
and returns a clean value, None for blank, or a ``Bad`` naming what is wrong.
``convert_codes`` applies a parser to each *distinct* value of a column only, so a
100,000-row sheet with 365 dates costs 365 parses.

Only the standard library at import: the command line's import loads this module
before it starts the parse child (analytics/__main__.py), and neither NumPy nor
pandas is needed for that. pandas is never imported here at all: a pandas ``NA`` or
``NaT`` can only reach ``is_blank`` once something else has imported pandas.
"""
from __future__ import annotations

import datetime as dt
import math
import re
import sys
import unicodedata
from dataclasses import dataclass

ROC_OFFSET = 1911
MIN_YEAR, MAX_YEAR = 1990, 2100


@dataclass(frozen=True)
class Bad:
    """A value that cannot be taken; ``code`` is a message-catalog key."""

    code: str
    params: tuple = ()


# Characters that change how text reads without showing themselves, removed from every
# cell and header on import (issue 23): the C0 and C1 control characters (tab, line feed
# and carriage return excepted — they are white space, which every field folds to one
# space), and Unicode's format characters (category Cf): the bidi embeddings, overrides,
# isolates and marks (U+202A–202E, U+2066–2069, U+200E/U+200F, U+061C), zero-width
# spaces and joiners (U+200B–U+200D), the word joiner and invisible operators
# (U+2060–2064), the byte-order mark (U+FEFF), the soft hyphen, tag characters …;
# everything else Unicode calls default-ignorable (drawn as nothing: the combining
# grapheme joiner, the Hangul fillers U+115F/U+1160/U+3164/U+FFA0, the Khmer inherent
# vowels, Mongolian and other variation selectors — 第一課 and 第一課 + U+FE0F would
# otherwise be two units that look alike); and the non-characters U+FFFE/U+FFFF, which
# no XML document may hold.
# tests/unit/test_invisible_text.py checks the list against Python's Unicode database.
INVISIBLE_RANGES = (
    (0x00, 0x08), (0x0B, 0x0C), (0x0E, 0x1F), (0x7F, 0x9F), (0xAD, 0xAD), (0x34F, 0x34F), (0x600, 0x605),
    (0x61C, 0x61C), (0x6DD, 0x6DD), (0x70F, 0x70F), (0x890, 0x891), (0x8E2, 0x8E2), (0x115F, 0x1160),
    (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
    (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFFB), (0xFFFE, 0xFFFF),
    (0x110BD, 0x110BD), (0x110CD, 0x110CD), (0x13430, 0x1343F), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
_INVISIBLE = re.compile("[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in INVISIBLE_RANGES) + "]")
# The same set in RE2's syntax, for Arrow's regular expressions (pyarrow.compute).
INVISIBLE_RE2 = "[" + "".join(f"\\x{{{a:x}}}-\\x{{{b:x}}}" for a, b in INVISIBLE_RANGES) + "]"


def strip_invisible(text: str) -> str:
    """``text`` without the characters of INVISIBLE_RANGES."""
    return _INVISIBLE.sub("", text)


def has_invisible(text) -> bool:
    return isinstance(text, str) and _INVISIBLE.search(text) is not None


def show_invisible(text: str) -> str:
    """``text`` with each invisible character written as its code (``\\u202e``), so that
    a message can point at it."""
    return _INVISIBLE.sub(_code, text)


def _code(match: re.Match) -> str:
    """A character as Python writes it escaped (``\\x1b``, ``\\u202e``), as the terminal
    output does (``safe_text``)."""
    n = ord(match.group())
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}" if n < 0x10000 else f"\\U{n:08x}"


def is_blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str):
        return not strip_invisible(value).strip()
    pd = sys.modules.get("pandas")
    return pd is not None and (value is pd.NA or value is pd.NaT)


def nfkc(text: str) -> str:
    """Full-width digits, letters and spaces to their plain forms, and every invisible
    character (INVISIBLE_RANGES) gone: every parser, the header matcher and the unit
    names go through here, so 第一課 + U+200B is 第一課."""
    return unicodedata.normalize("NFKC", _INVISIBLE.sub("", text))


_SPACES = re.compile(r"\s+")


def squash(text: str) -> str:
    """NFKC and every kind of white space (line breaks included) removed."""
    return _SPACES.sub("", nfkc(str(text)))


_HEADER_NUMBERING = re.compile(r"^(\(?\d{1,2}[.)、]|[(（]?[一二三四五六七八九十]+[)）、.])")
_HEADER_SUFFIX = re.compile(r"[(（\[][^)）\]]*[)）\]]$")


def norm_header(text) -> str:
    """A header cell as compared against synonyms: squashed, lower case, no numbering,
    no trailing unit in brackets, no required-field stars."""
    if is_blank(text):
        return ""
    s = squash(text).lower().strip("*＊:：")
    s = _HEADER_NUMBERING.sub("", s)
    prev = None
    while prev != s:
        prev, s = s, _HEADER_SUFFIX.sub("", s)
    return s.strip("*＊:：")


TOTAL_WORDS = frozenset({"合計", "總計", "小計", "總和", "共計", "total", "subtotal", "grandtotal", "sum"})
_TOTAL_AFFIX = re.compile(r"^(合計|總計|小計|共計|total|subtotal|grandtotal)|(合計|總計|小計|total|subtotal)$")


def is_total_label(value) -> bool:
    """合計, 總計, 小計 and labels built on them ('110年小計', '合計：', 'Total 2021')."""
    if not isinstance(value, str):
        return False
    s = squash(value).lower().strip(":：")
    return s in TOTAL_WORDS or (len(s) <= 16 and _TOTAL_AFFIX.search(s) is not None)


def display_header(text) -> str:
    """A header as a message shows it: line breaks gone, spaces single."""
    if is_blank(text):
        return ""
    return " ".join(_CJK_GAP.sub("", nfkc(str(text))).split())


_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff(（])")


# ---------------------------------------------------------------- text


def parse_text(value):
    if isinstance(value, str) and value.isascii() and value.isprintable() and value == value.strip() \
            and "  " not in value:
        return value or None
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    s = nfkc(str(value)).strip()
    return _SPACES.sub(" ", s) or None


# ---------------------------------------------------------------- numbers

_NUMBER_NOISE = re.compile(r"(nt\$|ntd|新臺幣|新台幣|\$|元|,|，|\s|件|份|具|場次|人次|家|筆|分鐘|分|天|日|次|人|場)", re.I)
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_DASHES = frozenset({"-", "—", "–", "－", "--", "n/a", "na", "無"})


def parse_number(value):
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return Bad("bad.number")
    if isinstance(value, (int, float)):
        return None if isinstance(value, float) and math.isnan(value) else float(value)
    if not isinstance(value, str):
        return Bad("bad.number")
    s = nfkc(value).strip().lower()
    if s in _DASHES:
        return None
    negative = s.startswith("(") and s.endswith(")")
    if negative:
        s = s[1:-1]
    s = _NUMBER_NOISE.sub("", s)
    if not _NUMBER.match(s):
        return Bad("bad.number")
    number = float(s)
    return -number if negative else number


def parse_count(value):
    """A whole number of things: not negative, no fraction."""
    number = parse_number(value)
    if number is None or isinstance(number, Bad):
        return number
    if number < 0:
        return Bad("bad.negative")
    if not float(number).is_integer():
        return Bad("bad.not_whole")
    return int(number)


def parse_nonneg(value):
    number = parse_number(value)
    if isinstance(number, float) and number < 0:
        return Bad("bad.negative")
    return number


# ---------------------------------------------------------------- dates

_DATE_TEXT = re.compile(
    r"^(?:民國|roc)?(\d{2,4})[/.\-年](\d{1,2})[/.\-月](\d{1,2})日?(?:\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_MONTH_TEXT = re.compile(r"^(?:民國|roc)?(\d{2,4})[/.\-年](\d{1,2})月?(?:份)?$")
_YEAR_TEXT = re.compile(r"^(?:民國|roc)?(\d{2,4})(?:年度|年)?$")


def _year(y: int):
    if y < ROC_OFFSET:
        y += ROC_OFFSET
    if not MIN_YEAR <= y <= MAX_YEAR:
        return Bad("bad.year_range")
    return y


def _make_date(y: int, m: int, d: int):
    year = _year(y)
    if isinstance(year, Bad):
        return year
    if not 1 <= m <= 12:
        return Bad("bad.month_range")
    try:
        return dt.date(year, m, d)
    except ValueError:
        return Bad("bad.no_such_date")


def _excel_serial(number: float):
    if 20000 <= number <= 80000:
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(number))
    return None


def _compact_date(digits: str):
    if len(digits) == 8:
        return _make_date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    if len(digits) in (6, 7):
        return _make_date(int(digits[:-4]), int(digits[-4:-2]), int(digits[-2:]))
    return None


def parse_date(value):
    """ROC dates in every form (110/07/17, 110.7.17, 110年7月17日, 1100717), Gregorian
    text, Excel dates and Excel serial numbers."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        return Bad("bad.date")
    if isinstance(value, (int, float)):
        if float(value).is_integer():
            found = _compact_date(str(int(value))) or _excel_serial(value)
            if found is not None:
                return found
        return Bad("bad.date")
    s = squash(value).lower()
    m = _DATE_TEXT.match(s)
    if m:
        return _make_date(int(m[1]), int(m[2]), int(m[3]))
    if s.isdigit():
        found = _compact_date(s) or _excel_serial(int(s))
        if found is not None:
            return found
    return Bad("bad.date")


def parse_month(value):
    """A month as the date of its first day: 110/07, 110年7月, 2021-07, 11007, or any date."""
    if is_blank(value):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return dt.date(value.year, value.month, 1)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        value = str(int(value))
    if isinstance(value, str):
        s = squash(value).lower()
        m = _MONTH_TEXT.match(s)
        if m:
            return _make_date(int(m[1]), int(m[2]), 1)
        if s.isdigit() and len(s) == 5:
            return _make_date(int(s[:3]), int(s[3:]), 1)
        if s.isdigit() and len(s) == 6 and s[:2] in ("19", "20"):
            return _make_date(int(s[:4]), int(s[4:]), 1)
    found = parse_date(value)
    if isinstance(found, dt.date):
        return dt.date(found.year, found.month, 1)
    return Bad("bad.month")


def parse_year(value):
    """110, 110年, 民國110年, 110年度, 2021 or a date: the Gregorian year."""
    if is_blank(value):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.year
    if isinstance(value, bool):
        return Bad("bad.year")
    if isinstance(value, (int, float)):
        return _year(int(value)) if float(value).is_integer() else Bad("bad.year")
    s = squash(value).lower()
    m = _YEAR_TEXT.match(s)
    if m:
        return _year(int(m[1]))
    if _NUMBER.match(s) and float(s).is_integer():  # "110.0" from a number cell
        return _year(int(float(s)))
    found = parse_date(value)
    return found.year if isinstance(found, dt.date) else Bad("bad.year")


def parse_month_number(value):
    """A month on its own: 7, 07, 7月."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return Bad("bad.month")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        s = squash(value).removesuffix("月份").removesuffix("月")
        if not s.isdigit():
            return Bad("bad.month")
        number = float(s)
    if not number.is_integer() or not 1 <= number <= 12:
        return Bad("bad.month_range")
    return int(number)


# ---------------------------------------------------------------- answers

LIKERT_WORDS = {
    "非常滿意": 5, "很滿意": 5, "滿意": 4, "普通": 3, "尚可": 3, "無意見": 3, "中立": 3,
    "不滿意": 2, "非常不滿意": 1, "很不滿意": 1,
    "verysatisfied": 5, "satisfied": 4, "neutral": 3, "dissatisfied": 2, "verydissatisfied": 1,
}


def parse_likert(value):
    """1–5 or the words; a blank is no answer (None), never 0."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return Bad("bad.likert")
    if isinstance(value, str):
        s = squash(value).lower()
        if s in LIKERT_WORDS:
            return LIKERT_WORDS[s]
        number = parse_number(s)
    else:
        number = float(value)
    if isinstance(number, float) and number.is_integer() and 1 <= number <= 5:
        return int(number)
    return Bad("bad.likert")


PASS_WORDS = {
    "合格": True, "通過": True, "是": True, "y": True, "yes": True, "v": True, "✓": True, "✔": True,
    "o": True, "○": True, "true": True, "pass": True, "1": True,
    "不合格": False, "未通過": False, "否": False, "n": False, "no": False, "x": False, "✗": False,
    "×": False, "false": False, "fail": False, "0": False,
}


def parse_pass(value):
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    key = squash(str(value)).lower()
    return PASS_WORDS.get(key, Bad("bad.pass"))


# ---------------------------------------------------------------- columns


def convert_codes(codes, uniques, parser):
    """Parse each distinct value once (``codes`` index ``uniques``; code -1 is blank).
    Returns (values, bad), object arrays: ``bad`` holds the ``Bad`` of rows that
    failed, or is None when none did."""
    import numpy as np
    parsed = np.empty(len(uniques) + 1, dtype=object)
    for i, raw in enumerate(uniques):
        parsed[i] = parser(raw)
    parsed[-1] = None
    is_bad = np.fromiter((isinstance(v, Bad) for v in parsed), dtype=bool, count=len(parsed))
    values = parsed[codes]
    if not is_bad.any():
        return values, None
    bad_rows = is_bad[codes]
    bad = np.where(bad_rows, values, None)
    values[bad_rows] = None
    return values, bad


def factorize(values) -> tuple:
    """(codes, uniques) of a sequence of cell values, in order of first appearance;
    code -1 for a blank one (None, NaN), as ``pandas.factorize`` gives them."""
    import numpy as np
    index: dict = {}
    codes = np.empty(len(values), dtype=np.intp)
    pd = sys.modules.get("pandas")
    missing = (None, pd.NA, pd.NaT) if pd is not None else (None,)
    for i, value in enumerate(values):
        if any(value is m for m in missing) or (isinstance(value, float) and value != value):
            codes[i] = -1
        else:
            codes[i] = index.setdefault(value, len(index))
    return codes, list(index)


def convert_column(values, parser):
    """``convert_codes`` over a sequence of cell values."""
    return convert_codes(*factorize(values), parser)
