"""The layers (docs/design.md, "Layers"), enforced: analytics knows nothing of
Streamlit; pages hold no SQL; every page is in the one registry and the README."""
import ast
import json
import re
from pathlib import Path

import pytest

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


def test_the_import_contracts_in_pyproject_hold():
    """import-linter's contracts (pyproject.toml): analytics imports neither streamlit
    nor ui; reading and cleaning never import the store; ui reaches the data only
    through analytics.service and analytics.metrics."""
    import logging
    from importlinter.cli import lint_imports
    # lint_imports configures logging with dictConfig, which disables every logger that
    # exists (the app's sign-in log among them); put them back as they were.
    loggers = [logging.getLogger(name) for name in list(logging.root.manager.loggerDict)]
    disabled = {logger.name: logger.disabled for logger in loggers if isinstance(logger, logging.Logger)}
    try:
        assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0
    finally:
        for name, was in disabled.items():
            logging.getLogger(name).disabled = was


# What a page may import: the UI layer, the figures, and words and names for them.
PAGE_MAY_IMPORT = {"streamlit", "plotly", "pandas", "ui", "analytics", "math", "os", "shutil", "tempfile",
                   "weakref", "pathlib", "logging", "datetime"}
PAGE_ANALYTICS = {"analytics.metrics", "analytics.service", "analytics.summaries", "analytics.kpis",
                  "analytics.survey_stats", "analytics.labels", "analytics.periods", "analytics.definitions",
                  "analytics.i18n", "analytics.problems", "analytics.datasets", "analytics.blank_workbooks",
                  "analytics.reader", "analytics.report", "analytics.comparison", "analytics.wording",
                  "analytics.signals", "analytics.spc", "analytics.spc_words"}
SQL = re.compile(r"\b(select|insert|update|delete|create|drop|attach|copy)\b[\s\S]{0,120}?\b(from|into|set|table|database)\b"
                 r"|\.(sql|execute|executemany|query)\s*\(|\bconnect\s*\(", re.I)


def page_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names if node.module == "analytics"}
    return names


def test_pages_import_only_what_is_meant_for_them_and_hold_no_sql():
    assert PAGES
    for page in [*PAGES, ROOT / "app.py"]:
        imported = page_imports(page)
        assert {m.split(".")[0] for m in imported} <= PAGE_MAY_IMPORT, (page.name, imported)
        analytics = {m for m in imported if m.startswith("analytics.")}
        assert {".".join(m.split(".")[:2]) for m in analytics} <= PAGE_ANALYTICS, (page.name, analytics)
        assert not SQL.search(page.read_text(encoding="utf-8")), page.name
    for module in UI:
        assert not SQL.search(module.read_text(encoding="utf-8")), module.name


def test_the_sql_check_sees_sql_however_it_is_written():
    # the check that was fooled: store.connect().sql("select count(*) from case_volumes")
    for fooling in ('store.connect().sql("select count(*) from case_volumes")', 'con.execute("x")',
                    "duckdb.connect()", '"SELECT a FROM b"', "q = 'Select *\n from t'"):
        assert SQL.search(fooling), fooling
    assert not SQL.search('st.header(tr("cases.by_unit"))')


def test_every_page_is_registered_and_listed_in_readme():
    from ui import registry
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert {p.path for p in registry.PAGES} == {f"pages/{page.name}" for page in PAGES}
    for page in PAGES:
        assert f"pages/{page.name}" in readme, page.name
    assert "ui.registry" in page_imports(ROOT / "app.py")


def test_a_page_whose_url_path_is_its_file_stem_is_refused():
    """Streamlit maps /<stem> to pages/<stem>.py on a first request, skipping app.py's
    frame: the registry refuses such a page rather than let it through silently."""
    from ui import registry
    good = registry.PAGES
    assert registry.check(good) == good
    clash = registry.Page("pages/cases.py", "page.cases", "", "cases", True)
    with pytest.raises(ValueError, match="file stem"):
        registry.check((*good[:1], clash))
    with pytest.raises(ValueError, match="share"):
        registry.check((*good, good[1]))
    with pytest.raises(ValueError, match="no such page"):
        registry.check((registry.Page("pages/nowhere.py", "page.x", "", "nowhere-page", False),))


def test_message_catalogs_have_the_same_keys():
    zh = json.loads((ROOT / "analytics/locale/zh-TW.json").read_text(encoding="utf-8"))
    en = json.loads((ROOT / "analytics/locale/en.json").read_text(encoding="utf-8"))
    assert set(zh) - set(en) == set()
    assert set(en) - set(zh) == set()


def test_every_message_key_used_in_code_exists_in_both_languages():
    """Every string in the code shaped like a catalog key (its first part one of the
    catalog's namespaces) is in both catalogs. Keys made at run time (f"kpi.{name}")
    are checked by tests/app/test_screens.py, which runs every page and fails on any key
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
