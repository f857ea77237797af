"""Files that are not what they claim, or are built to hurt: each refused plainly."""
import os
import resource
import shutil
import time
import zipfile

import fastexcel
import msoffcrypto
import pyarrow as pa
import pytest

from analytics import importer, reader, store
from analytics.problems import Refused
import hostile_files
from conftest import case_rows, table


def refused_text(con, path) -> str:
    with pytest.raises(Refused) as caught:
        importer.import_file(con, path)
    assert con.execute("SELECT count(*) FROM batches").fetchone()[0] == 0
    return caught.value.render("zh")


def test_file_over_the_size_cap_says_both_sizes_in_bytes_and_mb(xlsx, empty_db, monkeypatch):
    path = xlsx({"s": case_rows(*(["110/07", "第一課", f"類{i}", i] for i in range(3000)))})
    monkeypatch.setattr(reader, "MAX_UPLOAD_BYTES", 20_000)
    size = path.stat().st_size
    text = refused_text(empty_db, path)
    assert f"檔案 {size:,} 位元組（{size / 1e6:.1f} MB），超過上限 20,000 位元組（0.02 MB）" in text


def test_zip_bomb_is_refused_before_any_parser_runs(tmp_path, empty_db, monkeypatch):
    """64 MB packed into under 100 KB (a ratio no workbook has): refused by the zip
    inspection, which reads only the zip's directory, so no parser ever inflates it."""
    path = hostile_files.zip_bomb(tmp_path, megabytes=64)
    assert path.stat().st_size < 100 << 10

    def no_parse(*args, **kwargs):
        raise AssertionError("a parser ran on a zip bomb")
    monkeypatch.setattr(reader, "_parse_isolated", no_parse)
    monkeypatch.setattr(fastexcel, "read_excel", no_parse)
    assert "解壓縮後過大" in refused_text(empty_db, path)


def test_zip_that_lies_about_its_sizes(tmp_path, empty_db):
    """Central directory says 1 KB; the entry inflates to 50 MB."""
    path = tmp_path / "liar.xlsx"
    payload = b"<x>" + b"A" * (50 << 20) + b"</x>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", payload)
    data = bytearray(path.read_bytes())
    real = len(payload).to_bytes(4, "little")
    fake = (1024).to_bytes(4, "little")
    data = data.replace(real, fake)  # local header and central directory both
    path.write_bytes(bytes(data))
    text = refused_text(empty_db, path)
    assert "解壓縮後過大" in text or "損毀" in text


def test_renamed_binary_is_not_a_workbook(tmp_path, empty_db):
    path = tmp_path / "photo.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10)
    assert "不是 Excel" in refused_text(empty_db, path)


def test_zip_that_is_no_workbook(tmp_path, empty_db):
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "hello")
    assert "不是 Excel" in refused_text(empty_db, path)


def test_truncated_workbook(xlsx, empty_db, tmp_path):
    full = xlsx({"s": case_rows(*(["110/07", "第一課", f"類{i}", i] for i in range(500)))})
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(full.read_bytes()[: full.stat().st_size // 2])
    assert "損毀或不完整" in refused_text(empty_db, cut)


def test_encrypted_workbook(xlsx, empty_db, tmp_path):
    plain = xlsx({"s": case_rows(["110/07", "第一課", "線上申辦", 1])})
    locked = tmp_path / "locked.xlsx"
    with open(plain, "rb") as src, open(locked, "wb") as dst:
        office = msoffcrypto.OfficeFile(src)
        office.encrypt("密碼123", dst)
    assert "密碼保護" in refused_text(empty_db, locked)


def ole_file(path, stream: str, directory_sector: int = 9000):
    """An OLE2 compound file whose directory (holding one stream's name) lies where its
    header says, ``directory_sector`` 512-byte sectors in: 4.6 MB in by default, past
    the first 4 MiB, as xlwt writes a large .xls (the directory after the data)."""
    def u32(n):
        return n.to_bytes(4, "little")
    header = bytearray(512)
    header[:8] = reader.OLE_MAGIC
    header[30:32] = (9).to_bytes(2, "little")                  # 512-byte sectors
    header[48:52] = u32(directory_sector)                      # the directory's first sector
    fat_sector = 1
    for i in range(109):                                       # the allocation table's sectors: only one
        header[76 + 4 * i:80 + 4 * i] = u32(fat_sector if i == directory_sector // 128 else 0xFFFFFFFF)
    with open(path, "wb") as fh:
        fh.write(header)
        fh.seek((fat_sector + 1) * 512 + 4 * (directory_sector % 128))
        fh.write(u32(0xFFFFFFFE))                              # the directory is one sector long
        fh.seek((directory_sector + 1) * 512)
        fh.write(stream.encode("utf-16-le").ljust(512, b"\0"))
    return path


def test_an_old_xls_whose_directory_lies_past_the_first_megabytes_is_one(tmp_path):
    """A 100,000-row .xls from xlwt keeps its directory 15 MB in: still an .xls (it was
    refused as no workbook), and an encrypted .xlsx so built still encrypted."""
    assert reader._inspect_ole(ole_file(tmp_path / "big.xls", "Workbook"), "big.xls") == "xls"
    with pytest.raises(Refused) as caught:
        reader._inspect_ole(ole_file(tmp_path / "locked.xlsx", "EncryptedPackage"), "locked.xlsx")
    assert [p.code for p in caught.value.problems] == ["file.encrypted"]
    with pytest.raises(Refused) as caught:
        reader._inspect_ole(ole_file(tmp_path / "other.doc", "WordDocument"), "other.doc")
    assert [p.code for p in caught.value.problems] == ["file.not_workbook"]


def test_xlsm_with_macros(xlsx, empty_db, tmp_path):
    plain = xlsx({"s": case_rows(["110/07", "第一課", "線上申辦", 1])})
    macro = tmp_path / "renamed.xlsx"
    shutil.copy(plain, macro)
    with zipfile.ZipFile(macro, "a") as zf:
        zf.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 not really vba")
    assert "巨集" in refused_text(empty_db, macro)
    as_xlsm = tmp_path / "book.xlsm"
    shutil.copy(plain, as_xlsm)
    assert "巨集" in refused_text(empty_db, as_xlsm)


def test_empty_file_and_empty_workbook(tmp_path, xlsx, empty_db):
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    assert "空的" in refused_text(empty_db, empty)
    assert "沒有可辨識的資料" in refused_text(empty_db, xlsx({"工作表1": []}))


def test_header_only_says_so(xlsx, empty_db):
    text = refused_text(empty_db, xlsx({"案件量": [["年月", "單位", "案件類別", "件數"]]}))
    assert "沒有可辨識的資料" in text


def test_formula_cells_import_their_cached_values(tmp_path, xlsx, empty_db):
    """Excel stores a formula with its last result; the result is what is imported."""
    plain = xlsx({"s": case_rows(["110/07", "第一課", "線上申辦", 0])})
    with zipfile.ZipFile(plain) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    assert '<c r="D2" t="n"><v>0</v></c>' in sheet
    parts["xl/worksheets/sheet1.xml"] = sheet.replace('<c r="D2" t="n"><v>0</v></c>',
                                                      '<c r="D2"><f>SUM(40,2)</f><v>42</v></c>').encode()
    withformula = tmp_path / "formula.xlsx"
    with zipfile.ZipFile(withformula, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    importer.import_file(empty_db, withformula)
    assert table(empty_db, "case_volumes", "count") == [(42,)]


def test_ten_thousand_errors_are_capped_naming_the_first(xlsx, empty_db):
    rows = case_rows(*(["110/07", "第一課", f"類{i}", "很多"] for i in range(10_000)))
    with pytest.raises(Refused) as caught:
        importer.import_file(empty_db, xlsx({"s": rows}))
    text = caught.value.render("zh")
    assert caught.value.total == 10_000
    assert "第 2 列" in text and "另有 9980 項問題" in text
    assert len(text.splitlines()) < 30


def test_100000_column_csv_is_refused_by_the_column_cap_before_any_parse(tmp_path, empty_db, monkeypatch):
    """Counted in one pass over the text; nothing that keeps cells (Arrow's CSV reader,
    the csv module's columns) nor the workbook reader runs."""
    monkeypatch.setenv("DASHBOARD_PARSE_IN_PROCESS", "1")

    def no_parse(*args, **kwargs):
        raise AssertionError("parsed before the column cap")

    monkeypatch.setattr(reader, "_arrow_csv", no_parse)
    monkeypatch.setattr(reader, "_python_csv", no_parse)
    monkeypatch.setattr(fastexcel, "read_excel", no_parse)
    with pytest.raises(Refused) as caught:
        importer.import_file(empty_db, hostile_files.wide_csv(tmp_path))
    assert [p.code for p in caught.value.problems] == ["file.too_many_columns"]
    assert "工作表「wide」有 100,004 欄，超過上限 500 欄" in caught.value.render("zh")
    assert 'sheet "wide" has 100,004 columns, over the limit of 500' in caught.value.render("en")


def test_quoted_delimiters_do_not_count_as_columns(tmp_path, empty_db):
    """The cheap count (delimiters per line) only bounds the width; past the cap the
    fields are counted exactly, so a long quoted text is no reason to refuse."""
    path = tmp_path / "quoted.csv"
    path.write_text("年月,單位,案件類別,件數\n110/07,第一課,\"" + "逗號," * 800 + "\",3\n", encoding="utf-8")
    importer.import_file(empty_db, path)
    assert table(empty_db, "case_volumes", "count") == [(3,)]


@pytest.mark.parametrize("columns, refused", [(500, False), (501, True)])
def test_a_workbook_sheet_wider_than_the_cap_is_refused_naming_it(tmp_path, empty_db, columns, refused):
    path = hostile_files.wide_sheet(tmp_path, columns)
    if refused:
        assert "工作表「寬表」有 501 欄，超過上限 500 欄" in refused_text(empty_db, path)
    else:
        importer.import_file(empty_db, path)
        assert table(empty_db, "case_volumes", "count") == [(3,)]


def test_sheet_columns_by_excel_position():
    sheet = reader.RawSheet("s", [pa.array(["a", "b"]), pa.array(["c", None])], [2, 7])
    assert sheet.column(7, 0).to_pylist() == ["c", None]
    assert sheet.column(2, 1).to_pylist() == ["b"]
    assert sheet.column(3, 0).to_pylist() == [None, None]
    assert sheet.head(1) == [["", "", "a", "", "", "", "", "c"]]


def test_a_shared_string_repeated_into_many_cells_is_refused_before_the_parser(tmp_path, empty_db, monkeypatch):
    """One 2 MB string used by 60,000 cells: a 2 MB file that asks the reader for 120 GB
    (an auditor's file took the parse child to its 4 GB cap in 43 s). Refused by the
    count beside the parse, which here runs first: no parser sees it."""
    path = hostile_files.shared_string_bomb(tmp_path)
    assert path.stat().st_size < 3 << 20

    def no_parse(*args, **kwargs):
        raise AssertionError("a parser ran on a shared-string bomb")
    monkeypatch.setattr(fastexcel, "read_excel", no_parse)
    text = refused_text(empty_db, path)
    assert "共用文字重複填入各儲存格後超過 537 MB" in text, text
    assert empty_db.execute("SELECT count(*) FROM batches").fetchone()[0] == 0


def test_a_long_shared_string_used_once_beside_many_short_ones_imports(tmp_path, monkeypatch):
    """The quick bound (the longest string × every use) passes a budget of 1 MiB — 200 KB
    × 10,001 uses — but the exact sum does not: 200 KB once and 10,000 uses of a short
    name, about 0.4 MB. Read, not refused."""
    monkeypatch.setattr(reader, "MAX_SHARED_TEXT", 1 << 20)
    path = hostile_files.shared_strings(tmp_path, ["長" * 70_000, "第一課"], [1, 10_000])
    sheets = reader.read_workbook(path)
    column = sheets[0].columns[sheets[0].positions.index(0)].to_pylist()
    assert len(column) == 10_001 and column[0] == "長" * 70_000 and column[-1] == "第一課"
    refused = hostile_files.shared_strings(tmp_path, ["長" * 70_000, "第一課"], [6, 10], "six.xlsx")
    with pytest.raises(Refused) as caught:                  # 6 × 210 KB = 1.26 MB: past 1 MiB
        reader.read_workbook(refused)
    assert [p.code for p in caught.value.problems] == ["file.shared_text"]


def test_shared_string_lengths_are_exact_across_chunks(tmp_path):
    """Each string's XML length, whatever the chunk boundaries (a bound: markup counts,
    never less than the text); a part that is not plain XML is parsed for its text."""
    import random
    rng = random.Random(7)
    strings = ["x" * rng.randint(0, 3000) for _ in range(3000)] + ["y" * (5 << 20)] + ["z" * 9]
    path = hostile_files.shared_strings(tmp_path, strings, [1] * len(strings))
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("xl/sharedStrings.xml")
    lengths = reader._StringLengths()
    for start in range(0, len(xml), 1000):
        lengths.feed(xml[start:start + 1000])
    lengths.close()
    assert lengths.plain and lengths.lengths[:-1] == [len(f"><t>{s}</t></si>") for s in strings[:-1]]
    assert lengths.lengths[-1] == len("><t>zzzzzzzzz</t></si></sst>") and lengths.longest == 4 + (5 << 20) + 9
    commented = hostile_files.shared_string_spelling(tmp_path, "plain", "長" * 10, 2, sst_comment=True)
    part = reader._StringLengths()
    with zipfile.ZipFile(commented) as zf:
        part.feed(zf.read("xl/sharedStrings.xml"))
        part.close()
        assert not part.plain
        part.parse(zf, "xl/sharedStrings.xml")
    assert part.lengths == [30]                 # the comment's decoy is no item; 10 × 3 bytes of text


@pytest.mark.parametrize("spelling", sorted(hostile_files.SPELLINGS))
@pytest.mark.parametrize("sst", ["plain", "comment", "other_name"])
def test_no_spelling_of_the_xml_hides_shared_strings_from_the_budget(tmp_path, monkeypatch, spelling, sst):
    """The reader takes a cell of type s however it is spelt — spaces around =, single
    quotes, a formula before the value, a namespace prefix — and shared strings led by a
    comment or stored as xl/SharedStrings.xml: 20 uses of a 200 KB string (4 MB) against
    a budget of 1 MiB are refused in every case, before any parser (an auditor got 12
    such layouts past the first version, each to the parse child's 4 GB cap)."""
    monkeypatch.setattr(reader, "MAX_SHARED_TEXT", 1 << 20)
    path = hostile_files.shared_string_spelling(
        tmp_path, spelling, "長" * 70_000, 20, sst_comment=sst == "comment",
        sst_name="xl/SharedStrings.xml" if sst == "other_name" else "xl/sharedStrings.xml")

    def no_parse(*args, **kwargs):
        raise AssertionError("a parser ran past the budget")
    monkeypatch.setattr(fastexcel, "read_excel", no_parse)
    with pytest.raises(Refused) as caught:
        reader.read_workbook(path)
    assert [p.code for p in caught.value.problems] == ["file.shared_text"]
    monkeypatch.undo()                 # the parser back, the budget 512 MiB: the same file is read
    if sst == "plain":
        sheets = reader.read_workbook(path)
        assert sheets[0].columns[0].to_pylist()[:2] == ["長" * 70_000] * 2
