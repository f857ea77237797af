"""STYLE.md's layering, enforced: analytics knows nothing of Streamlit; pages hold no
SQL; every page is registered in app.py and listed in the README."""
import ast
import json
import re
from pathlib import Path

from conftest import ROOT

ANALYTICS = sorted((ROOT / "analytics").rglob("*.py"))
PAGES = sorted((ROOT / "pages").glob("*.py"))
UI = sorted((ROOT / "ui").glob("*.py"))


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_analytics_never_imports_streamlit():
    assert ANALYTICS
    offenders = [p.name for p in ANALYTICS if "streamlit" in imported_modules(p)]
    assert offenders == []


def test_pages_and_ui_import_no_duckdb_and_hold_no_sql():
    assert PAGES and UI
    sql = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE)\b.+\b(FROM|INTO|SET)\b|\.execute\(", re.S)
    for page in [*PAGES, *UI, ROOT / "app.py"]:
        assert "duckdb" not in imported_modules(page), page.name
        assert not sql.search(page.read_text(encoding="utf-8")), page.name


def test_every_page_is_registered_in_app_and_listed_in_readme():
    app = (ROOT / "app.py").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for page in PAGES:
        rel = f"pages/{page.name}"
        assert f'"{rel}"' in app, rel
        assert rel in readme, rel


def test_message_catalogs_have_the_same_keys():
    zh = json.loads((ROOT / "analytics/locale/zh-TW.json").read_text(encoding="utf-8"))
    en = json.loads((ROOT / "analytics/locale/en.json").read_text(encoding="utf-8"))
    assert set(zh) - set(en) == set()
    assert set(en) - set(zh) == set()


def test_every_message_key_used_in_code_exists_in_both_languages():
    """Every string in the code shaped like a catalog key (its first part one of the
    catalog's namespaces) is in both catalogs. Keys made at run time (f"kpi.{name}")
    are checked by tests/test_screens.py, which runs every page and fails on any key
    a catalog lacked."""
    zh = json.loads((ROOT / "analytics/locale/zh-TW.json").read_text(encoding="utf-8"))
    en = json.loads((ROOT / "analytics/locale/en.json").read_text(encoding="utf-8"))
    namespaces = {key.split(".")[0] for key in zh}
    shaped = re.compile(r"^[a-z_]+(\.[a-zA-Z_0-9]+)+$")
    used = set()
    for path in [*ANALYTICS, *PAGES, *UI, ROOT / "app.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and shaped.match(node.value) \
                    and node.value.split(".")[0] in namespaces and not node.value.endswith((".py", ".json", ".sql")):
                used.add(node.value)
    assert len(used) > 100                      # the check sees the code's keys
    assert used - set(zh) == set()
    assert used - set(en) == set()
