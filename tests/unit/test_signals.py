"""The series behind the process behaviour charts (analytics/signals.py), rebased by an
imported 流程變更 sheet: workbooks built here, imported, charted. Expected numbers are
worked out in the comments from the rows written here."""
import datetime as dt

import pytest

from analytics import importer, signals, spc, spc_words, store
from analytics.metrics import Filters

# Series A of test_spc.py: mean 21, MR̄ 30/11, limits 21 ± 79.8/11; flagged nowhere.
A = [20, 22, 19, 24, 21, 20, 23, 18, 22, 21, 20, 22]
CASE_HEADER = ["年月", "單位", "案件類別", "件數", "申辦管道", "計量單位", "如期完成件數", "平均處理天數"]
CHANGE_HEADER = ["年月", "指標", "案件類別", "說明"]


@pytest.fixture(autouse=True)
def parse_in_process(monkeypatch):
    """Unit tests fork nothing: workbooks are parsed in this process."""
    monkeypatch.setenv("DASHBOARD_PARSE_IN_PROCESS", "1")


def months(first_roc: int, count: int) -> list[str]:
    return [f"{first_roc + (m // 12)}/{m % 12 + 1:02d}" for m in range(count)]


def online_rows(values, first_roc=110):
    return [[m, "第一課", "線上申辦", v, "線上", "件", None, None] for m, v in zip(months(first_roc, len(values)), values)]


def series_of(found, kpi, name=signals.ALL_SERIES):
    return next(s for s in found if s.kpi == kpi and s.series == name)


# ------------------------------------------------------------------ rebasing a series

def test_an_imported_process_change_rebases_its_case_types_chart(xlsx, empty_db):
    # 線上申辦: A in 110, A + 10 in 111. One segment: 12 below and 12 above a mean of 26,
    # every month a shift. With the change from 111/01: each year its own mean (21, 31)
    # and limits (± 79.8/11), nothing flagged.
    rows = online_rows(A + [v + 10 for v in A])
    importer.import_file(empty_db, xlsx({"案件量": [CASE_HEADER, *rows]}))
    before = series_of(signals.case_types(empty_db, Filters()), "case_total", "線上申辦")
    assert before.chart.mean == pytest.approx(26) and all(p.special for p in before.chart.points)
    change = importer.import_file(empty_db, xlsx({"流程變更": [CHANGE_HEADER,
                                                               ["111/01", "案件總量", "線上申辦", "線上申辦改版"]]}))
    found = signals.all_series(empty_db)
    rebased = series_of(found, "case_total", "線上申辦")
    assert [(s.start, s.stop) for s in rebased.chart.segments] == [(0, 12), (12, 24)]
    assert rebased.chart.points[0].mean == pytest.approx(21) and rebased.chart.mean == pytest.approx(31)
    assert rebased.chart.upper == pytest.approx(31 + 79.8 / 11)
    assert not any(p.special for p in rebased.chart.points) and rebased.chart.variation == spc.COMMON
    assert [c.description for c in rebased.changes[12]] == ["線上申辦改版"]
    # The change names one case type: the total of all cases keeps one segment.
    assert len(series_of(found, "case_total").chart.segments) == 1
    store.undo_batch(empty_db, change.batch_id)            # undone, the chart is one segment again
    assert len(series_of(signals.case_types(empty_db, Filters()), "case_total", "線上申辦").chart.segments) == 1


def test_a_change_for_all_rebases_every_chart_and_one_outside_the_view_none(xlsx, empty_db):
    rows = online_rows(A + A)
    importer.import_file(empty_db, xlsx({"案件量": [CASE_HEADER, *rows]}))
    importer.import_file(empty_db, xlsx({"流程變更": [CHANGE_HEADER, ["111/01", "全部", None, "新辦公室"],
                                                     ["109/05", "all", None, "before the view"]]}))
    found = signals.all_series(empty_db)
    assert len(series_of(found, "case_total").chart.segments) == 2
    assert len(series_of(found, "digital_share").chart.segments) == 2
    assert list(series_of(found, "case_total").changes) == [12]
    only_111 = signals.all_series(empty_db, Filters(years=(2022, 2022)))   # the change is where the view starts
    assert len(series_of(only_111, "case_total").chart.segments) == 1


# ------------------------------------------------------------------ gaps, counts

def test_a_month_without_rows_is_a_gap_not_a_zero(xlsx, empty_db):
    # 量桶檢定 in 110/01–110/12 without 110/05: twelve months in its span, eleven values.
    rows = [[m, "第四課", "量桶檢定", 5 + i % 3, "臨櫃", "具", None, None]
            for i, m in enumerate(months(110, 12)) if m != "110/05"]
    importer.import_file(empty_db, xlsx({"案件量": [CASE_HEADER, *rows]}))
    buckets = series_of(signals.case_types(empty_db, Filters()), "case_total", "量桶檢定")
    assert [p.period for p in buckets.chart.points] == [dt.date(2021, m, 1) for m in range(1, 13)]
    assert buckets.chart.points[4].value is None
    assert buckets.chart.status == spc.TOO_FEW and buckets.chart.count == 11      # 資料點不足, not a 0 in May


def test_case_totals_complaints_and_the_years_in_view(xlsx, empty_db):
    # 24 months of 線上申辦 (A, A) and 檢舉申訴 (3 a month, all on time): the total is A + 3;
    # complaints are 3 a month (all equal: limits on the mean, no signal).
    rows = online_rows(A + A) + [[m, "嘉辦", "檢舉申訴", 3, None, "件", 3, None] for m in months(110, 24)]
    importer.import_file(empty_db, xlsx({"案件量": [CASE_HEADER, *rows]}))
    found = signals.all_series(empty_db)
    total = series_of(found, "case_total")
    assert [p.value for p in total.chart.points] == [v + 3.0 for v in A + A]
    assert total.chart.mean == pytest.approx(24) and total.chart.kind == spc.XMR
    complaints = series_of(found, "complaints")
    assert complaints.chart.lower == complaints.chart.upper == pytest.approx(3) and complaints.chart.variation == spc.COMMON
    on_time = series_of(found, "complaints_on_time")
    assert on_time.chart.kind == spc.PPRIME and on_time.chart.mean == 1 and on_time.chart.points[0].n == 3
    in_111 = series_of(signals.all_series(empty_db, Filters(years=(2022, 2022))), "case_total")
    assert len(in_111.chart.points) == 12 and in_111.chart.points[0].period == dt.date(2022, 1, 1)
    assert [s.series for s in found if s.kpi == "case_total"] == ["全部", "線上申辦", "檢舉申訴"]   # most cases first


def test_processing_days_weighted_by_cases_and_lower_is_better(xlsx, empty_db):
    # Each month two units: 10 cases at 2.0 days and 30 at 1.0 day → (20 + 30)/40 = 1.25 days.
    rows = []
    for m in months(110, 12):
        rows += [[m, "第一課", "線上申辦", 10, "線上", "件", None, 2.0], [m, "第二課", "線上申辦", 30, "線上", "件", None, 1.0]]
    importer.import_file(empty_db, xlsx({"案件量": [CASE_HEADER, *rows]}))
    days = series_of(signals.processing_days(empty_db, Filters()), "processing_days", "線上申辦")
    assert [p.value for p in days.chart.points] == [pytest.approx(1.25)] * 12
    assert days.chart.better == -1


# ------------------------------------------------------------------ rates

def test_digital_share_counts_cases_in_jian_and_a_month_without_a_channel_is_a_gap(xlsx, empty_db):
    # Per month: 30 online + 10 at the counter, in 件 → 30/40; 50 online in 具 do not count.
    # 110/06 has no row with a channel: a gap (the month's share is unknown, not 0 %).
    rows = []
    for m in months(110, 12):
        if m == "110/06":
            rows.append([m, "第一課", "系統傳送紀錄表", 5, None, "件", None, None])
            continue
        rows += [[m, "第一課", "線上申辦", 30, "線上", "件", None, None], [m, "第一課", "臨櫃收件", 10, "臨櫃", "件", None, None],
                 [m, "第四課", "量桶檢定", 50, "線上", "具", None, None]]
    importer.import_file(empty_db, xlsx({"案件量": [CASE_HEADER, *rows]}))
    share = series_of(signals.digital_share(empty_db, Filters()), "digital_share")
    assert share.chart.points[0].value == pytest.approx(0.75) and share.chart.points[0].n == 40
    assert share.chart.points[5].value is None and share.chart.count == 11


def test_satisfaction_by_month_is_a_pprime_of_satisfied_over_answered(xlsx, empty_db):
    # 12 months; month m has 10 questionnaires: (m % 3) + 7 answers of 4–5, the rest 2,
    # and one more questionnaire with a blank overall answer (no answer, not counted).
    # p̄ = Σ satisfied / Σ answered = (7+8+9)×4 / 120 = 96/120 = 0.8; January: 8/10.
    header = ["填答日期", "服務據點", "整體滿意度"]
    rows = []
    for m in range(1, 13):
        good = m % 3 + 7
        rows += [[f"110/{m:02d}/{d + 1:02d}", "臺南分局", 5 if d < good else 2] for d in range(10)]
        rows.append([f"110/{m:02d}/20", "臺南分局", None])
    importer.import_file(empty_db, xlsx({"問卷": [header, *rows]}))
    sat = series_of(signals.satisfaction(empty_db, Filters()), "satisfaction")
    assert sat.chart.kind == spc.PPRIME and sat.chart.mean == pytest.approx(0.8)
    assert sat.chart.points[0].value == pytest.approx(0.8) and sat.chart.points[0].n == 10
    assert sat.chart.points[1].value == pytest.approx(0.9)


def test_phone_pass_rate_by_round_in_the_order_rounds_began(xlsx, empty_db):
    # Named rounds 110年第1次 (April, 3 of 4 pass) and 110年第2次 (October, 4 of 4), then
    # a test without a round: its half-year (111-H1).
    header = ["測試日期", "梯次", "受測單位", "測試類型", "總分"]
    rows = [["110/04/0" + str(i + 1), "110年第1次", "第一課", "內部測試", 70 if i == 0 else 90] for i in range(4)]
    rows += [["110/10/0" + str(i + 1), "110年第2次", "第二課", "內部測試", 85] for i in range(4)]
    rows += [["111/03/01", None, "第三課", "內部測試", 95]]
    importer.import_file(empty_db, xlsx({"電話": [header, *rows]}))
    phone = series_of(signals.phone_pass_rate(empty_db, Filters()), "phone_pass_rate")
    assert phone.unit == signals.ROUND
    assert [p.period for p in phone.chart.points] == ["110年第1次", "110年第2次", "111-H1"]
    assert [p.value for p in phone.chart.points] == [0.75, 1.0, 1.0]
    assert phone.chart.status == spc.TOO_FEW          # three rounds: no limits
    assert phone.starts[0] == dt.date(2021, 4, 1)


# ------------------------------------------------------------------ targets

def test_assurance_uses_the_target_of_the_latest_year_and_never_a_counts(xlsx, empty_db):
    # 線上申辦 share of channelled cases: 12 months × 40 cases, 30 online → 75 % each
    # month: limits close on 75 %. 整體滿意度 is not charted here; 線上申辦比例 at least
    # 70 % (110) → met (75 % ≥ 70 %); 案件總量 has a target, but a year's, so none.
    rows = []
    for m in months(110, 12):
        rows += [[m, "第一課", "線上申辦", 30, "線上", "件", None, None], [m, "第一課", "臨櫃收件", 10, "臨櫃", "件", None, None]]
    targets = [["年度", "指標", "目標值"], [110, "線上申辦比例", "70%"], [110, "案件總量", 500], [109, "線上申辦比例", "80%"]]
    importer.import_file(empty_db, xlsx({"案件量": [CASE_HEADER, *rows], "目標值": targets}))
    found = signals.all_series(empty_db)
    share = series_of(found, "digital_share")
    assert share.chart.target == pytest.approx(0.7) and share.chart.assurance == spc.MET
    assert series_of(found, "case_total").chart.target is None
    assert series_of(found, "case_total").chart.assurance is None


def test_no_data_no_series(empty_db):
    assert signals.all_series(empty_db) == []


@pytest.fixture(scope="module")
def sample_series(sample_con):
    """Every series of the bundled sample."""
    return signals.all_series(sample_con)


def test_every_series_is_said_in_both_languages(sample_series):
    found = sample_series
    assert {s.kpi for s in found} == {"case_total", "complaints", "on_time_rate", "complaints_on_time", "digital_share",
                                      "satisfaction", "phone_pass_rate", "processing_days"}
    for s in found:
        for lang in ("zh", "en"):
            words = spc_words.describe(s, lang)
            assert words["sentence"] and words["variation"] and words["variation_mark"]
            assert ("{" not in words["sentence"]) and all("{" not in w for w in words["special_causes"])


def test_the_sample_rebases_buckets_at_the_seeds_110_09(sample_series):
    # The seed: 「110 年 9 月起改善量桶檢定環境，導入自動控制及智慧物聯網」. The sample tests
    # buckets in September–December of 108–110 and every month from 111: before the
    # change 8 months (108/09–12, 109/09–12: too few for limits), from it 4 + 36 = 40.
    buckets = series_of(sample_series, "case_total", "量桶檢定")
    assert [(s.status, s.count) for s in buckets.chart.segments] == [(spc.TOO_FEW, 8), (spc.OK, 40)]
    start = buckets.chart.segments[1].start
    assert buckets.chart.points[start].period == dt.date(2021, 9, 1)
    assert "量桶檢定" in buckets.changes[start][0].description
    assert len(series_of(sample_series, "case_total").chart.segments) == 1   # the total is not rebased


def test_the_on_time_rate_of_every_case_type_is_a_pprime_series(xlsx, empty_db):
    """如期完成比例, the on-time rate the issue names first among its p′ charts: each
    month's cases completed on time over cases with an on-time count, every case type
    (a row without an on-time count is left out of both). Twelve months of 甲 (9 of 10)
    and 乙 (40 of 50, 80 %): 49/60 = 81.7 % a month, and 乙's row in 111/06 without a
    count leaves that month 9/10 = 90 %."""
    rows = []
    for m in months(111, 12):
        rows.append([m, "第一課", "甲", 10, "臨櫃", "件", 9, None])
        rows.append([m, "第一課", "乙", 50, "臨櫃", "件", None if m == "111/06" else 40, None])
    importer.import_file(empty_db, xlsx({"案件": [CASE_HEADER, *rows]}))
    found = signals.all_series(empty_db)
    on_time = series_of(found, "on_time_rate")
    assert on_time.chart.kind == spc.PPRIME
    values = [p.value for p in on_time.chart.points]
    assert values[5] == pytest.approx(0.9) and all(v == pytest.approx(49 / 60) for i, v in enumerate(values) if i != 5)
    assert [p.n for p in on_time.chart.points][4:7] == [60, 10, 60]
    assert "on_time_rate" in {s.kpi for s in signals.kpi_series(empty_db)}
