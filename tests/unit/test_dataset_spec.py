"""A dataset is declared once, in its spec: register a throwaway one (plus the table its
migration would create) and it imports, exports in its order with its own headers,
has a template, and shows in the freshness grid and the README's kind of table —
with no other file changed."""
import openpyxl
import pandas as pd
import pytest

from analytics import export, importer, metrics, records, store, blank_workbooks
from analytics import normalize as n
from analytics.datasets import DATASETS, register, unregister
from analytics.datasets.base import Dataset, Derived, Field, SheetData, natural_key
from analytics.i18n import t
from analytics.units import canonical_unit


def finish(data: SheetData) -> dict[str, pd.DataFrame]:
    values = {"year": data.get("year"), "unit": data.get("unit")}
    key = natural_key(data, values)
    return {"volunteer_hours": pd.DataFrame({
        "nkey": key, "year": pd.array(values["year"], dtype="Int32"), "unit": values["unit"],
        "hours": pd.array(data.get("hours"), dtype="Float64"),
        "checked": [True] * len(key)})}


SPEC = Dataset(
    name="volunteer_hours", title="志工服務時數", title_en="Volunteer hours",
    fields=(Field("year", "年度", "Year", ("年",), n.parse_year, True, sql="INTEGER"),
            Field("unit", "服務單位", "Unit", ("單位",), canonical_unit, True),
            Field("hours", "服務時數", "Hours", ("時數",), n.parse_nonneg, True, sql="DOUBLE")),
    alternatives=(), key=("year", "unit"), finish=finish, when="year", annual=True, filters={"units": "unit"},
    derived=(Derived("checked", "BOOLEAN", "已核對", "Checked"),), order=("unit", "year"),
    example=("112", "第一課", 12.5))

MIGRATION = """CREATE TABLE volunteer_hours (batch_id INTEGER NOT NULL, nkey VARCHAR NOT NULL, year INTEGER,
                   unit VARCHAR, hours DOUBLE, checked BOOLEAN);
               CREATE TABLE volunteer_hours_replaced (replaced_by INTEGER NOT NULL, batch_id INTEGER NOT NULL,
                   nkey VARCHAR NOT NULL, year INTEGER, unit VARCHAR, hours DOUBLE, checked BOOLEAN)"""


@pytest.fixture
def with_spec(empty_db):
    register(SPEC)
    for statement in MIGRATION.split(";"):
        empty_db.execute(statement)
    yield empty_db
    unregister(SPEC.name)


def test_a_new_spec_flows_through_import_export_templates_and_freshness(with_spec, xlsx, tmp_path):
    con = with_spec
    path = xlsx({"志工": [["臺南分局志工服務時數"], ["年度", "服務單位", "服務時數"],
                         ["113", "二課", "3.5"], ["112", "一課", 12], ["113", "一課", 8]]})
    result = importer.import_file(con, path)
    assert result.rows_by_dataset == {"volunteer_hours": 3}
    assert "志工服務時數 3 筆" in result.messages()[0]

    rows = records.stored_rows(con, "volunteer_hours")
    assert list(zip(rows["unit"], rows["year"])) == [("第一課", 2023), ("第一課", 2024), ("第二課", 2024)]  # its order
    labelled = rows.rename(columns=export.column_labels("volunteer_hours"))
    assert list(labelled.columns) == ["年度", "服務單位", "服務時數", "已核對"]
    book = openpyxl.load_workbook(pd.io.common.BytesIO(export.write_table(labelled, "xlsx")))
    assert [c.value for c in next(book.worksheets[0].iter_rows())] == ["年度", "服務單位", "服務時數", "已核對"]

    blank = tmp_path / "template.xlsx"
    blank.write_bytes(blank_workbooks.blank_workbook("volunteer_hours", "xlsx"))
    sheet = openpyxl.load_workbook(blank).worksheets[0]
    assert sheet.title == "志工服務時數" and [c.value for c in sheet[1]] == ["年度", "服務單位", "服務時數"]

    grid = metrics.coverage(con)
    assert dict(zip(grid.loc[grid["dataset"] == "volunteer_hours", "year"],
                    grid.loc[grid["dataset"] == "volunteer_hours", "rows"])) == {2023: 1, 2024: 2}
    assert "第二課" in metrics.options(con)["units"] and 2024 in metrics.options(con)["years"]
    assert t("dataset.volunteer_hours", "en") == "Volunteer hours"

    assert store.undo_batch(con, result.batch_id).removed == {"volunteer_hours": 3}


def test_the_readme_table_lists_every_dataset_as_its_spec_says():
    from conftest import ROOT
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, ds in DATASETS.items():
        required = [f.label for f in ds.fields if f.required]
        line = next((row for row in readme.splitlines() if f"`{name}`" in row and row.startswith("|")), None)
        assert line is not None, name
        assert ds.title in line and all(label in line for label in required), (name, line)
