"""The statistics the dashboard writes out in Python, so that no page waits a second
for scipy to import, give what scipy gives: the Wilson interval and Fisher's exact
test, over every small table and over samples as large as a branch's surveys get.
scipy is a test requirement only (requirements-dev.txt)."""
import itertools

import pytest
from scipy import stats

from analytics import survey_stats


def test_wilson_is_scipys_binomtest_interval():
    cases = [(k, n) for n in (*range(1, 41), 548, 1067, 99_999, 1_000_000)
             for k in sorted({0, 1, n // 3, n // 2, n - 1, n} if n > 40 else range(n + 1))]
    for k, n in cases:
        ci = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
        assert survey_stats.wilson(k, n) == pytest.approx((ci.low, ci.high), abs=1e-12), (k, n)


def scipy_fisher(k1, n1, k2, n2) -> float:
    return float(stats.fisher_exact([[k1, n1 - k1], [k2, n2 - k2]]).pvalue)


def test_fisher_exact_is_scipys_on_every_table_of_up_to_sixteen_a_side():
    """23,104 tables, mirror images (equally likely, both counted) and all."""
    for n1, n2 in itertools.product(range(1, 17), repeat=2):
        for k1, k2 in itertools.product(range(n1 + 1), range(n2 + 1)):
            assert survey_stats.fisher_exact(k1, n1, k2, n2) == \
                pytest.approx(scipy_fisher(k1, n1, k2, n2), rel=1e-12), (k1, n1, k2, n2)


@pytest.mark.parametrize("n1", [30, 40, 100, 548])
@pytest.mark.parametrize("n2", [30, 1067, 100_000, 1_000_000])
def test_fisher_exact_is_scipys_where_the_dashboard_uses_it(n1, n2):
    """Where an expected cell is below five: few dissatisfied answers among many, or a
    small year against a large one. The logarithms of a million-row year carry nine
    significant digits, scipy's as many."""
    for d1, d2 in itertools.product(range(7), repeat=2):
        k1, k2 = n1 - d1, n2 - d2
        assert survey_stats.fisher_exact(k1, n1, k2, n2) == \
            pytest.approx(scipy_fisher(k1, n1, k2, n2), rel=1e-7), (k1, n1, k2, n2)


def test_fisher_exact_is_used_only_where_an_expected_cell_is_below_five():
    assert survey_stats.compare_proportions(35, 40, 40, 40)["method"] == "fisher"
    assert survey_stats.compare_proportions(20, 40, 38, 40)["method"] == "z"
