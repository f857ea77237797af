"""Does orjson make the app's figures serialise faster? (issue 18)

Streamlit turns every chart into JSON with plotly.io.to_json, which uses orjson when it
is installed. This runs every chart page under AppTest on a database holding the
sample, keeps the figures each page sends, then times plotly.io.to_json on exactly
those figures with the json engine and with orjson, alternating, and also a whole
page rerun with each engine. Prints medians, spread and the orjson ÷ json ratio.

    pip install orjson   # only to measure: the app does not depend on it
    python bench/figure_json.py [--rounds 7]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from harness import machine, print_ratio, ratio_summary  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args()
    try:
        import orjson  # noqa: F401
    except ImportError:
        sys.exit("orjson is not installed: pip install orjson to compare (the app does not need it)")
    import os

    import plotly.io as pio
    from streamlit.testing.v1 import AppTest

    from analytics import service
    from ui.registry import PAGES

    db = Path(tempfile.mkdtemp()) / "figures.duckdb"
    os.environ["DASHBOARD_DB"] = str(db)
    service.load_sample_if_new(db)

    figures = {}
    real = pio.to_json

    def keep(fig, *a, **kw):
        figures.setdefault(current, []).append(fig)
        return real(fig, *a, **kw)

    pio.to_json = keep
    for page in (p for p in PAGES if p.charts):
        current = page.path
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        at.run()
        at.switch_page(page.path).run()
    pio.to_json = real

    print(machine())
    for page, figs in figures.items():
        times = {"json": [], "orjson": []}
        for r in range(args.rounds):
            for engine in (("json", "orjson") if r % 2 else ("orjson", "json")):
                started = time.perf_counter()
                for _ in range(20):
                    for fig in figs:
                        pio.to_json(fig, validate=False, engine=engine)
                times[engine].append((time.perf_counter() - started) / 20 * 1000)
        print(f"{page}: {len(figs)} figures, to_json per page: json {statistics.median(times['json']):.2f} ms, "
              f"orjson {statistics.median(times['orjson']):.2f} ms")
        print_ratio("  orjson ÷ json", ratio_summary(times["orjson"], times["json"]))

    reruns = {"json": [], "orjson": []}
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    at.switch_page("pages/cases.py").run()
    for r in range(args.rounds):
        for engine in (("json", "orjson") if r % 2 else ("orjson", "json")):
            pio.json.config.default_engine = engine
            started = time.perf_counter()
            at.run()
            reruns[engine].append(time.perf_counter() - started)
    print(f"pages/cases.py rerun: json {statistics.median(reruns['json']):.3f} s, "
          f"orjson {statistics.median(reruns['orjson']):.3f} s")
    print_ratio("  orjson ÷ json, whole rerun", ratio_summary(reruns["orjson"], reruns["json"]))


if __name__ == "__main__":
    main()
