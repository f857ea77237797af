"""Start fetching the chart library when a session's page opens, not when its first
chart arrives.

Streamlit's frontend loads Plotly (one 4.7 MB module, PlotlyChart.<hash>.js) only when
the first chart element reaches the browser, which on 總覽 comes after the sidebar,
the sample check and the KPI cards. One line of script, run as the session's first
element, imports that module from where the frontend itself would (the folder of its
main script), so it is fetched and evaluated while the server works on the page; the
chart then finds it loaded (the browser keeps one instance per module address). In
Chromium this brought the first chart 0.14 s sooner (bench/RESULTS.md §5.2).

Nothing from data or users is in the script. If a Streamlit release names the module
differently, nothing is added and charts load as before; tests/unit/test_speed_guards.py
notices the name changed.
"""
from __future__ import annotations

import json
from pathlib import Path

import streamlit as st

_FOLDER = Path(st.__file__).parent / "static" / "static" / "js"


def chart_module() -> str | None:
    """The file name of the installed frontend's Plotly module, if exactly one."""
    found = sorted(_FOLDER.glob("PlotlyChart.*.js"))
    return found[0].name if len(found) == 1 else None


CHART_MODULE = chart_module()


def script(module: str) -> str:
    """Hidden HTML whose script imports ``module`` beside the frontend's main script."""
    return ("<style>.st-key-preload_charts { display: none; }</style><script>(function () {"
            "var main = document.querySelector('script[type=module][src]');"
            f"if (main) {{ import(new URL({json.dumps(module)}, main.src).href).catch(function () {{}}); }}"
            "})();</script>")


def charts() -> None:
    """On a session's first run: start loading the chart library."""
    if CHART_MODULE is None or st.session_state.get("_charts_preloaded"):
        return
    st.session_state["_charts_preloaded"] = True
    with st.container(key="preload_charts"):
        st.html(script(CHART_MODULE), unsafe_allow_javascript=True)
