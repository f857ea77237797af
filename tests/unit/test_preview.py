"""The import preview as a clerk reads it: the spec's headers in the page's language,
every cell as text — ROC months and dates (or Gregorian), a blank blank, never None,
NaT or nan — and each refused cell with what the file holds there (115/13, as typed)."""
import re

from analytics import service, store
from analytics.labels import user_label
from conftest import case_rows, write_xlsx

GARBAGE = re.compile(r"^(None|NaT|nan|<NA>)$")


def preview(tmp_path, *rows, **kw):
    db = tmp_path / "dash.duckdb"
    store.connect(db).close()
    path = write_xlsx(tmp_path / "上傳.xlsx", {"案件量": [["臺南分局"], *case_rows(*rows)]})
    return service.preview(path, "上傳.xlsx", db=db, **kw)


def test_a_good_sheet_reads_in_chinese_with_roc_months_and_blank_blanks(tmp_path):
    found = preview(tmp_path, ["114/02", "一課", "案件甲", "2,345"], ["114/03", "二課", "案件乙", "12"])
    assert found["ok"] and found["cells"] == []
    head = found["sheets"][0]["head"]
    assert list(head.columns)[:4] == ["年月", "單位", "案件類別", "申辦管道"]
    assert list(head["年月"]) == ["114/02", "114/03"] and list(head["單位"]) == ["第一課", "第二課"]
    assert list(head["件數"]) == ["2,345", "12"]
    assert list(head["申辦管道"]) == ["", ""]
    assert not any(GARBAGE.match(str(v)) for v in head.to_numpy().ravel())


def test_english_headers_and_gregorian_months(tmp_path):
    head = preview(tmp_path, ["114/02", "一課", "案件甲", "5"], lang="en", gregorian=True)["sheets"][0]["head"]
    assert list(head.columns)[:3] == ["Year-month", "Unit", "Case type"]
    assert list(head["Year-month"]) == ["2025-02"]


def test_a_refused_cell_shows_what_the_file_holds(tmp_path):
    found = preview(tmp_path, ["114/02", "一課", "案件甲", "5"], ["115/13", "二課", "案件乙", "12"],
                    ["114/03", "一課", "案件甲", ""])
    assert not found["ok"]
    cells = {(c["row"], c["column"]): c for c in found["cells"]}
    assert cells[(4, "A 欄「年月」")]["value"] == "115/13"
    assert "1 至 12" in cells[(4, "A 欄「年月」")]["problem"]
    assert cells[(5, "D 欄「件數」")]["value"] == ""          # blank in the file: blank here, not None
    assert found["sheets"][0]["refused"]


def test_who_imported_is_said_in_words_when_no_name_is_known():
    assert user_label("system") == "系統（首次啟動時載入）"
    assert user_label("app", "en") == "unnamed (open mode)"
    assert user_label(None) == "未記錄" and user_label("王課長") == "王課長"
