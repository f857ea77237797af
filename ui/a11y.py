"""Accessibility fixes for the whole app that need no page redesign: the page's language
and title from the first thing the page draws, keyboard use of the sidebar, focus
indicators, text that survives raised text spacing, and focus moved to the result of
an action. app.py calls ``start`` first of all, then ``frame`` once per run; a page
that reports the result of an action calls ``focus_next`` and then, where the result is
drawn, ``focus_here``.

Why each trick is needed (Streamlit 1.67; tests/browser/test_accessibility.py and
tests/browser/test_keyboard.py prove them in Chromium). All of it is our own CSS and
script, mounted through ``st.html`` (``unsafe_allow_javascript=True`` for the scripts,
which carry no text from users or files); nothing of Streamlit's is patched.

- ``<html lang>``: Streamlit's index.html hard-codes ``lang="en"`` and nothing in its
  frontend ever changes it (streamlit/streamlit#15726), so screen readers read Chinese
  pages with an English voice. A line of our script sets ``zh-Hant`` or ``en``, sent
  right after the chart preload, before the database is touched. It still runs a
  moment after the page links (Streamlit draws those from its own message, and loads
  the code of an ``st.html`` element before running its script): on a cold browser
  here about 0.3–0.6 s after the first Chinese text, where it was about 1.5 s behind
  the sample check and the sidebar. Only ``st.set_page_config(page_lang=...)``
  upstream (#15726) would close that gap. The language is the session's, or on a first
  visit the link's ``?lang=``.
- ``<title>``: ``st.set_page_config(page_title=...)`` names the tab; app.py resolves
  the page (``st.navigation``) before anything slow, so the tab says "案件量 ·
  服務效能儀表板" as the page's first text appears, not "Streamlit" for a second and a
  half; calls are additive, so a change of page or language renames it.
- The collapsed sidebar (a phone, 200 % zoom) is moved off-screen but stays visible to
  the keyboard: its fifteen controls were tab stops before the expand button. CSS hides
  it (``visibility: hidden``) while ``data-collapsed`` is true, which takes it out of
  the Tab order. Opening it moves focus to its first control; closing it (its button,
  or Esc while it covers the page) returns focus to the expand button. Where it covers
  the page, Tab (or a click) out of it closes it, so focus never goes to controls hidden
  beneath it.
- Focus indicators: Streamlit's were 1.1–2.3:1, and a focused page link looked like
  the current one. Every focused control gets a 3 px outline in the accent (6.4:1 on
  white, 5.9:1 on the sidebar) — around a radio's or switch's label, whose input is
  hidden, and in black around a slider's blue handle (3.3:1 against it), and around the
  report's preview frame, a Tab stop named for what it shows; the current
  page's link is marked by a bar and bold text, not a background alone.
- Text spacing (WCAG 1.4.12): a KPI card's label, value and change were one line cut
  with "…"; raised spacing cut 20,6… and +0.1 個百… They wrap instead (the change's
  verdict onto a line of its own), and the value's size follows the card's width, so
  a number never breaks inside itself.
- "Page not found" on a link's first visit (streamlit/streamlit#8860, #9992): the first
  session after the server starts is run as an app of the ``pages/`` folder (the
  folder exists, and ``st.navigation`` has not yet run to say otherwise), which knows
  no page called ``satisfaction-survey`` and says so in an English dialog; app.py then
  draws the page asked for under it. There is no setting; renaming ``pages/`` would
  avoid it. Our script closes that dialog when the link names one of our pages (an
  unknown address keeps it). tests/browser/test_deep_link.py restarts a server and
  opens a link.
- The language switch names each language in itself (語言 Language, 繁體中文,
  English): the script marks each run of words with its own ``lang`` (WCAG 3.1.2).
- Focus after an action: after sign-in, a wrong password, an upload, an import, an
  undo or the sample loaded, Streamlit reruns the page and focus falls to the body. The
  page names the result's container (``focus_next``); on the next run a one-off
  script focuses it, so a screen reader reads the result and the keyboard starts there.
- Caption contrast is not here: ``st.caption`` draws the text colour at 60 % opacity
  (3.88:1 with Streamlit's #2f2d2b), so ``.streamlit/config.toml`` sets
  ``theme.textColor = "#0b0c0c"`` (GOV.UK's text colour): captions become 5.17:1 on
  white and 5.07:1 on the sidebar's #f8f8f7, with no CSS against Streamlit's markup.
"""
from __future__ import annotations

import json

import streamlit as st

from analytics.i18n import t
from ui.registry import PAGES

HTML_LANG = {"zh": "zh-Hant", "en": "en"}
ACCENT = "#1f5fa8"     # ui/theme.py's accent, written here so the first element needs no chart library
SLUGS = json.dumps([p.slug for p in PAGES])     # the pages a link may name (ui/registry.py)

CSS = f"""
.st-key-a11y_head, .st-key-a11y_focus {{ display: none; }}
[data-testid="stSidebar"][data-collapsed="true"] {{ visibility: hidden; }}
:is(a, button, input:not([type="radio"], [type="checkbox"]), textarea, select, summary,
    [tabindex]:not([tabindex="-1"]), [role="switch"], [role="option"], [role="tab"]):focus-visible {{
  outline: 3px solid {ACCENT} !important; outline-offset: 2px !important; }}
.a11y-focused-frame {{ outline: 3px solid {ACCENT} !important; outline-offset: 2px !important; }}
label:has(input:is([type="radio"], [type="checkbox"]):focus-visible) {{
  outline: 3px solid {ACCENT} !important; outline-offset: 2px !important; }}
[role="slider"]:focus-visible, div:has(> div > input[type="range"]:focus-visible) {{
  outline: 3px solid #000000 !important; outline-offset: 2px !important; }}
:is([data-baseweb="input"], [data-baseweb="select"] > div, [data-baseweb="textarea"]):focus-within {{
  outline: 3px solid {ACCENT} !important; outline-offset: 1px !important; }}
[data-testid="stSidebarNavLink"][aria-current="page"] {{ box-shadow: inset 4px 0 0 {ACCENT}; }}
[data-testid="stSidebarNavLink"][aria-current="page"] span {{ font-weight: 700; }}
:is([data-testid="stMetricLabel"], [data-testid="stMetricValue"], [data-testid="stMetricDelta"]) :is(div, p, span) {{
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }}
div:has(> [data-testid="stMetricDelta"]) {{ flex-wrap: wrap !important; overflow: visible !important; }}
[data-testid="stMetricDeltaDescription"], [data-testid="stMetricDeltaDescription"] * {{
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }}
[data-testid="stMetricDeltaDescription"] {{ flex: 1 1 6em !important; min-width: 0 !important; }}
[data-testid="stMetric"] {{ container-type: inline-size; }}
[data-testid="stMetricValue"] {{ font-size: min(2.25rem, 18cqi) !important; }}
[data-testid^="stBaseButton"] :is(div, p, span) {{
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }}
[tabindex="-1"]:focus {{ outline: 3px solid {ACCENT}; outline-offset: 2px; }}
"""

# Runs on every page load; installs its listeners once per browser tab.
SCRIPT = """
document.documentElement.lang = %(lang)s;
if (!window.__dashboardKeyboard) {
  window.__dashboardKeyboard = true;
  const bar = () => document.querySelector('[data-testid="stSidebar"]');
  const opener = () => document.querySelector('[data-testid="stExpandSidebarButton"]');
  const closer = () => document.querySelector('[data-testid="stSidebarCollapseButton"] button');
  const collapsed = s => s.getAttribute('data-collapsed') === 'true';
  // An open sidebar covers the page where the page does not move aside for it (a phone).
  // Judged by its width, not where it is drawn: it slides in (a 0.3 s transform) and an
  // Esc pressed while it slides would otherwise be ignored.
  const covers = s => { const m = document.querySelector('[data-testid="stMain"]'); const w = s.offsetWidth;
    return m && w > 1 && m.getBoundingClientRect().left < w - 1; };
  const firstControl = s => [...s.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
    .find(e => e.tabIndex >= 0 && !e.disabled && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden');
  let was = null;
  // The language switch names each language in itself (語言 Language, 繁體中文, English):
  // each run of words is marked with its own language, so a screen reader reads 繁體中文
  // in Chinese on an English page and English in English on a Chinese one.
  const CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/;
  const markLanguages = () => {
    for (const p of document.querySelectorAll('.st-key-lang p')) {
      if (p.querySelector('span[lang]')) continue;
      const text = p.textContent;
      const runs = text.split(/([\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+)/).filter(r => r.trim());
      if (runs.length === 1) { p.lang = CJK.test(text) ? 'zh-Hant' : 'en'; continue; }
      p.replaceChildren(...text.split(/([\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+)/).filter(Boolean).map(r => {
        if (!r.trim()) return document.createTextNode(r);
        const span = document.createElement('span');
        span.lang = CJK.test(r) ? 'zh-Hant' : 'en';
        span.textContent = r;
        return span;
      }));
    }
  };
  const watch = () => {
    markLanguages();
    const s = bar();
    if (!s) return;
    const now = collapsed(s);
    if (was !== null && now !== was) {
      // Streamlit may draw the sidebar's contents again as it opens: keep trying a moment.
      const into = (tries) => { const b = bar(); if (!b || collapsed(b)) return;
        if (!b.contains(document.activeElement)) { const f = firstControl(b); if (f) f.focus(); }
        if (tries > 0) setTimeout(() => into(tries - 1), 120); };
      const back = (tries) => { const b = bar(); const o = opener();
        if (o && (document.activeElement === document.body || (b && b.contains(document.activeElement)))) o.focus();
        if (tries > 0 && document.activeElement !== o) setTimeout(() => back(tries - 1), 120); };
      if (!now) setTimeout(() => into(8), 60);
      else if (s.contains(document.activeElement) || document.activeElement === document.body) setTimeout(() => back(8), 60);
    }
    was = now;
  };
  new MutationObserver(watch).observe(document.body, {subtree: true, childList: true, attributes: true,
                                                       attributeFilter: ['data-collapsed']});
  // Decided in the capture phase, before the focused control sees the key: a closed
  // select in the sidebar marks Escape handled (defaultPrevented) though it had nothing
  // to close, which left the sidebar open; an open list or dialog is still there to see
  // and keeps the key for itself. A tooltip (a popover too, shown when a control with
  // help takes focus) does not.
  // In the first moments of its slide the sidebar has no width yet, and whether it will
  // cover the page is not known: the key is kept and decided as soon as it is.
  const closeIfCovering = tries => { const s = bar(); if (!s || collapsed(s)) return;
    if (s.offsetWidth <= 1 && tries > 0) { setTimeout(() => closeIfCovering(tries - 1), 100); return; }
    const c = closer(); if (c && covers(s)) c.click(); };
  document.addEventListener('keydown', e => {
    if (e.key !== 'Escape') return;
    const s = bar();
    if (!s || collapsed(s)) return;
    if (document.querySelector('[role="listbox"], [role="menu"], [role="dialog"], '
                               + '[data-baseweb="popover"]:not(:has([role="tooltip"], [data-baseweb="tooltip"]))')) return;
    if (s.offsetWidth <= 1) { e.preventDefault(); closeIfCovering(30); return; }
    if (!covers(s)) return;
    const c = closer();
    if (c) { c.click(); e.preventDefault(); }
  }, true);
  // Tab past the last control of a sidebar that covers the page (a phone) went on into
  // the page beneath it, to controls hidden under the sidebar (WCAG 2.4.11): focus
  // leaving the sidebar for the page closes it, so what has focus is seen. A list or
  // dialog drawn outside the sidebar for one of its controls is not leaving it.
  document.addEventListener('focusin', e => {
    const s = bar();
    if (!s || collapsed(s) || !covers(s) || s.contains(e.target) || e.target === opener()) return;
    if (e.target.closest('[role="listbox"], [role="menu"], [role="dialog"], [data-baseweb="popover"]')) return;
    const c = closer();
    if (c) c.click();
  }, true);
  // A frame with focus inside it (the report's preview) matches no :focus rule in this
  // page: it is marked while the page has lost focus to it.
  window.addEventListener('blur', () => setTimeout(() => { const a = document.activeElement;
    if (a && a.tagName === 'IFRAME') a.classList.add('a11y-focused-frame'); }, 0));
  window.addEventListener('focus', () => {
    for (const f of document.querySelectorAll('.a11y-focused-frame')) f.classList.remove('a11y-focused-frame'); });
  watch();
  // streamlit#8860: a server's first session runs app.py as an old-style app of the
  // pages/ folder, finds no file named like the link's page and shows "Page not found",
  // then app.py opens the page asked for all the same. Where the link names one of our
  // pages, that dialog is wrong: close it as it comes, while the first page loads.
  // The address is read each time: while the first run falls back to the main page it
  // is "/" for a moment, then the page asked for again.
  const ours = () => %(slugs)s.includes(decodeURIComponent(location.pathname.split('/').filter(Boolean).pop() || ''));
  {
    const started = performance.now();
    const close = () => {
      if (!ours()) return;
      for (const d of document.querySelectorAll('[role="dialog"]')) {
        const h = d.querySelector('h1, h2, h3');
        const x = d.querySelector('button[aria-label="Close"]');
        if (h && h.textContent.trim() === 'Page not found' && x) x.click();
      }
    };
    // Looked for as the page changes and every quarter second (a click while the dialog
    // is still opening may be lost), for the first minute.
    const notFound = new MutationObserver(close);
    notFound.observe(document.body, {subtree: true, childList: true});
    const poll = setInterval(() => {
      close();
      if (performance.now() - started > 60000) { clearInterval(poll); notFound.disconnect(); }
    }, 250);
    close();
  }
}
"""

FOCUS = """
(function () {
  let tries = 0;
  const go = () => {
    const box = document.querySelector('.st-key-' + %(key)s);
    const target = box && (box.querySelector('[data-testid="stAlert"], [role="alert"], h1, h2, h3, button') || box);
    if (!target || target.getClientRects().length === 0) { if (tries++ < 100) setTimeout(go, 50); return; }
    target.setAttribute('tabindex', '-1');
    target.focus();
  };
  go();
})(); // %(nonce)s
"""


def language() -> str:
    """The session's language; on a session's first run, the link's ?lang= if it names one."""
    if "lang" not in st.session_state:
        wanted = st.query_params.get("lang")
        st.session_state["lang"] = wanted if wanted in HTML_LANG else "zh"
    return st.session_state["lang"]


def start(lang: str):
    """The first element of every run: the page's language, the CSS and the keyboard
    script, in a container that takes no space."""
    with st.sidebar.container(key="a11y_head"):
        st.html(f"<style>{CSS}</style><script>{SCRIPT % {'lang': json.dumps(HTML_LANG.get(lang, 'zh-Hant')), 'slugs': SLUGS}}</script>",
                unsafe_allow_javascript=True)


def title(lang: str, page_title: str):
    """Name this page in the browser tab."""
    st.set_page_config(page_title=f"{page_title} · {t('app.title', lang)}")


def focus_next(key: str):
    """After an action: on the next run, move focus to the container keyed ``key``
    (its first alert, else heading, else button, else the container itself)."""
    st.session_state["_a11y_focus"] = key
    st.session_state["_a11y_nonce"] = st.session_state.get("_a11y_nonce", 0) + 1


def focus_here(key: str):
    """Where ``key``'s result is drawn: if an action asked for it, focus it now."""
    if st.session_state.get("_a11y_focus") != key:
        return
    del st.session_state["_a11y_focus"]
    with st.container(key="a11y_focus"):
        st.html(f"<script>{FOCUS % {'key': json.dumps(key), 'nonce': st.session_state.get('_a11y_nonce', 0)}}</script>",
                unsafe_allow_javascript=True)


DESCRIBE = """
(function () {
  // Applied as the field and the message appear, and again whenever the page redraws
  // the field (a slow run can replace it after the first try), for as long as this
  // script's own container is on the page; when it goes, the field is valid again.
  // Streamlit may describe the field too (its own hints): the message's id is added to
  // those, never put in their place.
  const here = '.st-key-a11y_describe_' + %(field)s;
  const ids = field => (field.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
  const apply = () => {
    const field = document.querySelector('.st-key-' + %(field)s + ' input');
    if (!document.querySelector(here)) {
      clearInterval(poll);
      if (field && ids(field).includes(%(id)s)) {
        const rest = ids(field).filter(i => i !== %(id)s);
        if (rest.length) field.setAttribute('aria-describedby', rest.join(' '));
        else field.removeAttribute('aria-describedby');
        field.removeAttribute('aria-invalid');
      }
      return;
    }
    const said = document.querySelector('.st-key-' + %(message)s + ' [data-testid="stAlert"]');
    if (!field || !said) return;
    if (said.id !== %(id)s) said.id = %(id)s;
    if (!ids(field).includes(said.id)) field.setAttribute('aria-describedby', [...ids(field), said.id].join(' '));
    if (field.getAttribute('aria-invalid') !== 'true') field.setAttribute('aria-invalid', 'true');
  };
  // A rerun that draws this script again replaces the timer of the one before.
  const timers = window.__describeTimers = window.__describeTimers || {};
  clearInterval(timers[%(field)s]);
  const poll = timers[%(field)s] = setInterval(apply, 100);
  apply();
})();
"""


def describe(field_key: str, message_key: str):
    """Tie the message in container ``message_key`` to the input keyed ``field_key``
    (``aria-describedby``, ``aria-invalid``): a screen reader on the field hears why it
    was refused (WCAG 3.3.1)."""
    with st.container(key=f"a11y_describe_{field_key}"):
        st.html(f"<style>.st-key-a11y_describe_{field_key} {{ display: none; }}</style><script>"
                f"{DESCRIBE % {'field': json.dumps(field_key), 'message': json.dumps(message_key), 'id': json.dumps(f'{message_key}-message')}}"
                "</script>", unsafe_allow_javascript=True)
