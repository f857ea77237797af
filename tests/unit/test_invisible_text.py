"""Control, bidi and zero-width characters (issue 23): the import removes them from
every cell and header and says so, naming the sheet, column and how many cells; a value
that was nothing else is blank; a message quotes them as codes; and the report cleans
what it writes, so one of them in the plan text no longer takes down the .docx, and a
format that still fails leaves the others offered."""
import io
import logging
import shutil
import unicodedata
import zipfile

import pytest
from docx import Document

from analytics import importer, normalize, report, store
from analytics.normalize import INVISIBLE_RANGES, strip_invisible
from analytics.problems import Problem
from analytics.units import canonical_unit
from conftest import CASE_HEADER, write_xlsx
from report_files import read_docx

RLO, ZWSP, LRM, WJ, BOM = "\u202e", "\u200b", "\u200e", "\u2060", "\ufeff"


@pytest.fixture(autouse=True)
def in_process(monkeypatch):
    monkeypatch.setenv("DASHBOARD_PARSE_IN_PROCESS", "1")    # the unit tier never forks


def invisible(code: int) -> bool:
    return any(a <= code <= b for a, b in INVISIBLE_RANGES)


def test_the_list_holds_every_control_and_format_character_python_knows():
    for code in range(0x110000):
        category = unicodedata.category(chr(code))
        if category in ("Cc", "Cf") and chr(code) not in "\t\n\r":
            assert invisible(code), f"U+{code:04X} ({category}) is kept"
    # the ones the issue names, one by one
    for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C,
                 *range(0x200B, 0x2010), 0xFEFF, 0x2060, 0x00, 0x1B, 0x7F, 0x85, 0x9F]:
        assert invisible(code), f"U+{code:04X}"
    # Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt, 15.0): drawn as
    # nothing, so a name with one looks like the name without it
    for a, b in ((0xAD, 0xAD), (0x34F, 0x34F), (0x61C, 0x61C), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F),
                 (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F),
                 (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
                 (0xE0000, 0xE0FFF)):
        for code in range(a, b + 1):
            assert invisible(code), f"U+{code:04X} (default-ignorable) is kept"
    for kept in "\t\n\r 　a第１,":                       # white space and what shows
        assert not invisible(ord(kept)), repr(kept)


@pytest.mark.parametrize("dirty, clean", [
    (f"第一課{ZWSP}", "第一課"), (f"{BOM}第一課", "第一課"), (f"線上{RLO}申辦", "線上申辦"),
    (f"臨櫃\x01", "臨櫃"), (f"a{LRM}b{WJ}c\u2066d\u2069", "abcd"), (f"案件\x1b[31m類別", "案件[31m類別"),
    ("第一課\u3164", "第一課"), ("第一\u034f課", "第一課"), ("第一課\ufe0f", "第一課"), ("第一課\U000e0100", "第一課"),
])
def test_text_fields_and_units_come_out_clean(dirty, clean):
    assert normalize.parse_text(dirty) == clean
    assert strip_invisible(dirty) == clean


def test_a_unit_with_a_zero_width_space_is_the_same_unit():
    assert canonical_unit(f"第一課{ZWSP}") == "第一課" == canonical_unit("第一課")
    assert canonical_unit(f"嘉辦{RLO}") == "嘉義辦事處"
    assert normalize.norm_header(f"件{ZWSP}數") == normalize.norm_header("件數")
    assert normalize.parse_month(f"110/07{LRM}") == normalize.parse_month("110/07")
    assert normalize.parse_count(f"12,288{RLO}") == 12288


def test_a_cell_of_nothing_but_invisible_characters_is_blank():
    assert normalize.is_blank(f"{ZWSP}{RLO}\x00")
    assert normalize.parse_text(f" {ZWSP} ") is None


def csv_file(tmp_path, rows, name="案件.csv"):
    path = tmp_path / name
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_the_import_cleans_and_says_which_column_and_how_many_cells(tmp_path):
    rows = [["年月", f"單位{ZWSP}", "案件類別", "件數"],
            ["110/01", f"第一課{ZWSP}", f"線上{RLO}申辦", "12288"],
            ["110/01", "第一課", "臨櫃\x01", "3"],
            ["110/02", "第一課", "臨櫃", "4"],
            ["110/02", f"{BOM}第二課", "臨櫃", "5"]]
    con = store.connect(":memory:")
    result = importer.import_file(con, csv_file(tmp_path, rows))
    units = [u for (u,) in con.execute("SELECT DISTINCT unit FROM case_volumes ORDER BY unit").fetchall()]
    assert units == ["第一課", "第二課"]
    types = {t for (t,) in con.execute("SELECT case_type FROM case_volumes").fetchall()}
    assert types == {"線上申辦", "臨櫃"}
    # B: the header and two cells; C: two cells; A and D: none
    said = [n for n in result.notices if "B 欄" in n or "C 欄" in n or "A 欄" in n or "D 欄" in n]
    assert any("「案件」" in n and "B 欄「單位」" in n and "3 格" in n for n in said), said
    assert any("C 欄「案件類別」" in n and "2 格" in n for n in said), said
    assert not any("A 欄" in n or "D 欄" in n for n in said), said
    english = importer.parse_file(csv_file(tmp_path, rows, "again.csv")).notice_texts("en")
    assert any("column B" in n and "3 cells" in n for n in english), english


def test_the_import_cleans_an_xlsx_whose_cells_escape_control_characters(tmp_path):
    """Excel writes a control character as _x0001_ in the file; the reader decodes it."""
    plain = write_xlsx(tmp_path / "plain.xlsx", {"案件量": [CASE_HEADER, ["110/01", "第一課", "臨櫃CTRL", 3],
                                                             ["110/01", "第二課", "臨櫃", 4]]})
    dirty = tmp_path / "dirty.xlsx"
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(dirty, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info.filename).replace(b"CTRL", b"_x0001_" + RLO.encode()))
    con = store.connect(":memory:")
    result = importer.import_file(con, dirty)
    assert con.execute("SELECT DISTINCT case_type FROM case_volumes").fetchall() == [("臨櫃",)]
    assert any("C 欄「案件類別」" in n and "1 格" in n for n in result.notices), result.notices


def test_honest_text_brings_no_notice(tmp_path):
    """CJK, full-width digits, line breaks and tabs in headers and cells are no control
    characters to report (they are folded as before)."""
    rows = [["年月", "單\n位", "案件類別", "件\t數 "], ["１１０/０１", "第 一 課", "線上\n申辦", "１２,２８８"]]
    con = store.connect(":memory:")
    result = importer.import_file(con, write_xlsx(tmp_path / "honest.xlsx", {"案件量": rows}))
    assert not any("控制字元" in n for n in result.notices), result.notices
    assert con.execute("SELECT unit, case_type, count FROM case_volumes").fetchall() == [("第一課", "線上 申辦", 12288)]


def test_a_blank_required_cell_made_of_invisible_characters_is_refused_by_its_cell(tmp_path):
    rows = [["年月", "單位", "案件類別", "件數"], ["110/01", f"{ZWSP}{RLO}", "臨櫃", "3"]]
    parsed = importer.parse_file(csv_file(tmp_path, rows))
    assert [(p.sheet, p.row, p.column, p.code) for p in parsed.problems.items] == [("案件", 2, "B", "bad.blank_required")]


def test_a_message_quotes_an_invisible_character_as_its_code():
    text = Problem("bad.number", sheet="s", row=2, column="D", header="件數", value=f"12{RLO}88").render()
    assert "12\\u202e88" in text and RLO not in text


# ------------------------------------------------------------------ the report

@pytest.fixture(scope="module")
def dirty_report_db(sample_loaded, tmp_path_factory):
    """A database written before the import cleaned text (the sample, as the app's first
    start loads it, then written over): control and bidi characters in the branch's
    name, the plan, the strategies and the case types. The module's tests only read it."""
    path = tmp_path_factory.mktemp("dirty") / "dash.duckdb"
    shutil.copyfile(sample_loaded, path)
    con = store.connect(path)
    con.execute("UPDATE plan_text SET text = text || chr(1) || chr(8238) || chr(11)")
    con.execute("UPDATE strategies SET strategy = strategy || chr(2), units = units || chr(27)")
    con.execute("UPDATE case_volumes SET case_type = case_type || chr(4)")
    con.execute("UPDATE strategies SET results = results || chr(8232) || '續' || chr(8233)")   # U+2028, U+2029
    yield con
    con.close()


def test_the_report_cleans_what_it_writes(dirty_report_db):
    built = report.build(dirty_report_db, 2021)
    assert built.branch == "經濟部標準檢驗局臺南分局"
    files = {fmt: report.render(built, fmt) for fmt in report.FORMATS}
    assert all(files.values()), files.keys()
    docx = files["docx"]
    assert Document(io.BytesIO(docx)).core_properties.title.startswith("經濟部標準檢驗局臺南分局 110")
    text = read_docx(docx).text
    assert not any(invisible(ord(ch)) for ch in text if ch not in "\t\n\r")
    assert "\u2028" not in text and "\u2029" not in text and "續" in text     # separators: a space


def test_one_format_failing_leaves_the_others_and_is_logged(dirty_report_db, monkeypatch, caplog):
    con = dirty_report_db
    from analytics.report import word

    def broken(r):
        raise ValueError("All strings must be XML compatible")
    monkeypatch.setattr(word, "to_docx", broken)
    with caplog.at_level(logging.ERROR, logger="dashboard.report"):
        out = report.outputs(con, 2021)
    assert out["failed"] == ["docx"] and out["docx"] is None
    assert all(out[fmt] for fmt in report.FORMATS if fmt != "docx")
    assert any("docx" in r.getMessage() and r.exc_info for r in caplog.records)


def test_sheet_and_file_names_in_messages_show_their_invisible_characters_as_codes(tmp_path):
    """A sheet or file name is no cell and keeps its characters, but a message that
    names it must not let a bidi override reorder the words around it."""
    from analytics.problems import Refused
    sheet = f"案件{RLO}量"
    path = write_xlsx(tmp_path / "s.xlsx", {sheet: [CASE_HEADER, ["110/01", "第一課", "臨櫃", 3]]})
    notices = importer.parse_file(path).notice_texts()
    assert any("案件\\u202e量" in n for n in notices) and not any(RLO in n for n in notices)
    text = Refused(f"報表{RLO}.xlsx", [Problem("bad.number", sheet=sheet, row=2, column="D", header=f"件{ZWSP}數")]).render()
    assert RLO not in text and ZWSP not in text
    assert "報表\\u202e.xlsx" in text and "案件\\u202e量" in text and "件\\u200b數" in text
