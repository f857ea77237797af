"""Markup in a chart as the browser receives it. A figure travels as JSON, where Plotly
writes ``<`` as ``\\u003c`` (and orjson may not): a test that searches the raw text for
``<a href`` never finds it. These helpers decode the JSON first and look at every string
in it, wherever it sits, so they depend neither on JSON escaping nor on key order."""
import json
import re

# Plotly's tags that carry no attribute and fetch, link or style nothing: the line
# breaks and hover box the app's own templates use.
HARMLESS = re.compile(r"<(/?(?:br|b|i|em|sup|sub|extra)\s*/?)>", re.I)
TAG = re.compile(r"<\s*/?\s*[A-Za-z!?]")


def strings(spec, path=""):
    """(path, text) for every string value in a decoded figure."""
    if isinstance(spec, str):
        yield path, spec
    elif isinstance(spec, dict):
        for key, value in spec.items():
            yield from strings(value, f"{path}.{key}")
    elif isinstance(spec, list):
        for i, value in enumerate(spec):
            yield from strings(value, f"{path}[{i}]")


def decoded(spec) -> dict:
    """A figure as a plain dict: from JSON text (Streamlit's ``proto.spec``, ``to_json``) or
    a figure object."""
    if isinstance(spec, (str, bytes)):
        return json.loads(spec)
    if hasattr(spec, "to_json"):
        return json.loads(spec.to_json())
    return spec


def raw_markup(spec) -> list[tuple[str, str]]:
    """Every string Plotly would read as a tag other than a harmless one."""
    return [(path, text) for path, text in strings(decoded(spec)) if TAG.search(HARMLESS.sub("", text))]
