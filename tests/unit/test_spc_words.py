"""The charts in words (analytics/spc_words.py), in both languages: the verdicts with
their marks, and the sentences pages and the report show."""
import datetime as dt

import pytest

from analytics import spc, spc_words
from analytics.kpis import NEITHER, UP

A = [20, 22, 19, 24, 21, 20, 23, 18, 22, 21, 20, 22]
# A from 111/03, then eight months from 112/03 all above the mean:
#   mean (252 + 192)/20 = 22.2; A sits below it except 24 and 23 (runs of at most 5 below)
#   moving ranges: A's 30, |24 − 22| = 2, then 1 2 1 1 1 1 1 → 40 over 19 → MR̄ 2.105
#   limits 22.2 ± 5.60 (nothing beyond); two-sigma lines 22.2 ± 3.73 (only 18 is beyond, alone)
#   → the latest point (112/10) ends a run of 8 above the mean from 112/03, and nothing else.
SHIFTED = A + [24, 23, 25, 24, 23, 24, 25, 24]
MONTHS = [dt.date(2022 + (2 + m) // 12, (2 + m) % 12 + 1, 1) for m in range(20)]


@pytest.fixture
def shifted():
    return spc.xmr(SHIFTED, MONTHS, better=NEITHER)


def test_the_issues_example_sentence_in_both_languages(shifted):
    assert MONTHS[12] == dt.date(2023, 3, 1) and MONTHS[-1] == dt.date(2023, 10, 1)
    assert shifted.latest.rules == (spc.SHIFT,)
    assert spc_words.special_cause_sentences(shifted, "線上申辦") == ["線上申辦自 112 年 3 月起連續 8 個月高於平均"]
    name = spc_words.subject("case_total", "線上申辦", "en")
    assert spc_words.special_cause_sentences(shifted, name, "en") == [
        "Online applications have been above average for 8 months since March 2023"]
    assert spc_words.special_cause_sentences(shifted, "線上申辦", gregorian=True) == [
        "線上申辦自 2023 年 3 月起連續 8 個月高於平均"]


def test_the_chart_sentence_says_which_chart_its_limits_and_verdict(shifted):
    said = spc_words.chart_sentence(shifted, "線上申辦")
    assert said.startswith("線上申辦（XmR 管制圖）：平均 22.2，管制界限 16.6 至 27.8；")
    assert "最近一點（112 年 10 月）為特殊原因：偏高" in said and said.endswith("連續 8 個月高於平均。")
    english = spc_words.chart_sentence(shifted, "Online applications", "en")
    assert english.startswith("Online applications (XmR chart): mean 22.2, process limits 16.6 to 27.8;")
    assert "Special cause: high" in english


def test_a_pprime_sentence_says_so_and_gives_its_target():
    chart = spc.pprime([50, 210, 45, 200, 55, 190] * 2, [100, 400] * 6, better=UP, target=0.3)
    said = spc_words.chart_sentence(chart, "整體滿意度", kind="share")
    # the latest point (n = 400): limits 0.5 ± 0.090667 → 40.9 % to 59.1 %; a 30 % target is met
    assert "Laney p′ 管制圖" in said and "最近一點（11）的管制界限 40.9% 至 59.1%" in said
    assert "目標 30.0%：穩定達成。" in said
    assert "Laney p′ chart" in spc_words.chart_sentence(chart, "Overall satisfaction", "en", kind="share")


def test_too_few_points_say_so():
    chart = spc.xmr(A[:5], MONTHS[:5])
    assert spc_words.chart_sentence(chart, "量桶檢定") == \
        "量桶檢定（XmR 管制圖）：資料點不足（5 點，至少需 12 點），不計算管制界限。"
    assert "too few points" in spc_words.chart_sentence(chart, "Buckets", "en")
    assert spc_words.variation_label(chart.variation) == "資料點不足"
    assert spc_words.variation_mark(chart.variation) == "–"
    empty = spc.xmr([])
    assert "（0 點" in spc_words.chart_sentence(empty, "量桶檢定")


@pytest.mark.parametrize("code, zh, en", [
    (spc.COMMON, "一般變異", "Common cause variation"),
    (spc.IMPROVEMENT, "特殊原因：改善", "Special cause: improvement"),
    (spc.CONCERN, "特殊原因：需關注", "Special cause: concern"),
    (spc.NEUTRAL_HIGH, "特殊原因：偏高", "Special cause: high"),
    (spc.NEUTRAL_LOW, "特殊原因：偏低", "Special cause: low"),
])
def test_variation_words(code, zh, en):
    assert spc_words.variation_label(code) == zh and spc_words.variation_label(code, "en") == en


@pytest.mark.parametrize("code, zh, en, mark", [
    (spc.MET, "目標：穩定達成", "Target: consistently met", "✓"),
    (spc.MISSED, "目標：穩定未達", "Target: consistently missed", "✗"),
    (spc.HIT_AND_MISS, "目標：時達時未達", "Target: hit and miss", "±"),
    (None, None, None, None),
])
def test_assurance_words_and_marks(code, zh, en, mark):
    assert spc_words.assurance_label(code) == zh and spc_words.assurance_label(code, "en") == en
    assert spc_words.assurance_mark(code) == mark


def test_marks_carry_the_direction_without_colour():
    assert spc_words.variation_mark(spc.IMPROVEMENT, 1) == "▲" and spc_words.variation_mark(spc.CONCERN, -1) == "▼"
    assert spc_words.variation_mark(spc.COMMON) == "○"


def test_rules_of_a_point_in_a_table_cell():
    assert spc_words.rules_text((spc.LIMIT, spc.SHIFT)) == "超出管制界限、連續 7 點在平均同側"
    assert spc_words.rules_text((spc.TREND, spc.TWO_OF_THREE), "en") == \
        "7 in a row rising or falling, 2 of 3 beyond two sigma"


def test_a_signal_that_ended_is_said_in_the_past_with_its_end():
    # Two more months, 21 and 20: mean (444 + 41)/22 = 22.045, so 22 (112/02) stays below it and
    # the run above is still the eight months 112/03–112/10, now over.
    chart = spc.xmr(SHIFTED + [21, 20], MONTHS + [dt.date(2023, 11, 1), dt.date(2023, 12, 1)])
    shifts = [s for s in spc.signals(chart) if s.rule == spc.SHIFT]
    assert shifts and shifts[-1].end == 19
    assert spc_words.signal_sentence(chart, shifts[-1], "線上申辦") == "線上申辦在 112 年 3 月至 112 年 10 月連續 8 個月高於平均"
    assert spc_words.signal_sentence(chart, shifts[-1], "Online applications", "en") == \
        "Online applications were above average for 8 months from March 2023 to October 2023"
    assert spc_words.signal_sentence(chart, shifts[-1], "Overall satisfaction", "en").startswith(
        "Overall satisfaction was above")


def test_rounds_are_said_by_their_names():
    assert spc_words.period_words("110-H1") == "110 年上半年"
    assert spc_words.period_words("110年第2次", "en") == "ROC 110, round 2"
    assert spc_words.period_words("110年第2次") == "110年第2次"
    assert spc_words.period_words(dt.date(2021, 9, 1)) == "110 年 9 月"
    assert spc_words.period_words(dt.date(2021, 9, 1), "en") == "September 2021"


def test_subjects():
    assert spc_words.subject("case_total") == "案件總量"
    assert spc_words.subject("case_total", "量桶檢定", "en") == "Measuring-bucket verification"
    assert spc_words.subject("processing_days", "線上申辦") == "線上申辦平均處理天數"
    assert spc_words.subject("processing_days", "線上申辦", "en") == "Average processing days (Online applications)"


def test_the_chart_sentence_names_the_signal_that_gives_the_verdict():
    # test_spc.py's falling trend above the mean: the latest point (14) is in a run of 7
    # above the mean and ends a fall of 7; the verdict follows the trend, and so does the sentence.
    values = [9, 11, 9, 11, 9, 11, 20, 19, 18, 17, 16, 15, 14]
    chart = spc.xmr(values, MONTHS[:13], better=UP)
    said = spc_words.chart_sentence(chart, "整體滿意度")
    assert "為特殊原因：需關注" in said and said.endswith("整體滿意度自 111 年 9 月起連續 7 個月下降。")


def test_this_periods_special_causes_only(shifted):
    assert spc_words.special_cause_sentences(shifted, "線上申辦", since=dt.date(2023, 10, 1)) == \
        ["線上申辦自 112 年 3 月起連續 8 個月高於平均"]
    assert spc_words.special_cause_sentences(spc.xmr(A, MONTHS[:12]), "線上申辦", since=dt.date(2022, 1, 1)) == []


def test_two_of_three_is_said_as_beyond_two_sigma_near_or_past_the_limit():
    """Two of the last three points beyond two sigma above the mean, within the limits:
    said as 2 sigma above the mean — near or past the limit, never only "near" (a
    point of such a run may also be past the limit, flagged by that rule too)."""
    # A + [28, 28]: mean 308/14 = 22.0; moving ranges A's 30, 6, 0 → MR̄ 36/13 = 2.769;
    # limits 22 ± 7.37 (14.63–29.37), two sigma 22 ± 4.91 (26.91): both 28s beyond it, in limits
    chart = spc.xmr(A + [28, 28], [dt.date(2022 + m // 12, m % 12 + 1, 1) for m in range(14)], better=NEITHER)
    assert chart.latest.rules == (spc.TWO_OF_THREE,)
    zh = spc_words.special_cause_sentences(chart, "案件總量")[0]
    assert "高於平均 2 個標準差以上（接近或超出管制上限）" in zh, zh
    en = spc_words.special_cause_sentences(chart, "Cases", "en")[0]
    assert "more than two sigma above the mean (near or past the upper process limit)" in en, en


def test_a_run_across_months_without_data_says_so():
    """Eight points above the mean from 112/03, with 112/06 missing: the run counts the
    eight points with a value, across nine months — said as such, not "8 months in a
    row" alone."""
    values = A + [24, 23, 25, None, 24, 23, 24, 25, 24]
    periods = [dt.date(2022 + (2 + m) // 12, (2 + m) % 12 + 1, 1) for m in range(len(values))]
    chart = spc.xmr(values, periods, better=NEITHER)
    sentence = spc_words.special_cause_sentences(chart, "線上申辦")[0]
    assert sentence == "線上申辦自 112 年 3 月起連續 8 個月高於平均（其間有 1 個月沒有資料）", sentence
    en = spc_words.special_cause_sentences(chart, "Online applications", "en")[0]
    assert en.endswith("(1 month(s) in between without data)"), en
    whole = spc_words.special_cause_sentences(spc.xmr(SHIFTED, MONTHS, better=NEITHER), "線上申辦")[0]
    assert "沒有資料" not in whole
