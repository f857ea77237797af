"""Process behaviour charts (analytics/spc.py) on series worked out by hand: each rule
at its boundary, XmR and p′ limits from the formulas, p′ against a published worked
example, rebasing at a process change, too few points, and the verdicts.

Every expected number is worked out in the comments beside it (or computed in the test
from the textbook formula on the hand-worked intermediate values), never taken from
running the code under test."""
import math

import pytest

from analytics import spc
from analytics.kpis import DOWN, NEITHER, UP

# Series A, a stable process (12 months):
#   20 22 19 24 21 20 23 18 22 21 20 22
#   sum 252 → mean 21
#   moving ranges 2 3 5 3 1 3 5 4 1 1 2 → sum 30 over 11 → MR̄ = 30/11 = 2.7272…
#   limits 21 ± 2.66 × 30/11 = 21 ± 79.8/11 = 21 ± 7.254545… → 13.745454…, 28.254545…
#   two-sigma lines 21 ± (2/3)(79.8/11) = 21 ± 53.2/11 = 21 ± 4.836363… → 16.163636…, 25.836363…
#   sides of the mean: − + − + 0 − + − + 0 − + (no run); steps + − + − − + − + − − + (no trend)
A = [20, 22, 19, 24, 21, 20, 23, 18, 22, 21, 20, 22]


def rules(chart):
    return [p.rules for p in chart.points]


def flagged(chart, rule=None):
    return [i for i, p in enumerate(chart.points) if (p.rules if rule is None else rule in p.rules)]


# ------------------------------------------------------------------ XmR limits

def test_xmr_limits_of_a_stable_series_worked_by_hand():
    chart = spc.xmr(A)
    assert chart.kind == spc.XMR and chart.status == spc.OK
    assert chart.mean == pytest.approx(21)
    assert chart.lower == pytest.approx(13.745454545, abs=1e-8)
    assert chart.upper == pytest.approx(28.254545454, abs=1e-8)
    first = chart.points[0]
    assert (first.lower2, first.upper2) == (pytest.approx(16.163636363, abs=1e-8), pytest.approx(25.836363636, abs=1e-8))
    assert all(p.lower == chart.lower and p.upper == chart.upper for p in chart.points)   # one line for XmR


def test_a_stable_series_is_flagged_nowhere_and_is_common_cause():
    chart = spc.xmr(A, better=UP)
    assert flagged(chart) == []
    assert {p.signal for p in chart.points} == {spc.COMMON}
    assert chart.variation == spc.COMMON
    assert spc.signals(chart) == []


def test_a_spike_beyond_the_upper_limit():
    # A with its 8th point (18) made 40: sum 252 − 18 + 40 = 274 → mean 22.8333…
    # moving ranges: the 5 and 4 around it become |40−23| = 17 and |22−40| = 18 → sum 30 − 9 + 35 = 56
    # MR̄ = 56/11 = 5.0909…; upper = 22.8333 + 2.66 × 5.0909 = 36.375… → 40 is beyond, nothing else is.
    # Two-sigma line 22.8333 + (2/3)(13.5418) = 31.861…: only 40 beyond it (1 of 3: no two-of-three).
    values = A[:7] + [40] + A[8:]
    chart = spc.xmr(values)
    assert chart.upper == pytest.approx(274 / 12 + 2.66 * 56 / 11)
    assert flagged(chart) == [7]
    assert chart.points[7].rules == (spc.LIMIT,)
    assert chart.variation == spc.COMMON              # the latest month is within the limits


# ------------------------------------------------------------------ the four rules at their boundaries

WIDE = dict(mean=0.0, lower=[-100.0] * 20, upper=[100.0] * 20, lower2=[-50.0] * 20, upper2=[50.0] * 20)


def causes(values, **limits):
    given = {**WIDE, **limits}
    n = len(values)
    flags, direction = spc.special_causes(values, given["mean"], given["lower"][:n], given["upper"][:n],
                                          given["lower2"][:n], given["upper2"][:n])
    return [tuple(f) for f in flags], direction


def test_six_in_a_row_above_the_mean_does_not_fire_seven_does():
    six, _ = causes([-1, 1, 1, 1, 1, 1, 1, -1])
    assert not any(six)
    seven, direction = causes([-1, 1, 1, 1, 1, 1, 1, 1, -1])
    assert [i for i, f in enumerate(seven) if spc.SHIFT in f] == [1, 2, 3, 4, 5, 6, 7]   # every point of the run
    assert direction[1:8] == [1] * 7


def test_seven_below_the_mean_and_a_longer_run_flags_every_point():
    flags, direction = causes([-2, -1, -3, -1, -2, -1, -1, -2, 5])
    assert [i for i, f in enumerate(flags) if spc.SHIFT in f] == list(range(8))
    assert set(direction[:8]) == {-1}


def test_a_point_on_the_mean_breaks_a_run():
    flags, _ = causes([1, 1, 1, 0, 1, 1, 1, 1])       # 3 above, one on the mean, 4 above
    assert not any(flags)


def test_a_gap_does_not_break_a_run():
    flags, _ = causes([1, 1, 1, None, 1, 1, 1, 1])    # 7 months with a value, all above
    assert [i for i, f in enumerate(flags) if spc.SHIFT in f] == [0, 1, 2, 4, 5, 6, 7]
    assert flags[3] == ()


def test_six_rising_does_not_fire_seven_does():
    # rising across the mean (0), so no run on one side joins in
    six, _ = causes([-3, -2, -1, 1, 2, 3, -5])
    assert not any(six)
    seven, direction = causes([-3, -2, -1, 1, 2, 3, 4, -5])
    assert [i for i, f in enumerate(seven) if spc.TREND in f] == [0, 1, 2, 3, 4, 5, 6]
    assert direction[:7] == [1] * 7


def test_seven_falling_is_a_trend_downward():
    flags, direction = causes([4, 3, 2, 1, -1, -2, -3])
    assert all(spc.TREND in f for f in flags)
    assert direction == [-1] * 7


def test_a_tie_breaks_a_trend():
    flags, _ = causes([-3, -2, -1, -1, 1, 2, 3, 4])   # 3 rising, a tie, 5 rising: 8 points, no 7 in one run
    assert not any(spc.TREND in f for f in flags)
    flags, _ = causes([-4, -3, -2, -2, -1, 1, 2, 3, 4, 5])   # after the tie, -2 … 5 is 7 rising
    assert [i for i, f in enumerate(flags) if spc.TREND in f] == [3, 4, 5, 6, 7, 8, 9]


def test_two_of_three_beyond_two_sigma_on_one_side():
    lines = dict(lower=[-3.0] * 9, upper=[3.0] * 9, lower2=[-2.0] * 9, upper2=[2.0] * 9)
    flags, direction = causes([0, 2.5, 0, 2.5, 0], **lines)          # 2 of 3: the two beyond are flagged
    assert [i for i, f in enumerate(flags) if spc.TWO_OF_THREE in f] == [1, 3]
    assert direction[1] == direction[3] == 1
    one, _ = causes([0, 2.5, 0, 0, 2.5, 0], **lines)                 # 1 of 3, twice
    assert not any(one)
    sides, _ = causes([2.5, -2.5, 0, -0.5], **lines)                  # one beyond on each side
    assert not any(sides)
    on_line, _ = causes([2.0, 2.5, 2.0], **lines)                     # a point on the line is not beyond it
    assert not any(on_line)
    low, direction = causes([-2.5, -2.1, 0], **lines)
    assert [i for i, f in enumerate(low) if f] == [0, 1] and direction[:2] == [-1, -1]


def test_beyond_a_limit_is_strictly_beyond():
    lines = dict(lower=[-3.0] * 4, upper=[3.0] * 4, lower2=[-2.0] * 4, upper2=[2.0] * 4)
    flags, direction = causes([3.0, 0, -3.01, 0], **lines)
    assert flags[0] == () and flags[2] == (spc.LIMIT,) and direction[2] == -1


# ------------------------------------------------------------------ too few points, n = 0, 1, ties

@pytest.mark.parametrize("count", [0, 1, 3, 11])
def test_fewer_than_twelve_points_give_no_limits_and_no_rules(count):
    values = [100, 0, 100, 0, 100, 0, 100, 0, 100, 0, 100][:count]
    chart = spc.xmr(values, better=UP)
    assert chart.status == spc.TOO_FEW and chart.count == count
    assert chart.mean is None and chart.lower is None and chart.upper is None
    assert chart.variation is None and chart.assurance is None
    assert all(not p.rules and p.lower is None for p in chart.points)
    assert len(chart.points) == count


def test_twelve_points_are_enough():
    assert spc.xmr(A).status == spc.OK and spc.xmr(A[:11]).status == spc.TOO_FEW


def test_gaps_do_not_count_as_points_and_no_moving_range_spans_one():
    # A with a gap after its 6th month: 12 values over 13 months. The moving ranges are
    # those of A except |23 − 20| = 3, which would span the gap: 30 − 3 = 27 over 10.
    values = A[:6] + [None] + A[6:]
    chart = spc.xmr(values)
    assert chart.status == spc.OK and chart.count == 12
    assert chart.upper == pytest.approx(21 + 2.66 * 27 / 10)
    assert chart.points[6].value is None and chart.points[6].signal is None and chart.points[6].lower is None
    assert spc.xmr(A[:11] + [None, None]).status == spc.TOO_FEW     # 11 values, however many months


def test_an_all_equal_series_has_limits_on_its_mean_and_no_signal():
    for value in (5, 0.1, 1234.56):
        chart = spc.xmr([value] * 12, better=UP)
        assert chart.lower == pytest.approx(value) and chart.upper == pytest.approx(value)
        assert flagged(chart) == [] and chart.variation == spc.COMMON


# ------------------------------------------------------------------ rebasing at a process change

# Segment 1: 10 12 10 12 10 12 10 12 13 13 13 13 — sum 140, mean 11.667; the last five above it.
# Segment 2: 13 13 13 10 12 10 12 10 12 10 12 10 — sum 137, mean 11.417; the first three above it.
# Together, 12 13 13 13 13 13 13 13 (months 8–15) sit above the one mean (277/24 = 11.54):
# a shift of 8, unless the chart is rebased between them (5 and 3). No point reaches a two-sigma line either way (the closest,
# 13, is under 11.54 + (2/3)(2.66)(34/23) = 14.16 for one segment, and under each segment's).
SEG1 = [10, 12, 10, 12, 10, 12, 10, 12, 13, 13, 13, 13]
SEG2 = [13, 13, 13, 10, 12, 10, 12, 10, 12, 10, 12, 10]


def test_a_run_across_a_process_change_is_no_run():
    whole = spc.xmr(SEG1 + SEG2)
    assert flagged(whole) == list(range(7, 15)) and all(rs == (spc.SHIFT,) for rs in rules(whole)[7:15])
    rebased = spc.xmr(SEG1 + SEG2, breaks=[12])
    assert flagged(rebased) == []
    assert [(s.start, s.stop, s.change) for s in rebased.segments] == [(0, 12, None), (12, 24, 12)]


def test_limits_are_recomputed_from_each_change_on():
    # A, then A + 10 from a process change. Each segment: its own mean (21, 31) and the
    # moving ranges within it (30/11 each; the jump of 8 across the change counts in neither).
    shifted = [v + 10 for v in A]
    chart = spc.xmr(A + shifted, breaks=[12])
    first, second = chart.points[0], chart.points[12]
    assert first.mean == pytest.approx(21) and second.mean == pytest.approx(31)
    assert first.upper == pytest.approx(21 + 79.8 / 11) and second.lower == pytest.approx(31 - 79.8 / 11)
    assert flagged(chart) == [] and chart.variation == spc.COMMON
    # Without the change the step is a signal: 12 below and 12 above one mean of 26.
    whole = spc.xmr(A + shifted)
    assert whole.mean == pytest.approx(26) and set(flagged(whole, spc.SHIFT)) == set(range(24))


def test_a_change_with_fewer_than_twelve_points_since_leaves_the_latest_segment_without_limits():
    chart = spc.xmr(A + A[:5], breaks=[12], better=UP)
    assert chart.segments[0].status == spc.OK and chart.segments[1].status == spc.TOO_FEW
    assert chart.status == spc.TOO_FEW and chart.count == 5 and chart.variation is None
    assert chart.points[0].upper is not None and chart.points[13].upper is None


def test_breaks_outside_the_series_are_ignored():
    assert len(spc.xmr(A, breaks=[0, 12, 40, -1]).segments) == 1


# ------------------------------------------------------------------ Laney p′

# By hand: p̄ = 0.5 so that σ_pi = √(0.25/n) = 0.05 at n = 100 and 0.025 at n = 400.
#   n  100 400 100 400 100 400 (twice)
#   x   50 210  45 200  55 190 → p .50 .525 .45 .50 .55 .475 → z 0 1 −1 0 1 −1
#   Σx = 1500, Σn = 3000 → p̄ = 0.5
#   |Δz| 1 2 1 1 2 1 1 2 1 1 2 → 15 over 11 → σ_z = (15/11)/1.128 = 1.208897…
#   limits at n = 100: 0.5 ± 3 × 0.05 × 1.208897 = 0.5 ± 0.181335 → 0.318665, 0.681335
#   limits at n = 400: 0.5 ± 3 × 0.025 × 1.208897 = 0.5 ± 0.090667 → 0.409333, 0.590667
X = [50, 210, 45, 200, 55, 190] * 2
N = [100, 400] * 6


def test_pprime_limits_worked_by_hand():
    chart = spc.pprime(X, N)
    sigma_z = (15 / 11) / 1.128
    assert chart.kind == spc.PPRIME and chart.mean == pytest.approx(0.5)
    assert chart.segments[0].sigma == pytest.approx(sigma_z)
    assert chart.points[0].lower == pytest.approx(0.318665, abs=1e-6)
    assert chart.points[0].upper == pytest.approx(0.681335, abs=1e-6)
    assert chart.points[1].lower == pytest.approx(0.409333, abs=1e-6)
    assert chart.points[1].upper == pytest.approx(0.590667, abs=1e-6)
    assert chart.points[1].upper2 == pytest.approx(0.5 + 2 * 0.025 * sigma_z)
    assert chart.points[1].value == pytest.approx(0.525) and chart.points[1].n == 400
    assert flagged(chart) == []                      # every |z| = 1 is within 2 σ_z = 2.42


# The published worked example: the weekly share of NHS A&E attendances seen within four
# hours, from Mohammed MA, Panesar JS, Laney DB, Wilson R, "Statistical process control
# charts for attribute data involving very large sample sizes", BMJ Qual Saf
# 2013;22:362–368 (doi:10.1136/bmjqs-2012-001373), as qicharts2 ships it (dataset
# ``nhs_accidents``) and charts it as a P prime chart (``qic(i, r, n, chart = 'pp')``,
# qicharts2 vignette, "Prime charts for count data with very large sample sizes").
# The limits below are qicharts2 0.8.1's own output for that call, as recorded in
# AUS-DOH-Safety-and-Quality/PowerBI-SPC, test/fixtures/qicharts2.ts (cases "nhs pp"
# and "nhs pp part 10"; generated by its qicharts2.R from the CRAN package).
NHS_R = [266501, 264225, 276532, 281461, 269071, 261215, 270409, 279778, 270483, 270320, 267923, 271478, 255353,
         256820, 261835, 259144, 255910, 260863, 264465, 260989]
NHS_N = [280443, 276823, 291681, 296155, 282343, 275888, 283867, 295251, 284468, 282529, 279618, 283932, 266629,
         268091, 276803, 271578, 266005, 273520, 278574, 273772]


def test_pprime_matches_the_published_nhs_accidents_example():
    chart = spc.pprime(NHS_R, NHS_N)
    assert chart.mean == pytest.approx(0.95289971134419116, abs=1e-12)              # targets
    ll99 = {0: 0.9401296441775141, 6: 0.94020689402152513, 12: 0.93980301398912502, 19: 0.93997499652290417}
    ul99 = {0: 0.96566977851086822, 3: 0.9653264152104587, 16: 0.96601176095213304, 19: 0.96582442616547814}
    ll95 = {0: 0.94438633323307308, 12: 0.94416857977414703}
    ul95 = {0: 0.96141308945530923, 16: 0.96164107774948571}
    for i, v in ll99.items():
        assert chart.points[i].lower == pytest.approx(v, abs=1e-12), i
    for i, v in ul99.items():
        assert chart.points[i].upper == pytest.approx(v, abs=1e-12), i
    for i, v in ll95.items():
        assert chart.points[i].lower2 == pytest.approx(v, abs=1e-12), i
    for i, v in ul95.items():
        assert chart.points[i].upper2 == pytest.approx(v, abs=1e-12), i
    assert not any(spc.LIMIT in p.rules for p in chart.points)      # no week outside, as the paper's figure shows


def test_pprime_rebased_matches_the_published_example_split_after_week_ten():
    # qicharts2's part = 10: limits from weeks 1–10 and from 11–20. Ten points are below
    # our own minimum, so the comparison lowers it to ten.
    chart = spc.pprime(NHS_R, NHS_N, breaks=[10], min_points=10)
    assert chart.points[0].mean == pytest.approx(0.95105964383277042, abs=1e-12)
    assert chart.points[0].lower == pytest.approx(0.93866469138900677, abs=1e-12)
    assert chart.points[9].upper == pytest.approx(0.96340875359614209, abs=1e-12)
    assert chart.points[10].mean == pytest.approx(0.95481431224580271, abs=1e-12)
    assert chart.points[10].lower == pytest.approx(0.940610623423212, abs=1e-12)
    assert chart.points[10].upper == pytest.approx(0.96901800106839342, abs=1e-12)
    assert spc.pprime(NHS_R, NHS_N, breaks=[10]).status == spc.TOO_FEW     # our default: 12


def test_pprime_with_no_variation_at_all():
    # p̄ = 0 (none of anything) or 1 (all answered on time): limits close on it, nothing flagged.
    none = spc.pprime([0] * 12, [40, 50] * 6)
    assert none.mean == 0 and none.lower == 0 and none.upper == 0 and flagged(none) == []
    every = spc.pprime([40, 50] * 6, [40, 50] * 6, target=1.0)
    assert every.mean == 1 and every.lower == 1 and every.upper == 1 and flagged(every) == []
    assert every.variation == spc.COMMON and every.assurance == spc.MET   # 100 % meets "at least 100 %"


def test_pprime_limits_stay_between_zero_and_one_and_empty_months_are_gaps():
    # Small n near p̄ = 0.5: 3 σ_pi σ_z passes 0.5 either side; the limits clip to 0 and 1.
    xs = [0, 2, 0, 2, 0, 2, 0, 2, 0, 2, 0, 2, None]
    ns = [2] * 12 + [0]
    chart = spc.pprime(xs, ns)
    assert chart.points[0].lower == 0 and chart.points[0].upper == 1
    assert chart.points[12].value is None and chart.latest is chart.points[11]


def test_pprime_needs_equal_lengths():
    with pytest.raises(ValueError):
        spc.pprime([1, 2], [3])


# ------------------------------------------------------------------ verdicts

A_HIGH = A + [40]   # 13 points: mean 292/13 = 22.46; MR̄ = (30 + 18)/12 = 4 → upper 22.46 + 10.64 = 33.10 < 40
A_LOW = A + [2]     # mean 254/13 = 19.54; MR̄ = (30 + 20)/12 = 4.1667 → lower 19.54 − 11.08 = 8.45 > 2


@pytest.mark.parametrize("values, better, expected", [
    (A_HIGH, UP, spc.IMPROVEMENT), (A_HIGH, DOWN, spc.CONCERN), (A_HIGH, NEITHER, spc.NEUTRAL_HIGH),
    (A_LOW, UP, spc.CONCERN), (A_LOW, DOWN, spc.IMPROVEMENT), (A_LOW, NEITHER, spc.NEUTRAL_LOW),
    (A, UP, spc.COMMON), (A, NEITHER, spc.COMMON),
])
def test_variation_comes_from_the_latest_point(values, better, expected):
    chart = spc.xmr(values, better=better)
    assert chart.variation == expected
    if values is not A:
        assert chart.latest.rules == (spc.LIMIT,)


def test_a_signal_that_ended_before_the_latest_point_is_common_cause_now():
    chart = spc.xmr(A_HIGH + [22], better=UP)     # the spike, then back
    assert spc.LIMIT in chart.points[12].rules and chart.variation == spc.COMMON


def test_a_trend_points_its_own_way_even_above_the_mean():
    # 9 11 9 11 9 11 then 20 19 … 14: sum 60 + 119 = 179 → mean 13.769
    # MR̄ = (5 × 2 + |20 − 11| + 6 × 1)/12 = 25/12 = 2.0833 → limits 13.769 ± 5.542 → 8.228, 19.311
    # (only 20 is beyond); two-sigma lines 13.769 ± 3.694 → 10.075, 17.464.
    # The latest point, 14, is above the mean (20 … 14 is a run of 7 above) and ends a fall
    # of 7 (20 … 14): the trend names its direction (limit, trend, two of three, shift, as
    # NHSRplotthedots orders them), so for an UP KPI it is a concern.
    values = [9, 11, 9, 11, 9, 11, 20, 19, 18, 17, 16, 15, 14]
    chart = spc.xmr(values, better=UP)
    assert chart.lower == pytest.approx(179 / 13 - 2.66 * 25 / 12)
    assert flagged(chart, spc.LIMIT) == [6]
    assert set(chart.latest.rules) == {spc.SHIFT, spc.TREND}
    assert chart.latest.direction == -1 and chart.variation == spc.CONCERN
    assert spc.xmr(values, better=NEITHER).variation == spc.NEUTRAL_LOW
    assert chart.points[6].direction == 1         # beyond the upper limit: the limit's side first
    assert flagged(chart, spc.TWO_OF_THREE) == [0, 2, 4, 6, 7, 8]    # 9 < 10.075 thrice; 20, 19, 18 > 17.464


@pytest.mark.parametrize("target, direction, expected", [
    (0.85, spc.AT_LEAST, spc.MET), (0.90, spc.AT_LEAST, spc.MET),          # at the lower limit: every value meets it
    (0.9000001, spc.AT_LEAST, spc.HIT_AND_MISS), (0.98, spc.AT_LEAST, spc.HIT_AND_MISS),
    (0.9800001, spc.AT_LEAST, spc.MISSED),
    (5.0, spc.AT_MOST, spc.MET), (0.5, spc.AT_MOST, spc.MISSED), (0.98, spc.AT_MOST, spc.MET), (0.9799999, spc.AT_MOST, spc.HIT_AND_MISS),
    (0.90, spc.AT_MOST, spc.HIT_AND_MISS), (0.8999999, spc.AT_MOST, spc.MISSED),
    (None, spc.AT_LEAST, None), (0.9, None, None),
])
def test_assurance_at_its_boundaries(target, direction, expected):
    assert spc.assurance(0.90, 0.98, target, direction) == expected


def test_assurance_of_a_chart_takes_the_kpis_direction_unless_told():
    # A: limits 13.75 … 28.25
    assert spc.xmr(A, better=UP, target=10).assurance == spc.MET
    assert spc.xmr(A, better=UP, target=30).assurance == spc.MISSED
    assert spc.xmr(A, better=DOWN, target=30).assurance == spc.MET
    assert spc.xmr(A, better=UP, target=20).assurance == spc.HIT_AND_MISS
    assert spc.xmr(A, better=UP, target=30, target_direction=spc.AT_MOST).assurance == spc.MET
    assert spc.xmr(A, better=NEITHER, target=20).assurance is None     # workload: no direction, no assurance
    assert spc.xmr(A, better=UP).assurance is None                     # no target
    assert spc.xmr(A[:5], better=UP, target=10).assurance is None      # no limits


# ------------------------------------------------------------------ signals in words' terms

def test_signals_group_each_run_once():
    chart = spc.xmr(A + [v + 10 for v in A], better=UP)
    shifts = [s for s in spc.signals(chart) if s.rule == spc.SHIFT]
    assert [(s.start, s.end, s.direction, s.count) for s in shifts] == [(0, 11, -1, 12), (12, 23, 1, 12)]


def test_a_rise_then_a_fall_are_two_trends_sharing_the_peak():
    values = [1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1, 5, 5, 5]
    trends = [s for s in spc.signals(spc.xmr(values)) if s.rule == spc.TREND]
    assert [(s.start, s.end, s.direction, s.count) for s in trends] == [(0, 6, 1, 7), (6, 12, -1, 7)]


def test_two_of_three_with_one_point_between_is_one_signal():
    # A twice (24 months), months 14 and 16 (22 and 24) made 30:
    #   sum 504 − 46 + 60 = 518 → mean 21.5833
    #   moving ranges: A's 30, the join |20 − 22| = 2, A's 30 → 62; around the two: 2, 3, 5, 3
    #   become 10, 11, 11, 9 → 62 − 13 + 41 = 90 over 23 → MR̄ = 3.9130
    #   upper limit 21.5833 + 2.66 × 3.9130 = 31.99 (30 is within); two-sigma line
    #   21.5833 + (2/3)(10.4087) = 28.52 (30 is beyond; nothing else is, the highest being 24)
    values = A + A
    values[13], values[15] = 30, 30
    chart = spc.xmr(values)
    assert chart.upper == pytest.approx(518 / 24 + 2.66 * 90 / 23)
    assert flagged(chart) == [13, 15] and chart.points[13].rules == chart.points[15].rules == (spc.TWO_OF_THREE,)
    two = spc.signals(chart)
    assert [(s.rule, s.start, s.end, s.direction, s.count) for s in two] == [(spc.TWO_OF_THREE, 13, 15, 1, 3)]


def test_a_charts_signals_are_worked_out_once(monkeypatch):
    """總覽 asks for every shared chart's signals at every rerun: the second ask is the
    first answer (a copy: the caller may keep or change its list)."""
    chart = spc.xmr([20, 22, 19, 24, 21, 20, 23, 18, 22, 21, 20, 22] + [30] * 8)
    calls = []
    real = spc._signals
    monkeypatch.setattr(spc, "_signals", lambda c: calls.append(c) or real(c))
    first = spc.signals(chart)
    first.clear()
    again = spc.signals(chart)
    assert again and again == spc.signals(chart) and len(calls) == 1
    other = spc.xmr([20, 22, 19, 24, 21, 20, 23, 18, 22, 21, 20, 22] + [30] * 8)     # equal, another object
    assert spc.signals(other) == again and len(calls) == 2
