"""One schema: the numbered migrations build exactly the tables the dataset specs
describe, and an import that would drop or mistype a column is refused, having
written nothing, with a message that names the table and the column."""
import pandas as pd
import pytest

from analytics import importer, store
from analytics import normalize as n
from analytics.datasets import DATASETS, register, unregister
from analytics.datasets.base import Dataset, Field, SheetData, natural_key
from analytics.problems import Refusal, Refused
from analytics.units import canonical_unit


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_the_migrated_database_holds_every_column_of_the_spec_with_its_type(empty_db, name):
    held = store.column_types(empty_db)
    for table, columns in store.spec_tables(name).items():
        # by name, not position: every write names its columns
        assert held[table] == {"batch_id": "INTEGER", "nkey": "VARCHAR", **dict(columns)}, table
        assert held[f"{table}_replaced"] == {"replaced_by": "INTEGER", "batch_id": "INTEGER", "nkey": "VARCHAR",
                                             **dict(columns)}, table
    assert store.schema_problems(empty_db, name) == []


def finish(data: SheetData) -> dict[str, pd.DataFrame]:
    values = {"year": data.get("year"), "unit": data.get("unit")}
    return {"volunteer_hours": pd.DataFrame({
        "nkey": natural_key(data, values), "year": pd.array(values["year"], dtype="Int32"), "unit": values["unit"],
        "hours": pd.array(data.get("hours"), dtype="Float64")})}


SPEC = Dataset(
    name="volunteer_hours", title="志工服務時數", title_en="Volunteer hours",
    fields=(Field("year", "年度", "Year", ("年",), n.parse_year, True, sql="INTEGER"),
            Field("unit", "服務單位", "Unit", ("單位",), canonical_unit, True),
            Field("hours", "服務時數", "Hours", ("時數",), n.parse_nonneg, True, sql="DOUBLE")),
    alternatives=(), key=("year", "unit"), finish=finish, when="year", annual=True, filters={"units": "unit"},
    order=("unit", "year"), example=("112", "第一課", 12.5))


def with_table(con, columns: str):
    for table, lead in (("volunteer_hours", ""), ("volunteer_hours_replaced", "replaced_by INTEGER NOT NULL, ")):
        con.execute(f"CREATE TABLE {table} ({lead}batch_id INTEGER NOT NULL, nkey VARCHAR NOT NULL, {columns})")


@pytest.fixture
def spec():
    register(SPEC)
    yield SPEC
    unregister(SPEC.name)


def sheet(xlsx):
    return xlsx({"志工": [["年度", "服務單位", "服務時數"], ["112", "一課", 12.5], ["113", "二課", 3]]})


def refusal(con, path) -> Refused:
    with pytest.raises(Refused) as caught:
        importer.import_file(con, path)
    assert con.execute("SELECT count(*) FROM batches").fetchone()[0] == 0
    if "volunteer_hours" in store.column_types(con):
        assert con.execute("SELECT count(*) FROM volunteer_hours").fetchone()[0] == 0
    return caught.value


def test_a_migration_that_lacks_a_column_refuses_the_import_naming_it(empty_db, spec, xlsx):
    with_table(empty_db, "year INTEGER, unit VARCHAR")                 # no hours
    caught = refusal(empty_db, sheet(xlsx))
    assert [p.code for p in caught.problems] == ["store.no_column"]
    assert "volunteer_hours" in caught.render("zh") and "hours" in caught.render("zh")
    assert "lacks the column hours (DOUBLE)" in caught.render("en")


def test_a_column_of_another_type_refuses_the_import(empty_db, spec, xlsx):
    with_table(empty_db, "year INTEGER, unit VARCHAR, hours VARCHAR")
    caught = refusal(empty_db, sheet(xlsx))
    assert [(p.code, p.params["stored"]) for p in caught.problems] == [("store.column_type", "VARCHAR")]


def test_a_missing_table_refuses_the_import(empty_db, spec, xlsx):
    caught = refusal(empty_db, sheet(xlsx))
    assert [p.code for p in caught.problems] == ["store.no_table"]


def test_rows_with_a_column_the_spec_does_not_name_are_refused(empty_db, spec, xlsx, monkeypatch):
    with_table(empty_db, "year INTEGER, unit VARCHAR, hours DOUBLE")

    def finish_with_more(data):
        frame = finish(data)["volunteer_hours"]
        return {"volunteer_hours": frame.assign(note="x")}
    monkeypatch.setitem(DATASETS, "volunteer_hours", Dataset(**{**SPEC.__dict__, "finish": finish_with_more}))
    caught = refusal(empty_db, sheet(xlsx))
    assert [(p.code, p.params["column"]) for p in caught.problems] == [("store.rows_column", "note")]


def test_a_matching_table_takes_the_rows(empty_db, spec, xlsx):
    with_table(empty_db, "year INTEGER, unit VARCHAR, hours DOUBLE")
    importer.import_file(empty_db, sheet(xlsx))
    assert empty_db.execute("SELECT year, unit, hours FROM volunteer_hours ORDER BY 1").fetchall() == [
        (2023, "第一課", 12.5), (2024, "第二課", 3.0)]


def test_every_refusal_shares_one_base_and_says_itself_in_both_languages():
    for refused in (store.UndoRefused("undo.no_such_batch", batch=9), store.BackupRefused("backup.missing", file="x"),
                    Refused.one("a.xlsx", "file.empty")):
        assert isinstance(refused, Refusal)
        assert refused.message("zh") != refused.message("en")
        assert "9" in refused.message("zh") or "x" in refused.message("zh") or "a.xlsx" in refused.message("zh")
