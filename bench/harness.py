"""What the benchmarks share: the repository's environment for child processes, a
`streamlit run` server on a port of the benchmark range, Debian's Chromium through
Playwright, databases built by the command line, and the summary of alternating runs.

Only the standard library at import time: a benchmark that times other processes
should stay small itself (a forked child's peak RSS starts from its parent's).
"""
from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from scripts import browser  # noqa: E402  (the one launcher and free_port)

BENCH = ROOT / "bench"
OUT = BENCH / "out"
# Big files pass the upload cap; the repository is importable from any child.
ENV = {**os.environ, "DASHBOARD_MAX_UPLOAD_MB": "500", "PYTHONPATH": str(ROOT)}
PORTS = range(8600, 8700)   # the ports this suite may serve on
CHART = browser.CHART


# ------------------------------------------------------------------ summaries

def spread(times: list[float]) -> str:
    return f"median {statistics.median(times):.3f} s (min {min(times):.3f} – max {max(times):.3f}, n={len(times)})"


def brief(values, digits: int = 3) -> str:
    """A median with its min–max, e.g. 0.412 (0.398–0.447)."""
    values = list(values)
    return f"{statistics.median(values):.{digits}f} ({min(values):.{digits}f}–{max(values):.{digits}f})"


def ratio_summary(ours: list[float], base: list[float]) -> dict:
    """Runs were taken in pairs (one of each, order alternating): the ratio of each pair,
    their median and spread, and the ratio of the two medians."""
    pairs = [a / b for a, b in zip(ours, base)]
    return {"median_ratio": statistics.median(pairs), "min_ratio": min(pairs), "max_ratio": max(pairs),
            "ratio_of_medians": statistics.median(ours) / statistics.median(base), "pairs": pairs}


def print_ratio(label: str, r: dict, goal: str = ""):
    print(f"{label}: median of pair ratios {r['median_ratio']:.2f} (min {r['min_ratio']:.2f} – "
          f"max {r['max_ratio']:.2f}); ratio of medians {r['ratio_of_medians']:.2f}{goal}", flush=True)


def machine() -> str:
    import platform
    load = os.getloadavg()
    return (f"{os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()}, "
            f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at start, {time.strftime('%Y-%m-%d %H:%M %Z')}")


# ------------------------------------------------------------------ data

def make_inputs(sizes=(100_000,), cases: bool = False, out: Path = OUT) -> dict[str, Path]:
    """make_data's workbooks, written once (in a child, so this process never loads numpy);
    kept while they are all there. Absolute paths: build_db keeps a database only for the
    same list of files."""
    out = Path(out).resolve()
    names = [f"survey_{n}.{kind}" for n in sizes for kind in ("xlsx", "csv")] + (["cases_1000000.csv"] if cases else [])
    if not all((out / name).exists() for name in names):
        subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; import make_data; "
                        f"make_data.make(Path({str(out)!r}), {tuple(sizes)!r}, cases={cases})"],
                       cwd=BENCH, env={**ENV, "PYTHONPATH": f"{BENCH}{os.pathsep}{ROOT}"}, check=True)
    return {name: out / name for name in names}


def cli(*args, env: dict | None = None) -> subprocess.CompletedProcess:
    """`python -m analytics ARGS` as administrators run it."""
    proc = subprocess.run([sys.executable, "-m", "analytics", *map(str, args)], cwd=ROOT, env=env or ENV,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"python -m analytics {' '.join(map(str, args))}: exit {proc.returncode}\n"
                           f"{proc.stderr[-2000:]}")
    return proc


def load_sample(db: Path):
    """The sample in an empty database, as the app's first start does it."""
    subprocess.run([sys.executable, "-c", f"from analytics import service; service.load_sample_if_new({str(db)!r})"],
                   cwd=ROOT, env=ENV, check=True)


def build_db(db: Path, files: list[Path], rebuild: bool = False) -> Path:
    """The sample, then each file imported through the command line. Kept between runs
    (a 1M + 1M database takes a minute); ``rebuild`` starts it again."""
    done = db.with_suffix(".built")
    wanted = "\n".join(str(f) for f in files)
    if not rebuild and db.exists() and done.exists() and done.read_text() == wanted:
        return db
    for stale in (db, db.with_name(db.name + ".wal"), done):
        stale.unlink(missing_ok=True)
    load_sample(db)
    for f in files:
        cli("import", f, "--db", db)
    if files:
        keep_sample_rows(db)
    done.write_text(wanted)
    return db


def keep_sample_rows(db: Path):
    """The first real import withdraws the sample (docs/design.md, "The bundled sample"), which
    would leave a large database without the sample's phone tests, dimension scores,
    targets and plan text, and its pages with nothing to draw. The sample workbook
    imported again as an ordinary file puts those rows back: the large database then
    holds everything the sample does, plus the large files."""
    path = subprocess.run([sys.executable, "-c", "from analytics import sample; print(sample.sample_path())"],
                          cwd=ROOT, env=ENV, check=True, capture_output=True, text=True).stdout.strip()
    cli("import", path, "--db", db)


# ------------------------------------------------------------------ servers

def precompile(root: Path = ROOT):
    """Byte-compile the app's own modules, as a start leaves them for the next one.
    Python writes them on first import, except where PYTHONDONTWRITEBYTECODE is set (as
    on the machine these figures were taken on): there every start would compile the
    app's modules from source, which a deployed server does once. Streamlit compiles
    app.py and the page scripts itself, every start, whatever this does."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", "analytics", "ui"], cwd=root, env=ENV, check=True,
                   stdout=subprocess.DEVNULL)



def free_port() -> int:
    """A free port of the benchmark range."""
    return browser.free_port(PORTS)


def stop_on_sigterm():
    """Turn SIGTERM into SystemExit, so that `finally` blocks stop what was started."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


class Server(browser.Server):
    """scripts/browser.py's launcher on a port of the benchmark range, with the
    benchmark's environment (big files pass the upload cap)."""

    def __init__(self, script: str, db: Path, extra_env: dict | None = None, stderr=subprocess.DEVNULL,
                 root: Path = ROOT):
        super().__init__(script, db, {**ENV, **(extra_env or {})}, stderr, root, PORTS)


def chromium(playwright):
    """Debian's Chromium (never a downloaded one)."""
    return playwright.chromium.launch(executable_path=browser.CHROMIUM, args=browser.ARGS)
