"""By keyboard and at zoom, in a real browser (Debian's Chromium through Playwright)
against `streamlit run` (ui/a11y.py is what these check):

- the tab's title names the page by its first text, and the page's language follows;
- on a phone (and at 200 % zoom) the collapsed sidebar's controls are out of the Tab
  order; opening it moves focus into it, Esc closes it and focus returns to its button;
- every focused control shows an indicator of at least 3:1, and the current page's link
  is marked by more than a background;
- KPI cards keep every word under WCAG 1.4.12's raised text spacing;
- after each action — a wrong password, signing in, an upload, an import, the undo
  question, an undo, loading the sample — focus lands on its result, and a refused
  password's message is tied to the field; the sign-in wait counts down."""
import re

import pytest

from analytics.i18n import t
from browser_tier import app, browser, page_at, requirements, server  # noqa: F401 (fixtures)
from conftest import case_rows, write_xlsx
from scripts.browser import serve, settle, warm_up

PASSWORD = "臺南分局編輯密碼"
_mark = requirements()
if _mark:
    pytestmark = _mark

ACTIVE = """() => { const a = document.activeElement;
  return {testid: a.getAttribute('data-testid'), tag: a.tagName, text: (a.innerText || a.getAttribute('aria-label') || '').trim(),
          sidebar: !!a.closest('[data-testid="stSidebar"]'),
          box: [...a.closest('[class*="st-key-"]')?.classList || []].find(c => c.startsWith('st-key-')) || null}; }"""


# ------------------------------------------------------------------ language and title

FIRST_TEXT = """() => {
  window.__firstText = null;
  new MutationObserver((records, observer) => {
    const text = document.body ? document.body.innerText || '' : '';
    if (/[\\u4e00-\\u9fff]|Case volumes|Overview/.test(text)) {
      window.__firstText = {lang: document.documentElement.lang, title: document.title};
      observer.disconnect();
    }
  }).observe(document, {subtree: true, childList: true, characterData: true});
}"""


@pytest.mark.parametrize("slug, title, lang", [("case-volumes", "page.cases", "zh"), ("", "page.overview", "zh"),
                                              ("case-volumes?lang=en", "page.cases", "en")])
def test_the_title_names_the_page_by_its_first_text_and_the_language_follows(app, browser, slug, title, lang):
    """The tab is named by the page by the time its first text appears (it said
    "Streamlit" for ~1.5 s); the page's language is declared by the time the page has
    drawn. (Not with the very first text: Streamlit draws its page links from a message
    of its own, and runs an element's script only once it has loaded that element's
    code; see ui/a11y.py.)"""
    base, _ = app
    context, page = page_at(browser, 1280)
    try:
        page.add_init_script(f"({FIRST_TEXT})()")
        page.goto(f"{base}/{slug}")
        settle(page)
        first, now = page.evaluate("[window.__firstText, document.documentElement.lang]")
    finally:
        context.close()
    # The page's own name at least (Streamlit names the tab after the page, then app.py
    # adds the app's name a moment later): never "Streamlit".
    assert first["title"] in (t(title, lang), f"{t(title, lang)} · {t('app.title', lang)}"), first
    assert now == {"zh": "zh-Hant", "en": "en"}[lang], now


# Each piece of text in the language switch, with the language it is marked in.
SWITCH_LANGS = """() => { const out = [];
  const walker = document.createTreeWalker(document.querySelector('.st-key-lang'), NodeFilter.SHOW_TEXT);
  let n;
  while ((n = walker.nextNode())) { const s = n.textContent.trim(); if (!s) continue;
    const marked = n.parentElement.closest('[lang]');
    out.push([s, marked ? marked.getAttribute('lang') : null]); }
  return out; }"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_language_switch_marks_each_language_in_its_own(app, browser, lang):
    """語言 Language, 繁體中文, English: on either page, Chinese words are marked zh-Hant and
    English ones en (WCAG 3.1.2), so a screen reader says each in its own voice."""
    base, _ = app
    context, page = page_at(browser, 1280)
    try:
        page.goto(f"{base}/case-volumes?lang={lang}")
        settle(page)
        pieces = page.evaluate(SWITCH_LANGS)
    finally:
        context.close()
    texts = {s for s, _ in pieces}
    assert {"語言", "Language", "繁體中文", "English"} <= texts, pieces
    for text, marked in pieces:
        assert marked == ("zh-Hant" if re.search(r"[\u4e00-\u9fff]", text) else "en"), (text, marked)


# ------------------------------------------------------------------ the sidebar by keyboard

@pytest.mark.parametrize("width, scale", [(390, 1), (640, 2)])
def test_a_collapsed_sidebar_is_out_of_the_tab_order_and_opens_and_closes_by_keyboard(app, browser, width, scale):
    base, _ = app
    context, page = page_at(browser, width, scale)
    try:
        page.goto(f"{base}/case-volumes")
        settle(page)
        stops = []
        for _ in range(6):
            page.keyboard.press("Tab")
            stops.append(page.evaluate(ACTIVE))
        assert not [s for s in stops if s["sidebar"]], stops          # 15 sidebar controls came first before
        assert any(s["testid"] == "stExpandSidebarButton" for s in stops), stops
        page.locator('[data-testid="stExpandSidebarButton"]').focus()
        page.keyboard.press("Enter")
        page.wait_for_function("document.activeElement.closest('[data-testid=\"stSidebar\"]') !== null", timeout=10_000)
        page.keyboard.press("Tab")
        assert page.evaluate(ACTIVE)["sidebar"]                          # the next Tab stays in the sidebar
        page.keyboard.press("Escape")
        page.wait_for_function("document.querySelector('[data-testid=\"stSidebar\"]').dataset.collapsed === 'true'",
                               timeout=10_000)
        page.wait_for_function("document.activeElement.dataset.testid === 'stExpandSidebarButton'", timeout=10_000)
    finally:
        context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_esc_while_the_sidebar_slides_in_closes_it_only_where_it_covers_the_page(app, browser, width):
    """A quick keyboard user presses Esc before the sidebar has finished sliding in (a
    0.3 s slide, slower on a busy machine; made 10 s here): on a phone it closes all the
    same; where the page moves aside for it, it stays."""
    base, _ = app
    context, page = page_at(browser, width)
    try:
        page.goto(f"{base}/case-volumes")
        settle(page)
        if width == 1280:
            page.evaluate("document.querySelector('[data-testid=\"stSidebarCollapseButton\"] button').click()")
            page.wait_for_function("document.activeElement.dataset.testid === 'stExpandSidebarButton'", timeout=10_000)
        page.add_style_tag(content='[data-testid="stSidebar"] { transition: transform 10s, min-width 10s, max-width 10s !important; }')
        page.locator('[data-testid="stExpandSidebarButton"]').focus()
        page.keyboard.press("Enter")
        page.wait_for_function("document.activeElement.closest('[data-testid=\"stSidebar\"]') !== null", timeout=10_000)
        assert page.evaluate("document.querySelector('[data-testid=\"stSidebar\"]').getBoundingClientRect().right") < 200
        page.keyboard.press("Escape")
        if width == 390:
            page.wait_for_function("document.querySelector('[data-testid=\"stSidebar\"]').dataset.collapsed === 'true'",
                                   timeout=10_000)
        else:
            page.wait_for_timeout(500)
            assert page.evaluate("document.querySelector('[data-testid=\"stSidebar\"]').dataset.collapsed") == "false"
    finally:
        context.close()


def test_tab_out_of_a_sidebar_that_covers_the_page_closes_it(app, browser):
    """At 390 px the open sidebar covers the page: Tab past its last control went on to
    controls hidden beneath it (WCAG 2.4.11). Leaving it closes it, so what has focus is
    in sight; Shift+Tab back to the expand button opens nothing and loses nothing."""
    base, _ = app
    context, page = page_at(browser, 390)
    try:
        page.goto(f"{base}/case-volumes")
        settle(page)
        page.locator('[data-testid="stExpandSidebarButton"]').focus()
        page.keyboard.press("Enter")
        page.wait_for_function("document.activeElement.closest('[data-testid=\"stSidebar\"]') !== null", timeout=10_000)
        page.wait_for_timeout(600)                       # the slide is over
        for _ in range(60):
            page.keyboard.press("Tab")
            if not page.evaluate(ACTIVE)["sidebar"]:
                break
        else:
            pytest.fail("60 Tabs stayed in the sidebar")
        page.wait_for_function("document.querySelector('[data-testid=\"stSidebar\"]').dataset.collapsed === 'true'",
                               timeout=10_000)
        page.wait_for_timeout(600)
        seen = page.evaluate("""() => { const a = document.activeElement; const r = a.getBoundingClientRect();
          const hit = document.elementFromPoint(Math.min(r.left + 4, innerWidth - 1), r.top + r.height / 2);
          return a !== document.body && !a.closest('[data-testid="stSidebar"]') && hit !== null
                 && (hit === a || a.contains(hit) || hit.contains(a)); }""")
        assert seen, page.evaluate(ACTIVE)
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_report_preview_is_named_and_shows_its_focus(app, browser, lang):
    """The preview frame is a Tab stop: it was named "st.iframe" and showed no focus."""
    base, _ = app
    context, page = page_at(browser, 390)
    try:
        page.goto(f"{base}/annual-report?lang={lang}")
        settle(page)
        frame = page.locator('[data-testid="stMain"] iframe').first
        frame.wait_for(state="attached", timeout=60_000)
        assert frame.get_attribute("title") == t("report.preview_name", lang)
        for _ in range(80):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.tagName") == "IFRAME":
                break
        else:
            pytest.fail("Tab never reached the preview")
        ring = frame.evaluate("f => { const s = getComputedStyle(f); return [s.outlineStyle, parseFloat(s.outlineWidth)]; }")
        assert ring[0] == "solid" and ring[1] >= 3, ring
    finally:
        context.close()


def test_esc_leaves_a_docked_sidebar_open(app, browser):
    base, _ = app
    context, page = page_at(browser, 1280)
    try:
        page.goto(f"{base}/case-volumes")
        settle(page)
        page.locator('[data-testid="stSidebar"] [data-testid="stSidebarNavLink"]').first.focus()
        page.keyboard.press("Escape")
        page.wait_for_timeout(500)
        assert page.evaluate("document.querySelector('[data-testid=\"stSidebar\"]').dataset.collapsed") == "false"
    finally:
        context.close()


# ------------------------------------------------------------------ focus indicators

OUTLINE = """() => {
  const lum = c => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const [r, g, b] = m[1].split(',').slice(0, 3).map(v => +v / 255).map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const bg = el => { for (let e = el; e; e = e.parentElement) { const c = getComputedStyle(e).backgroundColor;
    if (c && !/rgba\\(0, 0, 0, 0\\)|transparent/.test(c)) return c; } return 'rgb(255, 255, 255)'; };
  const a = document.activeElement;
  // A control Streamlit hides visually (a radio's input, a slider's range input) shows its
  // focus on the visible element around it: skip what is clipped away or a pixel wide.
  const unseen = e => { const r = e.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) return true;
    for (let x = e; x; x = x.parentElement) if (getComputedStyle(x).clip === 'rect(0px, 0px, 0px, 0px)') return true;
    return false; };
  for (let e = a, i = 0; e && i < 4; e = e.parentElement, i++) {
    const s = getComputedStyle(e);
    if (!unseen(e) && s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) {
      const l1 = lum(s.outlineColor), l2 = lum(bg(e.parentElement || e));
      const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
      return {what: (a.getAttribute('data-testid') || a.tagName) + ' ' + (a.innerText || a.getAttribute('aria-label') || '').trim().slice(0, 20),
              ratio: Math.round(ratio * 100) / 100, width: parseFloat(s.outlineWidth)};
    }
  }
  return {what: (a.getAttribute('data-testid') || a.tagName) + ' ' + (a.innerText || '').trim().slice(0, 20), ratio: 0, width: 0};
}"""


def test_every_focus_indicator_reaches_3_to_1(app, browser):
    base, _ = app
    context, page = page_at(browser, 1280)
    try:
        page.goto(f"{base}/satisfaction-survey")
        settle(page)
        seen = []
        for _ in range(30):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement === document.body"):
                continue
            seen.append(page.evaluate(OUTLINE))
        weak = [s for s in seen if s["ratio"] < 3 or s["width"] < 2]
        assert len(seen) >= 20 and not weak, weak
        current = page.evaluate("""() => { const c = document.querySelector('[data-testid="stSidebarNavLink"][aria-current="page"]');
            return getComputedStyle(c).boxShadow; }""")
        assert current != "none"             # the current page: a bar, not a background alone
    finally:
        context.close()


# ------------------------------------------------------------------ text spacing

SPACING = ("* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }"
           " p { margin-bottom: 2em !important; }")
# A word is cut when its element overflows itself, or lies outside an ancestor (up to
# the card or button) that clips what overflows it.
CUT = """() => [...document.querySelectorAll('[data-testid="stMetric"] *, [data-testid^="stBaseButton"] *')]
  .filter(e => e.children.length === 0 && e.textContent.trim())
  .filter(e => {
    if (e.scrollWidth > e.clientWidth + 1) return true;
    const r = e.getBoundingClientRect();
    for (let a = e.parentElement; a; a = a.parentElement) {
      if (getComputedStyle(a).overflow !== 'visible') { const c = a.getBoundingClientRect();
        if (r.left < c.left - 1 || r.right > c.right + 1 || r.top < c.top - 1 || r.bottom > c.bottom + 1) return true; }
      if (a.matches('[data-testid="stMetric"], [data-testid^="stBaseButton"]')) break;
    }
    return false;
  })
  .map(e => e.textContent.trim())"""


@pytest.mark.parametrize("slug", ["", "satisfaction-survey", "data-import"])
@pytest.mark.parametrize("width, scale", [(1280, 1), (390, 1), (320, 1), (640, 2)])    # 640 × 2: 1280 px at 200 %
def test_cards_and_buttons_keep_every_word_under_raised_text_spacing(app, browser, slug, width, scale):
    base, _ = app
    context, page = page_at(browser, width, scale)
    try:
        page.goto(f"{base}/{slug}")
        settle(page)
        page.add_style_tag(content=SPACING)
        page.wait_for_timeout(600)
        assert page.evaluate(CUT) == []
        if slug == "data-import":      # the two template buttons of a row never read the same
            labels = page.locator('[class*="st-key-tpl_phone_tests_"] button').all_inner_texts()
            assert len(labels) == 2 and labels[0] != labels[1] and labels[0][:5] != labels[1][:5], labels
    finally:
        context.close()


# ------------------------------------------------------------------ focus after an action

@pytest.fixture(scope="module")
def guarded(tmp_path_factory, browser):
    """`streamlit run` with an editor password, on a new database (the sample loads)."""
    db = tmp_path_factory.mktemp("guarded") / "dash.duckdb"
    with serve(db, extra_env={"DASHBOARD_EDITOR_PASSWORD": PASSWORD}) as base:
        warm_up(browser, base)
        yield base, db


def focus_in(page, key: str):
    """Wait until focus is inside the container keyed ``key``; what is focused."""
    page.wait_for_function(f"document.activeElement.closest('.st-key-{key}') !== null", timeout=60_000)
    return page.evaluate(ACTIVE)


def type_in(page, field, text: str):
    """Type ``text`` into ``field`` from the keyboard and submit it with Enter."""
    field.focus()
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def press(page, selector: str):
    """Activate a control by keyboard: focus it, press Enter."""
    page.locator(selector).first.focus()
    page.keyboard.press("Enter")


def test_focus_lands_on_the_result_of_every_action(guarded, browser, tmp_path):
    base, _ = guarded
    context, page = page_at(browser, 1280)
    try:
        page.goto(f"{base}/data-import")
        settle(page)
        name, password = page.locator(".st-key-editor_name_input input"), page.locator(".st-key-editor_password_input input")
        assert name.get_attribute("autocomplete") == "name"
        assert password.get_attribute("autocomplete") == "current-password"
        name.focus()
        page.keyboard.type("王課長")
        type_in(page, password, "不對")
        said = focus_in(page, "auth_result")
        assert t("auth.wrong_password", "zh") in said["text"], said
        # The field names the message among whatever else describes it (Streamlit's own hints),
        # and again after the page redraws the field without it.
        tied_up = ("(document.querySelector('.st-key-editor_password_input input')"
                   ".getAttribute('aria-describedby') || '').split(' ').includes('auth_result-message')")
        page.wait_for_function(tied_up)
        page.evaluate("document.querySelector('.st-key-editor_password_input input').removeAttribute('aria-describedby')")
        page.wait_for_function(tied_up, timeout=5_000)
        tied = page.evaluate("""() => { const f = document.querySelector('.st-key-editor_password_input input');
            return [f.getAttribute('aria-invalid'), document.getElementById('auth_result-message').innerText]; }""")
        assert tied[0] == "true" and t("auth.wrong_password", "zh") in tied[1], tied

        type_in(page, password, PASSWORD)
        said = focus_in(page, "auth_result")
        assert "王課長" in said["text"], said

        path = write_xlsx(tmp_path / "鍵盤上傳.xlsx", {"案件量": case_rows(["114/02", "一課", "鍵盤案件", "12"])})
        page.set_input_files('[data-testid="stFileUploader"] input[type="file"]', str(path))
        said = focus_in(page, "import_preview")
        assert "1" in said["text"], said

        press(page, ".st-key-confirm_import button")
        said = focus_in(page, "import_results")
        assert "鍵盤上傳.xlsx" in said["text"], said

        press(page, ".st-key-undo_btn button")
        said = focus_in(page, "undo_ask")
        assert said["tag"] == "H3", said
        press(page, ".st-key-undo_confirm button")
        said = focus_in(page, "import_results")
        assert re.search(r"批次 \d", said["text"]), said

        press(page, ".st-key-load_sample button")
        said = focus_in(page, "import_results")
        assert "示範資料" in said["text"], said
    finally:
        context.close()


def test_the_sign_in_wait_counts_down(guarded, browser):
    """Last of the module: it leaves this address waiting."""
    base, _ = guarded
    context, page = page_at(browser, 1280)
    try:
        page.goto(f"{base}/data-import")
        settle(page)
        password = page.locator(".st-key-editor_password_input input")
        for i in range(6):
            type_in(page, password, f"猜{i}")
            page.wait_for_timeout(700)
            settle(page)
        wait = re.compile(r"請於 (\d+) 秒後再試")
        first = wait.search(page.inner_text(".st-key-auth_result ~ *, [data-testid='stMain']"))
        assert first, page.inner_text("[data-testid='stMain']")
        page.wait_for_timeout(2500)
        later = wait.search(page.inner_text("[data-testid='stMain']"))
        assert later and int(later[1]) < int(first[1]), (first[0], later and later[0])
    finally:
        context.close()
