"""`python -m analytics signals`: every series with its limits, flagged points and
verdicts, as a table in the user's language or as one JSON list (docs/spc.md)."""
import json
import os
import subprocess
import sys

import duckdb
import pytest

from conftest import ROOT

# Series A (tests/unit/test_spc.py): mean 21, MR̄ 30/11, limits 21 ± 79.8/11, nothing flagged.
A = [20, 22, 19, 24, 21, 20, 23, 18, 22, 21, 20, 22]
HEADER = ["年月", "單位", "案件類別", "件數", "如期完成件數"]


def cli(*args, db, env=None, timeout=120):
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "analytics", *map(str, args), "--db", str(db)],
                          capture_output=True, text=True, env=full_env, timeout=timeout, cwd=ROOT)


def months(count, first_roc=110):
    return [f"{first_roc + m // 12}/{m % 12 + 1:02d}" for m in range(count)]


@pytest.fixture
def db(tmp_path, xlsx):
    """線上申辦: A in 110, A + 10 in 111, with a process change recorded from 111/01.
    檢舉申訴 (complaints): the same step, with no change recorded — a planted shift."""
    stepped = A + [v + 10 for v in A]
    rows = [[m, "第一課", "線上申辦", v, None] for m, v in zip(months(24), stepped)]
    rows += [[m, "嘉辦", "檢舉申訴", v, v] for m, v in zip(months(24), stepped)]
    changes = [["年月", "指標", "案件類別", "說明"], ["111/01", "案件總量", "線上申辦", "線上申辦改版"]]
    path = xlsx({"案件量": [HEADER, *rows], "流程變更": changes}, name="signals.xlsx")
    target = tmp_path / "signals.duckdb"
    done = cli("import", path, db=target)
    assert done.returncode == 0, done.stderr
    return target


def series(found, kpi, name="全部"):
    return next(s for s in found if s["kpi"] == kpi and s["series"] == name)


def test_json_lists_every_series_with_limits_points_and_verdicts(db):
    done = cli("signals", "--json", db=db)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert isinstance(found, list)
    for s in found:
        assert {"kpi", "series", "mean", "lower", "upper", "variation", "assurance", "points"} <= set(s)
        assert all({"period", "value", "special", "rules"} <= set(p) for p in s["points"])

    online = series(found, "case_total", "線上申辦")            # rebased at 111/01: its own limits since
    assert online["kind"] == "xmr" and [g["start"] for g in online["segments"]] == ["110/01", "111/01"]
    assert online["segments"][1]["change"] == "線上申辦改版"
    assert online["mean"] == pytest.approx(31)
    assert online["lower"] == pytest.approx(31 - 79.8 / 11) and online["upper"] == pytest.approx(31 + 79.8 / 11)
    assert not any(p["special"] for p in online["points"]) and online["variation"] == "common_cause"
    assert online["assurance"] is None

    # The planted shift: one segment over 24 months, mean 26; moving ranges 30 + |30 − 22| + 30
    # = 68 over 23 → limits 26 ± 2.66 × 68/23 = 26 ± 7.864 → 18.136, 33.864.
    step = series(found, "complaints")
    assert step["mean"] == pytest.approx(26)
    assert step["lower"] == pytest.approx(26 - 2.66 * 68 / 23) and step["upper"] == pytest.approx(26 + 2.66 * 68 / 23)
    points = {p["period"]: p for p in step["points"]}
    assert list(points)[:2] == ["110/01", "110/02"] and len(points) == 24
    assert points["111/12"]["value"] == 32 and points["111/12"]["special"] and "shift" in points["111/12"]["rules"]
    assert "limit" in points["110/08"]["rules"]                # 18 < 18.136
    assert "limit" in points["111/04"]["rules"]                # 34 > 33.864
    assert all(p["special"] == bool(p["rules"]) for p in step["points"])
    assert step["variation"] == "special_cause_neutral_high"  # workload: high, neither better nor worse

    on_time = series(found, "complaints_on_time")              # all answered on time: p̄ = 1
    assert on_time["kind"] == "pprime" and on_time["mean"] == 1 and on_time["variation"] == "common_cause"


def test_year_keeps_only_that_years_points(db):
    for year in ("111", "2022"):
        found = json.loads(cli("signals", "--json", "--year", year, db=db).stdout)
        online = series(found, "case_total", "線上申辦")
        assert [p["period"] for p in online["points"]] == months(12, 111)
        assert online["mean"] == pytest.approx(31)


def test_the_table_in_chinese(db):
    found = json.loads(cli("signals", "--json", "--year", "111", db=db).stdout)
    assert series(found, "case_total")["status"] == "ok"       # twelve months: enough
    text = cli("signals", db=db, env={"DASHBOARD_LANG": "zh"})
    assert text.returncode == 0
    assert "線上申辦（XmR 管制圖）" in text.stdout and "一般變異" in text.stdout
    assert "自 111 年 1 月起重新計算界限：線上申辦改版" in text.stdout
    assert "特殊原因：偏高" in text.stdout and "連續 7 點在平均同側" in text.stdout
    assert "Traceback" not in text.stdout + text.stderr


def test_english_table(db):
    done = cli("signals", "--lang", "en", db=db)
    assert done.returncode == 0
    assert "Online applications (XmR chart)" in done.stdout and "Special cause: high" in done.stdout
    assert "limits restart at January 2022: 線上申辦改版" in done.stdout


def test_bad_year_and_empty_database(tmp_path):
    empty = tmp_path / "empty.duckdb"
    done = cli("signals", "--year", "abc", db=empty)
    assert done.returncode == 1 and "abc" in done.stderr
    assert json.loads(cli("signals", "--json", db=empty).stdout) == []
    assert "沒有可畫管制圖的資料" in cli("signals", db=empty, env={"DASHBOARD_LANG": "zh"}).stdout


def test_names_from_the_file_reach_the_terminal_escaped(tmp_path):
    sheet = tmp_path / "hostile.csv"      # a CSV, since a workbook cannot hold ESC
    sheet.write_text("年月,單位,案件類別,件數\n" + "".join(f"{m},第一課,線上\x1b[31m申辦,{v}\n"
                                                      for m, v in zip(months(12), A)), encoding="utf-8")
    target = tmp_path / "hostile.duckdb"
    assert cli("import", sheet, db=target).returncode == 0
    # The import removes control characters now; a database written before it did may
    # still hold them, so put the ESC back where an older import left it.
    con = duckdb.connect(str(target))
    con.execute("UPDATE case_volumes SET case_type = '線上\x1b[31m申辦' WHERE case_type = '線上[31m申辦'")
    con.close()
    text = cli("signals", db=target).stdout
    assert "\x1b" not in text and "\\x1b[31m" in text
    raw = cli("signals", "--json", db=target).stdout
    assert "\x1b" not in raw
    assert any(s["series"] == "線上\x1b[31m申辦" for s in json.loads(raw))


def test_a_reader_that_stops_early_ends_the_command_quietly(db):
    """`signals | head -1`: the pipe closes under the command; it ends with 0 and says
    nothing (it said 「發生未預期的錯誤：BrokenPipeError」)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(f"{sys.executable} -m analytics signals --lang en --db {db} | head -c 20",
                          shell=True, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
                          executable="/bin/bash")
    assert len(done.stdout) <= 20 and done.stderr == "", done.stderr
    status = subprocess.run(f"set -o pipefail; {sys.executable} -m analytics signals --db {db} | head -c 20 >/dev/null",
                            shell=True, env=env, cwd=ROOT, timeout=120, executable="/bin/bash")
    assert status.returncode == 0
