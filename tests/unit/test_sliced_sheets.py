"""A worksheet larger than reader.SLICE_BYTES is parsed a slice of rows at a time (the
parser holds every cell of what it parses: a 1,000,000-row sheet took 870 MB). What
must hold: the cells, their rows and columns are exactly those of the sheet read
whole, whatever the slices' edges cut through — empty rows and columns, a first
column with nothing in it, trailing empty rows — and a worksheet that slicing cannot
take (rows without their numbers) is read whole. Here SLICE_BYTES is made small, so
that a sheet of a few hundred rows is cut into many slices."""
import re
import zipfile

import pytest

from analytics import importer, reader
from conftest import survey_rows, table, write_xlsx


def cells(sheet) -> tuple:
    return sheet.name, sheet.positions, sheet.height, [c.to_pylist() for c in sheet.columns]


def read_both(path, monkeypatch, slice_bytes=600):
    whole = [cells(s) for s in reader.read_workbook(path)]
    monkeypatch.setattr(reader, "SLICE_BYTES", slice_bytes)
    assert reader._large_worksheets(path), "the test sheet should be cut into slices"
    sliced = [cells(s) for s in reader.read_workbook(path)]
    return whole, sliced


def test_a_sheet_read_in_slices_is_the_sheet_read_whole(tmp_path, monkeypatch):
    rows = [[None], [None, "臨櫃服務滿意度調查"], [None, "問卷編號", "填答日期", "服務據點", None, "整體滿意度"]]
    for i in range(300):
        if i % 50 == 7:
            rows.append([])                                   # an empty row, sometimes at a slice's edge
        rows.append([None, f"Q{i:04d}", f"110/07/{i % 28 + 1:02d}", "嘉辦" if i % 3 else None, None,
                     i % 5 + 1 if i % 11 else "非常滿意"])
    rows += [[], [None, None, None, None, None, None, "備註"], [], []]   # a lone cell further right, and rows below
    path = write_xlsx(tmp_path / "s.xlsx", {"說明": [["填表說明"]], "問卷": rows})
    whole, sliced = read_both(path, monkeypatch)
    assert sliced == whole
    assert whole[1][1] == [1, 2, 3, 4, 5, 6]                 # column A empty throughout: not a column


@pytest.mark.parametrize("slice_bytes", [300, 1_000, 5_000])
def test_any_slice_size_gives_the_same_rows_to_the_store(tmp_path, monkeypatch, empty_db, slice_bytes):
    rows = [["臨櫃服務滿意度調查"], ["問卷編號", *survey_rows()[0]]]
    rows += [[f"Q{i:04d}", f"110/0{i % 9 + 1}/15", "本分局", 5, 4, 3, 4, 5, i % 5 + 1] for i in range(400)]
    path = write_xlsx(tmp_path / "big.xlsx", {"問卷": rows})
    expected = importer.parse_file(path).frames()
    monkeypatch.setattr(reader, "SLICE_BYTES", slice_bytes)
    got = importer.parse_file(path).frames()
    assert got["survey_responses"]["survey_responses"].equals(expected["survey_responses"]["survey_responses"])
    importer.import_file(empty_db, path)
    assert table(empty_db, "survey_responses", "count(*)") == [(400,)]


def test_rows_without_their_numbers_are_read_whole(tmp_path, monkeypatch):
    """Excel numbers every row, but the format does not require it; a slice of rows
    without numbers would land at the sheet's top, so such a sheet is read whole."""
    path = write_xlsx(tmp_path / "s.xlsx", {"s": [["a", "b"]] + [[f"x{i}", i] for i in range(200)]})
    unnumbered = tmp_path / "unnumbered.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(unnumbered, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<row r="\d+"', b"<row", data)
            dst.writestr(info, data)
    whole, sliced = read_both(unnumbered, monkeypatch)
    assert sliced == whole and whole[0][2] == 201


def test_only_worksheets_over_the_size_are_sliced(tmp_path, monkeypatch):
    path = write_xlsx(tmp_path / "two.xlsx", {"small": [["a"]], "large": [[f"v{i}"] for i in range(500)]})
    monkeypatch.setattr(reader, "SLICE_BYTES", 2_000)
    assert reader._large_worksheets(path) == {"large": "xl/worksheets/sheet2.xml"}
