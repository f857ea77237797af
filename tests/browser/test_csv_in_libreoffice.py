"""The .csv downloads opened in LibreOffice with every separator its import dialog
offers (issue 23): ',' (as written), ';' and tab. A field holding ';' or a tab (a case
type 線上;=1+41) used to be written unquoted, and split on ';' its second half became a
live formula. Every field is now quoted, so no separator splits a field, and text that
starts like a formula keeps its leading apostrophe: no cell of any conversion is a
formula. The CSVs come from the writer every page's download uses and from
``python -m analytics export``. Skips loudly without LibreOffice; fails under CI=true."""
import os
import shutil
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest

from analytics import export
from conftest import ROOT

CI = os.environ.get("CI") == "true"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
SEPARATORS = {"comma": 44, "semicolon": 59, "tab": 9}
HOSTILE = ["線上;=1+41", "臨櫃\t=2+3", "=3+4", "+5", "-6+7", "@SUM(1)", '傳真",=HYPERLINK("http://127.0.0.1:9")',
           "電郵;-8+9;@x", "a,=10+11", "第一課", "線上申辦;+12\t=13", " =14", "x; =15", 'y;"=16"', "z;;=17",
           "第二課 - 臨櫃"]
# What each reads as when split on ',' (the separator it was written with), typed here:
# an apostrophe before every piece that a ';', tab or line break could split off and
# that starts like a formula; nothing else changed.
AS_WRITTEN = ["線上;'=1+41", "臨櫃\t'=2+3", "'=3+4", "'+5", "'-6+7", "'@SUM(1)", '傳真",=HYPERLINK("http://127.0.0.1:9")',
              "電郵;'-8+9;'@x", "a,=10+11", "第一課", "線上申辦;'+12\t'=13", "' =14", "x; '=15", 'y;"=16"', "z;;'=17",
              "第二課 - 臨櫃"]


@pytest.fixture(scope="module")
def soffice():
    if SOFFICE is None:
        if CI:
            pytest.fail("CI=true but no LibreOffice: .ci/run must install libreoffice-calc-nogui")
        pytest.skip("NO LIBREOFFICE FOUND: CSV-in-LibreOffice tests skipped (apt-get install libreoffice-calc-nogui)")
    return SOFFICE


@pytest.fixture(scope="module")
def csvs(tmp_path_factory):
    """The page download of a table of hostile case types, and the command line's export
    of the same case types after an import."""
    folder = tmp_path_factory.mktemp("csv")
    page = folder / "page.csv"
    frame = pd.DataFrame({"案件類別": HOSTILE, "件數": range(1, len(HOSTILE) + 1), "=備註;+x": HOSTILE[::-1]})
    page.write_bytes(export.write_table(frame, "csv", [("單位", "第一課;=1+1")]))
    source = folder / "import.csv"
    # the import folds a tab to a space; ';' and the leading signs stay
    source.write_text("年月,單位,案件類別,件數\n" + "".join(
        f'110/0{i % 9 + 1},第一課,"{t.replace(chr(34), chr(34) * 2)}",{i + 1}\n' for i, t in enumerate(HOSTILE)),
        encoding="utf-8")
    db, cli = folder / "dash.duckdb", folder / "cli.csv"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for args in (["import", source], ["export", "case_volumes", "--format", "csv", "-o", cli]):
        done = subprocess.run([sys.executable, "-m", "analytics", *map(str, args), "--db", str(db)], env=env,
                              capture_output=True, text=True, timeout=120, cwd=ROOT)
        assert done.returncode == 0, done.stderr
    return {"page": page, "export": cli}


def converted(soffice, tmp_path, files, separator: int) -> dict[str, list[list]]:
    """Each CSV as LibreOffice reads it with ``separator`` (UTF-8, '"' as text delimiter),
    saved as .xlsx: per file, its rows of (value, openpyxl data type)."""
    out = tmp_path / f"sep{separator}"
    out.mkdir()
    profile = tmp_path / "profile"
    done = subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                           f"--infilter=CSV:{separator},34,76,1", "--convert-to", "xlsx", "--outdir", str(out),
                           *map(str, files.values())], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    sheets = {}
    for name, path in files.items():
        ws = openpyxl.load_workbook(out / f"{path.stem}.xlsx").active
        sheets[name] = [[(c.value, c.data_type) for c in row if c.value is not None] for row in ws.iter_rows()]
    return sheets


@pytest.mark.parametrize("separator", SEPARATORS)
def test_no_cell_is_a_formula_whatever_the_separator(soffice, csvs, tmp_path, separator):
    sheets = converted(soffice, tmp_path, csvs, SEPARATORS[separator])
    for name, rows in sheets.items():
        formulas = [value for row in rows for value, kind in row if kind == "f"]
        assert formulas == [], (name, separator, formulas)
        assert len(rows) > len(HOSTILE), (name, rows)        # every line arrived


def test_split_on_commas_every_field_reads_as_written(soffice, csvs, tmp_path):
    """With the separator the file was written with, each hostile text is one cell,
    exactly as typed — with an apostrophe before the ones that start like a formula."""
    rows = converted(soffice, tmp_path, csvs, SEPARATORS["comma"])["page"]
    assert [row[0][0] for row in rows[1:]] == AS_WRITTEN
    assert rows[0][2][0] == "'=備註;'+x"
    assert [row[1] for row in rows[1:]] == [(i, "n") for i in range(1, len(HOSTILE) + 1)]   # numbers stay numbers
