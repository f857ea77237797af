"""Survey statistics with their uncertainty, as Taiwanese survey reports quote them."""
from __future__ import annotations

import math

Z95 = 1.959963984540054


def wilson(successes: int, n: int) -> tuple[float, float]:
    """95 % Wilson score interval for a proportion (scipy's binomtest)."""
    if not n:
        return (math.nan, math.nan)
    from scipy import stats as sps  # imported here: it costs half a second at start-up
    ci = sps.binomtest(int(successes), int(n)).proportion_ci(confidence_level=0.95, method="wilson")
    return (float(ci.low), float(ci.high))


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


def alpha_band(alpha: float) -> str:
    """George & Mallery's bands for Cronbach's α, as catalog keys."""
    if alpha is None or math.isnan(alpha):
        return "alpha.none"
    for floor, band in ((0.9, "alpha.excellent"), (0.8, "alpha.good"), (0.7, "alpha.acceptable"),
                        (0.6, "alpha.questionable"), (0.5, "alpha.poor")):
        if alpha >= floor:
            return band
    return "alpha.unacceptable"
