"""Charts and tables that several pages draw from the same comparisons: the change of
the KPIs with a better direction in percentage points, and the dimensions against the
year before. The figures are analytics.comparison's; only their layout is here."""
from __future__ import annotations

import pandas as pd

from analytics import wording
from analytics.comparison import Comparison, DimensionRow
from ui import figures, theme
from ui.session import gregorian, label, lang, tr


def merit_bars(rows: list[Comparison], hover: list) -> "figures.go.Figure":
    """Each comparison's change in percentage points (a score's in points of its full
    marks), coloured by its verdict with the mark beside the number."""
    points = [c.points() for c in rows]
    reach = max(1.0, max(abs(p) for p in points))
    return figures.shared(figures.bars, [wording.name(c, lang()) for c in rows], [figures.Series(
        tr("col.change_pp"), points, theme.ACCENT, colors=[theme.VERDICT_COLORS[c.verdict] for c in rows],
        text=[f"{wording.MARKS[c.verdict]} {wording.change(c, lang())}" for c in rows], hover=hover)],
        x_title=tr("col.change_pp"), x_range=[-reach * 2.2, reach * 2.2], zeroline=True)


def dimension_table(dims: list[DimensionRow], change_title: str, verdict_of: str) -> pd.DataFrame:
    """The dimensions' scores, rates and changes, as the overview and 構面評分 list them;
    ``verdict_of``: "score" or "pct", whose verdict the last column says."""
    return pd.DataFrame({
        tr("col.dimension"): [str(label(d.name)) for d in dims], tr("col.points"): [d.points for d in dims],
        tr("col.self_score"): [d.score.value for d in dims], tr("col.score_pct"): [d.pct.value for d in dims],
        tr("col.previous"): [d.score.before for d in dims], tr("col.previous_pct"): [d.pct.before for d in dims],
        change_title: [d.score.change for d in dims],
        tr("col.change_pp"): [d.pct.points() for d in dims],
        tr("col.verdict"): [wording.status(getattr(d, verdict_of), lang(), gregorian()) for d in dims]})


def dimension_kinds(change_title: str) -> dict[str, str]:
    return {tr("col.score_pct"): "share", tr("col.previous_pct"): "share", tr("col.change_pp"): "score",
            tr("col.points"): "score", tr("col.self_score"): "score", tr("col.previous"): "score",
            change_title: "score"}
