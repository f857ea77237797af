"""The parse child: every workbook is parsed in a forked child with a memory cap and a
time limit, and the parent's zip count runs beside it. The unit tier parses in process
(it never forks), so what only the child can show is tested here: a file that would
crash or hang a parser is refused, the child is capped and timed, and the parent's
check kills a child still busy with a liar."""
import os
import resource
import time

import pytest

from analytics import importer, reader, store
from analytics.problems import Refused
import hostile_files
from conftest import table, write_xlsx, case_rows


def refused_text(con, path) -> str:
    with pytest.raises(Refused) as caught:
        importer.import_file(con, path)
    assert con.execute("SELECT count(*) FROM batches").fetchone()[0] == 0
    return caught.value.render("zh")


def test_csv_is_parsed_in_the_child_with_its_memory_cap_and_time_limit(tmp_path, empty_db, monkeypatch):
    seen = tmp_path / "seen.txt"
    real = reader._read_csv

    def spy(path, name):
        seen.write_text(f"{os.getpid()} {resource.getrlimit(resource.RLIMIT_AS)[0]}")
        if name == "slow.csv":
            time.sleep(30)
        return real(path, name)

    monkeypatch.setattr(reader, "_read_csv", spy)
    path = tmp_path / "ok.csv"
    path.write_text("年月,單位,案件類別,件數\n110/07,第一課,線上申辦,3\n", encoding="utf-8")
    importer.import_file(empty_db, path)
    pid, limit = map(int, seen.read_text().split())
    assert pid != os.getpid() and limit != resource.RLIM_INFINITY
    assert table(empty_db, "case_volumes", "count") == [(3,)]

    monkeypatch.setenv("DASHBOARD_PARSE_SECONDS", "1")
    slow = tmp_path / "slow.csv"
    slow.write_bytes(path.read_bytes().replace(b"3", b"4"))
    assert "解析超過 1 秒" in refused_text(store.connect(":memory:"), slow)


def test_the_zip_check_refuses_without_waiting_for_the_child(tmp_path, monkeypatch):
    """The child stays busy; the parent's count refuses the liar and kills it (else the
    refusal would be the time limit's)."""
    rows = case_rows(*(["110/07", "第一課", f"類{i}", i] for i in range(3000)))
    path = hostile_files.liar(tmp_path, write_xlsx(tmp_path / "big.xlsx", {"s": rows}))
    monkeypatch.setenv("DASHBOARD_PARSE_SECONDS", "120")
    monkeypatch.setattr(reader, "_parse", lambda *args: __import__("time").sleep(3600))
    with pytest.raises(Refused) as caught:
        reader.read_workbook(path)
    assert {p.code for p in caught.value.problems} <= {"file.zip_bomb", "file.damaged"}


EXPECTED = {"zip bomb": "file.zip_bomb", "entity expansion": "file.damaged", "huge dimension": "file.parse_crashed",
            "encrypted": "file.encrypted", "renamed binary": "file.not_workbook", "truncated zip": "file.damaged",
            "xlsm macro": "file.macro", "empty workbook": "file.no_data", "header only": "file.no_data",
            "10,000 errors": "bad.number", "100,000-column csv": "file.too_many_columns",
            "2,000-column sheet": "file.too_many_columns"}


def test_every_hostile_file_is_refused_as_before(tmp_path):
    refused = {}
    for label, make in hostile_files.ALL.items():
        folder = tmp_path / label.replace(" ", "_").replace(",", "")
        folder.mkdir()
        con = store.connect(":memory:")
        try:
            importer.import_file(con, make(folder))
            refused[label] = None
        except Refused as refusal:
            refused[label] = refusal.problems[0].code
        finally:
            con.close()
    assert refused == EXPECTED


def test_a_sheet_parsed_in_slices_comes_back_from_the_child_whole(tmp_path, monkeypatch):
    """The child writes each slice's columns as it makes them; the parent joins them."""
    rows = [["s"], ["問卷編號", "填答日期", "服務據點"]] + [[f"Q{i}", "110/07/01", "嘉辦"] for i in range(300)]
    path = write_xlsx(tmp_path / "s.xlsx", {"問卷": rows})
    whole = reader.read_workbook(path)
    monkeypatch.setattr(reader, "SLICE_BYTES", 1_000)
    sliced = reader.read_workbook(path)
    assert [(s.positions, [c.to_pylist() for c in s.columns]) for s in sliced] == \
        [(s.positions, [c.to_pylist() for c in s.columns]) for s in whole]


def test_an_ods_that_is_not_well_formed_is_refused_by_the_check_beside_the_parse(tmp_path):
    """With a parse child, the parent counts an .ods's cells without checking the XML
    and a second child checks it while the first parses: a '<' inside an attribute
    (which would fake a row's end to the count) is still refused, and nothing written."""
    from ods_files import number, ods, row, table
    fake = row('<table:table-cell table:style-name="</table:table-row><table:table-row>"/>',
               number(1, repeat=16384), repeat=1048576)
    path = ods(tmp_path / "x.ods", table("s", fake))
    assert refused_code(store.connect(":memory:"), path) in {"file.damaged", "file.too_many_cells"}
    with pytest.raises(Refused) as caught:
        reader._well_formed(path, "x.ods")
    assert caught.value.problems[0].code == "file.damaged"


def test_the_xml_check_s_verdict_comes_before_what_the_parse_made(tmp_path):
    """A damaged .ods the reader would read anyway (a stray end tag after the sheet) is
    refused as damaged, with libxml2's words, and both children are gone after."""
    from ods_files import HEAD, TAIL, case_sheet, ods
    path = ods(tmp_path / "x.ods", content=HEAD + case_sheet(rows=3) + "</table:oops>" + TAIL)
    with pytest.raises(Refused) as caught:
        reader.read_workbook(path)
    assert caught.value.problems[0].code == "file.damaged"
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)                  # no child left to reap


def test_an_ods_bomb_is_refused_by_the_count_beside_the_child(tmp_path):
    from ods_files import number, ods, row, table
    path = ods(tmp_path / "bomb.ods", table("案件量", row(number(1, repeat=16384), repeat=1048576)))
    assert refused_code(store.connect(":memory:"), path) == "file.too_many_cells"


def test_an_honest_ods_imports_through_the_child(tmp_path, empty_db):
    from ods_files import case_sheet, ods
    result = importer.import_file(empty_db, ods(tmp_path / "honest.ods", case_sheet(rows=5)))
    assert result.rows_by_dataset == {"case_volumes": 5}


def refused_code(con, path) -> str:
    with pytest.raises(Refused) as caught:
        importer.import_file(con, path)
    assert con.execute("SELECT count(*) FROM batches").fetchone()[0] == 0
    return caught.value.problems[0].code
