"""Survey statistics with their uncertainty, as Taiwanese survey reports quote them."""
from __future__ import annotations

import math

MIN_TEST_N = 30        # below this on either side, no test: "樣本太少"
MIN_EXPECTED = 5       # an expected cell below this: Fisher's exact test, not the z-test
MIN_ALPHA_ITEMS = 3    # Cronbach's α needs at least three items …
MIN_ALPHA_N = 30       # … and thirty complete answers


# The two-sided 95 % normal quantile, Φ⁻¹(0.975), as scipy.special.ndtri gives it.
Z95 = 1.959963984540054


def wilson(successes: int, n: int) -> tuple[float, float]:
    """95 % Wilson score interval for a proportion: the closed form, computed as scipy's
    ``binomtest(k, n).proportion_ci(method="wilson")`` computes it (Newcombe 1998),
    bounds 0 and 1 exact at k = 0 and k = n. Written out because importing scipy.stats
    took one to two seconds of the dashboard's start, before its first chart."""
    if not n:
        return (math.nan, math.nan)
    k, n = int(successes), int(n)
    if not 0 <= k <= n:
        raise ValueError(f"successes must be between 0 and n ({n}), not {k}")
    p = k / n
    denom = 2 * (n + Z95 ** 2)
    centre = (2 * n * p + Z95 ** 2) / denom
    delta = Z95 / denom * math.sqrt(4 * n * p * (1 - p) + Z95 ** 2)
    return (0.0 if k == 0 else centre - delta, 1.0 if k == n else centre + delta)


def margin_of_error(n: int) -> float:
    """抽樣誤差 in percentage points at 95 %: 1.96·√(0.25/n)·100 (the worst case p = .5)."""
    return 1.96 * math.sqrt(0.25 / n) * 100 if n else math.nan


def two_proportions(k1: int, n1: int, k2: int, n2: int) -> tuple[float, float]:
    """Two-sided z-test of p1 = p2 with the pooled proportion: (z, p-value)."""
    if not n1 or not n2:
        return (math.nan, math.nan)
    pooled = (k1 + k2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return (0.0, 1.0)
    z = (k1 / n1 - k2 / n2) / se
    return (z, math.erfc(abs(z) / math.sqrt(2)))  # two-sided normal tail, 2·(1 − Φ(|z|))


# Tables as likely as the observed one within this relative difference count as ties
# (R's fisher.test uses the same): a table and its mirror image are equally likely, and
# both are counted however the logarithms round.
FISHER_TIE = 1e-7


def _log_choose(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def fisher_exact(k1: int, n1: int, k2: int, n2: int) -> float:
    """Two-sided p-value of Fisher's exact test on the 2×2 table [[k1, n1 − k1],
    [k2, n2 − k2]]: with its margins fixed, the probability of every table no more
    likely than this one, as R's ``fisher.test`` gives it (ties within 1e-7; scipy's
    ``fisher_exact`` counts ties within 1e-14, which differs only on a table within
    that narrow band, and agrees to 1e-12 on every table
    tests/integration/test_statistics.py compares). The hypergeometric
    terms are taken in logarithms, so a large sample costs what a small one does; the
    tables summed are at most as many as the smallest margin (the test runs only where
    an expected cell is below five, so a few thousand at most). Written out because
    importing scipy.stats cost a second on the page that first needed it."""
    n, k = n1 + n2, k1 + k2
    if not n1 or not n2 or k in (0, n):
        return 1.0
    whole = _log_choose(n, k)

    def log_p(x: int) -> float:
        return _log_choose(n1, x) + _log_choose(n2, k - x) - whole

    limit = log_p(k1) + math.log1p(FISHER_TIE)
    terms = (log_p(x) for x in range(max(0, k - n2), min(k, n1) + 1))
    return min(1.0, math.fsum(math.exp(lp) for lp in terms if lp <= limit))


def compare_proportions(k1: int, n1: int, k2: int, n2: int) -> dict:
    """Whether two proportions differ, said only where the samples allow it.

    Below MIN_TEST_N answers on either side there is no test ("too_small"). Where an
    expected cell of the 2×2 table is below MIN_EXPECTED the normal approximation is
    poor, so Fisher's exact test is used; otherwise the pooled two-proportion z-test.
    Returns method ("none", "fisher" or "z"), p (or None) and significant (p < .05)."""
    if min(n1, n2) < MIN_TEST_N:
        return {"method": "none", "p": None, "z": None, "significant": False, "too_small": True}
    pooled = (k1 + k2) / (n1 + n2)
    expected = [n * share for n in (n1, n2) for share in (pooled, 1 - pooled)]
    if min(expected) < MIN_EXPECTED:
        p = fisher_exact(k1, n1, k2, n2)
        return {"method": "fisher", "p": p, "z": None, "significant": p < 0.05, "too_small": False}
    z, p = two_proportions(k1, n1, k2, n2)
    return {"method": "z", "p": p, "z": z, "significant": p < 0.05, "too_small": False}


def cronbach_alpha(item_variances: list[float], total_variance: float, n: int) -> dict:
    """Cronbach's α from the items' sample variances and that of their sum, over ``n``
    complete answers. Returns alpha (or None) with the reason when there is none:
    "too_few_items", "too_few_answers", "no_variance", or "negative" (α below 0: the
    items do not measure one thing the same way round, and a number would mislead)."""
    k = len(item_variances)
    if k < MIN_ALPHA_ITEMS:
        return {"alpha": None, "reason": "too_few_items", "items": k, "n": n}
    if n < MIN_ALPHA_N:
        return {"alpha": None, "reason": "too_few_answers", "items": k, "n": n}
    if not total_variance:
        return {"alpha": None, "reason": "no_variance", "items": k, "n": n}
    alpha = k / (k - 1) * (1 - sum(item_variances) / total_variance)
    if alpha < 0:      # the items pull against each other (one scored the other way round): no reliability to say
        return {"alpha": None, "reason": "negative", "items": k, "n": n}
    return {"alpha": alpha, "reason": None, "items": k, "n": n}


def alpha_band(alpha: float | None) -> str:
    """George & Mallery's bands for Cronbach's α, as catalog keys."""
    if alpha is None or math.isnan(alpha):
        return "alpha.none"
    for floor, band in ((0.9, "alpha.excellent"), (0.8, "alpha.good"), (0.7, "alpha.acceptable"),
                        (0.6, "alpha.questionable"), (0.5, "alpha.poor")):
        if alpha >= floor:
            return band
    return "alpha.unacceptable"
