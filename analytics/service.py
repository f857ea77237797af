"""What the app asks of the data, one short-lived connection per call, so that the
command line can import while the app runs (DuckDB lets one process write at a time)."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from . import importer, queries, sample, store
from .i18n import t


@contextmanager
def opened(db: str | Path | None = None, *, write: bool = False):
    path = store.db_path(db)
    con = store.connect(path, read_only=not write and path.exists())
    try:
        yield con
    finally:
        con.close()


def load_sample_if_new(db: str | Path | None = None) -> int | None:
    """On the very first start (no batch ever recorded), load the bundled sample.
    Returns its batch id, or None when nothing was loaded."""
    with opened(db, write=True) as con:
        if store.ever_imported(con):
            return None
        path = sample.sample_path()
        if not path.exists():
            sample.build(path)
        return importer.import_file(con, path, user="system", is_sample=True).batch_id


def data_version(db=None) -> int:
    with opened(db) as con:
        return store.data_version(con)


def is_sample_only(db=None) -> bool:
    with opened(db) as con:
        return store.only_sample(con)


def roc_year(year: int, lang: str = "zh", gregorian: bool = False) -> str:
    return t("year.gregorian", lang, year=year) if gregorian else t("year.roc", lang, roc=year - 1911, year=year)


def loaded_summary(db=None, lang: str = "zh", gregorian: bool = False) -> pd.DataFrame:
    """Per dataset and year: rows and a one-line summary, for the data overview."""
    with opened(db) as con:
        counts = queries.overview(con)
        stats = queries.stats(con)
    out = []
    for row in counts.itertuples():
        y = str(row.year)
        summary = ""
        if row.dataset == "case_volumes":
            summary = t("overview.case_summary", lang, total=stats["case_volumes"][y]["total"])
        elif row.dataset == "survey_responses":
            s = stats["survey_responses"][y]
            rate = "–" if s["satisfied_rate"] is None else f"{s['satisfied_rate']:.1%}"
            summary = t("overview.survey_summary", lang, responses=s["responses"], rate=rate)
        elif row.dataset == "survey_issued":
            summary = t("overview.issued_summary", lang, issued=stats["survey_responses"][y]["issued"] or 0)
        elif row.dataset == "phone_tests":
            s = stats["phone_tests"][y]
            summary = t("overview.phone_summary", lang, tests=s["tests"], rate=f"{s['pass_rate']:.1%}",
                        mean=f"{s['mean_score']:.1f}")
        elif row.dataset == "dimension_scores":
            s = stats["dimension_scores"][y]
            summary = t("overview.dimension_summary", lang, self=f"{s['self_total']:g}", max=f"{s['max_total']:g}")
        elif row.dataset == "targets":
            summary = t("overview.targets_summary", lang, rows=row.rows)
        out.append({t("overview.col.dataset", lang): t(f"dataset.{row.dataset}", lang),
                    t("overview.col.year", lang): roc_year(int(row.year), lang, gregorian),
                    t("overview.col.rows", lang): int(row.rows),
                    t("overview.col.summary", lang): summary})
    return pd.DataFrame(out)


def history(db=None) -> list[dict]:
    with opened(db) as con:
        return store.history(con)


# ------------------------------------------------------------------ the import page

def preview(path: str | Path, name: str, db=None, lang: str = "zh") -> dict:
    """What importing this file would do, without writing: per sheet the dataset,
    rows and first cleaned rows; every notice; every problem, rendered."""
    from .problems import Refused
    with opened(db) as con:
        existing = store.active_batch_with_hash(con, importer.file_hash(path))
        settings = store.settings(con)
    try:
        parsed = importer.parse_file(path, name, settings)
    except Refused as refusal:
        return {"file": name, "ok": False, "sheets": [], "notices": [],
                "problems": [p.render(lang) for p in refusal.problems], "total": refusal.total, "existing": None}
    sheets = [{"sheet": s.name, "dataset": s.dataset, "rows": s.rows,
               "head": s.tables[s.dataset].drop(columns="nkey").head(5)} for s in parsed.sheets]
    return {"file": name, "ok": not parsed.problems, "sheets": sheets, "notices": parsed.notice_texts(lang),
            "problems": [p.render(lang) for p in parsed.problems.items], "total": parsed.problems.total,
            "existing": existing[0] if existing else None}


def import_path(path: str | Path, name: str, user: str | None = None, db=None, lang: str = "zh"):
    """Import one file as one batch; raises ``Refused`` having written nothing."""
    with opened(db, write=True) as con:
        return importer.import_file(con, path, name, user=user, lang=lang)


def undo(batch_id: int, user: str | None = None, db=None) -> dict[str, int]:
    with opened(db, write=True) as con:
        return store.undo_batch(con, batch_id, user)
