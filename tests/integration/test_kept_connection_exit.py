"""At interpreter exit the app's kept DuckDB connection is closed by close_kept, an
atexit handler, before the interpreter tears down — not by its daemon timer during
teardown, which aborted the process (exit 134) on a loaded machine."""
import os
import subprocess
import sys
import textwrap

from conftest import ROOT


def test_a_process_that_exits_holding_a_kept_connection_closes_it_first_and_exits_cleanly(tmp_path):
    db = tmp_path / "kept.duckdb"
    # atexit runs its handlers last registered first: this one, registered before ui.data
    # is imported, runs after ui.data's close_kept, and reports what it left.
    code = textwrap.dedent(f"""
        import atexit
        seen = {{}}
        atexit.register(lambda: print("kept at exit:", len(seen["data"]._kept), flush=True))
        from ui import data
        seen["data"] = data
        data.KEEP_OPEN_SECONDS = 3600
        with data.kept_open({str(db)!r}):
            pass
        print("kept before exit:", len(data._kept), flush=True)
    """)
    for _ in range(3):
        done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        assert done.stdout.split("\n")[:2] == ["kept before exit: 1", "kept at exit: 0"]
