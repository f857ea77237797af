"""A tiny .ods asking for billions of cells through number-rows-repeated ×
number-columns-repeated is refused before the reader lays them out (issue 23: 880
bytes took 13 s and 1.9 GB in the parse child). The count runs in the parent while the
child parses (here, in this process: the unit tier never forks) and follows what the
reader materialises: the empty rows and columns to the sheet's edge that LibreOffice
writes cost nothing, so honest workbooks still import."""
import random

import fastexcel
import pytest

from analytics import importer, reader, store
from analytics.problems import Refused
from ods_files import HEAD, TAIL, case_sheet, edge, empty, number, ods, row, table, text

BILLIONS = 1048576 * 16384


@pytest.fixture(autouse=True)
def in_process(monkeypatch):
    monkeypatch.setenv("DASHBOARD_PARSE_IN_PROCESS", "1")


def refused_code(path) -> str:
    with pytest.raises(Refused) as caught:
        reader.read_workbook(path)
    return caught.value.problems[0].code


def bomb_row(repeat=1048576, columns=16384) -> str:
    return row(number(1, repeat=columns), repeat=repeat)


@pytest.mark.parametrize("stored", [False, True], ids=["deflated", "stored"])
def test_repeated_rows_times_repeated_columns_are_refused(tmp_path, stored):
    path = ods(tmp_path / "bomb.ods", table("案件量", bomb_row()), stored=stored)
    assert path.stat().st_size < 1500
    assert refused_code(path) == "file.too_many_cells"


def test_the_message_names_the_sheet_and_the_limit(tmp_path):
    path = ods(tmp_path / "bomb.ods", table("案件量", bomb_row()))
    with pytest.raises(Refused) as caught:
        reader.read_workbook(path)
    text_ = caught.value.render("zh")
    assert "案件量" in text_ and "20,000,000" in text_ and "未匯入" in text_


@pytest.mark.parametrize("shape", [
    "value, empty rows, then a value far right",
    "covered cells repeated",
    "many modest sheets",
    "empty cells before a repeated value",
    "a '>' inside an attribute before the repeat",
    "a row of a million distinct cells' worth",
])
def test_every_shape_of_expansion_is_counted(tmp_path, shape):
    sheets = {
        "value, empty rows, then a value far right": [table("s", row(number(1)), row(empty(), repeat=1048000),
                                                            row(empty(16000), number(2)))],
        "covered cells repeated": [table("s", row('<table:covered-table-cell office:value-type="float" office:value="1" '
                                                  'table:number-columns-repeated="5000"/>', repeat=5000))],
        "many modest sheets": [table(f"s{i}", row(number(1, repeat=100), repeat=30000)) for i in range(8)],
        "empty cells before a repeated value": [table("s", row(empty(16000), number(1), repeat=2000))],
        "a '>' inside an attribute before the repeat": [table("s", row(
            '<table:table-cell table:style-name="a/>b" office:value-type="float" office:value="1" '
            'table:number-columns-repeated="16384"/>', repeat=5000))],
        "a row of a million distinct cells' worth": [table("s", row(*[number(1, repeat=1000)] * 100, repeat=300))],
    }[shape]
    assert refused_code(ods(tmp_path / "x.ods", *sheets)) == "file.too_many_cells"


def test_a_trailing_padding_cell_that_is_really_a_value_counts(tmp_path):
    """The last cell of a row is free only when it is an empty, self-closing cell: a
    value there, hidden behind a '/>' in an attribute, still counts."""
    last = ('<table:table-cell table:style-name="/>" office:value-type="float" office:value="7" '
            'table:number-columns-repeated="16384"/>')
    assert refused_code(ods(tmp_path / "x.ods", table("s", row(number(1), last, repeat=5000)))) == "file.too_many_cells"


def test_a_less_than_sign_inside_an_attribute_cannot_fake_a_row_end(tmp_path):
    """The reader takes '<' inside an attribute value; such XML is not well formed and
    is refused rather than counted."""
    fake = row('<table:table-cell table:style-name="</table:table-row><table:table-row>"/>',
               number(1, repeat=16384), repeat=1048576)
    assert refused_code(ods(tmp_path / "x.ods", table("s", fake))) == "file.damaged"


@pytest.mark.parametrize("unusual", ["<!-- a comment between rows -->", "<?pi data?>"])
def test_comments_and_processing_instructions_are_counted_exactly(tmp_path, unusual):
    bomb = table("s", row(number(1)), unusual, bomb_row())
    assert refused_code(ods(tmp_path / "x.ods", bomb)) == "file.too_many_cells"
    honest = table("案件量", row(text("年月"), text("單位"), text("案件類別"), text("件數")), unusual,
                   row(text("110/01"), text("第一課"), text("臨櫃"), number(3)), *edge(2, 4))
    assert [s.height for s in reader.read_workbook(ods(tmp_path / "ok.ods", honest))] == [2]


def test_a_document_type_is_refused(tmp_path):
    content = HEAD.replace("<office:document-content", '<!DOCTYPE x [<!ENTITY e "aaaa">]><office:document-content', 1)
    assert refused_code(ods(tmp_path / "x.ods", content=content + table("s", row(text("&e;"))) + TAIL)) \
        == "file.damaged"


def test_an_honest_workbook_as_libreoffice_saves_it_imports(tmp_path):
    path = ods(tmp_path / "honest.ods", case_sheet(rows=5))
    counter = reader.OdsCells("honest.ods")
    import zipfile
    with zipfile.ZipFile(path) as zf:
        counter.feed(zf.read("content.xml"))
    counter.close()
    assert counter.cells == 6 * 4               # header and five rows, four columns: the padding costs nothing
    con = store.connect(":memory:")
    result = importer.import_file(con, path)
    assert result.rows_by_dataset == {"case_volumes": 5}


def test_the_budget_is_exact_at_its_edge(tmp_path, monkeypatch):
    """2,000 rows × 10 columns is 20,000 cells: taken at a budget of 20,000, refused at 19,999."""
    sheet = table("s", row(number(1, repeat=10), repeat=2000), *edge(2000, 10))
    monkeypatch.setattr(reader, "MAX_CELLS", 20_000)
    assert reader.read_workbook(ods(tmp_path / "a.ods", sheet))[0].height == 2000
    monkeypatch.setattr(reader, "MAX_CELLS", 19_999)
    assert refused_code(ods(tmp_path / "b.ods", sheet)) == "file.too_many_cells"


def test_the_count_is_never_below_what_the_reader_lays_out(tmp_path):
    """Random sheets of values, gaps and repeats (seeded): the count is at least the
    cells fastexcel hands back, in both the quick and the exact count."""
    rng = random.Random(23)
    import zipfile
    for n in range(40):
        rows = []
        for _ in range(rng.randint(1, 12)):
            cells = []
            for _ in range(rng.randint(0, 6)):
                kind = rng.random()
                repeat = rng.choice([1, 1, 2, 3, 17])
                cells.append(number(rng.randint(1, 9), repeat) if kind < 0.5 else empty(repeat) if kind < 0.9
                             else text("x", repeat))
            if rng.random() < 0.5:
                cells.append(empty(rng.choice([5, 1000, 16000])))
            rows.append(row(*cells, repeat=rng.choice([1, 1, 1, 2, 40])))
        path = ods(tmp_path / f"r{n}.ods", table("s", *rows, *edge(60, 20)))
        sheet = fastexcel.read_excel(str(path)).load_sheet(0, header_row=None, dtypes="string")
        laid_out = sheet.height * sheet.width
        content = zipfile.ZipFile(path).read("content.xml")
        for counter in (reader.OdsCells("r"), reader.ExactOdsCells("r")):
            counter.feed(content)
            counter.close()
            assert counter.cells >= laid_out, (n, type(counter).__name__, counter.cells, laid_out)


def test_a_subtable_inside_a_cell_starts_no_new_sheet(tmp_path):
    """A table inside a cell (the reader skips a cell's content) must not cut the sheet's
    rectangle in two: the empty rows between the two values still count."""
    inner = ('<table:table-cell office:value-type="string"><table:table table:name="inner"/>'
             '<text:p>x</text:p></table:table-cell>')
    sheet = table("s", row(number(1)), row(inner), row(empty(), repeat=1048000), row(number(2, repeat=100)))
    assert refused_code(ods(tmp_path / "x.ods", sheet)) == "file.too_many_cells"


def test_a_repeat_written_with_character_references_counts_as_the_reader_reads_it(tmp_path):
    """The reader takes number-rows-repeated="1&#48;…" as 10…; so does the count."""
    rows = '<table:table-row table:number-rows-repeated="1&#48;&#48;&#48;&#48;&#48;&#48;">' \
           '<table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="100"/>' \
           '</table:table-row>'
    assert refused_code(ods(tmp_path / "x.ods", table("s", rows))) == "file.too_many_cells"


def test_a_comment_cannot_hide_behind_a_question_mark_in_the_text(tmp_path):
    """Only a real XML declaration at the very start is passed over when looking for
    comments: a '?>' in a cell's text further on must not make the count skip one."""
    head = HEAD.replace('<?xml version="1.0" encoding="UTF-8"?>', "", 1)
    hidden = row('<table:table-cell office:value-type="string"><text:p>問</text:p><!-- </table:table-row> -->'
                 '</table:table-cell>', number(1, repeat=16384), repeat=1048576)
    later = row('<table:table-cell office:value-type="string"><text:p>?></text:p></table:table-cell>')   # a raw '>'
    assert refused_code(ods(tmp_path / "x.ods", content=head + table("s", hidden, later) + TAIL)) \
        == "file.too_many_cells"


def counted(content: bytes, bulk: bool, chunk: int = 1 << 20) -> tuple:
    counter = reader.OdsCells("r")
    if not bulk:
        counter._rows = lambda buf, pos, stop: pos          # every row by the row-by-row scan
    try:
        for i in range(0, len(content), chunk):
            counter.feed(content[i:i + chunk])
        counter.close()
    except Refused:
        return "refused"
    return counter.cells, counter.rows, counter.first, counter.last, counter.width


def random_cell(rng) -> str:
    kind = rng.random()
    repeat = rng.choice([1, 1, 1, 2, 3, 40, 16000])
    if kind < 0.3:
        return number(rng.randint(1, 9), repeat)
    if kind < 0.5:
        return text(rng.choice(["x", "office:", 'table:number-columns-repeated="7"', "<a>", "問卷"]), repeat)
    if kind < 0.6:
        return ('<table:covered-table-cell office:value-type="float" office:value="1"'
                + (f' table:number-columns-repeated="{repeat}"' if repeat > 1 else "") + "/>")
    if kind < 0.65:
        return f'<table:table-cell table:formula="of:=1" table:number-columns-repeated="{repeat}"/>'
    return empty(repeat)


def test_rows_measured_in_bulk_are_measured_as_row_by_row(tmp_path):
    """The bulk measure (NumPy over a stretch of ordinary rows) against the row-by-row
    one, on seeded random sheets of values, text that looks like markup, covered and
    formula cells, repeats, padding, empty and repeated rows, several sheets, and
    chunk edges anywhere: the same rectangle every time."""
    rng = random.Random(22)
    outcomes = set()
    for n in range(120):
        tables = []
        for t_ in range(rng.randint(1, 3)):
            rows = []
            for _ in range(rng.randint(1, 30)):
                shape = rng.random()
                if shape < 0.08:
                    rows.append(f'<table:table-row table:number-rows-repeated="{rng.choice([2, 50, 1000])}">'
                                f'{random_cell(rng)}</table:table-row>')
                elif shape < 0.12:
                    rows.append('<table:table-row table:style-name="ro1"/>')
                else:
                    cells = [random_cell(rng) for _ in range(rng.randint(0, 8))]
                    if rng.random() < 0.6:
                        cells.append(empty(rng.choice([16374, 1000, 3])))
                    rows.append(row(*cells))
            tables.append(table(f"s{t_}", *rows, *edge(40, 12)))
        content = (HEAD + "".join(tables) + TAIL).encode("utf-8")
        chunk = rng.choice([1 << 20, 4096, 997])
        outcome = counted(content, True, chunk)
        assert outcome == counted(content, False, chunk), n
        outcomes.add(outcome == "refused")
    assert outcomes == {True, False}                          # both kinds of sheet were tried
