"""What issue 14 made faster stays both fast and the same: nothing heavy on the way to
the first chart or into an import, the shortcuts give what the long way gave, and the
hostile-file protections hold with the zip check beside the parse. No wall-clock time
is asserted here (bench/ measures those). What a fresh process imports, and what the
command line and the app's kept connection do across processes, is in
tests/integration/test_speed_guards_processes.py."""
import os

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from analytics import export, importer, reader, service, store, survey_stats
from analytics.cli import EXPORT_FORMATS
from analytics.datasets import base
from analytics.normalize import convert_codes, parse_text
from analytics.problems import Refused
import hostile_files
from conftest import case_rows, survey_rows, write_xlsx


# ------------------------------------------------------------------ what is imported

def test_the_command_line_offers_the_formats_export_writes():
    assert tuple(EXPORT_FORMATS) == tuple(export.FORMATS)


# ------------------------------------------------------------------ the same numbers, sooner

def test_wilson_interval_by_hand():
    # 5 of 10, z = 1.96: centre (2·10·0.5 + z²) / (2(10 + z²)) = 0.5, half-width
    # z / (2(10 + z²)) · √(4·10·0.25 + z²) = 0.26341: (0.2366, 0.7634), as Newcombe (1998)
    # tabulates it. Against scipy over thousands of cases: tests/integration/test_statistics.py.
    assert survey_stats.wilson(5, 10) == pytest.approx((0.2366, 0.7634), abs=5e-5)
    assert survey_stats.wilson(0, 25)[0] == 0.0 and survey_stats.wilson(25, 25)[1] == 1.0
    with pytest.raises(ValueError):
        survey_stats.wilson(5, 4)


TRICKY_TEXT = ["", " ", "  ", "\t", "\u3000", "\xa0", "\x1f", "Q0001", " Q0001", "Q0001 ", "a  b", "a b", "~!", "a\n",
               "\nx", "a\tb", "全形", "１２３", "ｱ", "x\u3000", "\u200b", "民眾", "業者 ", "A" * 300, "a\x00b", "é",
               "line\u2028break", "\x85", "0", "-"]


def encoded(values: list) -> base.Encoded:
    return base.encode(pa.array(values, type=pa.string()))


def test_text_found_plain_by_arrow_is_what_parse_text_gives():
    """(``_convert_text`` is ``_text_column``'s values, as read_sheet keeps them.)"""
    column = encoded(TRICKY_TEXT + [None] + TRICKY_TEXT)
    fast, bad = base._convert_text(column, column.codes)
    slow, slow_bad = convert_codes(column.codes, column.uniques, parse_text)
    assert bad is None and slow_bad is None
    assert list(fast) == list(slow)


def test_blank_cells_found_with_arrow_are_the_blank_ones():
    column = encoded(TRICKY_TEXT + [None])
    expected = [base._is_blank_text(u) for u in column.uniques] + [False]
    assert list(base._blank_flags(column)) == expected


@pytest.mark.parametrize("values", [[1, 2, None, 5], [None, None], [], [3, float("nan")], [5, 4, 3, 2, 1, None]])
def test_answer_columns_built_by_arrow_are_what_pandas_made(values):
    """The survey's answers (what parse_likert gives: 1–5 or None) go to the store as
    Arrow int8, from the distinct parsed values indexed by each row's code: the
    numbers and blanks pandas' Int8 made."""
    parsed = np.array([*values, None], dtype=object)
    codes = np.array([i % (len(values) + 1) for i in range(3 * len(values) + 2)][::-1], dtype=np.intp)
    got = base.Column(codes, parsed).to_arrow(pa.int8())
    expected = pd.array(parsed[codes], dtype="Int8")
    assert got.type == pa.int8() and got.to_pylist() == [None if pd.isna(v) else int(v) for v in expected]


@pytest.mark.parametrize("values", [["Q1", "Q2", "Q1", None, "Q1", "Q2"], [], ["a"], ["x", "x", "x"]])
def test_place_among_equals_is_pandas_cumcount(values):
    key = pa.array(values, pa.string()).fill_null("")
    expected = pd.Series(key.to_pylist(), dtype=object).groupby(key.to_pylist()).cumcount().to_numpy() + 1
    assert list(base._nth_of_equals(key)) == list(expected) if values else len(base._nth_of_equals(key)) == 0


@pytest.mark.parametrize("values", [[1, "a", None, 1.0, True, "a"], [float("nan"), None, "x"], [], [pd.NA, 2]])
def test_factorize_is_pandas_factorize(values):
    from analytics.normalize import factorize
    codes, uniques = factorize(np.array(values, dtype=object))
    expected_codes, expected_uniques = pd.factorize(pd.Series(values, dtype=object))
    assert list(codes) == list(expected_codes) and list(uniques) == list(expected_uniques)


def test_key_parts_as_arrow_are_the_text_str_makes():
    import datetime as dt
    days = [dt.date(2021, 7, 1), None, dt.date(2024, 12, 31)]
    assert base._text_part(pa.array(days, pa.date32())).to_pylist() == ["2021-07-01", "", "2024-12-31"]
    assert base._text_part(pa.array([1, None, 30], pa.int32())).to_pylist() == ["1", "", "30"]
    assert base._text_part(pa.array([1.0, 2.5], pa.float64())).to_pylist() == ["1.0", "2.5"]   # as str() says
    assert base._text_part(pa.array(["Q1", None], pa.string())).to_pylist() == ["Q1", ""]


def test_item_sums_are_pandas_row_sums():
    from analytics.datasets import phone_tests
    items = {"a": np.array([14, None, 2.5, None], dtype=object), "b": np.array([18.0, None, 3, 7], dtype=object)}
    matrix = pd.DataFrame({k: pd.array(v, dtype="Float64") for k, v in items.items()})
    expected = matrix.sum(axis=1, min_count=1).to_numpy(dtype=object, na_value=None)
    assert list(phone_tests._row_sums(items, 4)) == list(expected)


TRICKY_CSV = [
    "標題\n問卷編號,填答日期,服務據點\nQ1,110/07/01,嘉辦\nQ2,110/07/02,本分局\n",
    "標題,,\n\n問卷編號,填答日期,服務據點\nQ1,\"110/07/01\",\"嘉,辦\"\nQ2,110/07/02,\"本\n分局\"\n",
    "a,b\na,b\nc\n\nd,e,f\n",                    # uneven below the header: the slow way
    "a,b\r\nc,\"d\"\"e\"\r\n,\r\n",                    # CRLF, a doubled quote, empty fields
    "x\ny\nz\n",                                    # one column: the slow way
    "a;b;c\n1;2;3\n",
]


@pytest.mark.parametrize("text", TRICKY_CSV)
def test_csv_read_by_arrow_is_what_the_csv_module_reads(text):
    delimiter = ";" if ";" in text else ","
    fast = reader._csv_columns(text, delimiter, "t.csv", "t")
    slow = reader._python_csv(text, delimiter, "t.csv", "t")
    assert [c.to_pylist() for c in fast] == [c.to_pylist() for c in slow]
    import csv
    import io
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    width = max(map(len, records))
    assert [list(row) for row in zip(*(c.to_pylist() for c in slow))] == \
        [r + [None] * (width - len(r)) for r in records]


@pytest.mark.parametrize("part", [np.array(["Q1", None, "Q2", "Q1"], dtype=object),
                                  np.array([1, "a", None], dtype=object),
                                  np.array(["a", float("nan")], dtype=object),
                                  np.array([pd.Timestamp("2021-07-01").date(), None], dtype=object)])
def test_a_key_part_of_text_goes_to_arrow_as_it_is(part):
    codes, uniques = pd.factorize(pd.Series(part, dtype=object))
    expected = [str(uniques[c]) if c >= 0 else "" for c in codes]
    assert base._text_part(part).to_pylist() == expected


def test_a_file_with_every_key_distinct_has_no_duplicate_and_one_with_a_repeat_has(xlsx, empty_db):
    rows = [["問卷編號", *survey_rows()[0]], ["A1", "110/07/01", "臺南分局", 5, 5, 5, 5, 5, 5],
            ["A2", "110/07/01", "臺南分局", 4, 4, 4, 4, 4, 4]]
    importer.import_file(empty_db, xlsx({"問卷": rows}))
    with pytest.raises(Refused) as caught:
        importer.import_file(empty_db, xlsx({"問卷": rows + [["A1", "110/07/02", "臺南分局", 3, 3, 3, 3, 3, 3]]},
                                            name="again.xlsx"))
    assert [p.code for p in caught.value.problems] == ["bad.duplicate_key"]


def test_questionnaire_numbers_that_clean_to_the_same_text_are_duplicates(xlsx, empty_db):
    """The count of codes (no second encoding of the key) is used only where cleaning
    changed no value; " A1" and "A1" differ as cells and are one number."""
    rows = [["問卷編號", *survey_rows()[0]], ["A1", "110/07/01", "臺南分局", 5, 5, 5, 5, 5, 5],
            [" A1", "110/07/02", "臺南分局", 4, 4, 4, 4, 4, 4], ["A2", "110/07/02", "臺南分局", 4, 4, 4, 4, 4, 4]]
    with pytest.raises(Refused) as caught:
        importer.import_file(empty_db, xlsx({"問卷": rows}))
    assert [(p.code, p.row) for p in caught.value.problems] == [("bad.duplicate_key", 3)]


# ------------------------------------------------------------------ the schema is checked once per file

def test_a_database_replaced_or_made_again_is_migrated_again(tmp_path):
    db = tmp_path / "m.duckdb"
    store.connect(db).close()
    store.connect(db).close()                       # unchanged: not checked again, still whole
    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).close()              # an empty file put in its place
    os.replace(other, db)
    con = store.connect(db)
    try:
        assert con.execute("SELECT max(version) FROM schema_version").fetchone()[0] == store.SCHEMA_VERSION
    finally:
        con.close()
    db.unlink()
    con = store.connect(db)
    try:
        assert store.data_version(con) == 0 and not store.ever_imported(con)
    finally:
        con.close()


def test_the_app_reads_version_and_sample_in_one_look(tmp_path):
    db = tmp_path / "v.duckdb"
    service.load_sample_if_new(db)
    with service.opened(db) as con:
        expected = (store.data_version(con), store.sample_shown(con))
    assert service.data_state(db) == expected == (expected[0], True)


# ------------------------------------------------------------------ the zip check beside the parse

def test_a_workbook_lying_about_its_size_is_refused_though_it_parses(tmp_path, empty_db):
    rows = case_rows(*(["110/07", "第一課", f"類{i}", i] for i in range(3000)))
    path = hostile_files.liar(tmp_path, write_xlsx(tmp_path / "big.xlsx", {"s": rows}))
    with pytest.raises(Refused) as caught:
        importer.import_file(empty_db, path)
    assert {p.code for p in caught.value.problems} <= {"file.zip_bomb", "file.damaged"}
    assert empty_db.execute("SELECT count(*) FROM batches").fetchone()[0] == 0


def test_a_bomb_that_declares_its_size_is_refused_before_any_child(tmp_path, monkeypatch):
    path = hostile_files.zip_bomb(tmp_path, megabytes=50)
    monkeypatch.setattr(os, "fork", lambda: pytest.fail("forked for a declared bomb"))
    with pytest.raises(Refused) as caught:
        reader.read_workbook(path)
    assert [p.code for p in caught.value.problems] == ["file.zip_bomb"]


# ------------------------------------------------------------------ the chart library, loaded as the page opens

def test_the_installed_frontend_has_every_module_the_preload_names():
    """A Streamlit upgrade that renames the chart's, the table's or the card's module
    would make ui/preload.py leave it out (it would still load, only later): this says so."""
    from ui import preload
    assert preload.CHART_MODULE is not None
    assert (preload._FOLDER / preload.CHART_MODULE).stat().st_size > 1_000_000
    assert [m.split(".")[0] for m in preload.MODULES] == list(preload.KINDS)


def test_the_preload_script_holds_the_module_names_and_nothing_else():
    from ui import preload
    html = preload.script(("PlotlyChart.x1.js", "Radio.y2.js"))
    assert '["PlotlyChart.x1.js", "Radio.y2.js"]' in html and "main.src" in html
    assert html.count("<script>") == 1 and "display: none" in html
    assert '["PlotlyChart.x1.js"]' in preload.script("PlotlyChart.x1.js")


def test_the_app_sends_the_preload_before_it_imports_its_own_modules():
    """The browser fetches the modules while the server imports and queries: the
    preload is app.py's first element, ahead of its imports of analytics and ui."""
    from conftest import ROOT
    source = (ROOT / "app.py").read_text(encoding="utf-8")
    assert source.index("preload.charts()") < source.index("from analytics") < source.index("pg.run()" if "pg.run()"
                                                                                             in source else "page.run()")


def test_the_first_element_skips_the_prompt_check_under_a_running_server_only(monkeypatch):
    """Under `streamlit run` the first element is not held up by Streamlit's check for
    an interactive prompt (a walk of the whole stack); without a running server (plain
    `python app.py`) the check and its hint stay. A release that renames the flag
    fails here, not silently."""
    from streamlit import delta_generator, runtime
    from ui import preload
    assert hasattr(delta_generator, preload._PROBED)
    monkeypatch.setattr(delta_generator, preload._PROBED, False)
    monkeypatch.setattr(runtime, "exists", lambda: False)
    preload.skip_repl_probe()
    assert getattr(delta_generator, preload._PROBED) is False
    monkeypatch.setattr(runtime, "exists", lambda: True)
    preload.skip_repl_probe()
    assert getattr(delta_generator, preload._PROBED) is True
