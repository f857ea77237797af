"""The plan's key figures (KPIs): what each measures, which direction is better, and
the names a 目標值 sheet may use for it.

Every page, the report and the CLI take a KPI's direction from here, so a rise in
complaints received is never called an improvement: case totals and complaints are
workload, neither good nor bad.
"""
from __future__ import annotations

from dataclasses import dataclass

from .i18n import LANGS, t
from .normalize import squash

UP, DOWN, NEITHER = 1, -1, 0


@dataclass(frozen=True)
class Kpi:
    key: str
    kind: str           # "count" | "share" (0–1) | "score"
    better: int         # UP, DOWN or NEITHER
    dataset: str        # where it comes from (its months decide a partial period)
    annual: bool = False  # kept per year only (問卷發放, 構面評分): never compared as 同期 within a year
    aliases: tuple[str, ...] = ()

    def name(self, lang: str = "zh") -> str:
        return t(f"kpi.{self.key}", lang)

    def verdict(self, change) -> str:
        """'better', 'worse', 'same', or 'neither' (workload: no judgement)."""
        if change is None or change != change:
            return "same"
        if self.better == NEITHER:
            return "neither"
        if change == 0:
            return "same"
        return "better" if (change > 0) == (self.better == UP) else "worse"

    def met(self, actual, target) -> bool | None:
        """Whether ``actual`` is on the better side of ``target`` (at or beyond it). A
        workload target (案件總量) counts as met once reached."""
        if actual is None or target is None or actual != actual or target != target:
            return None
        return actual <= target if self.better == DOWN else actual >= target


KPIS: tuple[Kpi, ...] = (
    Kpi("case_total", "count", NEITHER, "case_volumes", aliases=("案件量", "案件數", "總案件量", "總件數", "cases")),
    Kpi("digital_share", "share", UP, "case_volumes",
        aliases=("數位比例", "線上比例", "線上申辦比率", "線上申辦率", "digital", "online share")),
    Kpi("satisfaction", "share", UP, "survey_responses",
        aliases=("滿意度", "總滿意度", "整體滿意度比例", "satisfaction", "overall satisfaction rate")),
    Kpi("response_rate", "share", UP, "survey_responses", annual=True,
        aliases=("回收率", "問卷回收比例", "response")),
    Kpi("phone_pass_rate", "share", UP, "phone_tests",
        aliases=("電話禮貌測試合格率", "電話合格率", "合格率", "phone pass", "pass rate")),
    Kpi("phone_mean", "score", UP, "phone_tests", aliases=("電話禮貌平均分", "電話禮貌測試平均分數", "phone mean")),
    Kpi("complaints", "count", NEITHER, "case_volumes", aliases=("陳情檢舉件數", "檢舉申訴件數", "complaints received")),
    Kpi("complaints_on_time", "share", UP, "case_volumes",
        aliases=("依限回覆比例", "陳情依限回覆比例", "依限回覆率", "complaints answered on time")),
    Kpi("dimension_self", "score", UP, "dimension_scores", annual=True,
        aliases=("自評總分", "構面總分", "政府服務獎自評總分", "self score")),
    Kpi("dimension_pct", "share", UP, "dimension_scores", annual=True,
        aliases=("構面自評得分率", "自評得分率", "得分率", "score %")),
)
# Figures charted month by month (process behaviour charts, analytics/signals.py) that
# are no year-on-year KPI: a 目標值 or 流程變更 sheet may name them, the comparisons
# (metrics.kpi_comparison) leave them out.
CHARTED: tuple[Kpi, ...] = (
    Kpi("processing_days", "score", DOWN, "case_volumes",
        aliases=("平均處理天數", "處理天數", "平均天數", "average processing days", "processing days")),
)
BY_KEY = {k.key: k for k in (*KPIS, *CHARTED)}


def _norm(text: str) -> str:
    return squash(str(text)).lower().replace("台", "臺")


def _names() -> dict[str, Kpi]:
    names = {}
    for kpi in (*KPIS, *CHARTED):
        for text in (kpi.key, *(kpi.name(lang) for lang in LANGS), *kpi.aliases):
            names[_norm(text)] = kpi
    return names


def resolve(text) -> Kpi | None:
    """A KPI by any of its names (as shown in either language, its key, or an alias)."""
    return _names().get(_norm(text)) if text is not None else None


def known_names(lang: str = "zh") -> list[str]:
    """The names to offer where an unknown one was given."""
    return [kpi.name(lang) for kpi in (*KPIS, *CHARTED)]


def targets_for(con, year: int, half: int | None = None) -> dict[str, float]:
    """KPI key → target for a year, or for its first half (``half=1``: only targets set
    for 上半年; a whole-year target is not a half-year one). Shares are fractions."""
    rows = con.execute("SELECT metric, target FROM targets WHERE year = ? AND coalesce(half, 0) = ?",
                       [year, 1 if half == 1 else 0]).fetchall()
    out = {}
    for metric, target in rows:
        kpi = resolve(metric)        # stored as the key; older rows may hold the name as typed
        if kpi is not None and target is not None:
            out[kpi.key] = float(target) / 100 if kpi.kind == "share" and target > 1 else float(target)
    return out
