"""The report as offices and the website meet it: LibreOffice (the suite many agencies
use) opens every .odt, .docx, .xlsx and .ods report and prints it to PDF with the
figures in it; Chromium prints the HTML report on A4 without near-empty pages or
headings left at the foot of a page, and axe-core finds no serious or critical WCAG
2.1 A/AA violation. Without LibreOffice or Chromium these skip loudly, and fail under
CI=true (.ci/run installs both)."""
import importlib
import os
import re
import shutil
import subprocess
import unicodedata

import pytest

from analytics import report
from report_files import parse_html, pdf_pages
from scripts.browser import CHROMIUM, chromium

CI = os.environ.get("CI") == "true"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
# The seed's ROC 110 figures, as its text writes them.
SEED = ("4,198", "357", "1,593", "3,025", "2,712,840", "803", "548", "264", "1,992", "512", "83", "73", "48")


def need(tool, name: str, install: str):
    if tool is None:
        if CI:
            pytest.fail(f"CI=true but no {name}: .ci/run must install {install}")
        pytest.skip(f"NO {name.upper()} FOUND: report printing tests skipped ({install})")


@pytest.fixture(scope="module")
def roc110(sample_con):
    if not CI:
        pytest.importorskip("pypdf")     # under CI=true a missing pypdf fails at its import below
    return report.build(sample_con, 2021)


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


# ------------------------------------------------------------------ LibreOffice

@pytest.fixture(scope="module")
def office_pdfs(roc110, tmp_path_factory):
    need(SOFFICE, "LibreOffice", "apt-get install libreoffice-writer-nogui libreoffice-calc-nogui")
    folder = tmp_path_factory.mktemp("office")
    files = []
    for fmt in ("odt", "docx", "xlsx", "ods"):
        path = folder / f"report_{fmt}.{fmt}"
        path.write_bytes(report.render(roc110, fmt))
        files.append(path)
    profile = (folder / "profile").as_uri()    # a profile of its own: never the user's, never shared
    done = subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                           "--outdir", str(folder), *map(str, files)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return {path.suffix[1:]: path.with_suffix(".pdf") for path in files}


@pytest.mark.parametrize("fmt", ["odt", "docx", "xlsx", "ods"])
def test_libreoffice_prints_each_report_with_the_figures(office_pdfs, fmt):
    pdf = office_pdfs[fmt]
    assert pdf.exists(), f"LibreOffice made no PDF of the .{fmt} report"
    pages = pdf_pages(pdf)
    text = "\n".join(pages)
    missing = [figure for figure in SEED if figure not in text]
    assert not missing, (fmt, missing)
    assert "示範資料" in pages[0]                       # on the first page
    if fmt in ("odt", "docx"):
        assert len(pages) >= 3 and "1" in pages[0]     # a document, paginated
        assert re.search(r"第\s*1\s*頁", pages[0]) and re.search(rf"共\s*{len(pages)}\s*頁", pages[-1])


# A sentence whose numbers a line may end beside, shifted one character further in each
# paragraph (and each cell), so that in one of them or another the line ends at every
# place inside each number: if a break is possible there, LibreOffice takes it.
STRESS = "計 8,642,197 件，比率 97.35%，增加 +4.7%，期間 1–6 月，民國 113 年，共 36,051.5 分。"
TOKENS = ("8,642,197", "97.35%", "+4.7%", "1–6", "113", "36,051.5")
SHIFTS = 46                                  # a full line of 11 pt characters on A4, and more


@pytest.fixture(scope="module")
def stress_pdfs(tmp_path_factory):
    need(SOFFICE, "LibreOffice", "apt-get install libreoffice-writer-nogui")
    if not CI:
        pytest.importorskip("pypdf")
    from analytics import importer, store
    from conftest import write_xlsx
    folder = tmp_path_factory.mktemp("breaks")
    plan = [["年度", "章節", "內容"]] + [[110, "貳、計畫目標", "甲" * k + STRESS] for k in range(SHIFTS)]
    strategies = [["年度", "構面", "項目", "執行策略", "主辦單位", "執行績效與成果"]] + \
        [[110, "基礎服務", "服務一致及正確性", f"策略{k}", "第一課", "乙" * k + STRESS] for k in range(SHIFTS // 2)]
    con = store.connect(":memory:")
    importer.import_file(con, write_xlsx(folder / "stress.xlsx", {"計畫內容": plan, "策略": strategies}))
    files = []
    for lang in ("zh", "en"):
        built = report.build(con, 2021, lang=lang)
        for fmt in ("odt", "docx"):
            path = folder / f"stress_{lang}_{fmt}.{fmt}"
            path.write_bytes(report.render(built, fmt))
            files.append(path)
    con.close()
    profile = (folder / "profile").as_uri()
    done = subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                           "--outdir", str(folder), *map(str, files)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return {path.stem.removeprefix("stress_"): path.with_suffix(".pdf") for path in files}


@pytest.mark.parametrize("name", ["zh_odt", "zh_docx", "en_odt", "en_docx"])
def test_libreoffice_never_breaks_a_line_inside_a_number(stress_pdfs, name):
    """Each number of every shifted paragraph and cell is whole on one line of the PDF."""
    text = "\n".join(pdf_pages(stress_pdfs[name])).replace("\u2060", "").replace("\u200b", "")
    expected = SHIFTS + SHIFTS // 2
    broken = {token: text.count(token) for token in TOKENS if text.count(token) != expected}
    assert not broken, (name, expected, broken, [line for line in text.splitlines() if re.search(r"[0-9,.+–]$", line)][:8])


# ------------------------------------------------------------------ Chromium

@pytest.fixture(scope="module")
def browser():
    need(CHROMIUM, "Chromium", "apt-get install chromium fonts-noto-cjk")
    with chromium() as b:
        yield b


@pytest.fixture
def html_page(browser, roc110):
    page = browser.new_page()
    page.set_content(report.render(roc110, "html").decode("utf-8"), wait_until="load")
    yield page
    page.close()


def test_html_report_prints_on_a4_without_near_empty_pages_or_orphan_headings(html_page, roc110, tmp_path):
    path = tmp_path / "report.pdf"
    html_page.pdf(path=str(path), prefer_css_page_size=True, print_background=True)
    from pypdf import PdfReader
    box = PdfReader(str(path)).pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)   # A4
    pages = [[line for line in page.splitlines() if line.strip() and not re.fullmatch(r"\s*\d+ / \d+\s*", line)]
             for page in pdf_pages(path)]
    sizes = [len(_norm("".join(lines))) for lines in pages]
    print(f"\nROC 110 HTML report printed by Chromium: {len(pages)} A4 pages, characters per page {sizes}")
    median = sorted(sizes)[len(sizes) // 2]
    assert 3 <= len(pages) <= 14
    assert all(size >= 0.35 * median for size in sizes[:-1]), sizes      # no near-empty page …
    assert sizes[-1] >= 0.15 * median, sizes                              # … nor a last page of a line or two
    parsed = parse_html(report.render(roc110, "html").decode("utf-8"))
    headings = [_norm(text) for _, text in parsed.headings] + [_norm(c) for c, _ in parsed.tables]
    headings += [_norm("".join(rows[0])) for _, rows in parsed.tables if rows]      # a header row alone
    for number, lines in enumerate(pages[:-1], start=1):
        last = _norm(lines[-1])
        orphan = [h for h in headings if last == h or (len(last) >= 6 and last in h)]
        assert not orphan, f"page {number} ends with a heading: {lines[-1]!r}"
    assert "示範資料" in "".join(pages[0])


def test_html_report_has_no_serious_axe_violations(html_page):
    axe = importlib.import_module("axe_playwright_python.sync_playwright") if CI else \
        pytest.importorskip("axe_playwright_python.sync_playwright")
    results = axe.Axe().run(html_page, options={
        "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
        "resultTypes": ["violations"]}).response
    violations = [(v["id"], v["impact"], len(v["nodes"])) for v in results["violations"]]
    print(f"\naxe-core {results['testEngine']['version']} on the ROC 110 HTML report (WCAG 2.1 A/AA): {violations}")
    assert not [v for v in violations if v[1] in ("serious", "critical")], violations
    assert violations == []


# ------------------------------------------------------------------ on a phone

NARROW = (320, 390)


def _sideways(page) -> int:
    """How far the document is wider than its window, in CSS pixels (0: no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_report_fits_a_phone_without_sideways_scrolling(browser, sample_con, lang):
    """Each table row a card at 320 and 390 px, each value under its column's name."""
    html = report.render(report.build(sample_con, 2021, lang=lang), "html").decode("utf-8")
    for width in NARROW:
        page = browser.new_page(viewport={"width": width, "height": 800})
        page.set_content(html, wait_until="load")
        assert _sideways(page) == 0, (lang, width)
        label = page.evaluate("""() => getComputedStyle(document.querySelector('td[data-label]'), '::before').content""")
        assert label not in ("", "none"), (lang, width)
        page.close()


def test_report_page_preview_scrolls_only_up_and_down_at_320_px(browser, tmp_path):
    """The 年度報告 page in a real server: its preview frame is no wider than the phone."""
    from scripts.browser import serve, settle, warm_up
    with serve(tmp_path / "dash.duckdb") as base:
        warm_up(browser, base)
        context = browser.new_context(viewport={"width": 320, "height": 800})
        page = context.new_page()
        page.goto(f"{base}/annual-report")
        settle(page)
        frame = page.frame_locator("iframe").first
        frame.locator("h1").wait_for(timeout=60_000)
        inner = next(f for f in page.frames if f is not page.main_frame)
        assert _sideways(inner) == 0
        assert _sideways(page) == 0
        assert page.locator("iframe").first.bounding_box()["width"] <= 320
        context.close()
