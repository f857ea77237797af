"""Every blank template downloads as .xlsx and .ods, is recognised as its dataset, and
its instructions sheet is skipped."""
import pytest

from analytics import importer, templates
from analytics.datasets import DATASETS


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
@pytest.mark.parametrize("dataset", list(DATASETS))
def test_template_is_recognised_and_instructions_skipped(tmp_path, dataset, fmt):
    path = tmp_path / f"{dataset}.{fmt}"
    path.write_bytes(templates.template(dataset, fmt))
    parsed = importer.parse_file(path)
    texts = parsed.notice_texts()
    assert any("說明" in t and "略過" in t for t in texts)
    assert any("只有標題列" in t for t in texts)          # recognised, with no rows yet


def test_filled_template_imports(tmp_path, empty_db):
    import openpyxl
    path = tmp_path / "cases.xlsx"
    path.write_bytes(templates.template("case_volumes", "xlsx"))
    wb = openpyxl.load_workbook(path)
    wb.worksheets[0].append(templates.EXAMPLES["case_volumes"])
    wb.save(path)
    result = importer.import_file(empty_db, path)
    assert result.rows_by_dataset == {"case_volumes": 1}
