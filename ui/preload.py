"""Start fetching the frontend modules the first page needs when a session opens, not
when their elements arrive.

Streamlit's frontend loads each kind of element's code (Plotly's 4.7 MB chart module,
the KPI card's, each sidebar widget's) only when the first element of that kind reaches
the browser, and shows the elements of a page together once every such module has
loaded and run: on 總覽 the first chart waited for the cards' and the filters' modules,
each fetched only as the script reached it. One line of script, sent as the session's
first element (app.py sends it before it imports anything of its own), imports those
modules from where the frontend itself would (the folder of its main script), so that
they are fetched and run while the server works on the page; the elements then find
them loaded (the browser keeps one instance per module address).

The chart's module goes alone first and the others once it has run: the browser runs
modules on one thread, and small ones finishing their download first would make the
chart's wait behind them. The table's module (1.3 MB) is not fetched: 總覽, where a
session opens, draws no table on its first screen (its tables start closed), and running
it ahead cost that first chart ~0.1 of the cold start's ratio (bench/RESULTS.md §0c). A
session opened on a page that shows a table at once (年度比較's comparison table) fetches
it when the table arrives, as Streamlit does by default.

Nothing from data or users is in the script. If a Streamlit release names a module
differently, it is left out and loads as before; tests/unit/test_speed_guards.py
notices the names changed.
"""
from __future__ import annotations

import json
from pathlib import Path

import streamlit as st

_FOLDER = Path(st.__file__).parent / "static" / "static" / "js"
# The chart first: it is the largest and the one the cold start waits for. Then what
# the first screen draws beside it: 總覽's KPI cards and the sidebar's filters (a radio,
# a checkbox, a slider and multiselects on every page: ui/filters.py).
FIRST = "PlotlyChart"
THEN = ("Metric", "Radio", "Checkbox", "Slider", "Multiselect")
KINDS = (FIRST, *THEN)


def module_for(kind: str) -> str | None:
    """The file name of the installed frontend's module for ``kind``, if exactly one."""
    found = sorted(_FOLDER.glob(f"{kind}.*.js"))
    return found[0].name if len(found) == 1 else None


MODULES = tuple(m for m in (module_for(kind) for kind in KINDS) if m is not None)
CHART_MODULE = module_for("PlotlyChart")


def script(modules: tuple[str, ...] | str) -> str:
    """Hidden HTML whose script imports ``modules`` beside the frontend's main script:
    the first, then (once it has run, or failed) the rest."""
    names = [modules] if isinstance(modules, str) else list(modules)
    return ("<style>.st-key-preload_charts { display: none; }</style><script>(function () {"
            "var main = document.querySelector('script[type=module][src]');"
            "function load(m) { return import(new URL(m, main.src).href).catch(function () {}); }"
            f"if (main) {{ var names = {json.dumps(names)};"
            "load(names[0]).then(function () { names.slice(1).forEach(load); }); }"
            "})();</script>")


def skip_repl_probe() -> None:
    """Spare the process's first element Streamlit's check for a Python prompt.

    The first element a server process sends asks whether it runs at an interactive
    prompt (to print a hint there), by ``inspect.stack()``: every frame of the script
    thread with its source line, which looks up the module of each among all those
    loaded — 0.1–0.3 s on this 2-core machine, on the cold start's path before the
    preload below goes out (bench/RESULTS.md). Under ``streamlit run`` the answer is
    always no and no hint would be printed, so where the runtime exists the check is
    marked done. If a Streamlit release renames the flag nothing happens;
    tests/unit/test_speed_guards.py notices."""
    from streamlit import delta_generator, runtime
    if runtime.exists() and hasattr(delta_generator, _PROBED):
        setattr(delta_generator, _PROBED, True)


_PROBED = "_use_warning_has_been_displayed"


def charts() -> None:
    """On a session's first run: start loading the modules."""
    skip_repl_probe()
    if not MODULES or st.session_state.get("_charts_preloaded"):
        return
    st.session_state["_charts_preloaded"] = True
    with st.container(key="preload_charts"):
        st.html(script(MODULES), unsafe_allow_javascript=True)
