"""The shared definitions, checked against calculations made here by hand (numpy and
the textbook formulas), on small data built in code."""
import math

import numpy as np
import pandas as pd
import pytest

from analytics.problems import Refused
from analytics import comparison, importer, kpis, metrics, summaries, survey_stats, wording
from analytics.metrics import Filters
from conftest import case_rows, survey_rows

ALL = Filters()


def figures(con, year: int) -> dict:
    """Every KPI of a year against the year before, as every page and report gets them."""
    return comparison.kpis(con, comparison.View(year=year))


def wilson_by_hand(k, n, z=1.959963984540054):
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


@pytest.mark.parametrize("k, n", [(540, 548), (3, 10), (0, 25), (25, 25)])
def test_wilson_interval_matches_the_formula(k, n):
    low, high = survey_stats.wilson(k, n)
    expected = wilson_by_hand(k, n)
    assert low == pytest.approx(expected[0], abs=1e-9) and high == pytest.approx(expected[1], abs=1e-9)


def test_margin_of_error_as_survey_reports_quote_it():
    assert survey_stats.margin_of_error(548) == pytest.approx(1.96 * math.sqrt(0.25 / 548) * 100)
    assert round(survey_stats.margin_of_error(1067), 1) == 3.0   # the classic ±3 points at n ≈ 1,067


def test_two_proportion_test_by_hand():
    z, p = survey_stats.two_proportions(90, 100, 80, 100)
    pooled = 170 / 200
    z_hand = (0.9 - 0.8) / math.sqrt(pooled * (1 - pooled) * (2 / 100))
    assert z == pytest.approx(z_hand)
    assert p == pytest.approx(math.erfc(abs(z_hand) / math.sqrt(2)))


@pytest.fixture
def survey_db(xlsx, empty_db):
    rng = np.random.default_rng(3)
    rows, answers = [], []
    for i in range(60):
        base = int(rng.integers(2, 6))
        items = [int(np.clip(base + rng.integers(-1, 2), 1, 5)) for _ in range(5)]
        if i % 7 == 0:
            items[2] = None
        overall = None if i % 11 == 0 else int(np.clip(base, 1, 5))
        rows.append([f"110/0{1 + i % 9}/1{i % 10}", "本分局" if i % 3 else "嘉辦", *items, overall])
        answers.append((items, overall))
    importer.import_file(empty_db, xlsx({"s": survey_rows(*rows)}))
    return empty_db, answers


def test_satisfaction_rate_counts_4_and_5_over_non_blank(survey_db):
    con, answers = survey_db
    overall = [o for _, o in answers if o is not None]
    items = metrics.satisfaction_items(con, ALL).set_index("item")
    assert items.loc["overall", "answered"] == len(overall)
    assert items.loc["overall", "rate"] == pytest.approx(sum(o >= 4 for o in overall) / len(overall))
    env = [a[2] for a, _ in answers if a[2] is not None]
    assert items.loc["q_environment", "answered"] == len(env)


def test_cronbach_alpha_matches_numpy(survey_db):
    con, answers = survey_db
    complete = np.array([a for a, _ in answers if None not in a], dtype=float)
    k = complete.shape[1]
    alpha = k / (k - 1) * (1 - complete.var(axis=0, ddof=1).sum() / complete.sum(axis=1).var(ddof=1))
    got = metrics.cronbach_alpha(con, ALL)
    assert got["n"] == len(complete)
    assert got["alpha"] == pytest.approx(alpha)


def test_alpha_bands():
    assert survey_stats.alpha_band(0.95) == "alpha.excellent"
    assert survey_stats.alpha_band(0.85) == "alpha.good"
    assert survey_stats.alpha_band(0.3) == "alpha.unacceptable"


def test_likert_distribution_shares_add_to_one(survey_db):
    con, _ = survey_db
    dist = metrics.likert_distribution(con, ALL)
    assert dist.groupby("item")["share"].sum().round(9).eq(1).all()


def test_office_filter(survey_db):
    con, answers = survey_db
    by_office = metrics.satisfaction_by(con, Filters(offices=("嘉義辦事處",)), "office")
    assert list(by_office["group"]) == ["嘉義辦事處"]


def test_response_rate_and_digital_share(xlsx, empty_db):
    importer.import_file(empty_db, xlsx({
        "發放": [["年度", "服務據點", "發出份數"], [110, "本分局", 40], [110, "嘉辦", 10]],
        "問卷": survey_rows(*(["110/05/05", "本分局", 5, 5, 5, 5, 5, 5] for _ in range(30))),
        "案件": [["年月", "單位", "案件類別", "申辦管道", "件數"], ["110/01", "第一課", "甲", "線上", 30],
                 ["110/01", "第一課", "甲", "臨櫃", 10], ["110/01", "第二課", "乙", None, 60]],
    }))
    k = figures(empty_db, 2021)
    assert k["response_rate"].value == pytest.approx(30 / 50)
    assert k["digital_share"].value == pytest.approx(30 / 40)   # channel given: 30 online of 40
    assert k["case_total"].value == 100
    rates = metrics.response_rates(empty_db, ALL).set_index("office")
    assert rates.loc["臺南分局", "rate"] == pytest.approx(30 / 40) and rates.loc["嘉義辦事處", "rate"] == 0


def test_year_over_year_change_and_direction(xlsx, empty_db):
    importer.import_file(empty_db, xlsx({"s": case_rows(["109/03", "第一課", "甲", 80], ["110/03", "第一課", "甲", 100])}))
    total = figures(empty_db, 2021)["case_total"]
    assert total.change == 20
    assert total.change_pct == pytest.approx(0.25)
    # More cases is more work, not merit (docs/design.md: case totals are workload)
    assert total.verdict == "workload"
    types = comparison.case_types(empty_db, comparison.View(year=2021))
    assert [c.before for c in types] == [80] and types[0].change_pct == pytest.approx(0.25)


def test_every_kpi_declares_the_direction_design_gives_it():
    better = {k.key: k.better for k in kpis.KPIS}
    assert better["case_total"] == kpis.NEITHER and better["complaints"] == kpis.NEITHER
    assert all(better[k] == kpis.UP for k in ("digital_share", "satisfaction", "response_rate", "phone_pass_rate",
                                              "phone_mean", "complaints_on_time", "dimension_self", "dimension_pct"))


def test_a_rise_in_complaints_is_never_called_an_improvement(xlsx, empty_db):
    importer.import_file(empty_db, xlsx({"s": case_rows(["112/03", "第一課", "檢舉申訴", 100], ["113/03", "第一課", "檢舉申訴", 150],
                                                        ["112/03", "第一課", "線上申辦", 100], ["113/03", "第一課", "線上申辦", 90])}))
    moved = comparison.moves(empty_db, comparison.View(year=2024))
    workload = {c.key: c for c in moved["workload"]}
    assert workload["case_type:檢舉申訴"].verdict == "workload"     # +50 %: workload, not merit
    assert workload["complaints"].verdict == "workload"
    assert not any(c.kpi.better == kpis.NEITHER for c in moved["merit"])   # merit lists no workload


def test_a_partial_latest_year_is_compared_with_the_same_months(xlsx, empty_db):
    # ROC 113: twelve months of 100; ROC 114: January to March only, 100 each.
    rows = [[f"113/{m:02d}", "第一課", "甲", 100] for m in range(1, 13)] + \
           [[f"114/{m:02d}", "第一課", "甲", 100] for m in range(1, 4)]
    importer.import_file(empty_db, xlsx({"s": case_rows(*rows)}))
    total = figures(empty_db, 2025)["case_total"]
    # 114 Jan–Mar = 300 against 113 Jan–Mar = 300: no change (not 300 − 1,200 = −900)
    assert (total.before, total.value) == (300, 300)
    assert total.change == 0
    assert (total.period.year, total.period.last) == (2025, 3)
    assert wording.versus(total) == "民國 114 年 1–3 月 與 民國 113 年同期比較"
    types = comparison.case_types(empty_db, comparison.View(year=2025))
    assert (types[0].value, types[0].before, types[0].window.last) == (300, 300, 3)
    moved = comparison.moves(empty_db, comparison.View(year=2025))
    assert not any(c.change_pct is not None and c.change_pct <= -0.99 for c in moved["workload"])   # no −100 % bars
    # 113 against 112 (absent) and 113 as a whole: nothing is cut there
    whole = figures(empty_db, 2024)["case_total"]
    assert whole.period.whole_year and whole.reason == "no_previous"


def test_a_year_whose_months_match_the_year_before_is_not_partial(xlsx, empty_db):
    # Phone tests in April and October every year: the latest year ends in October, as
    # did the one before, so nothing is cut and nothing is labelled partial.
    header = ["測試日期", "受測單位", "測試類型", "總分"]
    importer.import_file(empty_db, xlsx({"p": [header, ["112/04/01", "一課", "內部測試", 90], ["112/10/01", "一課", "內部測試", 70],
                                               ["113/04/01", "一課", "內部測試", 85], ["113/10/01", "一課", "內部測試", 95]]}))
    passed = figures(empty_db, 2024)["phone_pass_rate"]
    assert passed.window.whole_year and passed.period.whole_year and passed.complete
    assert wording.versus(passed) == "民國 113 年 與 民國 112 年 比較"


def test_digital_share_counts_cases_in_jian_and_zero_online_is_zero(xlsx, empty_db):
    importer.import_file(empty_db, xlsx({"s": [["年月", "單位", "案件類別", "申辦管道", "計量單位", "件數"],
        ["112/01", "第一課", "甲", "線上", "件", 30], ["112/01", "第一課", "甲", "臨櫃", "件", 10],
        ["112/01", "第四課", "量桶", "線上", "具", 500],     # 具: another kind of work, left out
        ["112/01", "第二課", "乙", None, "件", 60],           # no channel: left out
        ["113/01", "第一課", "甲", "臨櫃", None, 40],         # channels, none online
        ["111/01", "第一課", "甲", None, None, 40]]}))       # no channel at all
    # 112: 30 online of 30 + 10 in 件 with a channel = 75 %
    assert figures(empty_db, 2023)["digital_share"].value == pytest.approx(0.75)
    assert figures(empty_db, 2024)["digital_share"].value == 0          # a fall to 0 %, not "missing"
    assert figures(empty_db, 2022)["digital_share"].value is None       # no channel given at all


def test_one_response_rate_everywhere(xlsx, empty_db):
    importer.import_file(empty_db, xlsx({
        "發放": [["年度", "服務據點", "發出份數"], [110, "本分局", 10], [110, "斗辦", 2]],
        # 本分局 6 returned of 10; 嘉辦 4 returned with no issued count; 斗辦 3 returned of 2
        "問卷": survey_rows(*([["110/05/05", "本分局", 5, 5, 5, 5, 5, 5]] * 6 + [["110/05/06", "嘉辦", 4, 4, 4, 4, 4, 4]] * 4
                              + [["110/05/07", "斗辦", 3, 3, 3, 3, 3, 3]] * 3))}))
    # (6 + min(3, 2)) ÷ (10 + 2) = 8 / 12; 嘉辦 on neither side
    assert figures(empty_db, 2021)["response_rate"].value == pytest.approx(8 / 12)
    rates = metrics.response_rates(empty_db, ALL).set_index("office")
    assert list(rates.index[rates["issued"].isna()]) == ["嘉義辦事處"]
    assert list(rates.index[rates["over_issued"].fillna(False).astype(bool)]) == ["斗六辦事處"]
    assert rates.loc["臺南分局", "rate"] == pytest.approx(0.6)
    assert rates.loc["斗六辦事處", "rate"] == 1.0 and rates.loc["斗六辦事處", "over_issued"]   # never 150 %
    assert pd.isna(rates.loc["嘉義辦事處", "rate"]) and pd.isna(rates.loc["嘉義辦事處", "issued"])


def test_no_test_below_thirty_answers_a_side():
    # 0/2 against 3/3 was called significant (z-test p = .025); Fisher gives .10; here: too few
    result = survey_stats.compare_proportions(0, 2, 3, 3)
    assert result["too_small"] and result["p"] is None and not result["significant"]


def test_fisher_exact_where_an_expected_cell_is_below_five():
    # 35/40 against 40/40: 5 dissatisfied in all, 2.5 expected per side (< 5) → Fisher.
    # P(all 5 on one side) = C(40,5)/C(80,5) = 658,008/24,040,016 = .02737; two-sided
    # doubles it: .0547, not significant (the z-test would give z = 2.31, p = .021).
    result = survey_stats.compare_proportions(35, 40, 40, 40)
    assert result["method"] == "fisher"
    assert result["p"] == pytest.approx(2 * 658008 / 24040016, rel=1e-6)
    assert not result["significant"]
    z_side = survey_stats.compare_proportions(20, 40, 38, 40)   # expected dissatisfied 11 a side: z-test
    assert z_side["method"] == "z" and z_side["significant"]


@pytest.mark.parametrize("variances, total, n, reason", [
    ([1.0, 1.0], 3.0, 100, "too_few_items"),          # two items
    ([1.0, 1.0, 1.0], 6.0, 2, "too_few_answers"),     # n = 2 gave α = −5.0 before
    ([0.0, 0.0, 0.0], 0.0, 50, "no_variance")])       # everyone answered the same
def test_cronbach_alpha_only_where_it_means_something(variances, total, n, reason):
    result = survey_stats.cronbach_alpha(variances, total, n)
    assert result["alpha"] is None and result["reason"] == reason
    assert survey_stats.alpha_band(result["alpha"]) == "alpha.none"


def test_cronbach_alpha_of_two_questionnaires_is_not_shown(xlsx, empty_db):
    importer.import_file(empty_db, xlsx({"s": survey_rows(["110/05/05", "本分局", 5, 4, 5, 4, 5, 5],
                                                          ["110/05/06", "本分局", 1, 2, 1, 2, 1, 1])}))
    assert metrics.cronbach_alpha(empty_db, ALL)["reason"] == "too_few_answers"


def test_phone_pass_rate_mean_and_weakest_item(xlsx, empty_db):
    header = ["測試日期", "受測單位", "測試類型", "接聽速度", "態度語氣", "總分"]
    importer.import_file(empty_db, xlsx({"p": [header, ["110/04/01", "一課", "內部測試", 10, 20, 90],
                                               ["110/04/02", "二課", "內部測試", 5, 25, 70],
                                               ["110/10/02", "二課", "跨分局互測", 10, 15, 85]]}))
    k = figures(empty_db, 2021)
    assert k["phone_pass_rate"].value == pytest.approx(2 / 3)
    assert k["phone_mean"].value == pytest.approx((90 + 70 + 85) / 3)
    items = metrics.phone_items(empty_db, ALL)
    # No 配分 in the headers: the standard form's. 接聽速度 mean 25/3 of 15 = 55.6 %;
    # 態度語氣 mean 20 of 25 = 80 %: 接聽速度 is the weaker.
    assert list(items["item"]) == ["接聽速度", "態度語氣"]
    assert items["share"].tolist() == pytest.approx([25 / 3 / 15, 20 / 25])
    assert set(items["basis"]) == {"points"}
    rounds = metrics.phone_by(empty_db, ALL, "round")
    assert list(rounds["group"]) == ["110-H1", "110-H2"]


def test_dimension_percentages(xlsx, empty_db):
    importer.import_file(empty_db, xlsx({"d": [["年度", "構面", "項目", "配分", "自評分數"],
                                               [110, "基礎服務", "甲", 100, 80], [110, "基礎服務", "乙", 100, 90],
                                               [109, "基礎服務", "甲", 100, 70], [109, "基礎服務", "乙", 100, 70]]}))
    row = comparison.dimensions(empty_db, comparison.View(year=2021))[0]
    assert row.pct.value == pytest.approx(170 / 200)
    assert row.pct.change == pytest.approx(170 / 200 - 140 / 200)
    assert (row.score.value, row.score.before, row.score.change) == (170, 140, 30)


@pytest.mark.parametrize("name, masked", [("王小明", "王○明"), ("陳明", "陳○"), ("歐陽大中", "歐○○中"), (None, None),
                                          (float("nan"), None), ("  ", None), ("林", "○")])
def test_names_masked(name, masked):
    assert metrics.mask_name(name) == masked


def test_score_histogram_is_counted_in_bands(xlsx, empty_db):
    header = ["測試日期", "受測單位", "測試類型", "總分"]
    scores = [79, 80, 81, 81.5, 95, 100]
    importer.import_file(empty_db, xlsx({"p": [header, *(["110/04/0%d" % (i + 1), "一課", "內部測試", s]
                                                      for i, s in enumerate(scores))]}))
    bins = metrics.phone_score_bins(empty_db, ALL, 2.0)
    assert dict(zip(bins["band"], bins["tests"])) == {78: 1, 80: 3, 94: 1, 100: 1}
    assert dict(zip(bins["band"], bins["passed"])) == {78: 0, 80: 3, 94: 1, 100: 1}


def test_weakest_phone_item_is_ranked_by_share_of_its_full_marks_from_the_header(xlsx, empty_db):
    header = ["測試日期", "受測單位", "測試類型", "問候及自報單位\n(20分)", "態度語氣（25 分）", "禮貌用語(5分)"]
    importer.import_file(empty_db, xlsx({"p": [header, ["108/04/01", "人事室", "內部測試", 16, 25, 5],
                                               ["108/04/02", "人事室", "內部測試", 15, 17.5, 4],
                                               ["108/10/02", "人事室", "內部測試", 15, 17, 4]]}))
    items = metrics.phone_items(empty_db, ALL).set_index("item")
    # 問候: 46/3 = 15.33 of 20 = 76.7 %; 態度: 59.5/3 = 19.83 of 25 = 79.3 %; 禮貌用語 (an
    # extra item with its own 配分): 13/3 = 4.33 of 5 = 86.7 %. Ranked by the best score
    # seen instead, 態度 (19.83 of 25 = 79.3 %) would wrongly come before 問候 (15.33 of 16).
    assert list(items.index) == ["問候及自報單位", "態度語氣", "禮貌用語(5分)"]
    assert items["share"].tolist() == pytest.approx([46 / 60, 59.5 / 75, 13 / 15])
    assert items["points"].tolist() == [20, 25, 5]


def test_an_item_score_above_its_declared_full_marks_is_refused(xlsx, empty_db):
    header = ["測試日期", "受測單位", "測試類型", "接聽速度(15分)", "總分"]
    with pytest.raises(Refused) as caught:
        importer.import_file(empty_db, xlsx({"p": [header, ["110/04/01", "一課", "內部測試", 18, 90]]}))
    assert "配分 15 分" in caught.value.render() and "D 欄" in caught.value.render()


def test_targets_stand_beside_each_kpi_and_say_whether_met(xlsx, empty_db):
    importer.import_file(empty_db, xlsx({
        "問卷": survey_rows(*([["113/05/05", "本分局", 5, 5, 5, 5, 5, 5]] * 9 + [["113/05/06", "本分局", 2, 2, 2, 2, 2, 2]])),
        "案件": case_rows(*[[f"113/{m:02d}", "第一課", "甲", 100] for m in range(1, 13)]),
        "目標": [["年度", "指標", "目標值", "期間"], [113, "整體滿意度", "95%", ""], [113, "Cases", 1000, "全年"],
                 [113, "電話禮貌合格率", 90, "上半年"]]}))
    k = figures(empty_db, 2024)
    # satisfaction 9 of 10 = 90 % against 95 %: not met; 1,200 cases against 1,000: reached
    assert k["satisfaction"].target.target == pytest.approx(0.95) and k["satisfaction"].target.state == "not_met"
    assert k["case_total"].target.target == 1000 and k["case_total"].target.state == "met"
    # a half-year target is not the year's
    assert k["phone_pass_rate"].target is None
    assert kpis.targets_for(empty_db, 2024, half=1) == {"phone_pass_rate": kpis.Target(pytest.approx(0.9), kpis.UP)}


def test_the_targets_sentence_names_the_targets_not_met(xlsx, empty_db):
    """The overview's targets table starts closed: its sentence names what was missed."""
    importer.import_file(empty_db, xlsx({
        "問卷": survey_rows(*([["113/05/05", "本分局", 5, 5, 5, 5, 5, 5]] * 9 + [["113/05/06", "本分局", 2, 2, 2, 2, 2, 2]])),
        "案件": case_rows(*[[f"113/{m:02d}", "第一課", "甲", 100] for m in range(1, 13)]),
        "目標": [["年度", "指標", "目標值", "期間"], [113, "整體滿意度", "95%", ""], [113, "Cases", 1500, "全年"],
                 [113, "電話禮貌合格率", 90, "全年"]]}))
    k = figures(empty_db, 2024)
    targeted = [c for c in k.values() if c.target is not None]
    assert sorted(c.target.state for c in targeted if c.target.state == "not_met") == ["not_met", "not_met"]
    zh = summaries.targets(targeted, 2024, summaries.Words("zh"))
    assert "3 項指標中，0 項達成、2 項未達成、1 項" in zh
    assert zh.endswith(f"未達成的是：{wording.name(k['satisfaction'], 'zh')}、{wording.name(k['case_total'], 'zh')}。") \
        or zh.endswith(f"未達成的是：{wording.name(k['case_total'], 'zh')}、{wording.name(k['satisfaction'], 'zh')}。")
    en = summaries.targets(targeted, 2024, summaries.Words("en"))
    assert "0 met and 2 not met" in en and "Not met: " in en and wording.name(k["case_total"], "en") in en
    unjudged = [c for c in targeted if c.target.state != "not_met"]
    assert unjudged and "未達成的是" not in summaries.targets(unjudged, 2024, summaries.Words("zh"))


def test_an_unknown_target_name_is_refused_with_the_names_it_takes(xlsx, empty_db):
    with pytest.raises(Refused) as caught:
        importer.import_file(empty_db, xlsx({"目標": [["年度", "指標", "目標值"], [113, "顧客幸福度", 0.9]]}))
    said = caught.value.render()
    assert "顧客幸福度" in said and "整體滿意度" in said and "電話禮貌合格率" in said and "B 欄" in said


def test_office_respondent_and_trend_figures_count_4_and_5_as_satisfied(xlsx, empty_db):
    """Every figure that says 'satisfied' means an answer of 4 or 5 (docs/design.md); worked out
    here from the answers themselves, so a change of the definition fails this."""
    header = ["填答日期", "服務據點", "整體滿意度", "受訪者類型"]
    answers = [("110/01/05", "本分局", 5, "民眾"), ("110/02/05", "本分局", 4, "業者"), ("110/03/05", "本分局", 3, "民眾"),
               ("110/04/05", "嘉辦", 3, "民眾"), ("110/05/05", "嘉辦", 2, "業者"), ("110/07/05", "嘉辦", 4, "業者"),
               ("110/08/05", "斗辦", 5, "民眾"), ("110/10/05", "斗辦", None, "民眾")]
    importer.import_file(empty_db, xlsx({"s": [header, *[list(a) for a in answers]]}))

    def by_hand(pick):
        groups = {}
        for day, office, overall, who in answers:
            if overall is not None:
                k, n = groups.get(pick(day, office, who), (0, 0))
                groups[pick(day, office, who)] = (k + (overall >= 4), n + 1)
        return {g: k / n for g, (k, n) in groups.items()}

    offices = metrics.satisfaction_by(empty_db, ALL, "office").set_index("group")["rate"].to_dict()
    names = {"本分局": "臺南分局", "嘉辦": "嘉義辦事處", "斗辦": "斗六辦事處"}
    assert offices == pytest.approx({names[o]: r for o, r in by_hand(lambda d, o, w: o).items()})
    assert offices["臺南分局"] == pytest.approx(2 / 3)
    people = metrics.satisfaction_by(empty_db, ALL, "respondent_type").set_index("group")["rate"].to_dict()
    assert people == pytest.approx(by_hand(lambda d, o, w: w))
    quarters = metrics.satisfaction_trend(empty_db, ALL, "quarter").set_index("period")["rate"].to_dict()
    expected = by_hand(lambda d, o, w: 20210 + (int(d.split("/")[1]) - 1) // 3 + 1)
    assert quarters == pytest.approx(expected)
    assert quarters[20211] == pytest.approx(2 / 3) and quarters[20213] == pytest.approx(1.0)


def test_sub_items_keep_the_sheet_s_order(xlsx, empty_db):
    # Sorted by name, (三) came before (二): 三 is U+4E09, 二 U+4E8C.
    items = ["(一)服務便捷性", "(二)服務可近性", "(三)服務成長及優化"]
    assert sorted(items) == [items[0], items[2], items[1]]
    rows = [["年度", "構面", "項目", "配分", "自評分數"], [110, "服務遞送", items[0], 100, 90],
            [110, "基礎服務", "乙、友善", 100, 85], [110, "服務遞送", items[1], 100, 80],
            [110, "基礎服務", "甲、正確", 100, 95], [110, "服務遞送", items[2], 100, 70]]
    importer.import_file(empty_db, xlsx({"d": rows}))
    shown = metrics.dimension_items(empty_db, 2021)
    assert list(shown["item"]) == ["乙、友善", "甲、正確", *items]      # dimension by the rubric, items as the sheet has them


def test_what_moved_most_says_so_when_only_workload_moved(xlsx, empty_db):
    """Cases alone, two years: nothing of merit can be compared, and the sentence says so
    before it names the workload; with a digital share, merit comes first and the
    sentence does not say that."""
    from analytics import summaries
    importer.import_file(empty_db, xlsx({"s": case_rows(["112/03", "第一課", "甲", 100], ["113/03", "第一課", "甲", 150])}))
    moved = comparison.moves(empty_db, comparison.View(year=2024))
    assert moved["merit"] == [] and moved["workload"]
    said = summaries.moves(moved["merit"], moved["workload"], summaries.Words("zh"))
    assert said.startswith("沒有成效指標") and "工作量變動最大的是" in said

    importer.import_file(empty_db, xlsx({"t": [["年月", "單位", "案件類別", "申辦管道", "件數"],
                                               ["112/03", "第二課", "乙", "線上", 10], ["112/03", "第二課", "乙", "臨櫃", 30],
                                               ["113/03", "第二課", "乙", "線上", 30], ["113/03", "第二課", "乙", "臨櫃", 10]]}))
    moved = comparison.moves(empty_db, comparison.View(year=2024))
    assert [c.key for c in moved["merit"]] == ["digital_share"]
    said = summaries.moves(moved["merit"], moved["workload"], summaries.Words("zh"))
    assert said.startswith("成效指標變動最大的是") and "沒有成效指標" not in said


def test_a_target_set_finer_than_its_figure_is_judged_and_shown_as_it_was_set():
    """A target is never rounded to another one: 2.49 天 以下 is not 2.5 天 以下."""
    from analytics.periods import Period
    days, sat = kpis.BY_KEY["processing_days"], kpis.BY_KEY["satisfaction"]
    year = Period(2024)

    def state(kpi, value, target, side):
        return comparison.judge(kpi, value, year, True, kpis.Target(target, side)).state
    # 2.50 days against at most 2.49: 2.50 > 2.49, not met (rounding the target to 2.5 first called it met)
    assert state(days, 2.50, 2.49, kpis.DOWN) == "not_met"
    assert state(days, 2.49, 2.49, kpis.DOWN) == "met"              # at the boundary: met
    assert state(days, 2.494, 2.49, kpis.DOWN) == "met"             # to the target's two decimals: 2.49
    assert state(days, 2.496, 2.49, kpis.DOWN) == "not_met"         # 2.50
    # 95.24 % against at least 95.25 %: not met (both rounded to 95.2 % called it met)
    assert state(sat, 0.9524, 0.9525, kpis.UP) == "not_met"
    assert state(sat, 0.9525, 0.9525, kpis.UP) == "met"
    # a target set to the figure's own precision is judged on the figure as shown: 94.96 % reads 95.0 %
    assert state(sat, 0.9496, 0.95, kpis.UP) == "met"
    j = comparison.judge(days, 2.5, year, True, kpis.Target(2.49, kpis.DOWN))
    assert wording.goal_number(j, "days", "zh") == "2.49 天" and wording.goal_number(j, "days", "en") == "2.49 days"
    j = comparison.judge(sat, 0.95, year, True, kpis.Target(0.9525, kpis.UP))
    assert wording.goal_number(j, "share") == "95.25%"
    j = comparison.judge(sat, 0.95, year, True, kpis.Target(0.95, kpis.UP))
    assert wording.goal_number(j, "share") == "95.0%"


def test_a_figure_is_shown_to_its_finer_targets_decimals():
    """2.46 days judged against 2.49 以下 (met) reads 2.46 天, not 2.5 天 beside 2.49."""
    from analytics.periods import Period
    days = kpis.BY_KEY["processing_days"]
    j = comparison.judge(days, 2.46, Period(2024), True, kpis.Target(2.49, kpis.DOWN))
    c = comparison.Comparison(days, None, 2024, 2.46, Period(2024), True, 2.5, Period(2023), 2.46, -0.04, None,
                              "better", target=j)
    assert j.state == "met" and wording.value(c) == "2.46 天" and wording.before(c) == "2.50 天"
    plain = comparison.Comparison(days, None, 2024, 2.46, Period(2024), True, 2.5, Period(2023), 2.46, -0.04, None,
                                  "better")
    assert wording.value(plain) == "2.5 天"
