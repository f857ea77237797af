"""Every page of the app, in one list that app.py registers and that the tests and
scripts import (never parsed out of app.py's source). Nothing here imports Streamlit.

A page's URL path must differ from its file's stem: Streamlit still maps
/<file stem> to pages/<file stem>.py on a session's first request, which would run the
page without the shared frame (the sidebar filters, the sample banner). ``check``
refuses such a registry when it is imported, and a test imports it."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Page:
    path: str           # pages/<name>.py, relative to the project
    title: str          # its title's message key
    icon: str
    slug: str           # its URL path ("" for the first, the default page, at "/")
    charts: bool        # it draws charts, each with its sentence and table

    @property
    def url(self) -> str:
        return "" if self is PAGES[0] else self.slug


PAGES: tuple[Page, ...] = (
    Page("pages/overview.py", "page.overview", ":material/dashboard:", "kpi-overview", True),
    Page("pages/cases.py", "page.cases", ":material/stacked_line_chart:", "case-volumes", True),
    Page("pages/satisfaction.py", "page.satisfaction", ":material/sentiment_satisfied:", "satisfaction-survey", True),
    Page("pages/phone.py", "page.phone", ":material/call:", "phone-courtesy", True),
    Page("pages/dimensions.py", "page.dimensions", ":material/radar:", "dimension-scores", True),
    Page("pages/compare.py", "page.compare", ":material/compare_arrows:", "year-over-year", True),
    Page("pages/report.py", "page.report", ":material/description:", "annual-report", False),
    Page("pages/data_import.py", "page.import", ":material/upload_file:", "data-import", False),
)


def check(pages: tuple[Page, ...]) -> tuple[Page, ...]:
    """The registry as app.py needs it, or ValueError saying what is wrong."""
    slugs = [p.slug for p in pages]
    if len(set(slugs)) != len(slugs) or len({p.path for p in pages}) != len(pages):
        raise ValueError("two pages share a file or a URL path")
    for page in pages:
        if page.slug == Path(page.path).stem:
            raise ValueError(f"{page.path}: its URL path equals its file stem, so a first visit would skip the frame")
        if not (ROOT / page.path).is_file():
            raise ValueError(f"{page.path}: no such page")
    return pages


check(PAGES)


def by_url() -> dict[str, Page]:
    """URL path → page ("" for the default page)."""
    return {p.url: p for p in PAGES}
