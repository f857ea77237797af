"""Each cleaning rule on single values: what the sheets really hold → clean values."""
import datetime as dt

import pytest

from analytics import normalize as n
from analytics.units import canonical_office, canonical_unit

D = dt.date


@pytest.mark.parametrize("raw, expected", [
    ("110/07/17", D(2021, 7, 17)), ("110.7.17", D(2021, 7, 17)), ("110年7月17日", D(2021, 7, 17)),
    ("1100717", D(2021, 7, 17)), (1100717, D(2021, 7, 17)), ("民國110年07月17日", D(2021, 7, 17)),
    ("１１０／０７／１７", D(2021, 7, 17)), ("2021-07-17", D(2021, 7, 17)), ("2021/7/17", D(2021, 7, 17)),
    (dt.datetime(2021, 7, 17, 0, 0), D(2021, 7, 17)), (D(2021, 7, 17), D(2021, 7, 17)),
    ("99/01/05", D(2010, 1, 5)), ("0990105", D(2010, 1, 5)), (44394, D(2021, 7, 17)), ("20210717", D(2021, 7, 17)),
    ("110 年 7 月 17 日", D(2021, 7, 17)), ("2021-07-17 00:00:00", D(2021, 7, 17)),
])
def test_dates_in_every_form(raw, expected):
    assert n.parse_date(raw) == expected


@pytest.mark.parametrize("raw, code", [("110/13/01", "bad.month_range"), ("110/02/30", "bad.no_such_date"),
                                       ("明天", "bad.date"), ("300/01/01", "bad.year_range")])
def test_impossible_dates_are_bad(raw, code):
    assert n.parse_date(raw) == n.Bad(code)


@pytest.mark.parametrize("raw, expected", [
    ("110/07", D(2021, 7, 1)), ("110年7月", D(2021, 7, 1)), ("110.7", D(2021, 7, 1)), ("11007", D(2021, 7, 1)),
    ("2021-07", D(2021, 7, 1)), ("202107", D(2021, 7, 1)), (dt.datetime(2021, 7, 9), D(2021, 7, 1)),
    ("民國110年7月", D(2021, 7, 1)), ("110/07/17", D(2021, 7, 1)),
])
def test_months(raw, expected):
    assert n.parse_month(raw) == expected


def test_month_thirteen_is_bad():
    assert n.parse_month("110/13") == n.Bad("bad.month_range")
    assert n.parse_month_number(13) == n.Bad("bad.month_range")
    assert n.parse_month_number("７月") == 7


@pytest.mark.parametrize("raw", [110, "110", "110年", "民國110年", "110年度", 2021, "2021", "１１０"])
def test_years(raw):
    assert n.parse_year(raw) == 2021


@pytest.mark.parametrize("raw, expected", [
    ("1,234", 1234.0), ("１，２３４", 1234.0), ("NT$2,712,840", 2712840.0), ("2,712,840元", 2712840.0),
    (" 357 件", 357.0), (12, 12.0), (3.5, 3.5), ("-", None), ("", None), ("(5)", -5.0),
])
def test_numbers_stored_as_text(raw, expected):
    assert n.parse_number(raw) == expected


def test_counts_refuse_negative_and_fractions():
    assert n.parse_count(-3) == n.Bad("bad.negative")
    assert n.parse_count("2.5") == n.Bad("bad.not_whole")
    assert n.parse_count("abc") == n.Bad("bad.number")


@pytest.mark.parametrize("raw, expected", [
    ("非常滿意", 5), ("滿意", 4), ("普通", 3), ("不滿意", 2), ("非常不滿意", 1), (5, 5), ("４", 4), (1.0, 1),
    ("", None), (None, None),
])
def test_likert_words_and_digits_blank_is_missing(raw, expected):
    assert n.parse_likert(raw) == expected


@pytest.mark.parametrize("raw", [6, 0, "很好", 4.5])
def test_likert_out_of_range(raw):
    assert n.parse_likert(raw) == n.Bad("bad.likert")


@pytest.mark.parametrize("raw, expected", [("合格", True), ("不合格", False), ("是", True), ("否", False),
                                           ("Y", True), ("n", False), ("V", True), ("v", True), ("", None)])
def test_pass_marks(raw, expected):
    assert n.parse_pass(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("一課", "第一課"), ("第1課", "第一課"), ("第１課", "第一課"), ("6課", "第六課"), ("嘉辦", "嘉義辦事處"),
    ("斗辦", "斗六辦事處"), ("秘 書 室(研考)", "秘書室"), ("秘書室", "秘書室"), ("高雄分局第二課", "高雄分局第二課"),
])
def test_unit_aliases(raw, expected):
    assert canonical_unit(raw) == expected


@pytest.mark.parametrize("raw, expected", [("本分局", "臺南分局"), ("台南分局", "臺南分局"), ("嘉辦", "嘉義辦事處"),
                                           ("斗六辦事處", "斗六辦事處")])
def test_office_aliases(raw, expected):
    assert canonical_office(raw) == expected


@pytest.mark.parametrize("raw, expected", [("案件\n類別", "案件類別"), ("件數（件）", "件數"), ("*填答 日期", "填答日期"),
                                           ("1.洽辦業務項目", "洽辦業務項目"), ("ＣＯＵＮＴ", "count")])
def test_headers_with_breaks_spaces_and_full_width(raw, expected):
    assert n.norm_header(raw) == expected


@pytest.mark.parametrize("raw, expected", [("合計", True), ("總　計", True), ("小計", True), ("110年小計", True),
                                           ("Total", True), ("合計：", True), ("線上申辦", False), (5, False)])
def test_total_labels(raw, expected):
    assert n.is_total_label(raw) is expected
