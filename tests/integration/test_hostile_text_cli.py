"""Issue 23 through the command line: plan text (機關名稱) with control and bidi
characters goes in cleaned, with a notice; and a database written before the import
cleaned text still gives a .docx report (exit 0), the text cleaned."""
import io
import os
import subprocess
import sys

from docx import Document

from analytics import store
from conftest import ROOT


def cli(*args, db):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "analytics", *map(str, args), "--db", str(db)],
                          capture_output=True, text=True, env=env, timeout=120, cwd=ROOT)


def plan_csv(tmp_path):
    path = tmp_path / "計畫內容.csv"
    rows = ["年度,章節,內容", "110,機關名稱,經濟部標準檢驗局\x01臺南分局\u202e",
            "110,壹、計畫依據,依據\x0b行政院函頒「政府服務躍升方案」。\u200b"]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_control_characters_in_the_plan_are_cleaned_on_import_and_the_docx_report_is_made(tmp_path):
    db = tmp_path / "dash.duckdb"
    done = cli("import", plan_csv(tmp_path), db=db)
    assert done.returncode == 0, done.stderr
    assert "B 欄" not in done.stdout and "C 欄「內容」有 2 格" in done.stdout, done.stdout
    out = tmp_path / "report.docx"
    done = cli("report", 110, "--format", "docx", "-o", out, db=db)
    assert done.returncode == 0, done.stderr
    assert Document(io.BytesIO(out.read_bytes())).core_properties.title.startswith("經濟部標準檢驗局臺南分局 110")


def test_a_database_holding_control_characters_still_gives_every_report(tmp_path):
    db = tmp_path / "dash.duckdb"
    assert cli("import", plan_csv(tmp_path), db=db).returncode == 0
    con = store.connect(db)
    con.execute("UPDATE plan_text SET text = text || chr(1) || chr(8238)")     # as an older version stored it
    con.close()
    for fmt in ("docx", "odt", "xlsx", "ods", "html"):
        out = tmp_path / f"report.{fmt}"
        done = cli("report", 110, "--format", fmt, "-o", out, db=db)
        assert done.returncode == 0, (fmt, done.stderr)
        assert out.stat().st_size > 0
    title = Document(io.BytesIO((tmp_path / "report.docx").read_bytes())).core_properties.title
    assert "\x01" not in title and "\u202e" not in title
