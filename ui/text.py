"""Text from files and users, made safe for where it is shown.

Streamlit reads Markdown (with its own :directives: and LaTeX) in titles, captions,
alerts, expander and widget labels; Plotly reads a little HTML (``<a href>``, ``<b>``,
``<br>``) in every label and hover. A file name like ``![f](http://…/x.png).csv``, a
case type like ``<a href=…>`` or a sheet name with ``**`` must appear as written,
never fetched, linked or styled. Every string that comes from data passes through
``md`` (for Markdown) on its way to the screen; the catalog's own text is ours and is
not escaped. A chart is escaped whole, at the one place every figure passes
(``ui.charts.chart`` → ``safe_figure``): every string in it, whoever wrote it, since a
chart's labels mix the catalog's words with names from files.
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


# Plotly's pseudo-HTML in a template the app writes (hovertemplate, texttemplate): line
# breaks, the hover's <extra> box and plain emphasis, with no attribute. Anything else
# there — a link, a <span style=…>, a tag with attributes — shows as written.
_TEMPLATE_TAG = re.compile(r"&lt;(/?(?:br|b|i|em|sup|sub|extra)\s*/?)&gt;", re.I)
# Strings that are no text on screen and may hold "&" (an image's URL).
_NOT_TEXT = frozenset({"source"})
_ESCAPED = "_dashboard_escaped"
# A line break in a label (ui.figures wraps long names with "\n") becomes Plotly's
# <br> once the text around it is escaped: the only tag a label ever gains.
_LINE = re.compile(r"\r\n|[\r\n\u2028\u2029]")


def _template(value: str) -> str:
    return _TEMPLATE_TAG.sub(r"<\1>", html.escape(value, quote=False))


def _escaped(value, template: bool = False):
    """``value`` with every string in it HTML-escaped (a template keeps its own few
    tags); the very same object when nothing needed escaping, so the caller writes back
    only what changed."""
    if isinstance(value, str):
        new = _template(value) if template else _LINE.sub("<br>", html.escape(value, quote=False))
        return value if new == value else new
    if isinstance(value, dict):
        out, changed = {}, False
        for key, item in value.items():
            if key in _NOT_TEXT:
                out[key] = item
                continue
            new = _escaped(item, template or (isinstance(key, str) and key.endswith("template")))
            changed |= new is not item
            out[key] = new
        return out if changed else value
    if isinstance(value, (list, tuple)):
        items = [_escaped(v, template) for v in value]
        return type(value)(items) if any(a is not b for a, b in zip(items, value)) else value
    if hasattr(value, "dtype") and getattr(value.dtype, "kind", "") in "OUS":   # numpy arrays of text
        items = [_escaped(v, template) for v in value.tolist()]
        return items if any(a is not b for a, b in zip(items, value.tolist())) else value
    return value


def safe_figure(fig):
    """Escape every string of a Plotly figure in place, then return it: every trace
    attribute (values, names, text, hover text, custom data, labels) and every layout
    attribute (titles, axis titles, tick and category labels, every annotation — the
    names above bars and subplot titles among them —, legend and colour-bar titles,
    shape labels, meta), wherever it sits, so a string from a file is shown as written
    and never read as Plotly's HTML. Templates (``hovertemplate``, ``texttemplate``)
    keep the bare tags the app writes (``<br>``, ``<extra>``, ``<b>``) and lose the rest;
    elsewhere a line break becomes ``<br>``, after the escaping, so a wrapped name
    breaks where ``ui.figures`` broke it.
    It walks the figure as Plotly serialises it rather than a list of known places, so a
    place added later is escaped too. A figure is escaped once (again would show
    ``&amp;lt;``)."""
    if getattr(fig, _ESCAPED, False):
        return fig
    for trace in fig.data:
        spec = trace.to_plotly_json()
        for key, value in spec.items():
            new = _escaped(value, key.endswith("template"))
            if new is not value:
                trace[key] = new
    layout = fig.layout.to_plotly_json()
    for key, value in layout.items():
        new = _escaped(value, key.endswith("template"))
        if new is not value:
            fig.layout[key] = new
    setattr(fig, _ESCAPED, True)
    return fig
