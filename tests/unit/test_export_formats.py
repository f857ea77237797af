"""Downloads open ready to paste into a report (issue 11, item 8): in the .xlsx and .ods
every column fitted to its widest cell, numbers stored as numbers under a number
format (thousands, %, one decimal, dates), a bold header row frozen in view, on the data
sheet and the filters sheet; in the CSV counts as integers, shares as percentages, dates
as ISO, missing as empty. LibreOffice opening the files shows 1,188 and 44.5 %; without
LibreOffice that test skips loudly, and fails under CI=true.

Expected values are worked out by hand from the table below: 1188.0 is a count → 1188
(CSV) and 1,188 (spreadsheet); 0.445 is 44.5 %; −0.0125 is −1.25 %, which Excel and
LibreOffice round half away from zero to −1.3 %; 77.25 to one decimal is 77.3."""
import csv
import datetime as dt
import io
import os
import shutil
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest
from odf import config as odf_config
from odf import number as odf_number
from odf import opendocument, teletype
from odf import style as odf_style
from odf import table as odf_table
from odf import text as odf_text

from analytics import cli, export, importer, store
from conftest import case_rows
from export_tables import BRANCH, FILTERS, KINDS, LONG, manager_table, table  # noqa: F401 (table is a fixture)

CI = os.environ.get("CI") == "true"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


# ------------------------------------------------------------------ CSV

def test_csv_writes_counts_as_integers_shares_as_percentages_dates_as_iso(table):
    data = export.write_table(table, "csv", FILTERS, kinds=KINDS)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == 4 and data.count(b"\n") == 4          # CRLF line ends, nothing else
    assert csv_rows(data) == [
        ["單位", "件數", "增減 %", "總分", "日期", "年度", "平均天數", "說明"],
        [BRANCH, "1188", "44.5%", "85.5", "2021-07-01", "2021", "1.50", "Tamsui office"],
        ["'=1+1", "23", "-1.3%", "90.0", "2021-12-31", "2021", "2.25", LONG],
        ["", "", "", "77.3", "", "2022", "3.00", ""],
    ]


def test_csv_infers_what_kinds_leave_out():
    frame = pd.DataFrame({
        "件數": [1188.0, 2.0],                        # floats all whole → integers
        "人數": pd.array([1200, None], dtype="Int64"),
        "比率": [1 / 3, 0.5],                          # other floats → at most two decimals
        "平均": [1.5, 2.0],                            # … as few as they need
        "日期": pd.to_datetime(["2021-07-01", "2022-01-31"]),
        "時間": pd.to_datetime(["2021-07-01 09:30", "2021-07-02 17:05"]),
        "名稱": ["甲", "乙"],
    })
    assert csv_rows(export.write_table(frame, "csv"))[1:] == [
        ["1188", "1200", "0.33", "1.5", "2021-07-01", "2021-07-01 09:30", "甲"],
        ["2", "", "0.50", "2.0", "2022-01-31", "2021-07-02 17:05", "乙"],
    ]


def test_csv_a_column_of_text_and_numbers_keeps_each_as_it_is():
    frame = pd.DataFrame({"件數": ["—", 1188.0, None, "-2+3"], "比率": [0.5, "n/a", 0.125, None]})
    assert csv_rows(export.write_table(frame, "csv", kinds={"件數": "count", "比率": "share"}))[1:] == [
        ["—", "50.0%"], ["1188", "n/a"], ["", "12.5%"], ["'-2+3", ""]]


def test_csv_negative_numbers_are_numbers_not_defused_text():
    frame = pd.DataFrame({"增減": [-12, 5], "增減 %": [-0.25, 0.1]})
    rows = csv_rows(export.write_table(frame, "csv", kinds={"增減": "count", "增減 %": "share"}))
    assert rows[1:] == [["-12", "-25.0%"], ["5", "10.0%"]]


# ------------------------------------------------------------------ .xlsx

def test_xlsx_fits_widths_formats_numbers_and_freezes_a_bold_header(table):
    wb = openpyxl.load_workbook(io.BytesIO(export.write_table(table, "xlsx", FILTERS, kinds=KINDS)))
    assert wb.sheetnames == ["資料", "篩選條件"]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        assert all(cell.font.b for cell in ws[1]), ws.title
        assert all(ws.column_dimensions[letter].width for letter in "AB"), ws.title
    ws = wb["資料"]
    row = {ws.cell(1, c).value: ws.cell(2, c) for c in range(1, ws.max_column + 1)}
    assert (row["件數"].value, type(row["件數"].value), row["件數"].number_format) == (1188, int, "#,##0")
    assert (row["增減 %"].value, row["增減 %"].number_format) == (0.445, "0.0%")
    assert (row["總分"].value, row["總分"].number_format) == (85.5, "0.0")
    assert (row["日期"].value, row["日期"].number_format) == (dt.datetime(2021, 7, 1), "yyyy-mm-dd")
    assert (row["年度"].value, row["年度"].number_format) == (2021, "0")
    assert (row["平均天數"].value, row["平均天數"].number_format) == (1.5, "#,##0.00")
    assert ws["C4"].value is None and ws["A3"].data_type == "s"

    width = {ws.cell(1, c).value: ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width
             for c in range(1, ws.max_column + 1)}
    # Excel's width unit is one digit of the default font; a CJK character takes about two
    assert 12 <= width["單位"] <= 16                         # 板橋服務中心
    assert 10 <= width["日期"] <= 14                         # 2021-07-01
    assert 55 <= width["說明"] <= 62                          # 100 CJK characters, capped
    assert 5 <= width["件數"] <= 9                            # 件數 (bold) over 1,188
    filters = wb["篩選條件"]
    assert 12 <= filters.column_dimensions["B"].width <= 20   # 板橋服務中心, 2026-01-01 00:00


def test_xlsx_writes_every_row_of_a_long_table_with_its_own_values():
    """Number cells are written through one styled cell per column: each row must still
    carry its own value, format and type."""
    n = 3000
    frame = pd.DataFrame({"件數": np.arange(n) * 7.0, "比率": np.arange(n) / n,
                          "日期": pd.date_range("2020-01-01", periods=n, freq="D")})
    ws = openpyxl.load_workbook(io.BytesIO(export.write_table(frame, "xlsx", kinds={"比率": "share"})))["資料"]
    rows = list(ws.iter_rows(min_row=2))
    assert [r[0].value for r in rows] == [7 * i for i in range(n)]
    assert [r[1].value for r in rows] == pytest.approx([i / n for i in range(n)], rel=1e-15)   # Excel keeps 15 digits
    assert [r[2].value.date() for r in rows] == [dt.date(2020, 1, 1) + dt.timedelta(days=i) for i in range(n)]
    assert {(r[0].number_format, r[1].number_format, r[2].number_format) for r in rows} == {
        ("#,##0", "0.0%", "yyyy-mm-dd")}


def test_xlsx_text_that_excel_would_take_for_an_error_stays_text():
    ws = openpyxl.load_workbook(io.BytesIO(export.write_table(pd.DataFrame({"備註": ["#N/A", "#DIV/0!"]}), "xlsx")))
    cells = [row[0] for row in ws["資料"].iter_rows(min_row=2)]
    assert [(c.value, c.data_type) for c in cells] == [("#N/A", "s"), ("#DIV/0!", "s")]


# ------------------------------------------------------------------ .ods

class Ods:
    """An .ods as odfpy reads it: the cells of each sheet, and the styles they name."""

    def __init__(self, data: bytes):
        self.doc = opendocument.load(io.BytesIO(data))
        self.styles = {s.getAttribute("name"): s for s in self.doc.styles.getElementsByType(odf_style.Style)}
        self.styles |= {s.getAttribute("name"): s for s in self.doc.automaticstyles.getElementsByType(odf_style.Style)}
        self.data_styles = {s.getAttribute("name"): s for kind in (odf_number.NumberStyle, odf_number.PercentageStyle,
                                                                   odf_number.DateStyle)
                            for s in self.doc.styles.getElementsByType(kind)
                            + self.doc.automaticstyles.getElementsByType(kind)}

    def sheet(self, name):
        return next(t for t in self.doc.spreadsheet.getElementsByType(odf_table.Table)
                    if t.getAttribute("name") == name)

    def rows(self, name):
        return [row.getElementsByType(odf_table.TableCell) for row in self.sheet(name).getElementsByType(
            odf_table.TableRow)]

    def widths_cm(self, name) -> list[float]:
        out = []
        for col in self.sheet(name).getElementsByType(odf_table.TableColumn):
            props = self.styles[col.getAttribute("stylename")].getElementsByType(odf_style.TableColumnProperties)[0]
            out.append(float(props.getAttribute("columnwidth").removesuffix("cm")))
        return out

    def bold(self, cell) -> bool:
        style = self.styles[cell.getAttribute("stylename")]
        return any(p.getAttribute("fontweight") == "bold" for p in style.getElementsByType(odf_style.TextProperties))

    def data_style(self, cell):
        return self.data_styles[self.styles[cell.getAttribute("stylename")].getAttribute("datastylename")]

    def frozen(self) -> dict[str, dict[str, str]]:
        """Each sheet's split settings from settings.xml's view settings."""
        out = {}
        for named in self.doc.settings.getElementsByType(odf_config.ConfigItemMapNamed):
            if named.getAttribute("name") == "Tables":
                for entry in named.getElementsByType(odf_config.ConfigItemMapEntry):
                    out[entry.getAttribute("name")] = {item.getAttribute("name"): teletype.extractText(item)
                                                       for item in entry.getElementsByType(odf_config.ConfigItem)}
        return out


def cell_text(cell) -> str:
    return "\n".join(teletype.extractText(p) for p in cell.getElementsByType(odf_text.P))


def test_ods_fits_widths_formats_numbers_and_freezes_a_bold_header(table):
    ods = Ods(export.write_table(table, "ods", FILTERS, kinds=KINDS))
    for name in ("資料", "篩選條件"):
        header = ods.rows(name)[0]
        assert all(ods.bold(c) for c in header), name
        assert all(w > 0 for w in ods.widths_cm(name)), name
    frozen = ods.frozen()
    split = {"HorizontalSplitMode": "0", "VerticalSplitMode": "2", "VerticalSplitPosition": "1",
             "ActiveSplitRange": "2", "PositionBottom": "1"}
    for name in ("資料", "篩選條件"):
        assert {k: frozen[name][k] for k in split} == split, name

    header = [cell_text(c) for c in ods.rows("資料")[0]]
    row = dict(zip(header, ods.rows("資料")[1]))
    count = row["件數"]
    assert (count.getAttribute("valuetype"), count.getAttribute("value"), cell_text(count)) == ("float", "1188", "1,188")
    number = ods.data_style(count).getElementsByType(odf_number.Number)[0]
    assert (number.getAttribute("decimalplaces"), number.getAttribute("grouping")) == ("0", "true")
    share = row["增減 %"]
    assert (share.getAttribute("valuetype"), float(share.getAttribute("value")), cell_text(share)) == (
        "percentage", 0.445, "44.5%")
    assert ods.data_style(share).qname[1] == "percentage-style"
    assert ods.data_style(share).getElementsByType(odf_number.Number)[0].getAttribute("decimalplaces") == "1"
    assert cell_text(row["總分"]) == "85.5"
    date = row["日期"]
    assert (date.getAttribute("valuetype"), date.getAttribute("datevalue"), cell_text(date)) == (
        "date", "2021-07-01", "2021-07-01")
    assert ods.data_style(date).qname[1] == "date-style"
    assert cell_text(row["年度"]) == "2021"
    assert ods.rows("資料")[2][0].getAttribute("valuetype") == "string"      # =1+1 is text
    assert ods.rows("資料")[3][1].getAttribute("valuetype") is None          # missing is an empty cell

    widths = dict(zip(header, ods.widths_cm("資料")))
    # at 10 pt a CJK character is 10 pt (0.353 cm) wide, a digit about half that
    assert 6 * 0.353 <= widths["單位"] <= 4.0
    assert 10 * 0.18 <= widths["日期"] <= 3.5
    assert 10 <= widths["說明"] <= 14                                          # capped


def test_ods_text_cells_keep_tabs_spaces_and_lines():
    texts = ["a\tb", "  two  spaces ", "line 1\nline 2", "x < y & z"]
    ods = Ods(export.write_table(pd.DataFrame({"備註": texts}), "ods"))
    cells = [row[0] for row in ods.rows("資料")[1:]]
    assert [c.getAttribute("stringvalue") for c in cells] == texts
    assert [cell_text(c) for c in cells] == texts


def test_ods_long_table_reads_back_with_its_values():
    n = 3000
    frame = pd.DataFrame({"件數": np.arange(n) * 7.0, "單位": [f"第{i}課" for i in range(n)]})
    back = pd.read_excel(io.BytesIO(export.write_table(frame, "ods")), sheet_name="資料", engine="calamine")
    assert list(back["件數"]) == [7 * i for i in range(n)]
    assert list(back["單位"]) == [f"第{i}課" for i in range(n)]


# ------------------------------------------------------------------ the command line

def test_cli_export_formats_columns_by_their_stored_types(tmp_path, xlsx):
    db = tmp_path / "cli.duckdb"
    con = store.connect(db)
    importer.import_file(con, xlsx({"案件": case_rows(["110/07", "第一課", "線上申辦", 1188],
                                                      ["110/08", "第二課", "線上申辦", 5])}))
    con.close()
    out = tmp_path / "cases.xlsx"
    assert cli.main(["export", "case_volumes", "--format", "xlsx", "-o", str(out), "--db", str(db)]) == 0
    ws = openpyxl.load_workbook(out)["資料"]
    row = {ws.cell(1, c).value: ws.cell(2, c) for c in range(1, ws.max_column + 1)}
    assert (row["年月"].value, row["年月"].number_format) == (dt.datetime(2021, 7, 1), "yyyy-mm-dd")
    assert (row["件數"].value, row["件數"].number_format) == (1188, "#,##0")
    assert ws.freeze_panes == "A2"


# ------------------------------------------------------------------ LibreOffice

# A Basic macro LibreOffice runs on each file, opened with a view as a user opens it:
# per sheet whether the panes are frozen and where, per column the header's weight, the
# column's width (1/100 mm) and the number format of its first data cell.
def test_ods_package_starts_with_its_mimetype_as_odf_requires():
    with zipfile.ZipFile(io.BytesIO(export.write_table(pd.DataFrame({"a": [1]}), "ods"))) as zf:
        first = zf.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
        assert zf.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
