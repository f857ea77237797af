"""The plan's key figures (KPIs): what each measures, which direction is better, which
way a target for it points by default, and the names a 目標值 sheet may use for it.

Every page, the report and the CLI take a KPI's direction from here, so a rise in
complaints received is never called an improvement: case totals and complaints are
workload, neither good nor bad. The figures the report quotes beside the KPIs
(amounts, minutes saved, counts of questionnaires and tests) are declared here too,
as FIGURES, so that they are compared by the same model (analytics/comparison.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from .i18n import LANGS, t
from .normalize import squash

UP, DOWN, NEITHER = 1, -1, 0


@dataclass(frozen=True)
class Kpi:
    key: str
    kind: str           # "count" | "share" (0–1) | "score" | "days"
    better: int         # UP, DOWN or NEITHER
    dataset: str        # where it comes from (its months decide the period compared)
    annual: bool = False  # kept per year only (問卷回收率, 構面評分): labelled annual, never 同期
    aliases: tuple[str, ...] = ()
    target_direction: int | None = None   # a target's default side (以上 UP / 以下 DOWN); None: ``better``
    sampled: bool = False  # a rate from a sample: below survey_stats.MIN_TEST_N on a side it is not compared
    scale: float | None = None   # full marks of a score (phone mean: 100), for ranking moves in points

    def name(self, lang: str = "zh") -> str:
        return t(f"kpi.{self.key}", lang)

    @property
    def cumulative(self) -> bool:
        """A count that grows through the year: its target is not judged before the year ends."""
        return self.kind == "count"

    @property
    def default_direction(self) -> int:
        """The side of a target that counts as met when the sheet does not say: the
        better direction, or at least the target for workload (a volume to reach)."""
        if self.target_direction is not None:
            return self.target_direction
        return self.better if self.better != NEITHER else UP

    def verdict(self, change) -> str:
        """'better', 'worse', 'same', or 'workload' (no judgement) for a change."""
        if change is None or change != change:
            return "same"
        if self.better == NEITHER:
            return "workload"
        if change == 0:
            return "same"
        return "better" if (change > 0) == (self.better == UP) else "worse"


KPIS: tuple[Kpi, ...] = (
    Kpi("case_total", "count", NEITHER, "case_volumes", aliases=("案件量", "案件數", "總案件量", "總件數", "cases")),
    Kpi("digital_share", "share", UP, "case_volumes",
        aliases=("數位比例", "線上比例", "線上申辦比率", "線上申辦率", "digital", "online share")),
    Kpi("on_time_rate", "share", UP, "case_volumes",
        aliases=("如期完成比例", "如期完成比率", "如期辦結率", "on-time rate", "on time")),
    Kpi("processing_days", "days", DOWN, "case_volumes",
        aliases=("平均處理天數", "處理天數", "平均天數", "平均辦理天數", "average processing days", "processing days")),
    Kpi("satisfaction", "share", UP, "survey_responses", sampled=True,
        aliases=("滿意度", "總滿意度", "整體滿意度比例", "satisfaction", "overall satisfaction rate")),
    Kpi("response_rate", "share", UP, "survey_responses", annual=True,
        aliases=("回收率", "問卷回收比例", "response")),
    Kpi("phone_pass_rate", "share", UP, "phone_tests", sampled=True,
        aliases=("電話禮貌測試合格率", "電話合格率", "合格率", "phone pass", "pass rate")),
    Kpi("phone_mean", "score", UP, "phone_tests", scale=100,
        aliases=("電話禮貌平均分", "電話禮貌測試平均分數", "phone mean")),
    Kpi("complaints", "count", NEITHER, "case_volumes", target_direction=DOWN,
        aliases=("陳情檢舉件數", "檢舉申訴件數", "complaints received")),
    Kpi("complaints_on_time", "share", UP, "case_volumes",
        aliases=("依限回覆比例", "陳情依限回覆比例", "依限回覆率", "complaints answered on time")),
    Kpi("dimension_self", "score", UP, "dimension_scores", annual=True,
        aliases=("自評總分", "構面總分", "政府服務獎自評總分", "self score")),
    Kpi("dimension_pct", "share", UP, "dimension_scores", annual=True,
        aliases=("構面自評得分率", "自評得分率", "得分率", "score %")),
)
# What the report quotes beside the KPIs: compared the same way, never judged better or
# worse, and not offered as a target.
FIGURES: tuple[Kpi, ...] = (
    Kpi("amount", "count", NEITHER, "case_volumes"),
    Kpi("minutes", "count", NEITHER, "case_volumes"),
    Kpi("survey_n", "count", NEITHER, "survey_responses"),
    Kpi("phone_tests", "count", NEITHER, "phone_tests"),
    Kpi("phone_internal", "count", NEITHER, "phone_tests"),
    Kpi("phone_cross", "count", NEITHER, "phone_tests"),
)
BY_KEY = {k.key: k for k in (*KPIS, *FIGURES)}


def _norm(text: str) -> str:
    return squash(str(text)).lower().replace("台", "臺")


@cache
def _names() -> dict[str, Kpi]:
    names = {}
    for kpi in KPIS:
        for text in (kpi.key, *(kpi.name(lang) for lang in LANGS), *kpi.aliases):
            names[_norm(text)] = kpi
    return names


def resolve(text) -> Kpi | None:
    """A KPI by any of its names (as shown in either language, its key, or an alias)."""
    return _names().get(_norm(text)) if text is not None else None


def known_names(lang: str = "zh") -> list[str]:
    """The names to offer where an unknown one was given."""
    return [kpi.name(lang) for kpi in KPIS]


@dataclass(frozen=True)
class Target:
    """A target as the sheet set it: its value (a fraction for a share) and the side of it
    that counts as met (UP 以上, DOWN 以下)."""
    value: float
    direction: int


def targets_for(con, year: int, half: int | None = None) -> dict[str, Target]:
    """KPI key → target for a year, or for its first half (``half=1``: only targets set
    for 上半年; a whole-year target is not a half-year one). Shares are fractions; the
    direction is the sheet's, else the KPI's default."""
    rows = con.execute("SELECT metric, target, direction FROM targets WHERE year = ? AND coalesce(half, 0) = ?",
                       [year, 1 if half == 1 else 0]).fetchall()
    out = {}
    for metric, value, direction in rows:
        kpi = resolve(metric)        # stored as the key; older rows may hold the name as typed
        if kpi is None or value is None:
            continue
        value = float(value) / 100 if kpi.kind == "share" and value > 1 else float(value)
        out[kpi.key] = Target(value, int(direction) if direction in (UP, DOWN) else kpi.default_direction)
    return out
