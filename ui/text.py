"""Text from files and users, made safe for where it is shown.

Streamlit reads Markdown (with its own :directives: and LaTeX) in titles, captions,
alerts, expander and widget labels; Plotly reads a little HTML (``<a href>``, ``<b>``,
``<br>``) in every label and hover. A file name like ``![f](http://…/x.png).csv``, a
case type like ``<a href=…>`` or a sheet name with ``**`` must appear as written,
never fetched, linked or styled. Every string that comes from data passes through
``md`` (for Markdown) or ``plot`` (for charts) on its way to the screen; the catalog's
own text is ours and is not escaped.
"""
from __future__ import annotations

import html
import re

# Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping
# all of them also defuses Streamlit's :material/…: and :red[…] directives and $math$.
_MARKDOWN = re.compile(r"([!-/:-@\[-`{-~])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")
# GitHub-flavoured Markdown turns a bare http://…, www.… or name@host into a link even
# when every character is escaped (the autolinker reads the text after the escapes).
# An invisible zero-width space keeps them words: "http\u200b://", "www\u200b.", "\u200b@".
_AUTOLINK = re.compile(r"(?i)\b(https?|ftp|mailto|www)(?=[:.])|(?=@)")


def md(value) -> str:
    """``value`` as literal text inside Streamlit Markdown (one line, no link made)."""
    text = _LINE_BREAKS.sub(" ", "" if value is None else str(value))
    text = _AUTOLINK.sub(lambda m: (m.group(1) or "") + "\u200b", text)
    return _MARKDOWN.sub(r"\\\1", text)


def plot(value):
    """A label for a Plotly chart: HTML-escaped, so tags show as written. Non-text
    values pass through unchanged."""
    return html.escape(value, quote=False) if isinstance(value, str) else value


_TRACE_TEXT = ("x", "y", "text", "hovertext", "customdata", "labels", "parents", "ids", "r", "theta", "name",
               "legendgroup")


def _escape_all(value):
    if isinstance(value, str):
        return plot(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_escape_all(v) for v in value)
    if hasattr(value, "dtype") and getattr(value.dtype, "kind", "") in "OUT":   # numpy arrays of text
        return [_escape_all(v) for v in value.tolist()]
    return value


def safe_figure(fig):
    """Escape every data-derived string of a Plotly figure in place (trace values,
    names, hover data; axis category orders and tick labels), then return it.
    Templates written by the app (hovertemplate, titles) are left as they are."""
    for trace in fig.data:
        for attr in _TRACE_TEXT:
            if attr in trace and trace[attr] is not None:
                try:
                    trace[attr] = _escape_all(trace[attr])
                except ValueError:   # an attribute that refuses lists (kept as given)
                    pass
    layout = fig.layout
    for name in [k for k in layout.to_plotly_json() if k.startswith(("xaxis", "yaxis"))]:
        axis = layout[name]
        for attr in ("categoryarray", "ticktext"):
            if axis[attr] is not None:
                axis[attr] = _escape_all(list(axis[attr]))
    if layout.polar and layout.polar.angularaxis and layout.polar.angularaxis.categoryarray is not None:
        layout.polar.angularaxis.categoryarray = _escape_all(list(layout.polar.angularaxis.categoryarray))
    return fig
