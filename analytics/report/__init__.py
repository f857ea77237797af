"""The half-year and annual results report (執行績效與成果) in the seed's layout:
the title with the branch's name, 壹–參 from the plan text, 肆 with one three-column
table per dimension (執行策略 | 主辦單位 | 執行績效與成果) and the period's figures
beside it, 伍–捌 from the plan text, and an appendix of every figure.

``build`` gathers what the report says (``model``), ``outline`` words it once as
blocks, and one module per format typesets it: ``odt`` (odfpy), ``word`` (.docx,
python-docx), ``web`` (HTML), ``sheets`` (.xlsx, .ods)."""
from __future__ import annotations

import logging
import re

from .model import Report, build
from .outline import missing_lines

log = logging.getLogger("dashboard.report")

FORMATS = ("odt", "docx", "xlsx", "ods", "html")
MIME = {
    "odt": "application/vnd.oasis.opendocument.text",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "html": "text/html",
}


def render(r: Report, fmt: str) -> bytes:
    """The report as the bytes of a file in ``fmt`` (one of FORMATS)."""
    if fmt == "html":
        from .web import to_html
        return to_html(r).encode("utf-8")
    if fmt == "odt":
        from .odt import to_odt
        return to_odt(r)
    if fmt == "docx":
        from .word import to_docx
        return to_docx(r)
    if fmt == "xlsx":
        from .sheets import to_xlsx
        return to_xlsx(r)
    if fmt == "ods":
        from .sheets import to_ods
        return to_ods(r)
    raise ValueError(f"unknown report format {fmt!r}")


def file_name(r: Report) -> str:
    """A file name without extension: the title, each run of spaces, commas, dashes
    between words and what file systems refuse made one _ (…臺南分局_service-efficiency_
    results_ROC_113_(2024), not …臺南分局__service-efficiency_results,_ROC…)."""
    return re.sub(r'(?:\s[—–-]\s|[\\/:*?"<>|\s\x00-\x1f]|,(?=\s))+', "_", r.title).strip("._ ") or "report"


def outputs(con, year: int, half: int | None = None, lang: str = "zh") -> dict:
    """The report in every format, for the report page (cache it as one value):
    ``{fmt: bytes for fmt in FORMATS} | {"mime": MIME, "file": name, "title": …,
    "missing": [lines], "sample": bool, "failed": [formats]}``. A format whose writer
    fails is None and listed in ``failed``, its traceback logged (logger
    ``dashboard.report``): the page still offers every other format, rather than one
    writer's error taking the whole page down for everyone."""
    built = build(con, year, half, lang)
    out: dict = {}
    failed = []
    for fmt in FORMATS:
        try:
            out[fmt] = render(built, fmt)
        except Exception:   # noqa: BLE001 - one writer's failure must not cost the other formats
            log.exception("report %s for %s (half %s) could not be written", fmt, year, half)
            out[fmt] = None
            failed.append(fmt)
    out.update(mime=dict(MIME), file=file_name(built), title=built.title, missing=missing_lines(built),
               sample=built.sample, failed=failed)
    return out


__all__ = ["FORMATS", "MIME", "Report", "build", "file_name", "missing_lines", "outputs", "render"]
