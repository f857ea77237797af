"""Issue 22, first and second points: the command-line import as a process ÷ a process
that only reads the same file to Arrow, in alternating pairs in one run; and the peak
memory of the whole import (the command and its parse child together).

    python bench/import_ratio.py [--format xlsx|ods|xls|csv …] [--rows 100000] [--reps 7] [--warmup 1]
                                 [--root OLDER_CHECKOUT …] [--memory] [--out bench/out]

Each pair runs, in alternating order,
  ours:     python -m analytics import FILE --db <a new file in a new temporary folder>
  baseline: the same file read to Arrow and nothing else:
            .xlsx, .ods  python -c "import fastexcel; fastexcel.read_excel(F).load_sheet(0).to_arrow()"
            .xls         the same for every sheet (an .xls sheet holds at most 65,536 rows:
                         make_data splits the rows over sheets of 50,000)
            .csv         python -c "import pyarrow.csv as c; c.read_csv(F, read_options=c.ReadOptions(
                         encoding='cp950', skip_rows=1))" (Arrow's CSV reader; fastexcel reads no
                         CSV; the title row skipped, as Arrow's reader cannot take a shorter row)
on make_data's survey rows (ROC text dates in two forms, office nicknames, Likert words
beside digits, blanks, a title row): survey_<rows>.xlsx, .ods, .xls and
survey_<rows>_big5.csv (`python bench/make_data.py --formats <rows>` writes the last
three). Both sides get the same environment. Prints every pair, each side's median and
spread, the median of the pair ratios with their min–max (the goal: ≤ 2.0), the ratio
of the medians, and the load average before and after; and the same for CPU seconds
(user + system of the process and the children it reaped, from wait4), which a busy
machine disturbs far less than wall seconds (with free cores the wall ratio comes out
below the CPU ratio: the import's processes run at once).

--memory  instead of timing, samples every 10 ms the proportional set size (PSS: a page
          the command and its child share counts half to each) of the command and every
          process under it, and prints the largest sum and each process's own peak
          (VmHWM); sampling costs time, so these runs are not the timed ones.
--root DIR (repeatable) also times the import of another checkout (an older version,
          `git archive COMMIT | tar -x -C DIR`) in every pair, beside the two above.
--source  the checkouts' modules are not byte-compiled first: every import compiles
          them from source, as on a machine with PYTHONDONTWRITEBYTECODE=1 and stale or
          no __pycache__ (by default they are compiled first, as an installed package's
          are and any earlier run leaves them; the baseline's are, in site-packages).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import ENV, OUT, ROOT, brief, machine, precompile, print_ratio, ratio_summary, spread  # noqa: E402

FORMATS = ("xlsx", "ods", "xls", "csv")


def data_file(out: Path, rows: int, kind: str) -> Path:
    """make_data's survey rows in format ``kind``, written on first use (in a child, so
    this process stays small)."""
    name = f"survey_{rows}_big5.csv" if kind == "csv" else f"survey_{rows}.{kind}"
    path = out / name
    if not path.exists():
        make = f"from pathlib import Path; import make_data; make_data.make_formats(Path({str(out)!r}), {rows})" \
            if kind != "xlsx" else \
            f"from pathlib import Path; import make_data; make_data.make(Path({str(out)!r}), ({rows},), cases=False)"
        subprocess.run([sys.executable, "-c", make], cwd=ROOT / "bench",
                       env={**ENV, "PYTHONPATH": f"{ROOT / 'bench'}{os.pathsep}{ROOT}"}, check=True)
    return path


def baseline_code(path: Path, kind: str) -> str:
    if kind == "csv":
        return ("import pyarrow.csv as c; "
                f"c.read_csv({str(path)!r}, read_options=c.ReadOptions(encoding='cp950', skip_rows=1))")
    if kind == "xls":
        return (f"import fastexcel; r = fastexcel.read_excel({str(path)!r}); "
                "[r.load_sheet(i).to_arrow() for i in range(len(r.sheet_names))]")
    return f"import fastexcel; fastexcel.read_excel({str(path)!r}).load_sheet(0).to_arrow()"


def timed_process(argv: list[str], cwd: Path, memory: bool = False) -> tuple[float, dict, str]:
    """Wall seconds from spawn to reaping, memory figures (MB), and its stdout. Raises
    when it fails."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, env=ENV, stdout=out, stderr=err)
        sampler = Sampler(proc.pid) if memory else None
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        if sampler is not None:
            sampler.stop()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text = out.read().decode("utf-8", "replace")
        if proc.returncode != 0:
            raise RuntimeError(f"{argv[:4]}… exit {proc.returncode}: {err.read().decode('utf-8', 'replace')[-2000:]}")
    # ru_maxrss: the largest of the process and the children it reaped (the parse child);
    # CPU seconds: the process and those children together
    figures = {"ru_maxrss_mb": usage.ru_maxrss / 1024, "cpu_s": usage.ru_utime + usage.ru_stime}
    if sampler is not None:
        figures.update(sampler.figures())
    return elapsed, figures, text


class Sampler:
    """Every 10 ms: the PSS of a process and of every process under it, summed, and each
    one's VmHWM (its own peak RSS), read from /proc until the process ends."""

    def __init__(self, pid: int):
        self.pid, self.peak_sum, self.hwm, self.running = pid, 0, {}, True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _tree(self) -> list[int]:
        pids, queue = [], [self.pid]
        while queue:
            pid = queue.pop()
            pids.append(pid)
            try:
                for task in os.listdir(f"/proc/{pid}/task"):
                    with open(f"/proc/{pid}/task/{task}/children") as fh:
                        queue.extend(int(c) for c in fh.read().split())
            except OSError:
                pass
        return pids

    def _run(self):
        while self.running:
            total = 0
            for pid in self._tree():
                try:
                    with open(f"/proc/{pid}/smaps_rollup") as fh:
                        total += next(int(line.split()[1]) for line in fh if line.startswith("Pss:"))
                    with open(f"/proc/{pid}/status") as fh:
                        hwm = next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))
                    self.hwm[pid] = max(self.hwm.get(pid, 0), hwm)
                except (OSError, StopIteration):
                    continue
            self.peak_sum = max(self.peak_sum, total)
            time.sleep(0.01)

    def stop(self):
        self.running = False
        self.thread.join()

    def figures(self) -> dict:
        hwm = sorted(self.hwm.items())
        return {"peak_pss_sum_mb": self.peak_sum / 1024,
                "hwm_mb": {("command" if pid == self.pid else f"child {pid}"): kb / 1024 for pid, kb in hwm}}


def run_import(path: Path, rows: int, root: Path = ROOT, memory: bool = False) -> tuple[float, dict]:
    with tempfile.TemporaryDirectory(prefix="bench_import_") as tmp:
        elapsed, figures, text = timed_process(
            [sys.executable, "-m", "analytics", "import", str(path), "--db", str(Path(tmp) / "fresh.duckdb")], root,
            memory)
    if f"{rows:,}" not in text:
        raise RuntimeError(f"the import did not report {rows:,} rows: {text[-500:]}")
    return elapsed, figures


def run_baseline(path: Path, kind: str, memory: bool = False) -> tuple[float, dict]:
    elapsed, figures, _ = timed_process([sys.executable, "-c", baseline_code(path, kind)], ROOT, memory)
    return elapsed, figures


def measure(path: Path, kind: str, rows: int, reps: int, warmup: int, roots: list[Path] = (),
            memory: bool = False) -> dict:
    for _ in range(warmup):   # page cache, .pyc files: not what either side is measured on
        run_baseline(path, kind)
        run_import(path, rows)
        for root in roots:
            run_import(path, rows, root)
    ours, base, ours_mem, base_mem = [], [], [], []
    older = {str(root): [] for root in roots}
    older_cpu = {str(root): [] for root in roots}
    for i in range(reps):
        for root in roots:   # between the pairs, so each pair stays back to back
            t, figures = run_import(path, rows, root)
            older[str(root)].append(t)
            older_cpu[str(root)].append(figures["cpu_s"])
        order = ("baseline", "import") if i % 2 == 0 else ("import", "baseline")
        for which in order:
            if which == "import":
                t, figures = run_import(path, rows, memory=memory)
                ours.append(t)
                ours_mem.append(figures)
            else:
                t, figures = run_baseline(path, kind, memory=memory)
                base.append(t)
                base_mem.append(figures)
        extra = ""
        if memory:
            extra = (f"; PSS of the import's processes together {ours_mem[-1]['peak_pss_sum_mb']:.0f} MB "
                     f"(own peaks {', '.join(f'{k} {v:.0f}' for k, v in ours_mem[-1]['hwm_mb'].items())}), "
                     f"baseline {base_mem[-1]['peak_pss_sum_mb']:.0f} MB")
        print(f"pair {i + 1}/{reps} ({order[0]} first): import {ours[-1]:.3f} s, baseline {base[-1]:.3f} s, "
              f"ratio {ours[-1] / base[-1]:.3f} (CPU s: {ours_mem[-1]['cpu_s']:.2f} ÷ {base_mem[-1]['cpu_s']:.2f})"
              f"{extra}", flush=True)
    return {"file": path.name, "format": kind, "rows": rows, "reps": reps, "import_s": ours, "baseline_s": base,
            "baseline": baseline_code(path, kind),
            "older": {root: {"import_s": times, **ratio_summary(times, base),
                             "cpu": ratio_summary(older_cpu[root], [m["cpu_s"] for m in base_mem])}
                      for root, times in older.items()},
            "import_memory": ours_mem, "baseline_memory": base_mem, **ratio_summary(ours, base)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--format", action="append", choices=FORMATS, help="file format (repeatable; default xlsx)")
    ap.add_argument("--rows", type=int, default=100_000, help="make_data's survey rows (default 100,000)")
    ap.add_argument("--reps", type=int, default=7, help="pairs of runs (default 7)")
    ap.add_argument("--warmup", type=int, default=1, help="untimed pairs first (default 1)")
    ap.add_argument("--root", action="append", default=[], help="another checkout's import, timed in the same rounds")
    ap.add_argument("--memory", action="store_true", help="sample memory instead of timing")
    ap.add_argument("--source", action="store_true", help="no byte-compiling first (see above)")
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args()
    out = Path(args.out).resolve()   # children run in bench/: a relative folder would be another one there
    out.mkdir(parents=True, exist_ok=True)
    if not args.source:
        for root in (ROOT, *args.root):
            precompile(Path(root))
    results = []
    for kind in args.format or ["xlsx"]:
        path = data_file(out, args.rows, kind)
        print(f"machine: {machine()}")
        print(f"file: {path} ({path.stat().st_size / 1e6:.1f} MB, {args.rows:,} survey rows)")
        print(f"baseline: python -c {baseline_code(path, kind)!r}", flush=True)
        print("modules: " + ("compiled from source at every run (--source)" if args.source else
                             "byte-compiled first, as an earlier run leaves them"), flush=True)
        r = measure(path, kind, args.rows, args.reps, args.warmup, [Path(root).resolve() for root in args.root],
                    args.memory)
        print(f"import   {spread(r['import_s'])}")
        print(f"baseline {spread(r['baseline_s'])}")
        cpu = ratio_summary([m["cpu_s"] for m in r["import_memory"]], [m["cpu_s"] for m in r["baseline_memory"]])
        print_ratio(f"{kind}: CPU seconds (process and its reaped children), import ÷ baseline", cpu,
                    " (not the goal: the import's two processes run at once)")
        print_ratio(f"{kind}: import ÷ reading the file to Arrow, as processes", r, " (goal ≤ 2.0)")
        if args.memory:
            sums = [m["peak_pss_sum_mb"] for m in r["import_memory"]]
            print(f"peak PSS of the import's processes together, MB: {brief(sums, 0)}; baseline "
                  f"{brief((m['peak_pss_sum_mb'] for m in r['baseline_memory']), 0)}")
        for root, older in r["older"].items():
            print(f"import of {root}: {spread(older['import_s'])}")
            print_ratio(f"import of {root} ÷ the same baseline", older, "")
            print_ratio(f"import of {root}: CPU seconds ÷ the same baseline's", older["cpu"], "")
        load = os.getloadavg()
        print(f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", flush=True)
        results.append(r)
        suffix = "_memory" if args.memory else ""
        (out / f"import_ratio_{kind}_{args.rows}{suffix}.json").write_text(json.dumps(r, indent=1))
    return results


if __name__ == "__main__":
    main()
