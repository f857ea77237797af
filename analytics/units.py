"""The branch's units and service offices, and the nicknames its sheets use for them."""
from __future__ import annotations

import re

from .normalize import Bad, is_blank, squash

UNITS = (
    "第一課", "第二課", "第三課", "第四課", "第五課", "第六課",
    "人事室", "政風室", "主計室", "秘書室", "資訊室", "嘉義辦事處", "斗六辦事處",
)
OFFICES = ("臺南分局", "嘉義辦事處", "斗六辦事處")

_CHINESE_DIGITS = "一二三四五六七八九"
_UNIT_ALIASES = {
    "嘉辦": "嘉義辦事處", "嘉義辦": "嘉義辦事處", "嘉義": "嘉義辦事處",
    "斗辦": "斗六辦事處", "斗六辦": "斗六辦事處", "斗六": "斗六辦事處",
    "人事": "人事室", "政風": "政風室", "主計": "主計室", "會計室": "主計室",
    "秘書": "秘書室", "祕書室": "秘書室", "研考": "秘書室", "資訊": "資訊室",
}
_OFFICE_ALIASES = {
    "臺南": "臺南分局", "本分局": "臺南分局", "分局": "臺南分局", "本局": "臺南分局",
    "分局本部": "臺南分局", "臺南分局本部": "臺南分局", "標準檢驗局臺南分局": "臺南分局",
    "嘉辦": "嘉義辦事處", "嘉義": "嘉義辦事處", "嘉義辦": "嘉義辦事處",
    "斗辦": "斗六辦事處", "斗六": "斗六辦事處", "斗六辦": "斗六辦事處",
}
_SECTION = re.compile(r"^第?([1-9一二三四五六七八九])課$")
_BRACKETS = re.compile(r"[(（][^)）]*[)）]")


def _key(value) -> str:
    return squash(value).replace("台", "臺")


def canonical_unit(value):
    """'一課', '第1課', '嘉辦', '秘 書 室(研考)' → the unit's full name; other names are
    kept as written (cross-branch tests name units of other branches)."""
    if is_blank(value):
        return None
    s = _key(value)
    if s in UNITS:
        return s
    bare = _BRACKETS.sub("", s)
    m = _SECTION.match(bare)
    if m:
        digit = m[1]
        index = int(digit) if digit.isdigit() else _CHINESE_DIGITS.index(digit) + 1
        return UNITS[index - 1] if index <= 6 else Bad("bad.unit")
    if bare in UNITS:
        return bare
    return _UNIT_ALIASES.get(bare, s)


def canonical_office(value):
    if is_blank(value):
        return None
    s = _BRACKETS.sub("", _key(value))
    if s in OFFICES:
        return s
    return _OFFICE_ALIASES.get(s, s)



def display_order(names) -> list:
    """Units and offices in the branch's own order (第一課 … 斗六辦事處), others after."""
    known = {name: i for i, name in enumerate((*OFFICES[:1], *UNITS))}
    return sorted(names, key=lambda n: (known.get(n, len(known)), str(n)))
