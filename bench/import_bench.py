"""Import speed against pandas merely reading the same workbook.

    python bench/import_bench.py [--rows 100000] [--repeat 3]

Writes a messy survey workbook (ROC text dates, office nicknames, Likert words and
digits, blanks), then times, in this one run and in this order each repetition:
pandas.read_excel(engine="calamine") (the baseline), fastexcel reading the same file,
and the full import (read, recognise, clean, check, write to a new DuckDB file).
Prints medians and the ratio import ÷ baseline (goal: ≤ 1.0).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analytics import importer, store  # noqa: E402

WORDS = {5: "非常滿意", 4: "滿意", 3: "普通", 2: "不滿意", 1: "非常不滿意"}


def make_survey(path: Path, rows: int, seed: int = 7) -> Path:
    rng = np.random.default_rng(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("問卷")
    ws.append(["臨櫃服務滿意度調查"])
    ws.append(["問卷編號", "填答日期", "服務據點", "洽辦業務項目", "服務內容", "洽公環境", "服務設備", "人員禮貌及服務態度",
               "整體滿意度", "受訪者類型"])
    offices = ["本分局", "嘉辦", "斗辦", "臺南分局"]
    answers = rng.integers(1, 6, size=(rows, 6))
    days = rng.integers(0, 365 * 3, size=rows)
    for i in range(rows):
        d = pd.Timestamp("2021-01-01") + pd.Timedelta(days=int(days[i]))
        date = f"{d.year - 1911}/{d.month:02d}/{d.day:02d}" if i % 2 else f"{d.year - 1911}年{d.month}月{d.day}日"
        a = [WORDS[int(v)] if (i + j) % 4 == 0 else int(v) for j, v in enumerate(answers[i])]
        if i % 17 == 0:
            a[2] = None
        ws.append([f"Q{i:07d}", date, offices[i % 4], *a, ("業者", "民眾")[i % 2]])
    wb.save(path)
    return path


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    path = make_survey(tmp / "survey.xlsx", args.rows)
    print(f"workbook: {args.rows:,} survey rows, {path.stat().st_size / 1e6:.1f} MB")

    def do_import():
        db = tmp / f"bench{time.monotonic_ns()}.duckdb"
        con = store.connect(db)
        result = importer.import_file(con, path)
        assert result.rows_by_dataset["survey_responses"] == args.rows
        con.close()

    runs = {"pandas+calamine read": [], "fastexcel read": [], "import (ours)": []}
    try:
        import fastexcel
    except ImportError:
        fastexcel = None
    for _ in range(args.repeat):
        runs["pandas+calamine read"].append(timed(lambda: pd.read_excel(path, engine="calamine", header=1)))
        if fastexcel:
            runs["fastexcel read"].append(timed(lambda: fastexcel.read_excel(path).load_sheet(0, header_row=1).to_pandas()))
        runs["import (ours)"].append(timed(do_import))
    base = statistics.median(runs["pandas+calamine read"])
    for name, times in runs.items():
        if times:
            med = statistics.median(times)
            print(f"{name:<22} median {med:6.3f} s  ({args.rows / med:>9,.0f} rows/s)  ratio {med / base:5.2f}x")
    print(f"import ÷ pandas+calamine read = {statistics.median(runs['import (ours)']) / base:.2f} (goal ≤ 1.0)")


if __name__ == "__main__":
    main()
