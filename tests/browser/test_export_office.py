"""The downloads as a manager's office suite shows them: LibreOffice opens the .xlsx and
.ods a page downloads and shows counts with separators, shares as percentages, the
header bold and frozen and the columns fitted. Skips loudly without LibreOffice; fails
under CI=true (.ci/run installs it)."""
import csv
import io
import os
import re
import shutil
import subprocess
import unicodedata

import pytest

from analytics import export
from export_tables import BRANCH, FILTERS, KINDS, manager_table, table  # noqa: F401 (table is a fixture)


CI = os.environ.get("CI") == "true"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


# ------------------------------------------------------------------ CSV

DESCRIBE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub Describe(path As String)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = "Hidden"
  args(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(path), "_blank", 0, args())
  ctrl = doc.getCurrentController()
  n = FreeFile
  Open path &amp; ".txt" For Output As #n
  For i = 0 To doc.Sheets.Count - 1
    sh = doc.Sheets.getByIndex(i)
    ctrl.setActiveSheet(sh)
    cur = sh.createCursor()
    cur.gotoEndOfUsedArea(False)
    Print #n, "sheet" &amp; Chr(9) &amp; i &amp; Chr(9) &amp; ctrl.hasFrozenPanes() &amp; Chr(9) &amp; ctrl.getSplitRow()
    For c = 0 To cur.RangeAddress.EndColumn
      Print #n, "column" &amp; Chr(9) &amp; i &amp; Chr(9) &amp; sh.getCellByPosition(c, 0).CharWeight &amp; Chr(9) _
        &amp; sh.Columns.getByIndex(c).Width &amp; Chr(9) _
        &amp; doc.NumberFormats.getByKey(sh.getCellByPosition(c, 1).NumberFormat).FormatString
    Next
  Next
  Close #n
  doc.close(True)
End Sub
</script:module>
"""
BOLD = 150.0        # com.sun.star.awt.FontWeight.BOLD


def _soffice(args: list[str], profile):
    done = subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", *args],
                          check=False, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """The table's .xlsx and .ods, and what LibreOffice makes of them: CSV and PDF of
    each cell as shown, and the macro's description of each file."""
    if SOFFICE is None:
        if CI:
            pytest.fail("CI=true but no LibreOffice: .ci/run must install libreoffice-calc-nogui")
        pytest.skip("NO LIBREOFFICE FOUND: export-in-LibreOffice tests skipped "
                    "(apt-get install libreoffice-calc-nogui)")
    folder = tmp_path_factory.mktemp("office")
    profile = folder / "profile"            # a profile of its own: never the user's, never shared
    files = []
    for fmt in ("xlsx", "ods"):
        path = folder / f"table_{fmt}.{fmt}"
        path.write_bytes(export.write_table(manager_table(), fmt, FILTERS, kinds=KINDS))
        files.append(path)
    # CSV of the first sheet, each cell "as shown" (the last option), in UTF-8 (76)
    _soffice(["--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true",
              "--outdir", str(folder / "csv"), *map(str, files)], profile)
    _soffice(["--convert-to", "pdf", "--outdir", str(folder / "pdf"), *map(str, files)], profile)
    standard = profile / "user" / "basic" / "Standard"      # made by the runs above
    assert (standard / "script.xlb").exists(), "LibreOffice made no Basic library in its profile"
    (standard / "Module1.xba").write_text(DESCRIBE, encoding="utf-8")
    for path in files:
        _soffice([f'macro:///Standard.Module1.Describe("{path}")'], profile)
    return folder, files


def described(path) -> tuple[dict[int, list[str]], dict[int, list[tuple[float, int, str]]]]:
    text = path.with_name(path.name + ".txt")
    assert text.exists(), f"LibreOffice's macro did not describe {path.name}"
    sheets, columns = {}, {}
    for line in text.read_text(encoding="utf-8", errors="replace").splitlines():
        kind, index, *rest = line.split("\t")
        if kind == "sheet":
            sheets[int(index)] = rest
        else:
            columns.setdefault(int(index), []).append((float(rest[0]), int(rest[1]), rest[2]))
    return sheets, columns


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_libreoffice_shows_counts_with_separators_and_shares_as_percentages(office, fmt):
    folder, _ = office
    shown = csv_rows((folder / "csv" / f"table_{fmt}.csv").read_bytes())
    assert shown[1][:7] == [BRANCH, "1,188", "44.5%", "85.5", "2021-07-01", "2021", "1.50"]
    assert shown[2][:7] == ["=1+1", "23", "-1.3%", "90.0", "2021-12-31", "2021", "2.25"]    # =1+1 stays text
    assert shown[3][3] == "77.3"
    if not CI:
        pytest.importorskip("pypdf")      # under CI=true a missing pypdf fails at the import below
    from report_files import pdf_pages
    text = "\n".join(pdf_pages(folder / "pdf" / f"table_{fmt}.pdf"))
    for figure in ("1,188", "44.5%", "-1.3%", "2021-07-01", "77.3", unicodedata.normalize("NFKC", BRANCH)):
        assert figure in text, figure
    assert "###" not in text                     # no column too narrow for its number
    assert not re.search(r"\b1188\b", text)


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_libreoffice_opens_with_the_header_bold_and_frozen_widths_fitted_and_formats(office, fmt):
    folder, _ = office
    sheets, columns = described(folder / f"table_{fmt}.{fmt}")
    assert sheets == {0: ["True", "1"], 1: ["True", "1"]}                # both sheets: row 1 frozen
    assert all(weight == BOLD for sheet in columns.values() for weight, _, _ in sheet)
    data = columns[0]
    assert [f.replace("\\", "") for _, _, f in data] == [
        "General", "#,##0", "0.0%", "0.0", "YYYY-MM-DD", "0", "#,##0.00", "General"]
    widths = [w for _, w, _ in data]
    assert widths[0] >= 6 * 353                  # 板橋服務中心: six CJK characters of at least 10 pt
    assert widths[7] == max(widths) <= 15_000    # the long text: widest, yet capped (1/100 mm)
    assert widths[1] < widths[0]                 # a count's column is narrower than the names
