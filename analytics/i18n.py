"""The message catalogs: one JSON file per language in ``locale/``."""
from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

LANGS = ("zh", "en")
_FILES = {"zh": "zh-TW.json", "en": "en.json"}


# Texts that live beside what they name rather than in the catalog files: each
# dataset's title is in its spec (analytics/datasets), registered as dataset.<name>.
REGISTERED: dict[str, dict[str, str]] = {lang: {} for lang in LANGS}


def register(key: str, **texts: str):
    """Add ``key`` to the catalogs, one text per language (zh=…, en=…)."""
    for lang, text in texts.items():
        REGISTERED[lang][key] = text


@cache
def _files(lang: str) -> dict[str, str]:
    path = Path(__file__).with_name("locale") / _FILES[lang]
    return json.loads(path.read_text(encoding="utf-8"))


def catalog(lang: str) -> dict[str, str]:
    return {**_files(lang), **REGISTERED[lang]}


def default_lang() -> str:
    lang = os.environ.get("DASHBOARD_LANG", "zh").lower()
    return "en" if lang.startswith("en") else "zh"


# Keys asked for that a catalog lacks, as (language, key): a test runs every page and
# fails on any, since a key made at run time (f"kpi.{name}") escapes a static check.
MISSING: set[tuple[str, str]] = set()


def t(key: str, lang: str | None = None, **params) -> str:
    """The text for ``key`` in ``lang`` (Traditional Chinese by default)."""
    lang = lang if lang in LANGS else default_lang()
    if key.startswith("dataset.") and not REGISTERED[lang]:
        from . import datasets  # noqa: F401  (registers every dataset's title)
    text = REGISTERED[lang].get(key) or _files(lang).get(key)
    if text is None:
        MISSING.add((lang, key))
        text = _files("zh").get(key) or REGISTERED["zh"].get(key) or key
    if "dataset" in params:  # a dataset given by its key is said in the reader's language
        name = f"dataset.{params['dataset']}"
        if name not in REGISTERED[lang] and not REGISTERED[lang]:
            from . import datasets  # noqa: F401
        params["dataset"] = REGISTERED[lang].get(name, params["dataset"])
    return text.format(**params) if params else text
