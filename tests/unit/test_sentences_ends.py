"""Sentences that name the highest and the lowest: one row is said as the only one,
rows that all read alike as alike, ties named together — never one name as both the
highest and the lowest. And a year still running is labelled with the months it holds."""
import pandas as pd

from analytics import comparison, kpis, summaries, wording
from analytics.periods import Period, window

ZH, EN = summaries.Words("zh"), summaries.Words("en")


def per_type_rows(values: dict) -> list:
    on_time = kpis.BY_KEY["on_time_rate"]
    return [comparison.Comparison(on_time, name, 2024, v, Period(2024), True, None, Period(2023), None, None, None,
                                  "not_compared", "no_previous") for name, v in values.items()]


def test_one_case_type_is_the_only_one_not_both_ends():
    text = summaries.per_type(per_type_rows({"檢舉申訴": 0.8}), "on_time_rate", ZH)
    assert "只有檢舉申訴" in text and "80.0%" in text and "最高" not in text and "最低" not in text
    assert "only Complaints has on-time data, 80.0%" in summaries.per_type(per_type_rows({"檢舉申訴": 0.8}), "on_time_rate", EN)


def test_case_types_that_read_alike_are_said_alike_and_ties_are_named_together():
    same = summaries.per_type(per_type_rows({"甲": 0.8, "乙": 0.8004}), "on_time_rate", ZH)   # both read 80.0%
    assert "同為 80.0%" in same and "最高" not in same
    tied = summaries.per_type(per_type_rows({"甲": 0.8, "乙": 0.8, "丙": 0.9}), "on_time_rate", ZH)
    assert "最低的是甲、乙並列（80.0%）" in tied and "最高的是丙（90.0%）" in tied


def test_units_one_alike_and_tied():
    period = Period(2024)
    one = summaries.by_unit(pd.DataFrame({"unit": ["第一課"], "count": [120]}), period, ZH)
    assert "只有第一課" in one and "最多" not in one and "最少" not in one
    alike = summaries.by_unit(pd.DataFrame({"unit": ["第一課", "第二課"], "count": [120, 120]}), period, ZH)
    assert "同為 120 件" in alike and "最多" not in alike


def test_phone_units_tied_at_both_ends_are_named_as_ties():
    frame = pd.DataFrame({"group": ["第一課", "第二課", "第三課"], "pass_rate": [0.9, 0.9, 0.8], "tests": [10, 10, 5]})
    text = summaries.phone_units(frame, 0.88, ZH)
    assert "最高第一課、第二課並列（90.0%）" in text and "最低第三課（80.0%，5 次測試）" in text
    alike = summaries.phone_units(frame.assign(pass_rate=0.9), 0.9, ZH)
    assert "同為 90.0%" in alike and "最高" not in alike
    en = summaries.phone_units(frame.head(1), 0.9, EN)
    assert en.startswith("Only Section 1 was tested: pass rate 90.0%")


def test_phone_items_that_all_score_alike():
    frame = pd.DataFrame({"item": ["接聽速度", "禮貌"], "share": [1.0, 1.0]})
    text = summaries.phone_items(frame, ZH)
    assert "同為占配分 100.0%" in text and "最低" not in text


def test_a_running_year_is_labelled_with_the_months_it_holds():
    # 114 holds January–March and is the newest; 113 held only February, 112 all year. Both hold
    # nothing after March, so the figures are those of January–March either way — and the
    # label says 1–3 月, not the whole year (nor 1–6 月 in a half-year view).
    last = {2023: 12, 2024: 2, 2025: 3}
    assert window(last, 2025, 2024) == (Period(2025, 3), Period(2024, 3))
    assert window(last, 2025, 2024, half=True) == (Period(2025, 3), Period(2024, 3))
    # a year that is over (a later one exists), with a year before that stops earlier
    # every year (phone tests ending in November): like meets like, the whole year
    assert window({2023: 11, 2024: 11, 2025: 2}, 2024, 2023) == (Period(2024, 12), Period(2023, 12))
    # the middle year held only February, its year before all twelve months: January–February
    assert window({2023: 12, 2024: 2, 2025: 3}, 2024, 2023) == (Period(2024, 2), Period(2023, 2))


def test_wording_now_is_the_part_a_row_compares():
    sat = kpis.BY_KEY["satisfaction"]
    c = comparison.Comparison(sat, None, 2025, 0.75, Period(2025), True, 0.85, Period(2024), 0.9, 0.05, None, "better",
                              left_out=(comparison.LeftOut("office", ("甲",), ()),))
    assert wording.now(c) == "90.0%" and wording.value(c) == "75.0%"
    assert any("75.0%" in n for n in wording.notes(c, "zh", in_row=True))
    assert any("90.0% 對 85.0%" in n for n in wording.notes(c, "zh"))


def test_a_workbook_reports_a_change_in_points_without_float_noise():
    """85 % − 80 % is 5.000000000000004 points in floating point; the .xlsx/.ods report
    cell holds 5 (formatted 5.0 個百分點), as a reader typing it would."""
    from analytics.report import sheets
    sat = kpis.BY_KEY["satisfaction"]
    c = comparison.Comparison(sat, None, 2025, 0.85, Period(2025), True, 0.80, Period(2024), 0.85, 0.85 - 0.80, None,
                              "better")
    assert (0.85 - 0.80) * 100 != 5
    assert sheets._change(c, "zh")[0] == 5


def _cmp(key, value, before, verdict, name=None):
    kpi = kpis.BY_KEY[key]
    return comparison.Comparison(kpi, name, 2025, value, Period(2025), True, before, Period(2024), value,
                                 value - before, (value - before) / before if kpi.kind != "share" else None, verdict)


def test_an_english_moves_sentence_spaces_its_two_parts():
    text = summaries.moves([_cmp("satisfaction", 0.9, 0.8, "better")], [_cmp("case_total", 120, 100, "workload")], EN)
    assert ").Of" not in text and "). Of the workload" in text, text


def test_dimensions_tied_in_points_are_not_given_one_of_their_percentages():
    """基礎服務 80 → 90 and 服務遞送 150 → 160: both +10 points, tied; +12.5 % is only the
    first one's, so the tie is said in points alone."""
    from types import SimpleNamespace
    dims = [SimpleNamespace(name="基礎服務", score=_cmp("dimension_self", 90, 80, "better", "基礎服務")),
            SimpleNamespace(name="服務遞送", score=_cmp("dimension_self", 160, 150, "better", "服務遞送"))]
    text = summaries.dimension_change(dims, None, 2025, ZH)
    assert "增加最多的是基礎服務、服務遞送並列（+10）" in text and "%" not in text, text


def _totals(counts: dict) -> list:
    """案件總量 per case type, this year against the year before: {name: (now, before)}."""
    return [_cmp("case_total", now, before, "workload", name) for name, (now, before) in counts.items()]


def test_the_largest_rise_names_the_types_too_small_to_rank():
    """線上申辦 1,000 → 1,100 (+10 %) and 臨櫃 500 → 450 (−10 %) are ranked; 檢舉申訴
    2 → 6 (+200 %) would lead them all from 2 cases: it is left out of the ranking and said so."""
    rows = _totals({"線上申辦": (1100, 1000), "臨櫃": (450, 500), "檢舉申訴": (6, 2)})
    text = summaries.year_totals(rows, ZH)
    assert "增幅最大的是線上申辦（較前一年增加 10.0%）" in text and "減幅最大的是臨櫃（較前一年減少 10.0%）" in text, text
    assert "（檢舉申訴前一年不足 10 件，不列入增減幅比較。）" in text, text
    english = summaries.year_totals(rows, EN)
    assert "(Complaints: fewer than 10 cases the year before, not ranked by change.)" in english, english
    assert not summaries.year_totals(_totals({"線上申辦": (1100, 1000), "臨櫃": (450, 500)}), ZH).count("不足")


def test_english_sentences_after_the_first_are_spaced():
    """Sentences added one after another: "… in all. The largest rise: …", never "all.The"."""
    import re
    from types import SimpleNamespace
    said = [summaries.year_totals(_totals({"線上申辦": (1100, 1000), "臨櫃": (450, 500), "檢舉申訴": (6, 2)}), EN),
            summaries.dimension_change([SimpleNamespace(name="基礎服務",
                                                        score=_cmp("dimension_self", 90, 80, "better", "基礎服務"))],
                                       _cmp("dimension_self", 900, 880, "better"), 2025, EN),
            summaries.comparison([_cmp("satisfaction", 0.9, 0.8, "better"),
                                  _cmp("on_time_rate", 0.7, 0.8, "worse")], EN)]
    for text in said:
        assert not re.search(r"[a-z0-9%)]\.[A-Z(]", text), text
        assert text.count(". ") >= 1, text
