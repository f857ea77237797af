"""Large, realistic inputs for the benchmarks: ROC text dates, Chinese text, office
nicknames, Likert words beside digits, blanks, a title row — what the importer handles.

    python bench/make_data.py [--out bench/out] [--sizes 100000 1000000] [--formats 100000]

Writes survey_<n>.xlsx and survey_<n>.csv for each size, and cases_1000000.csv
(ten years × 12 months × 40 units of four branches × 52 case types × 4 channels).
xlsxwriter's constant-memory mode writes the workbooks (openpyxl takes ~2× as long).
--formats N also writes the same N survey rows as survey_<N>.ods (LibreOffice converts
survey_<N>.xlsx, so the file is what Calc writes), survey_<N>.xls (xlwt; an .xls sheet
holds at most 65,536 rows, so the rows are split over sheets of XLS_ROWS, each with
the title and header) and survey_<N>_big5.csv (cp950, as Excel on a Taiwanese Windows
saves a CSV).
"""
from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np

WORDS = {5: "非常滿意", 4: "滿意", 3: "普通", 2: "不滿意", 1: "非常不滿意"}
SURVEY_HEADER = ["問卷編號", "填答日期", "服務據點", "洽辦業務項目", "服務內容", "洽公環境", "服務設備",
                 "人員禮貌及服務態度", "整體滿意度", "受訪者類型"]
OFFICES = ["本分局", "嘉辦", "斗辦", "臺南分局"]
BRANCHES = ["臺南分局", "高雄分局", "臺中分局", "新竹分局"]
SECTIONS = ["第一課", "第二課", "第三課", "第四課", "第五課", "第六課", "秘書室", "人事室", "主計室", "政風室"]
CHANNELS = ["線上", "臨櫃", "傳真", "電郵"]


def survey_rows(n: int, seed: int = 7):
    rng = np.random.default_rng(seed)
    answers = rng.integers(1, 6, size=(n, 6))
    days = rng.integers(0, 365 * 3, size=n)
    base = np.datetime64("2021-01-01")
    for i in range(n):
        d = (base + np.timedelta64(int(days[i]), "D")).astype(object)
        date = f"{d.year - 1911}/{d.month:02d}/{d.day:02d}" if i % 2 else f"{d.year - 1911}年{d.month}月{d.day}日"
        a = [WORDS[int(v)] if (i + j) % 4 == 0 else int(v) for j, v in enumerate(answers[i])]
        if i % 17 == 0:
            a[2] = None
        yield [f"Q{i:08d}", date, OFFICES[i % 4], *a, ("業者", "民眾")[i % 2]]


def case_rows(seed: int = 11):
    rng = np.random.default_rng(seed)
    types = [f"案件類別{k:02d}" for k in range(52)]
    for roc in range(105, 115):
        for month in range(1, 13):
            counts = rng.integers(0, 60, size=(len(BRANCHES) * len(SECTIONS), len(types), len(CHANNELS)))
            for u, (branch, section) in enumerate((b, s) for b in BRANCHES for s in SECTIONS):
                unit = section if branch == "臺南分局" else f"{branch}{section}"
                for t, case_type in enumerate(types):
                    for c, channel in enumerate(CHANNELS):
                        yield [f"{roc}/{month:02d}", unit, case_type, channel, f"{counts[u, t, c]:,}"]


def write_xlsx(path: Path, title: str, header: list, rows):
    import xlsxwriter
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    ws = wb.add_worksheet("資料")
    ws.write_row(0, 0, [title])
    ws.write_row(1, 0, header)
    for r, row in enumerate(rows, start=2):
        ws.write_row(r, 0, row)
    wb.close()
    return path


def write_csv(path: Path, title: str, header: list, rows, encoding: str = "utf-8-sig"):
    with open(path, "w", encoding=encoding, newline="") as fh:
        out = csv.writer(fh)
        out.writerow([title])
        out.writerow(header)
        out.writerows(rows)
    return path


XLS_ROWS = 50_000


def write_xls(path: Path, title: str, header: list, rows):
    import xlwt
    book = xlwt.Workbook(encoding="utf-8")
    sheet, r = None, 0
    for i, row in enumerate(rows):
        if i % XLS_ROWS == 0:
            sheet = book.add_sheet(f"資料{i // XLS_ROWS + 1}")
            sheet.write(0, 0, title)
            for c, label in enumerate(header):
                sheet.write(1, c, label)
            r = 2
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
        r += 1
    book.save(str(path))
    return path


def write_ods(path: Path, xlsx: Path):
    """LibreOffice's own .ods of the workbook (a profile of its own, so a running
    LibreOffice is left alone)."""
    import shutil
    import subprocess
    import tempfile
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    with tempfile.TemporaryDirectory(prefix="make_data_ods_") as tmp:
        subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", "ods",
                        "--outdir", tmp, str(xlsx)], check=True, capture_output=True, timeout=3600)
        shutil.move(str(Path(tmp) / (xlsx.stem + ".ods")), str(path))
    return path


def make_formats(out: Path, n: int) -> dict[str, Path]:
    """The survey rows of size ``n`` as .ods, .xls and Big5 CSV besides the .xlsx."""
    made = make(out, (n,), cases=False)
    title = "臨櫃服務滿意度調查"
    targets = {f"survey_{n}.xls": lambda p: write_xls(p, title, SURVEY_HEADER, survey_rows(n)),
               f"survey_{n}_big5.csv": lambda p: write_csv(p, title, SURVEY_HEADER, survey_rows(n), "cp950"),
               f"survey_{n}.ods": lambda p: write_ods(p, made[f"survey_{n}.xlsx"])}
    for name, writer in targets.items():
        path = out / name
        if not path.exists():
            partial = path.with_name("partial_" + name)
            writer(partial)
            partial.replace(path)
        made[name] = path
    return made


def make(out: Path, sizes=(100_000, 1_000_000), cases: bool = True) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    made = {}
    for n in sizes:
        for kind, writer in (("xlsx", write_xlsx), ("csv", write_csv)):
            path = out / f"survey_{n}.{kind}"
            if not path.exists():
                writer(path, "臨櫃服務滿意度調查", SURVEY_HEADER, survey_rows(n))
            made[f"survey_{n}.{kind}"] = path
    if cases:
        path = out / "cases_1000000.csv"
        if not path.exists():
            write_csv(path, "各分局案件量", ["年月", "單位", "案件類別", "申辦管道", "件數"], case_rows())
        made["cases_1000000.csv"] = path
    return made


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(Path(__file__).parent / "out"))
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--formats", type=int, nargs="*", default=[], metavar="N",
                    help="also .ods, .xls and Big5 .csv of the N-row survey")
    args = ap.parse_args()
    made = make(Path(args.out), args.sizes)
    for n in args.formats:
        made.update(make_formats(Path(args.out), n))
    for name, path in made.items():
        print(f"{name:<24} {path.stat().st_size / 1e6:8.1f} MB")
