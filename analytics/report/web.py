"""The report as one accessible HTML page, ready to publish on the branch's website:
``lang`` zh-Hant, headings in order, tables with captions and header scopes, the chart
as SVG with role="img" and its numbers in words, and print rules (A4, headings kept
with what follows, header rows repeated) so it prints without near-empty pages.
Every text is escaped; the page carries no script."""
from __future__ import annotations

import html
import re

from .model import Report
from .outline import DASH, Block, Table, outline

CSS = """
@page { size: A4; margin: 16mm 15mm 18mm;
        @bottom-center { content: counter(page) " / " counter(pages); font-size: 9pt; color: #444; } }
:root { color: #1a1a1a; background: #fff; }
body { font-family: "Noto Sans CJK TC", "Noto Sans TC", "Microsoft JhengHei", "PingFang TC", sans-serif;
       font-size: 11pt; line-height: 1.5; max-width: 180mm; margin: 0 auto; padding: 0 4mm; }
h1 { font-size: 15pt; text-align: center; margin: 0 0 8pt; }
h2 { font-size: 14pt; margin: 14pt 0 4pt; }
h3 { font-size: 12.5pt; margin: 12pt 0 4pt; border-bottom: 2px solid #2f5d8a; }
h1, h2, h3, caption, h3 + p { break-after: avoid; page-break-after: avoid; }
p { margin: 2pt 0 4pt; orphans: 2; widows: 2; }
p.l1 { margin-left: 2em; } p.l2 { margin-left: 3.5em; } p.l3 { margin-left: 5em; }
p.strong { font-weight: bold; }
.notice { border: 2px solid #8a1c1c; color: #8a1c1c; padding: 4pt 8pt; font-weight: bold; }
.missing { border-left: 4px solid #8a5a00; padding: 2pt 8pt; color: #5c3d00; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 10pt; font-size: 9.5pt; line-height: 1.4; }
caption { text-align: left; font-weight: bold; padding: 2pt 0; caption-side: top; }
thead { display: table-header-group; break-after: avoid; page-break-after: avoid; }
tbody:first-of-type > tr:first-child { break-before: avoid; page-break-before: avoid; }
th, td { border: 1px solid #777; padding: 2pt 4pt; vertical-align: top; text-align: left; white-space: pre-line; }
thead th { background: #e8eef5; }
tbody th { font-weight: normal; }
tbody th[scope="rowgroup"] { font-weight: bold; }
td.num { text-align: right; white-space: pre; }
tbody tr { break-inside: avoid; page-break-inside: avoid; }
figure { margin: 6pt 0 10pt; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-size: 10pt; }
.legend { font-size: 9.5pt; color: #333; }
@media print { body { max-width: none; padding: 0; } }
/* A phone (the report page's preview at 320 px): each table row a card, each value
   under its column's name, so nothing runs off the side and nothing scrolls sideways. */
@media screen and (max-width: 36em) {
  body { padding: 0 2px; overflow-wrap: anywhere; }
  table, caption, tbody, tr, th, td { display: block; width: auto; }
  colgroup, col { display: none; }
  thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
  tbody { border: 1px solid #777; border-bottom: none; }
  tbody:last-child { border-bottom: 1px solid #777; }
  tr { border-bottom: 1px solid #777; padding: 2pt 0; }
  th, td { border: none; padding: 1pt 6pt; }
  td.num { text-align: left; white-space: pre-line; }
  td[data-label]::before { content: attr(data-label); display: block; font-size: 8.5pt; color: #444; }
  tbody th { font-weight: bold; }
  td.none { display: none; }
}
"""

BAR = "#2f5d8a"      # 6.9:1 on white
TRACK = "#d9dee5"


def _e(text) -> str:
    return html.escape(str(text), quote=True)


# Chinese inside the English report (the plan text, names from the workbooks, the
# branch's name): a run from one Chinese character to the last, with what lies between.
_HAN = "\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_CHINESE = re.compile(f"[{_HAN}](?:[{_HAN}0-9 \u00a0,.%/()\\-–:;·'\"]*[{_HAN}])?")


def _said(text, lang: str) -> str:
    """``text`` escaped; in the English report each run of Chinese in it marked
    lang="zh-Hant", so a screen reader reads it as Chinese (WCAG 3.1.2)."""
    text = str(text)
    if lang == "zh":
        return _e(text)
    out, at = [], 0
    for m in _CHINESE.finditer(text):
        out += [_e(text[at:m.start()]), f'<span lang="zh-Hant">{_e(m[0])}</span>']
        at = m.end()
    return "".join(out) + _e(text[at:])


def _table(table: Table, index: int, lang: str) -> str:
    cols = "".join(f'<col style="width:{w / sum(table.widths):.1%}">' for w in table.widths)
    labels: list[str] = []              # each column's name, for the phone layout's cards
    for c in table.head[-1] if table.head else []:
        if c is not None:
            labels += [c.text.replace("\n", " ")] * c.colspan
    head = []
    for row in table.head:
        cells = []
        for c in row:
            if c is None:
                continue
            span = f' colspan="{c.colspan}"' if c.colspan > 1 else ""
            cells.append(f'<th scope="{"colgroup" if c.colspan > 1 else "col"}"{span}>{_said(c.text, lang)}</th>')
        head.append(f"<tr>{''.join(cells)}</tr>")
    if any(c and c.colspan > 1 for row in table.head for c in row):
        cols = _colgroups(table)       # scope="colgroup" needs the group it names
    bodies, row_index = [], 0
    groups = table.groups or [1] * len(table.body)
    for size in groups:
        rows = []
        for row in table.body[row_index:row_index + size]:
            cells = []
            for j, c in enumerate(row):
                if c is None:
                    continue
                span = (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "") + \
                       (f' colspan="{c.colspan}"' if c.colspan > 1 else "")
                if c.header:     # an item heads its group of strategy rows (one <tbody> each)
                    scope = "rowgroup" if table.groups else "row"
                    cells.append(f'<th scope="{scope}"{span}>{_said(c.text, lang)}</th>')
                else:
                    classes = " ".join(k for k, on in (("num", c.numeric), ("none", c.text == DASH)) if on)
                    cls = f' class="{classes}"' if classes else ""
                    label = f' data-label="{_e(labels[j])}"' if j < len(labels) else ""
                    cells.append(f"<td{span}{cls}{label}>{_said(c.text, lang)}</td>")
            rows.append(f"<tr>{''.join(cells)}</tr>")
        bodies.append(f"<tbody>{''.join(rows)}</tbody>")
        row_index += size
    return (f'<table id="t{index}"><caption>{_said(table.caption, lang)}</caption>{cols}'
            f"<thead>{''.join(head)}</thead>{''.join(bodies)}</table>")


def _colgroups(table: Table) -> str:
    """One <colgroup> per header cell, spanning as many columns as it does."""
    out, col = [], 0
    for c in table.head[0]:
        if c is None:
            continue
        widths = table.widths[col:col + c.colspan]
        inner = "".join(f'<col style="width:{w / sum(table.widths):.1%}">' for w in widths)
        out.append(f'<colgroup span="{c.colspan}">{inner}</colgroup>' if c.colspan > 1 else f"<colgroup>{inner}</colgroup>")
        col += c.colspan
    return "".join(out)


def _chart(block: Block, index: int, lang: str) -> str:
    """Horizontal bars of each dimension's self-score rate; the SVG is named by its
    title and described by the same sentence shown below it."""
    width, row = 640, 30
    height = row * len(block.bars) + 12
    label_w, value_w = 150, 70
    track = width - label_w - value_w
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-labelledby="c{index}-title c{index}-desc">',
             f'<title id="c{index}-title">{_e(block.title)}</title>',
             f'<desc id="c{index}-desc">{_e(block.text)}</desc>']
    for i, (label, share, text) in enumerate(block.bars):
        y = 6 + i * row
        w = max(0.0, min(1.0, share)) * track
        marked = ' lang="zh-Hant"' if lang != "zh" and _CHINESE.search(label) else ""
        parts.append(f'<text x="0" y="{y + 16}" font-size="14" fill="#1a1a1a"{marked}>{_e(label)}</text>'
                     f'<rect x="{label_w}" y="{y}" width="{track}" height="20" fill="{TRACK}"/>'
                     f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="20" fill="{BAR}"/>'
                     f'<text x="{width - value_w + 8}" y="{y + 16}" font-size="14" fill="#1a1a1a">{_e(text)}</text>')
    parts.append("</svg>")
    return f'<figure>{"".join(parts)}<figcaption>{_said(block.text, lang)}</figcaption></figure>'


def to_html(r: Report) -> str:
    lang = r.lang
    out = [f'<!DOCTYPE html><html lang="{"zh-Hant-TW" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
           f'<meta name="viewport" content="width=device-width, initial-scale=1">'
           f"<title>{_e(r.title)}</title><style>{CSS}</style></head><body><main>"]
    tables = charts = 0
    for block in outline(r):
        if block.kind == "title":
            out.append(f"<h1>{_said(block.text, lang)}</h1>")
        elif block.kind == "notice":
            out.append(f'<p class="{"notice" if block.strong else "missing"}">{_said(block.text, lang)}</p>')
        elif block.kind == "heading":
            out.append(f"<h{block.level}>{_said(block.text, lang)}</h{block.level}>")
        elif block.kind == "para":
            classes = " ".join(c for c in (f"l{block.level}" if block.level else "", "strong" if block.strong else "") if c)
            attr = f' class="{classes}"' if classes else ""
            out.append(f"<p{attr}>{_said(block.text, lang)}</p>")
        elif block.kind == "table":
            tables += 1
            out.append(_table(block.table, tables, lang))
        elif block.kind == "chart":
            charts += 1
            out.append(_chart(block, charts, lang))
    out.append("</main></body></html>")
    return "".join(out)
