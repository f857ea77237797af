"""Every blank template downloads as .xlsx and .ods, is recognised as its dataset, and
its instructions sheet is skipped."""
import pytest

from analytics import importer, blank_workbooks
from analytics.datasets import DATASETS


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
@pytest.mark.parametrize("dataset", list(DATASETS))
def test_template_is_recognised_and_instructions_skipped(tmp_path, dataset, fmt):
    path = tmp_path / f"{dataset}.{fmt}"
    path.write_bytes(blank_workbooks.blank_workbook(dataset, fmt))
    parsed = importer.parse_file(path)
    texts = parsed.notice_texts()
    assert any("說明" in t and "略過" in t for t in texts)
    assert any("只有標題列" in t for t in texts)          # recognised, with no rows yet


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_a_template_filled_with_its_example_row_imports(tmp_path, empty_db, dataset):
    import openpyxl
    path = tmp_path / f"{dataset}.xlsx"
    path.write_bytes(blank_workbooks.blank_workbook(dataset, "xlsx"))
    wb = openpyxl.load_workbook(path)
    wb.worksheets[0].append(list(DATASETS[dataset].example))
    wb.save(path)
    result = importer.import_file(empty_db, path)
    assert result.rows_by_dataset == {dataset: 1}


def test_the_targets_template_lists_the_kpi_names_it_takes(tmp_path):
    import openpyxl
    path = tmp_path / "targets.xlsx"
    path.write_bytes(blank_workbooks.blank_workbook("targets", "xlsx"))
    notes = " ".join(str(c) for row in openpyxl.load_workbook(path)["說明"].iter_rows(values_only=True) for c in row if c)
    for name in ("整體滿意度", "電話禮貌合格率", "線上申辦比例", "構面自評總分", "案件總量", "問卷回收率"):
        assert name in notes
